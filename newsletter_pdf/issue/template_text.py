"""Sample text of ``newsletter new`` left in an issue: a warning for each place, an error when strict.

An issue that goes out with "Write the foreword here" in it embarrasses its office; a draft
that still holds some must keep building, so that the officer can look at the pages. Hence a
warning by default, and ``--strict`` (which ``--profile archive`` implies, and which ``send``
applies through ``enforce_no_template_text``) for the builds that leave the office.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..scaffold import PLACEHOLDERS
from .errors import IssueError, Problem
from .load import Loc, Source, format_loc, load_source


def template_text_problems(source: Source) -> list[Problem]:
    """One problem for each placeholder of the template found in a text value, at its own line and column."""
    lines = source.path.read_text(encoding="utf-8").splitlines()
    found: list[Problem] = []
    for loc, text in _texts(source.data, ()):
        for placeholder in PLACEHOLDERS:
            start = text.find(placeholder)
            while start != -1:
                found.append(_at(source, lines, loc, text, start, placeholder))
                start = text.find(placeholder, start + len(placeholder))
    return sorted(found, key=lambda p: (p.line, p.column))


def _texts(value: Any, loc: Loc):
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, loc + (index,))


def _at(source: Source, lines: list[str], loc: Loc, text: str, start: int, placeholder: str) -> Problem:
    mark = source.mark(loc)
    line = mark.line + (text.count("\n", 0, start) if mark.block_scalar else 0)
    # The column as the file has it (after quotes, indentation): the placeholder's first words there.
    probe = placeholder.split("\n")[0][:20]
    column = lines[line - 1].find(probe) + 1 if 0 < line <= len(lines) and probe in lines[line - 1] else mark.column
    return Problem(source.display_name, line, column, format_loc(loc),
                   f"template text {placeholder!r} is still in; replace it with this issue's own text")


def enforce_no_template_text(problems: list[Problem], strict: bool) -> list[str]:
    """The warnings to print; with ``strict``, ``IssueError`` instead when there is template text."""
    if strict and problems:
        raise IssueError(problems)
    return [str(problem) for problem in problems]


def check_template_text(path: Path, strict: bool) -> list[str]:
    """For a command about to send or archive an issue: its template text as warnings, or with
    ``strict`` an ``IssueError`` (exit 2). ``path`` is an issue folder or its issue.yaml, already valid."""
    return enforce_no_template_text(template_text_problems(load_source(path)), strict)
