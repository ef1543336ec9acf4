"""Line-break opportunities ReportLab does not know, and the patch that makes it honour them.

ReportLab breaks lines only at spaces (and hyphenates Latin words). Thai, Lao, Khmer
and Myanmar put no spaces between words; Chinese and Japanese break between
characters, except before closing and after opening punctuation; a URL breaks after a
slash. So:

* :func:`break_positions` finds the break opportunities in a text: ICU's line breaker
  (``icu4py``: dictionary-based for Thai, Lao, Khmer and Myanmar, UAX #14 with the CJK
  rules elsewhere) where a script without spaces is on either side, and the usual
  places in URLs and e-mail addresses.
* :mod:`.fonts` writes each one as ``<onDraw name="wbr"/>`` into the paragraph markup
  (a tag, so it never reaches a PDF outline or the text: ``doctemplate._plain`` drops
  tags), and ``<onDraw name="shape"/>`` at the start of a run in a face that must be
  shaped (so a one-run paragraph still takes ReportLab's fragment path).
* :func:`install` wraps ReportLab's ``_getFragWords``: a word is cut at each ``wbr``
  into pieces with no space between them, runs in a shaped face are shaped
  (:mod:`.shaping`), and the two marker kinds are dropped. It also wraps
  ``Paragraph.breakLines``: justification spreads a line's slack over its real spaces
  only (ReportLab counts words), and a justified line whose spaces would stretch to more
  than ``LOOSE_SPACE`` times their width is set ragged instead.

This relies on ReportLab internals (fragment words, ``FragLine``), like the footnotes;
reportlab is pinned exactly and ``tests/test_typography.py`` checks the result in the PDF.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl_paragraph

from .shaping import ShapedTTFont

WBR = "wbr"
SHAPE = "shape"
WBR_TAG = f'<onDraw name="{WBR}"/>'
SHAPE_TAG = f'<onDraw name="{SHAPE}"/>'

# A justified line whose spaces would be wider than this many normal spaces is set ragged.
LOOSE_SPACE = 2.5

# Scripts written without spaces between words, or broken between characters.
_NO_SPACE = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff"  # Myanmar
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\U00020000-\U0003ffff"  # CJK (not Hangul: Korean has spaces)
)
_NO_SPACE_CHAR = re.compile(f"[{_NO_SPACE}]")
_URL = re.compile(r"(?:https?://|ftp://|mailto:|www\.)[^\s<>\"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)


def break_positions(text: str, language: str = "en") -> set[int]:
    """Indices ``i`` where a line may break before ``text[i]`` that ReportLab would not see."""
    found: set[int] = set()
    if _NO_SPACE_CHAR.search(text):
        found |= _script_breaks(text, language)
    if "." in text or "@" in text:
        for match in _URL.finditer(text):
            found |= _url_breaks(match.group(), match.start())
    return found


def _script_breaks(text: str, language: str) -> set[int]:
    out = set()
    for start, _ in _line_segments(text, language):
        if 0 < start < len(text):
            before, after = text[start - 1], text[start]
            if before.isspace() or after.isspace():
                continue
            if _NO_SPACE_CHAR.match(before) or _NO_SPACE_CHAR.match(after):
                out.add(start)
    return out


@lru_cache(maxsize=4096)
def _line_segments(text: str, language: str) -> tuple[tuple[int, int], ...]:
    from icu4py.breakers import LineBreaker  # only issues with such scripts load ICU

    return tuple(LineBreaker(text, language.replace("-", "_") or "en").segments())


def _url_breaks(url: str, offset: int) -> set[int]:
    """Break after ``//``, ``@`` or ``:``, before a single ``/`` or ``.`` ``-`` ``_`` ``?`` ``#`` ``%`` ``~``,
    before and after ``=`` and ``&`` (Chicago Manual of Style): never inside a run of letters,
    never in the first or last three characters."""
    out = set()
    n = len(url)
    for i in range(1, n):
        before, after = url[i - 1], url[i]
        if before == "/" and after == "/":
            continue
        ok = (before in "@:=&" or (before == "/" and i >= 2 and url[i - 2] == "/")
              or after in "/.-_?#%~=&")
        if ok and 3 <= i <= n - 3:
            out.add(offset + i)
    return out


# The ReportLab patch ---------------------------------------------------------------------------

_original_get_frag_words = rl_paragraph._getFragWords
_original_break_lines = rl_paragraph.Paragraph.breakLines
_MARKERS = (WBR, SHAPE)


def _marker(frag) -> str | None:
    definition = getattr(frag, "cbDefn", None)
    name = getattr(definition, "name", None) if definition is not None else None
    return name if name in _MARKERS else None


def _get_frag_words(frags, maxWidth=None):
    words = _original_get_frag_words(frags, maxWidth)
    if rl_paragraph._processed_frags(frags):
        return words  # a split paragraph's words: already done
    out = []
    for word in words:
        if any(_marker(f) or isinstance(_font(f), ShapedTTFont) for f, _ in word[1:]):
            out.extend(_rework(word))
        else:
            out.append(word)
    return out


def _font(frag):
    name = getattr(frag, "fontName", None)
    if name is None:
        return None
    from reportlab.pdfbase.pdfmetrics import getFont

    return getFont(name)


def _rework(word) -> list:
    """``word`` cut at its ``wbr`` markers, its runs in shaped faces shaped, the markers dropped."""
    pieces: list[list] = [[]]
    for frag, text in word[1:]:
        kind = _marker(frag)
        if kind == WBR:
            if pieces[-1]:
                pieces.append([])
        elif kind is None:
            pieces[-1].append((frag, text))
    pieces = [p for p in pieces if p]
    if not pieces:
        return []
    shy = isinstance(word, rl_paragraph._SHYWord)
    out = []
    for index, piece in enumerate(pieces):
        width = 0.0
        parts = []
        for frag, text in piece:
            if len(pieces) > 1:
                frag._joined = True  # its lines' spaces are counted afresh (see _break_lines)
            font = _font(frag) if text else None
            if isinstance(font, ShapedTTFont) and not shy:
                shaped, advance = font.shape(text)
                parts.append((frag, shaped))
                width += advance * frag.fontSize / 1000
            else:
                parts.append((frag, text))
                definition = getattr(frag, "cbDefn", None)
                width += getattr(definition, "width", 0) if definition is not None else \
                    stringWidth(text, frag.fontName, frag.fontSize)
        last = index == len(pieces) - 1
        klass = type(word) if last else list
        out.append(klass([width] + parts))
    return out


def _break_lines(self, width):
    paragraph_lines = _original_break_lines(self, width)
    lines = paragraph_lines.lines
    if not lines:
        return paragraph_lines
    style = self.style
    justified = style.alignment == TA_JUSTIFY
    space = stringWidth(" ", style.fontName, style.fontSize) if justified else 0
    if paragraph_lines.kind == 1:
        last = len(lines) - 1
        for number, line in enumerate(lines):
            texts = [w.text for w in line.words if not hasattr(w, "cbDefn") and hasattr(w, "text")]
            if any(getattr(w, "_joined", False) for w in line.words):
                line.wordCount = sum(t.count(" ") for t in texts) + 1
            if justified and number < last and not line.lineBreak:
                gaps = line.wordCount - 1 + sum(t.count("\u00a0") for t in texts)
                if gaps > 0 and line.extraSpace / gaps > (LOOSE_SPACE - 1) * space:
                    line.lineBreak = True  # drawn ragged
    elif justified:
        for number, line in enumerate(lines[:-1]):
            extra, words = line
            gaps = len(words) - 1 + sum(w.count("\u00a0") for w in words)
            if gaps > 0 and extra / gaps > (LOOSE_SPACE - 1) * space:
                lines[number] = (0, words)  # drawn ragged
    return paragraph_lines


def install() -> None:
    """Patch ReportLab once (idempotent)."""
    from . import shaping

    shaping.install()
    if rl_paragraph._getFragWords is not _get_frag_words:
        rl_paragraph._getFragWords = _get_frag_words
        rl_paragraph.Paragraph.breakLines = _break_lines
