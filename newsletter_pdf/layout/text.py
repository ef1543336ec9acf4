"""Inline runs -> ReportLab paragraph markup, with typography, font fallback and character checks.

On the way every plain text run gets NFC and no-break spaces (``typography.py``), break
opportunities where a script has no spaces or a URL is long (``linebreak.py``), and
``<font>`` tags for the characters the text face lacks (``fonts.py``).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .. import model
from .anchors import Anchors
from .fonts import MONO, SERIF, FontFallback
from .notes import marker
from .linebreak import break_positions
from .typography import typeset

# Superior letters and figures (20th, 2nd): about two thirds of the text size, their
# x-height reaching the cap height, where ReportLab's default (size - 2 pt, raised by
# half the size) floats above the ascenders.
SUPERSCRIPT = '<super rise="33%" size="66%">'
SUBSCRIPT = '<sub rise="15%" size="66%">'  # below the baseline by less than a superscript rises: it stays above the descenders' line


class TextSetter:
    """Turns model text into markup for one issue, remembering characters no font has."""

    def __init__(self, fallback: FontFallback, link_colour: str, anchors: Anchors | None = None) -> None:
        self.fallback = fallback
        self.link_colour = link_colour
        self.anchors = anchors
        self.missing: list[tuple[model.Where | None, str]] = []
        self.broken_links: list[tuple[model.Where | None, str]] = []  # ``#anchor`` links no heading makes

    def plain(self, text: str, family: str = SERIF, where: model.Where | None = None) -> str:
        text = typeset(text)
        return self._markup(text, family, where, break_positions(text, self.fallback.language))

    def _markup(self, text: str, family: str, where: model.Where | None, breaks: set[int]) -> str:
        self._check(text, family, where)
        return self.fallback.markup(text, family, breaks).replace("\n", "<br/>")

    def runs(self, runs: model.Inline, family: str = SERIF, where: model.Where | None = None,
             note_prefix: str = "") -> str:
        # Typography on each text run, break opportunities found in the paragraph's whole text.
        texts = []
        before = " "  # the character before each run, for its quotes
        for run in runs:
            texts.append(typeset(run.text, before) if run.text and not run.code else run.text)
            before = "\n" if run.line_break else (run.text[-1:] or before)
        whole = "".join(t for run, t in zip(runs, texts) if not run.line_break and run.note is None)
        breaks = break_positions(whole, self.fallback.language)
        out: list[str] = []
        offset = 0
        previous = None
        for run, text in zip(runs, texts):
            follows_marker = previous is not None and previous.note is not None
            previous = run
            if run.line_break:
                out.append("<br/>")
                continue
            if run.note is not None:
                if follows_marker:  # two markers side by side read "1,2", not "12"
                    out.append(f"{SUPERSCRIPT},</super>")
                # ``note_prefix`` (the section's key) makes the note's key unique in the issue.
                out.append(marker(f"{note_prefix}{run.note}", run.note, self.link_colour))
                continue
            local = {i - offset for i in breaks if offset < i < offset + len(text)} if breaks else set()
            offset += len(text)
            markup = self._markup(text, MONO if run.code else family, where, local)
            if run.code:
                markup = f'<font face="{MONO}" size="-1">{markup}</font>'
            if run.superscript:
                markup = f"{SUPERSCRIPT}{markup}</super>"
            elif run.subscript:
                markup = f"{SUBSCRIPT}{markup}</sub>"
            if run.italic:
                markup = f"<i>{markup}</i>"
            if run.bold:
                markup = f"<b>{markup}</b>"
            href = self._target(run.href, where) if run.href else None
            if href:
                markup = f'<a href={quoteattr(href)} color="{self.link_colour}">{markup}</a>'
            out.append(markup)
        return "".join(out)

    def _target(self, href: str, where: model.Where | None) -> str | None:
        """A link's target: a URL as it is, ``#anchor`` as the destination of its heading."""
        if not href.startswith("#"):
            return href
        destination = self.anchors.resolve(href) if self.anchors else None
        if destination is None:
            self.broken_links.append((where, href))
            return None
        return f"#{destination}"

    def _check(self, text: str, family: str, where: model.Where | None) -> None:
        for char in self.fallback.missing(text, family):
            self.missing.append((where, char))
