"""Pieces that nearly fit their page are tightened to fit it, rather than leaving a few last
lines (and a signature) alone on a page:

* a one-page piece, a foreword or a message, when the story is built (``fit_to_page``);
* the end of any piece that is followed by a new page: at the top of each page, the
  document template looks at what is left of the piece (``fit_end_to_page``).

The tightening has set limits, applied in this order until the piece fits: the gaps between
paragraphs close to ``MIN_GAP``; its pictures shrink, down to ``MIN_PICTURE_SCALE``; the
leading of its text tightens by at most ``MAX_LEADING_CUT``. A piece that would need more is
left as it is, or, if it is a one-page piece of text alone, set in two columns across the
frame (``fit_in_columns``, ``columns.py``) when that fits the page; failing both, it runs on to
a second page, set as everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from . import compat
from .columns import LetterColumns, letter_columns
from .keeps import Separator, measure
from .paragraph import Paragraph
from .pictures import FlexFigure

MIN_GAP = 2.0  # pt between paragraphs (5.5 pt in the body style)
MIN_PICTURE_SCALE = 0.7
MAX_LEADING_CUT = 0.04  # 14.2 pt -> 13.6 pt for body text
MAX_OVERFLOW_LINES = 10  # beyond this, a piece is not "within a few lines" of its page


def fit_end_to_page(rest: Iterable[Flowable], width: float, room: float, line: float) -> bool:
    """At the top of a page with ``room``: tighten the rest of a piece to fit this page when it
    would run a few lines onto the next. ``rest`` is read only as far as it could still fit."""
    taken: list[Flowable] = []
    total = 0.0
    for flowable in rest:
        if not taken and _nothing_at_a_page_top(flowable):
            continue
        taken.append(flowable)
        total += measure(flowable, width)
        if total > room + MAX_OVERFLOW_LINES * line:
            return False
    return fit_to_page(taken, width, room, line)


def fit_to_page(flowables: list[Flowable], width: float, room: float, line: float) -> bool:
    """Tighten ``flowables`` (a piece that starts a page with ``room`` for it) to fit that room,
    if it is within ``MAX_OVERFLOW_LINES`` lines of ``line`` of it; whether it was tightened."""
    flowables = _leaves(flowables)
    if not flowables:
        return False
    total = _height(flowables, width)
    if total <= room or total - room > MAX_OVERFLOW_LINES * line:
        return False
    paragraphs = [f for f in flowables if isinstance(f, Paragraph)]
    figures = [f for f in flowables if isinstance(f, FlexFigure)]
    styles = {id(p): p.style for p in paragraphs}
    scales = {id(f): f.max_scale for f in figures}
    steps = (lambda: _close_gaps(paragraphs), lambda: _shrink_pictures(figures, width, total - room),
             lambda: _tighten_leading(paragraphs))
    for step in steps:
        step()
        total = _height(flowables, width)
        if total <= room:
            return True
    for paragraph in paragraphs:  # beyond the limits: as it was
        paragraph.restyle(styles[id(paragraph)])
    for figure in figures:
        figure.max_scale = scales[id(figure)]
    return False


@dataclass(frozen=True)
class ColumnsFit:
    """What ``fit_in_columns`` found: the columns that fit (or None), else by how much the
    columns, as tightened as they may be, are too tall for the page, and how tall they are."""

    columns: LetterColumns | None
    excess: float = 0.0
    height: float = 0.0


def fit_in_columns(head: list[Flowable], body: list[Flowable], signature: list[Flowable], width: float,
                   room: float) -> ColumnsFit | None:
    """A one-page piece's ``body`` and ``signature`` in two columns under its ``head`` (across
    the frame), tightened within the same limits if need be, when that fits ``room``. None when
    the piece is not text alone; with no columns (and the piece as it was) when they do not fit."""
    paragraphs = [f for f in _leaves(body + signature) if isinstance(f, Paragraph)]
    styles = {id(p): p.style for p in paragraphs}
    if letter_columns(body, signature) is None:
        return None
    head_height = _height(head, width) if head else 0.0
    height = 0.0
    for step in (lambda: None, lambda: _close_gaps(paragraphs), lambda: _tighten_leading(paragraphs)):
        step()
        columns = letter_columns(body, signature)  # (measured anew, in the new styles)
        height = measure(columns, width)
        if head_height + height <= room:
            return ColumnsFit(columns)
    for paragraph in paragraphs:
        paragraph.restyle(styles[id(paragraph)])
    return ColumnsFit(None, head_height + height - room, height)


def overflow(flowables: list[Flowable], width: float, room: float) -> float:
    """How much taller than ``room`` the piece ``flowables`` is (as it is set now; 0 if it fits)."""
    leaves = _leaves(flowables)
    return max(_height(leaves, width) - room, 0.0) if leaves else 0.0


def _leaves(flowables: list[Flowable]) -> list[Flowable]:
    """The flowables, those inside keep-togethers one by one."""
    out: list[Flowable] = []
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):
            out += _leaves(compat.keep_together_content(flowable))
        else:
            out.append(flowable)
    return out


def _nothing_at_a_page_top(flowable: Flowable) -> bool:
    """A rule between sections draws nothing at the top of a page, and a break takes no room."""
    return isinstance(flowable, (Separator, CondPageBreak))


def _height(flowables: list[Flowable], width: float) -> float:
    # At the top of a page, what takes no room there is left out, and the first flowable's
    # space before is dropped.
    start = 0
    while start < len(flowables) and _nothing_at_a_page_top(flowables[start]):
        start += 1
    flowables = flowables[start:]
    return sum(measure(f, width) for f in flowables) - (flowables[0].getSpaceBefore() if flowables else 0)


def _restyled(paragraph: Paragraph, **changes) -> None:
    paragraph.restyle(ParagraphStyle(f"{paragraph.style.name}-fitted", parent=paragraph.style, **changes))


def _close_gaps(paragraphs: list[Paragraph]) -> None:
    for paragraph in paragraphs:
        if paragraph.style.spaceAfter > MIN_GAP:
            _restyled(paragraph, spaceAfter=MIN_GAP)


def _shrink_pictures(figures: list[FlexFigure], width: float, excess: float) -> None:
    for figure in figures:
        height = figure.natural[1] * min(1.0, width / figure.natural[0])
        figure.max_scale = max(MIN_PICTURE_SCALE, 1.0 - excess / max(height, 1.0))
        excess -= height * (1.0 - figure.max_scale)
        if excess <= 0:
            return


def _tighten_leading(paragraphs: list[Paragraph]) -> None:
    for paragraph in paragraphs:
        _restyled(paragraph, leading=paragraph.style.leading * (1 - MAX_LEADING_CUT))
