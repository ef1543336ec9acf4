"""The front cover (drawn as one full-page flowable) and the back cover's content."""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from .paragraph import Paragraph
from .. import model
from .fonts import SANS
from .pictures import PictureSource, alternative_text, display_size, draw_picture
from .keeps import measure
from .logo import Logo
from .styles import MARGIN_INNER, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, Styles, table_style
from .tagging import Element, marked
from .text import TextSetter

BAND_HEIGHT = 96 * mm
BACK_FRAME_BOTTOM = 50 * mm  # the back cover's text stands above its band
BACK_FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - BACK_FRAME_BOTTOM
STRIPE = 2.2 * mm  # the accent stripe under the band
NUMBER_WIDTH = 12 * mm  # a cover line's page number, right-aligned
FOOTER_TOP = 22 * mm
LOGO_SIZE = (40 * mm, 26 * mm)  # the most a logo takes in the cover's band, top right
BACK_LOGO_TOP, BACK_LOGO_SIZE = 28 * mm, (36 * mm, 18 * mm)  # in the back cover's band
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(date) -> str:
    """"15 January 2023", the same whatever the machine's locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


class FrontCover(Flowable):
    """Title band, cover picture and the "In this issue" panel, on a frame the size of the page."""

    def __init__(self, issue: model.Issue, styles: Styles, text: TextSetter, source: PictureSource,
                 bleed: float = 0.0, highlight_keys: tuple[str | None, ...] = (), logo: Logo | None = None) -> None:
        """``highlight_keys``: the contents entry each cover line names (None: names none), for
        its page number and its link; ``logo``: the theme's, in the band's top right corner."""
        super().__init__()
        self.issue, self.styles, self.text, self.source, self.bleed = issue, styles, text, source, bleed
        self.logo = logo
        width = PAGE_WIDTH - 2 * MARGIN_INNER
        cover = issue.cover
        self.highlight_keys = highlight_keys
        self.panel = self._highlights_panel(cover.highlights, width) if cover and cover.highlights else None
        # The picture runs across the page, off both edges (into the bleed for print), from the
        # band's stripe down to the "In this issue" panel.
        picture_top = PAGE_HEIGHT - BAND_HEIGHT - STRIPE
        bottom = FOOTER_TOP + (self.panel[1] + 8 * mm if self.panel else 0)
        self.picture_box = (-bleed, bottom, PAGE_WIDTH + 2 * bleed, picture_top - bottom)
        if cover and cover.picture:
            source.request(cover.picture.path, *self._cover_size(cover.picture))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, available_height - 1

    # A tagged PDF: the cover's parts, each its own element in the cover's ``Sect``, in reading
    # order: the masthead, the picture, "In this issue" with its lines, the date and the number. The bands,
    # the panel's ground and the logo are artifacts.
    marks_itself = True
    parts: dict[str, Element] | None = None

    def tag(self, sect: Element) -> FrontCover:
        """Give the cover's parts their elements under ``sect``; returns the cover."""
        issue, cover = self.issue, self.issue.cover
        parts = {"publisher": sect.add("P"), "title": sect.add("P"), "number": sect.add("P")}
        if issue.period:
            parts["period"] = sect.add("P")
        if cover and cover.picture:
            parts["picture"] = sect.add("Figure", alt=alternative_text(cover.picture))
        for index in range(len(self.panel[0]) if self.panel else 0):
            parts[f"panel-{index}"] = sect.add("P")
        parts["date"], parts["issue"] = sect.add("P"), sect.add("P")
        self.parts = parts
        return self

    def _marked(self, part: str | None):
        """What is drawn inside is the content of the part's element (an artifact for None)."""
        return marked(self.canv, (self.parts or {}).get(part) if part else None)

    def _paragraph(self, markup: str, style: ParagraphStyle, x: float, top: float, width: float,
                   part: str) -> float:
        """Draw a paragraph whose top edge is at ``top``; return its bottom edge."""
        paragraph = Paragraph(markup, style)
        _, height = paragraph.wrapOn(self.canv, width, PAGE_HEIGHT)
        with self._marked(part):
            paragraph.drawOn(self.canv, x, top - height)
        return top - height

    def draw(self) -> None:
        canvas, palette, issue = self.canv, self.styles.palette, self.issue
        left, width = MARGIN_INNER, PAGE_WIDTH - 2 * MARGIN_INNER
        band_bottom = PAGE_HEIGHT - BAND_HEIGHT
        bleed = self.bleed  # for print, the colour runs past the trim edge
        with self._marked(None):
            canvas.setFillColor(palette.primary)
            canvas.rect(-bleed, band_bottom, PAGE_WIDTH + 2 * bleed, BAND_HEIGHT + bleed, stroke=0, fill=1)
            canvas.setFillColor(palette.accent)
            canvas.rect(-bleed, band_bottom - STRIPE, PAGE_WIDTH + 2 * bleed, STRIPE, stroke=0, fill=1)

        label = ParagraphStyle("cover-label", fontName=f"{SANS}-bold", fontSize=9.5, leading=12,
                               textColor=palette.tint)
        title = ParagraphStyle("cover-title", fontName=f"{SANS}-bold", fontSize=33, leading=37, textColor=white)
        number = ParagraphStyle("cover-number", fontName=f"{SANS}-bold", fontSize=20, leading=25,
                                textColor=palette.accent)
        period = ParagraphStyle("cover-period", fontName=SANS, fontSize=12.5, leading=16, textColor=white)
        top = PAGE_HEIGHT - 17 * mm
        beside_logo = width
        if self.logo is not None:
            with self._marked(None):
                self.logo.draw(canvas, left + width, top, *LOGO_SIZE, palette.primary)
            beside_logo = width - self.logo.fitted(*LOGO_SIZE)[0] - 8 * mm  # the masthead keeps clear of it
        top = self._paragraph(self.text.plain(issue.publisher.upper(), SANS), label, left, top, beside_logo,
                              "publisher") - 9 * mm
        top = self._paragraph(self.text.plain(issue.title, SANS), title, left, top, min(width * 0.86, beside_logo),
                              "title") - 5 * mm
        top = self._paragraph(self.text.plain(f"No.\u00a0{issue.number}", SANS), number, left, top, width, "number")
        if issue.period:
            self._paragraph(self.text.plain(issue.period, SANS), period, left, top - 1.5 * mm, width, "period")

        cover = issue.cover
        x, bottom, box_width, box_height = self.picture_box
        if cover and cover.picture:
            with self._marked("picture"):
                self._draw_cropped(cover.picture, x, bottom, box_width, box_height)
            panel_top = bottom - 8 * mm
        else:
            panel_top = bottom + box_height
        if self.panel:
            self._draw_highlights(self.panel[0], self.panel[1], left, panel_top, width)

        canvas.setFillColor(palette.muted)
        canvas.setFont(SANS, 8.5)
        with self._marked("date"):
            canvas.drawString(left, 13 * mm, long_date(issue.date))
        with self._marked("issue"):
            canvas.drawRightString(left + width, 13 * mm, "ISSUE\u00a0" + str(issue.number))

    def _cover_size(self, picture: model.Picture) -> tuple[float, float]:
        """The size the picture is drawn at to fill the box (what overflows is cropped)."""
        pixel_width, pixel_height = display_size(picture.path)
        _, _, width, height = self.picture_box
        scale = max(width / pixel_width, height / pixel_height)
        return pixel_width * scale, pixel_height * scale

    def _draw_cropped(self, picture: model.Picture, x: float, y: float, width: float, height: float) -> None:
        """Fill the box with the picture, cropping what overflows rather than distorting it."""
        drawn_width, drawn_height = self._cover_size(picture)
        canvas = self.canv
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(x, y, width, height)
        canvas.clipPath(clip, stroke=0, fill=0)
        draw_picture(canvas, self.source, picture.path, x - (drawn_width - width) / 2,
                     y - (drawn_height - height) / 2, drawn_width, drawn_height)
        canvas.restoreState()

    PANEL_PADDING = 6 * mm

    def _highlights_panel(self, highlights: tuple[str, ...], width: float) -> tuple[list[tuple[Paragraph, float]], float]:  # noqa: E501
        """The panel's paragraphs with their heights, and the panel's height."""
        palette = self.styles.palette
        heading = ParagraphStyle("cover-in-this-issue", fontName=f"{SANS}-bold", fontSize=13, leading=16,
                                 textColor=palette.primary)
        item = ParagraphStyle("cover-highlight", fontName=SANS, fontSize=11, leading=14.5,
                              textColor=palette.text, leftIndent=5 * mm, bulletIndent=0,
                              bulletFontName=SANS, bulletColor=palette.accent, spaceBefore=4,
                              rightIndent=NUMBER_WIDTH + 4 * mm if self.highlight_keys else 0)
        paragraphs = [Paragraph("In this issue", heading)] + [
            Paragraph(self.text.plain(h, SANS), item, bulletText="\u2022") for h in highlights
        ]
        inner = width - 2 * self.PANEL_PADDING
        sized = [(p, p.wrap(inner, PAGE_HEIGHT)[1] + (p.style.spaceBefore if i else 0)) for i, p in enumerate(paragraphs)]
        return sized, sum(h for _, h in sized) + 2 * self.PANEL_PADDING

    def _draw_highlights(self, sized: list[tuple[Paragraph, float]], panel_height: float, x: float, top: float,
                         width: float) -> None:
        canvas, palette = self.canv, self.styles.palette
        with self._marked(None):
            canvas.setFillColor(palette.tint)
            canvas.rect(x, top - panel_height, width, panel_height, stroke=0, fill=1)
            canvas.setFillColor(palette.accent)
            canvas.rect(x, top - panel_height, 1.6 * mm, panel_height, stroke=0, fill=1)
        y = top - self.PANEL_PADDING
        right = x + width - self.PANEL_PADDING
        for index, (paragraph, height) in enumerate(sized):
            y -= height
            # A line, its page number and its link are one paragraph's (the number is read after it).
            with self._marked(f"panel-{index}"):
                paragraph.drawOn(canvas, x + self.PANEL_PADDING, y)
                key = self.highlight_keys[index - 1] if 0 < index <= len(self.highlight_keys) else None
                if key is None:
                    continue
                # The page number, known once the issue is laid out, by reference (draw_cover_numbers).
                style = paragraph.style
                baseline = y + height - style.spaceBefore - style.fontSize
                canvas.saveState()
                canvas.translate(right - NUMBER_WIDTH, baseline)
                canvas.doForm(cover_number_form(key))
                canvas.restoreState()
                canvas.linkRect("", key, (x, y, x + width, y + height), relative=1, thickness=0)


