"""Figures, photo grids and bylines.

Where a picture comes from is the caller's choice (a ``PictureSource``): the write
stage hands in one that downsamples and caches for the output profile; without one,
pictures are embedded as they are. Flowables announce the largest size they will
be drawn at when they are made, so that every picture can be prepared, in parallel,
before layout starts.
"""

from __future__ import annotations

import copy
import hashlib
import io
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import NamedTuple, Protocol

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from .paragraph import Paragraph
from .. import model
from .fonts import SANS
from . import compat
from .notes import gather
from .styles import FRAME_HEIGHT, Styles, table_style
from .tables import Table
from .tagging import marked, structure_of
from .text import TextSetter

GRID_GAP = 5 * mm
MIN_ROW_PICTURE_WIDTH = 35 * mm  # narrower, a picture in a row could not hold a readable caption
MAX_ROW_SHARE = 0.5  # a row of pictures and captions taller than this share of a page: one picture a row
ROW_HEIGHT_LEEWAY = 1.15  # a row of pictures may stand this much taller than asked, to fill its width
ORIENTATION_TAG = 0x0112


class Prepared(NamedTuple):
    file: object  # a path, or a file object as ReportLab's ImageReader takes it
    width: int
    height: int
    token: str  # names the picture by its content (see ``_StableName``)


class _StableName(str):
    """A picture's path that formats as its content token.

    ReportLab names an image drawn from a file after the path string, which would put the
    checkout's folder into the PDF (an archived issue must rebuild to the same bytes
    anywhere); drawn from an ImageReader it decodes and hashes the pixels at every use.
    Opening the file uses the path; naming it (``'%s' % name``) uses the token.
    """

    def __new__(cls, path: str, token: str) -> "_StableName":
        instance = super().__new__(cls, path)
        instance.token = token
        return instance

    def __str__(self) -> str:
        return self.token


def draw_prepared(canvas, prepared: Prepared, x: float, y: float, width: float, height: float) -> None:
    if isinstance(prepared.file, str):
        canvas.drawImage(_StableName(prepared.file, prepared.token), x, y, width, height)
    else:
        canvas.drawImage(ImageReader(prepared.file), x, y, width, height)


@cache
def content_token(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]


class PictureSource(Protocol):
    def request(self, path: Path, width_pt: float, height_pt: float, where: model.Where | None = None) -> None: ...

    def get(self, path: Path, width_pt: float, height_pt: float) -> Prepared: ...


@cache
def display_size(path: Path) -> tuple[int, int]:
    """Pixel size as the picture is meant to be seen (EXIF orientation applied); reads the header only."""
    with PILImage.open(path) as image:
        width, height = image.size
        turned = image.getexif().get(ORIENTATION_TAG, 1) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


class OriginalPictures:
    """Pictures as they are, only turned upright: for previews and tests of layout alone."""

    def request(self, path: Path, width_pt: float, height_pt: float, where: model.Where | None = None) -> None:
        pass

    def get(self, path: Path, width_pt: float, height_pt: float) -> Prepared:
        width, height = display_size(path)
        with PILImage.open(path) as image:
            if image.getexif().get(ORIENTATION_TAG, 1) in (1, None):
                return Prepared(str(path), width, height, content_token(path))
            buffer = io.BytesIO()
            ImageOps.exif_transpose(image).convert("RGB").save(buffer, "JPEG", quality=90)
        buffer.seek(0)
        return Prepared(buffer, width, height, content_token(path))


def draw_picture(canvas, source: PictureSource, path: Path, x: float, y: float, width: float, height: float) -> None:
    draw_prepared(canvas, source.get(path, width, height), x, y, width, height)


class Photo(Flowable):
    """A picture at a fixed size, fitted into a box."""

    def __init__(self, path: Path, max_width: float, max_height: float, source: PictureSource,
                 where: model.Where | None = None) -> None:
        super().__init__()
        pixel_width, pixel_height = display_size(path)
        scale = min(max_width / pixel_width, max_height / pixel_height)
        self.path, self.source = path, source
        self.drawWidth, self.drawHeight = pixel_width * scale, pixel_height * scale
        source.request(path, self.drawWidth, self.drawHeight, where)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        draw_picture(self.canv, self.source, self.path, 0, 0, self.drawWidth, self.drawHeight)


