"""Stage 5, the checks: verify a written PDF with pypdf and PDFium, from the file alone.

Each check reads what a reader's viewer shows (printed text and its size and
place, link and bookmark targets, page labels, fonts, metadata), never the layout
engine's own bookkeeping, so that a fault anywhere upstream shows here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from .pdfa import check_pdfa, claimed_pdfa
from .reading_order import Passage, check_reading_order
from .result import CheckResult
from .tagging import check_tagging
from .text_maps import check_text_maps

A4_POINTS = (595.2756, 841.8898)
FOOTER_LIMIT = 62.0  # points from the page bottom: the folio stands below this line
HEADING_MIN_SIZE = 10.9  # section titles, report titles and group banners are set at 11 pt or more
TITLE_MIN_SIZE = 15.0
# Dot leaders and a page number; layout-mode text may put two entries' lines on one line.
_LEADER = re.compile(r"\s*(?:\.\s+){2,}\.?\s*(?P<number>\d+)(?=\s|$)")


@dataclass(frozen=True)
class Expected:
    """A contents entry as the issue file defines it: the text in the contents, and the title on the page."""

    contents_text: str
    title: str


@dataclass
class Span:
    """One printed line (or part of one): its text, left edge, baseline and largest type size."""

    text: str
    x: float
    y: float
    size: float


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


def _object_text(run, text_page) -> str:
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

    def _runs(self, index: int) -> list[Span]:
        """The page's text objects (runs of one font and size) in drawing order, with their baselines."""
        if index not in self._run_cache:
            page, text_page = self.page(index), self.text_page(index)
            left, bottom = self._origin(index)
            size = ctypes.c_float()
            runs = []
            for run in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,)):
                pdfium_c.FPDFTextObj_GetFontSize(run.raw, size)
                text = _object_text(run, text_page)
                matrix = run.get_matrix()
                runs.append(Span(text, matrix.e - left, matrix.f - bottom, size.value * abs(matrix.d or 1)))
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
            self._spans[index] = _lines(self._runs(index))
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
                for match in _LEADER.finditer(stripped):
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
                        runs.append(_object_text(run, text_page))
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


def check_pdf(path: Path | str, expected: list[Expected] | None = None,
              page_size: tuple[float, float] = A4_POINTS, archive: bool | None = None) -> list[CheckResult]:
    """Run every check; ``expected`` (from the issue file) names the contents entries that must be there.

    ``archive`` adds the PDF/A-2a checks; by default the PDF/A checks run when the file claims PDF/A
    (for the part and level it claims).
    """
    facts = PdfFacts(path)
    try:
        return run_checks(facts, expected, page_size, archive)
    finally:
        facts.close()


def run_checks(facts: PdfFacts, expected: list[Expected] | None, page_size: tuple[float, float],
               archive: bool | None, passages: list[Passage] | None = None) -> list[CheckResult]:
    """``passages``: the issue's text, which the structure must read in order (see ``reading_order``)."""
    claimed = claimed_pdfa(facts.reader)
    starts, contents_result = _check_contents(facts, expected)
    results = [
        contents_result,
        _check_folios(facts),
        _check_bookmarks(facts, starts),
        _check_contents_links(facts, starts),
        _check_footnotes(facts),
        _check_fonts_embedded(facts.reader),
        check_text_maps(facts.reader),
        check_tagging(facts.path),
        *([check_reading_order(facts.path, facts, passages)] if passages is not None else []),
        _check_metadata(facts.reader),
        _check_page_size(facts.reader, page_size),
    ]
    if archive or (archive is None and claimed is not None):
        results.append(check_pdfa(facts.reader, ("2", "A") if archive else None))
    return results


def _check_contents(facts: PdfFacts, expected: list[Expected] | None) -> tuple[list[tuple[str, int]], CheckResult]:
    """Each contents entry's number must be the folio of the page where its title is printed."""
    name = "contents page numbers"
    if not facts.contents_pages:
        return [], CheckResult(name, False, "no page headed 'Contents' found")
    entries = facts.contents
    titles = {squash(e.contents_text): e.title for e in expected or []}
    failures: list[str] = []
    if expected is not None:
        printed = {squash(e.text) for e in entries}
        failures += [f"'{e.contents_text}' is missing from the contents" for e in expected
                     if squash(e.contents_text) not in printed]
    starts: list[tuple[str, int]] = []
    last_contents = facts.contents_pages[-1]
    for entry in entries:
        title = titles.get(squash(entry.text), entry.text)
        # The foreword stands before the contents; everything else after. Two entries with the
        # same title (two groups called "News") are two headings: the second is sought after the first.
        after = max((page for text, page in starts if text == squash(entry.text)), default=last_contents)
        page = facts.title_page(title, after) or facts.title_page(title, -1)
        if page is None:
            failures.append(f"'{entry.text}' (contents: page {entry.number}): its title is printed on no page")
            continue
        starts.append((squash(entry.text), page))
        if facts.folios[page] != entry.number:
            failures.append(f"'{entry.text}': contents say page {entry.number}, but the title is on "
                            f"{facts.folio_text(page)}")
    detail = f"{len(entries)} entries on {len(facts.contents_pages)} page(s)"
    return starts, CheckResult(name, not failures, detail, tuple(failures))


