"""Stage 5, the page-quality report: warnings (never failures) about what a reader sees.

Read from the PDF file alone, through the same ``PdfFacts`` as the checks (the text pages
PDFium has opened already), so it costs little more than the checks themselves:

- **empty pages** (``empty_pages``): a body page more than 40% of whose text area is empty;
- **hyphen runs** (``hyphen_runs``): three or more consecutive body lines ending in a broken word;
- **stranded headings** (``stranded_headings``): a heading that ends a page while its
  section goes on on the next;
- **low-resolution pictures** (``low_resolution_pictures``): a picture under 150 pixels an
  inch at the size it is placed at, in every profile.

And one figure, not a warning: **paragraph quality** (``paragraph_figures``), the measure
(characters a full line: the median, which should be 55-75, and the middle 80%), the share of
body lines ending in a hyphen, the longest run of them, words broken across a page turn,
last lines that are only a word fragment, and loose lines (a word gap over 0.5 em on a
justified line). ``newsletter check`` prints it; a build does not read it (it reads every
character of the body, about 0.2 s for No. 79).

Body pages are the pages that carry a folio, less the contents pages: the cover and the
back cover carry none (nor do they have the body's text area).
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from .facts import PdfFacts, Span

MM = 72 / 25.4
# The body frame of the page templates, from the trimmed page's bottom-left corner: the
# margins of layout/styles.py (inner and outer 24 mm, top 24 mm, bottom 22 mm; A4), set
# here rather than imported, as importing the layout would double the time of a
# ``newsletter check`` (tests/test_quality.py holds them equal).
FRAME_LEFT, FRAME_BOTTOM = 24 * MM, 22 * MM
FRAME_RIGHT, FRAME_TOP = 595.2756 - 24 * MM, 841.8898 - 24 * MM
BODY_SIZE, BODY_LEADING = 10.0, 14.2  # styles.body
TEXT_MIN_SIZE = 8.4  # body text, headings, captions, cells; notes (8 pt), markers and credits are smaller
# Headings (layout/styles.py): title 22, report title 15.5, h2 13, h3 and group banner 11 pt.
HEADING_SIZES = (22.0, 15.5, 13.0, 11.0)
# What starts a section: a title, a report title or a group banner (under an 8.5 pt kind label).
SECTION_START_SIZES = (22.0, 15.5, 11.0)

EMPTY_LIMIT = 0.40  # the limit: no page more than 40% empty
EMPTY_MIN_GAP = 2 * BODY_LEADING  # blank bands up to two body lines tall are spacing, not emptiness
HYPHEN_RUN = 3
MIN_PPI = 150
HYPHENS = "-\x02\xad\u2010"  # PDFium reads ReportLab's line-end hyphen as \x02


@dataclass(frozen=True)
class PageWarning:
    """One warning of the page-quality report: the page (0-based ``index``, its printed
    ``folio``), its kind, what a reader sees there and what to do about it."""

    index: int
    folio: int | None
    kind: str  # "empty page", "hyphen run", "stranded heading", "low-resolution picture"
    what: str
    hint: str

    def __str__(self) -> str:
        folio = f"folio {self.folio}" if self.folio is not None else "no folio"
        where = f"page {self.index + 1} ({folio})"
        return f"{where}: {self.what} \u2014 {self.hint}"


def quality_report(facts: PdfFacts) -> list[PageWarning]:
    """Every warning, in page order."""
    warnings = (empty_pages(facts) + hyphen_runs(facts) + stranded_headings(facts)
                + low_resolution_pictures(facts))
    order = ("empty page", "stranded heading", "hyphen run", "low-resolution picture")
    return sorted(warnings, key=lambda w: (w.index, order.index(w.kind)))


# Reading a page ------------------------------------------------------------------------------

def body_pages(facts: PdfFacts) -> list[int]:
    """Pages that carry a folio, less the contents pages: the pages set in the body frame."""
    contents = set(facts.contents_pages)
    return [i for i, folio in enumerate(facts.folios) if folio is not None and i not in contents]


def _text_lines(facts: PdfFacts, index: int) -> list[Span]:
    """The page's lines inside the body frame at body-text size or more (no notes, no
    markers), top to bottom."""
    return [s for s in facts.spans(index) if s.size >= TEXT_MIN_SIZE and s.text.strip()
            and FRAME_BOTTOM - 3 < s.y < FRAME_TOP + 3]


# a. Empty pages ------------------------------------------------------------------------------

def empty_share(facts: PdfFacts, index: int) -> float:
    """The share of the body frame's height that is empty.

    Everything printed inside the frame covers the band of heights it spans: each text
    run from a quarter of its size below its baseline to 0.8 of it above (body text,
    headings, captions, cells and notes alike), each picture, each drawn shape (table
    backgrounds, rules, bands) and form by its bounds, clipped to the frame; a shape that
    spans the whole frame (a page background) covers nothing. The empty part is the sum
    of the blank bands (heights covered by nothing, across the whole width) taller than
    two body lines (28.4 pt): the space between lines, paragraphs, headings and pictures
    is never that tall, so only the room a reader sees as left empty counts. Divided by
    the frame's height (711.5 pt).
    """
    bands: list[tuple[float, float]] = []
    for run in facts.runs(index):
        if run.text.strip():
            bands.append((run.y - 0.25 * run.size, run.y + 0.8 * run.size))
    frame_height = FRAME_TOP - FRAME_BOTTOM
    for item in facts.drawn(index):
        l, b, r, t = item.left, item.bottom, item.right, item.top
        if r - l >= FRAME_RIGHT - FRAME_LEFT - 1 and t - b >= 0.9 * frame_height:
            continue  # a background under the whole text area
        if r > FRAME_LEFT and l < FRAME_RIGHT:
            bands.append((b, t))
    covered = sorted((max(b, FRAME_BOTTOM), min(t, FRAME_TOP)) for b, t in bands
                     if t > FRAME_BOTTOM and b < FRAME_TOP)
    empty, reached = 0.0, FRAME_BOTTOM  # the blank bands, bottom to top
    for b, t in covered + [(FRAME_TOP, FRAME_TOP)]:
        if b - reached > EMPTY_MIN_GAP:
            empty += b - reached
        reached = max(reached, t)
    return empty / frame_height


def starts_section(facts: PdfFacts, index: int) -> bool:
    """Whether the page opens with a section title, report title or group banner (in its first two lines)."""
    return any(abs(line.size - size) < 0.05 for line in _text_lines(facts, index)[:2] for size in SECTION_START_SIZES)


def empty_pages(facts: PdfFacts) -> list[PageWarning]:
    """Body pages more than 40% empty (``empty_share``). A page whose next page starts a
    new section, or is no body page (the contents, the back cover), is the last page of an
    article, which the issue allows: it is listed all the same, labelled so."""
    warnings = []
    pages = body_pages(facts)
    for index in pages:
        share = empty_share(facts, index)
        if share <= EMPTY_LIMIT:
            continue
        article_end = index + 1 not in pages or starts_section(facts, index + 1)
        if article_end:
            what = f"{share:.0%} empty (the last page of an article)"
            hint = "allowed at an article's end; lengthen or shorten the article to fill its pages"
        else:
            what = f"{share:.0%} empty"
            hint = "what follows did not fit the room left: shorten or move it, or fill the page"
        warnings.append(PageWarning(index, facts.folios[index], "empty page", what, hint))
    return warnings


# b. Hyphen runs ------------------------------------------------------------------------------

def _ends_in_broken_word(text: str) -> bool:
    """A line ending in a hyphen after a letter (a word broken at the line's end), not a dash."""
    text = text.rstrip()
    return len(text) >= 2 and text[-1] in HYPHENS and text[-2].isalpha()


def hyphen_runs(facts: PdfFacts) -> list[PageWarning]:
    """Three or more consecutive lines of body text (10 pt: paragraphs, items, quotes; not
    cells, captions or notes) in a column of a page that all end in a broken word, with those words."""
    warnings = []
    for index in body_pages(facts):
        for lines in _body_text_columns(facts, index):
            run: list[int] = []
            for position, line in enumerate(lines + [None]):
                if line is not None and _ends_in_broken_word(line):
                    run.append(position)
                    continue
                if len(run) >= HYPHEN_RUN:
                    words = [_broken_word(lines, p) for p in run]
                    warnings.append(PageWarning(
                        index, facts.folios[index], "hyphen run",
                        f"{len(run)} hyphenated line ends in a row ({', '.join(words)})",
                        "reword one of these lines so that a word in the middle is not broken"))
                run = []
    return warnings


def _body_text_columns(facts: PdfFacts, index: int) -> list[list[str]]:
    """The texts of the page's lines, a list per column, top to bottom, read by text run; a
    line of another size than the body's (a heading, a caption) is kept as a blank, which ends
    a run of hyphens. On a page in two columns, whose lines share baselines, a run belongs to
    the column its start is in."""
    if not _in_two_columns(facts, index):
        return [[line.text if abs(line.size - BODY_SIZE) < 0.3 else "" for line in _text_lines(facts, index)]]
    middle = (FRAME_LEFT + FRAME_RIGHT) / 2
    rows: list[dict[float, list[Span]]] = [{}, {}]
    for run in facts.runs(index):
        if run.text.strip() and FRAME_BOTTOM - 3 < run.y < FRAME_TOP + 3:
            rows[run.x >= middle].setdefault(round(run.y * 2) / 2, []).append(run)
    columns = []
    for column in rows:
        lines = []
        for baseline in sorted(column, reverse=True):
            runs = sorted(column[baseline], key=lambda r: r.x)
            body = abs(max(r.size for r in runs) - BODY_SIZE) < 0.3
            lines.append("".join(r.text for r in runs) if body else "")
        columns.append(lines)
    return columns


COLUMN_GAP = 1.4 * BODY_SIZE  # a gap this wide across the frame's middle parts two columns
TWO_COLUMN_ROWS = 3  # baselines with a second column's text that make a page's text two columns


def _in_two_columns(facts: PdfFacts, index: int) -> bool:
    """Whether the page's body text stands in two columns, as a letter too long for the text
    column does: on at least ``TWO_COLUMN_ROWS`` baselines, body text starts right of the
    frame's middle, or a gap wider than ``COLUMN_GAP`` spans the middle (a text-column line,
    however wide, starts at the frame's left and runs on without such a gap)."""
    middle = (FRAME_LEFT + FRAME_RIGHT) / 2
    rows: dict[float, list[Span]] = {}
    for run in facts.runs(index):
        if run.text.strip() and FRAME_BOTTOM - 3 < run.y < FRAME_TOP + 3:
            rows.setdefault(round(run.y * 2) / 2, []).append(run)
    second = 0
    for runs in rows.values():
        runs.sort(key=lambda r: r.x)
        body = [r for r in runs if abs(r.size - BODY_SIZE) < 0.3]
        if not body:
            continue
        starts_right = runs[0].x >= middle
        parted = any(b.x - a.right > COLUMN_GAP and a.right < middle < b.x for a, b in zip(runs, runs[1:]))
        second += starts_right or parted
    return second >= TWO_COLUMN_ROWS


def _broken_word(lines: list[str], position: int) -> str:
    head = lines[position].rstrip()[:-1].split()
    tail = lines[position + 1].split() if position + 1 < len(lines) else []
    word = f"{head[-1] if head else ''}-{tail[0] if tail else ''}"
    return word.strip(_PUNCTUATION)


_PUNCTUATION = ".,;:!?()[]\"'\u2018\u2019\u201c\u201d"


# c. Stranded headings ------------------------------------------------------------------------

def stranded_headings(facts: PdfFacts) -> list[PageWarning]:
    """A heading (title, report title, h2, h3 or group banner size) that is the last line of
    a page, with no picture below it there, while the next page goes on with its section
    (does not open with a section title or banner)."""
    warnings = []
    pages = body_pages(facts)
    for index in pages:
        if index + 1 not in pages:
            continue
        lines = _text_lines(facts, index)
        if not lines or not any(abs(lines[-1].size - size) < 0.05 for size in HEADING_SIZES):
            continue
        last = lines[-1]
        if any(item.kind == "image" and item.top < last.y for item in facts.drawn(index)):
            continue  # a picture follows the heading on its page
        if not _text_lines(facts, index + 1) or starts_section(facts, index + 1):
            continue
        # A heading of two lines: its lines at its size just above the last.
        text, below = [last.text.strip()], last
        for line in reversed(lines[:-1]):
            if abs(line.size - last.size) >= 0.05 or line.y - below.y > 1.6 * last.size:
                break
            text.insert(0, line.text.strip())
            below = line
        warnings.append(PageWarning(
            index, facts.folios[index], "stranded heading",
            f"the heading '{' '.join(text)[:60]}' ends the page; its text starts on the next",
            "a heading should stand with its first lines: a layout fault, please report it with the issue"))
    return warnings


# d. Low-resolution pictures ------------------------------------------------------------------

def low_resolution_pictures(facts: PdfFacts) -> list[PageWarning]:
    """Pictures (on every page) whose pixels, spread over the size they are placed at,
    come to fewer than 150 an inch across or down (rounded to a whole ppi: the email
    profile downsamples to 150 at the placed size, to the nearest pixel)."""
    warnings = []
    for index in range(len(facts.reader.pages)):
        for item in facts.drawn(index):
            if item.kind != "image" or min(item.placed) < 1:
                continue
            (pixels_x, pixels_y), (width_pt, height_pt) = item.pixels, item.placed
            ppi = min(pixels_x / (width_pt / 72), pixels_y / (height_pt / 72))
            if round(ppi) >= MIN_PPI:
                continue
            warnings.append(PageWarning(
                index, facts.folios[index], "low-resolution picture",
                f"a picture at {ppi:.0f} ppi ({pixels_x} x {pixels_y} pixels placed "
                f"{width_pt / MM:.0f} x {height_pt / MM:.0f} mm)",
                f"it will look soft; use a larger original (at least {math.ceil(width_pt / 72 * MIN_PPI)} pixels "
                f"across) or place it smaller"))
    return warnings


# e. Paragraph quality ------------------------------------------------------------------------

LOOSE_GAP = 0.5 * BODY_SIZE  # a word gap wider than half an em
MEASURE = (55, 75)  # characters a line (spaces included) that read well


@dataclass(frozen=True)
class ParagraphFigures:
    """How the body text is broken into lines, counted over its lines (body size, text column)."""

    lines: int
    hyphenated: int  # lines ending in a word broken by a hyphen
    longest_run: int  # the most such lines in a row on one page
    page_turns: int  # words broken across a page turn (a page's last body line hyphenated)
    fragments: int  # paragraphs' last lines that are only the end of a hyphenated word
    justified: int  # lines that reach the column's right edge
    loose: int  # of those, lines with a word gap over LOOSE_GAP
    measure: tuple[int, int, int] = (0, 0, 0)  # characters a full line: the median, and the middle 80%'s ends

    def __str__(self) -> str:
        share = self.hyphenated / self.lines if self.lines else 0.0
        loose = self.loose / self.lines if self.lines else 0.0
        median, low, high = self.measure
        return (f"{self.lines} body lines: a measure of {median} characters a line (80% of full lines {low}-{high}), "
                f"{share:.1%} end in a hyphen (at most {self.longest_run} in a row), "
                f"{self.page_turns} word{'s' if self.page_turns != 1 else ''} broken across a page turn, "
                f"{self.fragments} last line{'s' if self.fragments != 1 else ''} only a word fragment, "
                f"{loose:.1%} loose (a word gap over 0.5 em)")

    @property
    def measure_ok(self) -> bool:
        """Whether the median full line is within the readable measure (55-75 characters)."""
        return MEASURE[0] <= self.measure[0] <= MEASURE[1]


@dataclass(frozen=True)
class _Glyph:
    left: float
    right: float
    char: str
    size: float


def _body_glyph_lines(facts: PdfFacts, index: int) -> list[tuple[int, list[_Glyph]]]:
    """The page's lines of body text, each with its column (0: the text column, starting at
    the frame's left; 1: a second column, as a letter in two columns has) and its glyphs left
    to right with their advance boxes: lines in the body frame, mostly at body size."""
    text_page, (left, bottom) = facts.text_page(index), facts._origin(index)
    x, y, rect = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF()
    rows: dict[float, list[_Glyph]] = {}
    for i in range(text_page.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(text_page.raw, i)
        if code in (10, 13, 0xFFFE) or pdfium_c.FPDFText_IsGenerated(text_page.raw, i) == 1:
            continue
        pdfium_c.FPDFText_GetCharOrigin(text_page.raw, i, x, y)
        baseline = y.value - bottom
        if not FRAME_BOTTOM - 3 < baseline < FRAME_TOP + 3:
            continue
        pdfium_c.FPDFText_GetLooseCharBox(text_page.raw, i, rect)
        size = pdfium_c.FPDFText_GetFontSize(text_page.raw, i)
        rows.setdefault(round(baseline * 2) / 2, []).append(_Glyph(rect.left - left, rect.right - left, chr(code), size))
    middle = (FRAME_LEFT + FRAME_RIGHT) / 2
    two_columns = _in_two_columns(facts, index)
    lines = []
    for baseline in sorted(rows, reverse=True):
        glyphs = sorted(rows[baseline], key=lambda g: g.left)
        # On a page in two columns a glyph belongs to the column of its side of the middle
        # (as a text run does in ``_body_text_columns``).
        parts = [[g for g in glyphs if g.left < middle], [g for g in glyphs if g.left >= middle]] \
            if two_columns else [glyphs]
        for segment in parts:
            if not segment or not _mostly_body_size(segment):
                continue
            if segment[0].left < FRAME_LEFT + 0.4 * (FRAME_RIGHT - FRAME_LEFT):
                lines.append((0, segment))
            elif two_columns:
                lines.append((1, segment))
    return lines


def _mostly_body_size(glyphs: list[_Glyph]) -> bool:
    sizes = [g.size for g in glyphs if g.char.strip()]
    return bool(sizes) and sum(abs(size - BODY_SIZE) < 0.3 for size in sizes) * 2 > len(sizes)


def _word_gaps(glyphs: list[_Glyph]) -> list[float]:
    """The widths of the spaces between words at body size: from where a space starts to the
    next glyph (its own advance plus what justification added)."""
    gaps = []
    for i in range(1, len(glyphs) - 1):
        space, before, after = glyphs[i], glyphs[i - 1], glyphs[i + 1]
        if space.char == " " and before.char != " " and after.char != " " and \
                all(abs(g.size - BODY_SIZE) < 0.3 for g in (space, before, after)):
            gaps.append(after.left - space.left)
    return gaps


def paragraph_figures(facts: PdfFacts) -> ParagraphFigures:
    """The paragraph-quality figures of the body pages."""
    lines = hyphenated = longest = page_turns = fragments = justified = loose = 0
    full_lengths: list[int] = []
    for index in body_pages(facts):
        body = _body_glyph_lines(facts, index)
        if not body:
            continue
        right_edges = {column: max(line[-1].right for c, line in body if c == column) for column, _ in body}
        for column in sorted(right_edges):  # a column's lines, top to bottom
            lines_here = [line for c, line in body if c == column]
            texts = ["".join(g.char for g in line).rstrip() for line in lines_here]
            run = 0
            for number, (line, text) in enumerate(zip(lines_here, texts)):
                lines += 1
                if _ends_in_broken_word(text):
                    hyphenated += 1
                    run += 1
                    longest = max(longest, run)
                    page_turns += number == len(lines_here) - 1 and column == max(right_edges)
                else:
                    run = 0
                full = line[-1].right > right_edges[column] - 1.0
                gaps = _word_gaps(line)
                if full and gaps:
                    justified += 1
                    loose += max(gaps) > LOOSE_GAP
                if full:
                    full_lengths.append(len(text))
                if number and not full and " " not in text.strip() and _ends_in_broken_word(texts[number - 1]):
                    fragments += 1
    return ParagraphFigures(lines, hyphenated, longest, page_turns, fragments, justified, loose,
                            _median_and_middle(full_lengths))


def _median_and_middle(lengths: list[int]) -> tuple[int, int, int]:
    """The median of ``lengths`` and the ends of their middle 80% (the 10th and 90th percentiles)."""
    if not lengths:
        return (0, 0, 0)
    ordered = sorted(lengths)

    def at(share: float) -> int:
        return ordered[min(int(share * len(ordered)), len(ordered) - 1)]

    return at(0.5), at(0.1), at(0.9)
