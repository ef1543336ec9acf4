"""Cross-references within the issue: ``[see the programme](#iii-framework-of-the-programme)``.

Every section title and every ``##``/``###`` heading is a link target. Its anchor is made
the way GitHub makes them, so that a link written against a Markdown preview works here
too: the text in lower case, punctuation dropped, spaces as hyphens, and ``-1``, ``-2``
added to a repeated one.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .. import model

_DROPPED = re.compile(r"[^\w\- ]", re.UNICODE)


def slug(text: str) -> str:
    return _DROPPED.sub("", text.strip().lower()).replace(" ", "-")


class Anchors:
    """The issue's link targets: anchor -> the name of the destination drawn at that heading."""

    def __init__(self, issue: model.Issue) -> None:
        self.targets: dict[str, str] = {}
        self.heading_names: dict[int, str] = {}  # id(heading block) -> destination name
        for section in issue.sections():
            self._add(section.title, section.key)
            self._headings(section.blocks, section.key)

    def _add(self, text: str, destination: str) -> None:
        anchor, n = slug(text), 0
        while (anchor if not n else f"{anchor}-{n}") in self.targets:
            n += 1
        self.targets[anchor if not n else f"{anchor}-{n}"] = destination

    def _headings(self, blocks, key: str) -> None:
        for block in blocks:
            if isinstance(block, model.Heading):
                name = f"{key}-heading-{len(self.heading_names)}"
                self.heading_names[id(block)] = name
                self._add(model.plain_text(block.runs), name)

    def resolve(self, href: str) -> str | None:
        """The destination of ``#anchor``, or None if no heading makes that anchor."""
        return self.targets.get(unquote(href[1:]).lower())  # Markdown percent-encodes the link

    def names(self) -> list[str]:
        return list(self.targets)