def _check_folios(facts: PdfFacts) -> CheckResult:
    """Printed folios count up one a page, and the viewer's page labels say the same."""
    failures: list[str] = []
    labels = facts.reader.page_labels
    previous: tuple[int, int] | None = None
    for index, folio in enumerate(facts.folios):
        if folio is None:
            continue
        if previous and folio != previous[1] + (index - previous[0]):
            failures.append(f"PDF page {index + 1} is numbered {folio}, expected {previous[1] + index - previous[0]}")
        if labels[index] != str(folio):
            failures.append(f"PDF page {index + 1} is numbered {folio} but its page label is '{labels[index]}'")
        previous = (index, folio)
    numbered = sum(f is not None for f in facts.folios)
    if numbered == 0:
        failures.append("no page carries a folio")
    return CheckResult("folios and page labels", not failures, f"{numbered} numbered pages", tuple(failures))


def _check_bookmarks(facts: PdfFacts, starts: list[tuple[str, int]]) -> CheckResult:
    """Each bookmark goes to the page where its contents entry starts (bookmarks and entries in the same order)."""
    failures: list[str] = []
    outline = facts.outline
    if not outline:
        failures.append("the PDF has no bookmarks")
    unmatched = list(starts)
    for title, page in outline:
        match = next((item for item in unmatched if item[0] == squash(title)), None)
        if match is not None:
            unmatched = unmatched[unmatched.index(match) + 1:]
        start = match[1] if match else None
        if start is None:
            failures.append(f"bookmark '{title}' has no contents entry")
        elif page != start:
            failures.append(f"bookmark '{title}' goes to {facts.folio_text(page)}, but the section starts on "
                            f"{facts.folio_text(start)}")
    return CheckResult("bookmarks", not failures, f"{len(outline)} bookmarks", tuple(failures))


def _check_contents_links(facts: PdfFacts, starts: list[tuple[str, int]]) -> CheckResult:
    """Each link on the contents pages goes to the page where the entry on its line starts."""
    failures: list[str] = []
    count = 0
    for index in facts.contents_pages:
        page = facts.reader.pages[index]
        # A line's words without its dot leader and page number.
        lines = [Span(_LEADER.sub("", s.text), s.x, s.y, s.size) for s in facts.char_lines(index) if s.y > FOOTER_LIMIT]
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if annotation.get("/Subtype") != "/Link" or not destination:
                continue
            count += 1
            target = facts.page_of(destination[0])
            # Link rectangles count from the media box; a print PDF's trim sits inside it.
            offset = float(page.trimbox.bottom)
            bottom, top = float(annotation["/Rect"][1]) - offset, float(annotation["/Rect"][3]) - offset
            on_line = squash("".join(s.text for s in lines if bottom - 1 <= s.y <= top + 1))
            candidates = [(key, start) for key, start in starts if on_line and on_line in key]
            if not candidates:
                failures.append(f"a contents link on {facts.folio_text(index)} is on no entry's line")
            elif all(start != target for _, start in candidates):
                failures.append(f"the contents link for '{on_line}' goes to {facts.folio_text(target)}, but the "
                                f"entry starts on {facts.folio_text(candidates[0][1])}")
    if count == 0:
        failures.append("the contents have no links")
    return CheckResult("contents links", not failures, f"{count} links", tuple(failures))


BODY_MIN_SIZE = 9.0  # body text, headings and tables; notes are smaller


def _is_note_marker(annotation) -> bool:
    """Whether a link is a note marker: the pipeline describes each one as "Note N" (/Contents),
    as a screen reader announces it."""
    return str(annotation.get("/Contents", "")).startswith("Note ")


