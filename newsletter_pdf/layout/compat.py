"""Every use of a private or undocumented ReportLab / pypdf attribute, in one place.

ReportLab (``reportlab==5.1.0``) and pypdf (``pypdf==7.1.1``) are pinned exactly in
``pyproject.toml``. The pipeline needs a few of their internals: a line breaker that
knows Thai and URLs, shaped text with ``/ActualText``, footnotes that move a frame's
bottom, PDF streams that end with an EOL. Each internal is reached through one
function or class here, named for what it does, with one comment on why it is needed.
``tests/test_compat.py`` has a guard for each that fails with the name and the pinned
version when an upgrade changes it: upgrade, run that file, and fix what it names here.

No function here changes ReportLab or pypdf for the whole process: they read or write
attributes of objects the pipeline made, or are subclasses it passes in.
"""

from __future__ import annotations

from contextlib import contextmanager

from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfdoc as _rl_pdfdoc
from reportlab.pdfbase import ttfonts as _rl_ttfonts
from reportlab.pdfgen import textobject as _rl_textobject
from reportlab.platypus import paragraph as _rl_paragraph

REPORTLAB_PIN = "5.1.0"
PYPDF_PIN = "7.1.1"

# Paragraph internals (linebreak.py, paragraph.py) --------------------------------------------------


def frag_words(frags, max_width=None) -> list:
    """ReportLab's split of parsed fragments into "frag words" ``[width, (frag, text), ...]``.

    Why: ``Paragraph.breakLines`` breaks only between these words; the project cuts them
    further at break opportunities ReportLab does not know (Thai, CJK, URLs).
    """
    return _rl_paragraph._getFragWords(frags, max_width)


def frags_are_words(frags) -> bool:
    """True when ``frags`` already are frag words (a paragraph broken once, or a split part).

    Why: such words were already cut and shaped; they must not be cut again.
    """
    return _rl_paragraph._processed_frags(frags)


def is_soft_hyphen_word(word) -> bool:
    """A frag word holding soft hyphens, which ReportLab may hyphenate itself.

    Why: its strings carry hyphenation indices, so they are not replaced by shaped strings.
    """
    return isinstance(word, _rl_paragraph._SHYWord)


def frag_callback(frag):
    """The ``<onDraw>`` definition a fragment carries (``cbDefn``), or None.

    Why: the break (``wbr``), shaping and note markers are zero-width ``onDraw`` fragments.
    """
    return getattr(frag, "cbDefn", None)


def frag_callback_name(frag) -> str | None:
    definition = frag_callback(frag)
    return getattr(definition, "name", None) if definition is not None else None


def frag_callback_label(frag) -> str | None:
    definition = frag_callback(frag)
    return getattr(definition, "label", None) if definition is not None else None


def frag_callback_width(frag) -> float:
    definition = frag_callback(frag)
    return getattr(definition, "width", 0) if definition is not None else 0


def paragraph_callback_labels(paragraph, name: str) -> list[str]:
    """The labels of the ``<onDraw name=NAME>`` fragments of a paragraph, in order.

    Why: a split part has no markup of its own, only ``frags``: parsed fragments, or
    (once broken) frag words ``[width, (frag, text), ...]`` that are searched recursively.
    """
    found: list[str] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, (list, tuple)):
                if depth < 8:
                    walk(item, depth + 1)
            elif frag_callback_name(item) == name:
                found.append(frag_callback_label(item))

    walk(paragraph.frags, 0)
    return found


def paragraph_frags(paragraph) -> list:
    """A paragraph's fragments (``Paragraph.frags``): parsed runs, or frag words once broken.

    Why: note markers and the words to rework are found in them.
    """
    return paragraph.frags


def set_paragraph_frags(paragraph, frags) -> None:
    """Give a paragraph its frags as frag words before ``breakLines`` runs (as a split part has).

    Why: ``Paragraph.breakLines`` takes already made words as they are; that is how the
    project's word splitting reaches it without replacing ``_getFragWords``.
    """
    paragraph.frags = frags


def is_broken(paragraph) -> bool:
    """True when the paragraph holds its broken lines (``blPara``) from its last ``wrap``.

    Why: a paragraph is broken once per width (see paragraph.py).
    """
    return "blPara" in paragraph.__dict__


