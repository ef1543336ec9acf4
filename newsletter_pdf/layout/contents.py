"""The contents page, bookmarks and the titles that feed them.

A ``Marked`` flowable carries a contents entry; when the document template has
placed it, it files the entry (page, outline, link target). The contents page is
ReportLab's ``TableOfContents``, so ``multiBuild`` repeats layout until the
numbers it prints no longer move.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from .styles import Styles, table_style


class ContentsEntry:
    def __init__(self, level: int, text: str, key: str) -> None:
        self.level, self.text, self.key = level, text, key


class MarkedParagraph(Paragraph):
    """A heading that is also a contents entry and a link target at its own top edge."""

    def __init__(self, markup: str, style, entry: ContentsEntry) -> None:
        super().__init__(markup, style)
        self.contents_entry = entry

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.contents_entry.key, 0, self.height + self.style.fontSize)
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


def contents_page(styles: Styles) -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = styles.toc_levels
    toc.rightColumnWidth = 28
    toc.tableStyle = table_style([("VALIGN", (0, 0), (-1, -1), "TOP")] + [
        (padding, (0, 0), (-1, -1), 0) for padding in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")])
    return toc
