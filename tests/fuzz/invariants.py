"""The layout invariants, read from the built PDF itself (PDFium for printed text and its
place, pypdf for links), for any issue (a generated one, or a hand-written regression).

a. it builds through the CLI with exit 0, so its own check passes;
b. every note starts on the page of its (first) marker, and a note that goes on is marked
   "N (continued)" at the foot of the next page, continuing one that began or went on
   the page before;
c. no text lies outside the text area (the running head's and the folio's bands are
   outside on purpose; the front cover is a page of its own, the back cover has its own
   frame), and no note overlaps body text;
d. nothing is lost: the opening words of every paragraph, list item, table cell, heading,
   caption and note appear in the PDF's text.

``check_issue(folder, out)`` runs them all and raises ``InvariantViolation`` (an
``AssertionError``) whose ``kind`` names the first broken invariant, for the fuzzer's
classification, and whose message says which page and which text.
"""

from __future__ import annotations

import re
import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from newsletter_pdf.cli import app
from newsletter_pdf.markdown import _PARSER  # the words sought are the words the project reads
from newsletter_pdf.layout.styles import MARGIN_BOTTOM, MARGIN_INNER, MARGIN_OUTER, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH

MM = 72 / 25.4
FRAME = (MARGIN_INNER, MARGIN_BOTTOM, PAGE_WIDTH - MARGIN_OUTER, PAGE_HEIGHT - MARGIN_TOP)
BACK_FRAME = (MARGIN_INNER, 50 * MM, PAGE_WIDTH - MARGIN_INNER, PAGE_HEIGHT - MARGIN_TOP)
BACK_BAND_TOP = 36 * MM  # the back cover's coloured band at the foot, with its own lines of text
HEAD_BAND = (PAGE_HEIGHT - MARGIN_TOP + 2 * MM, PAGE_HEIGHT - MARGIN_TOP + 14 * MM)  # running head (pages.py)
FOLIO_BAND = (MARGIN_BOTTOM - 15 * MM, MARGIN_BOTTOM - 7 * MM)  # the folio, 11 mm under the frame
SLACK_X, SLACK_Y = 2.5, 2.5  # ink may overhang a glyph's advance a little (italics: a Cyrillic у by 1.6 pt)
NOTE_SIZE = 8.0  # styles.note
BODY_MIN = 8.4  # body text, captions, headings, cells; markers (6.6 pt) and credits (7 pt) are smaller
OPENING_WORDS = 3



class InvariantViolation(AssertionError):
    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(f"[{kind}] {message}")


@dataclass
class Char:
    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float


