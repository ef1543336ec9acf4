"""Guards for every ReportLab / pypdf internal the pipeline uses (all in ``layout/compat.py``).

Each test exercises one accessor on real objects and fails with the internal's name and
the pinned version when an upgrade changes it. After an upgrade: run this file, fix
``compat.py`` where it says, and only then the rest.
"""

from __future__ import annotations

import io

import pypdf
import pytest
import reportlab
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepTogether, Spacer

from newsletter_pdf.layout import compat
from newsletter_pdf.layout.canvas import ProjectCanvas
from newsletter_pdf.layout.fonts import SERIF, FontFallback, register_text_faces
from newsletter_pdf.layout.paragraph import Paragraph


def guard(condition, name: str, package: str = "reportlab") -> None:
    pin, version = ((compat.REPORTLAB_PIN, reportlab.Version) if package == "reportlab"
                    else (compat.PYPDF_PIN, pypdf.__version__))
    assert condition, (f"{package} internal {name!r} changed: written for {package}=={pin}, "
                       f"running {version}; fix newsletter_pdf/layout/compat.py")


@pytest.fixture(scope="module")
def style():
    register_text_faces()
    return ParagraphStyle("t", fontName=SERIF, fontSize=10, leading=12)


def test_versions_are_the_pinned_ones():
    guard(reportlab.Version == compat.REPORTLAB_PIN, "reportlab.Version")
    guard(pypdf.__version__ == compat.PYPDF_PIN, "pypdf.__version__", "pypdf")


# Paragraphs -------------------------------------------------------------------------------------------

def test_frag_words_and_processed_frags(style):
    paragraph = Paragraph('one <b>two</b> three<onDraw name="x" label="k"/>', style)
    frags = compat.paragraph_frags(paragraph)
    guard(not compat.frags_are_words(frags), "_processed_frags (parsed frags)")
    words = compat.frag_words(frags, 100)
    guard(isinstance(words, list) and all(isinstance(w[0], (int, float)) for w in words), "_getFragWords")
    guard([t for w in words for _, t in w[1:] if t] == ["one", "two", "three"], "_getFragWords (word texts)")
    guard(compat.frags_are_words(words), "_processed_frags (frag words)")
    guard(any(compat.frag_callback_name(f) == "x" for w in words for f, _ in w[1:]), "cbDefn.name")
    guard(any(compat.frag_callback_label(f) == "k" for w in words for f, _ in w[1:]), "cbDefn.label")
    guard(all(compat.frag_callback_width(f) == 0 for w in words for f, _ in w[1:]), "cbDefn.width")


def test_breaklines_takes_ready_made_frag_words(style):
    """The project's word splitting reaches ReportLab's line breaker as ready-made frag words."""
    import reportlab.platypus.paragraph as rl_paragraph

    guard("_getFragWords" in rl_paragraph.Paragraph.breakLines.__code__.co_names, "Paragraph.breakLines -> _getFragWords")
    paragraph = rl_paragraph.Paragraph("alpha <b>beta</b> gamma delta", style)
    words = compat.frag_words(compat.paragraph_frags(paragraph), 40)
    compat.set_paragraph_frags(paragraph, words)
    lines = paragraph.breakLines([40, 40])
    frag_lines, found = compat.lines_of(lines)
    guard(frag_lines and len(found) >= 2, "Paragraph.breakLines with processed frags (ParaLines.kind/lines)")


def test_soft_hyphen_words(style):
    words = compat.frag_words(compat.paragraph_frags(Paragraph("hy\u00adphen <b>x</b>", style)))
    guard(any(compat.is_soft_hyphen_word(w) for w in words), "_SHYWord")


