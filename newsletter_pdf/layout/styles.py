"""The theme: page geometry, colours and paragraph styles in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyphen
import yaml
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from ..issue.errors import IssueError, Problem
from .fonts import MONO, SANS, SERIF
from .logo import Logo, LogoError, load_logo

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_INNER = 24 * mm
MARGIN_OUTER = 24 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_INNER - MARGIN_OUTER
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

BODY_SIZE = 10
BODY_LEADING = 14.2

_COLOUR_KEYS = ("primary", "accent", "text", "muted", "tint")


@dataclass(frozen=True)
class Grid:
    """The columns of a body page, inside the frame.

    ``margin`` (the default): a text column of about 65 characters a line (10 pt serif, 113 mm)
    and, beside it, a margin column for captions. One column, because the newsletter is read
    on screen as much as on paper: a reader never scrolls back up a page to the next column,
    and the reading order is the order of the text. Headings, bylines, tables and photo grids
    span both columns; pictures are sized to the text column or to the whole frame.
    ``wide``: text across the whole frame (about 93 characters a line), as before.
    """

    name: str
    text_width: float
    gutter: float

    @property
    def margin_width(self) -> float:
        return FRAME_WIDTH - self.text_width - self.gutter

    @property
    def text_right_indent(self) -> float:
        """How far text stops short of the frame's right edge."""
        return FRAME_WIDTH - self.text_width

    @property
    def has_margin(self) -> bool:
        return self.margin_width > 0


GRIDS = {"margin": Grid("margin", 113 * mm, 5 * mm), "wide": Grid("wide", FRAME_WIDTH, 0)}
DEFAULT_GRID = "margin"


@dataclass(frozen=True)
class Palette:
    primary: Color
    accent: Color
    text: Color
    muted: Color
    tint: Color


@dataclass(frozen=True)
class Theme:
    palette: Palette
    grid: Grid
    page_starts: frozenset[str]  # the kinds of section that start a page of their own
    logo: Logo | None = None  # the publisher's, drawn in the cover's band and the back cover's


def _theme_problem(path: Path, text: str, key: str, what: str) -> IssueError:
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith(f"{key}:")), 1)
    return IssueError([Problem(str(path), line, 1, key, what)])


def load_theme(theme_dir: Path) -> Theme:
    """The theme's colours and page settings; raises ``IssueError`` at the line of a bad setting."""
    path = theme_dir / "theme.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    palette = Palette(**{key: HexColor(str(data[key])) for key in _COLOUR_KEYS})
    grid = str(data.get("grid", DEFAULT_GRID))
    if grid not in GRIDS:
        raise _theme_problem(path, text, "grid", f"no grid {grid!r}: write one of {', '.join(GRIDS)}")
    starts = data.get("page_starts", ["article"])
    kinds = ("article", "report", "message", "group")
    if not isinstance(starts, list) or any(kind not in kinds for kind in starts):
        raise _theme_problem(path, text, "page_starts",
                             f"write a list of the kinds of section that start a new page, of {', '.join(kinds)} "
                             f"(group: a group's banner)")
    logo = None
    if data.get("logo") is not None:
        file = theme_dir / str(data["logo"])
        if theme_dir.resolve() not in file.resolve().parents:
            raise _theme_problem(path, text, "logo", "the logo is a file inside the theme's folder: name it "
                                                     "without a folder, as in 'logo: logo.svg'")
        try:
            logo = load_logo(file)
        except LogoError as error:
            raise _theme_problem(path, text, "logo", str(error)) from None
    return Theme(palette, GRIDS[grid], frozenset(starts), logo)


def load_palette(theme_dir: Path) -> Palette:
    return load_theme(theme_dir).palette


def hyphenation_language(language: str) -> str | None:
    """The pyphen dictionary for a BCP 47 tag ("en" -> "en_GB"? pyphen picks its closest)."""
    tag = language.replace("-", "_")
    if tag.lower() == "en":
        tag = "en_GB"  # the newsletter is written in British English
    return pyphen.language_fallback(tag)


