"""The publisher's logo (``logo:`` in the theme): drawn in the cover's band and the back cover's,
as vectors from an SVG, or as a PNG flattened onto the band; a logo that cannot be drawn is an
error at its line of ``theme.yaml``. Read from the built PDF with PDFium and pikepdf."""

from __future__ import annotations

import shutil

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from newsletter_pdf.layout.covers import BAND_HEIGHT
from newsletter_pdf.layout.styles import PAGE_HEIGHT, PAGE_WIDTH

from .conftest import MINIMAL, ROOT, make_issue, run_cli

PRIMARY = (0x0B, 0x4F, 0x8A)  # the default theme's band


def objects_in_box(pdf_path, index: int, kind: int, box: tuple[float, float, float, float]) -> list:
    left, bottom, right, top = box
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[index]
        found = [obj.get_bounds() for obj in page.get_objects(filter=(kind,))]
        return [b for b in found if b[0] >= left - 1 and b[1] >= bottom - 1 and b[2] <= right + 1 and b[3] <= top + 1]
    finally:
        document.close()


COVER_LOGO_BOX = (PAGE_WIDTH / 2, PAGE_HEIGHT - BAND_HEIGHT, PAGE_WIDTH, PAGE_HEIGHT)
BACK_LOGO_BOX = (PAGE_WIDTH / 2, 0, PAGE_WIDTH, 34 * 72 / 25.4)


def project_with_theme(tmp_path, logo_line: str | None, files: dict[str, bytes] | None = None):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "assets", project / "assets")
    theme_dir = project / "assets" / "themes" / "default"
    theme = theme_dir / "theme.yaml"
    lines = [line for line in theme.read_text(encoding="utf-8").splitlines() if not line.startswith("logo:")]
    if logo_line is not None:
        lines.append(logo_line)
    theme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, data in (files or {}).items():
        (theme_dir / name).write_bytes(data)
    issue_text = MINIMAL + "back_cover:\n  organisation: Test Office\n"
    folder = make_issue(project / "issues" / "005", issue_text)
    return folder, theme


def test_the_sample_draws_its_theme_s_svg_logo_as_vectors_on_both_covers(sample_pdf):
    paths = objects_in_box(sample_pdf, 0, pdfium_c.FPDF_PAGEOBJ_PATH, COVER_LOGO_BOX)
    assert len(paths) >= 5, paths  # the emblem's circle, meridians, parallels and arc
    assert not objects_in_box(sample_pdf, 0, pdfium_c.FPDF_PAGEOBJ_IMAGE, COVER_LOGO_BOX)
    left, bottom, right, top = (min(b[0] for b in paths), min(b[1] for b in paths), max(b[2] for b in paths),
                                max(b[3] for b in paths))
    assert right <= PAGE_WIDTH - 24 * 72 / 25.4 + 1  # within the page's margin
    assert 20 < right - left < 120 and 20 < top - bottom < 120  # at most 40 x 26 mm
    last = len(pdfium.PdfDocument(str(sample_pdf))) - 1
    assert len(objects_in_box(sample_pdf, last, pdfium_c.FPDF_PAGEOBJ_PATH, BACK_LOGO_BOX)) >= 5


def transparent_png() -> bytes:
    import io

    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((220, 30, 30, 255), (50, 25, 150, 75))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_png_logo_is_flattened_onto_the_band_with_no_transparency_in_the_archive(tmp_path):
    folder, _ = project_with_theme(tmp_path, "logo: mark.png", {"mark.png": transparent_png()})
    out = tmp_path / "archive.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out, "--profile", "archive")
    assert code == 0, stderr
    (box,) = objects_in_box(out, 0, pdfium_c.FPDF_PAGEOBJ_IMAGE, COVER_LOGO_BOX)
    assert abs((box[2] - box[0]) / (box[3] - box[1]) - 2.0) < 0.05  # its proportions kept
    with pikepdf.open(out) as pdf:
        images = [pikepdf.PdfImage(x) for x in pdf.pages[0].get_images().values()]
        (logo,) = [i for i in images if (i.width, i.height) == (200, 100)]
        assert "/SMask" not in logo.obj and "/Mask" not in logo.obj
        pixels = logo.as_pil_image().convert("RGB")
        assert pixels.getpixel((5, 5)) == PRIMARY  # the transparent ground is the band's colour
        assert pixels.getpixel((100, 50)) == (220, 30, 30)


def test_no_logo_key_draws_none(tmp_path):
    folder, _ = project_with_theme(tmp_path, None)
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    assert not objects_in_box(out, 0, pdfium_c.FPDF_PAGEOBJ_PATH, COVER_LOGO_BOX)


SVG_WITH_TEXT = b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40"><text x="0" y="30">ROCB</text></svg>'


@pytest.mark.parametrize("logo_line, files, message", [
    ("logo: words.svg", {"words.svg": SVG_WITH_TEXT}, "holds text: convert its text to outlines"),
    ("logo: missing.svg", {}, "no logo file 'missing.svg' in the theme's folder"),
    ("logo: ../wide/theme.yaml", {}, "the logo is a file inside the theme's folder"),
    ("logo: broken.png", {"broken.png": b"not a picture"}, "cannot be read as a picture"),
    ("logo: broken.svg", {"broken.svg": b"<svg"}, "is not well-formed SVG"),
    ("logo: mark.gif", {"mark.gif": b"GIF89a"}, "a logo is an SVG"),
])
def test_a_logo_that_cannot_be_drawn_is_an_error_at_its_line(tmp_path, logo_line, files, message):
    folder, theme = project_with_theme(tmp_path, logo_line, files)
    code, _, stderr = run_cli("build", folder, "-o", tmp_path / "out.pdf")
    line = theme.read_text(encoding="utf-8").splitlines().index(logo_line) + 1
    assert code == 2, stderr
    assert f"theme.yaml:{line}:1: logo: " in stderr and message in stderr, stderr
    assert "Traceback" not in stderr
