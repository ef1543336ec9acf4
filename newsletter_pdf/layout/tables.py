"""The project's table: it knows the notes its cells bring, and splits inside a row too tall for a page."""

from __future__ import annotations

from reportlab.platypus import Table as PlatypusTable

from .notes import gather


class Table(PlatypusTable):
    # The footnote frame may shorten a table (by rows) to make room for its notes.
    shortens_for_notes = True

    def __init__(self, data, *args, splitInRow: int = 1, **kwargs) -> None:
        # ``splitInRow``: a row taller than the room left (a cell of a thousand words) is
        # split between pages rather than refused; ReportLab tries whole rows first.
        super().__init__(data, *args, splitInRow=splitInRow, **kwargs)
        # ReportLab makes the parts of a split table with this class and their share of
        # the cells, so every part knows its own notes.
        self.cells = data

    @property
    def note_keys(self) -> tuple[str, ...]:
        return gather(cell for row in self.cells for cell in row)
