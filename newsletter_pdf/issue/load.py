"""Read an issue file: YAML with a line/column mark for every key and value.

The file is composed into YAML nodes (which keeps positions) and converted to
plain Python data by hand, so that every value can be traced back to its line.
Limits keep a hostile or mistaken file from eating the machine: a size cap before
anything is read, and a cap on nodes after alias expansion (a "billion laughs"
file composes quickly but would expand to billions of values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import IssueError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
# LibYAML's parser, when PyYAML was built with it (its wheels are): the same nodes and marks, ten times faster.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 200_000
SCHEMA_VERSIONS = (1,)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based
    block_scalar: bool = False  # literal "|" or folded ">": the mark is the first content line


@dataclass
class Source:
    """The raw data of an issue file and where each part of it stands in the file."""

    path: Path
    data: dict[str, Any]
    marks: dict[Loc, Mark] = field(default_factory=dict)  # value positions
    key_marks: dict[Loc, Mark] = field(default_factory=dict)  # positions of mapping keys

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def display_name(self) -> str:
        return display_path(self.path)

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """The closest known position for ``loc``, walking up to its parents."""
        loc = tuple(loc)
        while True:
            if key and loc in self.key_marks:
                return self.key_marks[loc]
            if loc in self.marks:
                return self.marks[loc]
            if not loc:
                return Mark(1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, what: str, *, key: bool = False, line_offset: int = 0) -> Problem:
        """A problem at ``loc``; ``line_offset`` counts lines into a multi-line text value."""
        mark = self.mark(loc, key=key)
        return Problem(self.display_name, mark.line + line_offset, mark.column, format_loc(loc), what)


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def resolve_issue_file(path: Path) -> Path:
    """``issues/079`` and ``issues/079/issue.yaml`` name the same build."""
    return path / "issue.yaml" if path.is_dir() else path


def load_source(path: Path) -> Source:
    path = resolve_issue_file(path)
    name = display_path(path)
    if not path.is_file():
        raise IssueError([Problem(name, 1, 1, "", "no such issue file")])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IssueError([Problem(name, 1, 1, "", f"file is {size:,} bytes; an issue file may be at most {MAX_FILE_BYTES:,}")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IssueError([Problem(name, line, 1, "", "file is not valid UTF-8 text")]) from None
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = f"{exc.problem or 'invalid YAML'}" + (f" ({exc.context})" if exc.context else "")
        raise IssueError([Problem(name, line, column, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise IssueError([Problem(name, 1, 1, "", f"YAML error: {exc}")]) from None
    if root is None:
        raise IssueError([Problem(name, 1, 1, "", "file is empty")])
    converter = _Converter(name, text.splitlines())
    data = converter.convert(root, ())
    source = Source(path, data, converter.marks, converter.key_marks)
    if converter.problems:
        raise IssueError(converter.problems)
    if not isinstance(data, dict):
        raise IssueError([source.problem((), "the issue file must be a mapping of keys such as title, number, sections")])
    _check_schema_version(source)
    return source


def _check_schema_version(source: Source) -> None:
    readable = ", ".join(str(v) for v in SCHEMA_VERSIONS)
    if "schema" not in source.data:
        raise IssueError([source.problem((), f"missing key 'schema'; this release reads schema version {readable} (add 'schema: 1' as the first line)")])
    version = source.data["schema"]
    if version not in SCHEMA_VERSIONS or isinstance(version, bool):
        raise IssueError([source.problem(("schema",), f"unknown schema version {version!r}; this release reads schema version {readable}")])


class _Converter:
    def __init__(self, name: str, lines: list[str]) -> None:
        self.name = name
        self.lines = lines
        self.nodes = 0
        self.marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")  # only used to resolve scalar types

    def _mark(self, node: yaml.Node) -> Mark:
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # Point at the first line of the text itself, so Markdown problems can count from it.
            for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
                content = self.lines[number]
                if content.strip():
                    return Mark(number + 1, len(content) - len(content.lstrip(" ")) + 1, True)
        return Mark(node.start_mark.line + 1, node.start_mark.column + 1)

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            mark = self._mark(node)
            raise IssueError([Problem(self.name, mark.line, mark.column, format_loc(loc),
                                      f"more than {MAX_NODES:,} values (are aliases expanding without bound?)")])
        self.marks[loc] = self._mark(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    mark = self._mark(key_node)
                    self.problems.append(Problem(self.name, mark.line, mark.column, format_loc(loc), "YAML merge keys ('<<') are not supported"))
                    continue
                key = self.constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    mark = self._mark(key_node)
                    self.problems.append(Problem(self.name, mark.line, mark.column, format_loc(loc), "keys must be plain words"))
                    continue
                key = str(key)
                child = loc + (key,)
                if key in result:
                    mark = self._mark(key_node)
                    self.problems.append(Problem(self.name, mark.line, mark.column, format_loc(child), f"key '{key}' appears twice"))
                    continue
                self.key_marks[child] = self._mark(key_node)
                result[key] = self.convert(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, loc + (i,)) for i, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node)
        except yaml.YAMLError as exc:
            mark = self._mark(node)
            self.problems.append(Problem(self.name, mark.line, mark.column, format_loc(loc), f"bad value: {exc}"))
            return None
