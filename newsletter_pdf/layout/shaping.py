"""OpenType shaping (HarfBuzz) for the scripts that need it: Thai marks, Devanagari conjuncts.

ReportLab 5.1 can shape whole paragraphs (``ParagraphStyle(shaping=1)``), but it shapes
a word that mixes fonts with the first font's glyph ids, maps glyphs that have no
character to private-use code points that extract as nothing, and its long-word split
draws those as boxes. So the pipeline shapes only the runs set in a face that needs it,
one run in one font at a time, and keeps the text extractable in every reader.

Readers get a glyph's text in two ways. Mozilla's pdf.js (Firefox) reads only each
glyph's ``/ToUnicode`` entry, in the order the glyphs are drawn; PDFium (Chrome), poppler,
MuPDF and Acrobat read a marked-content span's ``/ActualText`` instead of its glyphs,
and order other glyphs partly by position. So, cluster by cluster (HarfBuzz's unit: a
base letter with its marks, a conjunct):

* a glyph that is its character's own glyph, in order, is drawn as that character;
* any other glyph gets a private code point of its own in :class:`ShapedTTFont`, whose
  ``/ToUnicode`` entry is the text it stands for: a ligature or conjunct its whole
  cluster, a variant form (a lowered Thai tone mark) its character;
* where glyphs and characters do not pair off in order (a vowel drawn before its
  consonant, a vowel split in two, more glyphs than characters) the cluster's text is
  shared out over its glyphs in drawn order, so that pdf.js reads the cluster right. A
  glyph left over gets WORD JOINER (U+2060): a format character, which pdf.js skips; no
  entry is ever empty, which pdf.js shows as the code itself and MuPDF as U+FFFD;
* and every shaped run is a ``/Span`` with ``/ActualText``, its logical text, for the
  readers that order glyphs by position (see :class:`ShapedTextObject`).

The result is ReportLab's own ``ShapedStr``, which its text object draws with the
HarfBuzz offsets as ``TJ`` adjustments. A glyph HarfBuzz raises or lowers gets a private
code point too, whose glyph in the embedded subset is a moved copy (a composite glyph added
with fontTools, ``finish_subset``): drawn on the baseline, a run needs no rise (``Ts``),
which would start a second text object (see :class:`ShapedTextObject`). The font's cmap, metrics and subsets are
reached through :mod:`.compat`; :class:`ShapedTextObject` (made by the project's canvas,
``canvas.py``) writes the spans (one helper, :func:`actual_text_span`), and :class:`ExtractableTTFont` the ``/ToUnicode`` maps.
"""

from __future__ import annotations

import unicodedata

import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont

from . import compat
from .languages import language_of

_PRIVATE_FIRST, _PRIVATE_LAST = 0xE000, 0xF8FF
LEFT_OVER = "\u2060"  # WORD JOINER: the /ToUnicode text of a glyph whose cluster's text went to the others


class ExtractableTTFont(TTFont):
    """A TrueType font whose ``/ToUnicode`` maps hold only the codes its subsets use.

    ReportLab maps each unused code of a subset to U+0000, a control character; a
    subset's codes are written again here with each code's text (``text_of``).
    """

    def text_of(self, code: int) -> str:
        return chr(code)

    def addObjects(self, doc) -> None:  # noqa: N802 - ReportLab's name
        subsets = compat.font_subsets(self, doc)
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = compat.subset_font_name(self, n)
            compat.to_unicode_stream(doc, base).content = _to_unicode_cmap(base, subset, self.text_of)
            self.finish_subset(doc, base, subset)

    def finish_subset(self, doc, base: str, subset: list[int]) -> None:
        """Anything the embedded subset ``base`` (its code points, by code) needs beyond ReportLab's."""


