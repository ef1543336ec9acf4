"""Stage 3: lay the document model out on pages with ReportLab's platypus."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.platypus import Flowable

from .. import model
from .doctemplate import NewsletterDoc
from .footnotes import NoteStore
from .story import StoryBuilder
from .styles import Palette, Styles, load_palette

# ASCII85 makes every stream a quarter larger and costs time in pure Python.
rl_config.useA85 = 0


def build_story(issue: model.Issue, assets_dir: Path) -> tuple[list[Flowable], Palette, NoteStore]:
    """The flowables of the issue and its notes, before layout; raises ``IssueError`` for text no font can set."""
    palette = load_palette(assets_dir / "themes" / issue.theme)
    builder = StoryBuilder(issue, Styles(palette, issue.language))
    return builder.build(), palette, builder.notes


def typeset(issue: model.Issue, assets_dir: Path, target: str | BinaryIO) -> int:
    """Lay out ``issue`` and write the PDF to ``target``; return the page count."""
    story, palette, notes = build_story(issue, assets_dir)
    doc = NewsletterDoc(target, issue, palette, notes)
    doc.multiBuild(story, maxPasses=6)
    return doc.page
