"""The document template: page templates, the contents' page numbers, bookmarks and metadata, in one layout pass."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.platypus import ActionFlowable, BaseDocTemplate, PageBreak

from .. import __version__, model
from . import compat
from .fonts import SERIF
from .contents import ContentsPlan, draw_contents_numbers
from .covers import draw_cover_numbers
from .bottoms import spread
from .fitting import fit_end_to_page
from .footnotes import FlushNotes, FootnoteFrame, NoteStore
from .keeps import KeepStart
from .notes import notes_of
from .notes import MARKER_CALLBACK
from .logo import Logo
from .pages import PageSetup, page_templates
from .pictures import FlexFigure
from .state import LayoutPass
from .tagging import Element, Tagger
from .text import TextSetter
from .typography import typeset
from .styles import BODY_LEADING, MARGIN_BOTTOM, MARGIN_INNER, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, Palette


class NewsletterDoc(BaseDocTemplate):
    """One document for one layout pass: its frames and actions keep their state in ``self.state``."""

    def __init__(self, target: str | BinaryIO, issue: model.Issue, palette: Palette, notes: NoteStore,
                 setup: PageSetup, text: TextSetter, logo: Logo | None = None, structure: Element | None = None) -> None:
        self.state = LayoutPass(tagger=Tagger(structure) if structure is not None else None)
        subject = typeset(" · ".join(x for x in (issue.period, issue.publisher) if x)).replace("\u00a0", " ")
        super().__init__(
            target,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_INNER, rightMargin=MARGIN_INNER, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=typeset(issue.full_title).replace("\u00a0", " "),  # as the running head prints it
            author=issue.publisher,
            subject=subject,
            creator=f"newsletter-pdf {__version__}",
            producer=f"newsletter-pdf {__version__} (ReportLab)",
            keywords=f"newsletter, issue {issue.number}",
            lang=issue.language,
            displayDocTitle=1,
            # No wall-clock time or random ID in the file: the issue's date is the document's date.
            invariant=1,
            initialFontName=SERIF,  # otherwise every page names an unembedded Helvetica
            cropMarks=setup.crop_mark_spec(),
        )
        self.setup = setup
        self.issue = issue
        self.notes = notes
        self.palette = palette
        self.addPageTemplates(page_templates(issue, palette, notes, self.state, setup, text, logo))
        stamp = issue.date.strftime("D:%Y%m%d000000+00'00'")
        self._date_stamp = stamp

    def beforeDocument(self) -> None:
        stamp = self._date_stamp
        self.canv.setDateFormatter(lambda *_: stamp)
        self.canv.setNamedCB(MARKER_CALLBACK, _no_op_marker)
        self.canv.tagger = self.state.tagger
        if self.state.tagger is not None:
            self.canv.document_language = self.issue.language
        boxes = self.setup.boxes()
        if boxes:  # kept for every page from here on
            self.canv.setTrimBox(boxes[0])
            self.canv.setBleedBox(boxes[1])

    def handle_frameBegin(self, *args, **kwargs) -> None:
        super().handle_frameBegin(*args, **kwargs)
        if isinstance(self.frame, FootnoteFrame):
            self.frame.place_carried()
            self.state.page_begun = True

    def handle_flowable(self, flowables) -> None:
        if self.state.page_begun:
            self.state.page_begun = False
            self._land_floating(flowables)
            self._fit_piece_end(flowables)
        if self._float_past(flowables):
            return
        super().handle_flowable(flowables)

    def _float_past(self, flowables) -> bool:
        """A picture in the run of the text that does not fit the room left, even shrunk, waits
        for the next page's top, and the text after it goes on here: it moves, in the list, to
        just before its section's end (where it is set anyway if no new page came first), and
        ``_land_floating`` brings it to the front when a page begins. Whether it moved."""
        figure = flowables[0]
        floating = self.state.floating
        if any(f is figure for f in floating):
            floating.remove(figure)  # its section ends on this page: set here, or moved on as usual
            return False
        frame = getattr(self, "frame", None)  # (none before the first page)
        if not getattr(figure, "floats", False) or not isinstance(frame, FootnoteFrame) or compat.frame_at_top(frame):
            return False
        room = frame.room_left() - compat.frame_space_before(frame, figure)
        if figure.minimum_height(frame.width_for_text) <= room:
            return False  # it fits, shrunk if it must
        end = next((n for n, f in enumerate(flowables) if n and _ends_run(f)), len(flowables))
        if end == 1 or floating:
            return False  # no text to go on with, or a picture already waits (pictures keep their order)
        flowables.insert(end, flowables.pop(0))
        floating.append(figure)
        return True

    def _land_floating(self, flowables) -> None:
        """At the top of a page: the pictures that wait for it first."""
        if not self.state.floating:
            return
        waiting = [f for f in flowables if any(f is w for w in self.state.floating)]
        rest = [f for f in flowables if not any(f is w for w in waiting)]
        if waiting and rest:
            # What was moved on to this page expected its top: under the pictures it may not fit
            # and move on once more, which ReportLab refuses of a flowable it has already moved.
            compat.forget_postponed(rest[0])
        flowables[:] = waiting + rest
        self.state.floating = []

    def _fit_piece_end(self, flowables) -> None:
        """A piece whose rest would run a few lines onto a page of their own (a new page follows
        it) is tightened to end on this one (``fitting.py``)."""
        rest = []
        for position, flowable in enumerate(flowables):
            if isinstance(flowable, (PageBreak, FlushNotes)):
                break
            if isinstance(flowable, SectionStart):
                if not rest:
                    continue  # the piece starts at this page's top
                following = flowables[position + 1] if position + 1 < len(flowables) else None
                if not isinstance(following, PageBreak):
                    return  # the next section runs on here: the page fills anyway
                break
            if notes_of(flowable):
                return  # its notes need room too: left as it is
            rest.append(flowable)
        else:
            return
        fit_end_to_page(rest, self.frame.width_for_text, self.frame.room_left(), BODY_LEADING)

    def handle_pageBreak(self, slow=None) -> None:  # noqa: N802 - ReportLab's name
        self.state.page_broken = True  # a piece ends here: its page is not spread to the foot
        super().handle_pageBreak(slow)

    def handle_pageEnd(self) -> None:
        for frame in self.pageTemplate.frames:
            if isinstance(frame, FootnoteFrame) and not self.state.page_broken:
                spread(self.canv, self.state.placements.placements, compat.frame_bottom(frame))
        for frame in self.pageTemplate.frames:
            if isinstance(frame, FootnoteFrame):
                if self.state.page_notes:
                    compat.count_page_content(self)  # a page of notes alone is not an empty page
                frame.draw_notes(self.canv, self.palette.muted, self.state.tagger)
        super().handle_pageEnd()

    def afterFlowable(self, flowable) -> None:
        entry = getattr(flowable, "contents_entry", None)
        if entry is None:
            return
        self.state.pages[entry.key] = self.canv.getPageNumber()
        # Outline levels may rise by one at a time only.
        level = min(entry.level, self.state.outline_level + 1)
        self.canv.addOutlineEntry(_plain(entry.text), entry.key, level=level, closed=False)
        self.state.outline_level = level

    def handle_sectionStart(self, label: str) -> None:
        self.state.section = label

    def handle_contentsNumbers(self, plan: ContentsPlan, cover_keys: tuple = ()) -> None:
        draw_contents_numbers(self.canv, plan, self.state.pages)
        draw_cover_numbers(self.canv, cover_keys, self.state.pages, plan.styles)


def _ends_run(flowable) -> bool:
    """Where the text a floating picture lets go on past it stops: its section's end, a page
    break, another picture (pictures keep their order), or a heading (a picture set after the
    heading that follows it would read as that heading's)."""
    return isinstance(flowable, (ActionFlowable, PageBreak, FlushNotes, FlexFigure, KeepStart)) \
        or getattr(flowable, "is_heading", False)


class SectionStart(ActionFlowable):
    """Marks where a section's flowables begin, so that an internal error can name the section."""

    def __init__(self, label: str) -> None:
        super().__init__(("sectionStart", label))


def _no_op_marker(canvas, kind, label) -> None:
    """The callback of the note marker fragment; placement is decided by the frame, not here."""


def _plain(markup: str) -> str:
    """Outline titles are plain text: drop the font tags that fallback added."""
    import re
    from xml.sax.saxutils import unescape

    return unescape(re.sub(r"<[^>]+>", "", markup))
