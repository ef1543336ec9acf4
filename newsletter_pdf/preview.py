"""Preview: a built PDF's pages as PNG files and one contact sheet, for a quick look and review e-mails.

Pages are rendered by PDFium (pypdfium2), the engine of Chrome's PDF viewer, so what the
preview shows is what most readers will see; the contact sheet is drawn with Pillow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

MIN_DPI, MAX_DPI = 20, 300
SHEET_COLUMNS = 6
SHEET_THUMB_WIDTH = 180  # pixels: a whole A4 page stays legible as a layout at this width
SHEET_GAP = 16
SHEET_LABEL = 18  # the room under each page for its number
SHEET_BACKGROUND = (232, 232, 232)
# zlib level 1: a preview is looked at once and thrown away; level 6 (Pillow's default) takes
# about three times as long for files a fifth smaller.
PNG_COMPRESSION = 1


class PreviewError(Exception):
    """A page range or resolution that cannot be rendered; the message says what to write instead."""


@dataclass
class Preview:
    pages: list[Path]  # one PNG per page rendered, in page order
    sheet: Path | None  # every rendered page, small, on one image (None: not asked for)


def parse_pages(spec: str | None, count: int) -> list[int]:
    """The 1-based page numbers of ``spec`` ("1-4", "3", "1,3,5-7"; None: all) in a PDF of ``count`` pages."""
    if spec is None or not spec.strip():
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise PreviewError(f"--pages {spec!r}: write pages as numbers and ranges, e.g. 1-4 or 1,3,5-7")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise PreviewError(f"--pages {spec!r}: a range runs from a page to a later one, from 1, e.g. 2-5")
        if last > count:
            raise PreviewError(f"--pages {spec!r}: the PDF has {count} page{'s' if count != 1 else ''}; "
                               f"ask for pages 1 to {count}")
        pages += [page for page in range(first, last + 1) if page not in pages]
    return pages


def render_preview(pdf_path: Path, out_dir: Path, pages: str | None = None, dpi: int = 80,
                   sheet: bool = True) -> Preview:
    """Render ``pages`` of ``pdf_path`` at ``dpi`` into ``out_dir`` as page-NN.png, and (with
    ``sheet``) contact-sheet.png."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise PreviewError(f"--dpi {dpi}: use a resolution from {MIN_DPI} to {MAX_DPI} (80 shows a page whole on screen)")
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        numbers = parse_pages(pages, len(document))
        out_dir.mkdir(parents=True, exist_ok=True)
        digits = max(2, len(str(len(document))))
        images: list[tuple[int, Image.Image]] = []
        paths: list[Path] = []
        for number in numbers:
            page = document[number - 1]
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            page.close()
            path = out_dir / f"page-{number:0{digits}d}.png"
            image.save(path, compress_level=PNG_COMPRESSION)
            paths.append(path)
            images.append((number, image))
    finally:
        document.close()
    sheet_path = out_dir / "contact-sheet.png"
    if sheet:
        contact_sheet(images).save(sheet_path, compress_level=PNG_COMPRESSION)
    return Preview(paths, sheet_path if sheet else None)


def contact_sheet(images: list[tuple[int, Image.Image]]) -> Image.Image:
    """The pages side by side, ``SHEET_COLUMNS`` to a row, each with its page number under it."""
    thumbs = []
    for number, image in images:
        height = round(image.height * SHEET_THUMB_WIDTH / image.width)
        thumbs.append((number, image.resize((SHEET_THUMB_WIDTH, height), Image.Resampling.LANCZOS)))
    columns = min(SHEET_COLUMNS, len(thumbs))
    rows = -(-len(thumbs) // columns)
    cell_height = max(t.height for _, t in thumbs) + SHEET_LABEL
    width = SHEET_GAP + columns * (SHEET_THUMB_WIDTH + SHEET_GAP)
    height = SHEET_GAP + rows * (cell_height + SHEET_GAP)
    sheet = Image.new("RGB", (width, height), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for index, (number, thumb) in enumerate(thumbs):
        x = SHEET_GAP + (index % columns) * (SHEET_THUMB_WIDTH + SHEET_GAP)
        y = SHEET_GAP + (index // columns) * (cell_height + SHEET_GAP)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline=(160, 160, 160))
        label = f"page {number}"
        label_width = draw.textlength(label, font=font)
        draw.text((x + (SHEET_THUMB_WIDTH - label_width) / 2, y + thumb.height + 4), label, fill=(60, 60, 60), font=font)
    return sheet
