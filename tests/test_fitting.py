"""Pieces that nearly fit their page are tightened to fit it (``layout/fitting.py``), measured
on built PDFs: the same text set as a feature (never tightened at its start) runs a few lines
onto a second page, and as a message it ends on its first page, signature included."""

from __future__ import annotations

import yaml
from pypdf import PdfReader

from .conftest import make_issue, run_cli

WORDS = ("customs administration capacity building regional workshop members cooperation training data "
         "analytics programme integrity enforcement officers meeting participants experience development").split()


def paragraph(words: int, seed: int) -> str:
    return " ".join(WORDS[(seed + i * 7) % len(WORDS)] for i in range(words)).capitalize() + "."


def built(tmp_path, name: str, kind: str, paragraphs: list[str]) -> tuple[list[str], str]:
    """The text of each page of the built issue, and what the build printed on stderr."""
    section = {"title": "A Letter to Our Readers", "kind": kind, "body": "\n\n".join(paragraphs) + "\n"}
    if kind == "message":
        section["signature"] = {"closing": "Kind regards,", "name": "A. Writer", "role": "Head of Office"}
    issue = {"schema": 1, "title": "Fitting", "number": 3, "date": "2024-01-01", "publisher": "Test",
             "sections": [section, {"title": "Next Feature", "body": "Text of the next feature.\n"}]}
    folder = make_issue(tmp_path / name, yaml.safe_dump(issue, sort_keys=False))
    out = tmp_path / f"{name}.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    return [page.extract_text() for page in PdfReader(out).pages], stderr


def pages_of(tmp_path, name: str, kind: str, paragraphs: list[str]) -> list[str]:
    return built(tmp_path, name, kind, paragraphs)[0]


def spill(pages: list[str], first_words: str, last_words: str) -> tuple[int, int]:
    """(the page index where the piece begins, how many pages it runs over)."""
    start = max(i for i, text in enumerate(pages) if first_words in text)  # (not the contents line)
    end = next(i for i, text in enumerate(pages) if last_words in text)
    return start, end - start


def test_the_sample_farewell_fits_its_page(sample_pdf):
    # Set as everything else it runs three lines and its signature onto a page of their own.
    pages = [page.extract_text() for page in PdfReader(sample_pdf).pages]
    title = max(i for i, text in enumerate(pages) if "Farewell message from" in text)
    assert "former Program Manager of ROCB A/P" in pages[title]


def styled_paragraphs(count: int, words: int) -> list:
    from newsletter_pdf.layout.fonts import register_text_faces
    from newsletter_pdf.layout.paragraph import Paragraph
    from newsletter_pdf.layout.styles import Styles, load_theme
    from .conftest import ROOT

    register_text_faces()
    styles = Styles(load_theme(ROOT / "assets" / "themes" / "default").palette, "en")
    return [Paragraph(paragraph(words, seed), styles.body) for seed in range(count)]


def test_tightening_stops_at_its_limits():
    from newsletter_pdf.layout import fitting
    from newsletter_pdf.layout.styles import BODY_LEADING, FRAME_HEIGHT, FRAME_WIDTH

    near = styled_paragraphs(8, 50)
    height = fitting._height(near, FRAME_WIDTH)
    room = height - 2 * BODY_LEADING  # two lines too tall
    assert fitting.fit_to_page(near, FRAME_WIDTH, room, BODY_LEADING)
    assert fitting._height(near, FRAME_WIDTH) <= room
    assert all(p.style.spaceAfter >= fitting.MIN_GAP for p in near)
    assert all(p.style.leading >= BODY_LEADING * (1 - fitting.MAX_LEADING_CUT) - 1e-6 for p in near)

    far = styled_paragraphs(8, 50)
    before = [p.style for p in far]
    height = fitting._height(far, FRAME_WIDTH)
    assert not fitting.fit_to_page(far, FRAME_WIDTH, height - 8 * BODY_LEADING, BODY_LEADING)  # beyond the limits
    assert [p.style for p in far] == before and fitting._height(far, FRAME_WIDTH) == height
    assert not fitting.fit_to_page(far, FRAME_WIDTH, FRAME_HEIGHT * 3, BODY_LEADING)  # fits already


