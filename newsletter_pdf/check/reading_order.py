"""The structure's text, in the structure's order, is the issue's text in the issue's order.

A screen reader follows the structure tree, not the page: a paragraph tagged out of
place (after a floated picture, in the other column, on the next page) is read out of
place, and text drawn in no element is not read at all. Here the text of every run is
read with PDFium together with its marked-content ID, the tree is walked in its order
collecting each element's text, and every passage of the issue file (each section's title,
then each paragraph, heading, list item, quotation and table cell of its body, and its
signature) must be found there, each after the one before it.

Passages are compared as letters only, case-folded: what differs rightly between the
source and the page is punctuation (curly quotes, dashes, hyphens added at line ends),
spaces, note numbers and marks that a script draws around or before a letter (which
PDFium returns in visual order).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pikepdf

from .. import model
from .facts import PdfFacts
from .result import CheckResult

NAME = "reading order (structure)"
_SHOWN = 60  # characters of a passage quoted in a failure


@dataclass(frozen=True)
class Passage:
    """A piece of the issue's text, and where it stands in the issue file."""

    text: str
    where: model.Where | None = None


def issue_passages(issue: model.Issue) -> list[Passage]:
    """The issue's text as it must be read: the sections in order, each its title, body and signature."""
    passages: list[Passage] = []
    for section in issue.sections():
        passages.append(Passage(section.title, section.title_where))
        for block in section.blocks:
            passages += _block_passages(block)
        if section.signature is not None:
            passages.append(Passage(section.signature.name, section.where))
    return [p for p in passages if letters(p.text)]


def _block_passages(block: model.Block) -> list[Passage]:
    if isinstance(block, (model.Paragraph, model.Heading)):
        return [Passage(model.plain_text(block.runs), block.where)]
    if isinstance(block, model.ListBlock):
        return [p for item in block.items for inner in item for p in _block_passages(inner)]
    if isinstance(block, model.Quote):
        return [p for inner in block.blocks for p in _block_passages(inner)]
    if isinstance(block, model.Table):
        return [Passage(model.plain_text(cell), block.where) for row in (block.header, *block.rows) for cell in row]
    return []  # pictures (their captions stand beside them, as the layout places them) and rules


# Not a letter: what is not a word character (marks, punctuation, spaces), a digit, or "_".
_NOT_LETTER = re.compile(r"[\W\d_]+")


def letters(text: str) -> str:
    """``text`` as letters only, case-folded: what must read the same in the source and on the page."""
    return _NOT_LETTER.sub("", unicodedata.normalize("NFKC", text).casefold())


def structure_text(facts: PdfFacts) -> str:
    """The text of the structure tree in its order, as letters (see ``letters``)."""
    runs = _marked_runs(facts)
    pieces: list[str] = []
    with pikepdf.open(facts.path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is not None:
            _collect(tree, None, runs, pages, pieces, set())
    return "".join(pieces)


def _collect(node, page, runs, pages, pieces: list[str], seen: set) -> None:
    """``node``'s content and its children's, in the order its ``/K`` lists them."""
    page = node.get("/Pg", page)
    kids = node.get("/K")
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
        if isinstance(kid, int):
            if page is not None:
                pieces.append(runs.get((pages.get(page.objgen, -1), int(kid)), ""))
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.get("/Type") == "/MCR":
                kid_page = kid.get("/Pg", page)
                if kid_page is not None and "/MCID" in kid:
                    pieces.append(runs.get((pages.get(kid_page.objgen, -1), int(kid.MCID)), ""))
            elif "/S" in kid and kid.get("/Type") != "/OBJR" and kid.objgen not in seen:
                seen.add(kid.objgen)  # a cycle in a broken file is not followed twice
                _collect(kid, page, runs, pages, pieces, seen)


def _marked_runs(source: PdfFacts) -> dict[tuple[int, int], str]:
    """The letters each marked-content sequence of each page shows, by (page index, MCID)."""
    found: dict[tuple[int, int], list[str]] = {}
    for index in range(source.page_count()):
        for run in source.runs(index):  # (the runs the other checks read too)
            if run.mcid >= 0:
                found.setdefault((index, run.mcid), []).append(run.text)
    return {key: letters("".join(parts)) for key, parts in found.items()}


def check_reading_order(facts: PdfFacts, passages: list[Passage]) -> CheckResult:
    """Every passage, in order, in the structure's text."""
    text = structure_text(facts)
    position = 0
    previous: Passage | None = None
    for passage in passages:
        wanted = letters(passage.text)
        found = text.find(wanted, position)
        if found < 0:
            where = f" ({passage.where.file}:{passage.where.line})" if passage.where else ""
            anywhere = text.find(wanted) >= 0
            after = f", after {_quoted(previous.text)}" if previous else ""
            what = "is read out of its order" if anywhere else "is not in the structure: a screen reader skips it"
            return CheckResult(NAME, False, "the structure does not read as the issue",
                               (f"{_quoted(passage.text)}{where} {what}{after if anywhere else ''}",))
        position = found + len(wanted)
        previous = passage
    return CheckResult(NAME, True, f"{len(passages)} passages of the issue, in its order")


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text[:_SHOWN]}{'…' if len(text) > _SHOWN else ''}'"
