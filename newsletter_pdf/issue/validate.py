"""Check raw issue data against the schema and the files it names.

Pydantic's errors carry a location such as ``('sections', 3, 'section', 'images', 0, 'file')``;
here they are turned into ``FILE:LINE:COLUMN: sections[3].images[0].file: what``.
"""

from __future__ import annotations

import calendar
import datetime
import difflib
import functools
import re
import warnings
import typing
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ValidationError

from ..setup import configure
from .errors import IssueError, Problem, ProblemList
from .load import Loc, Source, shorten
from .schema import UNION_TAGS, IssueFile



def validate(source: Source, assets_dir: Path, decode_pictures: bool = True) -> IssueFile:
    configure()  # Pillow's decompression-bomb limit, among others (setup.py)
    try:
        issue = IssueFile.model_validate(source.data)
    except ValidationError as exc:
        errors = exc.errors()
        suggested = {(_data_loc(e["loc"][:-1]), _suggestion(e["loc"])) for e in errors if e["type"] == "extra_forbidden"}
        # "unknown key 'publsher'; did you mean 'publisher'?" already says that 'publisher' is missing.
        other_kind = {_data_loc(e["loc"][:-1]) for e in errors if e["type"] == "extra_forbidden"
                      and _suggestion(e["loc"]) not in _field_names(_model_at(e["loc"][:-1]))
                      and _suggestion(e["loc"]) is not None}
        # With 'grup' for 'group', the entry's 'sections' is no unknown key either: it belongs to the group.
        errors = [e for e in errors if not (e["type"] == "extra_forbidden" and _data_loc(e["loc"][:-1]) in other_kind
                                            and _suggestion(e["loc"]) == e["loc"][-1])]
        errors = [e for e in errors if not (e["type"] == "missing" and
                                            ((_data_loc(e["loc"][:-1]), e["loc"][-1]) in suggested
                                             or _data_loc(e["loc"][:-1]) in other_kind))]
        raise IssueError([_problem_from(source, error) for error in errors]) from None
    problems = ProblemList()
    _check_pictures(source, issue, assets_dir, problems, decode_pictures)
    theme = theme_problem(issue.theme, assets_dir)
    if theme:
        problems.add(source.problem(("theme",), theme))
    problems.raise_if_any()
    return issue


def known_themes(assets_dir: Path) -> list[str]:
    themes = assets_dir / "themes"
    return sorted(p.name for p in themes.glob("*") if (p / "theme.yaml").is_file()) if themes.is_dir() else []


def theme_problem(name: str, assets_dir: Path) -> str | None:
    """Why ``name`` is not a theme: a theme is a folder of ``assets/themes`` holding a theme.yaml."""
    themes = assets_dir / "themes"
    candidate = themes / name
    try:
        inside = "/" not in name and "\\" not in name and candidate.resolve().parent == themes.resolve()
        found = inside and (candidate / "theme.yaml").is_file()
    except (OSError, RuntimeError, ValueError):
        found = False
    if found:
        return None
    known = known_themes(assets_dir)
    return (f"no theme {shorten(name)} under assets/themes/; the themes there are: {', '.join(known) or '(none)'} "
            "(write one of them, or leave 'theme' out for the default)")


_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _date_message(value: Any) -> str:
    """What is wrong with a publication date that is not one."""
    hint = "write dates as YYYY-MM-DD, e.g. 2023-03-31"
    match = _DATE.match(str(value).strip()) if isinstance(value, str) else None
    if match:
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            return f"{value} is not a date: there is no month {month}; {hint}"
        if not 1 <= year:
            return f"{value} is not a date: there is no year {year}; {hint}"
        days = calendar.monthrange(year, month)[1]
        return f"{value} is not a date: {calendar.month_name[month]} {year} has {days} days; {hint}"
    return f"{shorten(value)} is not a date; {hint}"


def _number_message(value: Any) -> str:
    hint = "write the issue number as a whole number from 1 to 99999, for example 79"
    if isinstance(value, bool):
        return f"{str(value).lower()} is a yes/no value, not an issue number; {hint}"
    return f"{shorten(value)} is not an issue number; {hint}"


