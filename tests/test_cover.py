"""The front cover, read from the built sample: the photo bleeds off the page, and each cover
line names the page of its article and links to it."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader

from newsletter_pdf.check import PdfFacts
from newsletter_pdf.layout.styles import PAGE_WIDTH


def test_each_cover_line_gives_its_articles_page_and_links_there(sample_pdf):
    facts = PdfFacts(sample_pdf)
    numbers = {re.sub(r"\W", "", entry.text): entry.number for entry in facts.contents}
    facts.close()
    reader = PdfReader(sample_pdf)
    cover = reader.pages[0].extract_text()
    given: dict[str, int] = {}  # cover line -> the page number printed after it
    rows = [line.strip("• ").strip() for line in cover.splitlines()]
    for row, following in zip(rows, rows[1:]):
        if re.sub(r"\W", "", row) in numbers and following.isdigit():
            given[re.sub(r"\W", "", row)] = int(following)
    assert len(given) == 4, cover
    for title, number in given.items():
        assert numbers[title] == number, title
    # Each links to the page it names.
    index = {page.indirect_reference.idnum: n + 1 for n, page in enumerate(reader.pages)}
    targets = []
    for annotation in reader.pages[0].get("/Annots") or []:
        destination = annotation.get_object().get("/Dest")
        if destination is not None:
            targets.append(index[destination[0].idnum])
    assert sorted(targets) == sorted(given.values())


def test_the_cover_photo_runs_off_both_edges_of_the_page(sample_pdf):
    document = pdfium.PdfDocument(str(sample_pdf))
    page = document[0]
    pictures = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
    assert pictures
    left, _, right, _ = pictures[0].get_bounds()
    assert left <= 0.01 and right >= PAGE_WIDTH - 0.01
    document.close()


def test_the_back_cover_block_stands_near_the_middle_above_the_band(sample_pdf):
    from newsletter_pdf.layout.covers import BACK_FRAME_BOTTOM, BACK_FRAME_HEIGHT

    document = pdfium.PdfDocument(str(sample_pdf))
    page = document[len(document) - 1]
    text = page.get_textpage()
    tops, bottoms = [], []
    for index in range(text.count_chars()):
        left, bottom, right, top = text.get_charbox(index)
        if bottom > BACK_FRAME_BOTTOM and right > left:  # above the band and its own lines
            tops.append(top)
            bottoms.append(bottom)
    document.close()
    above = BACK_FRAME_BOTTOM + BACK_FRAME_HEIGHT - max(tops)
    below = min(bottoms) - BACK_FRAME_BOTTOM
    assert above > 40 and below > 40  # not pushed to the top with the lower half empty
    assert 0.4 < above / below < 1.0  # a little above the middle