def broken_lines(paragraph):
    """``Paragraph.blPara``: the result of the last ``wrap``/``breakLines``."""
    return paragraph.blPara


def set_broken_lines(paragraph, lines) -> None:
    """Set ``Paragraph.blPara``, which ``Paragraph.split`` cuts into the parts' lines.

    Why: a paragraph split where a line ends in a hyphen is split from another breaking.
    """
    paragraph.blPara = lines


def lines_of(para_lines) -> tuple[bool, list]:
    """``(frag_lines, lines)`` of a ``breakLines`` result (``ParaLines``).

    Why: ``kind == 1`` lines are ``FragLine`` objects (several fonts); ``kind == 0`` lines
    are ``(slack, words)`` tuples (one font). Justification is adjusted on both.
    """
    return para_lines.kind == 1, para_lines.lines


def paragraph_lines(paragraph) -> list:
    """The lines of a wrapped paragraph (``Paragraph.blPara.lines``)."""
    return paragraph.blPara.lines


def line_slack(line) -> float:
    """The unused width of one broken line (``FragLine.extraSpace`` or the tuple's first item)."""
    return line[0] if isinstance(line, tuple) else line.extraSpace


def simple_line_words(line) -> list[str]:
    """The words of a one-font line, a ``(slack, words)`` tuple."""
    return line[1]


def ragged_simple_line(line) -> tuple:
    """The same one-font line drawn unjustified: ReportLab justifies a tuple only with slack > 0."""
    return (0, line[1])


def frag_line_words(line) -> list:
    """The words of a ``FragLine``: fragments, one per run of text or callback."""
    return line.words


def frag_line_texts(line) -> list[str]:
    """The texts of a ``FragLine``'s text fragments (callbacks left out)."""
    return [w.text for w in line.words if not hasattr(w, "cbDefn") and hasattr(w, "text")]


def frag_line_word_count(line) -> int:
    """``FragLine.wordCount``: how many gaps (plus one) justification spreads the slack over."""
    return line.wordCount


def set_frag_line_word_count(line, count: int) -> None:
    line.wordCount = count


def frag_line_breaks(line) -> bool:
    """``FragLine.lineBreak``: the line ends at a ``<br/>`` (or is to be drawn ragged)."""
    return bool(getattr(line, "lineBreak", False))


def set_frag_line_ragged(line) -> None:
    """Why: ReportLab does not justify a line marked as ending in a break."""
    line.lineBreak = True


def frag_line_set_extra_space(line, extra: float) -> None:
    """Set the slack ReportLab spreads over a justified ``FragLine``'s spaces (``extraSpace``).

    Why: when letter spacing takes part of a line's slack (:func:`.linebreak.spread_letters`),
    only the rest is left for the word spaces.
    """
    line.extraSpace = extra


def callback_frag(like, name: str, label: str):
    """A zero-width ``<onDraw name=NAME label=LABEL>`` fragment in ``like``'s font, to go
    into a ``FragLine``'s words: ReportLab calls the canvas's named callback there as it
    draws the line.

    Why: ReportLab has no hook inside a line while it draws a paragraph; an ``onDraw``
    fragment (``cbDefn``) in the line's words is how its own markup reaches the canvas.
    """
    frag = like.clone()
    frag.cbDefn = ABag(kind="onDraw", name=name, label=label)
    frag.text = ""
    return frag


def frag_is_decorated(frag) -> bool:
    """Whether a fragment is a link, underlined, struck or has a background (``link``,
    ``us_lines``, ``backColor``).

    Why: ReportLab places these by its own sum of the line's advances as it draws it.
    """
    return bool(getattr(frag, "link", None) or getattr(frag, "us_lines", None) or getattr(frag, "backColor", None))


def set_frag_line_words(line, words: list) -> None:
    line.words = list(words)


def text_object_in_callback(canvas):
    """The text object ReportLab is drawing a paragraph line with, inside an ``onDraw``
    callback (``canvas._curr_tx_info["tx"]``).

    Why: character spacing (``Tc``) is a text-object operator; the callback gets only the canvas.
    """
    return canvas._curr_tx_info["tx"]


# Text output (shaping.py) ------------------------------------------------------------------------