def _problem_from(source: Source, error: dict[str, Any]) -> Problem:
    loc = _data_loc(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        close = _suggestion(error["loc"])
        hint = f"; did you mean '{close}'?" if close else f"; valid keys: {', '.join(_keys_valid_at(error['loc'][:-1]))}"
        return source.problem(loc, f"unknown key '{loc[-1]}'{hint}", key=True)
    if kind == "missing":
        return source.problem(loc[:-1], f"missing required key '{loc[-1]}'")
    message = error["msg"]
    if kind == "literal_error" and loc and loc[-1] == "kind":
        message = "kind must be one of: article, report, message"
    elif loc == ("date",):
        message = _date_message(error.get("input"))
    elif loc == ("number",):
        message = _number_message(error.get("input"))
    elif kind == "string_type" and isinstance(error.get("input"), (bool, int, float, datetime.date)):
        value = error["input"]
        kind_of = "a yes/no value" if isinstance(value, bool) else "a date" if isinstance(value, datetime.date) \
            else "a number"
        message = f"YAML reads this as {kind_of}, not text; put it in quotes to keep it as written, e.g. \"{value}\""
    return source.problem(loc, message)


def _suggestion(loc: tuple[Any, ...]) -> str | None:
    """The valid key closest to the unknown key at the end of ``loc``, if one is close."""
    close = difflib.get_close_matches(str(loc[-1]), _keys_valid_at(loc[:-1]), n=1, cutoff=0.6)
    return close[0] if close else None


def _keys_valid_at(loc: tuple[Any, ...]) -> list[str]:
    """Every key that may stand at ``loc``: an entry of ``sections`` may be a section or a group,
    so a misspelt ``grup`` is measured against the group's keys too, not only the section's that
    pydantic tried."""
    if loc and isinstance(loc[-1], str) and loc[-1] in UNION_TAGS:
        names: list[str] = []
        for tag in UNION_TAGS:
            names += [n for n in _field_names(_model_at(loc[:-1] + (tag,))) if n not in names]
        return names
    return _field_names(_model_at(loc))


def _data_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's union tags so the location walks the data as written."""
    return tuple(part for part in loc if part not in UNION_TAGS)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: Any = IssueFile
    for part in loc:
        if isinstance(part, str) and part in UNION_TAGS:
            current = UNION_TAGS[part]
            continue
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[X] -> X, X | None -> X; unions of models are left for the tags to resolve."""
    while True:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Annotated) or (args and len(args) == 1):
            annotation = args[0]
            continue
        return annotation


def _field_names(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def picture_problem(path_text: str, issue_dir: Path, assets_dir: Path, decode: bool = True) -> str | None:
    """Why the picture at ``path_text`` (relative to the issue folder) cannot be used, if it cannot.

    ``decode`` decodes it too, which finds truncated files; a build leaves that to the picture
    pipeline, which decodes every picture it has not cached anyway.
    """
    try:
        path = (issue_dir / path_text).resolve()
    except RuntimeError:  # Python 3.11 and 3.12 say so for a loop of symbolic links
        return f"{path_text} is a loop of symbolic links; make it the picture file itself"
    except (OSError, ValueError) as error:
        return f"{path_text} cannot be used as a file name ({getattr(error, 'strerror', None) or error})"
    allowed = [issue_dir.resolve(), assets_dir.resolve()]
    if not any(path == root or root in path.parents for root in allowed):
        return f"{path_text} is outside the issue folder and assets/"
    if path.is_dir():
        return f"{path_text} is a folder, not a picture"
    if not path.is_file():
        if path.is_symlink():
            return f"{path_text} is a symbolic link to a file that does not exist, or a loop of them"
        return f"{path_text} not found"
    try:
        with warnings.catch_warnings():
            # Pillow only warns between one and two times its pixel limit; here that is an error too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            problem = _decode_problem(path, decode)
    except Image.DecompressionBombWarning:
        problem = f"is too large a picture (over {Image.MAX_IMAGE_PIXELS:,} pixels)"
    return f"{path_text} {problem}" if problem else None


@functools.lru_cache(maxsize=4096)  # a picture used ten times is read once
def _decode_problem(path: Path, decode: bool) -> str | None:
    try:
        with Image.open(path) as image:
            image.verify()
        if not decode:
            return None
        with Image.open(path) as image:
            # verify() reads headers only; a truncated file shows when decoded. A reduced
            # decode (JPEG draft mode) finds it at a fraction of the cost.
            image.draft(image.mode, (max(1, image.size[0] // 8), max(1, image.size[1] // 8)))
            image.load()
    except Image.DecompressionBombError:
        return f"is too large a picture (over {Image.MAX_IMAGE_PIXELS:,} pixels)"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return f"is not a readable picture ({exc.__class__.__name__}: {exc})"
    return None


def resolve_picture(path_text: str, issue_dir: Path) -> Path:
    """The picture's real path; one that cannot be resolved (a loop) stays as named, for
    ``picture_problem`` to report."""
    try:
        return (issue_dir / path_text).resolve()
    except (OSError, RuntimeError, ValueError):
        return issue_dir.resolve() / path_text


def _check_pictures(source: Source, issue: IssueFile, assets_dir: Path, problems: ProblemList,
                    decode: bool) -> None:
    named: list[tuple[Loc, str]] = []
    if issue.cover and issue.cover.image:
        named.append((("cover", "image"), issue.cover.image))
    for index, section in issue.all_sections():
        base: Loc = ("sections", index[0]) if len(index) == 1 else ("sections", index[0], "sections", index[1])
        named += [(base + ("authors", i, "photo"), a.photo) for i, a in enumerate(section.authors) if a.photo]
        named += [(base + ("images", i, "file"), p.file) for i, p in enumerate(section.images)]
    for loc, path_text in named:
        problem = picture_problem(path_text, source.folder, assets_dir, decode)
        if problem:
            problems.add(source.problem(loc, problem))
