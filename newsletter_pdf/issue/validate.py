"""Check raw issue data against the schema and the files it names.

Pydantic's errors carry a location such as ``('sections', 3, 'section', 'images', 0, 'file')``;
here they are turned into ``FILE:LINE:COLUMN: sections[3].images[0].file: what``.
"""

from __future__ import annotations

import difflib
import functools
import warnings
import typing
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ValidationError

from .errors import IssueError, Problem, ProblemList
from .load import Loc, Source
from .schema import UNION_TAGS, IssueFile

# Pillow refuses pictures above this many pixels as decompression bombs; 100 MP covers
# any real camera while stopping a 64k x 64k PNG that would need gigabytes.
Image.MAX_IMAGE_PIXELS = 100_000_000


def validate(source: Source, assets_dir: Path, decode_pictures: bool = True) -> IssueFile:
    try:
        issue = IssueFile.model_validate(source.data)
    except ValidationError as exc:
        errors = exc.errors()
        suggested = {(_data_loc(e["loc"][:-1]), _suggestion(e["loc"])) for e in errors if e["type"] == "extra_forbidden"}
        # "unknown key 'publsher'; did you mean 'publisher'?" already says that 'publisher' is missing.
        errors = [e for e in errors if not (e["type"] == "missing" and
                                            (_data_loc(e["loc"][:-1]), e["loc"][-1]) in suggested)]
        raise IssueError([_problem_from(source, error) for error in errors]) from None
    problems = ProblemList()
    _check_pictures(source, issue, assets_dir, problems, decode_pictures)
    if not (assets_dir / "themes" / issue.theme).is_dir():
        known = sorted(p.name for p in (assets_dir / "themes").glob("*") if p.is_dir())
        problems.add(source.problem(("theme",), f"no theme '{issue.theme}' under assets/themes/ (known: {', '.join(known)})"))
    problems.raise_if_any()
    return issue


def _problem_from(source: Source, error: dict[str, Any]) -> Problem:
    loc = _data_loc(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        close = _suggestion(error["loc"])
        hint = f"; did you mean '{close}'?" if close else f"; valid keys: {', '.join(_field_names(_model_at(error['loc'][:-1])))}"
        return source.problem(loc, f"unknown key '{loc[-1]}'{hint}", key=True)
    if kind == "missing":
        return source.problem(loc[:-1], f"missing required key '{loc[-1]}'")
    message = error["msg"]
    if kind == "literal_error" and loc and loc[-1] == "kind":
        message = "kind must be one of: article, report, message"
    return source.problem(loc, message)


def _suggestion(loc: tuple[Any, ...]) -> str | None:
    """The valid key closest to the unknown key at the end of ``loc``, if one is close."""
    close = difflib.get_close_matches(str(loc[-1]), _field_names(_model_at(loc[:-1])), n=1, cutoff=0.6)
    return close[0] if close else None


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
    path = resolve_picture(path_text, issue_dir)
    allowed = [issue_dir.resolve(), assets_dir.resolve()]
    if not any(path == root or root in path.parents for root in allowed):
        return f"{path_text} is outside the issue folder and assets/"
    if not path.is_file():
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
    return (issue_dir / path_text).resolve()


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