class HookedTextObject(_rl_textobject.PDFTextObject):
    """A text object whose runs are written by :meth:`format_run`.

    Why: ReportLab has no public hook for the operators of one text run; ``_formatText``
    is where a run becomes ``Tj``/``TJ``. The project writes a shaped run in pieces, some
    wrapped in ``/ActualText``: each piece through :meth:`format_plain`, ReportLab's own
    writer, which also switches the font subset when it must.
    """

    def _formatText(self, text):
        return self.format_run(text)

    def format_run(self, text) -> str:
        return self.format_plain(text)

    def format_plain(self, text, restate_font: bool = False) -> str:
        """ReportLab's operators for ``text``; with ``restate_font``, beginning with its ``Tf``.

        Why ``restate_font`` (``_curSubset = -1``): ReportLab's ``setRise`` fails on a run whose
        first glyph is raised unless an operator came before it in the same call.
        """
        if restate_font:
            self._curSubset = -1
        return super()._formatText(text)

    @property
    def current_font_name(self) -> str:
        """The font the text object draws in (``_fontname``)."""
        return self._fontname

    def setRise(self, rise) -> None:
        """ReportLab's ``setRise`` (``_code``, ``_rise``, ``_y``), without its slip.

        Why: where a ``Ts`` was just written, ReportLab replaces it (``r0 Ts r1 Ts`` becomes
        ``r1 Ts``) but does not record the new rise. A shaped run whose cluster is raised or
        lowered right after another (a Khmer word ending in a lowered vowel sign) was then
        never set back to the baseline: the rest of the line was drawn 3.5 pt low, and PDFium
        read a space before the next word.
        """
        code = f"{_rl_textobject.fp_str(rise)} Ts"
        if self._code and self._code[-1].endswith(" Ts"):
            self._y += self._rise  # the rise just written is taken back
            self._code[-1] = code
        else:
            self._code.append(code)
        self._rise = rise
        self._y -= rise


def font_file_bytes(font) -> bytes:
    """The font file a ``TTFont`` was read from (``TTFontFace._ttf_data``), for HarfBuzz.

    Why: reading the file again would cost a second parse of large CJK fonts.
    """
    return font.face._ttf_data


def add_private_glyph(font, code: int, glyph: int, width: float) -> None:
    """Map code point ``code`` to ``glyph`` in the font's cmap (``charToGlyph``/``glyphToChar``/``charWidths``).

    Why: a shaped glyph with no character of its own (a conjunct, a moved mark) is drawn
    through a private-use code point, which ReportLab subsets like any character.
    """
    face = font.face
    face.charToGlyph[code] = glyph
    face.glyphToChar.setdefault(glyph, []).append(code)
    face.charWidths[code] = width


def has_code(font, code: int) -> bool:
    return code in font.face.charToGlyph


def glyph_of(font, code: int) -> int:
    """The glyph of a code point in the font's cmap (``charToGlyph``), -1 if none."""
    return font.face.charToGlyph.get(code, -1)


def glyph_advance(font, glyph: int) -> float:
    """A glyph's advance in font units (``hmetrics``)."""
    return font.face.hmetrics[glyph][0]


def char_width(font, code: int) -> float:
    """A code point's width in 1/1000 em (``charWidths``, else ``defaultWidth``)."""
    face = font.face
    return face.charWidths.get(code, face.defaultWidth)


def font_subsets(font, document) -> list[list[int]]:
    """The subsets (lists of code points) the font has in ``document`` before they are written (``state.subsets``).

    Why: the ``/ToUnicode`` map of each subset is rewritten for the shaped glyphs.
    """
    state = font.state.get(document)
    return [list(s) for s in state.subsets] if state is not None else []


def subset_font_name(font, number: int) -> str:
    """The PDF name of subset ``number`` (``AAAAAA+Face``), as ReportLab names it in ``addObjects``."""
    face = font.face
    return b"".join((_rl_ttfonts.SUBSETN(number), b"+", face.name, face.subfontNameX)).decode("pdfdoc")


def font_file_stream(document, font, subset_name: str):
    """The font program stream ReportLab embedded for a subset (``idToObject['fontFile:FILE(NAME)']``)."""
    return document.idToObject[f"fontFile:{font.face.filename}({subset_name})"]


