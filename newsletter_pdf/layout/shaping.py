"""OpenType shaping (HarfBuzz) for the scripts that need it: Thai marks, Devanagari conjuncts.

ReportLab 5.1 can shape whole paragraphs (``ParagraphStyle(shaping=1)``), but it shapes
a word that mixes fonts with the first font's glyph ids, maps glyphs that have no
character to private-use code points that extract as nothing, and its long-word split
draws those as boxes. So the pipeline shapes only the runs set in a face that needs it,
one run in one font at a time, and keeps the text extractable:

* a glyph that is a character's own glyph, in order, is drawn as that character;
* any other glyph (a mark moved or swapped, a conjunct, a reordered vowel sign) gets a
  private code point of its own in :class:`ShapedTTFont`, and the font's ``/ToUnicode``
  maps it back to the text it stands for: the same-position character when a cluster
  has as many glyphs as characters, else the whole cluster on its first glyph.

The result is ReportLab's own ``ShapedStr``, which its text object draws with the
HarfBuzz offsets (``TJ`` adjustments and rise). The font's cmap, metrics and subsets are
reached through :mod:`.compat`; :class:`ShapedTextObject` (made by the project's canvas,
``canvas.py``) adds ``/ActualText``.
"""

from __future__ import annotations

import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont

from . import compat

_PRIVATE_FIRST, _PRIVATE_LAST = 0xE000, 0xF8FF


class ShapedTTFont(TTFont):
    """A TrueType font whose runs are shaped with HarfBuzz, with extractable shaped glyphs."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename, shapable=True)
        # Attribute names of this subclass start with ``hb_``/``shaped_``: none of ReportLab's.
        self.hb_face = uharfbuzz.Face(uharfbuzz.Blob(compat.font_file_bytes(self)))
        self.hb_font = uharfbuzz.Font(self.hb_face)
        self.shaped_upem = self.hb_face.upem
        self.shaped_private: dict[tuple[int, str], int] = {}  # (glyph, text it stands for) -> code point
        self.to_unicode: dict[int, str] = {}  # private code point -> text
        self.shaped_next_private = _PRIVATE_FIRST
        self.shaped_nominal: dict[str, int] = {}

    def nominal_glyph(self, char: str) -> int:
        glyph = self.shaped_nominal.get(char)
        if glyph is None:
            glyph = self.shaped_nominal[char] = compat.glyph_of(self, ord(char))
        return glyph

    def private_char(self, glyph: int, text: str) -> str:
        key = (glyph, text)
        code = self.shaped_private.get(key)
        if code is None:
            code = self.shaped_next_private
            while compat.has_code(self, code):
                code += 1
            if code > _PRIVATE_LAST:
                raise ValueError(f"font {self.fontName}: too many distinct shaped glyphs")
            self.shaped_next_private = code + 1
            self.shaped_private[key] = code
            self.to_unicode[code] = text
            compat.add_private_glyph(self, code, glyph, compat.glyph_advance(self, glyph) * 1000 / self.shaped_upem)
        return chr(code)

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
            glyphs = [infos[i].codepoint for i in range(start, end)]
            if len(glyphs) == len(source):
                drawn = [c if self.nominal_glyph(c) == g else self.private_char(g, c) for g, c in zip(glyphs, source)]
            else:
                drawn = [self.private_char(g, source if k == 0 else "") for k, g in enumerate(glyphs)]
            for i, char in zip(range(start, end), drawn):
                position = positions[i]
                x_advance = position.x_advance * scale
                chars.append(char)
                data.append(ShapeData(cluster, x_advance, position.y_advance * scale, position.x_offset * scale,
                                      position.y_offset * scale, compat.char_width(self, ord(char))))
                advance += x_advance
            start = end
        return ShapedStr("".join(chars), shapeData=data), advance

    def addObjects(self, doc) -> None:
        """As ReportLab's, then the ``/ToUnicode`` maps of the subsets hold the shaped glyphs' text."""
        subsets = compat.font_subsets(self, doc)
        super().addObjects(doc)
        if not self.to_unicode:
            return
        for n, subset in enumerate(subsets):
            if not any(code in self.to_unicode for code in subset):
                continue
            base = compat.subset_font_name(self, n)
            compat.to_unicode_stream(doc, base).content = _to_unicode_cmap(base, subset, self.to_unicode)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int], to_unicode: dict[int, str]) -> str:
    entries = []
    for code, char in enumerate(subset):
        text = to_unicode.get(char, chr(char))
        entries.append(f"<{code:02X}> <{_utf16_hex(text)}>")
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


# Text extraction in viewers ---------------------------------------------------------------------------
#
# ``/ToUnicode`` gives each glyph its text, but a viewer that orders the glyphs of a line
# by position (pdfium, so Chrome and the ``check`` of this pipeline) puts a mark moved
# right of its base after the next letter, and shows a glyph whose text is empty (the
# second glyph of a decomposed Thai SARA AM) as its code. So every shaped run is also a
# marked-content span with ``/ActualText``: its logical text, which pdfium, poppler,
# MuPDF and Acrobat copy instead of the glyphs; pypdf reads ``/ToUnicode``.

def _actual_text(text: str, font: ShapedTTFont) -> str:
    logical = "".join(font.to_unicode.get(ord(c), c) for c in text)
    return (b"\xfe\xff" + logical.encode("utf-16-be")).hex().upper()


class ShapedTextObject(compat.HookedTextObject):
    """A text object that wraps each shaped run in ``/ActualText`` (the project's canvas makes these)."""

    def format_run(self, text, code: str) -> str:
        if isinstance(text, ShapedStr) and text.strip():
            font = shaped_font(self.current_font_name)
            if font is not None:
                return f"/Span <</ActualText <{_actual_text(text, font)}>>> BDC {code} EMC"
        return code
