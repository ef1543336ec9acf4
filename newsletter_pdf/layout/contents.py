"""The contents pages, bookmarks and the titles that feed them, in a single layout pass.

Every title in the contents is known before layout; only the page numbers are not.
So the contents are set first, with room for the numbers: that fixes how many pages
they take, and with it every page number after them. The body is then laid out once;
each ``Marked`` heading files its page as it is placed, and at the very end the numbers
are drawn into small forms that the contents pages already refer to (a PDF form may be
defined after the page that shows it). Links and bookmarks refer to named destinations,
which may likewise come later in the file.
"""

from __future__ import annotations

from contextlib import nullcontext

from reportlab.lib.enums import TA_LEFT

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import ActionFlowable, Flowable, PageBreak

from . import compat
from .paragraph import Paragraph
from .styles import Styles

NUMBER_COLUMN = 28.0  # points kept free at the right for the page number
LEADER = " \u2009."  # one step of the dot leader
MAX_ROW_SHARE = 1 / 3  # a title longer than this share of a contents page wants a shorter toc_title


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents; the layout pass records the page its heading is placed on."""

    level: int
    text: str
    key: str


MAX_BALANCED_LINES = 4
MIN_BALANCED_SHARE = 0.55  # a balanced headline is never narrower than this share of its column


class MarkedParagraph(Paragraph):
    """A heading that is a link target at its own top edge (``anchor``), and may be a contents entry."""

    def __init__(self, markup, style, entry: ContentsEntry | None = None, anchor: str | None = None,
                 **kwargs) -> None:
        super().__init__(markup, style, **kwargs)
        self.contents_entry = entry
        self.anchor = entry.key if entry is not None else anchor

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Set balanced: a left-aligned headline of two to four lines at the narrowest width that
        keeps its number of lines, so that its lines are of a length and the last is never one
        word alone; it still takes the whole width in the frame."""
        if getattr(self, "balanced_for", None) == available_width:
            return available_width, super().wrap(self.balanced_width, available_height)[1]
        _, height = super().wrap(available_width, available_height)
        leading = self.style.leading
        lines = round(height / leading)
        wide = available_width
        if 2 <= lines <= MAX_BALANCED_LINES and self.style.alignment == TA_LEFT:
            narrow = available_width * MIN_BALANCED_SHARE
            if round(super().wrap(narrow, available_height)[1] / leading) == lines:
                wide = narrow
            while wide - narrow > 2:  # (points) halving the range: the narrowest width with as many lines
                middle = (narrow + wide) / 2
                if round(super().wrap(middle, available_height)[1] / leading) == lines:
                    wide = middle
                else:
                    narrow = middle
            _, height = super().wrap(wide, available_height)
        self.balanced_for, self.balanced_width = available_width, wide
        return available_width, height

    def split(self, available_width: float, available_height: float) -> list:
        # A heading never splits: it moves to the next page whole, and one taller than a page
        # is an input error (``footnotes.TooTall``) that asks for a shorter title.
        return []

    def draw(self) -> None:
        if self.anchor is not None:
            self.canv.bookmarkHorizontal(self.anchor, 0, self.height + self.style.fontSize)
        super().draw()


class MarkedFlowable(Flowable):
    """Wraps a flowable (a banner, a table) to make it a contents entry and link target."""

    def __init__(self, inner: Flowable, entry: ContentsEntry) -> None:
        super().__init__()
        self.inner = inner
        self.contents_entry = entry

    def wrap(self, available_width: float, available_height: float):
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.contents_entry.key, 0, self.height + 6)
        self.inner.drawOn(self.canv, 0, 0)


@dataclass
class _Row:
    entry: ContentsEntry
    paragraph: Paragraph
    height: float
    space_before: float
    last_line_width: float  # where the dot leader starts, measured from the text's left edge


