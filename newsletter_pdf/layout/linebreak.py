"""Line-break opportunities ReportLab does not know, and how the project's paragraphs honour them.

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
* :func:`split_words` is the project's word splitting: ReportLab's frag words, each
  cut at its ``wbr`` markers into pieces with no space between them, runs in a shaped
  face shaped (:mod:`.shaping`), the two marker kinds dropped. The project's
  ``Paragraph.breakLines`` (``paragraph.py``) hands these words to ReportLab's line
  breaker, as ReportLab does itself for a paragraph it has broken before.
* :func:`adjust_justification` runs on the lines found: justification spreads a line's
  slack over its real spaces only (ReportLab counts words); a line holding Chinese or
  Japanese is spaced out between its characters instead, and a Korean or other line whose
  spaces would pass ``MAX_WORD_GAP`` spreads the rest over its letters (character spacing,
  set by ``letterspace`` callbacks the project's ``Paragraph.draw`` registers); a justified
  line whose spaces would still stretch to more than ``LOOSE_SPACE`` times their width is
  set ragged.

Nothing in ReportLab is replaced: the internals used (frag words, ``FragLine``) are
reached through :mod:`.compat`; ``tests/test_typography.py`` checks the result in the PDF.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from . import compat
from .notes import MARKER_CALLBACK
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


# Word splitting and justification for the project's Paragraph --------------------------------------

_MARKERS = (WBR, SHAPE)
# Set on a fragment that was cut at a ``wbr``: its line's spaces are counted afresh.
JOINED = "newsletter_joined"


def _marker(frag) -> str | None:
    name = compat.frag_callback_name(frag)
    return name if name in _MARKERS else None


def _font(frag):
    name = getattr(frag, "fontName", None)
    return getFont(name) if name is not None else None


def needs_split(frags, max_width=None) -> bool:
    """Whether parsed fragments hold break or shaping markers, or text in a shaped face, or a
    note marker in a word wider than ``max_width`` (see :func:`_apart_from_markers`)."""
    if compat.frags_are_words(frags):
        return False  # a split part's, or an already broken paragraph's, words: done
    if any(_marker(f) or isinstance(_font(f), ShapedTTFont) for f in frags):
        return True
    if max_width is None or not any(_is_note_marker(f) for f in frags):
        return False
    return any(_too_wide_with_marker(word, max_width) for word in compat.frag_words(frags, max_width))


def split_words(frags, max_width=None) -> list:
    """The frag words of parsed fragments, cut at their ``wbr`` markers and shaped (see module doc);
    a word wider than ``max_width`` is cut before its note markers."""
    out = []
    for word in compat.frag_words(frags, max_width):
        if any(_marker(f) or isinstance(_font(f), ShapedTTFont) for f, _ in word[1:]):
            pieces = _rework(word)
        else:
            pieces = [word]
        for piece in pieces:
            out.extend(_apart_from_markers(piece) if _too_wide_with_marker(piece, max_width) else [piece])
    return out


def _is_note_marker(frag) -> bool:
    return compat.frag_callback_name(frag) == MARKER_CALLBACK


def _too_wide_with_marker(word, max_width) -> bool:
    return max_width is not None and word[0] > max_width and any(_is_note_marker(f) for f, _ in word[1:])


def _apart_from_markers(word) -> list:
    """A word too wide for the line, cut before each note marker (its raised number and the
    callback after it), so that ReportLab's cutting of a long word into lines never parts the
    number's figures (the part on one page would show the marker, the next its note)."""
    parts = word[1:]
    cuts = set()
    for index, (frag, _) in enumerate(parts):
        if _is_note_marker(frag):
            start = index
            while start > 0 and getattr(parts[start - 1][0], "rise", 0) and not _is_note_marker(parts[start - 1][0]):
                start -= 1
            if start > 0:
                cuts.add(start)
    if not cuts:
        return [word]
    pieces, current = [], []
    for index, part in enumerate(parts):
        if index in cuts and current:
            pieces.append(current)
            current = []
        current.append(part)
    pieces.append(current)
    out = []
    for number, piece in enumerate(pieces):
        width = 0.0
        for frag, text in piece:
            setattr(frag, JOINED, True)
            width += compat.frag_callback_width(frag) if compat.frag_callback(frag) is not None else \
                stringWidth(text, frag.fontName, frag.fontSize)
        klass = type(word) if number == len(pieces) - 1 else list
        out.append(klass([width] + piece))
    return out


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
    shy = compat.is_soft_hyphen_word(word)
    out = []
    for index, piece in enumerate(pieces):
        width = 0.0
        parts = []
        for frag, text in piece:
            if len(pieces) > 1:
                setattr(frag, JOINED, True)
            font = _font(frag) if text else None
            if isinstance(font, ShapedTTFont) and not shy:
                shaped, advance = font.shape(text)
                parts.append((frag, shaped))
                width += advance * frag.fontSize / 1000
            else:
                parts.append((frag, text))
                width += compat.frag_callback_width(frag) if compat.frag_callback(frag) is not None else \
                    stringWidth(text, frag.fontName, frag.fontSize)
        last = index == len(pieces) - 1
        klass = type(word) if last else list
        out.append(klass([width] + parts))
    return out


