"""Page templates: the cover, body pages with running header and footer, the back cover."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.platypus import Frame, PageTemplate

from .. import model
from .fonts import SANS
from .footnotes import FootnoteFrame, NoteStore
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


def page_templates(issue: model.Issue, palette: Palette, notes: NoteStore, setup: PageSetup) -> list[PageTemplate]:
    bleed = setup.bleed

    def cover_page(canvas, doc) -> None:
        canvas.showOutline()  # readers get the bookmarks panel open
        # The viewer's page box shows the printed folio: "Cover", then 2, 3, ...
        canvas.addPageLabel(0, prefix="Cover")
        canvas.addPageLabel(1, "ARABIC", start=2)

    def running_head(canvas, doc) -> None:
        canvas.saveState()
        left, right = MARGIN_INNER, PAGE_WIDTH - MARGIN_INNER
        head_y = PAGE_HEIGHT - MARGIN_TOP + 9 * mm
        canvas.setFont(SANS, 7.8)
        canvas.setFillColor(palette.muted)
        canvas.drawString(left, head_y, issue.full_title)
        if issue.period:
            canvas.drawRightString(right, head_y, issue.period)
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
        canvas.setFillColor(palette.tint)
        canvas.setFont(f"{SANS}-bold", 11)
        canvas.drawString(MARGIN_INNER, 18 * mm, issue.full_title)
        canvas.setFont(SANS, 8.5)
        canvas.drawString(MARGIN_INNER, 12.5 * mm, " · ".join(x for x in (issue.period, issue.publisher) if x))
        canvas.restoreState()

    full_page = Frame(0, 0, PAGE_WIDTH, PAGE_HEIGHT, 0, 0, 0, 0, id="cover")
    body = FootnoteFrame(MARGIN_INNER, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="body", store=notes)
    back = Frame(MARGIN_INNER, 50 * mm, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - 50 * mm, 0, 0, 0, 0, id="back")
    return [
        PageTemplate(COVER, [full_page], onPage=cover_page),
        PageTemplate(BODY, [body], onPage=running_head),
        PageTemplate(BACK, [back], onPage=back_page),
        PageTemplate(BLANK, [Frame(MARGIN_INNER, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="blank")]),
    ]
