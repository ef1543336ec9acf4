"""Stage 2: build the document model from a validated issue file.

Markdown bodies are parsed here, so every problem in them (an undefined footnote,
a missing picture) is reported with its line before any layout starts.
"""

from __future__ import annotations

from pathlib import Path

from . import model
from .issue import IssueFile, Source
from .issue import schema
from .issue.errors import Problem, ProblemList
from .issue.load import Loc
from .issue.validate import picture_problem, resolve_picture
from .markdown import parse_body


def build_document(issue: IssueFile, source: Source, assets_dir: Path, decode_pictures: bool = True) -> model.Issue:
    builder = _Builder(source, assets_dir, decode_pictures)
    doc = model.Issue(
        title=issue.title,
        number=issue.number,
        date=issue.date,
        publisher=issue.publisher,
        language=issue.language,
        theme=issue.theme,
        folder=source.folder,
        period=issue.period,
    )
    for name in ("title", "publisher", "period"):
        if getattr(issue, name):
            doc.positions[name] = builder.where((name,))
    if issue.cover:
        picture = model.Picture(builder.picture_path(issue.cover.image)) if issue.cover.image else None
        doc.cover = model.Cover(picture, tuple(issue.cover.highlights))
        for n in range(len(issue.cover.highlights)):
            doc.positions[f"cover.highlights[{n}]"] = builder.where(("cover", "highlights", n))
    if issue.foreword:
        fw = issue.foreword
        doc.foreword = builder.section(("foreword",), fw.title, None, "foreword", fw.body, signature=fw.signature)
        doc.foreword.key = "foreword"
    for i, entry in enumerate(issue.sections):
        if isinstance(entry, schema.Group):
            group = model.Group(entry.group, [], builder.where(("sections", i, "group")))
            for j, section in enumerate(entry.sections):
                built = builder.from_schema(("sections", i, "sections", j), section)
                built.group = entry.group
                group.sections.append(built)
            doc.entries.append(group)
        else:
            doc.entries.append(builder.from_schema(("sections", i), entry))
    for n, section in enumerate(doc.sections()):
        section.key = section.key or f"section-{n}"
    if issue.back_cover:
        bc = issue.back_cover
        doc.back_cover = model.BackCover(bc.organisation, bc.office, bc.address, bc.telephone, bc.email,
                                         bc.website, tuple(bc.staff), bc.note)
    builder.problems.raise_if_any()
    return doc


class _Builder:
    def __init__(self, source: Source, assets_dir: Path, decode_pictures: bool) -> None:
        self.decode_pictures = decode_pictures
        self.source = source
        self.assets_dir = assets_dir
        self.problems = ProblemList()

    def where(self, loc: Loc) -> model.Where:
        """Where the value at ``loc`` stands in the issue file."""
        p = self.source.problem(loc, "")
        return model.Where(p.file, p.line, p.column, p.where)

    def picture_path(self, text: str) -> Path:
        return resolve_picture(text, self.source.folder)

    def from_schema(self, loc: Loc, section: schema.Section) -> model.Section:
        built = self.section(loc, section.title, section.toc_title, section.kind, section.body,
                             signature=section.signature)
        built.authors = tuple(
            model.Author(a.name, a.role, self.picture_path(a.photo) if a.photo else None) for a in section.authors
        )
        built.date, built.place = section.date, section.place
        built.pictures = tuple(
            model.Picture(self.picture_path(p.file), _plain_runs(p.caption), p.credit, p.alt) for p in section.images
        )
        return built

    def section(self, loc: Loc, title: str, toc_title: str | None, kind: str, body: str,
                signature: schema.Signature | None) -> model.Section:
        body_loc = loc + ("body",)

        def where(line: int) -> model.Where:
            p = self.source.problem(body_loc, "", line_offset=line)
            return model.Where(p.file, p.line, p.column, p.where)

        parsed = parse_body(body, where, self.picture_path)
        for line, what in parsed.problems:
            self.problems.add(self.source.problem(body_loc, what, line_offset=line))
        for block, where_ in _figures(parsed.blocks + tuple(b for n in parsed.notes for b in n.blocks)):
            for picture in block.pictures:
                relative = _relative(picture.path, self.source.folder)
                problem = picture_problem(relative, self.source.folder, self.assets_dir, self.decode_pictures)
                if problem:
                    self.problems.add(model_problem(where_, problem))
        return model.Section(
            title=title,
            toc_title=toc_title or title,
            kind=kind,  # type: ignore[arg-type]
            blocks=parsed.blocks,
            notes=parsed.notes,
            signature=model.Signature(signature.name, signature.closing, signature.native_name, signature.role)
            if signature else None,
            where=where(0) if body else None,
            title_where=self.where(loc + ("title",)),
        )


def model_problem(where: model.Where, what: str) -> Problem:
    return Problem(where.file, where.line, where.column, where.loc, what)


def _plain_runs(text: str | None) -> model.Inline:
    return (model.Run(text),) if text else ()


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder.resolve()))
    except ValueError:
        return str(path)


def _figures(blocks: tuple[model.Block, ...]):
    for block in blocks:
        if isinstance(block, model.Figure):
            yield block, block.where
        elif isinstance(block, model.Quote):
            yield from _figures(block.blocks)
        elif isinstance(block, model.ListBlock):
            for item in block.items:
                yield from _figures(item)