def test_total_fit_word_classes(style):
    """The classes of frag words the total-fit breaker reads and makes (``breaking.py``)."""
    from reportlab.platypus.paragraph import Paragraph as PlatypusParagraph

    words = compat.frag_words(compat.paragraph_frags(Paragraph("one<br/>two three", style)))
    guard([compat.is_spaced_word(w) for w in words if w[1][1]] == [False, True, False], "_HSFrag")
    guard(any(compat.is_line_break_word(w) for w in words), "_fkind == _FK_BREAK (<br/>)")
    spaced = next(w for w in words if compat.is_spaced_word(w))
    frag = spaced[1][0]
    head, tail = compat.hyphenated_pieces(spaced, [(frag, "tw-")], 10.0, [(frag, "o")], 5.0, True)
    guard(compat.is_split_head(head) and not compat.is_split_head(tail), "_SplitFragH / _SplitFrag")
    guard(compat.is_spaced_word(tail), "_SplitFragHS (a tail followed by a space)")
    guard(type(compat.plain_word(head)) is list and compat.is_spaced_word(compat.plain_word(spaced)),
          "plain words (list, _HSFrag)")
    rejoined = compat.frag_words([head, tail])
    guard([t for w in rejoined for _, t in w[1:]] == ["two"], "_getFragWords rejoins a hyphenated head and tail")
    # A line made alone, placed in its width, split off with its first word's index.
    paragraph = PlatypusParagraph("alpha beta gamma", style)
    compat.set_paragraph_frags(paragraph, compat.frag_words(compat.paragraph_frags(paragraph)))
    frag_lines, lines = compat.lines_of(paragraph.breakLines([1000.0]))
    guard(frag_lines and len(lines) == 1, "Paragraph.breakLines of processed frags in a wide line")
    line = lines[0]
    natural = 1000.0 - compat.line_slack(line)
    compat.set_frag_line_place(line, 100.0, 3)
    guard(abs(compat.line_slack(line) - (100.0 - natural)) < 1e-9 and line.maxWidth == 100.0,
          "FragLine.extraSpace/maxWidth")
    guard(compat.frag_line_start(line) == 3, "FragLine.sFW")
    guard(compat.frag_line_start(compat.rebased_frag_lines([line], 2)[0]) == 1 and compat.frag_line_start(line) == 3,
          "FragLine.clone (sFW rebased on a copy)")
    guard(compat.lines_of(compat.frag_lines([line]))[0], "ParaLines(kind=1)")


def test_plain_split_part(style):
    from reportlab.platypus.paragraph import Paragraph as PlatypusParagraph

    paragraph = PlatypusParagraph("one two three four five six seven", style)
    paragraph.wrap(40, 1000)
    _, second = paragraph.split(40, 2 * style.leading + 0.1)
    guard(compat.is_plain_split_part(compat.paragraph_frags(second)), "_split_blParaSimple (ParaFrag.words)")
    guard(not compat.is_plain_split_part(compat.paragraph_frags(Paragraph("one", style))), "ParaFrag.text")


def test_split_keeps_the_paragraphs_words(style):
    """``Paragraph.split`` turns a hyphenated head ending the first part into ``_SplitFragLL`` in
    place; ``own_split_words`` gives the paragraph its word back."""
    justified = ParagraphStyle("j", parent=style, alignment=4, hyphenationLang="en_GB")
    text = " ".join(["extraordinarily"] * 40)
    for width in range(60, 200, 7):
        paragraph = Paragraph(text, justified)
        paragraph.wrap(width, 10000)
        heads = [w for w in compat.paragraph_frags(paragraph) if compat.is_split_head(w)]
        if not heads:
            continue
        before = {id(w): type(w) for w in compat.paragraph_frags(paragraph)}
        for lines in range(2, 6):
            paragraph.split(width, lines * justified.leading + 0.1)
        guard(all(type(w) is before[id(w)] for w in compat.paragraph_frags(paragraph)),
              "Paragraph.split changing the class of a shared frag word (_SplitFragLL)")
        guard(compat.wrap_widths(paragraph)[0] == width, "Paragraph._wrapWidths")
        return
    pytest.fail("no hyphenated line found to split")


def test_broken_lines_and_line_fields(style):
    paragraph = Paragraph("a b c d e f g h i j k l m n o p", style)
    guard(not compat.is_broken(paragraph), "Paragraph.blPara (before wrap)")
    paragraph.wrap(40, 1000)
    guard(compat.is_broken(paragraph), "Paragraph.blPara")
    frag_lines, lines = compat.lines_of(compat.broken_lines(paragraph))
    guard(not frag_lines and isinstance(lines[0], tuple), "ParaLines kind 0: (slack, words)")
    guard(isinstance(compat.line_slack(lines[0]), (int, float)), "kind 0 line slack")
    guard(all(isinstance(w, str) for w in compat.simple_line_words(lines[0])), "kind 0 line words")
    guard(compat.ragged_simple_line(lines[0]) == (0, lines[0][1]), "kind 0 ragged line")
    guard(compat.paragraph_lines(paragraph) is lines, "Paragraph.blPara.lines")

    mixed = Paragraph("a <b>b</b> c d e f g h i j k l m n o p", style)
    mixed.wrap(40, 1000)
    frag_lines, lines = compat.lines_of(compat.broken_lines(mixed))
    guard(frag_lines, "ParaLines kind 1")
    line = lines[0]
    guard(compat.frag_line_texts(line) and all(isinstance(t, str) for t in compat.frag_line_texts(line)),
          "FragLine.words[].text")
    guard(isinstance(compat.frag_line_word_count(line), int), "FragLine.wordCount")
    guard(isinstance(compat.line_slack(line), (int, float)), "FragLine.extraSpace")
    guard(compat.frag_line_breaks(line) is False, "FragLine.lineBreak")
    compat.set_frag_line_ragged(line)
    compat.set_frag_line_word_count(line, 3)
    guard(line.lineBreak and line.wordCount == 3, "FragLine.lineBreak / wordCount (set)")


