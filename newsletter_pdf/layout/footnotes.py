"""Footnotes at the foot of the page that holds their marker.

ReportLab has none. The design:

* A marker is a superscript number followed by a zero-width ``<onDraw name="fnref"
  label=KEY/>``. That fragment survives paragraph splitting, so every part of a split
  paragraph (and every cell of a table, every item of a list) can be searched for the
  notes it really contains.
* ``FootnoteFrame.add`` places a flowable only together with the notes it brings to
  the page: it raises the frame's bottom (``_y1p``) by their height first. If they do
  not all fit, the last note may split (two lines at least stay with the marker) and
  its rest is carried to the foot of the next page, under a "continued" line.
* ``FootnoteFrame.split`` shortens a flowable until the part that stays on the page
  fits with its own notes; so a marker on a page's last line takes its line, and its
  note, to the next page rather than parting from it.
* The notes of a page are drawn when the page ends, under a short rule.

It relies on ReportLab internals (``Frame._y1p``, ``_atTop``, ``_prevASpace`` and the
layout of split paragraphs' frags), so reportlab is pinned exactly.
"""

from __future__ import annotations

import copy

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, Paragraph

MARKER_CALLBACK = "fnref"
RULE_SPACE = 9.0  # the gap above the notes, with the rule in it
RULE_LENGTH = 40 * mm
MAX_CARRY_SHARE = 0.5  # a continued note may take at most half of the next page


def marker(key: str, number: int, link_colour: str) -> str:
    return (f'<super rise="33%" size="66%"><a href="#{key}" color="{link_colour}">{number}</a></super>'
            f'<onDraw name="{MARKER_CALLBACK}" label="{key}"/>')