def text_between(pdf, page_index: int, left: float, right: float) -> str:
    """The text of a page's body frame between ``left`` and ``right`` (pt from the page's left edge)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return document[page_index].get_textpage().get_text_bounded(left=left, bottom=62, right=right, top=774)
    finally:
        document.close()


def right_half_text(pdf, page_index: int) -> str:
    """The text beyond the text column (x 400-527 pt): the margin column, where a letter in two
    columns has its second column and one in the text column has nothing."""
    return text_between(pdf, page_index, 400, 527)


def test_a_letter_too_long_for_the_text_column_is_set_in_two_columns(tmp_path):
    # Too long for the text column even tightened (about 15 lines over): in two columns across
    # the frame it ends on its page, signature included, and reads in its order.
    paragraphs = [paragraph(40, seed) for seed in range(9)] + ["Last words here."]
    pages, stderr = built(tmp_path, "columns", "message", paragraphs)
    start, over = spill(pages, "A Letter to Our Readers", "Head of Office")
    assert over == 0 and "onto a second page" not in stderr, stderr
    pdf = tmp_path / "columns.pdf"
    assert right_half_text(pdf, start).strip()
    # The second column (from x 308 pt) ends with the signature.
    assert "Head of Office" in text_between(pdf, start, 305, 527)
    assert "Head of Office" not in text_between(pdf, start, 60, 300)
    # The check reads both columns' lines, each its own line, at about 45 characters.
    from newsletter_pdf.check.facts import PdfFacts
    from newsletter_pdf.check.quality import _body_glyph_lines

    facts = PdfFacts(pdf)
    try:
        lines = _body_glyph_lines(facts, start)
    finally:
        facts.close()
    columns = [[len("".join(g.char for g in glyphs).strip()) for c, glyphs in lines if c == column] for column in (0, 1)]
    assert len(columns[0]) > 20 and len(columns[1]) > 20
    assert all(length <= 52 for column in columns for length in column), columns
    text = " ".join(pages[start].split())
    assert text.index(" ".join(paragraphs[0].split()[:6])) < text.index(" ".join(paragraphs[5].split()[-6:])) \
        < text.index("Last words here.")


def test_a_letter_that_fits_the_text_column_stays_in_it(tmp_path):
    paragraphs = [paragraph(40, seed) for seed in range(5)] + ["Last words here."]
    pages, _ = built(tmp_path, "one", "message", paragraphs)
    start, over = spill(pages, "A Letter to Our Readers", "Head of Office")
    assert over == 0 and right_half_text(tmp_path / "one.pdf", start).strip() == ""


def test_a_message_far_too_long_is_left_as_it_is(tmp_path):
    paragraphs = [paragraph(40, seed) for seed in range(24)] + ["Last words here."]
    pages = pages_of(tmp_path, "long", "message", paragraphs)
    start, over = spill(pages, "A Letter to Our Readers", "Head of Office")
    assert over >= 1 and len(pages[start + 1].strip().splitlines()) > 12  # set as everything else
    assert right_half_text(tmp_path / "long.pdf", start).strip() == ""  # in the text column


def test_a_message_overset_by_less_than_half_a_page_says_how_much_to_cut(tmp_path):
    paragraphs = [paragraph(40, seed) for seed in range(COLUMNS_OVERSET)] + ["Last words here."]
    pages, stderr = built(tmp_path, "long", "message", paragraphs)
    start, over = spill(pages, "A Letter to Our Readers", "Head of Office")
    assert over == 1
    (warning,) = [line for line in stderr.splitlines() if "cut about" in line]
    assert "issue.yaml:" in warning and "the message 'A Letter to Our Readers' is about" in warning, warning
    assert "too long for its page, set in two columns" in warning, warning
    cut = int(warning.split("cut about ")[1].split(" characters")[0])
    assert 300 < cut < 2500, warning
    # Cutting that many characters (whole paragraphs from the end) is enough: it then ends on its page.
    while cut > 0:
        cut -= len(paragraphs.pop(-2)) + 2
    pages, stderr = built(tmp_path, "cut", "message", paragraphs)
    assert spill(pages, "A Letter to Our Readers", "Head of Office")[1] == 0
    assert "cut about" not in stderr


COLUMNS_OVERSET = 12  # paragraphs of 40 words: a little too long for two columns


def test_letter_columns_balance_and_split():
    from newsletter_pdf.layout.columns import letter_columns
    from newsletter_pdf.layout.styles import FRAME_WIDTH

    columns = letter_columns(styled_paragraphs(8, 60), [])
    _, whole = columns.wrap(FRAME_WIDTH, 5000)
    bottoms = [max(p.top + p.height for p in columns.placed if p.column == c) for c in (0, 1)]
    assert max(bottoms) == whole and abs(bottoms[0] - bottoms[1]) < 2 * 14.2  # balanced to a line or two
    # Too tall for the room: the first part fills both columns, the rest goes on in columns.
    _, over = columns.wrap(FRAME_WIDTH, whole / 2)
    assert over > whole / 2
    first, rest = columns.split(FRAME_WIDTH, whole / 2)
    assert first.wrap(FRAME_WIDTH, whole / 2)[1] <= whole / 2
    assert {p.column for p in first.placed} == {0, 1}
    assert first.wrap(FRAME_WIDTH, whole)[1] == first.height  # laid out once, at the split
    assert rest.wrap(FRAME_WIDTH, 5000)[1] <= whole / 2 + 2 * 14.2
