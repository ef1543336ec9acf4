"""Inline runs -> ReportLab paragraph markup, with font fallback and character checks."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .. import model
from .fonts import MONO, SERIF, FontFallback
from .footnotes import marker


class TextSetter:
    """Turns model text into markup for one issue, remembering characters no font has."""

    def __init__(self, fallback: FontFallback, link_colour: str) -> None:
        self.fallback = fallback
        self.link_colour = link_colour
        self.missing: list[tuple[model.Where | None, str]] = []

    def plain(self, text: str, family: str = SERIF, where: model.Where | None = None) -> str:
        self._check(text, family, where)
        return self.fallback.markup(text, family).replace("\n", "<br/>")

    def runs(self, runs: model.Inline, family: str = SERIF, where: model.Where | None = None,
             note_prefix: str = "") -> str:
        out: list[str] = []
        for run in runs:
            if run.line_break:
                out.append("<br/>")
                continue
            if run.note is not None:
                # ``note_prefix`` (the section's key) makes the note's key unique in the issue.
                out.append(marker(f"{note_prefix}{run.note}", run.note, self.link_colour))
                continue
            text = self.plain(run.text, MONO if run.code else family, where)
            if run.code:
                text = f'<font face="{MONO}" size="-1">{text}</font>'
            if run.superscript:
                text = f"<super>{text}</super>"
            if run.italic:
                text = f"<i>{text}</i>"
            if run.bold:
                text = f"<b>{text}</b>"
            if run.href:
                text = f'<a href={quoteattr(run.href)} color="{self.link_colour}">{text}</a>'
            out.append(text)
        return "".join(out)

    def _check(self, text: str, family: str, where: model.Where | None) -> None:
        for char in self.fallback.missing(text, family):
            self.missing.append((where, char))
