"""The logical structure of the issue, for a tagged PDF (PDF/UA): what is read, in what order.

ReportLab writes no structure. Here:

* the story builder makes the structure tree as it makes the flowables, in the order of the
  issue (which is the reading order, whatever the layout does with floats and columns): a
  ``Document``, a ``Sect`` per section, and a ``P``, ``H1``-``H3``, ``Figure``... element per
  flowable, set on it as ``flowable.structure``. The tree is a pure description, like the
  story, and is laid out again with it;
* while one layout pass draws, its :class:`Tagger` (in the pass state) wraps what each
  flowable draws in a marked-content sequence with an MCID (``/P <</MCID 3>> BDC ... EMC``)
  and records which element owns each MCID of each page; what belongs to no element (running
  heads, folios, rules, backgrounds) is wrapped as an ``/Artifact``;
* the PDF writer (``compat.write_structure``) turns the tree and the record into the
  ``/StructTreeRoot``, its ``/ParentTree``, ``/StructParents`` on each page and
  ``/MarkInfo``.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from reportlab.platypus import Frame, PageBreak, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from . import compat

HEADING_ROLES = ("H1", "H2", "H3")
PAGINATION, LAYOUT = "Pagination", "Layout"  # artifact subtypes: running heads and folios; rules and shapes


@dataclass(eq=False)
class Element:
    """One structure element: its standard role (``P``, ``H2``, ``Figure``...), its children in
    reading order, and the attributes a reader needs (``alt`` for a figure, ``lang`` where the
    language differs from the document's, ``scope`` for a table header cell, ``identifier``
    for a note, which PDF/UA asks to be unique)."""

    role: str
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    alt: str | None = None
    lang: str | None = None
    scope: str | None = None
    identifier: str | None = None

    def add(self, role: str, **attributes) -> Element:
        child = Element(role, self, **attributes)
        self.children.append(child)
        return child

    def walk(self):
        """This element and all below it, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: the page (1-based) it is drawn on, and its MCID there."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Link:
    """A link annotation: the element whose text it lies on, its page (1-based), the annotation and
    a reference to it (ReportLab's objects, for the writer)."""

    parent: Element
    page: int
    annotation: object
    reference: object