def font_file(stream) -> bytes:
    return stream.content


def set_font_file(stream, data: bytes) -> None:
    """Replace an embedded font program, with its ``/Length1`` (the unfiltered length)."""
    stream.content = data
    stream.dictionary["Length1"] = len(data)


def to_unicode_stream(document, subset_name: str):
    """The ``/ToUnicode`` stream ReportLab made for a subset (``idToObject['toUnicodeCMap:' + name]``)."""
    return document.idToObject["toUnicodeCMap:" + subset_name]


# Writing the file (canvas.py) ------------------------------------------------------------------------

_ENDSTREAM = b"endstream\n"


class _EndOfLineStream:
    """Mixed into a PDF stream's class: an end-of-line marker between the data and ``endstream``.

    Why: ReportLab writes ``stream\\n<data>endstream``; ISO 32000-1 7.3.8.1 wants an EOL
    after the data, not counted in ``/Length``, and PDF/A validators (PDFBox Preflight
    1.2.2, 1.2.5) reject a file without it. Only the bytes after the data change.
    """

    def format(self, document):
        out = super().format(document)
        # Always: the data's own last byte may be a newline (1 compressed stream in 128 or
        # so), which ``/Length`` counts, so it is no EOL after the data.
        if out.endswith(_ENDSTREAM):
            out = out[:-len(_ENDSTREAM)] + b"\n" + _ENDSTREAM
        return out


_EOL_CLASSES: dict[type, type] = {}
# The objects whose ``format`` writes a stream: ``PDFStream`` (page contents, fonts, ToUnicode
# maps, XMP) and the XObjects that make a ``PDFStream`` inside their own ``format`` (pictures,
# forms such as the contents page numbers), never passing it through ``Reference``.
STREAM_CLASSES = (_rl_pdfdoc.PDFStream, _rl_pdfdoc.PDFImageXObject, _rl_pdfdoc.PDFFormXObject,
                  _rl_pdfdoc.PDFPostScriptXObject)


def _with_eol(obj) -> None:
    cls = type(obj)
    if isinstance(obj, _EndOfLineStream) or not isinstance(obj, STREAM_CLASSES):
        return
    eol = _EOL_CLASSES.get(cls)
    if eol is None:
        eol = _EOL_CLASSES[cls] = type(cls.__name__, (_EndOfLineStream, cls), {"__module__": __name__})
    obj.__class__ = eol  # this one object only; the stream classes themselves are untouched


class EndOfLineDocument(_rl_pdfdoc.PDFDocument):
    """A ReportLab PDF document whose streams end with an EOL before ``endstream``.

    Every indirect object, streams included (page contents, images, fonts, forms), is
    registered through ``Reference``, also while the file is being formatted; each object
    of a :data:`STREAM_CLASSES` class gets the :class:`_EndOfLineStream` format there.
    """

    def Reference(self, obj, name=None):  # noqa: N802 - ReportLab's name
        _with_eol(obj)
        return super().Reference(obj, name)

    def format(self):
        for obj in list(self.idToObject.values()):
            _with_eol(obj)
        return super().format()


def use_end_of_line_document(canvas) -> None:
    """Make a canvas's PDF document (``Canvas._doc``, created in ``Canvas.__init__``) an :class:`EndOfLineDocument`.

    Why: ``Canvas`` builds its ``PDFDocument`` inline, with no factory to override.
    """
    document = canvas._doc
    if not isinstance(document, EndOfLineDocument):
        document.__class__ = EndOfLineDocument


# pypdf (output/pdfa.py) ------------------------------------------------------------------------------


def writer_add_object(writer, obj):
    """Add an indirect object to a ``PdfWriter`` (``_add_object``; pypdf has no public name for it).

    Why: the XMP packet, the ICC profile and the output intent are new indirect objects.
    """
    return writer._add_object(obj)


# Frames (footnotes.py): the footnote frame moves its own bottom -------------------------------------


def frame_bottom(frame) -> float:
    """The lowest y a flowable may reach in the frame (``Frame._y1p``).

    Why: footnotes raise it by the height of the notes placed on the page.
    """
    return frame._y1p


def set_frame_bottom(frame, y: float) -> None:
    frame._y1p = y