class ContentsPlan:
    """The contents set out on pages before the body exists."""

    def __init__(self, entries: list[ContentsEntry], styles: Styles, width: float, first_page_height: float,
                 page_height: float) -> None:
        self.entries = entries
        self.styles = styles
        self.items: dict | None = None  # each entry's TOCI structure element, by key (a tagged PDF)
        self.width = width
        self.pages: list[list[_Row]] = [[]]
        self.too_tall: list[ContentsEntry] = []  # titles too long for a contents line
        room = first_page_height
        for entry in entries:
            style = styles.toc_levels[min(entry.level, len(styles.toc_levels) - 1)]
            paragraph = Paragraph(entry.text, style)
            # Titles leave room for a leader of three dots at least before the number.
            reserve = NUMBER_COLUMN + 3 * stringWidth(LEADER, style.fontName, style.fontSize) + 6
            text_width = width - reserve - style.leftIndent - style.rightIndent
            _, height = paragraph.wrap(width - reserve, 10_000)
            if height > page_height * MAX_ROW_SHARE:
                self.too_tall.append(entry)
            space = style.spaceBefore if self.pages[-1] else 0
            if self.pages[-1] and space + height > room:
                self.pages.append([])
                room, space = page_height, 0
            self.pages[-1].append(_Row(entry, paragraph, height, space, text_width - _extra_space(paragraph)))
            room -= space + height

    def flowables(self) -> list[Flowable]:
        out: list[Flowable] = []
        for number, rows in enumerate(self.pages):
            if number:
                out.append(PageBreak())
            out.append(_ContentsPage(self, rows))
        return out

    def number_form(self, entry: ContentsEntry) -> str:
        return f"contents-number-{entry.key}"


def _extra_space(paragraph: Paragraph) -> float:
    """The unused width of a wrapped paragraph's last line."""
    return compat.paragraph_last_line_slack(paragraph)


class _ContentsPage(Flowable):
    """One page of the contents: titles and leaders now, the page numbers by reference."""

    def __init__(self, plan: ContentsPlan, rows: list[_Row]) -> None:
        super().__init__()
        self.plan, self.rows = plan, rows
        self.height = sum(row.space_before + row.height for row in rows)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.plan.width, self.height

    @property
    def marks_itself(self) -> bool:
        """Whether each row is marked as its own ``TOCI`` (a tagged PDF), the leaders as artifacts."""
        return self.plan.items is not None

    def draw(self) -> None:
        canvas, width = self.canv, self.plan.width
        tagger = getattr(canvas, "tagger", None) if self.marks_itself else None
        if tagger is not None and tagger.depth:
            tagger = None

        def marked(element):
            return tagger.marked(canvas, element) if tagger is not None else nullcontext()

        y = self.height
        for row in self.rows:
            y -= row.space_before + row.height
            style = row.paragraph.style
            item = self.plan.items[row.entry.key] if tagger is not None else None
            with marked(item):
                row.paragraph.drawOn(canvas, 0, y)
            baseline = y + style.leading - style.fontSize  # the last line's baseline
            leader_start = style.leftIndent + row.last_line_width + 4
            leader_end = width - NUMBER_COLUMN + 2
            dots = int((leader_end - leader_start) // stringWidth(LEADER, style.fontName, style.fontSize))
            canvas.saveState()
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(style.textColor)
            if dots > 0:
                with marked(None):  # the leader: an artifact of layout
                    canvas.drawRightString(leader_end, baseline, LEADER * dots)
            canvas.restoreState()
            with marked(item):  # the page number, and the link (the entry's Link element)
                canvas.saveState()
                canvas.translate(width - NUMBER_COLUMN, baseline)
                canvas.doForm(self.plan.number_form(row.entry))
                canvas.restoreState()
                canvas.linkRect("", row.entry.key, (0, y, width, y + row.height), relative=1, thickness=0)


class ContentsNumbers(ActionFlowable):
    """Last in the story: the document draws each entry's page number, as this pass placed it,
    into the form its contents line refers to (``NewsletterDoc.handle_contentsNumbers``)."""

    def __init__(self, plan: ContentsPlan, cover_keys: tuple = ()) -> None:
        super().__init__(("contentsNumbers", plan, cover_keys))


def draw_contents_numbers(canvas, plan: ContentsPlan, pages: dict[str, int]) -> None:
    for entry in plan.entries:
        if entry.key not in pages:
            raise RuntimeError(f"contents entry {entry.key!r} was never placed")
        style = plan.styles.toc_levels[min(entry.level, len(plan.styles.toc_levels) - 1)]
        canvas.beginForm(plan.number_form(entry), 0, -style.fontSize, NUMBER_COLUMN, style.leading)
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        canvas.drawRightString(NUMBER_COLUMN, 0, str(pages[entry.key]))
        canvas.endForm()
