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

from . import breaking, compat, linebreak
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
        with compat.own_split_words(self) as parts:
            parts += super().split(available_width, available_height)
        if len(parts) > 1 and getattr(self, "broken_whole", False) and compat.is_broken(self):
            parts = self._without_hyphen_at_the_split(parts, available_width, available_height)
            self._keep_lines(parts, available_width)
        if self.note_keys and len(parts) > 1:
            for part in parts:
                part.note_keys = tuple(compat.paragraph_callback_labels(part, MARKER_CALLBACK))
        return parts

    def _without_hyphen_at_the_split(self, parts: list, available_width: float, available_height: float) -> list:
        """When the first part ends in a hyphen (a word broken across the page turn), the parts
        of a breaking whose line there ends in no hyphen, if there is one."""
        if not _ends_in_hyphen(self, len(compat.paragraph_lines(parts[0])) - 1):
            return parts
        count = len(compat.paragraph_lines(parts[0]))
        # ReportLab's breaker, which makes the lines, zeroes the height the frame knows.
        saved = compat.broken_lines(self), compat.paragraph_frags(self), self.height
        words = compat.frag_words(saved[1])
        lines = breaking.break_justified(self, words, compat.wrap_widths(self),
                                         hyphen_free_lines=frozenset({count - 1}))
        if lines is None:
            compat.set_paragraph_frags(self, saved[1])
            self.height = saved[2]
            return parts
        lines = linebreak.adjust_justification(self.style, lines)
        compat.set_broken_lines(self, lines)
        try:
            with compat.own_split_words(self) as again:
                again += super().split(available_width, available_height)
            if len(again) == 2 and not _ends_in_hyphen(self, len(compat.paragraph_lines(again[0])) - 1):
                self._keep_lines(again, available_width)
                return again
            return parts
        finally:
            compat.set_broken_lines(self, saved[0])
            compat.set_paragraph_frags(self, saved[1])
            self.height = saved[2]

    def _keep_lines(self, parts: list, available_width: float) -> None:
        """The parts of a paragraph broken as a whole keep its lines: broken again alone,
        the first part's last line would be set as a last line, and the second's lines would
        be chosen anew."""
        _, lines = compat.lines_of(compat.broken_lines(self))
        first, second = parts
        if getattr(first, "kept_lines", None) is not None:
            return  # kept already, from the breaking they were split from
        count = len(compat.paragraph_lines(first))
        first.kept_lines = (available_width, compat.rebased_frag_lines(lines[:count], 0))
        offset = compat.frag_line_start(lines[count])
        second.kept_lines = (available_width, compat.rebased_frag_lines(lines[count:], offset))
        first.broken_whole = second.broken_whole = True

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if getattr(self, "wrapped_width", None) == available_width and compat.is_broken(self):
            self.width = available_width
            return available_width, self.height
        self.breaking_width = available_width
        result = super().wrap(available_width, available_height)
        self.wrapped_width = available_width
        return result

    def breakLines(self, width):  # noqa: N802 - ReportLab's name
        widths = list(width) if isinstance(width, (list, tuple)) else [width]
        kept = self.__dict__.get("kept_lines")
        if kept is not None and kept[0] == getattr(self, "breaking_width", None):
            return compat.frag_lines(kept[1])
        frags = compat.paragraph_frags(self)
        first = widths[0]
        if linebreak.needs_split(frags, first):
            compat.set_paragraph_frags(self, linebreak.split_words(frags, first))
        self.broken_whole = False
        if breaking.applies(self.style, self.bulletText) and not compat.is_plain_split_part(compat.paragraph_frags(self)):
            words = compat.frag_words(compat.paragraph_frags(self), first)
            key = self._breaking_key(widths)
            lines = breaking.break_justified(self, words, widths, key)
            if lines is not None:
                self.broken_whole = True
                return linebreak.adjust_justification(self.style, lines)
        return linebreak.adjust_justification(self.style, super().breakLines(width))

    def _breaking_key(self, widths: list[float]):
        """What the breaks chosen depend on: the markup, the style's type and hyphenation, the widths."""
        if not isinstance(self.text, str):
            return None
        style = self.style
        hyphenation = getattr(style, "hyphenationLang", None)
        return (self.text, style.name, style.fontName, style.fontSize, style.alignment,
                getattr(hyphenation, "dictionary", hyphenation), tuple(widths))

    def draw(self) -> None:
        # Lines spaced out between their letters (``linebreak.adjust_justification``) set
        # and reset their character spacing by this callback.
        self.canv.setNamedCB(linebreak.LETTER_SPACE, linebreak.set_letter_space)
        super().draw()

    def reportlab_lines(self, width):
        """ReportLab's own breaking of the paragraph's frags, as they are."""
        return super().breakLines(width)

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name; tables size columns with it
        frags = compat.paragraph_frags(self)
        if linebreak.needs_split(frags):
            words = linebreak.split_words(frags)
            return max((w[0] for w in words), default=0)
        return super().minWidth()


def _ends_in_hyphen(paragraph, line_number: int) -> bool:
    """Whether a line of a paragraph broken whole ends in a word cut at a hyphen."""
    _, lines = compat.lines_of(compat.broken_lines(paragraph))
    if not 0 <= line_number < len(lines) - 1:
        return False
    last_word = compat.frag_line_start(lines[line_number + 1]) - 1
    words = compat.paragraph_frags(paragraph)
    return 0 <= last_word < len(words) and compat.is_split_head(words[last_word])
