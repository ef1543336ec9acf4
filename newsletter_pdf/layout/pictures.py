"""Figures, photo grids and bylines."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, Table

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

    def figure(self, figure: model.Figure, width: float, max_height: float = 95 * mm) -> Flowable:
        if len(figure.pictures) == 1:
            picture = figure.pictures[0]
            return FlexFigure(picture.path, width * 0.8, max_height, self.caption(picture, figure.where))
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


class FlexFigure(Flowable):
    """A picture with its caption that may shrink to fill the room left at the foot of a page.

    A figure that does not fit moves to the next page and leaves a gap; down to
    ``MIN_SCALE`` of its size it shrinks into the room instead.
    """

    MIN_SCALE = 0.65
    SPACE_ABOVE, SPACE_BELOW, CAPTION_GAP = 4, 9, 3

    def __init__(self, path: Path, max_width: float, max_height: float, caption: list[Paragraph]) -> None:
        super().__init__()
        self.path = path
        pixel_width, pixel_height, _ = _pixels(path)
        scale = min(max_width / pixel_width, max_height / pixel_height)
        self.natural = (pixel_width * scale, pixel_height * scale)
        self.caption = caption
        self.scale = 1.0

    def _height_at(self, scale: float, available_width: float) -> float:
        image_width = min(self.natural[0] * scale, available_width)
        caption_width = max(image_width, 60 * mm)
        captions = sum(p.wrap(caption_width, 10_000)[1] for p in self.caption)
        return self.SPACE_ABOVE + self.natural[1] * scale + (self.CAPTION_GAP + captions if self.caption else 0) + \
            self.SPACE_BELOW

    def minimum_height(self, available_width: float) -> float:
        return self._height_at(self.MIN_SCALE, available_width)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.scale = min(1.0, available_width / self.natural[0])
        height = self._height_at(self.scale, available_width)
        if height > available_height:
            image_room = available_height - (height - self.natural[1] * self.scale)
            if image_room >= self.natural[1] * self.MIN_SCALE:
                self.scale = image_room / self.natural[1]
                height = self._height_at(self.scale, available_width)
        self.width, self.height = available_width, height
        return available_width, height

    def draw(self) -> None:
        image_width, image_height = self.natural[0] * self.scale, self.natural[1] * self.scale
        x = (self.width - image_width) / 2
        y = self.height - self.SPACE_ABOVE - image_height
        self.canv.drawImage(ImageReader(_source(self.path)), x, y, image_width, image_height)
        caption_width = max(image_width, 60 * mm)
        caption_x = (self.width - caption_width) / 2
        y -= self.CAPTION_GAP
        for paragraph in self.caption:
            _, height = paragraph.wrap(caption_width, 10_000)
            y -= height
            paragraph.drawOn(self.canv, caption_x, y)
