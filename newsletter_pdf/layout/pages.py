"""Page templates: the cover, body pages with running header and footer, the back cover."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageTemplate

from .. import model
from .covers import BACK_FRAME_BOTTOM, BACK_FRAME_HEIGHT, BACK_LOGO_SIZE, BACK_LOGO_TOP
from .logo import Logo
from .fonts import SANS
from .footnotes import FootnoteFrame, NoteStore
from .state import LayoutPass
from .paragraph import Paragraph
from .tagging import PAGINATION, TaggingFrame
from .text import TextSetter
from .styles import FRAME_HEIGHT, FRAME_WIDTH, MARGIN_BOTTOM, MARGIN_INNER, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, Palette

COVER, BODY, BACK, BLANK = "cover", "body", "back", "blank"
CROP_MARK_BORDER = 12 * mm  # the margin outside the trim that holds bleed and crop marks
CROP_MARK_LENGTH = 7 * mm


@dataclass(frozen=True)
class PageSetup:
    """What the printer needs: backgrounds bled past the trim, crop marks and page boxes."""

    bleed: float = 0.0
    crop_marks: bool = False

    def crop_mark_spec(self):
        if not self.crop_marks:
            return None
        return SimpleNamespace(borderWidth=CROP_MARK_BORDER, markLength=CROP_MARK_LENGTH, markWidth=0.25,
                               markColor=CMYKColor(1, 1, 1, 1), bleedWidth=0, markLast=1)

    def boxes(self) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
        """(TrimBox, BleedBox) in the enlarged page's coordinates, when there are crop marks."""
        if not self.crop_marks:
            return None
        border = CROP_MARK_BORDER
        trim = (border, border, border + PAGE_WIDTH, border + PAGE_HEIGHT)
        bleed = (border - self.bleed, border - self.bleed, border + PAGE_WIDTH + self.bleed,
                 border + PAGE_HEIGHT + self.bleed)
        return trim, bleed


def page_templates(issue: model.Issue, palette: Palette, notes: NoteStore, state: LayoutPass, setup: PageSetup,
                   text: TextSetter, logo: Logo | None = None) -> list[PageTemplate]:
    bleed = setup.bleed
    # Set once, drawn on every page; through the font fallback, so that a title in any script prints.
    head_style = ParagraphStyle("running-head", fontName=SANS, fontSize=7.8, leading=9.5, textColor=palette.muted)
    head_left = Paragraph(text.plain(issue.full_title, SANS), head_style)
    head_right = Paragraph(text.plain(issue.period or "", SANS), ParagraphStyle("running-head-right", parent=head_style,
                                                                                alignment=TA_RIGHT))
    back_title = Paragraph(text.plain(issue.full_title, SANS), ParagraphStyle(
        "back-title", fontName=f"{SANS}-bold", fontSize=11, leading=13, textColor=palette.tint))
    back_line = Paragraph(text.plain(" · ".join(x for x in (issue.period, issue.publisher) if x), SANS),
                          ParagraphStyle("back-line", fontName=SANS, fontSize=8.5, leading=10.5, textColor=palette.tint))
    for paragraph in (head_left, head_right, back_title, back_line):
        paragraph.wrap(FRAME_WIDTH, 50)

    def cover_page(canvas, doc) -> None:
        canvas.showOutline()  # readers get the bookmarks panel open
        # The viewer's page box shows the printed folio: "Cover", then 2, 3, ...
        canvas.addPageLabel(0, prefix="Cover")
        canvas.addPageLabel(1, "ARABIC", start=2)

    def running_head(canvas, doc) -> None:
        canvas.saveState()
        left, right = MARGIN_INNER, PAGE_WIDTH - MARGIN_INNER
        head_y = PAGE_HEIGHT - MARGIN_TOP + 9 * mm
        descent = head_style.leading - head_style.fontSize  # drawOn places a paragraph by its bottom
        head_left.drawOn(canvas, left, head_y - descent)
        head_right.drawOn(canvas, left, head_y - descent)
        canvas.setStrokeColor(palette.accent)
        canvas.setLineWidth(0.8)
        canvas.line(left, head_y - 2.6 * mm, left + 14 * mm, head_y - 2.6 * mm)
        canvas.setStrokeColor(palette.tint)
        canvas.line(left + 14 * mm, head_y - 2.6 * mm, right, head_y - 2.6 * mm)
        canvas.setFont(f"{SANS}-bold", 8.5)
        canvas.setFillColor(palette.primary)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN_BOTTOM - 11 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    def back_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFillColor(palette.primary)
        canvas.rect(-bleed, -bleed, PAGE_WIDTH + 2 * bleed, 34 * mm + bleed, stroke=0, fill=1)
        canvas.setFillColor(palette.accent)
        canvas.rect(-bleed, 34 * mm, PAGE_WIDTH + 2 * bleed, 1.6 * mm, stroke=0, fill=1)
        back_title.drawOn(canvas, MARGIN_INNER, 18 * mm - 2)
        back_line.drawOn(canvas, MARGIN_INNER, 12.5 * mm - 2)
        if logo is not None:
            logo.draw(canvas, PAGE_WIDTH - MARGIN_INNER, BACK_LOGO_TOP, *BACK_LOGO_SIZE, palette.primary)
        canvas.restoreState()

    running_head = _as_artifact(running_head, PAGINATION)
    back_page = _as_artifact(back_page, PAGINATION)
    full_page = TaggingFrame(0, 0, PAGE_WIDTH, PAGE_HEIGHT, 0, 0, 0, 0, id="cover")
    body = FootnoteFrame(MARGIN_INNER, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="body", store=notes, state=state)
    back = TaggingFrame(MARGIN_INNER, BACK_FRAME_BOTTOM, FRAME_WIDTH, BACK_FRAME_HEIGHT, 0, 0, 0, 0, id="back")
    return [
        PageTemplate(COVER, [full_page], onPage=cover_page),
        PageTemplate(BODY, [body], onPage=running_head),
        PageTemplate(BACK, [back], onPage=back_page),
        PageTemplate(BLANK, [TaggingFrame(MARGIN_INNER, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="blank")]),
    ]


def _as_artifact(draw, subtype: str):
    """A page template's drawing (the running head and folio, the back cover's band) marked as
    an artifact: a screen reader skips it, and it repeats on every page."""

    def drawn(canvas, doc) -> None:
        tagger = doc.state.tagger
        if tagger is None:
            draw(canvas, doc)
            return
        with tagger.artifact(canvas, subtype):
            draw(canvas, doc)

    return drawn
