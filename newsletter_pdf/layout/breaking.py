"""A justified paragraph broken into lines as a whole (total fit), in ReportLab's line structures.

The project's ``Paragraph.breakLines`` (``paragraph.py``) calls :func:`break_justified`
with the paragraph's frag words (``linebreak.split_words``: cut at Thai, CJK and URL
break opportunities, shaped runs shaped). Here:

1. the words become boxes, glue and penalties (:mod:`.totalfit`): a word is a box, the
   space after it glue that may stretch to ``MAX_GAP`` ems and shrink by ``SHRINK`` of
   itself; a cut between two words with no space (a URL's break point, between Chinese
   or Thai characters) a penalty; a ``<br/>`` a forced break. With hyphenation
   (the style's ``hyphenationLang`` callable), a word's hyphenation points are penalties
   too: a hyphen, a break after a hyphen the word holds, and (dearer) a hyphenation
   inside a word that holds a hyphen already;
2. the breaks are chosen in passes, as TeX does: without hyphenation first, where
   every line keeps its spaces between their shrunk width and ``MAX_GAP``; then with
   hyphenation and slightly looser lines, a hyphen weighed against a loose line; then with
   looser lines allowed. When none succeeds (a word wider than the
   line, a narrow table cell) the caller sets the paragraph as before (greedy, ragged
   where too loose);
3. the words of each line are handed to ReportLab's own breaker, one line at a time, to
   make that line's ``FragLine`` as it would (fonts, spaces, ascent, links); a word cut at
   a hyphen keeps ReportLab's split classes (see ``compat.hyphenated_pieces``).

The choice depends only on the words, the style and the line widths, so it is cached by
(markup, style, widths): the same text at the same width (a paragraph measured again
after a restyle, an issue that repeats a section) is broken once.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import compat, totalfit
from .linebreak import LOOSE_SPACE
from .totalfit import FORCED, Box, Glue, Penalty, Settings

# A word space stretches to at most this many ems (the limit for a loose line is
# a gap over 0.5 em) and shrinks by at most this share of its width. A line that must stretch
# further (up to the second pass's tolerance) has its spaces at MAX_GAP and the rest spread
# over its letters, at most a hundredth of an em each (``linebreak.adjust_justification``):
# no wider spaces, and a hyphen fewer.
MAX_GAP = 0.5
SHRINK = 0.5
# Penalties (squared into demerits, as a line's badness plus 10 is): a hyphen; a break
# after a hyphen the word holds; a hyphenation inside a word that holds a hyphen (only
# when nothing else fits); a break at a URL's break point. A hyphen (160000) weighs more
# than a line stretched past MAX_GAP (LOOSE_DEMERITS plus its badness, about 60000 at the
# tolerance): a hyphen is taken where no breaking without one keeps within the tolerance.
HYPHEN_COST = 400.0
EXPLICIT_HYPHEN_COST = 50.0
INSIDE_HYPHENATED_COST = 1000.0
URL_BREAK_COST = 100.0
SHORT_LAST_LINE = 1.5  # ems
# Between two characters of a script written without spaces (Chinese, Japanese, Thai) a line
# may end at no cost; it is counted as a space that stretches by this many ems. A Chinese or
# Japanese line is then spaced out between its characters to the measure
# (``linebreak.adjust_justification``); a Thai line, whose marks must stay on their bases,
# keeps its slack in its real spaces, if any, or at its end.
CJK_STRETCH = 0.05
# The passes: (hyphenate, tolerance). Tolerance 1: no space wider than MAX_GAP. The second
# weighs hyphens against lines stretched a little further (their letters spaced, see
# MAX_GAP), in one go. The last pass takes any line that fits, rather than nothing (a URL,
# long Korean words): a line too loose to justify is set ragged (``linebreak.LOOSE_SPACE``),
# and costs the same however loose, so that there are as few of them as can be.
PASSES = ((False, 1.0), (True, 1.25), (True, float("inf")))
LOOSE_DEMERITS = 20000.0
# Added to a line's width when ReportLab makes the line alone, so that all its words fit.
_ROOM = 100000.0
_CACHE_SIZE = 4096

_NO_SPACE_SCRIPT = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff\u1780-\u17ff\u19e0-\u19ff"
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\U00020000-\U0003ffff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")
_EDGE_PUNCTUATION = "'\"([{\u2018\u201a\u201c\u201e\u00bf]"
_END_PUNCTUATION = "]'\")}?!.,;:\u2019\u201b\u201d\u201f\u2026"


def applies(style, bullet_text) -> bool:
    """Whether a paragraph in ``style`` is broken here: justified, left to right, one leading."""
    return (style.alignment == TA_JUSTIFY and not bullet_text and not getattr(style, "wordWrap", None)
            and getattr(style, "autoLeading", "") in ("", "off", None) and not getattr(style, "endDots", None))


_chosen: OrderedDict = OrderedDict()


def break_justified(paragraph, words: list, widths: list[float], cache_key=None,
                    hyphen_free_lines: frozenset[int] = frozenset()):
    """ReportLab's broken lines (``ParaLines``) for ``words`` set justified in lines of
    ``widths``, the breaks chosen together; the paragraph's frags become the words as cut.
    None when no breaking fits (the caller falls back to ReportLab's greedy breaker).
    ``hyphen_free_lines``: the lines (from 0) that may not end in a hyphen."""
    style = paragraph.style
    cuts = _chosen.get(cache_key) if cache_key is not None else None
    if cuts is None:
        cuts = _choose(words, widths, style, hyphen_free_lines)
        if cache_key is not None:
            _chosen[cache_key] = cuts
            if len(_chosen) > _CACHE_SIZE:
                _chosen.popitem(last=False)
    else:
        _chosen.move_to_end(cache_key)
    if cuts is False:
        return None
    hyphen_cuts, line_ends = cuts
    cut_words, line_ends = _cut(words, hyphen_cuts, line_ends)
    return _make_lines(paragraph, cut_words, line_ends, widths)


# 1. Items ----------------------------------------------------------------------------------------

class _Items:
    """The items of a paragraph's words, and for each break item where it falls in the words."""

    def __init__(self, words: list, style, hyphenate: bool) -> None:
        self.items: list = []
        # item index -> (word index, character offset or None: after the word)
        self.places: dict[int, tuple[int, int | None]] = {}
        hyphenator = _hyphenator(style) if hyphenate else None
        min_length = getattr(style, "hyphenationMinWordLength", 5)
        em = style.fontSize
        items, places = self.items, self.places
        count = len(words)
        for index, word in enumerate(words):
            if compat.is_line_break_word(word):
                items.append(Box(0.0))
                places[len(items)] = (index, None)
                items.append(Penalty(0.0, FORCED))
                continue
            space = _space_width(word)
            nbsp = sum(text.count("\u00a0") for _, text in word[1:])
            gap_stretch, gap_shrink = _stretch_shrink(space, em)
            box_stretch, box_shrink = nbsp * gap_stretch, nbsp * gap_shrink
            points = _hyphen_points(word, hyphenator, min_length) if hyphenator else ()
            if points:
                before = 0.0
                for offset, head_width, hyphen_width, added, cost in points:
                    items.append(Box(head_width - before))
                    places[len(items)] = (index, offset)
                    items.append(Penalty(hyphen_width, cost, hyphen=True, fragment=True))
                    before = head_width
                items.append(Box(word[0] - before, box_stretch, box_shrink))
            else:
                items.append(Box(word[0], box_stretch, box_shrink))
            if index == count - 1:
                break
            following = words[index + 1]
            if compat.is_spaced_word(word):
                places[len(items)] = (index, None)
                items.append(Glue(space, gap_stretch, gap_shrink))
            elif _is_empty(following) or compat.is_line_break_word(following):
                continue  # the space (or hard break) that follows is the place to break
            else:
                places[len(items)] = (index, None)
                if _between_no_space_script(word, following):
                    items.append(Glue(0.0, CJK_STRETCH * em, 0.0))
                else:
                    items.append(Penalty(0.0, URL_BREAK_COST))


def _hyphenator(style):
    """The style's hyphenation: a callable (word -> (head, tail) pairs), or a pyphen language
    as ReportLab takes it; None for none."""
    language = getattr(style, "hyphenationLang", None)
    if callable(language):
        return language
    if isinstance(language, str) and language.strip():
        return _pyphen(language.strip())
    return None


@lru_cache(maxsize=16)
def _pyphen(language: str):
    import pyphen

    return pyphen.Pyphen(lang=language).iterate


def _space_width(word) -> float:
    frag = word[-1][0]
    return _char_width(" ", frag.fontName, frag.fontSize)


@lru_cache(maxsize=1024)
def _char_width(char: str, font_name: str, font_size: float) -> float:
    return stringWidth(char, font_name, font_size)


def _stretch_shrink(space: float, em: float) -> tuple[float, float]:
    return max(MAX_GAP * em - space, 0.1 * space), SHRINK * space


def _is_empty(word) -> bool:
    return word[0] == 0 and not any(text for _, text in word[1:]) and compat.frag_callback(word[-1][0]) is None


def _between_no_space_script(word, following) -> bool:
    before = next((text for _, text in reversed(word[1:]) if text), "")
    after = next((text for _, text in following[1:] if text), "")
    return bool(before and _NO_SPACE_SCRIPT.match(before[-1])) or bool(after and _NO_SPACE_SCRIPT.match(after[0]))


def _hyphen_points(word, hyphenator, min_length: int) -> list[tuple]:
    """``(offset, head width, hyphen width, hyphen added, cost)`` for each place ``word`` may
    be hyphenated, in order: the hyphenator's points in a word of Latin letters (prefix and
    suffix punctuation aside), and in a word that holds hyphens, the place after each (no
    hyphen added) and, dearer, the hyphenator's points in its parts."""
    parts = word[1:]
    for frag, _ in parts:
        if getattr(frag, "rise", 0) or compat.frag_callback_width(frag) or getattr(frag, "nobr", False):
            return []
    if len(parts) == 1:
        frag, text = parts[0]
        return _one_part_points(text, frag.fontName, frag.fontSize, hyphenator, min_length)
    return _points(parts, hyphenator, min_length)


@lru_cache(maxsize=16384)
def _one_part_points(text: str, font_name: str, font_size: float, hyphenator, min_length: int) -> list[tuple]:
    """:func:`_points` of a word of one run, the most common: cached by text and font."""
    return tuple(_points(((_Run(font_name, font_size), text),), hyphenator, min_length))


class _Run:
    __slots__ = ("fontName", "fontSize")

    def __init__(self, font_name: str, font_size: float) -> None:
        self.fontName, self.fontSize = font_name, font_size


def _points(parts, hyphenator, min_length: int) -> list[tuple]:
    text = "".join(t for _, t in parts)
    if "\xad" in text or len(text) < min_length:
        return []
    start = 0
    while start < len(text) and text[start] in _EDGE_PUNCTUATION:
        start += 1
    end = len(text)
    while end > start and text[end - 1] in _END_PUNCTUATION:
        end -= 1
    core = text[start:end]
    if len(core) < min_length:
        return []
    found: list[tuple[int, bool, float]] = []
    if _LATIN.fullmatch(core):
        found = [(start + o, True, HYPHEN_COST) for o in _hyphenations(hyphenator, core)]
    elif "-" in core:
        pieces = core.split("-")
        if "" in pieces or not all(_LATIN.fullmatch(p) for p in pieces):
            return []
        offset = start
        for number, piece in enumerate(pieces):
            if len(piece) >= min_length:
                found += [(offset + o, True, INSIDE_HYPHENATED_COST) for o in _hyphenations(hyphenator, piece)]
            offset += len(piece) + 1
            if number < len(pieces) - 1:
                found.append((offset, False, EXPLICIT_HYPHEN_COST))
    if not found:
        return []
    found.sort()
    return [(offset, _head_width(parts, offset), _hyphen_width(parts, offset) if added else 0.0, added, cost)
            for offset, added, cost in found]


@lru_cache(maxsize=16384)
def _hyphenations(hyphenator, word: str) -> tuple[int, ...]:
    """The offsets at which ``hyphenator`` (word -> (head, tail) pairs) may break ``word``."""
    return tuple(sorted({len(head) for head, _ in hyphenator(word) if 0 < len(head) < len(word)}))


def _head_width(parts, offset: int) -> float:
    width = 0.0
    for frag, text in parts:
        if offset <= 0:
            break
        piece = text[:offset]
        if piece:
            width += stringWidth(piece, frag.fontName, frag.fontSize)
        offset -= len(text)
    return width


def _hyphen_width(parts, offset: int) -> float:
    for frag, text in parts:
        if offset <= len(text) and text:
            return _char_width("-", frag.fontName, frag.fontSize)
        offset -= len(text)
    frag = parts[-1][0]
    return _char_width("-", frag.fontName, frag.fontSize)


# 2. Choosing the breaks --------------------------------------------------------------------------

def _choose(words: list, widths: list[float], style, hyphen_free_lines: frozenset[int] = frozenset()):
    """``(hyphen cuts, line ends)``: the (word, offset) pairs where words are hyphenated, and
    for each line the (word, offset or None) where it ends; or False when nothing fits."""
    em = style.fontSize
    hyphenates = _hyphenator(style) is not None
    made: dict[bool, _Items] = {}
    for hyphenate, tolerance in PASSES:
        if hyphenate and not hyphenates:
            continue
        data = made.get(hyphenate)
        if data is None:
            data = made[hyphenate] = _Items(words, style, hyphenate)
        settings = Settings(tolerance=tolerance, short_last_line=SHORT_LAST_LINE * em, fragment_last_line=None,
                            loose_demerits=LOOSE_DEMERITS, hyphen_free_lines=hyphen_free_lines,
                            ragged_ratio=_ragged_ratio(style))
        breaks = totalfit.best_breaks(data.items, widths, settings)
        if breaks is None:
            continue
        cuts, ends = [], []
        for position in breaks[:-1]:
            place = data.places[position]
            ends.append(place)
            if place[1] is not None:
                cuts.append(place)
        ends.append((len(words) - 1, None))
        return cuts, ends
    return False


def _ragged_ratio(style) -> float:
    """The adjustment ratio beyond which ``linebreak.adjust_justification`` sets a line ragged:
    its spaces would widen by more than ``LOOSE_SPACE - 1`` spaces (at ratio 1 they widen to
    ``MAX_GAP`` ems)."""
    space = _char_width(" ", style.fontName, style.fontSize)
    stretch, _ = _stretch_shrink(space, style.fontSize)
    return (LOOSE_SPACE - 1) * space / stretch


# 3. Lines ----------------------------------------------------------------------------------------

def _cut(words: list, cuts: list, ends: list) -> tuple[list, list[int]]:
    """The words with the hyphenated ones cut in two, and for each line the index of the
    word after its last one."""
    by_word: dict[int, list[int]] = {}
    for index, offset in cuts:
        by_word.setdefault(index, []).append(offset)
    out: list = []
    first_piece: dict[int, int] = {}  # word index -> index in out of its first piece
    for index, word in enumerate(words):
        first_piece[index] = len(out)
        offsets = by_word.get(index)
        if not offsets:
            out.append(word)
            continue
        rest, done = word, 0
        for offset in sorted(offsets):
            head, rest = _hyphenate(rest, offset - done)
            out.append(head)
            done = offset
        out.append(rest)
    line_ends = []
    for index, offset in ends:
        if offset is None:
            line_ends.append(first_piece[index] + len(by_word.get(index, ())) + 1)
        else:
            line_ends.append(first_piece[index] + sorted(by_word[index]).index(offset) + 1)
    return out, line_ends


def _hyphenate(word, offset: int) -> tuple[list, list]:
    """``word`` cut before its character ``offset``: a hyphen added to the head unless the
    head ends in one."""
    head: list = []
    tail: list = []
    for frag, text in word[1:]:
        if offset >= len(text) and (offset > 0 or not text) and not tail:
            head.append((frag, text))
            offset -= len(text)
        elif offset > 0:
            head.append((frag, text[:offset]))
            tail.append((frag, text[offset:]))
            offset = 0
        else:
            tail.append((frag, text))
    # Zero-width parts (a note marker's callback) that ended up last in the head stay there.
    last_text = next((i for i in range(len(head) - 1, -1, -1) if head[i][1]), None)
    added = last_text is not None and not head[last_text][1].endswith("-")
    if added:
        frag, text = head[last_text]
        head[last_text] = (frag, text + "-")
    head_width = sum(stringWidth(t, f.fontName, f.fontSize) for f, t in head if t)
    tail_width = sum(stringWidth(t, f.fontName, f.fontSize) for f, t in tail if t)
    return compat.hyphenated_pieces(word, head, head_width, tail, tail_width, added)


def _make_lines(paragraph, words: list, line_ends: list[int], widths: list[float]):
    """ReportLab's lines for the words of each line, made by ReportLab's breaker one line at a
    time in a line too wide to break; then placed in their real width."""
    lines = []
    start = 0
    style = paragraph.style
    paragraph.style = _without_shrinkage(style)
    try:
        for number, end in enumerate(line_ends):
            if end <= start:
                continue  # nothing after a hard break that ends the paragraph
            width = widths[min(number, len(widths) - 1)]
            compat.set_paragraph_frags(paragraph, [compat.plain_word(w) for w in words[start:end]])
            kind_frag, made = compat.lines_of(paragraph.reportlab_lines(width + _ROOM))
            if not kind_frag or len(made) != 1:
                return None
            line = made[0]
            compat.set_frag_line_place(line, width, start)
            lines.append(line)
            start = end
    finally:
        compat.set_paragraph_frags(paragraph, words)
        paragraph.style = style
    return compat.frag_lines(lines)


_unshrinking: dict[int, tuple] = {}


def _without_shrinkage(style):
    """``style`` with no space shrinkage: the words of a line given to ReportLab all fit, and
    with shrinkage its breaker sums the spaces of the line so far at every word."""
    known = _unshrinking.get(id(style))
    if known is None or known[0] is not style:
        if len(_unshrinking) > 256:
            _unshrinking.clear()
        known = _unshrinking[id(style)] = (style, ParagraphStyle(f"{style.name}-line", parent=style, spaceShrinkage=0))
    return known[1]