def test_line_callbacks_reach_the_text_object_with_the_line_extra_space(style):
    """A callback fragment put into a drawn line's words is called with the text object
    drawing it, where it stands in the line; the line's slack is what Tw spreads."""
    paragraph = Paragraph("a <b>b</b> c d e f g h i j k l m n o p", style)
    paragraph.wrap(40, 1000)
    _, lines = compat.lines_of(compat.broken_lines(paragraph))
    line = lines[0]
    words = compat.frag_line_words(line)
    compat.set_frag_line_words(line, [compat.callback_frag(words[0], "probe", "start")] + words
                               + [compat.callback_frag(words[0], "probe", "end")])
    compat.frag_line_set_extra_space(line, 4.0)
    guard(compat.line_slack(line) == 4.0, "FragLine.extraSpace (set)")
    seen = []

    def probe(canvas, kind, label):
        text = compat.text_object_in_callback(canvas)
        seen.append((kind, label, type(text).__name__))
        text.setCharSpace(0.5 if label == "start" else 0)

    canvas = Canvas(io.BytesIO(), pageCompression=0)
    canvas.setNamedCB("probe", probe)
    paragraph.drawOn(canvas, 0, 0)
    guard(seen == [("onDraw", "start", "PDFTextObject"), ("onDraw", "end", "PDFTextObject")],
          "_putFragLine: cbDefn words call getNamedCB with canvas._curr_tx_info")
    canvas.showPage()
    guard(b" .5 Tc" in canvas.getpdfdata(), "PDFTextObject.setCharSpace")


def test_decorated_fragments(style):
    paragraph = Paragraph('plain <a href="https://example.org">link</a> <u>under</u> '
                          '<span backColor="yellow">marked</span> words', style)
    paragraph.wrap(400, 1000)
    _, lines = compat.lines_of(compat.broken_lines(paragraph))
    decorated = {w.text.strip(): compat.frag_is_decorated(w) for w in compat.frag_line_words(lines[0])
                 if w.text.strip()}
    guard(decorated == {"plain": False, "link": True, "under": True, "marked": True, "words": False},
          "ParaFrag.link / us_lines / backColor")


def test_split_parts_stay_project_paragraphs_and_keep_their_labels(style):
    text = " ".join(f"word{i}" for i in range(40)) + '<onDraw name="fnref" label="n1"/> end'
    paragraph = Paragraph(text, style)
    paragraph.wrap(60, 1000)
    parts = paragraph.split(60, 36)
    guard(len(parts) == 2 and all(type(p) is Paragraph for p in parts), "Paragraph.split via self.__class__")
    labels = [compat.paragraph_callback_labels(p, "fnref") for p in parts]
    guard(labels == [[], ["n1"]], "split frags: nested frag words with cbDefn")
    guard(compat.paragraph_callback_labels(paragraph, "fnref") == ["n1"], "frags with cbDefn")


# Text output and fonts ---------------------------------------------------------------------------------

def test_text_object_format_hook_and_font_name():
    seen = []

    class Probe(compat.HookedTextObject):
        def format_run(self, text):
            seen.append((text, self.current_font_name))
            return self.format_plain(text[:2]) + " " + self.format_plain(text[2:])

    canvas = Canvas(io.BytesIO())
    text = Probe(canvas, 10, 10)
    text.setFont("Helvetica", 10)
    text.textOut("hello")
    guard(seen == [("hello", "Helvetica")], "PDFTextObject._formatText / _fontname")
    guard("(he) Tj (llo) Tj" in text.getCode(), "PDFTextObject._formatText writes one run's operators")