class Tagger:
    """The marked content of one layout pass: which element owns each MCID of each page."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self.owners: dict[int, list[Element]] = {}  # page -> the owner of each MCID, by MCID
        self.contents: dict[int, list[MarkedContent]] = {}  # id(element) -> its sequences, in order
        self.depth = 0  # marked content open now (sequences do not nest: an MCID inside one is lost)
        self.drawing: Element | None = None  # the element whose marked content is open
        self.links: list[Link] = []  # link annotations, in the order they were drawn

    def begin(self, canvas, element: Element) -> MarkedContent:
        page = canvas.getPageNumber()
        owners = self.owners.setdefault(page, [])
        marked = MarkedContent(page, len(owners))
        owners.append(element)
        self.contents.setdefault(id(element), []).append(marked)
        canvas.addLiteral(f"/{element.role} <</MCID {marked.mcid}>> BDC")
        self.depth += 1
        self.drawing = element
        return marked

    def begin_artifact(self, canvas, subtype: str = LAYOUT) -> None:
        canvas.addLiteral(f"/Artifact <</Type /{subtype}>> BDC")
        self.depth += 1

    def end(self, canvas) -> None:
        canvas.addLiteral("EMC")
        self.depth -= 1
        if not self.depth:
            self.drawing = None

    def link(self, page: int, annotation, reference) -> None:
        """A link annotation drawn now: a ``Link`` element in the element being drawn (the
        paragraph its text is in) will own it, or in the document if it is drawn outside one."""
        self.links.append(Link(self.drawing or self.root, page, annotation, reference))

    def forget(self, marked: MarkedContent | None, element: Element | None) -> None:
        """Take back the last sequence begun (its flowable was not placed after all)."""
        if marked is not None and element is not None:
            self.owners[marked.page].pop()
            self.contents[id(element)].pop()
        self.depth -= 1
        if not self.depth:
            self.drawing = None

    @contextmanager
    def marked(self, canvas, element: Element | None):
        """What is drawn inside belongs to ``element`` (an artifact of layout if None); nested
        inside marked content already open, it simply belongs to that."""
        if self.depth:
            yield
            return
        if element is None:
            with self.artifact(canvas, LAYOUT):
                yield
            return
        self.begin(canvas, element)
        try:
            yield
        finally:
            self.end(canvas)

    @contextmanager
    def artifact(self, canvas, subtype: str = LAYOUT):
        if self.depth:
            yield
            return
        self.begin_artifact(canvas, subtype)
        try:
            yield
        finally:
            self.end(canvas)

    def sequences(self, element: Element) -> list[MarkedContent]:
        return self.contents.get(id(element), [])


def structure_of(flowable) -> Element | None:
    return getattr(flowable, "structure", None)


def marked(canvas, element: Element | None):
    """What is drawn inside belongs to ``element`` (an artifact of layout if None), when the
    canvas is tagging; a flowable that marks its own parts draws them through this."""
    tagger = getattr(canvas, "tagger", None)
    return tagger.marked(canvas, element) if tagger is not None else nullcontext()


def marking(canvas, flowable):
    """What ``flowable`` draws inside belongs to its structure element (an artifact if it has none),
    unless it marks its own parts (a table, a list item's label and text) or nothing is tagged."""
    if getattr(flowable, "marks_itself", False):
        return nullcontext()
    return marked(canvas, structure_of(flowable))


def give(flowable, element: Element | None):
    """Set ``element`` on ``flowable`` (the flowable's drawing belongs to it) and return the flowable."""
    flowable.structure = element
    return flowable


class TaggingFrame(Frame):
    """A frame that marks what each flowable it places draws as that flowable's structure
    element's content, or as an artifact (a rule, a background); the canvas's ``tagger``
    (None: no tagging) keeps the record."""

    def add(self, flowable, canv, trySplit=0):
        return self.place(flowable, canv, trySplit)

    def place(self, flowable, canv, trySplit=0) -> int:
        """ReportLab's placing, marked; the marking is taken back if the flowable is not placed."""
        tagger = getattr(canv, "tagger", None)
        if tagger is None or tagger.depth or isinstance(flowable, (ActionFlowable, PageBreak, Spacer)):
            return super().add(flowable, canv, trySplit)
        if getattr(flowable, "marks_itself", False):  # a table marks each of its cells
            return super().add(flowable, canv, trySplit)
        element = structure_of(flowable)
        length = compat.canvas_code_length(canv)
        marked = tagger.begin(canv, element) if element is not None else tagger.begin_artifact(canv)
        if super().add(flowable, canv, trySplit):
            tagger.end(canv)
            return 1
        compat.truncate_canvas_code(canv, length)
        tagger.forget(marked, element)
        return 0


# Tables ---------------------------------------------------------------------------------------------


def table_structure(table: Element, rows: int, columns: int, header_rows: int = 1) -> list[list[Element]]:
    """A ``TR`` per row under ``table``, with a cell element per column: ``TH`` (scope Column)
    in the header rows, ``TD`` below; returned as rows of cells."""
    cells = []
    for row in range(rows):
        tr = table.add("TR")
        cells.append([tr.add("TH", scope="Column") if row < header_rows else tr.add("TD") for _ in range(columns)])
    return cells


def mark_table_cells(table, event: str, *args) -> None:
    """ReportLab's table drawing callback (``renderCB``): each cell's drawing is its cell element's
    content; the backgrounds, the rules and a header repeated on a later page are artifacts.

    The table answers ``cell_element(row, column)`` with the element of a cell of the part being
    drawn, or None for a repeated header's cell. Inside marked content already open (a table in
    a list item, drawn as the item's), it marks nothing.
    """
    tagger = getattr(table.canv, "tagger", None)
    if event == "startTable":
        table.cell_marks = tagger is not None and not tagger.depth and table.marks_itself
        return
    if not getattr(table, "cell_marks", False):
        return
    canvas = table.canv
    if event in ("startBG", "startLines"):
        tagger.begin_artifact(canvas, LAYOUT)
    elif event == "startCell":
        element = table.cell_element(args[0], args[1])
        if element is None:
            tagger.begin_artifact(canvas, PAGINATION)
        else:
            tagger.begin(canvas, element)
    elif event in ("endBG", "endLines", "endCell"):
        tagger.end(canvas)
    elif event == "endTable":
        table.cell_marks = False
