"""The project's table: it knows the notes its cells bring, and splits inside a row too tall for a page.

``DataTable`` is a table of the text (a Markdown table): its header repeats on every page
it goes on to, labelled "(continued)", and a split leaves at least ``MIN_SPLIT_ROWS`` rows
on either side (a short table moves whole to the next page instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Table as PlatypusTable

from . import compat
from .notes import gather
from .styles import FRAME_HEIGHT
from .tagging import Element, mark_table_cells

# A split leaves at least this many body rows on each side: a table of fewer than twice as
# many splits only when no page could hold it.
MIN_SPLIT_ROWS = 3
_HEADER_ROWS = 1  # a DataTable's header is its first row


class Table(PlatypusTable):
    # The footnote frame may shorten a table (by rows) to make room for its notes.
    shortens_for_notes = True

    def __init__(self, data, *args, splitInRow: int = 1, **kwargs) -> None:
        # ``splitInRow``: a row taller than a page (a cell of a thousand words) is split
        # between pages rather than refused.
        super().__init__(data, *args, splitInRow=splitInRow, **kwargs)
        # ReportLab makes the parts of a split table with this class and their share of
        # the cells, so every part knows its own notes.
        self.cells = data

    def split(self, available_width: float, available_height: float) -> list:
        # A row moves to the next page whole; a row that no page could hold (a cell of a thousand
        # words) is split inside, where it stands, rather than leaving its heading alone above it.
        frame = compat.placing_frame(self)
        in_row = self.splitInRow
        if frame is not None and in_row and not compat.frame_at_top(frame):
            self.splitInRow = 0
            try:
                parts = super().split(available_width, available_height)
            finally:
                self.splitInRow = in_row
            if parts or not self._row_fits_no_page(frame):
                return self._with_in_row(parts, in_row)
        return self._with_in_row(super().split(available_width, available_height), in_row)

    def _row_fits_no_page(self, frame) -> bool:
        """Whether the first row after the header, header included, with the notes they bring,
        is taller than an empty page: there the row or its notes would break apart anyway."""
        heights = compat.table_row_heights(self)
        header = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        if len(heights) <= header:
            return False
        needed = sum(heights[:header + 1])
        notes_on_empty_page = getattr(frame, "notes_height_on_empty_page", None)
        if notes_on_empty_page is not None:
            needed += notes_on_empty_page(gather(cell for row in self.cells[:header + 1] for cell in row))
        return needed > compat.frame_available_height(frame)

    @staticmethod
    def _with_in_row(parts: list, in_row: int) -> list:
        for part in parts:
            if isinstance(part, Table):
                part.splitInRow = in_row  # ReportLab made the parts with the setting of the moment
        return parts

    @property
    def note_keys(self) -> tuple[str, ...]:
        return gather(cell for row in self.cells for cell in row)


@dataclass(frozen=True)
class TableSpec:
    """How the story builder makes a table of the text, and every part it splits into."""

    widths: list[float]
    header: list[Flowable]  # the header row's cells
    continued: list[Flowable]  # the same, labelled "(continued)", repeated on every part after the first
    style: Callable[[int, int], TableStyle]  # (the first body row's index in the whole table, body rows) -> style
    space_before: float = 4
    space_after: float = 10
    cell_elements: list[list[Element]] | None = None  # the structure (tagging.table_structure), header row first

    def make(self, rows: list[list], first_row: int = 0, continued: bool = False) -> "DataTable":
        header = self.continued if continued else self.header
        table = DataTable([list(header)] + [list(row) for row in rows], colWidths=self.widths, repeatRows=1,
                          hAlign="LEFT", spaceBefore=0 if continued else self.space_before,
                          spaceAfter=self.space_after, spec=self, first_row=first_row, renderCB=mark_table_cells)
        table.setStyle(self.style(first_row, len(rows)))
        return table


class DataTable(Table):
    """A table of the text, made by :meth:`TableSpec.make`.

    Its split parts: ReportLab makes the first (the header as it was, the rows that fit
    here); the second is made again by the spec, with the "(continued)" header and the
    zebra tint going on from the row it starts at.
    """

    def __init__(self, data, *args, spec: TableSpec | None = None, first_row: int = 0, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.spec = spec  # None in a part ReportLab made: set by split
        self.first_row = first_row
        # Set by the story builder on a table right under a heading: it splits wherever a row
        # fits rather than move on and leave the heading alone at the page foot (the heading's
        # keep holds its first rows to it where a page can).
        self.after_heading = False

    @property
    def marks_itself(self) -> bool:
        """Whether the table marks its own cells as their elements' content (a tagged PDF)."""
        return self.spec is not None and self.spec.cell_elements is not None

    def cell_element(self, row: int, column: int) -> Element | None:
        """The structure element of a cell of this part; None for the header a later part repeats."""
        cells = self.spec.cell_elements
        if row < _HEADER_ROWS:
            return cells[row][column] if self.first_row == 0 else None
        body_row = min(self.first_row + row - _HEADER_ROWS, len(cells) - 1 - _HEADER_ROWS)
        return cells[_HEADER_ROWS + body_row][column]

    def split(self, available_width: float, available_height: float) -> list:
        parts = super().split(available_width, available_height)
        spec = self.spec
        if spec is None or len(parts) != 2 or not all(isinstance(p, Table) for p in parts):
            return parts
        first, rest = parts
        in_row = len(first.cells) + len(rest.cells) - _HEADER_ROWS > len(self.cells)
        if not in_row:  # a split inside a row happens only where no page could hold the row
            parts = self._keep_rows(parts, available_width)
            if len(parts) != 2:
                return parts
            first, rest = parts
        first.spec, first.first_row = spec, self.first_row
        rest_first = self.first_row + len(self.cells) - len(rest.cells)
        again = spec.make(rest.cells[_HEADER_ROWS:], rest_first, continued=True)
        again.splitInRow = rest.splitInRow
        return [first, again]

    def _keep_rows(self, parts: list, available_width: float) -> list:
        """ReportLab's split by rows, moved so that ``MIN_SPLIT_ROWS`` rows stay on either side;
        [] (the table moves to the next page) when too few would stay here."""
        first, rest = parts
        body = len(self.cells) - _HEADER_ROWS
        before = len(first.cells) - _HEADER_ROWS
        after = len(rest.cells) - _HEADER_ROWS
        frame = compat.placing_frame(self)
        # At the top of a page nothing is gained by moving on (the room is short only by the
        # notes carried here): the table splits as it must; so too when no frame says where
        # it stands (a split asked outside a frame's placing), and under a heading.
        at_top = frame is None or compat.frame_at_top(frame) or self.after_heading
        if body < 2 * MIN_SPLIT_ROWS:
            page = compat.frame_available_height(frame) if frame is not None else FRAME_HEIGHT
            taller_than_page = sum(compat.table_row_heights(self)) > page
            return parts if at_top or taller_than_page else []
        if before < MIN_SPLIT_ROWS:
            return parts if at_top else []
        if after >= MIN_SPLIT_ROWS:
            return parts
        # Fewer rows would go on than may: split earlier, leaving them their share.
        heights = compat.table_row_heights(self)
        height = sum(heights[:_HEADER_ROWS + body - MIN_SPLIT_ROWS]) + 0.001
        earlier = Table.split(self, available_width, height)
        if len(earlier) == 2 and len(earlier[0].cells) - _HEADER_ROWS >= MIN_SPLIT_ROWS:
            return earlier
        return parts
