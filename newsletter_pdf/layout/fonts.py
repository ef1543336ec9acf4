"""The bundled fonts: registration with ReportLab and per-character fallback.

ReportLab draws a character its font lacks as a blank, without a warning. So every
text run is split here into runs of characters that a font really has: the style's
own face first, then the fallback faces for CJK, Korean, Thai and Devanagari, and a
character no bundled font has is reported as an input error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"

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
    "thai": Face("NotoSerifThai", "NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf"),
    "devanagari": Face("NotoSerifDevanagari", "NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf"),
}


def fallback_order(language: str) -> tuple[Face, ...]:
    """Han characters look different in Japanese, Chinese and Korean: the issue's language decides."""
    order = ["japanese", "korean", "chinese", "thai", "devanagari"]
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
            pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file)))
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


def _rides_along(char: str) -> bool:
    """Spaces and combining marks stay in the run of the character before them."""
    return char.isspace() or unicodedata.combining(char) > 0 or unicodedata.category(char) in ("Cf", "Cc")


class FontFallback:
    """Splits text into runs by the font that has each character, for one issue's language."""

    def __init__(self, language: str) -> None:
        register_text_faces()
        self.fallbacks = fallback_order(language)
        self._faces = {face.family: face for face in FACES}

    def face_for(self, char: str, family: str) -> str | None:
        code = ord(char)
        if code in coverage(self._faces[family].regular):
            return family
        for face in self.fallbacks:
            if code in coverage(face.regular):
                register(face)  # only the fallbacks an issue really uses are loaded
                return face.family
        return None

    def missing(self, text: str, family: str = SERIF) -> list[str]:
        return sorted({c for c in text if not _rides_along(c) and self.face_for(c, family) is None})

    def markup(self, text: str, family: str = SERIF) -> str:
        """ReportLab paragraph markup for ``text``, escaped, with ``<font>`` around fallback runs."""
        out: list[str] = []
        current = family
        run: list[str] = []

        def flush() -> None:
            if not run:
                return
            chunk = escape("".join(run))
            out.append(chunk if current == family else f'<font face="{current}">{chunk}</font>')
            run.clear()

        for char in text:
            face = current if _rides_along(char) else (self.face_for(char, family) or family)
            if face != current:
                flush()
                current = face
            run.append(char)
        flush()
        return "".join(out)