def normalise(text: str) -> str:
    """Text as compared: NFKC (no ligatures), no whitespace (line ends, no-break spaces), no hyphens
    (line-end hyphenation: PDFium's text range gives a hyphen that ends a line inside a word as
    U+FFFE) nor en dashes (a range's "3 - 5" is set "3–5"), no zero-width
    characters, straight quotes, case folded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-"}))
    return re.sub(r"[\s\-\u00ad\u2010\u2011\x02\ufffe\u200b\u200c\u200d\u2060\ufeff]+", "", text).casefold()


# Building ------------------------------------------------------------------------------------

def build(folder: Path, out: Path) -> None:
    """Invariant a: ``newsletter build FOLDER -o OUT`` exits 0 (and so its own check passes)."""
    result = CliRunner().invoke(app, ["build", str(folder), "-o", str(out)])
    error = result.exception
    if error is not None and not isinstance(error, SystemExit):
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if "newsletter_pdf" in f.filename] or frames
        where = f"{Path(ours[-1].filename).name}:{ours[-1].name}"
        text = "".join(traceback.format_exception(error))
        raise InvariantViolation(f"crash-{type(error).__name__}-{where}",
                                 f"a. the build crashed: {type(error).__name__}: {str(error)[:300]}\n{text[-3000:]}")
    if result.exit_code == 2:
        first = next((l for l in result.stderr.splitlines() if l.strip()), "")
        what = re.sub(r"^.*?: [^:]*: ", "", first)  # FILE:LINE:COL: where: what
        raise InvariantViolation(f"refused-{_slug(what)}", f"a. a valid issue was refused (exit 2):\n{result.stderr[-3000:]}")
    if result.exit_code == 3 or "internal error" in result.stderr:
        line = next((l for l in result.stderr.splitlines() if "internal error" in l), result.stderr.strip()[:200])
        match = re.search(r": (\w+(?:Error|Exception|Exit|Interrupt)?): ?(.*)$", line)
        name, what = (match.group(1), match.group(2)) if match else ("unknown", line)
        raise InvariantViolation(f"internal-{name}-{_slug(what)[:40]}",
                                 f"a. the build stopped with an internal error (exit {result.exit_code}):\n{result.stderr[-3000:]}")
    if result.exit_code != 0:
        failed = [l[5:].split(":")[0].strip() for l in result.stderr.splitlines() if l.startswith("FAIL ")]
        raise InvariantViolation(f"check-{_slug(failed[0] if failed else 'unknown')}",
                                 f"a. the PDF failed its own checks (exit {result.exit_code}):\n{result.stderr[-3000:]}")


def _slug(text: str) -> str:
    text = re.sub(r"\[\^[^\]]*\]|'[^']*'|\"[^\"]*\"|\d+", "", text.lower())
    return re.sub(r"[^a-z]+", "-", text).strip("-")[:60] or "unknown"


# Reading the PDF -------------------------------------------------------------------------------

class Pdf:
    def __init__(self, path: Path) -> None:
        self.reader = PdfReader(str(path))
        self.document = pdfium.PdfDocument(str(path))
        self.chars: list[list[Char]] = []
        self.pictures: list[list[tuple[float, float, float, float]]] = []  # (left, bottom, right, top)
        self.texts: list[str] = []
        for index in range(len(self.document)):
            page = self.document[index]
            text_page = page.get_textpage()
            chars = []
            for i in range(text_page.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(text_page.raw, i)
                if code in (0, 10, 13, 0xFFFE) or pdfium_c.FPDFText_IsGenerated(text_page.raw, i) == 1:
                    continue
                char = chr(code)
                if not char.strip():
                    continue
                left, bottom, right, top = text_page.get_charbox(i)
                chars.append(Char(char, left, bottom, right, top, pdfium_c.FPDFText_GetFontSize(text_page.raw, i)))
            self.chars.append(chars)
            self.texts.append(text_page.get_text_range())
            self.pictures.append([obj.get_bounds() for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))])
            text_page.close()
            page.close()

    def close(self) -> None:
        self.document.close()

    def line_text(self, index: int, predicate) -> list[tuple[float, str]]:
        """Lines (top to bottom) of the page's characters that satisfy ``predicate``: (top, text)."""
        rows: dict[float, list[Char]] = {}
        for char in self.chars[index]:
            if predicate(char):
                rows.setdefault(round(char.bottom), []).append(char)
        return [(max(c.top for c in rows[k]), "".join(c.text for c in sorted(rows[k], key=lambda c: c.left)))
                for k in sorted(rows, reverse=True)]


def _is_note(char: Char) -> bool:
    return abs(char.size - NOTE_SIZE) < 0.05


def _is_body(char: Char) -> bool:
    return char.size >= BODY_MIN


def contents_pages(pdf: Pdf) -> set[int]:
    pages = set()
    for index, text in enumerate(pdf.texts):
        if "Contents" in text[:300] and re.search(r"(?:\.\s*){3,}\d", text):
            pages.add(index)
    return pages


# Invariant b -------------------------------------------------------------------------------

def check_notes(pdf: Pdf) -> None:
    """Each note starts on its first marker's page; "N (continued)" follows a note begun or continued the page before."""
    skip = contents_pages(pdf)
    notes: dict[tuple[int, float], list[tuple[int, str]]] = {}  # (note page, note y) -> [(marker page, number)]
    for index, page in enumerate(pdf.reader.pages):
        if index in skip:
            continue
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if annotation.get("/Subtype") != "/Link" or not destination or len(destination) < 4:
                continue
            # A note marker is a link the PDF describes as "Note N" (/Contents, as a screen reader
            # reads it); where it leads is checked below against the note printed there.
            description = str(annotation.get("/Contents", ""))
            under = description[5:] if description.startswith("Note ") and description[5:].isdigit() else ""
            if not under:
                continue  # an internal link that is not a note marker
            target = pdf.reader.get_page_number(destination[0].get_object())
            notes.setdefault((target, round(float(destination[3]), 1)), []).append((index, under))
    starts: dict[int, set[str]] = {}
    for (target, top), markers in sorted(notes.items()):
        first_page, number = min(markers)
        if target != first_page:
            raise InvariantViolation("note-not-on-marker-page",
                                     f"b. note {number}, marked on PDF page {first_page + 1}, starts on PDF page {target + 1}")
        lines = pdf.line_text(target, lambda c: _is_note(c) and top - 14 <= c.bottom <= top + 2)
        if not any(normalise(text).startswith(number) for _, text in lines):
            raise InvariantViolation("note-missing-at-target",
                                     f"b. no note {number} is printed where its marker on PDF page {first_page + 1} "
                                     f"points (PDF page {target + 1}, y={top:.0f}); note lines there: {lines[:3]}")
        starts.setdefault(target, set()).add(number)
    continued: dict[int, set[str]] = {}
    for index in range(len(pdf.chars)):
        for _, text in pdf.line_text(index, _is_note):
            match = re.match(r"(\d+)\(continued\)", normalise(text))
            if match:
                continued.setdefault(index, set()).add(match.group(1))
    for index, numbers in sorted(continued.items()):
        for number in numbers:
            if number not in starts.get(index - 1, set()) | continued.get(index - 1, set()):
                raise InvariantViolation("note-continued-without-start",
                                         f"b. PDF page {index + 1} continues note {number}, which neither starts nor "
                                         f"goes on on PDF page {index}")


