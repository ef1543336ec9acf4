"""The bundled fonts: registration with ReportLab and per-character fallback.

ReportLab draws a character its font lacks as a blank, without a warning. So every
text run is split here into runs of characters that a font really has: the style's
own face first, then the fallback faces for CJK (one family, a face per region: a run of
CJK text takes its region's glyph forms) and the scripts of South and South-East Asia
(Thai, Lao, Khmer, Myanmar, Devanagari, Bengali, Tamil, Sinhala), and a character no
bundled font has is reported as an input error.
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

from .linebreak import SHAPE_TAG, WBR_TAG
from .shaping import ExtractableTTFont, ShapedTTFont

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
# One CJK serif family, Noto Serif CJK made TrueType and subset (fonts/tools/make_cjk.py), in
# four region faces: the same Han character has each region's own form (Han unification).
CJK_REGIONS = ("JP", "KR", "SC", "TC")
FALLBACKS = {
    **{f"cjk-{region.lower()}": Face(f"NewsletterSerifCJK{region}", f"NewsletterSerifCJK{region}-Regular.ttf")
       for region in CJK_REGIONS},
    "thai": Face("NotoSerifThai", "NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf", shaped=True),
    "devanagari": Face("NotoSerifDevanagari", "NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf",
                       shaped=True),
    **{script.lower(): Face(f"NotoSerif{script}", f"NotoSerif{script}-Regular.ttf", f"NotoSerif{script}-Bold.ttf",
                            shaped=True)
       for script in ("Lao", "Khmer", "Myanmar", "Bengali", "Tamil", "Sinhala")},
}
_TRADITIONAL = {"hant", "tw", "hk", "mo"}


def cjk_region(language: str) -> str | None:
    """The CJK face's region for a BCP 47 tag: ja JP, ko KR, zh SC, zh-Hant (zh-TW, zh-HK, zh-MO) TC."""
    subtags = language.lower().split("-")
    if subtags[0] == "zh":
        return "TC" if _TRADITIONAL & set(subtags[1:]) else "SC"
    return {"ja": "JP", "ko": "KR"}.get(subtags[0])


def cjk_face(region: str) -> Face:
    return FALLBACKS[f"cjk-{region.lower()}"]


def fallback_order(language: str) -> tuple[Face, ...]:
    """Han characters look different in Japanese, Chinese and Korean: the issue's language decides."""
    order = ["cjk-jp", "cjk-kr", "cjk-sc", "cjk-tc", "thai", "devanagari", "lao", "khmer", "myanmar", "bengali",
             "tamil", "sinhala"]
    region = cjk_region(language)
    if region:
        order.remove(f"cjk-{region.lower()}")
        order.insert(0, f"cjk-{region.lower()}")
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
            font_class = ShapedTTFont if face.shaped else ExtractableTTFont
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
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
# Han, kana, hangul, CJK punctuation and full-width forms, and the spaces between them
_CJK_RUN = re.compile("[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                      "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
                      "[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                      "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
                      " \u00b7]*")


def is_cjk(char: str) -> bool:
    """Han, kana, hangul, CJK punctuation or a full-width form: what the CJK faces hold."""
    return bool(_CJK_RUN.match(char)) and char not in " \u00b7"


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

    def run_region(self, run: str) -> str:
        """The region whose forms a run of CJK text takes: its script's language, else the issue's.

        Kana make a run Japanese and hangul Korean, whatever the issue's language (a Japanese
        name in a Chinese text keeps its Japanese forms). A run of Han characters alone takes
        the issue's language; in an issue not in Chinese, Japanese or Korean, per-character
        fallback would set a Chinese sentence half in one face and half in another, so it is
        Japanese if the Japanese face has all its Han characters (a place name: 東京), else
        Simplified Chinese if that face has them all, else Traditional.
        """
        if _KANA.search(run):
            return "JP"
        if _HANGUL.search(run):
            return "KR"
        region = cjk_region(self.language)
        if region:
            return region
        han = {ord(c) for c in run if _HAN.match(c)}
        for region in ("JP", "SC", "TC"):
            if han <= coverage(cjk_face(region).regular):
                return region
        return "JP"

    def _han_faces(self, text: str, family: str) -> dict[int, str]:
        """One region's face for each run of CJK text (see ``run_region``), where that face has the character."""
        if not _CJK_RUN.search(text):
            return {}
        own = coverage(self._faces[family].regular)
        out: dict[int, str] = {}
        for match in _CJK_RUN.finditer(text):
            run = match.group()
            face = cjk_face(self.run_region(run))
            register(face)
            cover = coverage(face.regular)
            for offset, char in enumerate(run):
                if ord(char) in cover and ord(char) not in own:
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
