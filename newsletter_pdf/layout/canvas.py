"""The canvas the pipeline draws on: passed to ``doc.build(..., canvasmaker=ProjectCanvas)``.

Two things differ from ReportLab's own canvas, for this document only:

* its text objects are :class:`.shaping.ShapedTextObject`, which mark each run shaped
  with HarfBuzz with its logical text (``/ActualText``), so viewers copy and search it;
* its PDF document writes an end-of-line marker before every ``endstream``
  (:class:`.compat.EndOfLineDocument`), as ISO 32000 asks and PDF/A validators check;
* a link to a note says so in its ``/Contents`` ("Note 3"), which screen readers speak and
  ``check`` reads to tell a note marker from a cross-reference.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from . import compat
from .notes import NOTE_DESTINATION
from .shaping import ShapedTextObject


class ProjectCanvas(Canvas):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        compat.use_end_of_line_document(self)

    def linkRect(self, contents, destinationname, *args, **kwargs):  # noqa: N802 - ReportLab's name
        if not contents and destinationname.startswith(NOTE_DESTINATION):
            contents = f"Note {destinationname.rsplit('-', 1)[-1]}"
        return super().linkRect(contents, destinationname, *args, **kwargs)

    tagger = None  # the layout pass's record of marked content (tagging.py), set by the document

    def save(self) -> None:
        if self.tagger is not None:
            compat.write_structure(self, self.tagger)
        super().save()

    def beginText(self, x=0, y=0, direction=None):  # noqa: N802 - ReportLab's name
        return ShapedTextObject(self, x, y, direction=direction)