# Invariant c -------------------------------------------------------------------------------

def check_text_area(pdf: Pdf, has_back_cover: bool) -> None:
    last = len(pdf.chars) - 1
    for index, chars in enumerate(pdf.chars):
        if index == 0:
            continue  # the front cover: a full-page frame of its own
        back = has_back_cover and index == last
        left, bottom, right, top = BACK_FRAME if back else FRAME
        for char in chars:
            middle = (char.bottom + char.top) / 2
            if back and char.top <= BACK_BAND_TOP:
                continue
            if not back and (HEAD_BAND[0] <= middle <= HEAD_BAND[1] or FOLIO_BAND[0] <= middle <= FOLIO_BAND[1]):
                continue
            if char.left < left - SLACK_X or char.right > right + SLACK_X or char.bottom < bottom - SLACK_Y \
                    or char.top > top + SLACK_Y:
                context = "".join(c.text for c in chars if abs(c.bottom - char.bottom) < 1)[:60]
                side = ("left" if char.left < left - SLACK_X else "right" if char.right > right + SLACK_X
                        else "bottom" if char.bottom < bottom - SLACK_Y else "top")
                raise InvariantViolation(f"text-outside-frame-{side}",
                                         f"c. text outside the text area on PDF page {index + 1}: {char.text!r} at "
                                         f"x={char.left:.1f}..{char.right:.1f}, y={char.bottom:.1f}..{char.top:.1f} "
                                         f"(frame x={left:.1f}..{right:.1f}, y={bottom:.1f}..{top:.1f}), line {context!r}")
        notes = [c for c in chars if _is_note(c) and c.bottom > FRAME[1] - SLACK_Y]
        if not notes or back:
            continue
        note_top = max(c.top for c in notes)
        overlapping = [c for c in chars if _is_body(c) and FRAME[1] - SLACK_Y < c.bottom < note_top - 1.0]
        if overlapping:
            c = overlapping[0]
            line = "".join(x.text for x in chars if _is_body(x) and abs(x.bottom - c.bottom) < 1)[:60]
            raise InvariantViolation("note-overlaps-body",
                                     f"c. body text {line!r} (y={c.bottom:.1f}) lies below the top of the notes "
                                     f"(y={note_top:.1f}) on PDF page {index + 1}")


# Invariant d -------------------------------------------------------------------------------

def openings(issue: dict) -> list[tuple[str, str]]:
    """(where, opening words) of every paragraph, list item, cell, heading, caption and note of every body."""
    bodies = []
    if issue.get("foreword"):
        bodies.append(("foreword", issue["foreword"].get("body") or ""))
    for i, entry in enumerate(issue.get("sections") or []):
        for j, section in enumerate(entry.get("sections", [entry])):
            name = f"sections[{i}]" + (f".sections[{j}]" if "group" in entry else "")
            bodies.append((name, section.get("body") or ""))
    out = []
    for name, body in bodies:
        tokens = _PARSER.parse(body, {})
        kind = "paragraph"
        for token in tokens:
            if token.type in ("th_open", "td_open"):
                kind = "table cell"
            elif token.type == "heading_open":
                kind = "heading"
            elif token.type == "footnote_open":
                kind = "note"
            elif token.type == "list_item_open":
                kind = "list item"
            elif token.type == "paragraph_open" and kind not in ("note", "list item"):
                kind = "paragraph"
            if token.type != "inline":
                continue
            for where, text in _inline_openings(token):
                if normalise(text):
                    out.append((f"{name}: {kind if where == 'text' else where}", text))
            if kind in ("list item", "heading"):
                kind = "paragraph"
    return out


def _inline_openings(token) -> list[tuple[str, str]]:
    """The opening words of an inline token's text (up to its first note marker, whose number the
    PDF prints in between), then those of each picture caption in it."""
    found: list[tuple[str, str]] = []
    words: list[str] = []
    done = False
    for child in token.children or []:
        if child.type == "image":
            found += [("caption", text) for _, text in _inline_openings(child)[:1]]
            continue
        if done:
            continue
        if child.type in ("text", "code_inline"):
            words += child.content.split()
        elif child.type == "footnote_ref":
            done = True
        if len(words) >= OPENING_WORDS:
            done = True
    if words:
        found.insert(0, ("text", " ".join(words[:OPENING_WORDS])))
    return found


