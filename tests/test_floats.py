"""Pictures in the run of the text float: one that does not fit the room left on its page (even
shrunk) waits for the top of the next page, and the text after it goes on and fills the page.
Read from the built PDF: where the picture, its caption and the words around it stand."""

from __future__ import annotations

import yaml

from newsletter_pdf.layout.styles import MARGIN_TOP, PAGE_HEIGHT

from .conftest import make_issue, run_cli
from .fuzz.invariants import Pdf

SENTENCE = "The customs office met its partners in the region to plan the work on trade and border control for the coming year."
PARAGRAPH = " ".join([SENTENCE] * 4)
FRAME_TOP = PAGE_HEIGHT - MARGIN_TOP


def build(tmp_path, body: str, **section) -> Pdf:
    issue = {"schema": 1, "title": "Floats", "number": 3, "date": "2024-01-01", "publisher": "Test",
             "sections": [{"title": "First Article", "body": body, **section}]}
    folder = make_issue(tmp_path / "issue", yaml.safe_dump(issue, sort_keys=False), {"images/tall.jpg": (1000, 1500)})
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    return Pdf(out)


def page_of(pdf: Pdf, words: str) -> int:
    squashed = [text.replace("\n", " ").replace("\r", "") for text in pdf.texts]
    pages = [n for n, text in enumerate(squashed) if words in " ".join(text.split())]
    assert pages, f"{words!r} is nowhere in the PDF"
    return pages[0]


def lowest_text(pdf: Pdf, index: int) -> float:
    return min(c.bottom for c in pdf.chars[index] if c.bottom > 60)  # above the folio


def body_with_picture(paragraphs: int) -> str:
    before = [f"Before {n}. {PARAGRAPH}" for n in range(paragraphs)]
    after = [f"After the picture {n}. {PARAGRAPH}" for n in range(4)]
    return "\n\n".join(before + ["![The meeting of the partners](images/tall.jpg)"] + after)


def test_a_picture_that_does_not_fit_waits_for_the_next_page_and_the_text_goes_on(tmp_path):
    pdf = build(tmp_path, body_with_picture(5))
    try:
        picture_page = next(n for n, pictures in enumerate(pdf.pictures) if pictures and n > 0)
        text_page = page_of(pdf, "Before 4.")
        assert picture_page == text_page + 1, (text_page, picture_page)
        # The text after the picture went on on the page it could not fit, and fills it.
        assert page_of(pdf, "After the picture 0.") == text_page
        assert lowest_text(pdf, text_page) < 100, lowest_text(pdf, text_page)
        # The picture stands at the top of the next page, with its caption on that page.
        (left, bottom, right, top), = pdf.pictures[picture_page]
        assert FRAME_TOP - top < 12, top
        assert page_of(pdf, "The meeting of the partners") == picture_page
    finally:
        pdf.close()


def test_a_picture_that_fits_shrunk_stays_in_its_place(tmp_path):
    pdf = build(tmp_path, body_with_picture(3))
    try:
        (picture_page,) = [n for n, pictures in enumerate(pdf.pictures) if pictures]
        assert page_of(pdf, "Before 2.") == picture_page
        (_, bottom, _, top), = pdf.pictures[picture_page]
        after = [c for c in pdf.chars[picture_page] if c.top < bottom]
        assert page_of(pdf, "After the picture 0.") in (picture_page, picture_page + 1)
        assert after, "the text after the picture goes on under it"
    finally:
        pdf.close()


def test_a_picture_at_the_end_of_its_section_is_not_lost(tmp_path):
    body = "\n\n".join([f"Before {n}. {PARAGRAPH}" for n in range(5)] + ["![Last of all](images/tall.jpg)"])
    pdf = build(tmp_path, body)
    try:
        (picture_page,) = [n for n, pictures in enumerate(pdf.pictures) if pictures]
        assert page_of(pdf, "Last of all") == picture_page >= page_of(pdf, "Before 4.")
    finally:
        pdf.close()


def test_a_picture_under_a_heading_does_not_float_away_from_it(tmp_path):
    before = "\n\n".join(f"Before {n}. {PARAGRAPH}" for n in range(5))
    body = before + "\n\n## A day of talks\n\n![The meeting of the partners](images/tall.jpg)\n\n" + f"After. {PARAGRAPH}"
    pdf = build(tmp_path, body)
    try:
        (picture_page,) = [n for n, pictures in enumerate(pdf.pictures) if pictures]
        assert page_of(pdf, "The meeting of the partners") == picture_page == page_of(pdf, "A day of talks")
    finally:
        pdf.close()
