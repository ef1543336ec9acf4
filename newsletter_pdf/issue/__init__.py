"""Stage 1: read and validate an issue file."""

from pathlib import Path

from .errors import IssueError, Problem
from .load import Source, load_source, resolve_issue_file
from .schema import IssueFile, json_schema
from .validate import validate

__all__ = ["IssueError", "IssueFile", "Problem", "Source", "json_schema", "load_issue", "resolve_issue_file"]


def load_issue(path: Path, assets_dir: Path, decode_pictures: bool = True) -> tuple[IssueFile, Source]:
    """The validated issue and its source, or ``IssueError`` listing every problem found."""
    source = load_source(path)
    return validate(source, assets_dir, decode_pictures), source