def frame_restore_bottom(frame) -> None:
    """Recompute the frame's geometry (``Frame._geom()``): its bottom comes back to the padding.

    Why: a new page starts without the room the last page's notes took.
    """
    frame._geom()


def frame_cursor(frame) -> float:
    """The y of the next flowable's top (``Frame._y``)."""
    return frame._y


def frame_at_top(frame) -> bool:
    """Nothing is placed in the frame yet (``Frame._atTop``): space before is dropped."""
    return bool(frame._atTop)


@contextmanager
def below_the_top(frame):
    """The frame as it will be once something stands at its top (``Frame._atTop`` false).

    Why: a head's look-ahead measures the block that will stand below the head; at a page top
    the block would otherwise measure (and split) as if it stood at the top itself.
    """
    at_top = frame._atTop
    frame._atTop = 0
    try:
        yield frame
    finally:
        frame._atTop = at_top


def frame_available_width(frame) -> float:
    """The width for the next flowable, indents counted (``Frame._getAvailableWidth()``)."""
    return frame._getAvailableWidth()


def frame_available_height(frame) -> float:
    """The height inside the paddings of the empty frame (``Frame._aH``)."""
    return frame._aH


def frame_space_before(frame, flowable) -> float:
    """The space ``Frame.add`` will put above ``flowable``: none at the top of the frame, and
    less the space after the flowable before when the frame collapses them (``_atTop``,
    ``_prevASpace``, ``_oASpace``, as in ``Frame._add``)."""
    if frame._atTop:
        return 0.0
    space = flowable.getSpaceBefore()
    return max(space - frame._prevASpace, 0) if frame._oASpace else space


def frame_origin(frame) -> tuple[float, float]:
    """The lower left corner inside the paddings (``_x1 + _leftPadding``, ``_y1 + _bottomPadding``)."""
    return frame._x1 + frame._leftPadding, frame._y1 + frame._bottomPadding


def paragraph_last_line_slack(paragraph) -> float:
    """The unused width of a wrapped paragraph's last line (``blPara.lines``: tuples for
    plain text, ``FragLine``s with ``extraSpace`` for mixed fragments)."""
    last = paragraph.blPara.lines[-1]
    return last[0] if isinstance(last, tuple) else last.extraSpace


# Flowables: the frame a keep-together asks about --------------------------------------------------
#
# ``KeepTogether.split`` reads ``self._frame`` (set by ``Frame.add`` while it places a flowable)
# to learn whether it stands at the top of the frame; measuring a flowable outside ``add`` must
# set it the same way.


@contextmanager
def placing_in(frame, flowable, canvas=None):
    """``flowable`` measured or split as if ``frame`` were placing it on ``canvas``.

    Nested on the same flowable (the footnote frame measures the part a split gave back,
    which may be the flowable itself), the inner one gives back what the outer one set.
    """
    attributes = ("_frame", "canv") if canvas is not None else ("_frame",)
    before = {a: flowable.__dict__[a] for a in attributes if a in flowable.__dict__}
    flowable._frame = frame
    if canvas is not None:
        flowable.canv = canvas
    try:
        yield flowable
    finally:
        for attribute in attributes:
            flowable.__dict__.pop(attribute, None)
        flowable.__dict__.update(before)


def keep_together_content(keep) -> list:
    """The flowables a ``KeepTogether`` holds (``_content``), to measure them one by one: the
    keep itself measures as 0xffffff high to force its split."""
    return list(keep._content)


def keep_moved_on(parts: list) -> list | None:
    """The children of a keep-together that ``KeepTogether.split`` sent to the next frame (it
    returns ``FrameBreak``, an instance of the private ``_FrameBreak``, and then its children
    loose), or None for any other split."""
    from reportlab.platypus.doctemplate import FrameBreak

    if len(parts) > 2 and isinstance(parts[0], type(FrameBreak)):
        return parts[1:]
    return None


def placing_frame(flowable):
    """The frame placing or splitting ``flowable`` now (``Frame.add``/``split`` set ``_frame``), or None."""
    return flowable.__dict__.get("_frame")