def _check_footnotes(facts: PdfFacts) -> CheckResult:
    """Each note marker links to its note, which must start on the page of the note's first
    marker, below all body text; a later marker of the same note (a note referenced again,
    a marker in a repeated table header) links back to it.

    A note marker is a link described as "Note N"; any other link within the document is a
    cross-reference, which must lead to a page of the document.
    """
    failures: list[str] = []
    count = 0
    seen: set[tuple[int, float]] = set()
    contents = set(facts.contents_pages)
    for index, page in enumerate(facts.reader.pages):
        if index in contents:
            continue
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if annotation.get("/Subtype") != "/Link" or not destination or len(destination) < 4:
                continue
            # ReportLab writes destinations relative to the trim box, even inside crop marks.
            target, note_top = facts.page_of(destination[0]), float(destination[3])
            if not _is_note_marker(annotation):
                continue  # a cross-reference: it resolved to a page, which is all it must do
            count += 1
            marker = f"the note marker at {facts.folio_text(index)}, line y={float(annotation['/Rect'][1]):.0f}"
            first = (target, round(note_top, 1)) not in seen
            seen.add((target, round(note_top, 1)))
            if not first:
                if target > index:
                    failures.append(f"{marker}: it refers again to a note set later, on {facts.folio_text(target)}")
                continue
            if target != index:
                failures.append(f"{marker}: its note starts on {facts.folio_text(target)}")
                continue
            below = [s for s in facts.spans(index)
                     if s.size >= BODY_MIN_SIZE and FOOTER_LIMIT < s.y < note_top - 2]
            if below:
                failures.append(f"{marker}: body text '{below[0].text.strip()[:30]}' is set below its note")
    return CheckResult("footnotes on their marker's page", not failures, f"{count} notes", tuple(failures))


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


_FONT_USE = re.compile(rb"/([^\s/\[\]()<>]+)\s+[-\d.]+\s+Tf")


def font_report(reader: PdfReader) -> dict[str, set[int]]:
    """Base font name -> pages (1-based) that draw text in it without an embedded font file."""
    unembedded: dict[str, set[int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        resources = _resolve(page.get("/Resources")) or {}
        fonts = _resolve(resources.get("/Font")) or {}
        # ReportLab shares one font dictionary between pages: look at the fonts each page really uses.
        contents = page.get_contents()
        used = {name.decode("latin-1") for name in _FONT_USE.findall(contents.get_data() if contents is not None else b"")}
        for key, ref in fonts.items():
            if key[1:] not in used:
                continue
            font = _resolve(ref)
            descriptor = _font_descriptor(font)
            embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if not embedded:
                unembedded.setdefault(str(font.get("/BaseFont")), set()).add(number)
    return unembedded


def _font_descriptor(font):
    if "/FontDescriptor" in font:
        return _resolve(font["/FontDescriptor"])
    for descendant in _resolve(font.get("/DescendantFonts")) or []:
        descendant = _resolve(descendant)
        if "/FontDescriptor" in descendant:
            return _resolve(descendant["/FontDescriptor"])
    return None


def _check_fonts_embedded(reader: PdfReader) -> CheckResult:
    unembedded = font_report(reader)
    if not unembedded:
        return CheckResult("all fonts embedded", True)
    detail = "; ".join(f"{name} not embedded on page {', '.join(map(str, sorted(pages)[:5]))}"
                       for name, pages in sorted(unembedded.items()))
    return CheckResult("all fonts embedded", False, detail)


def _check_page_size(reader: PdfReader, expected: tuple[float, float]) -> CheckResult:
    wrong = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.trimbox
        size = (float(box.width), float(box.height))
        if abs(size[0] - expected[0]) > 0.5 or abs(size[1] - expected[1]) > 0.5:
            wrong.append(f"page {number} is {size[0]:.1f} x {size[1]:.1f} pt")
    expected_text = f"{expected[0]:.1f} x {expected[1]:.1f} pt"
    if wrong:
        return CheckResult("page size", False, f"expected {expected_text}", tuple(wrong[:5]))
    return CheckResult("page size", True, f"{len(reader.pages)} pages of {expected_text}")


def _check_metadata(reader: PdfReader) -> CheckResult:
    meta = reader.metadata or {}
    catalog = reader.trailer["/Root"]
    missing = [key for key in ("/Title", "/Author", "/Subject", "/CreationDate", "/ModDate") if not meta.get(key)]
    if "/Lang" not in catalog:
        missing.append("/Lang (document language)")
    if catalog.get("/PageMode") != "/UseOutlines":
        missing.append("/PageMode /UseOutlines (bookmarks panel open)")
    if missing:
        return CheckResult("metadata", False, f"missing {', '.join(missing)}")
    return CheckResult("metadata", True, f"{meta.get('/Title')}, {meta.get('/CreationDate')}")
