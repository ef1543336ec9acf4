"""Keeping the start of a list or table together at the foot of a page.

``story.StoryBuilder`` measures the start of a top-level list or table: its first two
items, or its header and first two rows. A ``CondPageBreak`` of that height goes before
it, so a page never ends with only its first item or row (the rest of a long list or
table still splits across pages as usual; a paragraph's own orphan and widow control
already keeps two lines of an item together).
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from .styles import FRAME_HEIGHT

# A start taller than this does not move to the next page: it would not be better there, and
# at the top of a page (under notes carried from the page before, which take at most half of
# it) a taller keep would leave the page blank.
MAX_START = 0.4 * FRAME_HEIGHT


def start_break(height: float) -> CondPageBreak:
    """A break to the next page unless ``height`` (the start that must stay together) fits here."""
    return CondPageBreak(min(height, MAX_START))


def measure(flowable: Flowable, width: float) -> float:
    """The height ``flowable`` takes at ``width`` with its spaces."""
    _, height = flowable.wrap(width, 100_000)
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