# Documents: laying out a story again ----------------------------------------------------------------
#
# ReportLab marks a flowable it moves to the next frame (``_postponed``) and records such
# edits through ``_multiBuildEdits`` when a document sets it (its own ``multiBuild`` does,
# to undo them between passes; the project never calls ``multiBuild``). ``render`` lays a
# story out in a single pass, and sets it so that the story is left as it was and can be
# given to ``render`` again (a test does; a saddle-stitched issue gets a new story instead).


@contextmanager
def edits_undone(doc):
    edits: list[tuple] = []
    doc._multiBuildEdits = edits.append
    try:
        yield
    finally:
        del doc._multiBuildEdits
        for undo, *arguments in edits:
            try:
                undo(*arguments)
            except AttributeError:  # a postponed mark already cleared (forget_postponed)
                pass


def table_row_heights(table) -> list[float]:
    """The row heights of a wrapped ``Table`` (``_rowHeights``), to tell a row no page could hold."""
    return list(table._rowHeights)


def count_page_content(doc) -> None:
    """Count the page being ended as one with content (``_curPageFlowableCount``): ReportLab
    stops after ten pages with no flowable on them, and a page of notes carried on from a long
    note before a picture that needs a whole page is such a page."""
    doc._curPageFlowableCount += 1


def forget_postponed(flowable) -> None:
    """Let ReportLab move ``flowable`` on to the next frame once more: it marks a flowable it has
    moved (``_postponed``) and raises ``LayoutError`` if that one does not fit the next frame
    either; a frame that gave part of its room to notes carried onto it clears the mark."""
    flowable.__dict__.pop("_postponed", None)


# Total-fit line breaking (breaking.py) ---------------------------------------------------------------
#
# The project chooses a paragraph's breaks itself (layout/totalfit.py) and gives ReportLab
# the words of each line to make that line's ``FragLine``; the words keep ReportLab's own
# split-word classes, so that a split part, or a paragraph broken again, rejoins them as
# ReportLab rejoins the words its own hyphenation cut.

_LINE_BREAK_KIND = _rl_paragraph._FK_BREAK


def is_spaced_word(word) -> bool:
    """A frag word followed by a space (``_HSFrag``).

    Why: only there is a space, where a line may end and that justification widens.
    """
    return isinstance(word, _rl_paragraph._HSFrag)


def is_line_break_word(word) -> bool:
    """The frag word of a ``<br/>`` (its fragment's ``_fkind`` is ``_FK_BREAK``).

    Why: a hard line break forces a break there.
    """
    return len(word) > 1 and getattr(word[1][0], "_fkind", None) == _LINE_BREAK_KIND


def hyphenated_pieces(word, head: list, head_width: float, tail: list, tail_width: float,
                      hyphen_added: bool) -> tuple[list, list]:
    """``word`` cut in two frag words of ReportLab's split classes: the head
    (``_SplitFragHY`` when a hyphen was added to it, which ReportLab strips on rejoining,
    else ``_SplitFragH``) and the tail (``_SplitFragHS`` when a space follows, else ``_SplitFrag``).

    Why: ``_getFragWords`` rejoins such pieces into the word when a paragraph's words are
    broken again (a split part moved to another width, a restyled paragraph), and
    ``Paragraph.split`` keeps the hyphen of a head that ends the first part.
    """
    head_class = _rl_paragraph._SplitFragHY if hyphen_added else _rl_paragraph._SplitFragH
    tail_class = _rl_paragraph._SplitFragHS if is_spaced_word(word) else _rl_paragraph._SplitFrag
    return head_class([head_width] + head), tail_class([tail_width] + tail)


def is_plain_split_part(frags) -> bool:
    """Frags of the part of a one-font paragraph that ReportLab split: one ``ParaFrag`` holding
    the part's ``words`` (strings), no ``text`` (``_split_blParaSimple``).

    Why: they are not fragments ``_getFragWords`` reads; ReportLab breaks them itself.
    """
    return len(frags) == 1 and not hasattr(frags[0], "text") and hasattr(frags[0], "words")


def is_split_head(word) -> bool:
    """A head piece of a cut word (``_SplitFragH``): more of the word follows."""
    return isinstance(word, _rl_paragraph._SplitFragH)


def plain_word(word) -> list:
    """The same frag word as a plain word (``_HSFrag`` when a space follows, else ``list``).

    Why: a line's words are handed to ReportLab's breaker as they will be drawn; its split
    classes would make it rejoin a hyphenated head, stripping the hyphen.
    """
    return _rl_paragraph._HSFrag(word) if is_spaced_word(word) else list(word)


