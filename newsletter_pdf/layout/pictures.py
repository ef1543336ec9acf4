"""Figures, photo grids and bylines."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, Table

from .. import model
from .fonts import SANS
from .styles import Styles, table_style
from .text import TextSetter

GRID_GAP = 5 * mm


@cache
def _pixels(path: Path) -> tuple[int, int, bool]:
    """Pixel size as displayed (EXIF orientation applied) and whether it needs turning."""
    with PILImage.open(path) as image:
        orientation = image.getexif().get(0x0112, 1)
        width, height = image.size
    turned = orientation in (5, 6, 7, 8)
    return (height, width, True) if turned else (width, height, orientation not in (1, None))


def _source(path: Path):
    """A file for ReportLab: the path itself, or an upright copy when EXIF says the camera was turned."""
    if not _pixels(path)[2]:
        return str(path)
    with PILImage.open(path) as image:
        upright = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        upright.convert("RGB").save(buffer, "JPEG", quality=90)
    buffer.seek(0)
    return buffer


def picture_flowable(path: Path, max_width: float, max_height: float) -> Image:
    width, height, _ = _pixels(path)
    scale = min(max_width / width, max_height / height)
    image = Image(_source(path), width * scale, height * scale)
    image.hAlign = "CENTER"
    return image


class Pictures:
    def __init__(self, styles: Styles, text: TextSetter) -> None:
        self.styles = styles
        self.text = text

    def caption(self, picture: model.Picture, where: model.Where | None) -> list[Paragraph]:
        parts = []
        if picture.caption:
            parts.append(self.text.runs(picture.caption, f"{SANS}", where))
        if picture.credit:
            credit = self.text.plain(picture.credit, SANS, where)
            parts.append(f'<font size="7" color="{self.styles.palette.muted.hexval()}">{credit}</font>')
        return [Paragraph(" \u2002·\u2002 ".join(parts), self.styles.caption)] if parts else []

    def figure(self, figure: model.Figure, width: float, max_height: float = 95 * mm):
        if len(figure.pictures) == 1:
            picture = figure.pictures[0]
            image = picture_flowable(picture.path, width * 0.8, max_height)
            caption = self.caption(picture, figure.where)
            for paragraph in caption:
                paragraph.style = self.styles.caption
            block = [Spacer(0, 4), image] + [_CaptionBox(p, image.drawWidth) for p in caption] + [Spacer(0, 8)]
            return KeepTogether(block)
        return self.grid(figure.pictures, width, figure.where)

    def grid(self, pictures: tuple[model.Picture, ...], width: float, where: model.Where | None,
             columns: int = 2, max_height: float = 62 * mm) -> Table:
        cell_width = (width - GRID_GAP * (columns - 1)) / columns
        cells = []
        for picture in pictures:
            image = picture_flowable(picture.path, cell_width, max_height)
            cells.append([image] + self.caption(picture, where))
        rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
        if len(rows[-1]) < columns:
            rows[-1] += [""] * (columns - len(rows[-1]))
        col_widths = []
        for c in range(columns):
            col_widths += [cell_width] + ([GRID_GAP] if c < columns - 1 else [])
        spaced = [[cell for c, item in enumerate(row) for cell in ([item, ""] if c < columns - 1 else [item])] for row in rows]
        table = Table(spaced, colWidths=col_widths, hAlign="CENTER", spaceBefore=4, spaceAfter=8)
        table.setStyle(table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        return table

    def byline(self, authors: tuple[model.Author, ...], width: float) -> Table:
        rows = []
        for author in authors:
            texts = [Paragraph(self.text.plain(author.name, SANS), self.styles.byline_name)]
            if author.role:
                texts.append(Paragraph(self.text.plain(author.role, SANS), self.styles.byline_role))
            photo = picture_flowable(author.photo, 18 * mm, 22 * mm) if author.photo else ""
            rows.append([photo, texts])
        table = Table(rows, colWidths=[22 * mm, width - 22 * mm], hAlign="LEFT", spaceAfter=10)
        table.setStyle(table_style([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, self.styles.palette.tint),
        ]))
        return table


class _CaptionBox(Table):
    """A caption set to the width of the picture above it, centred with it."""

    def __init__(self, paragraph: Paragraph, width: float) -> None:
        super().__init__([[paragraph]], colWidths=[width], hAlign="CENTER")
        self.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
