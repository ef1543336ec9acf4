"""Keeping the start of a list or table together at the foot of a page.

``story.StoryBuilder`` gives a top-level list or table a ``start_height``: its first two
items, or its header and first two rows. A ``CondPageBreak`` of that height goes before
it, so a page never ends with only its first item or row (the rest of a long list or
table still splits across pages as usual; a paragraph's own orphan and widow control
already keeps two lines of an item together).
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, ListFlowable, ListItem

from .styles import FRAME_HEIGHT

# A start taller than this does not move to the next page (it would not be better there).
MAX_START = 0.4 * FRAME_HEIGHT


def start_break(flowable: Flowable) -> CondPageBreak:
    return CondPageBreak(min(getattr(flowable, "start_height", 0), MAX_START))


def measure(flowable: Flowable, width: float) -> float:
    """The height ``flowable`` takes at ``width`` with its spaces; a list (which can only be
    wrapped on a canvas) as the sum of its items' contents."""
    if isinstance(flowable, ListFlowable):
        inner = width - (getattr(flowable, "_leftIndent", None) or 18)
        return sum(measure(f, inner) for item in flowable._flowables
                   for f in (item._flowables if isinstance(item, ListItem) else [item]))
    _, height = flowable.wrap(width, 100_000)
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def list_start_height(items: list[ListItem], width: float) -> float:
    """The first two items of a list whose items are set ``width`` wide."""
    if len(items) < 2:
        return 0
    return sum(measure(f, width) for item in items[:2] for f in item._flowables)
