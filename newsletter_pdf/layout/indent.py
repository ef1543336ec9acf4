"""List items and block quotes as a run of indented flowables, not one container.

A ReportLab ``ListFlowable`` or a one-cell ``Table`` holds its content as a whole: it
cannot pass its children's notes to the footnote frame one at a time, and a quote
taller than a page could not be split at all. Here each paragraph (table, nested list
line) of a list item or quote is wrapped on its own in an ``Indented``: set in from the
left, carrying the item's label if it is the item's first, or the quote's rule. It
splits as its child does, so the frame shortens it like any leaf.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from .notes import is_action, notes_of, shortens
from .tagging import marked, marking


@dataclass(frozen=True)
class Label:
    """A list item's bullet or number, drawn right-aligned ``gap`` before the text."""

    text: str
    font: str
    size: float
    colour: Color
    gap: float = 4.0
    element: object = field(default=None, compare=False)  # its ``Lbl`` structure element (a tagged PDF)


@dataclass(frozen=True)
class Rule:
    """A quote's vertical rule, ``offset`` from the left of the indented run."""

    colour: Color
    width: float
    offset: float


class Indented(Flowable):
    def __init__(self, child: Flowable, indent: float, label: Label | None = None, rule: Rule | None = None,
                 space_after: float | None = None, rule_below: float = 0.0) -> None:
        super().__init__()
        self.child, self.indent, self.label, self.rule = child, indent, label, rule
        self.space_after = space_after
        self.rule_below = rule_below  # the rule runs on into the gap below, to the next part of the quote
        self.issue_where = getattr(child, "issue_where", None)

    @property
    def note_keys(self) -> tuple[str, ...]:
        return notes_of(self.child)

    @property
    def shortens_for_notes(self) -> bool:
        return shortens(self.child)

    def getSpaceBefore(self) -> float:
        return self.child.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        after = self.child.getSpaceAfter()
        return after if self.space_after is None else max(after, self.space_after)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)  # none when measured outside a frame
        width = available_width - self.indent
        _, self.height = self.child.wrapOn(canvas, width, available_height) if canvas else \
            self.child.wrap(width, available_height)
        self.width = available_width
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        canvas = getattr(self, "canv", None)
        width = available_width - self.indent
        parts = self.child.splitOn(canvas, width, available_height) if canvas else \
            self.child.split(width, available_height)
        if len(parts) == 1 and parts[0] is self.child:
            return [self]
        out: list[Flowable] = []
        for part in parts:
            if is_action(part):
                out.append(part)
                continue
            if not hasattr(part, "structure"):  # the text goes on being its element's
                part.structure = getattr(self.child, "structure", None)
            first = not any(isinstance(p, Indented) for p in out)
            last = part is parts[-1]
            out.append(Indented(part, self.indent, self.label if first else None, self.rule,
                                self.space_after if last else None, self.rule_below if last else 0.0))
        return out

    @property
    def marks_itself(self) -> bool:
        """In a tagged PDF the label is its own element (``Lbl``), the text its element, the rule an
        artifact: the frame does not wrap them all in one."""
        return True

    def draw(self) -> None:
        canvas = self.canv
        # The label first: text is read (copied, spoken) in the order it is drawn.
        if self.label:
            with marked(canvas, self.label.element):
                self._draw_label(canvas)
        with marking(canvas, self.child):
            self.child.drawOn(canvas, self.indent, 0)
        if self.rule:
            with marked(canvas, None):  # an artifact of layout
                self._draw_rule(canvas)

    def _draw_rule(self, canvas) -> None:
        if self.rule:
            canvas.saveState()
            canvas.setStrokeColor(self.rule.colour)
            canvas.setLineWidth(self.rule.width)
            canvas.line(self.rule.offset, -self.rule_below, self.rule.offset, self.height)
            canvas.restoreState()

    def _draw_label(self, canvas) -> None:
        if self.label:
            label = self.label
            style = getattr(self.child, "style", None)
            # On the first line's baseline of the text beside it.
            baseline = self.height - (style.fontSize if style is not None else label.size)
            canvas.saveState()
            canvas.setFont(label.font, label.size)
            canvas.setFillColor(label.colour)
            canvas.drawRightString(self.indent - label.gap, baseline, label.text)
            canvas.restoreState()


def ordinal_label(number: int, kind: str) -> str:
    """``1.``, ``a.`` or ``i.`` for an ordered list's item ``number``."""
    if kind == "a":
        letters = ""
        while number > 0:
            number, remainder = divmod(number - 1, 26)
            letters = chr(ord("a") + remainder) + letters
        return f"{letters or 'a'}."
    if kind == "i" and 0 < number < 4000:
        numerals = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50),
                    ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))
        out = ""
        for numeral, value in numerals:
            while number >= value:
                out += numeral
                number -= value
        return f"{out}."
    return f"{number}."
