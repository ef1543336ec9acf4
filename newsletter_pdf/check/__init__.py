"""Stage 5: verify a written PDF from the file alone.

``run``: the checks a PDF must pass, one module per concern (``contents``, ``notes``,
``fonts`` and ``text_maps``, ``tagging`` and ``reading_order``, ``metadata``, ``pdfa``),
reading what ``facts`` reads once with pypdf and PDFium; ``quality``: the page-quality
report, warnings about what a reader sees (empty pages, hyphen runs, stranded headings,
low-resolution pictures), read from the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .reading_order import Passage, issue_passages
from .quality import PageWarning, ParagraphFigures, paragraph_figures, quality_report
from .contents import Expected
from .facts import A4_POINTS, ContentsEntry, PdfFacts, Span, squash
from .fonts import font_report
from .result import CheckResult
from .run import check_pdf, run_checks

__all__ = ["A4_POINTS", "CheckResult", "ContentsEntry", "Expected", "PageWarning", "Passage", "PdfFacts", "Report",
           "Span", "issue_passages",
           "ParagraphFigures", "check_pdf", "check_report", "font_report", "paragraph_figures", "quality_report", "squash"]


@dataclass(frozen=True)
class Report:
    """The checks (each must hold) and the page-quality warnings (which never fail a build)."""

    checks: list[CheckResult]
    warnings: list[PageWarning]
    paragraphs: ParagraphFigures | None = None


def check_report(path: Path | str, expected: list[Expected] | None = None,
                 page_size: tuple[float, float] = A4_POINTS, archive: bool | None = None,
                 paragraphs: bool = False, passages: list[Passage] | None = None) -> Report:
    """``check_pdf``'s checks and the page-quality report, from one reading of the file; with
    ``paragraphs``, the paragraph-quality figures too; with ``passages`` (the issue's text), the
    reading-order check."""
    facts = PdfFacts(path)
    try:
        return Report(run_checks(facts, expected, page_size, archive, passages), quality_report(facts),
                      paragraph_figures(facts) if paragraphs else None)
    finally:
        facts.close()
