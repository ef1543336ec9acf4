"""Footnotes at the foot of the page that holds their marker.

ReportLab has none. The design, after WeasyPrint's ``layout_footnote`` /
``report_footnote`` (the page's bottom line moves up as notes are taken on, and back
down when the box that brought them is taken back):

* Each flowable knows the notes it brings (``notes.notes_of``): the story builder
  recorded them when it made the flowable.
* ``FootnoteFrame.add`` places a flowable only together with the notes it brings to the
  page: it raises the frame's bottom by their height first, and lowers it again if the
  flowable is not placed. If the notes do not all fit, the last one may split (two
  lines at least stay with the marker) and its rest is carried to the foot of the next
  page, under an "N (continued)" line.
* ``FootnoteFrame.split`` keeps ReportLab's split contract for every kind of flowable:
  a container (a keep-together, a figure) is split once, the ReportLab way, and its
  children come back through the frame one at a time, each reserving room for its own
  notes; only a leaf that gets shorter as the height shrinks (a paragraph's lines, a
  table's rows) is shortened until the part that stays fits with its own notes. Action
  flowables are never wrapped.
* What cannot be split even at the top of an empty page raises ``TooTall``, which the
  renderer reports as an input error at the flowable's line.
* The notes of a page are drawn when the page ends, under a short rule.

The state of the pass (notes placed, carried, reserved on this page) is the
``LayoutPass`` of ``state.py``; the frame's own bottom limit is reached through
``compat``.
"""

from __future__ import annotations

import copy
from contextlib import nullcontext

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

from . import compat
from .keeps import KeepStart
from .notes import gather, is_action, notes_of, record, shortens
from .state import LayoutPass
from .tagging import Tagger, TaggingFrame, marking, structure_of

RULE_SPACE = 9.0  # the gap above the notes, with the rule in it
RULE_LENGTH = 40 * mm
MAX_CARRY_SHARE = 0.5  # a continued note may take at most half of the next page
NOTES_ONLY_ROOM = 0.2  # less room than this share left by notes that took a page: nothing else goes there
NOTE_MEASURE_HEIGHT = 10_000


class TooTall(Exception):
    """A flowable that fits no page, even split; ``flowable.issue_where`` says where it comes from."""

    def __init__(self, flowable: Flowable) -> None:
        self.flowable = flowable
        super().__init__(f"{type(flowable).__name__} taller than a page and not splittable")


class NoteStore:
    """The notes of the issue by key, as the story builder made them (a pure description)."""

    def __init__(self) -> None:
        self.notes: dict[str, list[Flowable]] = {}
        self.continued_label: dict[str, Flowable] = {}

    def add(self, key: str, flowables: list[Flowable], continued: Flowable) -> None:
        self.notes[key] = flowables
        self.continued_label[key] = continued