def set_frag_line_place(line, width: float, first_word: int) -> None:
    """Give a ``FragLine`` made alone its place in the paragraph: its slack in a line of
    ``width`` (``extraSpace``, ``maxWidth``) and the index of its first word in the
    paragraph's frag words (``sFW``, which ``Paragraph.split`` cuts the words at)."""
    line.extraSpace = width - (line.maxWidth - line.extraSpace)
    line.maxWidth = width
    line.sFW = first_word


def frag_line_start(line) -> int:
    """``FragLine.sFW``: the index of the line's first frag word in the paragraph's words."""
    return line.sFW


def rebased_frag_lines(lines, offset: int) -> list:
    """Copies of ``FragLine``s whose ``sFW`` counts from word ``offset`` (a split part's words)."""
    out = []
    for line in lines:
        copy = line.clone()
        copy.sFW = line.sFW - offset
        out.append(copy)
    return out


def frag_lines(lines) -> object:
    """A ``breakLines`` result (``ParaLines(kind=1)``) holding ``lines``."""
    return _rl_paragraph.ParaLines(kind=1, lines=list(lines))


def wrap_widths(paragraph) -> list[float]:
    """The line widths the last ``wrap`` broke the paragraph for (``_wrapWidths``)."""
    return list(paragraph._wrapWidths)


@contextmanager
def own_split_words(paragraph):
    """``Paragraph.split`` turns the class of the first part's last word, when it is a
    hyphenated head, into ``_SplitFragLL`` to keep its hyphen, in place, in the words it
    shares with the paragraph. Within this block the paragraph's words are given back their
    classes afterwards, and the part its own copy of that word.

    Why: the paragraph is split again (the footnote frame tries several heights), and its
    words may be broken again; a head made ``_SplitFragLL`` would keep its hyphen there.
    """
    heads = {id(word): (word, type(word)) for word in paragraph.frags
             if isinstance(word, _rl_paragraph._SplitFragHY)}
    parts: list = []
    yield parts
    for part in parts[:1]:
        words = part.frags
        if words and id(words[-1]) in heads:
            word, klass = heads[id(words[-1])]
            if type(word) is not klass:
                words[-1] = type(word)(word)
                word.__class__ = klass


# Tagged PDF (tagging.py) ------------------------------------------------------------------------------


def canvas_code_length(canvas) -> int:
    """How many operator strings the page being drawn holds so far (``Canvas._code``).

    Why: a marked-content sequence is begun before the frame knows whether a flowable fits;
    when it does not, the sequence's opening operator is taken back (:func:`truncate_canvas_code`).
    """
    return len(canvas._code)


def truncate_canvas_code(canvas, length: int) -> None:
    del canvas._code[length:]


def insert_canvas_code(canvas, index: int, operators: str) -> None:
    """Put ``operators`` into the page being drawn before its ``index``-th operator string.

    Why: a page's flowables are moved down after it is filled (``bottoms.spread``), by a
    translation around what each drew.
    """
    canvas._code.insert(index, operators)


def annotation_count(canvas) -> int:
    """How many annotations the page being drawn holds so far (``Canvas._annotationrefs``)."""
    return len(canvas._annotationrefs)


def shift_annotation(canvas, index: int, dy: float) -> None:
    """Move the page's ``index``-th annotation's active area (``/Rect``) by ``dy``.

    Why: a link moves with the flowable whose text it covers when the page is spread
    (``bottoms.spread``); ``linkURL`` keeps the rectangle as a ``PDFArray`` in a dictionary,
    ``linkRect`` as a ``LinkAnnotation``'s ``Rect``.
    """
    annotation = canvas._doc.idToObject[canvas._annotationrefs[index].name]
    if hasattr(annotation, "Rect"):
        x1, y1, x2, y2 = annotation.Rect
        annotation.Rect = (x1, y1 + dy, x2, y2 + dy)
    else:
        rect = annotation.dict["Rect"].sequence
        rect[1] += dy
        rect[3] += dy


