"""Stage 5: verify a written PDF from the file alone.

``structure``: the checks a PDF must pass (contents, folios, bookmarks, links, notes,
fonts, metadata, page size, PDF/A), read with pypdf and PDFium.
"""

from .structure import (A4_POINTS, CheckResult, ContentsEntry, Expected, PdfFacts, Span, check_pdf,
                        font_report, squash)

__all__ = ["A4_POINTS", "CheckResult", "ContentsEntry", "Expected", "PdfFacts", "Span", "check_pdf",
           "font_report", "squash"]
