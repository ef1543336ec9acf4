"""The document model -> the story: the flowables ReportLab lays out, in order."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, KeepTogether, NextPageTemplate, PageBreak, Spacer

from .. import model
from ..issue.errors import IssueError, Problem
from .contents import ContentsEntry, ContentsNumbers, ContentsPlan, MarkedFlowable, MarkedParagraph
from .covers import FrontCover, back_cover_story
from .anchors import Anchors
from .fonts import SANS, SERIF, FontFallback, is_cjk
from .doctemplate import SectionStart
from .fitting import fit_in_columns, fit_to_page, overflow
from .footnotes import FlushNotes, NoteStore
from .indent import Indented, Label, Rule, ordinal_label
from .logo import Logo
from .keeps import KeepStart, Separator, head_break, measure, start_break
from .notes import gather, note_destination, record
from .pages import BACK, BLANK, BODY, PageSetup
from .paragraph import Paragraph
from .pictures import FlexFigure, Pictures, PictureSource
from .styles import BODY_LEADING, FRAME_HEIGHT, FRAME_WIDTH, Styles, table_style
from .tables import MIN_SPLIT_ROWS, DataTable, Table, TableSpec
from .tagging import Element, give, table_structure
from .text import TextSetter

GROUP_SPACE_ABOVE = 8 * mm  # above a group's banner that runs on after the section before
ONE_PAGE_KINDS = ("foreword", "message")  # pieces tightened to fit their page when they nearly do
KIND_LABELS = {"article": "Feature", "report": "Event report", "message": "Message", "foreword": "From the Head"}
BULLETS = ("\u2022", "\u2013", "\u2023")  # all three are in the text faces
ORDERED_STYLES = ("1", "a", "i")
QUOTE_INDENT = 8 * mm  # where a quote's rule stands
QUOTE_PADDING = 10.0  # from the rule to the text
QUOTE_SPACE = 8.0  # after a quote
LIST_SPACE_AFTER = 4.0
# Below about 10 mm a column cannot hold a word and its padding.
MAX_TABLE_COLUMNS = int(FRAME_WIDTH // (10 * mm))
# A cell's padding: left, right, top, bottom. With the 11 pt leading of ``table_cell`` a row of
# one line is 12.8 pt, about 1.4 times its 9 pt type; the extra 0.6 pt below sets the capitals
# in the middle of the row (ReportLab puts the first baseline one type size below the top).
TABLE_PADDING = (6.0, 6.0, 0.6, 1.2)
CONTINUED = "(continued)"


class StoryBuilder:
    def __init__(self, issue: model.Issue, styles: Styles, source: PictureSource, setup: PageSetup,
                 page_starts: frozenset[str] = frozenset({"article"}), logo: Logo | None = None) -> None:
        self.issue = issue
        self.logo = logo
        self.page_starts = page_starts
        self.styles = styles
        self.anchors = Anchors(issue)
        self.text = TextSetter(FontFallback(issue.language), styles.palette.primary.hexval(), self.anchors)
        self.pictures = Pictures(styles, self.text, source)
        self.source = source
        self.setup = setup
        self.notes = NoteStore()
        self.warnings: list[str] = []  # for the officer, shown with the build's summary
        self.width = FRAME_WIDTH
        self.problems: list[Problem] = []
        self.series_widths: dict[int, list[float]] = {}  # id of a table block -> the widths its series shares
        # The structure tree, made with the flowables, in the issue's order (tagging.py); blocks
        # are made under ``structure_parent``.
        self.structure = Element("Document")
        self.structure_parent = self.structure
        self.heading_base = 1  # the heading level of a section's title (2 in a group, under its banner)
        self.last_heading = 1  # the level of the heading last tagged: the next may go at most one deeper

    def highlight_keys(self) -> tuple[str | None, ...]:
        """For each cover line, the contents entry whose title it gives (the same words, or the
        start of them), or None."""
        cover = self.issue.cover
        if not cover:
            return ()
        titles: list[tuple[str, str]] = []
        for entry in ([self.issue.foreword] if self.issue.foreword else []) + list(self.issue.entries):
            for section in entry.sections if isinstance(entry, model.Group) else [entry]:
                titles += [(_words(section.title), section.key), (_words(section.toc_title), section.key)]
            if isinstance(entry, model.Group):
                titles.append((_words(entry.title), self._group_key(entry)))
        keys: list[str | None] = []
        for highlight in cover.highlights:
            words = _words(highlight)
            exact = next((key for title, key in titles if title == words), None)
            start = next((key for title, key in titles if len(words) >= 12 and title.startswith(words)), None)
            keys.append(exact or start)
        return tuple(keys)

    def _group_key(self, group: model.Group) -> str:
        return f"group-{next(i for i, e in enumerate(self.issue.entries) if e is group)}"

    def contents_entries(self) -> dict[str, ContentsEntry]:
        """Every line of the contents, in order, by key (titles as set in the contents)."""
        issue = self.issue
        entries = {}
        if issue.foreword:
            entries[issue.foreword.key] = ContentsEntry(0, self.text.plain(issue.foreword.toc_title), issue.foreword.key)
        for index, entry in enumerate(issue.entries):
            if isinstance(entry, model.Group):
                entries[f"group-{index}"] = ContentsEntry(0, self.text.plain(entry.title), f"group-{index}")
                for section in entry.sections:
                    entries[section.key] = ContentsEntry(1, self.text.plain(section.toc_title), section.key)
            else:
                entries[entry.key] = ContentsEntry(0, self.text.plain(entry.toc_title), entry.key)
        return entries

    def build(self, blank_pages: int = 0) -> list[Flowable]:
        issue, setup = self.issue, self.setup
        self.contents = self.contents_entries()
        highlight_keys = self.highlight_keys()
        cover = FrontCover(issue, self.styles, self.text, self.source, setup.bleed, highlight_keys, self.logo)
        cover = give(cover, cover_sect := self.structure.add("Sect")).tag(cover_sect)
        story: list[Flowable] = [cover, NextPageTemplate(BODY), PageBreak()]
        if issue.foreword:
            story += self.section(issue.foreword, level=0, first_in_group=True, page_room=FRAME_HEIGHT)
            story += [FlushNotes(), PageBreak()]  # the contents page takes no notes carried from the foreword
        story.append(SectionStart("the contents"))
        title = give(Paragraph("Contents", self.styles.toc_title), self.structure.add("H1"))
        title_height = title.wrap(self.width, FRAME_HEIGHT)[1] + self.styles.toc_title.spaceAfter
        plan = ContentsPlan(list(self.contents.values()), self.styles, self.width, FRAME_HEIGHT - title_height - 2,
                            FRAME_HEIGHT - 2)
        toc = self.structure.add("TOC")
        plan.items = {entry.key: toc.add("TOCI") for entry in plan.entries}
        story += [title] + [give(f, toc) for f in plan.flowables()]
        self._check_contents_lengths(plan)
        for index, entry in enumerate(issue.entries):
            if isinstance(entry, model.Group):
                runs_on = self._group_runs_on(entry, index)
                if not runs_on:
                    story.append(PageBreak())
                story.append(SectionStart(f"the group '{entry.title}'"))
                group = self.structure.add("Sect")
                banner = give(self.group_banner(entry, f"group-{index}"), group.add("H1"))
                if runs_on:
                    banner.spaceBefore = GROUP_SPACE_ABOVE  # (dropped at a page's top)
                else:
                    story.append(banner)
                below_banner = FRAME_HEIGHT - measure(banner, self.width)
                self.structure_parent, self.heading_base = group, 2
                for position, section in enumerate(entry.sections):
                    story += self.section(section, level=1, first_in_group=position == 0,
                                          page_room=below_banner if position == 0 and not runs_on else None,
                                          lead_in=[banner] if position == 0 and runs_on else ())
                self.structure_parent, self.heading_base = self.structure, 1
            elif index == 0:
                # The first entry after the contents starts a page of its own, whatever its kind.
                story.append(PageBreak())
                story += self.section(entry, level=0, first_in_group=True, page_room=FRAME_HEIGHT)
            else:
                story += self.section(entry, level=0)
        story.append(FlushNotes())
        for _ in range(blank_pages):
            story += [NextPageTemplate(BLANK), PageBreak(), Spacer(0, 1)]
        if issue.back_cover:
            story += [NextPageTemplate(BACK), PageBreak(), SectionStart("the back cover")]
            back = self.structure.add("Sect")
            # A spacer draws nothing: it is given no element, which would stand empty in the tree.
            story += [f if isinstance(f, Spacer) else give(f, back.add("Table" if isinstance(f, Table) else "P"))
                      for f in back_cover_story(issue.back_cover, self.styles, self.text, self.width)]
        story.append(ContentsNumbers(plan, highlight_keys))  # last: every page number is known by now
        self._check_page_texts()
        self._raise_problems()
        return story

    def _group_runs_on(self, group: model.Group, index: int) -> bool:
        """Whether a group runs on after what comes before it, its banner kept with the start of
        its first section, rather than starting a page: unless it comes first after the contents,
        the theme names groups among the page starts, or its first section starts a page or is a
        one-page piece (a message fitted to its page, its banner above it)."""
        first = group.sections[0] if group.sections else None
        return (index > 0 and "group" not in self.page_starts and first is not None
                and first.kind not in self.page_starts and first.kind not in ONE_PAGE_KINDS)

    def _check_contents_lengths(self, plan: ContentsPlan) -> None:
        wheres = {section.key: section.title_where for section in self.issue.sections()}
        wheres.update((f"group-{n}", entry.where) for n, entry in enumerate(self.issue.entries)
                      if isinstance(entry, model.Group))
        for entry in plan.too_tall:
            where = wheres.get(entry.key)
            what = ("this title is too long for a line of the contents: give the section a shorter "
                    "'toc_title' for the contents, or shorten the title")
            self.problems.append(problem_at(self.issue, where, what))

    def _check_page_texts(self) -> None:
        """The texts the cover and the running heads draw when their page is made, checked now
        for characters no font has (they would print as blank boxes)."""
        issue = self.issue
        positions = getattr(issue, "positions", {})
        texts = [("title", issue.title), ("publisher", issue.publisher), ("period", issue.period)]
        if issue.cover:
            texts += [(f"cover.highlights[{n}]", text) for n, text in enumerate(issue.cover.highlights)]
        for path, text in texts:
            if text:
                self.text.plain(text, SANS, positions.get(path))

    def _raise_problems(self) -> None:
        """Input errors found while making the story: characters no font has, links to no heading, ..."""
        problems = list(self.problems)
        for where, href in self.text.broken_links:
            close = difflib.get_close_matches(href[1:].lower(), self.anchors.names(), n=1)
            hint = f"did you mean '#{close[0]}'?" if close else \
                "an anchor is a section title or heading in lower case, spaces as hyphens, punctuation dropped"
            what = f"the link to '{href}' leads nowhere: no section title or heading makes that anchor; {hint}"
            problems.append(problem_at(self.issue, where, what))
        for where, char in self.text.missing:
            name = unicodedata.name(char, "unnamed character")
            what = (f"character {char!r} (U+{ord(char):04X} {name}) is in no bundled font and would print as a "
                    f"blank: remove it, or replace it with words or a character the fonts have")
            if is_cjk(char):
                what += ("; the CJK faces hold the characters a newsletter commonly uses (fonts/tools/cjk/*.txt): "
                         "to add this one, put it in fonts/tools/cjk/extra.txt and run fonts/tools/make_cjk.py")
            problems.append(problem_at(self.issue, where, what))
        if problems:
            raise IssueError(list(dict.fromkeys(problems)))

    # Sections -----------------------------------------------------------------------------

    def separator(self) -> list[Flowable]:
        return [Separator(self.styles.palette.tint)]

    def group_banner(self, group: model.Group, key: str) -> Flowable:
        banner = Table([[Paragraph(self.text.plain(group.title.upper(), SANS), self.styles.group_banner)]],
                       colWidths=[self.width])
        banner.setStyle(table_style([("BACKGROUND", (0, 0), (-1, -1), self.styles.palette.primary),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                                    ("LINEBEFORE", (0, 0), (0, -1), 4, self.styles.palette.accent)]))
        marked = MarkedFlowable(banner, self.contents[key])
        marked.spaceAfter = 7 * mm
        return marked

    def section(self, section: model.Section, level: int, first_in_group: bool = False,
                page_room: float | None = None, lead_in: Sequence[Flowable] = ()) -> list[Flowable]:
        """The section's flowables; ``page_room``: the height it has on the page it starts, when it
        starts one (a one-page piece, a foreword or a message, is tightened to fit it);
        ``lead_in``: what goes before its head and stays with it (its group's banner)."""
        outer = self.structure_parent
        sect = self.structure_parent = outer.add("Sect")
        try:
            return self._section(section, level, first_in_group, page_room, sect, list(lead_in))
        finally:
            self.structure_parent = outer

    def _section(self, section: model.Section, level: int, first_in_group: bool, page_room: float | None,
                 sect: Element, lead_in: list[Flowable]) -> list[Flowable]:
        styles = self.styles
        title_style = styles.report_title if section.kind == "report" else styles.title
        label = section.group if section.group and section.kind != "report" else KIND_LABELS[section.kind]
        head: list[Flowable] = []
        # Under its group's banner, the first section does not repeat the group's name.
        repeats_banner = first_in_group and level == 1 and label.upper() == (section.group or "").upper()
        if section.kind != "report" and not repeats_banner:
            head.append(give(Paragraph(self.text.plain(label.upper(), SANS), styles.kind_label), sect.add("P")))
        entry = self.contents[section.key]
        heading = MarkedParagraph(self.text.plain(section.title, SANS, section.title_where), title_style, entry)
        heading.issue_where = section.title_where or section.where
        heading.too_tall = "this title is taller than a page: shorten it"
        head.append(give(heading, sect.add(f"H{self.heading_base}")))
        self.last_heading = self.heading_base
        dateline = " \u00b7 ".join(x for x in (section.date, section.place) if x)
        if dateline:
            head.append(give(Paragraph(self.text.plain(dateline, SANS, section.where), styles.dateline), sect.add("P")))
        elif section.kind != "report":
            head.append(HRFlowable(width=16 * mm, thickness=2, color=styles.palette.accent, hAlign="LEFT",
                                   spaceBefore=1, spaceAfter=9))
        if section.authors:
            head.append(give(self.pictures.byline(section.authors, self.width), sect.add("P")))
        out: list[Flowable] = []
        if section.pictures:
            # Report photos are kept modest so that short reports can share a page.
            small = section.kind == "report"
            if len(section.pictures) == 1:
                figure = model.Figure(section.pictures, section.where)
                out += self.pictures.figure(figure, self.width, (55 if small else 80) * mm)
            else:
                out += (self.pictures.grid(section.pictures, self.width, section.where,
                                          max_height=(50 if small else 62) * mm))
        for flowable in out:
            if hasattr(flowable, "alt_text"):  # a picture, or a row of them
                _as_figure(flowable, sect)
        out += self.blocks(section.blocks, section)
        signature = self.signature(section.signature, section.where) if section.signature else []
        for flowable in signature:
            if isinstance(flowable, Paragraph):
                give(flowable, sect.add("P"))
        if section.kind in ONE_PAGE_KINDS and not (page_room is None and section.kind not in self.page_starts):
            out, signature = self._fit_one_page(section, head, out, signature, page_room or FRAME_HEIGHT)
        if signature:
            # The letter's last paragraph stays with its signature (one KeepTogether: nested ones
            # measure as infinitely tall in ReportLab and always break the page).
            last = [out.pop()] if out and isinstance(out[-1], Paragraph) else []
            while last and out and getattr(out[-1], "is_heading", False):
                last.insert(0, out.pop())  # a heading over that paragraph goes with it
                if out and isinstance(out[-1], KeepStart):
                    out.pop()  # (its keep: the keep-together holds it with its paragraph now)
            block = last + signature
            out.append(record(KeepTogether(block), gather(block)))
        self.store_notes(section)
        first = next((f for f in out if not isinstance(f, (CondPageBreak, HRFlowable, Spacer))), None)
        if isinstance(first, DataTable):  # (under the head, perhaps after a rule)
            first.after_heading = True
        # The head goes to the next page unless it fits with the start of what follows.
        head = lead_in + head
        for flowable in head:
            flowable.head_part = True  # (a page spread to its foot keeps a head's parts together: bottoms.py)
        head_height = sum(measure(f, self.width) for f in head)
        least = max(_minimum_height(first, self.width), getattr(first, "start_height", 0)) if first else 0
        if len(out) > 1 and isinstance(out[0], (FlexFigure, Table)) and isinstance(out[1], Paragraph):
            # The picture under the head, and the first three lines after it (a figure shrinks
            # to leave them room).
            least += 3 * BODY_LEADING
            out[0].room_below = 3 * BODY_LEADING
        sub_head = _head_keep_before(out, first)
        if sub_head is not None:
            # A heading first in the section: the section's head keeps with it and the start of its block.
            head_height += sub_head.head_height
            least = sub_head.needed - sub_head.head_height
            first = sub_head.following
        out = _without_keeps_before(out, first)  # the head's keep holds the start of its block
        where = section.title_where or section.where
        start: list[Flowable] = [SectionStart(f"the section '{section.title[:60]}'"
                                              + (f" ({where.file}:{where.line})" if where else ""))]
        if first_in_group:
            keep, lead = head_break(head_height, least, first), []
        elif section.kind in self.page_starts:
            # (On the new page, notes carried onto it give way to the head if it needs the room.)
            keep, lead = head_break(head_height, least, first), [PageBreak()]
        else:
            # Other sections run on after the one before, after a rule, when their start fits; a
            # letter of one paragraph (kept whole with its signature) moves on whole.
            whole = len(out) == 1 and isinstance(out[0], KeepTogether)
            keep, lead = head_break(head_height + 12 * mm, least, first, whole), []
            head = self.separator() + head
        if sub_head is not None:
            # The sub-heading's own keep stays, for a page top (where the section's head stands
            # and its block cannot start below both), asking no more than the section's leaves it.
            sub_head.height = min(sub_head.height, max(keep.height - (keep.head_height - sub_head.head_height), 0))
        return start + lead + [keep] + head + out

    def _fit_one_page(self, section: model.Section, head: list[Flowable], out: list[Flowable],
                      signature: list[Flowable], room: float) -> tuple[list[Flowable], list[Flowable]]:
        """A one-page piece that runs over its page: tightened to fit it, or else, if it is text
        alone, set in two columns (the signature in them, with the last paragraph); failing both,
        the officer is told how much to cut. Its body and signature, as they are to be set."""
        piece = head + out + signature
        if overflow(piece, self.width, room) <= 0 or fit_to_page(piece, self.width, room, BODY_LEADING):
            return out, signature
        in_columns = fit_in_columns(head, out, signature, self.width, room)
        if in_columns is None:  # (not text alone)
            self.warn_overset(section, piece, overflow(piece, self.width, room), room)
        elif in_columns.columns is not None:
            return [in_columns.columns], []
        else:
            self.warn_overset(section, piece, in_columns.excess, room, in_columns.height)
        return out, signature

    def warn_overset(self, section: model.Section, piece: list[Flowable], excess: float, room: float,
                     columns_height: float | None = None) -> None:
        """A one-page piece that runs onto a second page, but by less than half a page, beyond
        what tightening may do, in the text column or (``columns_height``: text alone) in two
        columns: the officer is told how much to cut (the text cannot be cut here)."""
        if not 0 < excess < room / 2:
            return
        paragraphs = [f for f in piece if isinstance(f, Paragraph)]
        characters = sum(len(p.getPlainText()) for p in paragraphs)
        if columns_height is None:
            lines = math.ceil(excess / BODY_LEADING)
            set_lines = sum(p.wrap(self.width, FRAME_HEIGHT)[1] / p.style.leading for p in paragraphs)
            cut = round(characters * lines / max(set_lines, 1), -1)
            over = f"runs about {lines} lines onto a second page"
        else:  # both columns are ``excess`` too tall
            cut = round(characters * excess / max(columns_height, 1), -1)
            over = f"is about {math.ceil(2 * excess / BODY_LEADING)} lines too long for its page, set in two columns"
        where = section.title_where or section.where
        at = f"{where.file}:{where.line}: " if where else ""
        picture = ", or a picture," if any(isinstance(f, FlexFigure) for f in piece) else ""
        self.warnings.append(f"{at}the {section.kind} '{section.title[:60]}' {over}: cut about {cut:.0f} "
                             f"characters{picture} to fit it on one page")

    def signature(self, signature: model.Signature, where: model.Where | None) -> list[Flowable]:
        """The signature block's parts, to be kept together (with the letter's last paragraph)."""
        styles = self.styles
        parts: list[Flowable] = [Spacer(0, 6)]
        if signature.closing:
            parts += [Paragraph(self.text.plain(signature.closing, SERIF, where), styles.signature), Spacer(0, 6)]
        if signature.native_name:
            parts.append(Paragraph(self.text.plain(signature.native_name, SERIF, where), styles.signature_native))
        parts.append(Paragraph(f"<b>{self.text.plain(signature.name, SERIF, where)}</b>", styles.signature))
        if signature.role:
            parts.append(Paragraph(self.text.plain(signature.role, SANS, where), styles.byline_role))
        return parts

    def store_notes(self, section: model.Section) -> None:
        """Each note's paragraphs go to the note store; the frame sets them at the foot of the page."""
        for note in section.notes:
            key = f"{section.key}-{note.number}"
            flowables: list[Flowable] = []
            outer = self.structure_parent
            element = self.structure_parent = outer.add("Note", identifier=f"note-{key}")
            for position, block in enumerate(note.blocks):
                if isinstance(block, model.Paragraph):
                    markup = self.text.runs(block.runs, SERIF, block.where, note_prefix=f"{section.key}-")
                    if position == 0:
                        markup = f'<a name="{note_destination(key)}"/>{note.number}\u2002{markup}'
                    flowables.append(give(Paragraph(markup, self.styles.note), element.add("P")))
                else:
                    flowables += self.blocks((block,), section, style=self.styles.note)
            self.structure_parent = outer
            continued = Paragraph(f"<i>{note.number}\u2002(continued)</i>", self.styles.note)
            self.notes.add(key, flowables or [give(Paragraph(str(note.number), self.styles.note), element.add("P"))],
                           continued)

    # Blocks ---------------------------------------------------------------------------------

    def blocks(self, blocks: tuple[model.Block, ...], section: model.Section, depth: int = 0,
               style=None) -> list[Flowable]:
        out: list[Flowable] = []
        pending_heading: list[Flowable] = []
        if not depth and style is None:
            # Similar tables of the section share one set of column widths.
            for series in table_series(blocks):
                widths = column_widths([(t.header, t.rows) for t in series], table_columns(series[0]), self.width,
                                       self.styles.table_cell.fontSize)
                self.series_widths.update((id(t), widths) for t in series)
        for block in blocks:
            flowables = self.block(block, section, depth, style)
            for flowable in flowables:
                if getattr(flowable, "issue_where", None) is None:
                    flowable.issue_where = getattr(block, "where", None)  # for an input error if it fits no page
            if pending_heading and isinstance(block, (model.Rule, model.Heading)):
                # A rule or a heading under a heading goes with it to what follows.
                pending_heading += flowables
                continue
            if pending_heading:
                # A heading stays with the start of what follows it: a figure whole, the first
                # rows or items of a table or list, else three lines.
                first = next((f for f in flowables if not isinstance(f, CondPageBreak)), flowables[0])
                least = max(_minimum_height(first, self.width), getattr(first, "start_height", 0))
                if isinstance(first, DataTable):
                    first.after_heading = True
                head = sum(measure(f, self.width) for f in pending_heading)
                out += [head_break(head, least, first)] + pending_heading
                pending_heading = []
                flowables = _without_keeps_before(flowables, first)  # the head's keep holds the start
            if isinstance(block, model.Figure) and out and not depth and style is None:
                # A picture in the run of the text (not the start a head is kept with) may float:
                # the text goes on past it when it does not fit (``doctemplate``).
                for flowable in flowables:
                    if isinstance(flowable, FlexFigure):
                        flowable.floats = True
            if isinstance(block, model.Heading):
                pending_heading = flowables
            else:
                out += flowables
        if pending_heading:
            # Headings that end their section (nothing under them) stay together.
            out += [start_break(sum(measure(f, self.width) for f in pending_heading))] + pending_heading
        return out

    def block(self, block: model.Block, section: model.Section, depth: int, style) -> list[Flowable]:
        styles = self.styles
        prefix = f"{section.key}-"
        parent = self.structure_parent
        if isinstance(block, model.Paragraph):
            if block.runs and all(r.code for r in block.runs):
                return [give(Paragraph(self.text.runs(block.runs, SERIF, block.where), styles.code), parent.add("Code"))]
            return [give(Paragraph(self.text.runs(block.runs, SERIF, block.where, prefix), style or styles.body),
                         parent.add("P"))]
        if isinstance(block, model.Heading):
            heading_style = styles.h2 if block.level == 2 else styles.h3
            anchor = self.anchors.heading_names.get(id(block))
            heading = MarkedParagraph(self.text.runs(block.runs, SANS, block.where, prefix), heading_style, anchor=anchor)
            # Kept with what follows by the keep before it (``head_break``), not by ReportLab's
            # keepWithNext, which would move it on with the whole of the block after it.
            heading.is_heading = True
            # Tagged one level under the heading before it at most: a "###" with no "##" before
            # it looks as written, and reads as the next level (PDF/UA: no level skipped).
            level = min(self.heading_base + block.level - 1, self.last_heading + 1, 6)
            self.last_heading = level
            return [give(heading, parent.add(f"H{level}"))]
        top_level = not depth and style is None  # inside a list, a quote or a note: no page breaks
        if isinstance(block, model.ListBlock):
            items = self.list_items(block, section, depth, parent.add("L"))
            flowables = [f for item in items for f in item]
            if not top_level or len(items) < 2:
                return flowables
            # Neither the first item alone at the foot of a page (a break before the list unless
            # its first two items fit) nor the last alone at the top of the next (the last two kept).
            flowables[0].start_height = sum(measure(f, self.width) for item in items[:2] for f in item)
            start = start_break(flowables[0].start_height)
            if len(items) < 4:
                return [start] + flowables
            tail = [f for item in items[-2:] for f in item]
            return [start] + flowables[:len(flowables) - len(tail)] + [record(KeepTogether(tail), gather(tail))]
        if isinstance(block, model.Table):
            element = parent.add("Table")
            table = give(self.table(block, prefix, element), element)
            # Never only the header and the first row at the foot of a page.
            return [start_break(table.start_height), table] if top_level else [table]
        if isinstance(block, model.Quote):
            self.structure_parent = parent.add("BlockQuote")
            try:
                inner = self.blocks(block.blocks, section, depth, styles.quote)
            finally:
                self.structure_parent = parent
            rule = Rule(styles.palette.accent, 2, QUOTE_INDENT)
            out = []
            for position, flowable in enumerate(inner):
                if isinstance(flowable, CondPageBreak):
                    continue
                last = position == len(inner) - 1
                out.append(_structured_as(flowable, Indented(flowable, QUOTE_INDENT + QUOTE_PADDING, rule=rule,
                                    rule_below=0.0 if last else flowable.getSpaceAfter(),
                                    space_after=QUOTE_SPACE if last else None)))
            return out
        if isinstance(block, model.Figure):
            return [_as_figure(f, parent) if hasattr(f, "alt_text") else f
                    for f in self.pictures.figure(block, self.width, note_prefix=prefix)]
        if isinstance(block, model.Rule):
            return [HRFlowable(width="30%", thickness=0.6, color=styles.palette.muted, spaceBefore=6, spaceAfter=6)]
        raise TypeError(f"unknown block {block!r}")

    def list_items(self, block: model.ListBlock, section: model.Section, depth: int,
                   structure: Element) -> list[list[Flowable]]:
        """Each item of the list as its run of indented flowables, the first carrying the bullet or number."""
        palette = self.styles.palette
        if block.ordered:
            indent, colour = 16.0, palette.primary
            kind = ORDERED_STYLES[min(depth, 2)]
        else:
            indent, colour = 14.0, palette.accent
        items = []
        for number, item_blocks in enumerate(block.items, start=block.start if block.ordered else 1):
            text = ordinal_label(number, kind) if block.ordered else BULLETS[min(depth, 2)]
            item = structure.add("LI")
            label = Label(text, SANS, 9, colour, element=item.add("Lbl"))
            outer, self.structure_parent = self.structure_parent, item.add("LBody")
            try:
                flowables = [f for f in self.blocks(item_blocks, section, depth + 1, self.styles.list_item)
                             if not isinstance(f, CondPageBreak)] or [Spacer(0, BODY_LEADING)]
            finally:
                self.structure_parent = outer
            items.append([_structured_as(f, Indented(f, indent, label if position == 0 else None))
                          for position, f in enumerate(flowables)])
        if items:
            items[-1][-1].space_after = LIST_SPACE_AFTER
        return items

    def table(self, block: model.Table, prefix: str, structure: Element | None = None) -> Table:
        styles = self.styles
        columns = table_columns(block)
        if columns > MAX_TABLE_COLUMNS:
            where = block.where
            self.problems.append(problem_at(self.issue, where,
                                            f"this table has {columns} columns; at most {MAX_TABLE_COLUMNS} fit across "
                                            f"the page: split it into narrower tables, or turn its columns into rows"))
            columns = MAX_TABLE_COLUMNS
        body = tuple(row[:columns] for row in block.rows)
        aligns = column_alignments(block.aligns[:columns], body, columns)
        head_styles = [styles.table_aligned(styles.table_head, a) for a in aligns]
        cell_styles = [styles.table_aligned(styles.table_cell, a) for a in aligns]

        def cell(runs: model.Inline, style) -> Paragraph:
            return Paragraph(self.text.runs(runs, SANS, block.where, prefix), style)

        header: list = [cell(c, st) for c, st in zip(block.header[:columns], head_styles)]
        rows: list[list] = [[cell(c, st) for c, st in zip(row, cell_styles)] for row in body]
        for row in [header] + rows:
            row += [""] * (columns - len(row))
        widths = self.series_widths.get(id(block))
        if widths is None:
            widths = column_widths([(block.header[:columns], body)], columns, self.width, styles.table_cell.fontSize)
        left, right, top, bottom = TABLE_PADDING
        palette = styles.palette

        def style(first_row: int, count: int):
            # ``first_row``: the index in the whole table of a part's first body row, so that the
            # tint goes on alternating across the parts of a split table.
            commands = [
                ("BACKGROUND", (0, 0), (-1, 0), palette.primary),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, palette.tint),
                ("TOPPADDING", (0, 0), (-1, -1), top), ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
                ("LEFTPADDING", (0, 0), (-1, -1), left), ("RIGHTPADDING", (0, 0), (-1, -1), right),
            ]
            commands += [("BACKGROUND", (0, r), (-1, r), palette.tint) for r in range(1, count + 1)
                         if (first_row + r) % 2 == 0]
            return table_style(commands)

        continued = self.continued_header(block, header, head_styles, widths, prefix)
        cell_elements = table_structure(structure, len(rows) + 1, columns) if structure is not None else None
        spec = TableSpec(widths, header, continued, style, cell_elements=cell_elements)
        table = spec.make(rows)
        # What must not be parted at a page foot: the header and the rows a split leaves there
        # at least, or the whole of a table too short to split (its space after is not needed
        # at the foot of a page: a frame does not count it).
        kept = rows[:MIN_SPLIT_ROWS] if len(rows) >= 2 * MIN_SPLIT_ROWS else rows
        table.start_height = measure(spec.make(kept), self.width) - spec.space_after if len(rows) > 1 else 0
        return table

    def continued_header(self, block: model.Table, header: list, head_styles: list, widths: list[float],
                         prefix: str) -> list:
        """The header repeated on the pages a table goes on to: "(continued)" after the first
        header cell's text, or after the first whose row it does not make taller."""
        label = f" <i>{CONTINUED}</i>"
        cells = [c for c in range(len(header)) if isinstance(header[c], Paragraph)]
        if not cells:
            return header
        padding = TABLE_PADDING[0] + TABLE_PADDING[1]

        def height(flowable, c: int) -> float:
            return flowable.wrap(widths[c] - padding, FRAME_HEIGHT)[1]

        tallest = max(height(header[c], c) for c in cells)
        labelled = {}
        for c in cells:
            markup = self.text.runs(block.header[c], SANS, block.where, prefix) + label
            labelled[c] = Paragraph(markup, head_styles[c])
            if height(labelled[c], c) <= tallest:
                break
        else:
            c = cells[0]
        return [labelled[c] if n == c else cell for n, cell in enumerate(header)]