def note_keys(flowable) -> list[str]:
    """The note keys whose markers ``flowable`` holds, in order, searched through splits, tables and lists."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(obj, depth: int) -> None:
        if depth > 60 or id(obj) in seen:
            return
        seen.add(id(obj))
        definition = getattr(obj, "cbDefn", None)
        if definition is not None and getattr(definition, "name", None) == MARKER_CALLBACK:
            label = definition.label
            if label not in found:
                found.append(label)
            return
        if isinstance(obj, (list, tuple)):
            for item in obj:
                walk(item, depth + 1)
        elif isinstance(obj, Paragraph):
            walk(obj.frags, depth + 1)
        elif isinstance(obj, Flowable):
            for attribute in ("_cellvalues", "_content", "_flowables", "_flowable", "_list_content", "caption"):
                if hasattr(obj, attribute):
                    walk(getattr(obj, attribute), depth + 1)

    walk(flowable, 0)
    return found


class NoteStore:
    """The notes of the issue by key, and the state of one layout pass."""

    def __init__(self) -> None:
        self.notes: dict[str, list[Flowable]] = {}
        self.continued_label: dict[str, Flowable] = {}
        self.reset()

    def reset(self) -> None:
        self.placed: set[str] = set()
        self.carry: list[Flowable] = []

    def add(self, key: str, flowables: list[Flowable], continued: Flowable) -> None:
        self.notes[key] = flowables
        self.continued_label[key] = continued


class FootnoteFrame(Frame):
    def __init__(self, *args, store: NoteStore, **kwargs) -> None:
        self.store = store
        self.page_notes: list[Flowable] = []
        super().__init__(*args, **kwargs)

    def _reset(self) -> None:
        super()._reset()
        self._geom()  # the bottom raised for the last page's notes comes down again
        self.page_notes = []

    def __deepcopy__(self, memo):
        # KeepTogether deep-copies the frame to measure; the note store must stay shared.
        clone = copy.copy(self)
        clone.__dict__["page_notes"] = list(self.page_notes)
        return clone

    # Measuring -------------------------------------------------------------------------------

    def _notes_height(self, flowables: list[Flowable], with_rule: bool) -> float:
        height = sum(f.wrap(self._aW, 10_000)[1] + f.getSpaceAfter() for f in flowables)
        return height + (RULE_SPACE if with_rule and flowables else 0)

    def _new_keys(self, flowable) -> list[str]:
        return [k for k in note_keys(flowable) if k not in self.store.placed and k in self.store.notes]

    def _fit(self, keys: list[str], room: float) -> tuple[list[Flowable], list[Flowable]] | None:
        """Notes for ``keys`` in ``room``: all of them, or all but the end of the last, which is carried."""
        flowables = [f for key in keys for f in self.store.notes[key]]
        rule = not self.page_notes
        if self._notes_height(flowables, rule) <= room:
            return flowables, []
        head, last = flowables[:-1], flowables[-1]
        left = room - self._notes_height(head, rule) - (RULE_SPACE if rule and not head else 0)
        if left <= 0:
            return None
        parts = last.split(self._aW, left - last.getSpaceAfter())
        if len(parts) != 2:
            return None
        return head + [parts[0]], [self.store.continued_label[keys[-1]], parts[1]]

    def _space_before(self, flowable) -> float:
        if self._atTop:
            return 0.0
        space = flowable.getSpaceBefore()
        return max(space - self._prevASpace, 0) if self._oASpace else space

    # Placing ------------------------------------------------------------------------------------

    def add(self, flowable, canv, trySplit=0):
        keys = self._new_keys(flowable)
        if not keys:
            return super().add(flowable, canv, trySplit)
        available = self._y - self._y1p - self._space_before(flowable)
        if available <= 0:
            return 0
        flowable._frame = self
        try:
            _, height = flowable.wrapOn(canv, self._getAvailableWidth(), available)
        finally:
            del flowable._frame
        fit = self._fit(keys, available - height)
        if fit is None:
            return 0
        now, carried = fit
        saved = self._y1p
        self._y1p += self._notes_height(now, not self.page_notes)
        if not super().add(flowable, canv, trySplit):
            self._y1p = saved
            return 0
        self.page_notes += now
        self.store.placed.update(keys)
        self.store.carry += carried
        return 1

    def split(self, flowable, canv):
        if not self._new_keys(flowable):
            return super().split(flowable, canv)
        available = self._y - self._y1p - self._space_before(flowable)
        step = flowable.style.leading if isinstance(flowable, Paragraph) else 6.0
        height = available
        flowable._frame, flowable.canv = self, canv
        try:
            while height >= step:
                parts = flowable.split(self._aW, height)
                if len(parts) >= 2:
                    _, first_height = parts[0].wrapOn(canv, self._aW, available)
                    keys = self._new_keys(parts[0])
                    if first_height <= available and (not keys or self._fit(keys, available - first_height)):
                        return parts
                height -= step
        finally:
            for attribute in ("_frame", "canv"):
                if hasattr(flowable, attribute):
                    delattr(flowable, attribute)
        return []

    def place_carried(self) -> None:
        """At the top of a new page: the rest of a note begun on the page before."""
        if not self.store.carry:
            return
        room = self._aH * MAX_CARRY_SHARE - RULE_SPACE
        placed: list[Flowable] = []
        pending = list(self.store.carry)
        while pending:
            flowable = pending[0]
            height = self._notes_height([flowable], False)
            if height <= room:
                placed.append(pending.pop(0))
                room -= height
                continue
            parts = flowable.split(self._aW, room - flowable.getSpaceAfter()) if room > 0 else []
            if len(parts) == 2:
                placed.append(parts[0])
                pending[0] = parts[1]
            break
        self.store.carry = pending
        self._y1p += self._notes_height(placed, True)
        self.page_notes += placed

    def draw_notes(self, canvas, colour) -> None:
        if not self.page_notes:
            return
        height = self._notes_height(self.page_notes, True)
        top = self._y1 + self._bottomPadding + height
        canvas.saveState()
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(0.5)
        x = self._x1 + self._leftPadding
        canvas.line(x, top - RULE_SPACE / 2, x + RULE_LENGTH, top - RULE_SPACE / 2)
        canvas.restoreState()
        y = top - RULE_SPACE
        for flowable in self.page_notes:
            _, h = flowable.wrap(self._aW, 10_000)
            y -= h
            flowable.drawOn(canvas, x, y)
            y -= flowable.getSpaceAfter()


class FlushNotes(Flowable):
    """Before a page that takes no notes (the back cover): start pages until no note is still carried."""

    def __init__(self, store: NoteStore) -> None:
        super().__init__()
        self.store = store

    def wrap(self, available_width, available_height):
        return (0, available_height + 1) if self.store.carry else (0, 0)

    def split(self, available_width, available_height):
        return []

    def draw(self) -> None:
        pass


def no_op_marker(canvas, kind, label) -> None:
    """The callback of the marker fragment; placement is decided by the frame, not here."""