def test_a_rise_written_over_another_is_recorded_and_set_back():
    """Two rises in a row (``r0 Ts r1 Ts`` written as ``r1 Ts``) and then the baseline again."""
    canvas = Canvas(io.BytesIO())
    text = compat.HookedTextObject(canvas, 10, 10)
    text.setFont("Helvetica", 10)
    guard(text._rise == 0 and isinstance(text._code, list), "PDFTextObject._rise / _code")
    text.setRise(-1)
    text.setRise(0)
    text.setRise(-3.5)  # replaces the "0 Ts" just written
    guard(text._rise == -3.5 and text._code[-1] == "-3.5 Ts", "PDFTextObject.setRise replaces a Ts just written")
    text.textOut("x")
    text.setRise(0)
    guard("-3.5 Ts (x) Tj 0 Ts" in text.getCode(), "the baseline is set back after a replaced rise")


def test_font_internals():
    from reportlab.pdfbase.pdfmetrics import getFont

    from newsletter_pdf.layout.fonts import FALLBACKS, register

    register(FALLBACKS["thai"])

    font = getFont("NotoSerifThai")
    guard(compat.font_file_bytes(font)[:4] in (b"\x00\x01\x00\x00", b"true"), "TTFontFace._ttf_data")
    glyph = compat.glyph_of(font, ord("\u0e01"))
    guard(glyph > 0 and compat.has_code(font, ord("\u0e01")), "TTFontFace.charToGlyph")
    guard(compat.glyph_advance(font, glyph) > 0, "TTFontFace.hmetrics")
    guard(compat.char_width(font, ord("\u0e01")) > 0, "TTFontFace.charWidths")
    guard(compat.char_width(font, 0x10FFFD) == font.face.defaultWidth, "TTFontFace.defaultWidth")
    code = 0xF8F0
    compat.add_private_glyph(font, code, glyph, 500.0)
    guard(compat.glyph_of(font, code) == glyph and code in font.face.glyphToChar[glyph], "TTFontFace.glyphToChar")
    guard(compat.subset_font_name(font, 0) == "AAAAAA+" + font.face.name.decode() + font.face.subfontNameX.decode(),
          "SUBSETN / face.name / subfontNameX")


def test_font_subsets_and_to_unicode_stream():
    FontFallback("en")
    from reportlab.pdfbase.pdfmetrics import getFont

    canvas = Canvas(io.BytesIO())
    canvas.setFont(SERIF, 10)
    canvas.drawString(10, 10, "abc")
    canvas.showPage()
    font = getFont(SERIF)
    document = canvas._doc
    subsets = compat.font_subsets(font, document)
    guard(subsets and set(map(ord, "abc")) <= set(subsets[0]), "TTFont.state[doc].subsets")
    font.addObjects(document)
    stream = compat.to_unicode_stream(document, compat.subset_font_name(font, 0))
    guard(hasattr(stream, "content"), "idToObject['toUnicodeCMap:' + name]")
    font_file = compat.font_file_stream(document, font, compat.subset_font_name(font, 0))
    program = compat.font_file(font_file)
    guard(program[:4] == b"\x00\x01\x00\x00" and font_file.dictionary["Length1"] == len(program),
          "idToObject['fontFile:FILE(NAME)'].content / Length1")
    compat.set_font_file(font_file, program + b"\x00\x00\x00\x00")
    guard(font_file.dictionary["Length1"] == len(program) + 4, "PDFStream.dictionary['Length1']")


# Writing the file ---------------------------------------------------------------------------------------

def test_reportlab_still_writes_no_eol_before_endstream():
    """If this fails, ReportLab writes the EOL itself: drop EndOfLineDocument from compat.py."""
    from reportlab.pdfbase.pdfdoc import PDFDocument, PDFStream

    out = PDFStream(content=b"abc", filters=[]).format(PDFDocument())
    guard(out.endswith(b"\nstream\nabcendstream\n"), "PDFStream.format layout")