class Hyphenator:
    """Hyphenation points for ReportLab (``hyphenationLang`` may be a callable: word -> (head, tail) pairs).

    pyphen's dictionary, but as a typesetter would: at least two letters before the
    break and three after it, and never in a word of capitals (a name or an acronym:
    KURAMOTO, UNESCO) or in a word with digits.
    """

    def __init__(self, dictionary: str) -> None:
        self.dictionary = dictionary
        self._pyphen = pyphen.Pyphen(lang=dictionary, left=2, right=3)

    def __call__(self, word: str):
        if len(word) < 6 or word.isupper() or any(c.isdigit() for c in word):
            return ()
        return self._pyphen.iterate(word)

    def __deepcopy__(self, memo) -> "Hyphenator":  # ReportLab deep-copies styles when it splits
        return self

    def __bool__(self) -> bool:
        return True


class Styles:
    """Paragraph styles for one issue (its palette and language)."""

    def __init__(self, palette: Palette, language: str, grid: Grid = GRIDS[DEFAULT_GRID]) -> None:
        self.palette = palette
        self.grid = grid
        dictionary = hyphenation_language(language)
        self.hyphenation = Hyphenator(dictionary) if dictionary else ""

    def _style(self, name: str, parent: ParagraphStyle | None = None, **kw) -> ParagraphStyle:
        if parent is not None:
            return ParagraphStyle(name, parent=parent, **kw)
        base = dict(fontName=SERIF, fontSize=BODY_SIZE, leading=BODY_LEADING, textColor=self.palette.text,
                    allowWidows=0, allowOrphans=0)
        base.update(kw)
        return ParagraphStyle(name, **base)

    @cached_property
    def body(self) -> ParagraphStyle:
        return self._style("body", alignment=TA_JUSTIFY, spaceAfter=5.5, hyphenationLang=self.hyphenation,
                           embeddedHyphenation=1, uriWasteReduce=0.3, rightIndent=self.grid.text_right_indent)

    @cached_property
    def body_left(self) -> ParagraphStyle:
        return self._style("body-left", parent=self.body, alignment=TA_LEFT, spaceAfter=0)

    @cached_property
    def list_item(self) -> ParagraphStyle:
        return self._style("list-item", parent=self.body, spaceAfter=2.5)

    @cached_property
    def quote(self) -> ParagraphStyle:
        return self._style("quote", parent=self.body, fontName=SERIF, textColor=self.palette.muted)

    @cached_property
    def code(self) -> ParagraphStyle:
        return self._style("code", fontName=MONO, fontSize=8.5, leading=11, alignment=TA_LEFT,
                           rightIndent=self.grid.text_right_indent)

    @cached_property
    def h2(self) -> ParagraphStyle:
        return self._style("h2", fontName=f"{SANS}-bold", fontSize=13, leading=16.5, textColor=self.palette.primary,
                           spaceBefore=11, spaceAfter=5, alignment=TA_LEFT,
                           rightIndent=self.grid.text_right_indent)

    @cached_property
    def h3(self) -> ParagraphStyle:
        return self._style("h3", fontName=f"{SANS}-bold", fontSize=11, leading=14, textColor=self.palette.text,
                           spaceBefore=8, spaceAfter=3.5, alignment=TA_LEFT,
                           rightIndent=self.grid.text_right_indent)

    @cached_property
    def kind_label(self) -> ParagraphStyle:
        return self._style("kind", fontName=f"{SANS}-bold", fontSize=8.5, leading=11, textColor=self.palette.accent,
                           spaceAfter=3)

    @cached_property
    def title(self) -> ParagraphStyle:
        return self._style("title", fontName=f"{SANS}-bold", fontSize=22, leading=26.5, textColor=self.palette.primary,
                           spaceAfter=8, alignment=TA_LEFT)

    @cached_property
    def report_title(self) -> ParagraphStyle:
        return self._style("report-title", parent=self.title, fontSize=15.5, leading=19, spaceAfter=3)

    @cached_property
    def dateline(self) -> ParagraphStyle:
        return self._style("dateline", fontName=f"{SANS}-italic", fontSize=9.5, leading=13, textColor=self.palette.muted,
                           spaceAfter=8)

    @cached_property
    def byline_name(self) -> ParagraphStyle:
        return self._style("byline-name", fontName=f"{SANS}-bold", fontSize=10, leading=13, textColor=self.palette.text)

    @cached_property
    def byline_role(self) -> ParagraphStyle:
        return self._style("byline-role", fontName=SANS, fontSize=9, leading=12, textColor=self.palette.muted)

    @cached_property
    def caption(self) -> ParagraphStyle:
        return self._style("caption", fontName=f"{SANS}-italic", fontSize=8.5, leading=11, textColor=self.palette.muted,
                           alignment=TA_LEFT, spaceBefore=3)

    @cached_property
    def credit(self) -> ParagraphStyle:
        return self._style("credit", fontName=SANS, fontSize=7, leading=9, textColor=self.palette.muted, alignment=TA_RIGHT)

    # Tables: 9 pt on an 11 pt leading; with the cell padding of ``story.TABLE_PADDING`` a
    # row of one line is 12.8 pt, about 1.4 times the type size.
    @cached_property
    def table_head(self) -> ParagraphStyle:
        return self._style("table-head", fontName=f"{SANS}-bold", fontSize=9, leading=11, textColor=white)

    @cached_property
    def table_cell(self) -> ParagraphStyle:
        return self._style("table-cell", fontName=SANS, fontSize=9, leading=11)

    def table_aligned(self, style: ParagraphStyle, alignment: str) -> ParagraphStyle:
        """``table_head`` or ``table_cell`` set "left", "center" or "right" (a paragraph fills its
        cell, so a cell's text is aligned by its paragraph style, not by the table's ALIGN)."""
        if alignment == "left":
            return style
        key = (style.name, alignment)
        cache = self.__dict__.setdefault("_table_aligned", {})
        if key not in cache:
            cache[key] = self._style(f"{style.name}-{alignment}", parent=style,
                                     alignment={"center": TA_CENTER, "right": TA_RIGHT}[alignment])
        return cache[key]

    @cached_property
    def note(self) -> ParagraphStyle:
        return self._style("note", fontSize=8, leading=10.5, alignment=TA_LEFT, spaceAfter=2.5,
                           leftIndent=12, firstLineIndent=-12, rightIndent=self.grid.text_right_indent)

    @cached_property
    def notes_heading(self) -> ParagraphStyle:
        return self._style("notes-heading", fontName=f"{SANS}-bold", fontSize=8.5, leading=11,
                           textColor=self.palette.muted, spaceBefore=8, spaceAfter=3)

    @cached_property
    def signature(self) -> ParagraphStyle:
        return self._style("signature", alignment=TA_LEFT, spaceAfter=0, rightIndent=self.grid.text_right_indent)

    @cached_property
    def signature_native(self) -> ParagraphStyle:
        return self._style("signature-native", fontSize=15, leading=21, alignment=TA_LEFT)

    @cached_property
    def group_banner(self) -> ParagraphStyle:
        return self._style("group-banner", fontName=f"{SANS}-bold", fontSize=11, leading=14, textColor=white)

    @cached_property
    def toc_title(self) -> ParagraphStyle:
        return self._style("toc-title", parent=self.title, spaceAfter=14)

    @cached_property
    def toc_levels(self) -> list[ParagraphStyle]:
        top = self._style("toc-0", fontName=f"{SANS}-bold", fontSize=10.5, leading=14, leftIndent=0,
                          firstLineIndent=0, spaceBefore=7, rightIndent=28, textColor=self.palette.text)
        sub = self._style("toc-1", fontName=SERIF, fontSize=9.5, leading=12.8, leftIndent=14, firstLineIndent=0,
                          spaceBefore=3.5, rightIndent=28)
        return [top, sub]

    @cached_property
    def centered_small(self) -> ParagraphStyle:
        return self._style("centered-small", fontName=SANS, fontSize=8.5, leading=11, alignment=TA_CENTER,
                           textColor=self.palette.muted)


def table_style(commands: list[tuple]) -> TableStyle:
    """A TableStyle whose cells default to the text face: ReportLab's default is an unembedded Helvetica."""
    return TableStyle([("FONT", (0, 0), (-1, -1), SERIF, BODY_SIZE)] + list(commands))
