"""``newsletter preview``: page images and a contact sheet, from a built PDF or an issue."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from newsletter_pdf.preview import SHEET_COLUMNS, SHEET_THUMB_WIDTH
from tests.conftest import make_issue, run_cli

A4_POINTS = (595.28, 841.89)


def _size_at(dpi: int) -> tuple[int, int]:
    return round(A4_POINTS[0] * dpi / 72), round(A4_POINTS[1] * dpi / 72)


def _ink(image: Image.Image) -> float:
    """The share of pixels that are not near white."""
    grey = image.convert("L").point(lambda v: 255 if v < 200 else 0)
    return sum(grey.histogram()[255:]) / (image.width * image.height)


def test_pages_of_a_built_pdf_are_rendered_with_a_contact_sheet(sample_pdf, tmp_path):
    out = tmp_path / "look"
    code, stdout, stderr = run_cli("preview", sample_pdf, "-o", out, "--pages", "1-3,5", "--dpi", "60")
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["contact-sheet.png", "page-01.png", "page-02.png",
                                                     "page-03.png", "page-05.png"]
    assert "4 pages at 60 dpi" in stdout
    cover = Image.open(out / "page-01.png")
    assert abs(cover.width - _size_at(60)[0]) <= 1 and abs(cover.height - _size_at(60)[1]) <= 1
    # The cover's masthead band is the theme's dark blue, and a text page carries ink.
    red, green, blue = cover.convert("RGB").getpixel((cover.width // 2, 10))
    assert blue > red + 40 and blue > green
    assert _ink(Image.open(out / "page-02.png")) > 0.01
    sheet = Image.open(out / "contact-sheet.png")
    assert sheet.width > 4 * SHEET_THUMB_WIDTH and sheet.height > SHEET_THUMB_WIDTH  # four pages in one row


def test_every_page_by_default_and_the_sheet_holds_them_all(sample_pdf, tmp_path):
    out = tmp_path / "all"
    code, _, stderr = run_cli("preview", sample_pdf, "-o", out, "--dpi", "20")
    assert code == 0, stderr
    pages = len(PdfReader(str(sample_pdf)).pages)
    assert len(list(out.glob("page-*.png"))) == pages
    rows = -(-pages // SHEET_COLUMNS)
    sheet = Image.open(out / "contact-sheet.png")
    assert sheet.height > rows * SHEET_THUMB_WIDTH * A4_POINTS[1] / A4_POINTS[0]


def test_an_issue_is_built_first_and_previewed_beside_its_pdf(tmp_path):
    folder = make_issue(tmp_path / "issue")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("preview", folder, "-o", out, "--pages", "1")
    assert code == 0, stderr
    assert "checks passed" in stdout  # the build's own summary
    assert (out / "page-01.png").is_file() and (out / "contact-sheet.png").is_file()


def test_bad_requests_get_a_message_that_says_what_to_write(sample_pdf, tmp_path):
    pages = len(PdfReader(str(sample_pdf)).pages)
    cases = {
        ("--pages", "two"): "--pages 'two': write pages as numbers and ranges, e.g. 1-4 or 1,3,5-7",
        ("--pages", "5-2"): "--pages '5-2': a range runs from a page to a later one, from 1, e.g. 2-5",
        ("--pages", "1-999"): f"--pages '1-999': the PDF has {pages} pages; ask for pages 1 to {pages}",
        ("--dpi", "1000"): "--dpi 1000: use a resolution from 20 to 300 (80 shows a page whole on screen)",
    }
    for args, message in cases.items():
        code, _, stderr = run_cli("preview", sample_pdf, "-o", tmp_path / "bad", *args)
        assert code == 2 and stderr.strip() == message, (args, stderr)
    assert not (tmp_path / "bad").exists() or not any((tmp_path / "bad").iterdir())


def test_a_file_that_is_not_a_pdf_is_refused_plainly(tmp_path):
    fake = tmp_path / "notes.pdf"
    fake.write_text("not a PDF", encoding="utf-8")
    code, _, stderr = run_cli("preview", fake, "-o", tmp_path / "out")
    assert code == 2 and stderr.startswith(f"{fake}: not a PDF that can be read")
    code, _, stderr = run_cli("preview", tmp_path / "missing.pdf")
    assert code == 2 and "no such PDF" in stderr