def test_end_of_line_document_on_a_canvas():
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    canvas = ProjectCanvas(io.BytesIO())
    guard(isinstance(canvas._doc, compat.EndOfLineDocument), "Canvas._doc")
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "JPEG")
    canvas.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 0, 0, 10, 10)
    canvas.beginForm("f")
    canvas.drawString(0, 0, "x")
    canvas.endForm()
    canvas.doForm("f")
    canvas.showPage()
    data = canvas.getpdfdata()
    guard(data.count(b"endstream") >= 3, "streams written")
    guard(data.count(b"endstream") == data.count(b"\nendstream"), "EOL before every endstream "
          "(PDFDocument.Reference / PDFStream, PDFImageXObject, PDFFormXObject format)")


# Frames, tables, lists (the lead's modules) -----------------------------------------------------------------

def test_frame_internals(style):
    frame = Frame(10, 20, 200, 300, leftPadding=5, bottomPadding=7, rightPadding=3, topPadding=4)
    guard(compat.frame_origin(frame) == (15, 27), "Frame._x1/_y1/_leftPadding/_bottomPadding")
    guard(compat.frame_bottom(frame) == 27, "Frame._y1p")
    guard(compat.frame_cursor(frame) == 316, "Frame._y")
    guard(compat.frame_available_width(frame) == 192, "Frame._getAvailableWidth")
    guard(compat.frame_available_height(frame) == 289, "Frame._aH")
    guard(compat.frame_at_top(frame), "Frame._atTop")
    with compat.below_the_top(frame):
        guard(not compat.frame_at_top(frame), "Frame._atTop (set false for a look-ahead below a head)")
    guard(compat.frame_at_top(frame), "Frame._atTop (given back)")
    compat.set_frame_bottom(frame, 37)
    guard(frame._y1p == 37, "Frame._y1p (set)")
    compat.frame_restore_bottom(frame)
    guard(compat.frame_bottom(frame) == 27, "Frame._geom")
    canvas = Canvas(io.BytesIO())
    first = Paragraph("one", ParagraphStyle("s", parent=style, spaceAfter=6, spaceBefore=4))
    guard(compat.frame_space_before(frame, first) == 0, "Frame._atTop (space before at the top)")
    guard(frame.add(first, canvas), "Frame.add")
    guard(not compat.frame_at_top(frame) and frame._prevASpace == 6, "Frame._atTop/_prevASpace")
    second = Paragraph("two", ParagraphStyle("s2", parent=style, spaceBefore=10))
    expected = 4 if frame._oASpace else 10
    guard(compat.frame_space_before(frame, second) == expected, "Frame._oASpace / _prevASpace")
    guard(compat.frame_cursor(frame) < 316, "Frame._y (after add)")
    guard(hasattr(Frame, "_reset") and "_atTop" in Frame._reset.__code__.co_names, "Frame._reset (FootnoteFrame overrides it)")


def test_a_flowable_knows_the_frame_placing_it(style):
    frame = Frame(0, 0, 200, 300)
    seen = []

    class Probe(Spacer):
        def wrap(self, available_width, available_height):
            seen.append(compat.placing_frame(self))
            return super().wrap(available_width, available_height)

    probe = Probe(10, 10)
    frame.add(probe, Canvas(io.BytesIO()))
    guard(seen == [frame], "Frame._add sets flowable._frame")
    guard(compat.placing_frame(probe) is None, "Frame._add removes flowable._frame")
    with compat.placing_in(frame, probe):
        guard(compat.placing_frame(probe) is frame, "flowable._frame (set)")
        with compat.placing_in(frame, probe):  # nested, as FootnoteFrame._shorten measures a part that is the whole
            pass
        guard(compat.placing_frame(probe) is frame, "flowable._frame (kept by a nested placing_in)")
    guard(compat.placing_frame(probe) is None, "flowable._frame (removed)")
    # KeepTogether asks the frame placing it whether it stands at the top (FootnoteFrame measures
    # a keep the same way, through placing_in).
    import inspect

    guard("_frame" in inspect.getsource(KeepTogether.split) and "_atTop" in inspect.getsource(KeepTogether.split),
          "KeepTogether.split reads _frame._atTop")


def test_keep_together_content():
    children = [Spacer(10, 30), Spacer(10, 20)]
    guard(compat.keep_together_content(KeepTogether(children)) == children, "KeepTogether._content")