def check_nothing_lost(pdf: Pdf, issue: dict) -> None:
    everything = normalise("".join(pdf.texts))
    for where, text in openings(issue):
        if normalise(text) in everything:
            continue
        # A table row taller than the room on a page is split inside: its cells go on on the next
        # page, after the other cells of the row, so their opening words may be parted there.
        if "table cell" in where and all(normalise(word) in everything for word in text.split()):
            head = normalise(text.split()[0])
            if any(head in normalise(page) for page in pdf.texts):
                continue
        if _across_a_page_turn(normalise(text), [normalise(page) for page in pdf.texts]):
            continue
        raise InvariantViolation("text-lost", f"d. {where}: the opening words {text!r} are nowhere in the PDF")


def _across_a_page_turn(opening: str, pages: list[str]) -> bool:
    """Whether ``opening`` begins at least a few characters into one page and goes on on the next
    (a paragraph that runs across a page turn: the page's notes stand between its parts in the
    extracted text)."""
    least = min(8, len(opening) // 2)
    for here, there in zip(pages, pages[1:]):
        for cut in range(least, len(opening)):
            if opening[:cut] in here and opening[cut:] in there:
                return True
    return False


# All -------------------------------------------------------------------------------------

# Invariant e -------------------------------------------------------------------------------

HEADING_SIZES = (13.0, 15.5, 22.0)  # styles.h2, report_title, title
SECTION_START_SIZES = (11.0, 15.5, 22.0)  # group banner, report title, title (under an 8.5 pt kind label)
# A heading taller than this (keeps.MAX_START) is not moved on to stay with what follows: by design
# it may end a page (on the next it would leave as much white, and push everything on).
MAX_KEPT_HEAD = 0.4 * (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)


def _body_lines(pdf: Pdf, index: int) -> list[tuple[float, float]]:
    """(bottom, largest size) of the page's body lines, top to bottom: inside the frame, not notes."""
    rows: dict[int, float] = {}
    for char in pdf.chars[index]:
        middle = (char.bottom + char.top) / 2
        if _is_body(char) and FRAME[1] - SLACK_Y < char.bottom and not HEAD_BAND[0] <= middle <= HEAD_BAND[1]:
            key = round(char.bottom)
            rows[key] = max(rows.get(key, 0.0), char.size)
    return sorted(rows.items(), reverse=True)


def check_keeps(pdf: Pdf, has_back_cover: bool) -> None:
    """A heading is never the last thing on a page (no line, no picture below it) whose next page
    goes on with its section."""
    skip = contents_pages(pdf)
    last = len(pdf.chars) - (2 if has_back_cover else 1)
    for index in range(1, last):
        if index in skip:
            continue
        lines, following = _body_lines(pdf, index), _body_lines(pdf, index + 1)
        if not lines or not following:
            continue
        size = lines[-1][1]
        if any(top < lines[-1][0] for _, _, _, top in pdf.pictures[index]):
            continue  # a picture follows the heading on its page
        starts_section = any(abs(line[1] - s) < 0.05 for line in following[:2] for s in SECTION_START_SIZES)
        # The lines of the heading that ends the page, from its first line down.
        first = lines[-1][0]
        for bottom, line_size in reversed(lines[:-1]):
            if abs(line_size - size) >= 0.05 or bottom - first > 1.6 * size:
                break
            first = bottom
        tall = first - lines[-1][0] + size > MAX_KEPT_HEAD
        if any(abs(size - h) < 0.05 for h in HEADING_SIZES) and not starts_section and not tall:
            text = "".join(c.text for c in pdf.chars[index] if abs(c.bottom - lines[-1][0]) < 6 and _is_body(c))[:60]
            raise InvariantViolation("heading-stranded",
                                     f"e. the heading {text!r} ends PDF page {index + 1}; what follows it is on the next")


def check_built(pdf_path: Path, issue: dict) -> None:
    pdf = Pdf(pdf_path)
    try:
        check_notes(pdf)
        check_text_area(pdf, bool(issue.get("back_cover")))
        check_nothing_lost(pdf, issue)
        check_keeps(pdf, bool(issue.get("back_cover")))
    finally:
        pdf.close()


def check_issue(folder: Path, out: Path | None = None) -> None:
    """Build the issue in ``folder`` and check every invariant; raises ``InvariantViolation``."""
    out = out or folder / "out.pdf"
    build(folder, out)
    issue = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    check_built(out, issue)
