"""A letter in two balanced columns: a one-page piece (a foreword, a message) too long for the
text column, even tightened, is set in two columns across the frame under its head, the way a
printed letter from the head of an office is, so that it still fits its page.

The columns are balanced: the least height at which the text, in the order it is read, fills
the first column and then the second. They are one flowable, so the frame places them as a
whole; only when the page turns out shorter than expected (notes carried onto it) do they split,
the rest going on in two columns on the next page. Each part is drawn as its own structure
element's content, first column first, so the reading order is the text's.

Only text goes into columns: paragraphs, headings and the signature. A piece with pictures,
tables, lists or notes among its blocks is left in the text column (``letter_columns``
answers None), as the footnote frame places notes for the flowables it is given, not for
what is inside one.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from . import compat
from .keeps import KeepStart, measure
from .notes import notes_of
from .paragraph import Paragraph
from .tagging import marked, structure_of

COLUMN_GAP = 6 * mm
PRECISION = 0.5  # pt: how closely the balanced height is searched for


@dataclass
class _Placed:
    flowable: Flowable
    column: int
    top: float  # from the top of the columns
    height: float


class LetterColumns(Flowable):
    """Text in two balanced columns; ``units`` are paragraphs, spacers, and groups (lists of
    them) that stay in one column: the letter's last paragraph with its signature."""

    marks_itself = True  # each part is marked as its own element's
    note_keys = ()

    def __init__(self, units: list, gap: float = COLUMN_GAP) -> None:
        super().__init__()
        self.units = units
        self.gap = gap
        self.placed: list[_Placed] = []
        self._laid_out_for: tuple[float, float] | None = None
        self.fixed = False  # a split's first part: laid out once, to the height it was split at

    # Layout -----------------------------------------------------------------------------------

    def column_width(self, width: float) -> float:
        return (width - self.gap) / 2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        key = (available_width, available_height)
        if self._laid_out_for != key and not self.fixed:
            self.placed, self.height = self._balanced(self.column_width(available_width), available_height)
            self._laid_out_for = key
        return available_width, self.height

    def _balanced(self, width: float, limit: float) -> tuple[list[_Placed], float]:
        """The placements at the least column height that holds everything (within ``limit``); if
        nothing does, those at ``limit`` with a height just over it, so that the frame splits."""
        total = sum(_unit_height(unit, width) for unit in self.units)
        low = max([total / 2] + [_unit_height(u, width) for u in self.units if isinstance(u, list)])
        placed, rest = self._fill(width, limit)
        if rest:
            return placed, limit + 1
        high = limit
        while high - low > PRECISION:
            middle = (low + high) / 2
            if self._fill(width, middle)[1]:
                low = middle
            else:
                high = middle
        placed, _ = self._fill(width, high)
        return placed, max((p.top + p.height for p in placed), default=0.0)

    def _fill(self, width: float, height: float) -> tuple[list[_Placed], list]:
        """Fill the first column, then the second, to ``height``: the placements, and what is left."""
        units = list(self.units)
        placed: list[_Placed] = []
        for column in (0, 1):
            column_placed, units = _fill_column(units, width, height, column)
            placed += column_placed
        return placed, units

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        width = self.column_width(available_width)
        placed, rest = self._fill(width, available_height)
        if not placed:
            return []
        here = LetterColumns([], self.gap)
        here.placed, here.width, here.fixed = placed, available_width, True
        here.height = max(p.top + p.height for p in placed)
        return [here, LetterColumns(rest, self.gap)] if rest else [here]

    # Drawing ----------------------------------------------------------------------------------

    def draw(self) -> None:
        canvas = self.canv
        width = self.column_width(self.width)
        for part in self.placed:
            if isinstance(part.flowable, Spacer):
                continue
            x = part.column * (width + self.gap)
            part.flowable.wrap(width, part.height)
            with marked(canvas, structure_of(part.flowable)):
                part.flowable.drawOn(canvas, x, self.height - part.top - part.height)


def _unit_height(unit, width: float) -> float:
    if isinstance(unit, list):
        return sum(measure(f, width) for f in unit)
    return measure(unit, width)


def _fill_column(units: list, width: float, height: float, column: int) -> tuple[list[_Placed], list]:
    placed: list[_Placed] = []
    y = 0.0
    for position, unit in enumerate(units):
        group = unit if isinstance(unit, list) else [unit]
        room = height - y
        # (the space after the unit is wanted only below it in the column, not at its foot)
        needed = _group_height(group, width, at_top=not placed) - group[-1].getSpaceAfter()
        if getattr(unit, "is_heading", False) and position + 1 < len(units):
            following = units[position + 1]
            first = following[0] if isinstance(following, list) else following
            lines = 3 * first.style.leading if isinstance(first, Paragraph) else measure(first, width)
            needed += min(lines, _unit_height(following, width))  # a heading keeps with its next lines
        if needed <= room:
            for flowable in group:
                y = _place(placed, flowable, width, y, column)
            continue
        if isinstance(unit, Paragraph) and not getattr(unit, "is_heading", False):
            parts = unit.split(width, room - (unit.getSpaceBefore() if placed else 0))
            if len(parts) == 2:  # as much as fits here, the rest at the next column's top
                for part in parts:
                    part.structure = structure_of(unit)
                _place(placed, parts[0], width, y, column)
                return placed, [parts[1]] + units[position + 1:]
        return placed, units[position:]
    return placed, []


def _group_height(group: list, width: float, at_top: bool) -> float:
    height = sum(measure(f, width) for f in group)
    return height - group[0].getSpaceBefore() if at_top and group else height


def _place(placed: list[_Placed], flowable: Flowable, width: float, y: float, column: int) -> float:
    """Place ``flowable`` at ``y`` (its space before dropped at the column's top); the ``y`` after it."""
    if placed:
        y += flowable.getSpaceBefore()
    _, height = flowable.wrap(width, 100_000)
    placed.append(_Placed(flowable, column, y, height))
    return y + height + flowable.getSpaceAfter()


# Making a letter's columns --------------------------------------------------------------------

def letter_columns(body: list[Flowable], signature: list[Flowable]) -> LetterColumns | None:
    """The body and the signature (kept with the last paragraph) in two columns, or None if
    the body holds anything but text (a picture, a table, a list, a note)."""
    leaves = _text_leaves(body)
    if leaves is None or any(notes_of(f) for f in leaves + signature):
        return None
    for flowable in leaves + signature:
        if isinstance(flowable, Paragraph) and flowable.style.rightIndent:
            flowable.restyle(ParagraphStyle(f"{flowable.style.name}-column", parent=flowable.style, rightIndent=0))
    units: list = [f for f in leaves if not isinstance(f, (KeepStart, CondPageBreak))]
    if signature:
        last = [units.pop()] if units and isinstance(units[-1], Paragraph) else []
        units.append(last + signature)
    return LetterColumns(units) if units else None


def _text_leaves(flowables: list[Flowable]) -> list[Flowable] | None:
    leaves: list[Flowable] = []
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):
            inner = _text_leaves(compat.keep_together_content(flowable))
            if inner is None:
                return None
            leaves += inner
        elif isinstance(flowable, (Paragraph, Spacer, KeepStart, CondPageBreak)):
            leaves.append(flowable)
        else:
            return None
    return leaves
