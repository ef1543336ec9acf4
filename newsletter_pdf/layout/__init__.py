"""Stage 3: lay the document model out on pages with ReportLab's platypus."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable

from .. import model
from ..setup import configure
from .canvas import ProjectCanvas
from ..issue.errors import IssueError, Problem
from . import compat
from .doctemplate import NewsletterDoc
from .failure import LayoutFailure
from .footnotes import NoteStore, TooTall
from .logo import Logo
from .pages import PageSetup
from .pictures import OriginalPictures, PictureSource
from .story import StoryBuilder, problem_at
from .styles import Palette, Styles, load_theme
from .tagging import Element
from .text import TextSetter

__all__ = ["PageSetup", "PictureSource", "Story", "build_story", "render"]


@dataclass
class Story:
    issue: model.Issue
    flowables: list[Flowable]
    palette: Palette
    notes: NoteStore
    setup: PageSetup
    text: TextSetter
    logo: Logo | None = None
    warnings: list[str] = field(default_factory=list)  # for the officer: a one-page piece overset
    structure: Element | None = None  # the structure tree, in reading order (tagging.py)


def build_story(issue: model.Issue, assets_dir: Path, pictures: PictureSource | None = None,
                setup: PageSetup | None = None, blank_pages: int = 0) -> Story:
    """The flowables of the issue and its notes, before layout; raises ``IssueError`` for text no font can set.

    The flowables announce their pictures to ``pictures`` (see ``PictureSource``); ``blank_pages``
    are added before the back cover (a saddle-stitched issue needs a multiple of four pages).
    """
    setup = setup or PageSetup()
    theme = load_theme(assets_dir / "themes" / issue.theme)
    builder = StoryBuilder(issue, Styles(theme.palette, issue.language, theme.grid), pictures or OriginalPictures(),
                           setup, theme.page_starts, theme.logo)
    flowables = builder.build(blank_pages)
    return Story(issue, flowables, theme.palette, builder.notes, setup, builder.text, theme.logo, builder.warnings,
                 builder.structure)


def render(story: Story, target: str | BinaryIO) -> int:
    """Lay out ``story`` and write the PDF to ``target``; return the page count."""
    configure()  # ReportLab's stream encoding (see setup.py)
    doc = NewsletterDoc(target, story.issue, story.palette, story.notes, story.setup, story.text, story.logo,
                        story.structure)
    # One pass: the contents know their length before layout. The canvas adds /ActualText to
    # shaped runs and an EOL before each endstream (canvas.py).
    try:
        with compat.edits_undone(doc):  # the story stays as it was, to be laid out again
            doc.build(list(story.flowables), canvasmaker=ProjectCanvas)  # build consumes its list
    except IssueError:
        raise
    except TooTall as error:
        raise IssueError([_too_tall(error, story.issue)]) from None
    except Exception as error:
        raise LayoutFailure(doc.state.section, error) from error
    return doc.page


def _too_tall(error: TooTall, issue: model.Issue) -> Problem:
    where = getattr(error.flowable, "issue_where", None)
    what = getattr(error.flowable, "too_tall", None) or (
        "this block is taller than a page and cannot be split: shorten it, or break it into "
        "several paragraphs, rows or pictures")
    return problem_at(issue, where, what)