def _words(text: str) -> str:
    """Text for matching titles: letters and digits only, in lower case."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def problem_at(issue: model.Issue, where: model.Where | None, what: str) -> Problem:
    """An input problem found while laying out, at ``where`` (the file's start when unknown)."""
    if where is None:
        return Problem(str(issue.folder / "issue.yaml"), 1, 1, "", what)
    return Problem(where.file, where.line, where.column, where.loc, what)


def _head_keep_before(flowables: list[Flowable], heading: Flowable | None) -> KeepStart | None:
    """The keep of a heading's head that stands right before ``heading`` in ``flowables``."""
    for position, flowable in enumerate(flowables):
        if flowable is heading:
            keep = flowables[position - 1] if position else None
            if isinstance(keep, KeepStart) and keep.following is not None:
                return keep
            return None
    return None


def _without_keeps_before(flowables: list[Flowable], first: Flowable | None) -> list[Flowable]:
    """``flowables`` with the keep of a block's start that stands before ``first`` (a list's,
    a table's) made one that never breaks: under a head, the head's keep holds that start (a
    second keep, measured without the head, could break the page between the head and its
    block). It stays in place, as the frame's spacing counts it."""
    if first is None or not any(f is first for f in flowables):
        return flowables
    position = next(n for n, f in enumerate(flowables) if f is first)
    return [KeepStart(0) if isinstance(f, KeepStart) and f.following is None else f
            for f in flowables[:position]] + flowables[position:]


def _minimum_height(flowable: Flowable, width: float) -> float:
    """The least of ``flowable`` that must fit below a heading: a figure shrunk, or three lines."""
    if isinstance(flowable, FlexFigure):
        return flowable.minimum_height(width)
    if isinstance(flowable, Paragraph):
        return min(measure(flowable, width), 3 * flowable.style.leading)
    if isinstance(flowable, Table):
        return min(measure(flowable, width), 60 * mm)
    if isinstance(flowable, KeepTogether):  # a letter's last paragraph and its signature: all of it
        return measure(flowable, width)
    return 3 * BODY_LEADING


def table_columns(block: model.Table) -> int:
    return max([len(block.header)] + [len(r) for r in block.rows])


def _header_key(cell: model.Inline) -> str:
    """A header cell as it reads in a series of tables: "Module 1", "Module 10" -> "module #"."""
    return re.sub(r"\d+", "#", " ".join(model.plain_text(cell).casefold().split()))


def similar_tables(a: model.Table, b: model.Table) -> bool:
    """Tables of one series: as many columns, and at least half of the header cells alike
    (the same text, numbers aside)."""
    columns = table_columns(a)
    if table_columns(b) != columns or len(a.header) != len(b.header):
        return False
    alike = sum(_header_key(x) == _header_key(y) for x, y in zip(a.header, b.header))
    return alike > 0 and 2 * alike >= columns


def table_series(blocks: tuple[model.Block, ...]) -> list[list[model.Table]]:
    """The runs of similar tables among ``blocks`` (headings and paragraphs between them do not
    end a run; a table unlike the first of the run does). A table alone is no series."""
    runs: list[list[model.Table]] = []
    for block in blocks:
        if not isinstance(block, model.Table):
            continue
        if runs and similar_tables(runs[-1][0], block):
            runs[-1].append(block)
        else:
            runs.append([block])
    return [run for run in runs if len(run) > 1]


# A number as tables hold them: digits with group separators and a decimal point, a sign,
# a currency symbol or code, a percentage, a range of two.
_AMOUNT = r"[-+\u2212]?(?:[$\u20ac\u00a3\u00a5\u20a9\u20b9]\s?)?\d(?:[\d,.'\u00a0\u202f\u2009 ]*\d)?(?:\s?[%\u2030])?"
_CODE = r"(?:[A-Z]{3}\s?)"
NUMBER = re.compile(rf"\(?{_CODE}?{_AMOUNT}(?:\s?[-\u2013\u2014]\s?{_AMOUNT})?(?:\s?{_CODE})?\)?")
_NO_VALUE = {"", "-", "\u2013", "\u2014", "n/a", "N/A"}


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text.strip()) is not None