class ShapedTTFont(ExtractableTTFont):
    """A TrueType font whose runs are shaped with HarfBuzz, with extractable shaped glyphs."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename, shapable=True)
        # Attribute names of this subclass start with ``hb_``/``shaped_``: none of ReportLab's.
        self.hb_face = uharfbuzz.Face(uharfbuzz.Blob(compat.font_file_bytes(self)))
        self.hb_font = uharfbuzz.Font(self.hb_face)
        self.shaped_upem = self.hb_face.upem
        self.shaped_private: dict[tuple[int, str], int] = {}  # (glyph, its share of the text) -> code point
        self.to_unicode: dict[int, str] = {}  # private code point -> its /ToUnicode text
        self.shaped_share: dict[int, str] = {}  # private code point -> its share of the text ("" for none)
        self.shaped_next_private = _PRIVATE_FIRST
        self.shaped_nominal: dict[str, int] = {}
        # Private code point -> how far (font units) its glyph is raised (+) or lowered (-): a
        # glyph HarfBuzz moves up or down is drawn as a copy moved in the font (``finish_subset``),
        # on the baseline, so that a run is one text object (see ShapedTextObject).
        self.shaped_rise: dict[int, int] = {}
        # The glyph that carries text no drawn glyph can: ZERO WIDTH SPACE's, if it is empty and has no advance.
        carrier = compat.glyph_of(self, 0x200B)
        self.shaped_carrier = carrier if carrier > 0 and compat.glyph_advance(self, carrier) == 0 else None

    def text_of(self, code: int) -> str:
        return self.to_unicode.get(code) or chr(code)

    def nominal_glyph(self, char: str) -> int:
        glyph = self.shaped_nominal.get(char)
        if glyph is None:
            glyph = self.shaped_nominal[char] = compat.glyph_of(self, ord(char))
        return glyph

    def private_char(self, glyph: int, text: str, rise: int = 0) -> str:
        """The private code point that draws ``glyph`` (raised by ``rise`` font units) and stands for ``text``."""
        key = (glyph, text, rise)
        code = self.shaped_private.get(key)
        if code is None:
            code = self.shaped_next_private
            while compat.has_code(self, code):
                code += 1
            if code > _PRIVATE_LAST:
                raise ValueError(f"font {self.fontName}: too many distinct shaped glyphs")
            self.shaped_next_private = code + 1
            self.shaped_private[key] = code
            self.to_unicode[code] = text or LEFT_OVER
            self.shaped_share[code] = text
            if rise:
                self.shaped_rise[code] = rise
            compat.add_private_glyph(self, code, glyph, compat.glyph_advance(self, glyph) * 1000 / self.shaped_upem)
        return chr(code)

    def finish_subset(self, doc, base: str, subset: list[int]) -> None:
        rises = {position: self.shaped_rise[code] for position, code in enumerate(subset) if code in self.shaped_rise}
        if rises:
            stream = compat.font_file_stream(doc, self, base)
            compat.set_font_file(stream, _with_moved_glyphs(compat.font_file(stream), rises))

    def cluster_chars(self, glyphs: list[int], source: str, advancing: list[bool]) -> list[tuple[int | None, str]]:
        """How to draw a cluster: (index of the glyph in ``glyphs``, or None for an added carrier, its character).

        See the module's notes; ``glyphs`` are in drawn order.
        """
        if len(glyphs) == len(source):
            nominal = [self.nominal_glyph(c) for c in source]
            if glyphs == nominal:
                return list(enumerate(source))
            # In place unless a glyph is another character's own glyph (the cluster is drawn out of order);
            # a spacing glyph must not stand for a non-spacing mark (see ``_shares``).
            if not any(g in nominal and g != n for g, n in zip(glyphs, nominal)) \
                    and not any(a and _is_mark(c) for a, c in zip(advancing, source)):
                return [(i, c if n == g else self.private_char(g, c)) for i, (g, c, n)
                        in enumerate(zip(glyphs, source, nominal))]
        if len(glyphs) == 1 and not any(_is_mark(c) for c in source):
            return [(0, self.private_char(glyphs[0], source))]
        shares = _shares(source, advancing, self.shaped_carrier is not None)
        return [(i, self.private_char(glyphs[i] if i is not None else self.shaped_carrier, share))
                for i, share in shares]

    def shape(self, text: str) -> tuple[ShapedStr, float]:
        """``text`` shaped: the string to draw and its advance in 1/1000 em."""
        buffer = uharfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        uharfbuzz.shape(self.hb_font, buffer)
        infos, positions = buffer.glyph_infos, buffer.glyph_positions
        scale = 1000 / self.shaped_upem
        chars: list[str] = []
        data: list[ShapeData] = []
        advance = 0.0
        start = 0
        while start < len(infos):
            cluster = infos[start].cluster
            end = start + 1
            while end < len(infos) and infos[end].cluster == cluster:
                end += 1
            # Left-to-right clusters only grow (HarfBuzz's default, monotone cluster level).
            source = text[cluster:infos[end].cluster if end < len(infos) else len(text)]
            drawn = self.cluster_chars([infos[i].codepoint for i in range(start, end)], source,
                                       [positions[i].x_advance != 0 for i in range(start, end)])
            for index, char in drawn:
                if index is None:  # an added carrier: no ink, no advance, where the pen is
                    data.append(ShapeData(cluster, 0.0, 0.0, 0.0, 0.0, compat.char_width(self, ord(char))))
                else:
                    position = positions[start + index]
                    if _visible(position.y_offset * scale):  # drawn as a moved copy, on the baseline
                        share = self.shaped_share.get(ord(char), char)
                        char = self.private_char(infos[start + index].codepoint, share, position.y_offset)
                    data.append(ShapeData(cluster, position.x_advance * scale, position.y_advance * scale,
                                          position.x_offset * scale, 0.0, compat.char_width(self, ord(char))))
                    advance += position.x_advance * scale
                chars.append(char)
            start = end
        if data and data[-1].x_advance == 0 and data[-1].x_offset < 0 and self.shaped_carrier is not None:
            # A mark pulled back over its letter ends the run: readers that end a word where its
            # last glyph ends would see a gap after it. An empty carrier at the pen ends it there.
            char = self.private_char(self.shaped_carrier, "")
            chars.append(char)
            data.append(ShapeData(data[-1].cluster, 0.0, 0.0, 0.0, 0.0, compat.char_width(self, ord(char))))
        return ShapedStr("".join(chars), shapeData=data), advance


# A glyph raised or lowered by less than this (1/1000 em: 0.02 pt at 10 pt, a third of a
# 1200 dpi dot) is drawn on the line as it is, not as a moved copy (each copy takes a code
# point of the font's subsets).
_LEAST_VISIBLE_RISE = 2.5


def _visible(y_offset: float) -> float:
    return y_offset if abs(y_offset) >= _LEAST_VISIBLE_RISE else 0.0


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) == "Mn"


def _mark_run(source: str, start: int) -> int:
    """The end of the non-spacing marks (and format characters among them) from ``start``.

    A format character (ZWJ) that ends the run is left to the next share: pdf.js drops a
    glyph whose text ends in one.
    """
    end = start
    while end < len(source) and unicodedata.category(source[end]) in ("Mn", "Cf"):
        end += 1
    while end > start and unicodedata.category(source[end - 1]) == "Cf":
        end -= 1
    return end


def _shares(source: str, advancing: list[bool], carrier: bool) -> list[tuple[int | None, str]]:
    """``source`` shared out over a cluster's glyphs in drawn order, and over added carriers.

    pdf.js takes a glyph whose text holds a non-spacing mark anywhere for a mark and does
    not advance over it: the next letter then seems a space away. So a glyph that
    advances gets one letter (with format characters before it); a glyph that does not,
    the marks that follow; marks before a letter, and whatever is left at the end, go to
    a carrier: the empty glyph of ZERO WIDTH SPACE, drawn where the pen is. A glyph with
    nothing left gets an empty share (WORD JOINER in the map). Without a carrier, marks
    go with the glyph before them.
    """
    shares: list[list] = []
    at = 0
    for index, advances in enumerate(advancing):
        if advances:
            marks = _mark_run(source, at)
            if marks > at:
                if carrier:
                    shares.append([None, source[at:marks]])
                elif shares:
                    shares[-1][1] += source[at:marks]
                else:
                    marks = at
                at = marks
            end = at
            while end < len(source) and unicodedata.category(source[end]) == "Cf":
                end += 1
            if end < len(source):
                end += 1
        else:
            end = _mark_run(source, at)
        shares.append([index, source[at:end]])
        at = end
    if at < len(source):
        if carrier:
            shares.append([None, source[at:]])
        else:
            shares[-1][1] += source[at:]
    return [(index, share) for index, share in shares]


def _with_moved_glyphs(font_file: bytes, rises: dict[int, int]) -> bytes:
    """A subset font program (as ReportLab embeds it) in which the code at each position of
    ``rises`` draws a composite glyph: the glyph it drew, raised by its rise in font units.
    Read and written with fontTools; its timestamp kept, so that a build is reproducible."""
    from io import BytesIO

    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont as FontFile

    font = FontFile(BytesIO(font_file), recalcTimestamp=False)
    glyphs, metrics = font["glyf"], font["hmtx"]
    mapping = font["cmap"].getcmap(1, 0).cmap
    order = list(font.getGlyphOrder())
    for position, rise in sorted(rises.items()):
        base = mapping[position]
        name = f"{base}.rise{rise}"
        if name not in order:
            pen = TTGlyphPen(font.getGlyphSet())
            pen.addComponent(base, (1, 0, 0, 1, 0, rise))
            order.append(name)
            font.setGlyphOrder(order)
            glyphs[name] = pen.glyph()
            metrics[name] = metrics[base]
        mapping[position] = name
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int], text_of) -> str:
    # ReportLab's subset 0 holds codes 0-127 for themselves: the control characters among them
    # (0 also marks an unused slot) are never drawn and get no entry.
    entries = [f"<{code:02X}> <{_utf16_hex(text_of(char))}>" for code, char in enumerate(subset)
               if not unicodedata.category(chr(char)) == "Cc"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(entries)} beginbfchar", *entries,
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


def shaped_font(name: str) -> ShapedTTFont | None:
    font = pdfmetrics.getFont(name)
    return font if isinstance(font, ShapedTTFont) else None


# Writing shaped runs ------------------------------------------------------------------------------


def actual_text_span(text: str, code: str) -> str:
    """``code`` (the operators drawing some glyphs) marked as standing for ``text``.

    A ``/Span`` marked-content sequence local to the glyphs: it may sit inside the
    marked content of a structure element.
    """
    return marked_span(code, actual_text=text)


def marked_span(code: str, actual_text: str | None = None, language: str | None = None) -> str:
    """``code`` in a ``/Span`` with the logical text it stands for, and its language, where given."""
    properties = []
    if language is not None:
        properties.append(f"/Lang ({language})")
    if actual_text is not None:
        properties.append(f"/ActualText <FEFF{_utf16_hex(actual_text)}>")
    if not properties:
        return code
    return f"/Span <<{' '.join(properties)}>> BDC {code} EMC"


def _logical_text(text: str, font: ShapedTTFont) -> str:
    """What a shaped run says: each glyph's share of its cluster's text (a left-over glyph's is empty)."""
    return "".join(font.shaped_share[ord(c)] if ord(c) in font.shaped_share else chr(ord(c)) for c in text)


class ShapedTextObject(compat.HookedTextObject):
    """A text object that writes each shaped run in an ``/ActualText`` span.

    A span for all of a run's glyphs, not just for the clusters whose glyphs and characters
    do not pair off: PDFium and poppler then take the run's text as it is, where they would
    order the glyphs of a cluster by position. PDFium places a span's text over its first
    text object, though: a run drawn in several ``TJ`` (ReportLab starts one at every rise)
    would read with a space after that first one's end, so raised and lowered glyphs are
    moved copies in the font, drawn without a rise (``ShapedTTFont.finish_subset``). (Spans
    for each ``TJ`` are worse: PDFium reads a span with no character of its font as no span,
    and orders the spans of raised marks by position.)
    """

    document_language: str | None = None  # set by the canvas: a run in another script is marked with its language

    def format_run(self, text) -> str:
        font = shaped_font(self.current_font_name) if isinstance(text, ShapedStr) else None
        code = self.format_plain(text)
        if not text.strip():
            return code
        logical = _logical_text(text, font) if font is not None else str(text)
        language = language_of(logical, self.document_language) if self.document_language else None
        return marked_span(code, logical if font is not None else None, language)
