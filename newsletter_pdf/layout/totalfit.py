"""Total-fit line breaking (Knuth and Plass, "Breaking paragraphs into lines", 1981).

A paragraph is a row of items: boxes (text that is never broken), glue (a space that
may stretch or shrink, and where a line may end) and penalties (a place where a line
may end at a cost: a hyphenation point, a break in a URL, between two Chinese
characters; or must end: a hard line break). :func:`best_breaks` chooses all the
breaks of the paragraph together, the set whose lines add up to the fewest demerits:

* a line's **badness** grows with the cube of how far its spaces stretch or shrink
  (the adjustment ratio, 1 at the most a space may stretch, -1 at the most it may
  shrink); a line needing more than ``tolerance`` stretch or more than all its shrink
  is not allowed at all;
* demerits are ``(line_penalty + badness)²`` plus the square of the break's penalty,
  so a hyphen costs like a slightly loose line, and two loose lines cost more than
  one looser line;
* a hyphen right after a hyphen costs ``double_hyphen``; a third in a row is never
  allowed; a hyphen ending the paragraph's last-but-one line (``final_hyphen``: a page
  often turns there, and the reader would meet the word's end alone);
* a tight line next to a loose one costs ``fitness_change`` (the eye sees the change);
* lines listed in ``hyphen_free_lines`` never end in a hyphen (the last line of a page,
  once the frame has split the paragraph there);
* the last line: shorter than ``short_last_line`` costs ``short_last_line_demerits``,
  and one that holds only the end of a broken word (a fragment) costs
  ``fragment_last_line`` (None: is never allowed).

No ReportLab here: ``layout/breaking.py`` turns a paragraph's words into items and the
chosen breaks back into ReportLab's lines; ``tests/test_totalfit.py`` tests this module
on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

# A penalty this high forbids a break; this low forces one (a hard line break).
FORBIDDEN = 10000.0
FORCED = -10000.0

BOX, GLUE, PENALTY = 0, 1, 2

# Adjustment ratios at which the fitness class changes: tight, decent, loose, very loose.
_TIGHT, _LOOSE, _VERY_LOOSE = -0.5, 0.5, 1.0


@dataclass(frozen=True, slots=True)
class Box:
    """Text that is set whole. Its ``stretch``/``shrink`` are spaces inside it where no line
    may end (no-break spaces), which justification widens like the others."""

    width: float
    stretch: float = 0.0
    shrink: float = 0.0


@dataclass(frozen=True, slots=True)
class Glue:
    """A space where a line may end (when a box comes before it); it vanishes at a line end."""

    width: float
    stretch: float
    shrink: float


@dataclass(frozen=True, slots=True)
class Penalty:
    """A place where a line may end at ``cost`` (``FORCED``: must end), adding ``width`` to
    the line when it does (a hyphen). ``hyphen``: the line then ends in a hyphen.
    ``fragment``: the next line starts inside a word."""

    width: float
    cost: float
    hyphen: bool = False
    fragment: bool = False


@dataclass(frozen=True)
class Settings:
    tolerance: float = 1.0
    loose_ratio: float = 1.0  # a line stretched further is loose, and costs loose_demerits more
    loose_demerits: float = 0.0
    # A line stretched beyond ragged_ratio is set ragged (not justified): its badness is
    # ragged_badness and grows only linearly beyond, so that the breaking has as few such
    # lines as it can rather than spreading their looseness over their neighbours.
    ragged_ratio: float | None = None
    ragged_badness: float = 10000.0
    line_penalty: float = 10.0
    double_hyphen: float = 3000.0
    max_hyphen_run: int = 2
    final_hyphen: float = 5000.0
    fitness_change: float = 3000.0
    short_last_line: float = 0.0  # in the width unit of the items; 0: no minimum
    short_last_line_demerits: float = 2000.0
    fragment_last_line: float | None = 50000.0  # None: never
    hyphen_free_lines: frozenset[int] = frozenset()  # lines (from 0) that may not end in a hyphen


@dataclass(slots=True)
class _Node:
    position: int  # the item the line before ends at (-1: the paragraph's start)
    start: int  # the first item of the next line
    lines: int  # lines ended so far
    fitness: int
    hyphen_run: int  # consecutive lines before, up to this break, that end in a hyphen
    fragment: bool  # the next line starts inside a word
    demerits: float
    previous: "_Node | None"


def best_breaks(items: list, widths: list[float], settings: Settings = Settings()) -> list[int] | None:
    """Where the lines of the best breaking end: for each line, the index of the glue or
    penalty it ends at (a line is ``items[start:end]``, plus a penalty's width), the last
    one ``len(items)``, the paragraph's end; or None when no breaking keeps every line within the settings' tolerance and
    its shrink (a word wider than the line, a column too narrow for its words).

    ``widths[i]`` is the width of line ``i``; the last one holds for all lines after it.
    """
    if not items:
        return []
    items = list(items) + [Penalty(0.0, FORCED)]  # the paragraph's end
    count = len(items)
    kinds = [0] * count
    natural = [0.0] * (count + 1)  # sums of widths, stretch and shrink of items[:i]
    stretch = [0.0] * (count + 1)
    shrink = [0.0] * (count + 1)
    w = y = z = 0.0
    for index, item in enumerate(items):
        kind = BOX if type(item) is Box else GLUE if type(item) is Glue else PENALTY
        kinds[index] = kind
        if kind != PENALTY:
            w += item.width
            y += item.stretch
            z += item.shrink
        natural[index + 1], stretch[index + 1], shrink[index + 1] = w, y, z

    tolerance = settings.tolerance
    line_penalty = settings.line_penalty
    last_width_index = len(widths) - 1
    hyphen_free = settings.hyphen_free_lines
    # Nodes are told apart by their line number as far as it matters: for the width of the
    # next line, and up to the last line that may not end in a hyphen.
    exact_lines = max(last_width_index, max(hyphen_free, default=-1) + 1)
    last = count - 1
    active = [_Node(-1, 0, 0, 1, 0, False, 0.0, None)]

    for position in range(count):
        kind = kinds[position]
        item = items[position]
        if kind == BOX:
            continue
        if kind == GLUE:
            if position == 0 or kinds[position - 1] != BOX:
                continue
            cost, extra, hyphen, fragment = 0.0, 0.0, False, False
        else:
            cost = item.cost
            if cost >= FORBIDDEN and position != last:
                continue
            extra, hyphen, fragment = item.width, item.hyphen, item.fragment
        ends = position == last
        forced = ends or cost <= FORCED
        candidates: dict[tuple, _Node] = {}
        survivors = []
        for node in active:
            line_width = widths[node.lines if node.lines < last_width_index else last_width_index]
            length = natural[position] - natural[node.start] + extra
            if length < line_width:
                if forced:
                    ratio = 0.0  # the last line of a paragraph, or before a hard break, is set ragged
                else:
                    room = stretch[position] - stretch[node.start]
                    ratio = (line_width - length) / room if room > 0 else 1e6
            elif length > line_width:
                room = shrink[position] - shrink[node.start]
                ratio = (line_width - length) / room if room > 0 else -1e6
            else:
                ratio = 0.0
            if ratio >= -1.0 and not forced:
                survivors.append(node)
            if ratio < -1.0 or ratio > tolerance:
                continue
            run = node.hyphen_run + 1 if hyphen else 0
            if run > settings.max_hyphen_run or (hyphen and node.lines in hyphen_free):
                continue
            if settings.ragged_ratio is not None and ratio > settings.ragged_ratio:
                if hyphen:
                    continue  # a line set ragged has no need to break a word
                badness = settings.ragged_badness + 100.0 * min(ratio, 100.0)
            else:
                badness = 100.0 * abs(ratio) ** 3
            demerits = (line_penalty + badness) ** 2
            if cost > 0:
                demerits += cost * cost
            elif cost > FORCED:
                demerits -= cost * cost
            if hyphen and node.hyphen_run:
                demerits += settings.double_hyphen
            if ratio > settings.loose_ratio:
                demerits += settings.loose_demerits
            fitness = 0 if ratio < _TIGHT else 1 if ratio <= _LOOSE else 2 if ratio <= _VERY_LOOSE else 3
            if abs(fitness - node.fitness) > 1 and not forced:
                demerits += settings.fitness_change
            if ends:
                last_line = _last_line_demerits(node, length, kinds, node.start, position, settings)
                if last_line is None:
                    continue
                demerits += last_line
            total = node.demerits + demerits
            lines = node.lines + 1
            key = (lines if lines < exact_lines else exact_lines, fitness, run)
            best = candidates.get(key)
            if best is None or total < best.demerits:
                start = _next_line_start(kinds, items, position)
                candidates[key] = _Node(position, start, lines, fitness, run, fragment, total, node)
        active = survivors + list(candidates.values())
        if not active:
            return None
        if ends:
            break

    finals = [node for node in active if node.position == last]
    if not finals:
        return None
    node = min(finals, key=lambda n: n.demerits)
    breaks = []
    while node is not None and node.position >= 0:
        breaks.append(node.position)
        node = node.previous
    breaks.reverse()
    return breaks


def _next_line_start(kinds: list[int], items: list, position: int) -> int:
    """The first item of the line after a break at ``position``: glue and penalties that
    follow the break are dropped, as at the start of any line (a hard break's too)."""
    start = position + 1
    count = len(kinds)
    while start < count and kinds[start] != BOX:
        start += 1
    return start


def _last_line_demerits(node: _Node, length: float, kinds: list[int], start: int, end: int,
                        settings: Settings) -> float | None:
    demerits = 0.0
    if node.hyphen_run:
        demerits += settings.final_hyphen
    if node.position >= 0 and length < settings.short_last_line:
        demerits += settings.short_last_line_demerits
    if node.fragment and GLUE not in kinds[start:end]:
        if settings.fragment_last_line is None:
            return None
        demerits += settings.fragment_last_line
    return demerits


def adjustment_ratios(items: list, widths: list[float], breaks: list[int]) -> list[float]:
    """How far each line's spaces stretch (positive) or shrink (negative) for ``breaks``, as
    a share of what they may; a last line (or one before a hard break) is set ragged: 0
    unless it must shrink."""
    ratios = []
    start = 0
    for number, end in enumerate(breaks):
        line_width = widths[min(number, len(widths) - 1)]
        length = room_stretch = room_shrink = 0.0
        for item in items[start:end]:
            if type(item) is not Penalty:
                length += item.width
                room_stretch += item.stretch
                room_shrink += item.shrink
        closing = items[end] if end < len(items) else None
        if type(closing) is Penalty:
            length += closing.width
        final = closing is None or (type(closing) is Penalty and closing.cost <= FORCED)
        if length < line_width:
            ratio = 0.0 if final else ((line_width - length) / room_stretch if room_stretch else float("inf"))
        elif length > line_width:
            ratio = (line_width - length) / room_shrink if room_shrink else float("-inf")
        else:
            ratio = 0.0
        ratios.append(ratio)
        start = end + 1
        while start < len(items) and type(items[start]) is not Box:
            start += 1
    return ratios
