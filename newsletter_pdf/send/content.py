"""What the e-mail says about the issue, taken from the document model and the checked PDF:
the masthead (title, number, period), the "In this issue" highlights, the contents with the
page numbers printed in the PDF, and one line from the foreword."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import model
from ..build import assets_for
from ..layout.styles import load_palette
from ..layout.typography import typeset
from .pdf import CheckedPdf

# A sentence ends at . ! or ? before a space and a capital, but not after a title or an initial.
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bNo)(?<!\b[A-Z])([.!?][\"'”’)]?)\s+(?=[\"“‘(]?[A-Z0-9])")
MAX_QUOTE = 240


@dataclass(frozen=True)
class ContentsLine:
    text: str
    page: int
    level: int  # 0 an entry or a group, 1 a section inside a group
    group: bool = False


@dataclass(frozen=True)
class Colours:
    primary: str
    accent: str
    text: str
    muted: str
    tint: str


@dataclass(frozen=True)
class Digest:
    title: str
    number: int
    period: str | None
    publisher: str
    language: str
    highlights: tuple[str, ...]
    contents: tuple[ContentsLine, ...]
    quote: str | None
    quote_by: str | None
    colours: Colours
    website: str | None
    pages: int

    @property
    def subject(self) -> str:
        """"ROCB Asia/Pacific E-Newsletter No. 79 – October–December 2022"."""
        period = f" \u2013 {_close_range(self.period)}" if self.period else ""
        return f"{self.title} No. {self.number}{period}"

    @property
    def masthead_line(self) -> str:
        return f"No.\u00a0{self.number}" + (f" \u00b7 {_close_range(self.period)}" if self.period else "")


def _close_range(period: str) -> str:
    """"October – December 2022" -> "October–December 2022": a range's dash is set closed up, as
    the PDF sets it, in the subject and the masthead."""
    return re.sub(r"\s+[\u2013-]\s+", "\u2013", period.strip())


def digest(issue: model.Issue, pdf: CheckedPdf) -> Digest:
    pages = iter(pdf.contents_pages)
    lines: list[ContentsLine] = []
    # The texts as the PDF prints them (curly quotes, closed-up ranges, no-break spaces), by the same rules.
    if issue.foreword:
        lines.append(ContentsLine(typeset(issue.foreword.toc_title), next(pages), 0))
    for entry in issue.entries:
        if isinstance(entry, model.Group):
            lines.append(ContentsLine(typeset(entry.title), next(pages), 0, group=True))
            lines += [ContentsLine(typeset(s.toc_title), next(pages), 1) for s in entry.sections]
        else:
            lines.append(ContentsLine(typeset(entry.toc_title), next(pages), 0))
    quote, by = foreword_line(issue)
    palette = load_palette(assets_for(issue.folder) / "themes" / issue.theme)
    colours = Colours(*("#" + getattr(palette, key).hexval()[2:] for key in ("primary", "accent", "text", "muted", "tint")))
    return Digest(issue.title, issue.number, issue.period, issue.publisher, issue.language,
                  tuple(typeset(h) for h in issue.cover.highlights) if issue.cover else (), tuple(lines), quote,
                  typeset(by) if by else None, colours,
                  issue.back_cover.website if issue.back_cover else None, pdf.pages)


def foreword_line(issue: model.Issue) -> tuple[str | None, str | None]:
    """The foreword's first sentence that says something (not "Dear Readers,"), and who signed it."""
    if not issue.foreword:
        return None, None
    signature = issue.foreword.signature
    by = ", ".join(part for part in (signature.name, signature.role) if part) if signature else None
    for block in issue.foreword.blocks:
        if not isinstance(block, model.Paragraph):
            continue
        text = " ".join(model.plain_text(block.runs).split())
        if len(text.split()) < 4 or text.endswith((",", ":")):
            continue  # a salutation
        sentence = _SENTENCE_END.split(text, maxsplit=1)
        first = sentence[0] + (sentence[1] if len(sentence) > 1 else "")
        if len(first) > MAX_QUOTE:
            first = first[:MAX_QUOTE].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
        return first, by
    return None, by