def write_structure(canvas, tagger) -> None:
    """Write the tagger's structure tree into the canvas's PDF document, before it is saved:
    ``/StructTreeRoot`` with its ``/ParentTree``, ``/MarkInfo``, and on each page
    ``/StructParents`` and ``/Tabs /S``.

    Why: ReportLab has no structure; its catalog takes ``StructTreeRoot`` and ``MarkInfo``
    as attributes, but its page dictionaries write only the keys their class lists
    (``PDFPage.__NoDefault__``), so each page gets a longer list of its own.
    """
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString, PDFtrue

    document = canvas._doc
    pages = document.Pages.pages
    page_refs = [document.Reference(page) for page in pages]
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = document.Reference(root)
    elements = list(tagger.root.walk())
    # (``/Type`` is optional on elements and content references: left out, it saves a tenth of the file.)
    dictionaries = {id(e): PDFDictionary({"S": PDFName(e.role)}) for e in elements}
    refs = {id(e): document.Reference(dictionaries[id(e)]) for e in elements}
    for element in elements:
        entry = dictionaries[id(element)].dict
        entry["P"] = refs[id(element.parent)] if element.parent is not None else root_ref
        sequences = tagger.sequences(element)
        if sequences and len({m.page for m in sequences}) == 1:
            entry["Pg"] = page_refs[sequences[0].page - 1]  # all on one page: the MCIDs alone
            kids = [m.mcid for m in sequences]
        else:
            kids = [PDFDictionary({"Type": PDFName("MCR"), "Pg": page_refs[m.page - 1], "MCID": m.mcid})
                    for m in sequences]
        kids += [refs[id(child)] for child in element.children]
        entry["K"] = PDFArray(kids)
        if element.alt is not None:
            entry["Alt"] = PDFString(element.alt)
        if element.lang is not None:
            entry["Lang"] = PDFString(element.lang)
        if element.identifier is not None:
            entry["ID"] = PDFString(element.identifier)
        if element.scope is not None:
            entry["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(element.scope)})
    # Each link annotation: a Link element in the element its text is in, owning the annotation
    # (an object reference, OBJR), which points back through its /StructParent.
    link_keys = []
    for key, link in enumerate(tagger.links, start=len(pages)):
        element = PDFDictionary({"S": PDFName("Link"), "P": refs[id(link.parent)],
                                 "Pg": page_refs[link.page - 1]})
        element_ref = document.Reference(element)
        element.dict["K"] = PDFArray([PDFDictionary({"Type": PDFName("OBJR"), "Obj": link.reference})])
        parent = dictionaries[id(link.parent)].dict
        parent["K"] = PDFArray([*parent["K"].sequence, element_ref]) if "K" in parent else PDFArray([element_ref])
        _set_annotation_key(link.annotation, "StructParent", key)
        link_keys += [key, element_ref]
    numbers = []
    for index, page in enumerate(pages):
        owners = tagger.owners.get(index + 1, [])
        page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents", "Tabs"]
        page.Tabs = PDFName("S")
        if owners:
            page.StructParents = index
            numbers += [index, PDFArray([refs[id(owner)] for owner in owners])]
    root.dict["K"] = PDFArray([refs[id(tagger.root)]])
    root.dict["ParentTree"] = PDFDictionary({"Nums": PDFArray(numbers + link_keys)})
    root.dict["ParentTreeNextKey"] = len(pages) + len(tagger.links)
    document.Catalog.StructTreeRoot = root
    document.Catalog.MarkInfo = PDFDictionary({"Marked": PDFtrue})


def last_annotation(canvas):
    """The annotation the canvas added last (a link), and a reference to it.

    Why: ``linkRect`` and ``linkURL`` return nothing; the tagged PDF's Link element must point
    at the annotation, and the annotation back at it (``/StructParent``).
    """
    reference = canvas._annotationrefs[-1]
    return reference, canvas._doc.idToObject[reference.name]


def _set_annotation_key(annotation, key: str, value) -> None:
    """Add ``key`` to an annotation ReportLab made: a plain dictionary (``linkURL``) takes any key,
    a ``LinkAnnotation`` (``linkRect``) only those its class permits."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary

    if isinstance(annotation, PDFDictionary):
        annotation.dict[key] = value
    else:
        annotation.otherkw[key] = value
        annotation.permitted = (*type(annotation).permitted, key)
