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
from .styles import BODY_LEADING
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
            # The balanced layout holds for any height it fits in: laid out again only if not.
            balanced = self._laid_out_for is not None and self._laid_out_for[0] == available_width \
                and self.height <= min(available_height, self._laid_out_for[1])
            if not balanced:
                self.placed, self.height = self._balanced(self.column_width(available_width), available_height)
            self._laid_out_for = key
        return available_width, self.height

    def _balanced(self, width: float, limit: float) -> tuple[list[_Placed], float]:
        """The placements at the least column height that holds everything (within ``limit``); if
        nothing does, those at ``limit`` with a height just over it, so that the frame splits.

        The height is searched for on the units' measures alone (``_Measured``: a paragraph
        splits between lines, as ReportLab splits it), then laid out once, splitting for real;
        a real split may keep a line more (a hyphen at the split is avoided), so the height
        grows by a line until the layout holds."""
        measured = [_Measured.of(unit, width) for unit in self.units]
        total = sum(m.height + m.before + m.after for m in measured)
        low = max([total / 2] + [m.height for m in measured if not m.splits])
        high = limit
        if not _fits(measured, high):
            placed, _ = self._fill(width, limit)
            return placed, limit + 1
        while high - low > PRECISION:
            middle = (low + high) / 2
            if _fits(measured, middle):
                high = middle
            else:
                low = middle
        step = max((m.leading for m in measured), default=BODY_LEADING)
        while True:
            placed, rest = self._fill(width, high)
            if not rest or high >= limit:
                break
            high = min(high + step, limit)
        if rest:
            return placed, limit + 1
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


@dataclass(frozen=True)
class _Measured:
    """A unit as the search for the balanced height sees it: its heights, and for a paragraph
    of even leading its lines (it may split between them)."""

    before: float
    height: float
    after: float
    lines: int = 0
    leading: float = 0.0
    splits: bool = False
    heading: bool = False

    @classmethod
    def of(cls, unit, width: float) -> "_Measured":
        if isinstance(unit, list):
            return cls(unit[0].getSpaceBefore(), _unit_height(unit, width) - unit[0].getSpaceBefore()
                       - unit[-1].getSpaceAfter(), unit[-1].getSpaceAfter())
        _, height = unit.wrap(width, 100_000)
        before, after = unit.getSpaceBefore(), unit.getSpaceAfter()
        heading = bool(getattr(unit, "is_heading", False))
        if isinstance(unit, Paragraph) and not heading:
            leading = unit.style.leading
            lines = round(height / leading) if leading else 0
            if lines and abs(lines * leading - height) < 0.01:
                return cls(before, height, after, lines, leading, True)
        return cls(before, height, after, heading=heading)


def _fits(measured: list[_Measured], height: float) -> bool:
    """Whether the units, as measured, fill no more than two columns ``height`` high; a
    paragraph splits as ReportLab splits it (no orphan, no widow: ``allowOrphans`` and
    ``allowWidows`` 0, as the body styles have them)."""
    position, used = 0, 0  # the unit at hand, and the lines of it set already
    for _column in (0, 1):
        y, first = 0.0, True
        while position < len(measured):
            unit = measured[position]
            before = 0.0 if first else unit.before
            body = unit.height if not used else (unit.lines - used) * unit.leading
            needed = before + body
            if unit.heading and position + 1 < len(measured):
                following = measured[position + 1]
                needed += min(3 * following.leading, following.height) if following.splits else following.height
            if needed <= height - y:
                y += before + body + unit.after
                position, used, first = position + 1, 0, False
                continue
            if unit.splits:
                fit, left = int((height - y - before) / unit.leading), unit.lines - used
                if fit >= 2 and left == fit + 1:
                    fit = fit - 1 if left > 3 else 0
                if fit >= 2:
                    used += fit
            break
    return position >= len(measured)


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
    return _unit_height(group, width) - (group[0].getSpaceBefore() if at_top else 0.0)


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
