"""What the checks read from a written PDF, read once and shared: printed text with its size
and place (PDFium), links, bookmarks, page labels and fonts (pypdf).

Every check reads what a reader's viewer shows, never the layout engine's own
bookkeeping, so that a fault anywhere upstream shows in the file.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.generic import IndirectObject


A4_POINTS = (595.2756, 841.8898)
FOOTER_LIMIT = 62.0  # points from the page bottom: the folio stands below this line
HEADING_MIN_SIZE = 10.9  # section titles, report titles and group banners are set at 11 pt or more
TITLE_MIN_SIZE = 15.0
# Dot leaders and a page number; layout-mode text may put two entries' lines on one line.
LEADER = re.compile(r"\s*(?:\.\s+){2,}\.?\s*(?P<number>\d+)(?=\s|$)")


@dataclass
class Span:
    """One printed line (or part of one): its text, left edge, baseline and largest type size."""

    text: str
    x: float
    y: float
    size: float
    right: float = 0.0  # a text run's right edge (its bounds); 0 where not read
    mcid: int = -1  # a text run's marked-content ID, when it is on the page itself (not in a form)


@dataclass
class Drawn:
    """A picture, drawn shape (a path) or form on a page, as placed: its bounds from the trimmed
    page's corner; for a picture, its size in pixels and its placed width and height."""

    kind: str  # "image", "path" or "form"
    left: float
    bottom: float
    right: float
    top: float
    pixels: tuple[int, int] | None = None
    placed: tuple[float, float] | None = None


_DRAWN_KINDS = {pdfium_c.FPDF_PAGEOBJ_IMAGE: "image", pdfium_c.FPDF_PAGEOBJ_PATH: "path",
                pdfium_c.FPDF_PAGEOBJ_FORM: "form"}


@dataclass
class ContentsEntry:
    text: str
    number: int
    page: int  # 0-based index of the contents page it is printed on


# The layout sets quotes and range dashes typographically: the straight ones match them.
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})


def squash(text: str) -> str:
    """Compare text as printed, ignoring spacing, line breaks, hyphenation at line ends, case, and
    whether quotes and range dashes are typographic."""
    return re.sub(r"[-\x02\xad]\s*\n|[\x02\xad]|\s+", "", text).translate(_TYPOGRAPHIC).casefold()


def _lines(pieces: list[Span]) -> list[Span]:
    """Pieces of text joined into lines, top to bottom: a line is the pieces whose baselines
    agree within half a point, left to right."""
    rows: dict[float, list[Span]] = {}
    for piece in pieces:
        rows.setdefault(round(piece.y * 2) / 2, []).append(piece)
    lines = []
    for baseline in sorted(rows, reverse=True):
        row = sorted(rows[baseline], key=lambda p: p.x)
        lines.append(Span("".join(p.text for p in row), row[0].x, baseline, max(p.size for p in row)))
    return lines


def object_text(run, text_page) -> str:
    """The text a PDFium text object shows."""
    length = pdfium_c.FPDFTextObj_GetText(run.raw, text_page.raw, None, 0)
    buffer = (ctypes.c_ushort * length)()
    pdfium_c.FPDFTextObj_GetText(run.raw, text_page.raw, buffer, length)
    return bytes(buffer).decode("utf-16-le", "replace").rstrip("\x00")


