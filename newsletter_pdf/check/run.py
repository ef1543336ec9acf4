"""Stage 5, the checks: verify a written PDF from the file alone, one module per concern:

* ``contents``: contents page numbers, folios and page labels, bookmarks, contents links;
* ``notes``: footnotes on their marker's page;
* ``fonts`` and ``text_maps``: fonts embedded, their ToUnicode maps;
* ``tagging`` and ``reading_order``: the tagged structure (PDF/UA), read against the issue;
* ``metadata``: title, dates, language, page size;
* ``pdfa``: PDF/A, for a file that claims it.
"""

from __future__ import annotations

from pathlib import Path

from .contents import Expected, check_bookmarks, check_contents, check_contents_links, check_folios
from .facts import A4_POINTS, PdfFacts
from .fonts import check_fonts_embedded
from .metadata import check_metadata, check_page_size
from .notes import check_footnotes
from .pdfa import check_pdfa, claimed_pdfa
from .reading_order import Passage, check_reading_order
from .result import CheckResult
from .tagging import check_tagging
from .text_maps import check_text_maps


def check_pdf(path: Path | str, expected: list[Expected] | None = None,
              page_size: tuple[float, float] = A4_POINTS, archive: bool | None = None) -> list[CheckResult]:
    """Run every check; ``expected`` (from the issue file) names the contents entries that must be there.

    ``archive`` adds the PDF/A-2a checks; by default the PDF/A checks run when the file claims PDF/A
    (for the part and level it claims).
    """
    facts = PdfFacts(path)
    try:
        return run_checks(facts, expected, page_size, archive)
    finally:
        facts.close()


def run_checks(facts: PdfFacts, expected: list[Expected] | None, page_size: tuple[float, float],
               archive: bool | None, passages: list[Passage] | None = None) -> list[CheckResult]:
    """``passages``: the issue's text, which the structure must read in order (see ``reading_order``)."""
    claimed = claimed_pdfa(facts.reader)
    starts, contents_result = check_contents(facts, expected)
    results = [
        contents_result,
        check_folios(facts),
        check_bookmarks(facts, starts),
        check_contents_links(facts, starts),
        check_footnotes(facts),
        check_fonts_embedded(facts.reader),
        check_text_maps(facts.reader),
        check_tagging(facts.path),
        *([check_reading_order(facts, passages)] if passages is not None else []),
        check_metadata(facts.reader),
        check_page_size(facts.reader, page_size),
    ]
    if archive or (archive is None and claimed is not None):
        results.append(check_pdfa(facts.reader, ("2", "A") if archive else None))
    return results
