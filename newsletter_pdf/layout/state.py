"""The state of one layout pass: everything that changes while a story is laid out.

Each ``render`` is one pass over the story (the contents know their length before layout)
and makes a new ``LayoutPass``; the document template, its frames and its actions write
here. The story itself is a pure description of the issue and could be laid out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import Flowable

from .bottoms import PlacementRecord
from .tagging import Tagger


@dataclass
class LayoutPass:
    # Notes: the keys placed so far, the rest of a note carried to the next page, and the
    # note parts reserved on the page being filled (drawn when the page ends).
    notes_placed: set[str] = field(default_factory=set)
    carried: list[Flowable] = field(default_factory=list)
    page_notes: list[Flowable] = field(default_factory=list)
    carried_here: bool = False  # notes carried from the page before took room on this page
    # The carried parts as they stood when this page began, and whether they already gave way
    # (took only their first lines) to let the page's first flowable fit.
    carried_at_page_start: list[Flowable] = field(default_factory=list)
    carried_gave_way: bool = False
    carried_count: int = 0  # how many of ``page_notes`` are carried parts
    notes_first: bool = False  # a flowable waits for the carried notes: they take all the next page needs
    notes_only: bool = False  # ... and left too little room for anything else: the page is theirs
    page_begun: bool = False  # a body page has begun and nothing is placed on it yet
    # What the flowables of the body page being filled drew, to spread them to its foot, unless
    # a page break ends it (``bottoms.py``).
    placements: PlacementRecord = field(default_factory=PlacementRecord)
    page_broken: bool = False
    # Pictures that did not fit the page they came to: the text went on past them, and they
    # stand at the top of the next page (or where their section ends, if that comes first).
    floating: list[Flowable] = field(default_factory=list)
    # Contents: the page each entry's heading was placed on, by entry key.
    pages: dict[str, int] = field(default_factory=dict)
    # Bookmarks: the level of the last outline entry (levels may rise one at a time).
    outline_level: int = -1
    # The marked content drawn so far, for the structure tree (None: the PDF is not tagged).
    tagger: Tagger | None = None
    # For error messages: the section being laid out.
    section: str = "the cover"