def test_a_keep_together_that_moves_on():
    import inspect

    from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

    source = inspect.getsource(KeepTogether.split)
    guard("S.insert(0,(self.FrameBreak if fb else self.NullActionFlowable)())" in source
          and "S = self._content[:]" in source, "KeepTogether.split gives FrameBreak + its children")
    children = [Spacer(10, 30), Spacer(10, 30)]
    guard(KeepTogether(children).FrameBreak is FrameBreak, "KeepTogether.FrameBreak")
    guard(compat.keep_moved_on([FrameBreak(), *children]) == children, "FrameBreak() is a _FrameBreak")
    guard(compat.keep_moved_on([NullActionFlowable(), *children]) is None, "NullActionFlowable is no _FrameBreak")


def test_count_page_content():
    import inspect

    from reportlab.platypus.doctemplate import BaseDocTemplate

    guard("if self._curPageFlowableCount == 0:" in inspect.getsource(BaseDocTemplate.handle_pageEnd),
          "BaseDocTemplate.handle_pageEnd counts _curPageFlowableCount")
    doc = BaseDocTemplate(io.BytesIO())
    doc._curPageFlowableCount = 0
    compat.count_page_content(doc)
    guard(doc._curPageFlowableCount == 1, "BaseDocTemplate._curPageFlowableCount")


def test_forget_postponed():
    import inspect

    from reportlab.platypus.doctemplate import BaseDocTemplate

    source = inspect.getsource(BaseDocTemplate.handle_flowable)
    guard("_postponed" in source and "too large" in source, "BaseDocTemplate.handle_flowable's _postponed mark")
    flowable = Spacer(1, 1)
    flowable._postponed = 1
    compat.forget_postponed(flowable)
    guard(not hasattr(flowable, "_postponed"), "Flowable._postponed (cleared)")


def test_table_row_heights(style):
    from newsletter_pdf.layout.tables import Table

    table = Table([["a", Paragraph(" ".join(["word"] * 80), style)], ["b", "c"]], colWidths=[50, 100])
    table.wrap(150, 1000)
    heights = compat.table_row_heights(table)
    guard(len(heights) == 2 and heights[0] > heights[1] > 0, "Table._rowHeights")


def test_paragraph_last_line_slack(style):
    paragraph = Paragraph("one two three", style)
    paragraph.wrap(200, 100)
    slack = compat.paragraph_last_line_slack(paragraph)
    guard(0 < slack < 200, "Paragraph.blPara.lines (slack of the last line)")


def test_a_story_is_left_as_it_was_after_a_build(style):
    from reportlab.platypus import SimpleDocTemplate

    tall = Spacer(10, 100)  # does not split: moved to the next page, marked as postponed
    story = [Spacer(10, 650), tall]
    doc = SimpleDocTemplate(io.BytesIO())
    with compat.edits_undone(doc):
        doc.build(list(story))
    guard(not hasattr(story[0], "_postponed") and not hasattr(tall, "_postponed"),
          "BaseDocTemplate._multiBuildEdits (undo of _postponed)")


# pypdf ------------------------------------------------------------------------------------------------------

def test_pypdf_writer_add_object():
    from pypdf import PdfWriter
    from pypdf.generic import IndirectObject, NumberObject

    writer = PdfWriter()
    reference = compat.writer_add_object(writer, NumberObject(5))
    guard(isinstance(reference, IndirectObject) and reference.get_object() == 5, "PdfWriter._add_object", "pypdf")
    guard(writer.root_object is not None, "PdfWriter.root_object", "pypdf")


def test_canvas_code_insertion_and_annotation_rects():
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "moved")
    start = compat.canvas_code_length(canvas)
    canvas.linkURL("https://example.org", (100, 690, 200, 710), relative=0)
    canvas.linkRect("", "dest", (100, 600, 200, 620), relative=0)
    canvas.bookmarkPage("dest")
    guard(compat.annotation_count(canvas) == 2, "Canvas._annotationrefs")
    compat.shift_annotation(canvas, 0, -10)  # linkURL: a dictionary with a PDFArray /Rect
    compat.shift_annotation(canvas, 1, -10)  # linkRect: a LinkAnnotation's Rect
    compat.insert_canvas_code(canvas, start, "% inserted")
    guard(canvas._code[start] == "% inserted", "Canvas._code")
    canvas.showPage()
    canvas.save()
    page = pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    rects = sorted([float(v) for v in a.get_object()["/Rect"]] for a in page["/Annots"])
    guard(rects == [[100, 590, 200, 610], [100, 680, 200, 700]], "Canvas._doc.idToObject / annotation Rect")
    guard(b"% inserted" in page.get_contents().get_data(), "Canvas._code")
