"""The project's paragraph: its own word splitting and justification, broken once per width.

Every paragraph the pipeline makes is this class (ReportLab's split parts too: it makes
them with ``self.__class__``). So:

* ``breakLines`` hands ReportLab's line breaker the project's words
  (``linebreak.split_words``: cut at Thai, CJK and URL break opportunities, shaped runs
  shaped), as ready-made frag words, the form ReportLab itself gives a paragraph broken
  before; then adjusts justification (``linebreak.adjust_justification``). Nothing in
  ReportLab's modules is replaced.
* Platypus breaks a paragraph into lines at every ``wrap`` call, and a paragraph is
  measured several times before it is drawn: by the keeps that decide whether a heading
  fits, by the footnote frame that reserves room for its notes, and by the frame that
  places it. Its text never changes, so the lines found for a width stay valid.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph as PlatypusParagraph

from . import compat, linebreak
from .notes import MARKER_CALLBACK, keys_in_markup


class Paragraph(PlatypusParagraph):
    # The footnote frame may shorten a paragraph (by lines) to make room for its notes.
    shortens_for_notes = True

    def __init__(self, text, style=None, *args, **kwargs) -> None:
        super().__init__(text, style, *args, **kwargs)
        # The notes its markers refer to, known from the markup (split parts: from their fragments).
        self.note_keys = keys_in_markup(text) if isinstance(text, str) else ()

    def restyle(self, style) -> None:
        """Set in ``style`` (the same text and fonts, other spacing or leading) from now on."""
        self.style = style
        self.__dict__.pop("wrapped_width", None)  # the height measured before is no longer right

    def split(self, available_width: float, available_height: float) -> list:
        parts = super().split(available_width, available_height)
        if self.note_keys and len(parts) > 1:
            for part in parts:
                part.note_keys = tuple(compat.paragraph_callback_labels(part, MARKER_CALLBACK))
        return parts

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if getattr(self, "wrapped_width", None) == available_width and compat.is_broken(self):
            self.width = available_width
            return available_width, self.height
        result = super().wrap(available_width, available_height)
        self.wrapped_width = available_width
        return result

    def breakLines(self, width):  # noqa: N802 - ReportLab's name
        frags = compat.paragraph_frags(self)
        first = width[0] if isinstance(width, (list, tuple)) else width
        if linebreak.needs_split(frags, first):
            compat.set_paragraph_frags(self, linebreak.split_words(frags, first))
        return linebreak.adjust_justification(self.style, super().breakLines(width))

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name; tables size columns with it
        frags = compat.paragraph_frags(self)
        if linebreak.needs_split(frags):
            words = linebreak.split_words(frags)
            return max((w[0] for w in words), default=0)
        return super().minWidth()
