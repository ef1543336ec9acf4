"""Pictures and the three outputs, checked in the built PDF."""

from __future__ import annotations

import io
import re

import pypdfium2
import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from newsletter_pdf.layout.styles import DEFAULT_GRID, GRIDS

from .conftest import MINIMAL, SAMPLE, make_issue, run_cli
from .synthetic import photo_heavy_copy

MM = 72 / 25.4
FIGURE_WIDTH = GRIDS[DEFAULT_GRID].text_width  # a single figure is at most as wide as the text column


def two_tone(size, mode="RGB"):
    """Red top half, blue bottom half: shows which way up a picture ended."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0], size[1] // 2))
    return image.convert(mode) if mode != "RGB" else image


KIND_SIZES = {  # distinct shapes, so each embedded picture can be told by its aspect ratio
    "rgb.jpg": (1600, 900), "gray.jpg": (1600, 940), "cmyk.jpg": (1600, 980), "alpha.png": (1600, 1020),
    "plain.png": (1600, 1060), "photo.webp": (1600, 1100), "scan.tiff": (1600, 1140), "turned.jpg": (1000, 1600),
}


def save_kinds(folder):
    images = folder / "images"
    images.mkdir(parents=True)
    two_tone(KIND_SIZES["rgb.jpg"]).save(images / "rgb.jpg", quality=90)
    two_tone(KIND_SIZES["gray.jpg"], "L").save(images / "gray.jpg", quality=90)
    two_tone(KIND_SIZES["cmyk.jpg"], "CMYK").save(images / "cmyk.jpg", quality=90)
    rgba = two_tone(KIND_SIZES["alpha.png"]).convert("RGBA")
    rgba.putalpha(128)
    rgba.save(images / "alpha.png")
    two_tone(KIND_SIZES["plain.png"]).save(images / "plain.png")
    two_tone(KIND_SIZES["photo.webp"]).save(images / "photo.webp", quality=90)
    two_tone(KIND_SIZES["scan.tiff"]).save(images / "scan.tiff")
    # Stored sideways, with EXIF saying "turn 90° clockwise to view": displayed it is 1000 x 1600.
    sideways = two_tone(KIND_SIZES["turned.jpg"]).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways.save(images / "turned.jpg", quality=90, exif=exif.tobytes())
    return list(KIND_SIZES)


def identify(image):
    """The test picture an embedded image was made from, by its shape."""
    ratio = image.size[1] / image.size[0]
    return min(KIND_SIZES, key=lambda name: abs(KIND_SIZES[name][1] / KIND_SIZES[name][0] - ratio))


def issue_with_figures(folder, names, profile_body=""):
    figures = "\n\n".join(f"![Figure {name}](images/{name})\n\nText after {name}." for name in names)
    body = "\n".join("      " + line for line in figures.splitlines())
    return make_issue(folder, MINIMAL.replace("      Hello world.", body))


def embedded_images(pdf):
    reader = PdfReader(str(pdf))
    found = []
    for page in reader.pages:
        for image in page.images:
            found.append(image.image)
    return found


@pytest.mark.parametrize("profile,dpi", [("email", 150), ("print", 300)])
def test_every_kind_of_picture_is_upright_and_downsampled(tmp_path, profile, dpi):
    folder = tmp_path / "issue"
    folder.mkdir()
    names = save_kinds(folder)
    issue_with_figures(folder, names)
    out = tmp_path / f"{profile}.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out, "--profile", profile)
    assert code == 0, stderr
    images = embedded_images(out)
    assert len(images) == len(names)
    wide_limit = round(FIGURE_WIDTH / 72 * dpi)
    assert sorted(identify(i) for i in images) == sorted(names)
    for image in images:
        name, (width, height) = identify(image), image.size
        if name == "turned.jpg":
            assert height > width, "the EXIF-turned picture must be embedded upright"
            assert height <= round(95 * MM / 72 * dpi) + 2  # figures are at most 95 mm high
        elif name in ("rgb.jpg", "gray.jpg") and 1600 <= wide_limit * 1.15:
            assert width == 1600, "a JPEG at most 15 % larger than needed passes through untouched"
        else:
            assert abs(width - min(1600, wide_limit)) <= 2, (name, image.size)
        assert image.mode in ("RGB", "L"), (name, image.mode)  # flattened: no alpha, no CMYK
        top = image.convert("RGB").getpixel((width // 2, height // 8))
        bottom = image.convert("RGB").getpixel((width // 2, height * 7 // 8))
        if name == "alpha.png":  # half-transparent, flattened on white
            assert top[0] > 200 and top[1] > 100 and bottom[2] > 200 and bottom[0] > 100
        elif name != "gray.jpg":
            assert top[0] > 180 and top[2] < 80, (name, top)
            assert bottom[2] > 180 and bottom[0] < 80, (name, bottom)


def test_a_small_jpeg_is_embedded_as_it_is(tmp_path):
    folder = tmp_path / "issue"
    (folder / "images").mkdir(parents=True)
    original = folder / "images" / "small.jpg"
    two_tone((400, 250)).save(original, quality=75)
    issue_with_figures(folder, ["small.jpg"])
    out = tmp_path / "small.pdf"
    assert run_cli("build", folder, "-o", out)[0] == 0
    reader = PdfReader(str(out))
    stream = next(x.get_object() for p in reader.pages for x in (p["/Resources"].get("/XObject") or {}).values()
                  if x.get_object().get("/Subtype") == "/Image")
    assert stream.get("/Filter") in ("/DCTDecode", ["/DCTDecode"])
    assert stream._data == original.read_bytes(), "the JPEG data must pass through untouched"


@pytest.fixture(scope="module")
def heavy_issue(tmp_path_factory):
    root = tmp_path_factory.mktemp("heavy")
    total = photo_heavy_copy(SAMPLE, root / "079")
    return root / "079", total


def test_the_photo_heavy_sample_mails_small_and_rebuilds_from_the_cache(heavy_issue, tmp_path):
    folder, input_bytes = heavy_issue
    assert input_bytes > 40_000_000  # 31 camera-sized JPEGs
    out = tmp_path / "heavy.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    assert out.stat().st_size < 3 * 1024 * 1024
    assert re.search(r"31 pictures prepared", stdout)
    code, stdout, _ = run_cli("build", folder, "-o", out)
    assert code == 0
    assert "pictures prepared" not in stdout, "a warm rebuild must do no picture work"
    for image in embedded_images(out):
        assert max(image.size) <= round(FIGURE_WIDTH / 72 * 150) + 2 or max(image.size) <= 1300


def test_print_has_bleed_boxes_crop_marks_and_warns_of_low_resolution(tmp_path):
    folder = tmp_path / "issue"
    (folder / "images").mkdir(parents=True)
    two_tone((300, 200)).save(folder / "images" / "tiny.jpg")
    issue_with_figures(folder, ["tiny.jpg"])
    out = tmp_path / "print.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out, "--profile", "print", "--saddle-stitch")
    assert code == 0, stderr
    assert re.search(r"warning: tiny\.jpg: \d+ dpi at its placed size \(below 150 dpi for print\)", stderr)
    reader = PdfReader(str(out))
    assert len(reader.pages) % 4 == 0
    border, bleed = 12 * MM, 3 * MM
    for page in reader.pages:
        trim, bleedbox, media = page.trimbox, page.bleedbox, page.mediabox
        assert abs(float(trim.width) - 595.28) < 0.5 and abs(float(trim.height) - 841.89) < 0.5
        assert abs(float(trim.left) - border) < 0.1 and abs(float(trim.bottom) - border) < 0.1
        assert abs(float(trim.left) - float(bleedbox.left) - bleed) < 0.1
        assert abs(float(bleedbox.top) - float(trim.top) - bleed) < 0.1
        assert float(media.width) > float(bleedbox.width)
    # Look at the cover: crop marks in the corners, and the title band bleeding past the trim.
    cover = pypdfium2.PdfDocument(str(out))[0].render(scale=2).to_pil().convert("RGB")
    px = 2  # pixels per point
    height = cover.size[1]

    def at(x_pt, y_pt):  # PDF coordinates (from the bottom) to the rendered image
        return cover.getpixel((round(x_pt * px), round(height - y_pt * px)))

    mark = at(border, 3 * MM)  # the vertical crop mark below the bottom-left trim corner
    assert sum(mark) < 600, mark  # a hairline, antialiased: grey, not white
    band_in_bleed = at(border - bleed / 2, float(reader.pages[0].trimbox.top) - 20)
    assert band_in_bleed[2] > band_in_bleed[0] + 40, band_in_bleed  # the blue band
    outside_bleed = at(border - bleed - 2, float(reader.pages[0].trimbox.top) - 20)
    assert min(outside_bleed) > 240, outside_bleed


def test_archive_is_pdfa_2a_and_pdfua_1(tmp_path):
    folder = tmp_path / "issue"
    folder.mkdir()
    save_kinds(folder)
    issue_with_figures(folder, ["alpha.png", "cmyk.jpg"])
    out = tmp_path / "archive.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out, "--profile", "archive")
    assert code == 0, stderr
    reader = PdfReader(str(out))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object()
    assert "/Filter" not in xmp
    text = xmp.get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in text and "<pdfaid:conformance>A</pdfaid:conformance>" in text
    # PDF/UA-1 too, its schema described for PDF/A, which does not predefine it
    assert "<pdfuaid:part>1</pdfuaid:part>" in text
    assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in text
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root and str(root["/Lang"])
    assert "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Test Newsletter No. 5</rdf:li>" in text
    assert "<xmp:CreateDate>2024-03-01T00:00:00+00:00</xmp:CreateDate>" in text
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3
    assert reader.pdf_header == "%PDF-1.7"
    for page in reader.pages:
        for image in (page["/Resources"].get("/XObject") or {}).values():
            assert "/SMask" not in image.get_object(), "transparency must be flattened"
    code, stdout, _ = run_cli("check", out)
    assert code == 0 and re.search(r"^ok +PDF/A-2a", stdout, re.M), stdout
    assert re.search(r"^ok +tagged structure \(PDF/UA\)", stdout, re.M), stdout
    # The level-A claim on a file that is not tagged any more is named
    untagged = tmp_path / "untagged.pdf"
    with pikepdf.open(out) as pdf:
        del pdf.Root.MarkInfo
        pdf.save(untagged)
    code, stdout, _ = run_cli("check", untagged)
    assert code == 1 and re.search(r"^FAIL +PDF/A-2a.*level A asks for a tagged file", stdout, re.M | re.S), stdout


BAD_PICTURES = {
    "truncated": "is not a readable picture",
    "bomb": "is too large a picture",
    "garbage": "is not a readable picture",
}


@pytest.mark.parametrize("kind", BAD_PICTURES)
def test_bad_pictures_are_input_errors(tmp_path, kind):
    folder = tmp_path / "issue"
    (folder / "images").mkdir(parents=True)
    path = folder / "images" / "bad.png"
    if kind == "truncated":
        buffer = io.BytesIO()
        Image.effect_noise((800, 600), 60).convert("RGB").save(buffer, "JPEG", quality=90)
        path = path.with_suffix(".jpg")
        path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    elif kind == "bomb":
        Image.new("1", (15000, 15000)).save(path, optimize=True)  # 225 MP in a few kilobytes
    else:
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    issue_with_figures(folder, [path.name])
    out = tmp_path / "bad.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 2
    assert re.search(rf"issue\.yaml:\d+:\d+: sections\[0\]\.body: images/{path.name} {BAD_PICTURES[kind]}", stderr), stderr
    assert "Traceback" not in stderr and not out.exists()