class FootnoteFrame(TaggingFrame):
    def __init__(self, *args, store: NoteStore, state: LayoutPass, **kwargs) -> None:
        self.store = store
        self.state = state
        super().__init__(*args, **kwargs)

    def place(self, flowable, canv, trySplit=0) -> int:
        """Placed as every tagging frame places, and recorded for the page's spreading (``bottoms``)."""
        started = self.state.placements.start(canv)
        if not super().place(flowable, canv, trySplit):
            return 0
        if isinstance(flowable, CondPageBreak):
            return 1  # (a keep draws nothing, and its foot is not the page's)
        self.state.placements.placed(canv, started, compat.frame_cursor(self) + flowable.getSpaceAfter(),
                                     getattr(flowable, "is_heading", False) or getattr(flowable, "head_part", False))
        return 1

    def _reset(self) -> None:
        super()._reset()
        compat.frame_restore_bottom(self)  # the bottom raised for the last page's notes comes down again
        self.state.placements.clear()
        self.state.page_broken = False
        self.state.page_notes = []
        self.state.carried_here = False
        self.state.carried_gave_way = False
        self.state.carried_count = 0
        self.state.notes_only = False

    def __deepcopy__(self, memo):
        # KeepTogether deep-copies the frame to measure; the store and the pass state stay shared.
        return copy.copy(self)

    # Measuring -------------------------------------------------------------------------------

    @property
    def _content_width(self) -> float:
        return compat.frame_available_width(self)

    @property
    def width_for_text(self) -> float:
        return self._content_width

    def room_left(self) -> float:
        """The height left above the notes reserved on this page."""
        return compat.frame_cursor(self) - compat.frame_bottom(self)

    def _room(self, flowable) -> float:
        """The height left for ``flowable`` and the notes it brings."""
        return compat.frame_cursor(self) - compat.frame_bottom(self) - compat.frame_space_before(self, flowable)

    def _measure(self, flowable, canv, height: float) -> float:
        with compat.placing_in(self, flowable):  # a keep-together asks its frame whether it stands at the top
            return flowable.wrapOn(canv, self._content_width, height)[1]

    def _notes_height(self, flowables: list[Flowable], with_rule: bool) -> float:
        height = sum(f.wrap(self._content_width, NOTE_MEASURE_HEIGHT)[1] + f.getSpaceAfter() for f in flowables)
        return height + (RULE_SPACE if with_rule and flowables else 0)

    def _new_keys(self, flowable) -> list[str]:
        keys: list[str] = []
        for key in notes_of(flowable):
            if key not in keys and key not in self.state.notes_placed and key in self.store.notes:
                keys.append(key)
        return keys

    def least_notes_height(self, keys: list[str]) -> float:
        """The least room the notes of ``keys`` need here: the first lines of each, and the rule."""
        heads = sum(self._least_head(self.store.notes[key]) for key in keys)
        return heads + (0 if self.state.page_notes else RULE_SPACE)

    def notes_height_on_empty_page(self, keys) -> float:
        """The room the notes of ``keys`` not yet placed would take, whole, on an empty page."""
        new = [key for key in dict.fromkeys(keys) if key not in self.state.notes_placed and key in self.store.notes]
        return self._notes_height([f for key in new for f in self.store.notes[key]], True)

    def _fit(self, keys: list[str], room: float) -> tuple[list[Flowable], list[Flowable]] | None:
        """The notes for ``keys`` in ``room``: (the parts set here, the parts carried to the next page).

        All of them if they fit. Otherwise each still begins here, with at least its first
        lines, and what does not fit goes on at the foot of the next page under "N (continued)",
        in order; None if not even the first lines of every note fit.
        """
        notes = [self.store.notes[key] for key in keys]
        rule = not self.state.page_notes
        if self._notes_height([f for note in notes for f in note], rule) <= room:
            return [f for note in notes for f in note], []
        room -= RULE_SPACE if rule else 0
        heads = [self._least_head(note) for note in notes]
        if sum(heads) > room:
            return None
        now: list[Flowable] = []
        carried: list[Flowable] = []
        for index, (key, note) in enumerate(zip(keys, notes)):
            left = room - sum(heads[index + 1:])  # the notes after this one keep room to begin
            here, rest = self._split_note(note, left)
            now += here
            room -= self._notes_height(here, False)
            if rest:
                carried += [self.store.continued_label[key]] + rest
        return now, carried

    def _least_head(self, note: list[Flowable]) -> float:
        """The least of a note that may stand on a page by itself: its first two lines (or all of a
        shorter first paragraph, or a first block that does not split)."""
        first = note[0]
        whole = self._notes_height([first], False)
        leading = getattr(getattr(first, "style", None), "leading", None)
        if leading is None:
            return whole
        parts = first.split(self._content_width, 2 * leading + 0.5)
        return self._notes_height(parts[:1], False) if len(parts) == 2 else whole

    def _split_note(self, note: list[Flowable], room: float) -> tuple[list[Flowable], list[Flowable]]:
        """The parts of ``note`` that fit in ``room``, and the rest."""
        here: list[Flowable] = []
        for position, flowable in enumerate(note):
            height = self._notes_height([flowable], False)
            if height <= room:
                here.append(flowable)
                room -= height
                continue
            parts = flowable.split(self._content_width, room - flowable.getSpaceAfter()) if room > 0 else []
            for part in parts:
                part.structure = structure_of(flowable)
            if len(parts) == 2:
                return here + [parts[0]], [parts[1]] + note[position + 1:]
            return here, note[position:]
        return here, []

    # Placing ------------------------------------------------------------------------------------

    def add(self, flowable, canv, trySplit=0):
        if isinstance(flowable, FlushNotes):
            return 0 if self.state.carried else 1
        if self.state.notes_only and not is_action(flowable):
            return 0
        if isinstance(flowable, KeepStart):
            if compat.frame_at_top(self):
                # Under notes carried from the page before (nothing is gained by moving on): they take
                # only their first lines if that lets the start fit, and the head's block start below it.
                short = self._room(flowable) < flowable.needed
                no_lead = flowable.following is not None and not self._head_leads_here(flowable, canv, False)
                if short or no_lead:
                    self._give_way(lambda: (not short or self._room(flowable) >= flowable.needed)
                                   and (not no_lead or self._head_leads_here(flowable, canv, False)))
                if no_lead and self.state.carried_here and not self._head_leads_here(flowable, canv, False):
                    # Under notes carried here, even at their first lines, the block cannot start
                    # below the head: the notes take this page, all they need of it, and the head
                    # goes on with its block to be weighed again on the next.
                    self.state.notes_first = True
                    self._lay_carried_again(least=False)
                    self.add_generated_content(FrameBreak, flowable)
                    return 1
                # At a page top the keep asks no more than its cap: a head taller than that stands
                # here whatever (it fits an empty page), and nothing is gained by moving on.
                asked = flowable.height
                flowable.height = min(asked, flowable.capped)
                try:
                    return super().add(flowable, canv, trySplit)
                finally:
                    flowable.height = asked
            elif flowable.following is not None and (self._room(flowable) < flowable.height
                                                     or not self._head_leads_here(flowable, canv)):
                # The head goes on with its block, and its keep with it, to be weighed again at the
                # top of the next page (under the notes carried there).
                self.add_generated_content(FrameBreak, flowable)
                return 1
        keys = self._new_keys(flowable)
        if not keys:
            return self.place(flowable, canv, trySplit)
        room = self._room(flowable)
        if room <= 0:
            return 0
        fit = self._fit(keys, room - self._measure(flowable, canv, room))
        if fit is None and hasattr(flowable, "minimum_height"):
            # A figure takes all the room it is given: shrunk, it leaves its caption's notes theirs.
            fit = self._fit(keys, room - self._measure(flowable, canv, room - self.least_notes_height(keys)))
        if fit is None:
            return 0
        now, carried = fit
        saved = compat.frame_bottom(self)
        compat.set_frame_bottom(self, saved + self._notes_height(now, not self.state.page_notes))
        if not self.place(flowable, canv, trySplit):
            compat.set_frame_bottom(self, saved)
            return 0
        self.state.page_notes += now
        self.state.notes_placed.update(keys)
        self.state.carried += carried
        return 1

    def split(self, flowable, canv):
        parts = self._split(flowable, canv)
        element = structure_of(flowable)
        if element is not None:
            for part in parts:  # the parts of a paragraph, table or figure are its element's
                if not hasattr(part, "structure") and not is_action(part):
                    part.structure = element
        return parts

    def _split(self, flowable, canv):
        if isinstance(flowable, FlushNotes):
            return [PageBreak(), FlushNotes()]  # a page for the carried notes, then look again
        if self.state.notes_only and not is_action(flowable):
            compat.forget_postponed(flowable)
            return []  # on to the next page
        if compat.frame_at_top(self) and not shortens(flowable) and not is_action(flowable) \
                and self._give_way(lambda: self._fits_whole(flowable, canv)):
            # A block that would break apart (a heading kept with what follows it) or move on
            # at the top of a page: the notes carried here take only their first lines first.
            return [NullActionFlowable(), flowable]
        if isinstance(flowable, KeepTogether) and not compat.frame_at_top(self) \
                and self._whole_height(flowable, canv) > compat.frame_available_height(self):
            # No page holds it whole (a letter's one long paragraph and its signature): moved on,
            # it would break apart there all the same, and leave this page's room, and a heading
            # over it, behind. Its children come back through ``add`` one at a time.
            return [NullActionFlowable()] + compat.keep_together_content(flowable)
        if not self._new_keys(flowable):
            parts = _kept_on(flowable, super().split(flowable, canv))
        elif shortens(flowable):
            parts = self._shorten(flowable, canv)
        else:
            # A container: split once; its children come back through ``add`` one at a time
            # (ReportLab adds a first part that is not an action at once, without its notes).
            parts = _kept_on(flowable, super().split(flowable, canv))
            if any(part is flowable for part in parts):
                parts = []
            elif parts and not is_action(parts[0]):
                parts = [NullActionFlowable()] + parts
        if not parts and compat.frame_at_top(self) and not is_action(flowable):
            if self._give_way(lambda: self._fits_whole(flowable, canv)):
                return [NullActionFlowable(), flowable]  # once more, with the room the notes gave
            if not self.state.carried_here:
                raise TooTall(flowable)
            # Notes carried from the page before take room here: the next page has more of it,
            # and the notes take all they need there, to leave the page after that to it.
            compat.forget_postponed(flowable)
            self.state.notes_first = True
        return parts

    def _head_leads_here(self, keep: KeepStart, canv, at_top: bool = True) -> bool:
        """Whether the block a head heads (``keep.following``) can set some of itself, with the
        notes that brings, below the head on this page; at the top of a page (nothing gained by
        moving on; unless ``at_top`` is False) and before a block the frame does not shorten (its
        keep measured it), yes."""
        following = keep.following
        if following is None or (at_top and compat.frame_at_top(self)):
            return True
        with compat.below_the_top(self):  # the block will stand below the head
            return self._leads_below(keep, following, canv)

    def _leads_below(self, keep: KeepStart, following, canv) -> bool:
        room = self._room(keep) - keep.head_height - compat.frame_space_before(self, following)
        if room <= 0:
            return False
        if isinstance(following, KeepTogether):
            whole = self._whole_height(following, canv)
            if whole <= compat.frame_available_height(self):
                # (a letter's end, kept whole with its signature: it moves on whole unless it fits)
                return self._sets_with_notes(following, whole, room)
            content = compat.keep_together_content(following)  # it breaks apart here (``split``)
            if not content:
                return True
            following = content[0]
        least = getattr(following, "minimum_height", None)  # a figure, which shrinks so far and no further
        if least is not None:
            return self._sets_with_notes(following, least(self._content_width) + following.room_below, room)
        if not shortens(following):
            return True
        with compat.placing_in(self, following, canv):  # placed below the head: not at the top
            if self._sets_with_notes(following, self._measure(following, canv, room), room):
                return True
            return bool(self._shorten(following, canv, room))

    def _sets_with_notes(self, flowable, height: float, room: float) -> bool:
        """Whether ``flowable``, ``height`` high, fits ``room`` with the first lines of its notes."""
        keys = self._new_keys(flowable)
        return height <= room and (not keys or self._fit(keys, room - height) is not None)

    def _shorten(self, flowable, canv, room: float | None = None) -> list:
        """The split of a leaf whose first part fits together with the notes of that part (in
        ``room``, by default the room left here)."""
        room = self._room(flowable) if room is None else room
        height = room
        with compat.placing_in(self, flowable, canv):
            while height >= 1:
                parts = flowable.split(self._content_width, height)
                if not parts or is_action(parts[0]):
                    return []
                first_height = self._measure(parts[0], canv, room)
                if len(parts) >= 2 and first_height <= room:
                    keys = self._new_keys(parts[0])
                    if not keys or self._fit(keys, room - first_height):
                        return parts
                # Next, a first part shorter than this one (at least a line or a row less).
                height = min(height, first_height) - 0.5
        return []

    def place_carried(self, least: bool = False) -> None:
        """At the top of a new page: the rest of the notes begun on the page before, each under
        its "N (continued)" line. They take up to ``MAX_CARRY_SHARE`` of the page, more if that
        is what it takes for every one of them to go on here; with ``least``, only the first
        lines of each."""
        state = self.state
        state.carried_at_page_start = list(state.carried)
        if not state.carried:
            return
        groups = self._carried_notes(state.carried)
        heads = [self._notes_height([label], False) + self._least_head(parts) for label, parts in groups]
        full = compat.frame_available_height(self) - RULE_SPACE
        share = 1.0 if state.notes_first else MAX_CARRY_SHARE
        notes_first, state.notes_first = state.notes_first, False
        room = min(full, sum(heads) if least else max(full * share, sum(heads)))
        placed: list[Flowable] = []
        carried: list[Flowable] = []
        for index, (label, parts) in enumerate(groups):
            label_height = self._notes_height([label], False)
            left = room - sum(heads[index + 1:]) - label_height
            # (Only when even the first lines of all of them overfill a page does one wait.)
            here, rest = self._split_note(parts, left) if left >= heads[index] - label_height - 0.01 else ([], parts)
            if here:
                placed += [label] + here
                room -= self._notes_height([label] + here, False)
            if rest:
                carried += [label] + rest
        state.carried = carried
        compat.set_frame_bottom(self, compat.frame_bottom(self) + self._notes_height(placed, True))
        state.page_notes += placed
        state.carried_count = len(placed)
        state.carried_here = bool(placed)
        # Notes that took (nearly) all of a page for the block waiting on them: the page is theirs,
        # rather than a kicker or two lines standing above them, parted from what follows.
        state.notes_only = notes_first and self.room_left() < NOTES_ONLY_ROOM * compat.frame_available_height(self)

    def _give_way(self, fits) -> bool:
        """Lay the carried notes of this page out again with only their first lines, if then
        ``fits()`` (once a page, and only while no other note has been taken on it); whether
        they did. Notes that gave way for nothing would crawl on two lines a page."""
        state = self.state
        if not state.carried_here or state.carried_gave_way or len(state.page_notes) != state.carried_count:
            return False
        state.carried_gave_way = True
        before = self._notes_height(state.page_notes, True)
        self._lay_carried_again(least=True)
        if self._notes_height(state.page_notes, True) < before - 0.5 and fits():
            return True
        self._lay_carried_again(least=False)
        return False

    def _lay_carried_again(self, least: bool) -> None:
        state = self.state
        compat.set_frame_bottom(self, compat.frame_bottom(self) - self._notes_height(state.page_notes, True))
        state.page_notes = []
        state.carried = state.carried_at_page_start
        self.place_carried(least=least)

    def _fits_whole(self, flowable, canv) -> bool:
        """Whether ``flowable`` fits the room left whole (a keep-together: its parts together)."""
        return self._whole_height(flowable, canv) <= self._room(flowable)

    def _whole_height(self, flowable, canv) -> float:
        parts = compat.keep_together_content(flowable) if isinstance(flowable, KeepTogether) else [flowable]
        return sum(self._measure(part, canv, NOTE_MEASURE_HEIGHT) + part.getSpaceAfter() for part in parts)

    def _carried_notes(self, carried: list[Flowable]) -> list[tuple[Flowable, list[Flowable]]]:
        """The carried parts as (its "continued" line, its parts) for each note."""
        labels = {id(label) for label in self.store.continued_label.values()}
        groups: list[tuple[Flowable, list[Flowable]]] = []
        for flowable in carried:
            if id(flowable) in labels or not groups:
                groups.append((flowable, []))
            else:
                groups[-1][1].append(flowable)
        return groups

    def draw_notes(self, canvas, colour, tagger: Tagger | None = None) -> None:
        notes = self.state.page_notes
        if not notes:
            return
        height = self._notes_height(notes, True)
        left, bottom = compat.frame_origin(self)
        top = bottom + height
        with _marked(tagger, canvas, None):  # the rule above the notes
            canvas.saveState()
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(0.5)
            canvas.line(left, top - RULE_SPACE / 2, left + RULE_LENGTH, top - RULE_SPACE / 2)
            canvas.restoreState()
        y = top - RULE_SPACE
        for flowable in notes:
            _, h = flowable.wrap(self._content_width, NOTE_MEASURE_HEIGHT)
            y -= h
            with marking(canvas, flowable):
                flowable.drawOn(canvas, left, y)
            y -= flowable.getSpaceAfter()
        self.state.page_notes = []


def _kept_on(flowable, parts: list) -> list:
    """A keep-together that moves to the next frame stays one there.

    ReportLab's ``KeepTogether.split`` gives a frame break and then its children loose, so on
    the next page nothing keeps them together any more; there, notes carried onto the page may
    leave less room than a page has, and a heading would end the page without what it heads.
    """
    rest = compat.keep_moved_on(parts) if isinstance(flowable, KeepTogether) else None
    if rest is None:
        return parts
    return [parts[0], record(KeepTogether(rest), gather(rest))]


class FlushNotes(Flowable):
    """Before a page that takes no notes (the back cover): the frame starts pages until no note is carried."""

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        pass


def _marked(tagger: Tagger | None, canvas, element):
    return tagger.marked(canvas, element) if tagger is not None else nullcontext()
