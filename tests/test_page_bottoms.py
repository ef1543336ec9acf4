"""Page bottoms on one line (``layout/bottoms.py``), measured on the built sample: a page the
text runs on from ends at the frame's foot, whatever its paragraphs' gaps and headings; the
links on a spread page still cover their text; a piece's last page is left as it ends."""

from __future__ import annotations

import pypdfium2
import pytest

from newsletter_pdf.check import PdfFacts
from newsletter_pdf.check import quality


@pytest.fixture(scope="module")
def facts(sample_pdf):
    pdf_facts = PdfFacts(sample_pdf)
    yield pdf_facts
    pdf_facts.close()


def lowest(facts: PdfFacts, index: int) -> tuple[float, bool]:
    """The lowest baseline or picture foot in the page's frame, and whether it is a line of body text."""
    lines = quality._text_lines(facts, index)
    pictures = [d.bottom for d in facts.drawn(index) if d.kind == "image" and quality.FRAME_BOTTOM - 3 < d.bottom]
    low_line = min(lines, key=lambda line: line.y, default=None)
    low_picture = min(pictures, default=None)
    if low_line is None or (low_picture is not None and low_picture < low_line.y):
        return (low_picture if low_picture is not None else quality.FRAME_TOP), False
    return low_line.y, abs(low_line.size - quality.BODY_SIZE) < 0.3


def test_full_pages_of_text_end_on_one_baseline(facts):
    # The pages that end in body text within two lines of the lowest such ending and whose
    # next page goes on with their section: those the text runs on from. Set as they fell, their last lines stood from 66 to 93 pt.
    endings = {}
    pages = quality.body_pages(facts)
    for index in pages:
        y, body = lowest(facts, index)
        if body and index + 1 in pages and not quality.starts_section(facts, index + 1):
            endings[index + 1] = y
    floor = min(endings.values())
    full = {page: y for page, y in endings.items() if y - floor < 2 * quality.BODY_LEADING}
    assert len(full) >= 15, full
    assert max(full.values()) - floor < 1.0, full


def test_a_piece_s_last_page_is_not_spread(facts):
    # The last page of the A-CIP feature (a new feature follows it) ends where its text ends.
    pages = [" ".join(line.text for line in facts.spans(i)) for i in range(len(facts.reader.pages))]
    last = next(i for i, text in enumerate(pages) if "Way forward" in text or "Way Forward" in text
                and "A-CIP" in text)
    y, _ = lowest(facts, last)
    assert y > quality.FRAME_BOTTOM + 0.3 * (quality.FRAME_TOP - quality.FRAME_BOTTOM), y


def test_links_on_spread_pages_still_cover_their_text(sample_pdf):
    document = pypdfium2.PdfDocument(str(sample_pdf))
    checked = 0
    try:
        reader_pages = __import__("pypdf").PdfReader(str(sample_pdf)).pages
        for index, page in enumerate(reader_pages):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                action = annotation.get("/A")
                uri = str(action.get_object().get("/URI", "")) if action is not None else ""
                if not uri.startswith("mailto:"):
                    continue
                left, bottom, right, top = (float(v) for v in annotation["/Rect"])
                text = document[index].get_textpage().get_text_bounded(left=left, bottom=bottom + 1, right=right,
                                                                      top=top - 1)
                address = uri.removeprefix("mailto:")
                assert address.split("@")[0][:6].lower() in text.lower().replace("\r\n", ""), (index + 1, uri, text)
                checked += 1
    finally:
        document.close()
    assert checked >= 3