def adjust_justification(style, paragraph_lines):
    """Count a line's real spaces for justification, space out lines holding CJK and lines
    too loose for their word spaces alone between their letters, and set justified lines
    too loose even so ragged."""
    frag_lines, lines = compat.lines_of(paragraph_lines)
    if not lines:
        return paragraph_lines
    justified = style.alignment == TA_JUSTIFY
    space = stringWidth(" ", style.fontName, style.fontSize) if justified else 0
    if frag_lines:
        last = len(lines) - 1
        for number, line in enumerate(lines):
            texts = compat.frag_line_texts(line)
            if any(getattr(w, JOINED, False) for w in compat.frag_line_words(line)):
                compat.set_frag_line_word_count(line, sum(t.count(" ") for t in texts) + 1)
            if justified and number < last and not compat.frag_line_breaks(line):
                gaps = compat.frag_line_word_count(line) - 1 + sum(t.count("\u00a0") for t in texts)
                if _spread_letters(line, texts, gaps, space, style.fontSize):
                    continue
                if gaps > 0 and compat.line_slack(line) / gaps > (LOOSE_SPACE - 1) * space:
                    compat.set_frag_line_ragged(line)
    elif justified:
        for number, line in enumerate(lines[:-1]):
            words = compat.simple_line_words(line)
            gaps = len(words) - 1 + sum(w.count("\u00a0") for w in words)
            if gaps > 0 and compat.line_slack(line) / gaps > (LOOSE_SPACE - 1) * space:
                lines[number] = compat.ragged_simple_line(line)
    return paragraph_lines


# Letter spacing for lines that hold CJK ----------------------------------------------------------

# Chinese and Japanese are justified between characters (JIS X 4051): a line's slack is
# spread over the glyphs of its CJK runs as character spacing (``Tc``); its Latin words keep
# their spacing. Korean is justified at its word spaces; its words are long, so a line whose
# spaces would widen past MAX_WORD_GAP ems spreads the rest over the letters of its Korean
# runs rather than being set ragged. Any other line stretched that far (the total-fit
# breaker allows it, to save a hyphen: ``breaking.PASSES``) does the same over all its
# letters, by at most MAX_LATIN_LETTER_SPACE.
LETTER_SPACE = "letterspace"
MAX_WORD_GAP = 0.48  # ems: the widest word space, a touch under a loose line's (a gap over 0.5 em)
MAX_LETTER_SPACE = 0.1  # ems: more than this between letters and the line is left as it was
# A line in other scripts whose word spaces would be wider than MAX_WORD_GAP (a loose line)
# spreads the rest over its letters too, up to this (a hundredth of an em: invisible).
MAX_LATIN_LETTER_SPACE = 0.01
_SPACED_BETWEEN_CHARACTERS = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\U00020000-\U0003ffff]")
_CJK_LETTER = re.compile(f"{_SPACED_BETWEEN_CHARACTERS.pattern}|[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af]")


def _spread_letters(line, texts: list[str], gaps: int, space: float, em: float) -> bool:
    """Spread part of a justified line's slack over its letters; whether it did (see above).
    Lines with a run in a shaped face (its marks would drift from their bases), or with a
    link, underline or background (ReportLab places those by its own count of the line's
    advance, which knows no letter spacing) are left to their word spaces."""
    slack = compat.line_slack(line)
    if slack <= 1e-6:
        return False
    cjk = any(_CJK_LETTER.search(t) for t in texts)
    between_characters = cjk and any(_SPACED_BETWEEN_CHARACTERS.search(t) for t in texts)
    if between_characters:
        word_gap, limit = 0.0, MAX_LETTER_SPACE * em
    else:  # Korean, or any other line: word spaces first
        word_gap = max(MAX_WORD_GAP * em - space, 0.0)
        limit = (MAX_LETTER_SPACE if cjk else MAX_LATIN_LETTER_SPACE) * em
        if slack <= word_gap * gaps or (not gaps and not cjk):
            return False
    words = compat.frag_line_words(line)
    drawn = [w for w in words if compat.frag_callback(w) is None]
    if any(isinstance(_font(w), ShapedTTFont) or compat.frag_is_decorated(w) for w in drawn):
        return False

    def spaced(word) -> bool:
        text = getattr(word, "text", "") or ""
        return bool(text) and (not cjk or bool(_CJK_LETTER.search(text)))

    # Character spacing follows every glyph of a spaced run (after the line's last glyph it
    # moves nothing); a space in such a run takes it too, and the word spacing that much less.
    text_words = [w for w in drawn if getattr(w, "text", "")]
    letters = 0
    for number, word in enumerate(text_words):
        if spaced(word):
            last = number == len(text_words) - 1
            letters += len(word.text.rstrip() if last else word.text) - (1 if last else 0)
    if word_gap:  # each space takes word_gap in all, less the character spacing of a spaced run's
        letters -= gaps
    if letters <= 0:
        return False
    if between_characters:
        # As the total-fit breaker counts them (``breaking.MAX_GAP``, ``breaking.CJK_STRETCH``):
        # a word space of a Latin word in the line stretches by up to half an em, a gap between
        # two characters by a twentieth; the slack is shared in that proportion.
        ratio = slack / (gaps * max(0.5 * em - space, 0.0) + letters * 0.05 * em)
        char_space = ratio * 0.05 * em
        word_share = slack - char_space * letters
    else:
        char_space = (slack - word_gap * gaps) / letters
        word_share = (word_gap - char_space) * gaps
    if char_space > limit:
        return False
    out = []
    for word in words:
        if compat.frag_callback(word) is None and spaced(word):
            out += [compat.callback_frag(word, LETTER_SPACE, f"{char_space:.4f}"), word,
                    compat.callback_frag(word, LETTER_SPACE, "0")]
        else:
            out.append(word)
    compat.frag_line_set_extra_space(line, word_share)
    compat.set_frag_line_words(line, out)
    return True


def set_letter_space(canvas, kind, label) -> None:
    """The ``letterspace`` callback: character spacing from here on in the line being drawn."""
    compat.text_object_in_callback(canvas).setCharSpace(float(label))
