"""The project's table: it knows the notes its cells bring, and splits inside a row too tall for a page."""

from __future__ import annotations

from reportlab.platypus import Table as PlatypusTable

from . import compat
from .notes import gather


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
        """Whether the first row after the header is taller, header included, than an empty page."""
        heights = compat.table_row_heights(self)
        header = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        if len(heights) <= header:
            return False
        return sum(heights[:header + 1]) > compat.frame_available_height(frame)

    @staticmethod
    def _with_in_row(parts: list, in_row: int) -> list:
        for part in parts:
            if isinstance(part, Table):
                part.splitInRow = in_row  # ReportLab made the parts with the setting of the moment
        return parts

    @property
    def note_keys(self) -> tuple[str, ...]:
        return gather(cell for row in self.cells for cell in row)
