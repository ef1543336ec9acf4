"""Stage 2's product: what an issue *is*, independent of YAML and of ReportLab.

Inline text is a tuple of ``Run`` values (text with its emphasis, link or note
reference); blocks are the Markdown structures a body may hold. The layout stage
reads only these types.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union


@dataclass(frozen=True)
class Where:
    """Where a piece of content came from, for errors found after loading."""

    file: str
    line: int
    column: int
    loc: str


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    superscript: bool = False
    subscript: bool = False
    href: str | None = None
    note: int | None = None  # a footnote reference; ``text`` is its number
    line_break: bool = False  # a hard line break; ``text`` is empty


Inline = tuple[Run, ...]


def plain_text(runs: Inline) -> str:
    return "".join("\n" if r.line_break else r.text for r in runs)


@dataclass(frozen=True)
class Paragraph:
    runs: Inline
    where: Where


@dataclass(frozen=True)
class Heading:
    level: int  # 2 or 3: the section title is level 1
    runs: Inline
    where: Where


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple["Block", ...], ...]
    style: str = "1"  # "1", "a", "A", "i", "I" for ordered lists


@dataclass(frozen=True)
class Quote:
    blocks: tuple["Block", ...]


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    # Per column, as the delimiter row says (``:--``, ``:-:``, ``--:``); None where it says nothing.
    aligns: tuple[Literal["left", "center", "right"] | None, ...]
    where: Where


@dataclass(frozen=True)
class Picture:
    path: Path
    caption: Inline = ()
    credit: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class Figure:
    """One picture, or a grid when there are several."""

    pictures: tuple[Picture, ...]
    where: Where


@dataclass(frozen=True)
class Rule:
    pass


Block = Union[Paragraph, Heading, ListBlock, Quote, Table, Figure, Rule]


@dataclass(frozen=True)
class Note:
    number: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Signature:
    name: str
    closing: str | None = None
    native_name: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Author:
    name: str
    role: str | None = None
    photo: Path | None = None


@dataclass
class Section:
    title: str
    toc_title: str
    kind: Literal["article", "report", "message", "foreword"]
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = ()
    authors: tuple[Author, ...] = ()
    date: str | None = None
    place: str | None = None
    pictures: tuple[Picture, ...] = ()
    signature: Signature | None = None
    group: str | None = None  # the title of the group it belongs to
    key: str = ""  # a stable id for links and bookmarks
    where: Where | None = None  # the body
    title_where: Where | None = None


@dataclass
class Group:
    title: str
    sections: list[Section]
    where: Where | None = None  # its title


@dataclass
class Cover:
    picture: Picture | None
    highlights: tuple[str, ...]


@dataclass
class BackCover:
    organisation: str | None = None
    office: str | None = None
    address: str | None = None
    telephone: str | None = None
    email: str | None = None
    website: str | None = None
    staff: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class Issue:
    title: str
    number: int
    date: datetime.date
    publisher: str
    language: str
    theme: str
    folder: Path
    period: str | None = None
    cover: Cover | None = None
    foreword: Section | None = None
    entries: list[Section | Group] = field(default_factory=list)
    back_cover: BackCover | None = None
    # Where the texts the cover and the running heads print stand in the file, by their path:
    # "title", "publisher", "period", "cover.highlights[0]", ...
    positions: dict[str, Where] = field(default_factory=dict)

    @property
    def full_title(self) -> str:
        return f"{self.title} No.\u00a0{self.number}"

    def sections(self) -> list[Section]:
        """Every section in reading order, the foreword first."""
        out = [self.foreword] if self.foreword else []
        for entry in self.entries:
            out.extend(entry.sections if isinstance(entry, Group) else [entry])
        return out
