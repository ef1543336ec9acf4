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
        # A row moves to the next page whole; only a row that does not fit even at the top of a
        # page is split inside (ReportLab would split any row that meets the page foot).
        frame = compat.placing_frame(self)
        in_row = self.splitInRow
        if frame is not None and not compat.frame_at_top(frame):
            self.splitInRow = 0
        try:
            parts = super().split(available_width, available_height)
        finally:
            self.splitInRow = in_row
        for part in parts:
            if isinstance(part, Table):
                part.splitInRow = in_row
        return parts

    @property
    def note_keys(self) -> tuple[str, ...]:
        return gather(cell for row in self.cells for cell in row)