def cover_number_form(key: str) -> str:
    return f"cover-number-{key}"


def draw_cover_numbers(canvas, keys: tuple[str | None, ...], pages: dict[str, int], styles: Styles) -> None:
    """Into each cover line's form, the page its entry was placed on (at the end of the pass)."""
    for key in dict.fromkeys(k for k in keys if k):
        canvas.beginForm(cover_number_form(key), 0, -4, NUMBER_WIDTH, 14)
        canvas.setFont(f"{SANS}-bold", 11)
        canvas.setFillColor(styles.palette.primary)
        canvas.drawRightString(NUMBER_WIDTH, 0, str(pages[key]))
        canvas.endForm()


def back_cover_story(back: model.BackCover, styles: Styles, text: TextSetter, width: float) -> list[Flowable]:
    palette = styles.palette
    organisation = ParagraphStyle("back-org", fontName=f"{SANS}-bold", fontSize=17, leading=21,
                                  textColor=palette.primary, spaceAfter=3)
    office = ParagraphStyle("back-office", fontName=SANS, fontSize=11.5, leading=15, textColor=palette.text,
                            spaceAfter=12)
    label = ParagraphStyle("back-label", fontName=f"{SANS}-bold", fontSize=9, leading=12.5, textColor=palette.muted)
    value = ParagraphStyle("back-value", fontName=SANS, fontSize=9.5, leading=12.5, textColor=palette.text)
    heading = ParagraphStyle("back-heading", fontName=f"{SANS}-bold", fontSize=10.5, leading=14,
                             textColor=palette.primary, spaceBefore=16, spaceAfter=4)
    link = palette.primary.hexval()
    story: list[Flowable] = []
    if back.organisation:
        story.append(Paragraph(text.plain(back.organisation, SANS), organisation))
    if back.office:
        story.append(Paragraph(text.plain(back.office, SANS), office))
    rows = []
    if back.address:
        rows.append(("Address", text.plain(back.address.strip(), SANS)))
    if back.telephone:
        rows.append(("Telephone", text.plain(back.telephone, SANS)))
    if back.email:
        rows.append(("E-mail", f'<a href="mailto:{back.email}" color="{link}">{text.plain(back.email, SANS)}</a>'))
    if back.website:
        rows.append(("Website", f'<a href="{back.website}" color="{link}">{text.plain(back.website, SANS)}</a>'))
    if rows:
        table = Table([[Paragraph(k, label), Paragraph(v, value)] for k, v in rows],
                      colWidths=[26 * mm, width - 26 * mm], hAlign="LEFT")
        table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        story.append(table)
    if back.staff:
        story.append(Paragraph("Staff", heading))
        story += [Paragraph(text.plain(name, SANS), value) for name in back.staff]
    if back.note:
        story += [Spacer(0, 12), Paragraph(text.plain(back.note, SANS), ParagraphStyle("back-note", parent=value,
                                                                                         textColor=palette.muted))]
    # The block stands a little above the middle of the room between the top margin and the
    # band, rather than at the top with the page's lower half left empty.
    height = sum(measure(f, width) for f in story)
    room = BACK_FRAME_HEIGHT - height
    return ([Spacer(0, room * 0.4)] if room > 0 else []) + story