def column_alignments(aligns: tuple, rows: tuple[tuple[model.Inline, ...], ...], columns: int) -> list[str]:
    """Each column's alignment: the Markdown's where it gives one, else right for a column of
    numbers (the figures are tabular: see ``tests/test_tables.py``), left for any other."""
    out = []
    for c in range(columns):
        given = aligns[c] if c < len(aligns) else None
        if given:
            out.append(given)
            continue
        texts = [model.plain_text(row[c]).strip() for row in rows if c < len(row)]
        values = [t for t in texts if t not in _NO_VALUE]
        out.append("right" if values and all(is_number(t) for t in values) else "left")
    return out


def column_widths(tables: list[tuple[tuple[model.Inline, ...], tuple[tuple[model.Inline, ...], ...]]], columns: int,
                  width: float, size: float) -> list[float]:
    """Share the width by what the columns of ``tables`` (header, rows) hold: a column of numbers
    or short labels keeps its width and never wraps; the others share the rest."""
    padding = TABLE_PADDING[0] + TABLE_PADDING[1] + 0.5
    natural = [0.0] * columns
    minimum = [0.0] * columns
    for header, rows in tables:
        for font, row in [(f"{SANS}-bold", header)] + [(SANS, r) for r in rows]:
            for c, cell in enumerate(row[:columns]):
                text = model.plain_text(cell)
                natural[c] = max(natural[c], max((stringWidth(line, font, size) for line in text.split("\n")),
                                                 default=0) + padding)
                longest = max((stringWidth(word, font, size) for word in text.split()), default=0)
                minimum[c] = max(minimum[c], min(longest + padding, width / columns))
    if sum(natural) <= width:
        widths = natural[:]
        widths[natural.index(max(natural))] += width - sum(natural)  # the widest column takes the slack
        return widths
    # A column no wider than its equal share keeps its natural width, when the others still
    # get their longest words in the rest.
    short = [n <= width / columns for n in natural]
    rest = width - sum(n for n, s in zip(natural, short) if s)
    if any(short) and not all(short) and sum(m for m, s in zip(minimum, short) if not s) <= rest:
        shared = _share([n for n, s in zip(natural, short) if not s], [m for m, s in zip(minimum, short) if not s],
                        rest)
        it = iter(shared)
        return [n if s else next(it) for n, s in zip(natural, short)]
    return _share(natural, minimum, width)


def _share(natural: list[float], minimum: list[float], width: float) -> list[float]:
    """Each column its minimum, and the room left in proportion to how much more it would take."""
    columns = len(natural)
    flexible = [max(n - m, 0.0) for n, m in zip(natural, minimum)]
    room = width - sum(minimum)
    if room <= 0 or not sum(flexible):
        return [width / columns] * columns
    return [m + room * f / sum(flexible) for m, f in zip(minimum, flexible)]


def _as_figure(flowable: Flowable, parent: Element) -> Flowable:
    """A picture (or a row of them) is a ``Figure`` with its alt text; a picture's caption is the
    ``Caption`` after it, read as text (a reader says a figure's alt text instead of its content)."""
    give(flowable, parent.add("Figure", alt=flowable.alt_text))
    if getattr(flowable, "caption", None) and hasattr(flowable, "caption_element"):
        flowable.caption_element = parent.add("Caption")
    return flowable


def _structured_as(inner: Flowable, wrapper: Flowable) -> Flowable:
    """A wrapper (an indent, a quote's rule) draws its content's structure element."""
    wrapper.structure = getattr(inner, "structure", None)
    return wrapper