class PdfFacts:
    """What a reader of the PDF can see, read once and shared by the checks.

    Structure (links, bookmarks, labels, fonts) comes from pypdf; printed text, its size
    and place from PDFium, whose text layer is fast enough to read every page of a
    450-page issue in well under a second.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.reader = PdfReader(str(path))
        self.pdfium = pdfium.PdfDocument(str(path))
        self._pages: dict[int, pdfium.PdfPage] = {}
        self._text_pages: dict[int, pdfium.PdfTextPage] = {}
        self._run_cache: dict[int, list[Span]] = {}
        self._char_lines: dict[int, list[Span]] = {}
        self._spans: dict[int, list[Span]] = {}
        self._headings: dict[int, str] = {}
        self._drawn: dict[int, list[Drawn]] = {}

    def close(self) -> None:
        for text_page in self._text_pages.values():
            text_page.close()
        for page in self._pages.values():
            page.close()
        self.pdfium.close()

    def _origin(self, index: int) -> tuple[float, float]:
        """Positions count from the trimmed page: a print PDF has a margin for crop marks around it."""
        box = self.reader.pages[index].trimbox
        return float(box.left), float(box.bottom)

    def page_count(self) -> int:
        return len(self.pdfium)

    def page(self, index: int) -> pdfium.PdfPage:
        if index not in self._pages:
            self._pages[index] = self.pdfium[index]
        return self._pages[index]

    def text_page(self, index: int) -> pdfium.PdfTextPage:
        # Text objects can be read only through the text page of the same page handle.
        if index not in self._text_pages:
            self._text_pages[index] = self.page(index).get_textpage()
        return self._text_pages[index]

    def runs(self, index: int) -> list[Span]:
        """The page's text objects (runs of one font and size) in drawing order, with their
        baselines, right edges and marked-content IDs."""
        if index not in self._run_cache:
            page, text_page = self.page(index), self.text_page(index)
            left, bottom = self._origin(index)
            size = ctypes.c_float()
            runs = []
            for run in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,)):
                pdfium_c.FPDFTextObj_GetFontSize(run.raw, size)
                text = object_text(run, text_page)
                matrix = run.get_matrix()
                right = run.get_bounds()[2] - left
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(run.raw) if run.level == 0 else -1
                runs.append(Span(text, matrix.e - left, matrix.f - bottom, size.value * abs(matrix.d or 1), right, mcid))
            self._run_cache[index] = runs
        return self._run_cache[index]

    def drawn(self, index: int) -> list[Drawn]:
        """The page's pictures, drawn shapes and forms (those of the page itself, not inside forms)."""
        if index not in self._drawn:
            left, bottom = self._origin(index)
            found = []
            for obj in self.page(index).get_objects(filter=tuple(_DRAWN_KINDS), max_depth=0):
                l, b, r, t = obj.get_bounds()
                item = Drawn(_DRAWN_KINDS[obj.type], l - left, b - bottom, r - left, t - bottom)
                if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    m = obj.get_matrix()
                    item.pixels = tuple(obj.get_px_size())
                    item.placed = (math.hypot(m.a, m.b), math.hypot(m.c, m.d))
                found.append(item)
            self._drawn[index] = found
        return self._drawn[index]

    def spans(self, index: int) -> list[Span]:
        """The page's lines of text, top to bottom (runs on one baseline joined, left to right)."""
        if index not in self._spans:
            self._spans[index] = _lines(self.runs(index))
        return self._spans[index]

    def char_lines(self, index: int) -> list[Span]:
        """Lines built character by character: slower than ``spans``, but it sees into forms
        (the contents' page numbers are drawn in forms)."""
        if index in self._char_lines:
            return self._char_lines[index]
        text_page, (left, bottom) = self.text_page(index), self._origin(index)
        x, y = ctypes.c_double(), ctypes.c_double()
        chars = []
        for i in range(text_page.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(text_page.raw, i)
            if code in (10, 13, 0xFFFE) or pdfium_c.FPDFText_IsGenerated(text_page.raw, i) == 1:
                continue
            pdfium_c.FPDFText_GetCharOrigin(text_page.raw, i, x, y)
            chars.append(Span(chr(code), x.value - left, y.value - bottom, pdfium_c.FPDFText_GetFontSize(text_page.raw, i)))
        self._char_lines[index] = _lines(chars)
        return self._char_lines[index]

    @cached_property
    def folios(self) -> list[int | None]:
        out: list[int | None] = []
        for index in range(len(self.reader.pages)):
            left, bottom = self._origin(index)
            width = float(self.reader.pages[index].trimbox.width)
            text = self.text_page(index).get_text_bounded(left, bottom, left + width, bottom + FOOTER_LIMIT).split()
            out.append(int(text[0]) if len(text) == 1 and text[0].isdigit() else None)
        return out

    def folio_text(self, index: int) -> str:
        folio = self.folios[index]
        return f"page {folio}" if folio is not None else f"unnumbered page (PDF page {index + 1})"

    def page_of(self, ref) -> int:
        return self.reader.get_page_number(ref.get_object() if isinstance(ref, IndirectObject) else ref)

    @cached_property
    def contents_pages(self) -> list[int]:
        """The page headed "Contents" and the pages it runs on to (those without headings of their own)."""
        for index in range(len(self.reader.pages)):
            if any(s.size >= TITLE_MIN_SIZE and squash(s.text) == "contents" for s in self.spans(index)):
                pages = [index]
                while pages[-1] + 1 < len(self.reader.pages) and not self.heading_text(pages[-1] + 1):
                    pages.append(pages[-1] + 1)
                return pages
        return []

    @cached_property
    def contents(self) -> list[ContentsEntry]:
        entries: list[ContentsEntry] = []
        for index in self.contents_pages:
            lines = [s.text.strip() for s in self.char_lines(index) if s.y > FOOTER_LIMIT and s.size < TITLE_MIN_SIZE
                     and s.y < float(self.reader.pages[index].trimbox.height) - 60]  # not the running head
            pending: list[str] = []
            for stripped in lines:
                if not stripped:
                    continue
                start = 0
                for match in LEADER.finditer(stripped):
                    pending.append(stripped[start:match.start()].strip())
                    entries.append(ContentsEntry(" ".join(p for p in pending if p), int(match.group("number")), index))
                    pending, start = [], match.end()
                if stripped[start:].strip():
                    pending.append(stripped[start:].strip())
        return entries

    def heading_text(self, index: int) -> str:
        """The page's text set at heading size or larger, squashed."""
        if index not in self._headings:
            if index in self._run_cache:
                runs = [r.text for r in self._run_cache[index] if r.size >= HEADING_MIN_SIZE]
            else:  # the sizes alone first: most runs are body text, whose words are not needed here
                page, text_page, size = self.page(index), self.text_page(index), ctypes.c_float()
                runs = []
                for run in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,)):
                    pdfium_c.FPDFTextObj_GetFontSize(run.raw, size)
                    if size.value * abs(run.get_matrix().d or 1) >= HEADING_MIN_SIZE:
                        runs.append(object_text(run, text_page))
            self._headings[index] = squash("".join(runs))
        return self._headings[index]

    def title_page(self, title: str, after: int) -> int | None:
        """The first page after ``after`` whose headings hold ``title``."""
        wanted = squash(title)
        for index in range(after + 1, len(self.reader.pages)):
            if wanted in self.heading_text(index):
                return index
        return None

    @cached_property
    def outline(self) -> list[tuple[str, int]]:
        flat: list[tuple[str, int]] = []

        def walk(items) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    flat.append((str(item.title), self.reader.get_destination_page_number(item)))

        walk(self.reader.outline)
        return flat
