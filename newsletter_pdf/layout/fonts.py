"""The bundled fonts: registration with ReportLab and per-character fallback.

ReportLab draws a character its font lacks as a blank, without a warning. So every
text run is split here into runs of characters that a font really has: the style's
own face first, then the fallback faces for CJK, Korean and the scripts of South and
South-East Asia (Thai, Lao, Khmer, Myanmar, Devanagari, Bengali, Tamil, Sinhala), and a
character no bundled font has is reported as an input error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .linebreak import SHAPE_TAG, WBR_TAG
from .shaping import ShapedTTFont

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"

_ESCAPE = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPE_TABLE = str.maketrans(_ESCAPE)

SERIF = "NotoSerif"
SANS = "NotoSans"
MONO = "NotoSansMono"


@dataclass(frozen=True)
class Face:
    family: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    shaped: bool = False  # its runs go through HarfBuzz (marks, conjuncts): see shaping.py


# Text faces, then fallbacks in the order they are tried for a character the text face lacks.
FACES = (
    Face(SERIF, "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf"),
    Face(SANS, "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"),
    Face(MONO, "NotoSansMono-Regular.ttf"),
)
FALLBACKS = {
    "japanese": Face("IPAexMincho", "IPAexMincho.ttf"),
    "korean": Face("NanumMyeongjo", "NanumMyeongjo.ttf"),
    "chinese": Face("DroidSansFallback", "DroidSansFallbackFull.ttf"),
    "thai": Face("NotoSerifThai", "NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf", shaped=True),
    "devanagari": Face("NotoSerifDevanagari", "NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf",
                       shaped=True),
    **{script.lower(): Face(f"NotoSerif{script}", f"NotoSerif{script}-Regular.ttf", f"NotoSerif{script}-Bold.ttf",
                            shaped=True)
       for script in ("Lao", "Khmer", "Myanmar", "Bengali", "Tamil", "Sinhala")},
}


def fallback_order(language: str) -> tuple[Face, ...]:
    """Han characters look different in Japanese, Chinese and Korean: the issue's language decides."""
    order = ["japanese", "korean", "chinese", "thai", "devanagari", "lao", "khmer", "myanmar", "bengali", "tamil",
             "sinhala"]
    primary = language.split("-")[0].lower()
    preferred = {"zh": "chinese", "ko": "korean", "ja": "japanese"}.get(primary)
    if preferred:
        order.remove(preferred)
        order.insert(0, preferred)
    return tuple(FALLBACKS[name] for name in order)


@cache
def register(face: Face) -> None:
    """Register one face (four styles) with ReportLab, once per process: parsing is the slow part."""
    names: dict[str, str] = {}
    for style in ("regular", "bold", "italic", "bold_italic"):
        file = getattr(face, style)
        if style == "regular":
            name = face.family
        elif file:
            name = f"{face.family}-{style}"
        else:  # a missing style takes the nearest one the face has
            name = names["bold"] if style == "bold_italic" else face.family
        if file and name not in pdfmetrics.getRegisteredFontNames():
            font_class = ShapedTTFont if face.shaped else TTFont
            pdfmetrics.registerFont(font_class(name, str(FONTS_DIR / file)))
        names[style] = name
    addMapping(face.family, 0, 0, names["regular"])
    addMapping(face.family, 1, 0, names["bold"])
    addMapping(face.family, 0, 1, names["italic"])
    addMapping(face.family, 1, 1, names["bold_italic"])


def register_text_faces() -> None:
    for face in FACES:
        register(face)


@cache
def coverage(file: str) -> frozenset[int]:
    font = FontToolsFont(str(FONTS_DIR / file), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
# Han, kana, CJK punctuation and full-width forms, and the spaces between them
_CJK_RUN = re.compile("[\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
                      "\uff00-\uffef\U00020000-\U0003ffff]+")


def _rides_along(char: str) -> bool:
    """Spaces and combining marks stay in the run of the character before them."""
    return char.isspace() or unicodedata.combining(char) > 0 or unicodedata.category(char) in ("Cf", "Cc")


class FontFallback:
    """Splits text into runs by the font that has each character, for one issue's language."""

    def __init__(self, language: str) -> None:
        register_text_faces()
        self.language = language
        self.fallbacks = fallback_order(language)
        self._faces = {face.family: face for face in FACES}
        self._shaped = {face.family for face in FALLBACKS.values() if face.shaped}

    def face_for(self, char: str, family: str) -> str | None:
        code = ord(char)
        if code in coverage(self._faces[family].regular):
            return family
        for face in self.fallbacks:
            if code in coverage(face.regular):
                register(face)  # only the fallbacks an issue really uses are loaded
                return face.family
        return None

    def _all_in_face(self, text: str, family: str) -> bool:
        """Whether the style's own face has every character: the common case, tested at C speed."""
        return set(map(ord, text)) <= coverage(self._faces[family].regular)

    def missing(self, text: str, family: str = SERIF) -> list[str]:
        if self._all_in_face(text, family):
            return []
        return sorted({c for c in set(text) if not _rides_along(c) and self.face_for(c, family) is None})

    def _han_faces(self, text: str, family: str) -> dict[int, str]:
        """One face for a whole run of Chinese or Japanese, chosen by what the run holds.

        In an issue not in Chinese, Japanese or Korean, per-character fallback would set
        a Chinese sentence half in the Japanese face (the characters it has) and half in
        the Chinese one. So a run with kana is Japanese, a run with a character the
        Japanese face lacks is Chinese, and other runs (a place name) follow the order.
        """
        if self.language.split("-")[0].lower() in ("zh", "ja", "ko") or not _CJK_RUN.search(text):
            return {}
        japanese, chinese = FALLBACKS["japanese"], FALLBACKS["chinese"]
        out: dict[int, str] = {}
        for match in _CJK_RUN.finditer(text):
            run = match.group()
            if _KANA.search(run):
                face = japanese
            elif any(ord(c) not in coverage(japanese.regular) for c in run if _HAN.match(c)):
                face = chinese
            else:
                continue
            register(face)
            cover = coverage(face.regular)
            for offset, char in enumerate(run):
                if ord(char) in cover and ord(char) not in coverage(self._faces[family].regular):
                    out[match.start() + offset] = face.family
        return out

    def markup(self, text: str, family: str = SERIF, breaks: set[int] | frozenset[int] = frozenset()) -> str:
        """ReportLab paragraph markup for ``text``, escaped, with ``<font>`` around fallback runs.

        ``breaks`` are the indices of characters before which a line may break although
        there is no space (see linebreak.py); a run in a face that must be shaped starts
        with a marker that has it shaped.
        """
        if not breaks and self._all_in_face(text, family):
            return text.translate(_ESCAPE_TABLE)
        out: list[str] = []
        current = family
        run: list[str] = []

        def flush() -> None:
            if not run:
                return
            chunk = "".join(run)
            if current == family:
                out.append(chunk)
            else:
                marker = SHAPE_TAG if current in self._shaped else ""
                out.append(f'<font face="{current}">{marker}{chunk}</font>')
            run.clear()

        han = self._han_faces(text, family)
        for index, char in enumerate(text):
            if _rides_along(char):
                face = current
            else:
                face = han.get(index) or self.face_for(char, family) or family
            if face != current:
                flush()
                current = face
            if index in breaks:
                run.append(WBR_TAG)
            run.append(_ESCAPE.get(char, char))
        flush()
        return "".join(out)
