"""Keeping a start together at the foot of a page.

``story.StoryBuilder`` measures a start that must stay together: a heading with the
start of what follows it, or the start of a top-level list or table (its first two items,
or its header and first two rows). A ``KeepStart`` of that height goes before it, so a
page never ends with a heading alone or with only the first item or row (the rest of a
long list or table still splits across pages as usual; a paragraph's own orphan and
widow control already keeps two lines of an item together).

At the top of a page whose foot holds notes carried from the page before, the footnote
frame lets those notes give way (take only their first lines) when the start needs the
room: ``KeepStart.needed`` is the whole height, not capped.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from . import compat

from .styles import FRAME_HEIGHT

# A start taller than this does not move to the next page: it would not be better there, and
# at the top of a page (under notes carried from the page before, which take at most half of
# it) a taller keep would leave the page blank.
MAX_START = 0.4 * FRAME_HEIGHT


class KeepStart(CondPageBreak):
    """A break to the next page unless the start that follows fits here.

    Before a heading, it also knows the block the heading heads (``following``) and the
    height of the head (``head_height``): the footnote frame then breaks too, however tall
    the start, when that block could set nothing of itself, with its notes, below the head
    (a table whose first row is taller than the room, a paragraph whose first lines bring
    long notes); the block would move on all the same and leave the heading alone.
    """

    def __init__(self, needed: float, cap: float = MAX_START, following: Flowable | None = None,
                 head_height: float = 0.0) -> None:
        # The head itself (a kicker, a long title, its date line) is never parted, however tall:
        # it breaks the page before it whatever the cap, and only the start below it is capped.
        self.capped = min(needed, cap)
        super().__init__(min(needed, max(cap, head_height)))
        self.needed = needed
        self.following = following
        self.head_height = head_height


def start_break(height: float, whole: bool = False) -> KeepStart:
    """A break to the next page unless ``height`` (the start that must stay together) fits here;
    ``whole``: however tall (a short letter, kept whole with its signature, moves on whole)."""
    return KeepStart(height, FRAME_HEIGHT if whole else MAX_START)


def head_break(head_height: float, start: float, following: Flowable | None, whole: bool = False) -> KeepStart:
    """The break before a head ``head_height`` high unless it fits here with ``start`` of what
    follows, and unless ``following`` can set some of itself below it (see ``KeepStart``)."""
    return KeepStart(head_height + start, FRAME_HEIGHT if whole else MAX_START, following, head_height)


def measure(flowable: Flowable, width: float) -> float:
    """The height ``flowable`` takes at ``width`` with its spaces (a keep-together: its parts',
    since it measures itself as 0xffffff high to force its split)."""
    if isinstance(flowable, KeepTogether):
        return sum(measure(part, width) for part in compat.keep_together_content(flowable))
    _, height = flowable.wrap(width, 100_000)
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


class Separator(Flowable):
    """The rule between two sections that share a page; at the top of a page it takes no room
    and draws nothing (it would stand under the running head's rule)."""

    SPACE_ABOVE, SPACE_BELOW, THICKNESS = 4 * mm, 5 * mm, 0.8

    def __init__(self, colour) -> None:
        super().__init__()
        self.colour = colour
        self.shown = True

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        frame = compat.placing_frame(self)
        self.shown = frame is None or not compat.frame_at_top(frame)
        self.width = available_width
        return available_width, (self.SPACE_ABOVE + self.THICKNESS + self.SPACE_BELOW) if self.shown else 0

    def draw(self) -> None:
        if self.shown:
            self.canv.setStrokeColor(self.colour)
            self.canv.setLineWidth(self.THICKNESS)
            y = self.SPACE_BELOW + self.THICKNESS / 2
            self.canv.line(0, y, self.width, y)
