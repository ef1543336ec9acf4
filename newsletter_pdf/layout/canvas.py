"""The canvas the pipeline draws on: passed to ``doc.build(..., canvasmaker=ProjectCanvas)``.

Two things differ from ReportLab's own canvas, for this document only:

* its text objects are :class:`.shaping.ShapedTextObject`, which mark each run shaped
  with HarfBuzz with its logical text (``/ActualText``), so viewers copy and search it;
* its PDF document writes an end-of-line marker before every ``endstream``
  (:class:`.compat.EndOfLineDocument`), as ISO 32000 asks and PDF/A validators check;
* a link to a note says so in its ``/Contents`` ("Note 3"), which screen readers speak and
  ``check`` reads to tell a note marker from a cross-reference; every link has a
  ``/Contents``, and in a tagged PDF a Link element (``tagging.Tagger.link``);
* the crop marks ReportLab draws at the end of a page are page artifacts, and the structure
  tree is written before the file (``compat.write_structure``).
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfgen.canvas import Canvas

from . import compat
from .notes import NOTE_DESTINATION
from .shaping import ShapedTextObject


class ProjectCanvas(Canvas):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        compat.use_end_of_line_document(self)

    tagger = None  # the layout pass's record of marked content (tagging.py), set by the document
    document_language = None  # the issue's language, set by the document: other scripts' runs get /Lang spans

    def linkRect(self, contents, destinationname, *args, **kwargs):  # noqa: N802 - ReportLab's name
        if not contents:
            if destinationname.startswith(NOTE_DESTINATION):
                contents = f"Note {destinationname.rsplit('-', 1)[-1]}"
            else:
                contents = "Link to another page of this newsletter"
        result = super().linkRect(contents, destinationname, *args, **kwargs)
        self._tag_link()
        return result

    def linkURL(self, url, rect, *args, **kwargs):  # noqa: N802 - ReportLab's name
        if "Contents" not in kwargs:  # what a screen reader says for the link (PDF/UA)
            target = url.removeprefix("mailto:")
            kwargs["Contents"] = PDFString(f"E-mail {target}" if target != url else f"Link to {url}")
        result = super().linkURL(url, rect, *args, **kwargs)
        self._tag_link()
        return result

    drawing_page_marks = False  # in showPage, where ReportLab draws the crop marks (with ``lines``)

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self.drawing_page_marks = True
        try:
            super().showPage()
        finally:
            self.drawing_page_marks = False

    def lines(self, linelist) -> None:
        if not (self.drawing_page_marks and self.tagger is not None):
            super().lines(linelist)
            return
        # The crop marks: a production aid, a page artifact.
        self.addLiteral("/Artifact <</Type /Page>> BDC")
        super().lines(linelist)
        self.addLiteral("EMC")

    def _tag_link(self) -> None:
        if self.tagger is not None:
            reference, annotation = compat.last_annotation(self)
            self.tagger.link(self.getPageNumber(), annotation, reference)

    def save(self) -> None:
        if self.tagger is not None:
            compat.write_structure(self, self.tagger)
        super().save()

    def beginText(self, x=0, y=0, direction=None):  # noqa: N802 - ReportLab's name
        text = ShapedTextObject(self, x, y, direction=direction)
        text.document_language = self.document_language
        return text