class FlexFigure(Flowable):
    """A picture with its caption that may shrink to fill the room left at the foot of a page.

    A figure that does not fit moves to the next page and leaves a gap; down to
    ``MIN_SCALE`` of its size it shrinks into the room instead.
    """

    MIN_SCALE = 0.65
    SPACE_ABOVE, SPACE_BELOW, CAPTION_GAP = 4, 9, 3
    room_below = 0.0  # the height of the lines that must stay with the figure on its page
    floats = False  # in the run of the text: the text may go on past it to the next page top
    max_scale = 1.0  # below 1: drawn smaller, for a one-page piece to fit its page (fitting.py)

    def __init__(self, path: Path, max_width: float, max_height: float, caption: list[Paragraph],
                 source: PictureSource, where: model.Where | None = None, beside: float | None = None) -> None:
        """``beside``: where the margin column starts, for a caption set beside the picture, at its
        foot, rather than under it; the picture then stands flush left in the text column."""
        super().__init__()
        self.path, self.source = path, source
        pixel_width, pixel_height = display_size(path)
        scale = min(max_width / pixel_width, max_height / pixel_height)
        self.natural = (pixel_width * scale, pixel_height * scale)
        self.caption = caption
        self.caption_element = None  # the caption's structure element, beside the figure's (a tagged PDF)
        self.beside = beside
        self.scale = 1.0
        source.request(path, *self.natural, where)

    def _caption_width(self, image_width: float, available_width: float) -> float:
        if self.beside is not None:
            return available_width - self.beside
        return max(image_width, 60 * mm)

    def _caption_height(self, available_width: float) -> float:
        width = self._caption_width(min(self.natural[0] * self.scale, available_width), available_width)
        return sum(p.wrap(width, 10_000)[1] for p in self.caption)

    def _height_at(self, scale: float, available_width: float) -> float:
        image_width = min(self.natural[0] * scale, available_width)
        caption_width = self._caption_width(image_width, available_width)
        captions = sum(p.wrap(caption_width, 10_000)[1] for p in self.caption)
        image_height = self.natural[1] * scale
        if self.beside is not None:
            body = max(image_height, captions)
        else:
            body = image_height + (self.CAPTION_GAP + captions if self.caption else 0)
        return self.SPACE_ABOVE + body + self.SPACE_BELOW

    @property
    def note_keys(self) -> tuple[str, ...]:
        return gather(self.caption)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """A caption too long to stand under its picture on any page: at the top of a page, the
        picture, then its caption after it, split as it must be. Elsewhere the figure moves on whole."""
        frame = compat.placing_frame(self)
        at_top = frame is None or compat.frame_at_top(frame)
        if not self.caption or not at_top or self.minimum_height(available_width) <= available_height:
            return []
        bare = copy.copy(self)
        bare.caption = []
        if bare._height_at(self.MIN_SCALE, available_width) > available_height:
            return []
        for paragraph in self.caption:  # set on its own after the picture, still the caption's text
            paragraph.structure = self.caption_element or structure_of(self)
        return [bare] + self.caption

    def minimum_height(self, available_width: float) -> float:
        return self._height_at(self.MIN_SCALE, available_width)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.scale = min(self.max_scale, available_width / self.natural[0])
        height = self._height_at(self.scale, available_width)
        if height > available_height - self.room_below and self.room_below:
            # Shrunk, if it must, so that the lines kept with it fit under it; else as it fits.
            width, shrunk = self.wrap_within(available_width, available_height - self.room_below)
            if shrunk <= available_height - self.room_below:
                return width, shrunk
        return self.wrap_within(available_width, available_height)

    def wrap_within(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.scale = min(self.max_scale, available_width / self.natural[0])
        height = self._height_at(self.scale, available_width)
        if height > available_height:
            image_room = available_height - (height - self.natural[1] * self.scale)
            if self.beside is not None:
                image_room = available_height - self.SPACE_ABOVE - self.SPACE_BELOW
                if self._caption_height(available_width) > image_room:
                    image_room = 0.0  # a caption taller than the room: shrinking the picture does not help
            if image_room >= self.natural[1] * self.MIN_SCALE:
                self.scale = image_room / self.natural[1]
                height = self._height_at(self.scale, available_width)
        self.width, self.height = available_width, height
        return available_width, height

    def draw(self) -> None:
        image_width, image_height = self.natural[0] * self.scale, self.natural[1] * self.scale
        if self.beside is not None:
            x, y = 0.0, self.height - self.SPACE_ABOVE - image_height
            caption_x, caption_width = self.beside, self._caption_width(image_width, self.width)
            captions = self._caption_height(self.width)
            # At the picture's foot; under its top when the caption is the taller.
            caption_top = y + captions if captions <= image_height else self.height - self.SPACE_ABOVE
        else:
            x = (self.width - image_width) / 2
            y = self.height - self.SPACE_ABOVE - image_height
            caption_width = self._caption_width(image_width, self.width)
            caption_x = (self.width - caption_width) / 2
            caption_top = y - self.CAPTION_GAP
        figure = structure_of(self)
        # Asked for at its natural size: a shrunk figure reuses the same prepared picture.
        with marked(self.canv, figure):
            draw_prepared(self.canv, self.source.get(self.path, *self.natural), x, y, image_width, image_height)
        top = caption_top
        with marked(self.canv, self.caption_element or figure) if self.caption else nullcontext():
            for paragraph in self.caption:
                _, height = paragraph.wrap(caption_width, 10_000)
                top -= height
                paragraph.drawOn(self.canv, caption_x, top)

    @property
    def marks_itself(self) -> bool:
        """In a tagged PDF the picture is its ``Figure``'s content and the caption its ``Caption``'s:
        the frame does not wrap both in one."""
        return True


class Pictures:
    def __init__(self, styles: Styles, text: TextSetter, source: PictureSource) -> None:
        self.styles = styles
        self.text = text
        self.source = source

    def caption(self, picture: model.Picture, where: model.Where | None, note_prefix: str = "") -> list[Paragraph]:
        parts = []
        if picture.caption:
            parts.append(self.text.runs(picture.caption, f"{SANS}", where, note_prefix))
        if picture.credit:
            credit = self.text.plain(picture.credit, SANS, where)
            parts.append(f'<font size="7" color="{self.styles.palette.muted.hexval()}">{credit}</font>')
        return [Paragraph(" \u2002·\u2002 ".join(parts), self.styles.caption)] if parts else []

    def figure(self, figure: model.Figure, width: float, max_height: float = 95 * mm,
               note_prefix: str = "") -> list[Flowable]:
        """One picture: in the text column with its caption beside it in the margin column (or,
        on a grid without one, centred with its caption under it); more: rows across ``width``."""
        if len(figure.pictures) > 1:
            return self.grid(figure.pictures, width, figure.where, note_prefix=note_prefix)
        picture = figure.pictures[0]
        caption = self.caption(picture, figure.where, note_prefix)
        grid = self.styles.grid
        if grid.has_margin:
            made = FlexFigure(picture.path, grid.text_width, max_height, caption, self.source, figure.where,
                              beside=grid.text_width + grid.gutter)
        else:
            made = FlexFigure(picture.path, width * 0.8, max_height, caption, self.source, figure.where)
        made.alt_text = alternative_text(picture)
        return [made]

    def grid(self, pictures: tuple[model.Picture, ...], width: float, where: model.Where | None,
             max_height: float = 62 * mm, note_prefix: str = "") -> list[Flowable]:
        """Rows of pictures flush with both edges of ``width``, each with its caption under it.

        The pictures of a row share one height, the one at which their widths fill the row, so
        none is cropped; a row that would stand much taller than ``max_height`` (portraits side
        by side) keeps that height and stands flush left. Rows hold two pictures, the last three
        when the count is odd; a row whose captions would make it taller than half a page is set
        one picture a row.
        """
        planned: list[tuple[tuple[model.Picture, ...], list[float], float, list[list[Paragraph]]]] = []
        start = 0
        for count in _row_sizes(len(pictures)):
            row = pictures[start:start + count]
            start += count
            widths, height, captions = self._plan_row(row, width, max_height, where, note_prefix)
            if count > 1 and (height + _tallest(captions, widths) > MAX_ROW_SHARE * FRAME_HEIGHT
                              or min(widths) < MIN_ROW_PICTURE_WIDTH):
                # Long captions under narrow pictures, or a picture too narrow for a caption of
                # its own (a portrait among landscapes): one picture a row instead.
                planned += [(one,) + self._plan_row(one, width, max_height, where, note_prefix)
                            for one in ((picture,) for picture in row)]
            else:
                planned.append((row, widths, height, captions))
        rows: list[Flowable] = []
        for position, (row, widths, height, captions) in enumerate(planned):
            if len(row) == 1 and height + _tallest(captions, widths) > MAX_ROW_SHARE * FRAME_HEIGHT:
                # Alone and still tall with its caption: a figure, whose caption may go on under
                # it, split, when no page holds the two.
                rows += self.figure(model.Figure(row, where), width, max_height, note_prefix)
                continue
            cells, col_widths = [], []
            for index, (picture, picture_width, caption) in enumerate(zip(row, widths, captions)):
                cells.append([Photo(picture.path, picture_width, height, self.source, where)] + caption)
                col_widths.append(picture_width)
                if index < len(row) - 1:
                    cells.append("")
                    col_widths.append(GRID_GAP)
            last = position == len(planned) - 1
            # A row of pictures does not split inside: its pictures cannot, and ReportLab would set
            # a caption past the part it cut.
            table = Table([cells], colWidths=col_widths, hAlign="LEFT", spaceBefore=4 if position == 0 else 0,
                          spaceAfter=8 if last else GRID_GAP, splitInRow=0)
            table.too_tall = "a row of pictures with their captions is taller than a page: shorten the captions"
            table.alt_text = "; ".join(alternative_text(picture) for picture in row)
            table.setStyle(table_style([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]))
            rows.append(table)
        return rows

    def _plan_row(self, row: tuple[model.Picture, ...], width: float, max_height: float,
                  where: model.Where | None, note_prefix: str):
        """The widths and the height of a row's pictures, and their captions."""
        ratios = [w / h for w, h in (display_size(p.path) for p in row)]
        height = (width - GRID_GAP * (len(row) - 1)) / sum(ratios)
        if height > max_height * ROW_HEIGHT_LEEWAY:
            height = max_height
        return [ratio * height for ratio in ratios], height, [self.caption(p, where, note_prefix) for p in row]

    def byline(self, authors: tuple[model.Author, ...], width: float) -> Table:
        """The authors, one a row: the portrait in a 22 mm column, the name and role beside it. An
        author without a portrait has the name at the column's left edge, across the whole width
        (no empty portrait-wide gap)."""
        rows = []
        spans = []
        for row, author in enumerate(authors):
            texts = [Paragraph(self.text.plain(author.name, SANS), self.styles.byline_name)]
            if author.role:
                texts.append(Paragraph(self.text.plain(author.role, SANS), self.styles.byline_role))
            if author.photo:
                rows.append([Photo(author.photo, 18 * mm, 22 * mm, self.source), texts])
            else:
                rows.append([texts, ""])
                spans.append(("SPAN", (0, row), (1, row)))
        table = Table(rows, colWidths=[22 * mm, width - 22 * mm], hAlign="LEFT", spaceAfter=10)
        table.setStyle(table_style([
            *spans,
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, self.styles.palette.tint),
        ]))
        return table


def _tallest(captions: list[list[Paragraph]], widths: list[float]) -> float:
    return max((sum(p.wrap(w, 100_000)[1] + p.getSpaceBefore() for p in caption)
                for caption, w in zip(captions, widths)), default=0.0)


def _row_sizes(count: int) -> list[int]:
    """How many pictures each row of a grid holds: two, and three in the last when the count is odd."""
    if count <= 3:
        return [count]
    return [2] * ((count - 3) // 2) + [3] if count % 2 else [2] * (count // 2)


def alternative_text(picture: model.Picture) -> str:
    """What a screen reader says for a picture: its alt text, else its caption, else its credit."""
    text = picture.alt or model.plain_text(picture.caption).strip() or picture.credit
    return " ".join(text.split()) if text else f"Picture: {picture.path.stem.replace('-', ' ').replace('_', ' ')}"
