"""Which notes a flowable brings to its page: recorded when the flowable is made.

A note marker is a superscript link followed by a zero-width ``<onDraw name="fnref"
label=KEY/>``. The story builder knows each flowable's markers when it makes it and
records their keys as ``note_keys``; the footnote frame asks only that attribute. Leaves
that get shorter as the height shrinks (a paragraph's lines, a table's rows, an indented
list item or quote line) keep the keys of their own part when they split; containers
(keep-togethers, figures) hand their children, with their own keys, back to the frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reportlab.platypus import ActionFlowable, PageBreak

MARKER_CALLBACK = "fnref"
_MARKER = re.compile(r'<onDraw name="fnref" label="([^"]+)"/>')


# A note's link target is named "note-KEY": the canvas tells a marker's link by it, and gives
# the link the description "Note N" (``canvas.ProjectCanvas.linkRect``), which screen readers
# speak and the check reads.
NOTE_DESTINATION = "note-"


def note_destination(key: str) -> str:
    return f"{NOTE_DESTINATION}{key}"


def marker(key: str, number: int, link_colour: str) -> str:
    """The markup of a note marker: the number, linked to the note, and the key the frame finds."""
    return (f'<super rise="33%" size="66%"><a href="#{note_destination(key)}" color="{link_colour}">{number}</a>'
            f'</super><onDraw name="{MARKER_CALLBACK}" label="{key}"/>')


def keys_in_markup(markup: str) -> tuple[str, ...]:
    """The note keys of the markers in ``markup``, in order (a note referenced twice counts twice)."""
    return tuple(_MARKER.findall(markup)) if "fnref" in markup else ()


def notes_of(flowable) -> tuple[str, ...]:
    """The note keys ``flowable`` carries, as recorded when it (or the flowable it was split from) was made."""
    return getattr(flowable, "note_keys", ())


def shortens(flowable) -> bool:
    """Whether ``flowable`` is a leaf whose first split part gets shorter as the height given shrinks."""
    return getattr(flowable, "shortens_for_notes", False)


def is_action(flowable) -> bool:
    """An action (a page break, a null action): applied by the document, never wrapped or split."""
    return isinstance(flowable, (ActionFlowable, PageBreak))


def gather(flowables: Iterable) -> tuple[str, ...]:
    """The note keys of several flowables (a container's children, a table's cells), in order."""
    keys: list[str] = []
    for flowable in flowables:
        if isinstance(flowable, (list, tuple)):
            keys += gather(flowable)
        else:
            keys += notes_of(flowable)
    return tuple(keys)


def record(flowable, keys: Iterable[str]):
    """Record ``keys`` on ``flowable`` (a container the builder made) and return it."""
    flowable.note_keys = tuple(keys)
    return flowable
