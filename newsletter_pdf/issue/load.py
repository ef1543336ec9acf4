"""Read an issue file: YAML with a line/column mark for every key and value.

The file is composed into YAML nodes (which keeps positions) and converted to
plain Python data by hand, so that every value can be traced back to its line.
Limits keep a hostile or mistaken file from eating the machine: a size cap before
anything is read; then, from the parser's events and before anything is composed, a
cap on nesting depth (LibYAML's composer recurses, and crashes the process on a file
nested 100,000 deep) and caps on what aliases expand to, counted without expanding
them: values (a "billion laughs" file composes quickly but would expand to billions of
values) and characters of text (aliases that repeat one article 300 times).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..invocation import display_path, self_command
from .errors import IssueError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
# LibYAML's parser, when PyYAML was built with it (its wheels are): the same nodes and marks, ten times faster.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 200_000
# No. 79 holds 69,000 characters of text, the bench's ten-times issue 650,000 (a 360-page
# build of 11 s). Aliases may not make an issue longer than the longest file allowed.
MAX_TEXT_CHARS = 2_000_000
# A real issue nests 8 deep (sections > group > sections > section > images > picture > file).
MAX_DEPTH = 24
MAX_DIGITS = 18  # integers longer than this are kept as text (Python refuses 4,300 digits)
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


def shorten(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: ``repr``, cut short when long (a 5,000-digit number)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    digits = str(value).strip()
    if digits.lstrip("+-").isdigit():
        return f"{digits[:12]}... (a number of {len(digits.lstrip('+-')):,} digits)"
    return f"{text[:limit - 5]}...' ({len(str(value)):,} characters)"


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
        raise IssueError([Problem(name, 1, 1, "", "no such issue file" + _nearest_issue_hint(path))])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IssueError([Problem(name, 1, 1, "", f"file is {size:,} bytes; an issue file may be at most {MAX_FILE_BYTES:,}")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise IssueError([Problem(name, line, column, "", f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; "
                                                          "save the file as UTF-8 (in the editor's Save As, "
                                                          "choose the encoding UTF-8)")]) from None
    try:
        _check_expansion(name, text)
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        raise IssueError([_syntax_problem(name, text, exc)]) from None
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


@dataclass
class _Open:
    """A collection being read in ``_check_expansion``: what it holds once its aliases are expanded."""

    anchor: str | None
    nodes: int = 1
    chars: int = 0
    depth: int = 0  # levels below it


def _check_expansion(name: str, text: str) -> None:
    """Refuse nesting and alias expansion beyond ``MAX_DEPTH``, ``MAX_NODES``, ``MAX_TEXT_CHARS``.

    Reads the parser's flat event stream, so nothing recurses; the size of every anchored
    value is recorded once and added at each alias, so nothing is expanded either.
    """
    anchors: dict[str, _Open] = {}
    stack: list[_Open] = [_Open(None, nodes=0)]

    def fail(event: yaml.Event, what: str) -> None:
        mark = event.start_mark
        raise IssueError([Problem(name, mark.line + 1, mark.column + 1, "", what)])

    def add(event: yaml.Event, nodes: int, chars: int, depth: int) -> None:
        for level, holder in enumerate(reversed(stack)):
            holder.nodes += nodes
            holder.chars += chars
            holder.depth = max(holder.depth, depth + level)
        total = stack[0]
        if total.nodes > MAX_NODES:
            fail(event, f"more than {MAX_NODES:,} values (are aliases expanding without bound?); "
                        "an issue needs far fewer: write each value once")
        if total.chars > MAX_TEXT_CHARS:
            fail(event, f"the issue expands to more than {MAX_TEXT_CHARS:,} characters of text"
                        + (" through its aliases ('*'): repeat less, or split the issue"
                           if isinstance(event, yaml.AliasEvent) else "; split the issue"))
        if total.depth > MAX_DEPTH:
            fail(event, f"values nested more than {MAX_DEPTH} levels deep; an issue needs about 8 "
                        "(look for an unclosed '[' or '{', or a loop of aliases)")

    for event in yaml.parse(text, Loader=_COMPOSER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) > MAX_DEPTH:
                fail(event, f"values nested more than {MAX_DEPTH} levels deep; an issue needs about 8 "
                            "(look for an unclosed '[' or '{')")
            stack.append(_Open(event.anchor, nodes=0))
            add(event, 1, 0, 0)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done = stack.pop()
            if done.anchor is not None:
                anchors[done.anchor] = done
        elif isinstance(event, yaml.ScalarEvent):
            add(event, 1, len(event.value), 0)
            if event.anchor is not None:
                anchors[event.anchor] = _Open(event.anchor, 1, len(event.value), 0)
        elif isinstance(event, yaml.AliasEvent):
            if any(holder.anchor == event.anchor for holder in stack):
                fail(event, f"the alias *{event.anchor} is inside the value it names (a loop); "
                            "refer to a value defined before it")
            anchored = anchors.get(event.anchor)
            if anchored is not None:  # an unknown alias: the composer reports it with its position
                add(event, anchored.nodes, anchored.chars, anchored.depth + 1)


def _check_schema_version(source: Source) -> None:
    readable = ", ".join(str(v) for v in SCHEMA_VERSIONS)
    if "schema" not in source.data:
        raise IssueError([source.problem((), f"missing key 'schema'; this release reads schema version {readable} (add 'schema: 1' as the first line)")])
    version = source.data["schema"]
    if version not in SCHEMA_VERSIONS or isinstance(version, bool):
        raise IssueError([source.problem(("schema",), f"unknown schema version {shorten(version)}; "
                                                      f"this release reads schema version {readable} (write 'schema: 1')")])


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
        if node.tag == "tag:yaml.org,2002:int" and sum(c.isdigit() for c in str(node.value)) > MAX_DIGITS:
            return node.value  # as written: the schema says what a number there may be
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError):
            # "2023-02-30" looks like a date but is none: kept as written, so that free text
            # (a report's date) shows it and the issue's date is refused by the schema at its line.
            return node.value
        except yaml.YAMLError as exc:
            mark = self._mark(node)
            self.problems.append(Problem(self.name, mark.line, mark.column, format_loc(loc), f"bad value: {exc}"))
            return None


def _nearest_issue_hint(path: Path) -> str:
    """"; did you mean issues/081?" for ``issues/81``: the existing issue folder closest to the name."""
    wanted = path.parent.name if path.name == "issue.yaml" else path.name
    parent = path.parent.parent if path.name == "issue.yaml" else path.parent
    try:
        folders = sorted(p.name for p in parent.iterdir() if (p / "issue.yaml").is_file())
    except OSError:
        return ""
    same_number = [f for f in folders if f.isdigit() and wanted.isdigit() and int(f) == int(wanted)]
    close = same_number or difflib.get_close_matches(wanted, folders, n=1, cutoff=0.6)
    if not close:
        return ""
    nearest = display_path(parent / close[0])

    return f"; did you mean {nearest}? ({self_command()} build {nearest})"


_KEY_WORD = re.compile(r"^[a-z_]+ \S")
_KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([^\s:#][^:#]*?):(\s|$)")


def _syntax_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error, at the line where the slip is and with what to do, where it is a common one."""
    lines = text.splitlines()
    if exc.problem == "could not find expected ':'" and exc.context_mark is not None:
        # A key without its colon: the parser notices only on the next line; the slip is where the key began.
        mark = exc.context_mark
        word = lines[mark.line].strip().split(" ")[0] if mark.line < len(lines) else ""
        return Problem(name, mark.line + 1, mark.column + 1, "",
                       f"this line has no ':' after its key; write it as 'key: value', e.g. '{word}: ...'")
    if exc.problem and exc.problem.startswith("mapping values are not allowed") and exc.problem_mark is not None:
        found = _misplaced_colon(name, lines, exc.problem_mark.line, exc.problem_mark.column)
        if found:
            return found
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = f"{exc.problem or 'invalid YAML'}" + (f" ({exc.context})" if exc.context else "")
    return Problem(name, line, column, "", f"YAML syntax error: {what}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _misplaced_colon(name: str, lines: list[str], index: int, column: int) -> Problem | None:
    """A ': ' that YAML cannot place: inside a plain value, after a missing '|', or after a missing colon."""
    if index >= len(lines):
        return None
    line = lines[index]
    key = _KEY_LINE.match(line)
    if key and key.end(2) < column:
        # "title: Customs: the E-Commerce Challenge": the value holds a colon and a space.
        value = line[key.end():].strip()
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        word = key.group(2).strip()
        return Problem(name, index + 1, key.end() + 1 + _indent(line[key.end():]), "",
                       f"the {word} holds ': ', which YAML reads as a new key; "
                       f"put the {word} in quotes: {word}: {quoted}")
    own = _indent(line)
    text_lines: list[int] = []  # lines at this indent that are not keys: a plain value running on
    for above in range(index - 1, -1, -1):
        candidate = lines[above]
        if not candidate.strip():
            text_lines.append(-1)
            continue
        if candidate.lstrip().startswith("#") or _indent(candidate) > own:
            continue
        opener = _KEY_LINE.match(candidate)
        if _indent(candidate) == own and not opener:
            text_lines.append(above)
            continue
        if _indent(candidate) == own or not text_lines:
            return None
        # One line of one lower-case word and a value ("title Foo") is a key that lost its colon;
        # anything longer is text that lost its '|'.
        if len(text_lines) == 1 and _KEY_WORD.match(lines[text_lines[0]].strip()):
            word = lines[text_lines[0]].strip().split(" ")[0]
            return Problem(name, text_lines[0] + 1, own + 1, "",
                           f"this line has no ':' after its key; write it as 'key: value', e.g. '{word}: ...'")
        if opener and not candidate[opener.end():].split("#")[0].strip():
            word = opener.group(2).strip()
            return Problem(name, above + 1, opener.end(2) + 2, "",
                           f"the text under '{word}:' runs over several lines but has no '|'; "
                           f"write '{word}: |' and indent the text below it")
        return None
    return None
