"""Page bottoms on one line: a page the text runs on from is spread to end at the foot of its
frame (vertical justification, as a desk-top publishing program does), so that facing pages
and page after page end at the same place.

ReportLab draws each flowable when the frame places it and cannot move it afterwards. So the
frame records what each flowable drew (``Placement``: its stretch of the page's operators and
the links it made), and when the page ends, ``spread`` moves each flowable down by its share
of the room left: the gaps between flowables widen (those above a heading twice as much, none
under one), the first stays where it is and the last ends at the frame's foot (above the
page's notes). A flowable's drawing is wrapped in a
translation (``q 1 0 0 1 0 -d cm`` … ``Q``, outside its marked content) and its links' active
areas move with it.

A page is spread only when the text runs on past it (not before a page break: a piece's end
stays where it ends), when the room left is under two body lines (more means something was
held back on purpose, a heading with its block, a picture that floats), and when no gap between
paragraphs would widen by more than ``MAX_GAP_STRETCH``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import compat
from .styles import BODY_LEADING

MAX_SLACK = 2 * BODY_LEADING  # pt of room left at the foot beyond which a page is left as set
MAX_GAP_STRETCH = 6.0  # pt a gap between two flowables may widen at most (twice that above a heading)
MIN_SLACK = 0.25  # pt: closer than this is on the line already


@dataclass(frozen=True)
class Placement:
    """What one flowable drew on the page: its operators (``code`` start and end in the
    canvas's list), the link annotations it made (``links``, by index), and its box's foot."""

    code: tuple[int, int]
    links: tuple[int, int]
    bottom: float
    heading: bool = False  # a heading, or a part of a section's head (kicker, title, date line, byline, rule)


class PlacementRecord:
    """The placements of the page being filled, as a frame makes them."""

    def __init__(self) -> None:
        self.placements: list[Placement] = []

    def start(self, canvas) -> tuple[int, int]:
        return compat.canvas_code_length(canvas), compat.annotation_count(canvas)

    def placed(self, canvas, started: tuple[int, int], bottom: float, heading: bool = False) -> None:
        code_start, links_start = started
        code_end = compat.canvas_code_length(canvas)
        if code_end > code_start:  # (a spacer, a keep: nothing drawn, nothing to move)
            self.placements.append(Placement((code_start, code_end), (links_start, compat.annotation_count(canvas)),
                                             bottom, heading))

    def clear(self) -> None:
        self.placements = []


def spread(canvas, placements: list[Placement], foot: float) -> float:
    """Move the placements down so that the last ends at ``foot``, the gaps widened alike; the
    room spread (0 if the page is left as set: see the module's description)."""
    if len(placements) < 2:
        return 0.0
    slack = placements[-1].bottom - foot
    weights = [gap_weight(before, after) for before, after in zip(placements, placements[1:])]
    if not MIN_SLACK < slack <= MAX_SLACK or not sum(weights) or slack / sum(weights) > MAX_GAP_STRETCH:
        return 0.0
    step = slack / sum(weights)
    shifts = [0.0]
    for weight in weights:
        shifts.append(shifts[-1] + step * weight)
    # From the last to the first, so that inserting operators leaves the earlier indices valid.
    for position in range(len(placements) - 1, 0, -1):
        placement = placements[position]
        shift = shifts[position]
        start, end = placement.code
        compat.insert_canvas_code(canvas, end, "Q")
        compat.insert_canvas_code(canvas, start, f"q 1 0 0 1 0 {-shift:.3f} cm")
        for link in range(*placement.links):
            compat.shift_annotation(canvas, link, -shift)
    return slack


def gap_weight(before: Placement, after: Placement) -> int:
    """How much of the room a gap takes: none under a heading or a head's part (it stays with
    what it heads), twice as much above one (it parts what it ends from what it starts), one
    share elsewhere."""
    if before.heading:
        return 0
    return 2 if after.heading else 1
