#!/usr/bin/env python3
"""Make the bundled CJK serif faces, fonts/NewsletterSerifCJK{JP,KR,SC,TC}-Regular.ttf.

Source: Noto Serif CJK Regular from Debian's package fonts-noto-cjk
(/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc, SIL OFL 1.1), whose collection
holds one face per region (JP, KR, SC, TC): the same Han character is drawn in each
region's own form. For each region this script

1. writes the characters kept (fonts/tools/cjk/<REGION>.txt), made from the region's
   character-set standard with Python's codecs (see CHARSETS) plus CJK punctuation and
   full-width forms, the spaces, the symbols of the standard that Noto Serif lacks, and
   the characters of fonts/tools/cjk/extra.txt (those the sample issues and tests use, and
   any added by hand) that the region's standard has at any level;
2. subsets the region's face to them with fontTools (no layout, vertical or hinting
   tables: ReportLab uses none of them);
3. converts the CFF outlines to TrueType quadratic ones (fontTools.cu2qu, as fontTools'
   otf2ttf snippet does: max error 1 unit of 1000), since ReportLab embeds only `glyf` fonts;
4. renames the face "Newsletter Serif CJK <REGION>": a modified version (OFL section 3).

Run from the repository root: `python fonts/tools/make_cjk.py` (add --lists-only to only
rewrite the lists; --from-lists to build from the committed lists as they are).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FONTS = Path(__file__).resolve().parents[1]
LISTS = Path(__file__).resolve().parent / "cjk"
ROOT = FONTS.parent
REGIONS = {"JP": 0, "KR": 1, "SC": 2, "TC": 3}  # index of the region's face in the collection
FAMILY = "Newsletter Serif CJK"
MAX_ERR = 1.0  # font units (of 1000): cu2qu's tolerance, fontTools' otf2ttf default


def _decode(codec: str, first: int, last: int, cells: range) -> list[str]:
    """The characters of a double-byte code range (lead bytes first..last, trail bytes cells)."""
    out = []
    for lead in range(first, last + 1):
        for trail in cells:
            try:
                out.append(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                pass
    return out


EUC = range(0xA1, 0xFF)
BIG5_TRAIL = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
CHARSETS = {
    # JIS X 0208 level 1 kanji (rows 16-47: 2965) and its symbols and kana (rows 1-8)
    "JP": (_decode("euc_jp", 0xB0, 0xCF, EUC), _decode("euc_jp", 0xA1, 0xA8, EUC)),
    # KS X 1001 hangul syllables (rows 16-40: 2350), its hanja (rows 42-93: 4888), symbols and jamo (rows 1-12)
    "KR": (_decode("euc_kr", 0xB0, 0xC8, EUC) + _decode("euc_kr", 0xCA, 0xFD, EUC), _decode("euc_kr", 0xA1, 0xAC, EUC)),
    # GB 2312 level 1 hanzi (rows 16-55: 3755) and its symbols (rows 1-9)
    "SC": (_decode("gb2312", 0xB0, 0xD7, EUC), _decode("gb2312", 0xA1, 0xA9, EUC)),
    # Big5 common hanzi (A440-C67E: 5401) and its symbols (A140-A3BF)
    "TC": (_decode("big5", 0xA4, 0xC6, BIG5_TRAIL), _decode("big5", 0xA1, 0xA3, BIG5_TRAIL)),
}
# Big5's common block ends at C67E
CHARSETS["TC"] = ([c for c in CHARSETS["TC"][0] if c.encode("big5") <= b"\xc6\x7e"], CHARSETS["TC"][1])

# Every region: the ideographic space, CJK punctuation, kana (ruby, quoted Japanese), full-width forms
COMMON = [chr(c) for c in (*range(0x3000, 0x3040), *range(0x3040, 0x3100), *range(0xFF01, 0xFF5F),
                           *range(0xFF5F, 0xFF66))]
CJK_TEXT = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
                      "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


def noto_serif_has() -> set[int]:
    font = TTFont(FONTS / "NotoSerif-Regular.ttf", lazy=True)
    return set(font.getBestCmap())


def used_in_repository() -> list[str]:
    """CJK characters of the sample issues and the test fixtures (and the tests themselves)."""
    found: set[str] = set()
    for folder in ("issues", "tests"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".yaml", ".yml", ".md", ".py", ".txt") and path.is_file():
                found |= set(CJK_TEXT.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return sorted(found)


CODECS = {"JP": "euc_jp", "KR": "euc_kr", "SC": "gb2312", "TC": "big5"}


def _in_standard(char: str, region: str) -> bool:
    try:
        char.encode(CODECS[region])
    except UnicodeEncodeError:
        return False
    return True


def make_lists(face_cmaps: dict[str, set[int]]) -> None:
    LISTS.mkdir(exist_ok=True)
    extra = LISTS / "extra.txt"
    kept = set(extra.read_text(encoding="utf-8").split("\n", 1)[1]) if extra.exists() else set()
    used = sorted(set(used_in_repository()) | {c for c in kept if not c.isspace()})
    extra.write_text("# CJK characters the sample issues and tests use, kept in the face of each region whose "
                     "standard has the character, or in every face if none has it (make_cjk.py adds the "
                     "repository's; add one by hand on the next line to keep it)\n"
                     + "".join(used) + "\n", encoding="utf-8")
    serif = noto_serif_has()
    for region, (main, symbols) in CHARSETS.items():
        chars = set(main) | set(COMMON)
        chars |= {c for c in symbols if ord(c) not in serif}  # what the text face lacks
        # A character the repository uses goes in the faces of the regions whose standard has it
        # (so 关 is not in the Japanese face, whose coverage decides a Han run's region in an
        # English issue), or in every face if no region's standard has it.
        chars |= {c for c in used if _in_standard(c, region) or not any(_in_standard(c, r) for r in REGIONS)}
        # Spaces and format characters: they stay in the run of the character before them (fonts.py)
        chars |= {chr(c) for c in face_cmaps[region] if chr(c).isspace() or unicodedata.category(chr(c)) == "Cf"}
        chars = sorted(c for c in chars if ord(c) in face_cmaps[region] and unicodedata.category(c) != "Cc")
        lines = ["".join(chars[i:i + 64]) for i in range(0, len(chars), 64)]
        (LISTS / f"{region}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_list(region: str) -> set[int]:
    return {ord(c) for c in (LISTS / f"{region}.txt").read_text(encoding="utf-8").rstrip("\n").replace("\n", "")}


def to_truetype(font: TTFont) -> None:
    """CFF to glyf, as fontTools' snippets/otf2ttf.py does."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones, maxp.maxTwilightPoints, maxp.maxStorage = 1, 0, 0
    maxp.maxFunctionDefs = maxp.maxInstructionDefs = maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = maxp.maxComponentElements = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\000\001\000\000"


def rename(font: TTFont, region: str) -> None:
    name = font["name"]
    family = f"{FAMILY} {region}"
    postscript = f"NewsletterSerifCJK{region}-Regular"
    source_version = name.getDebugName(5).split(";")[0]  # "Version 2.001" in Debian 12
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, makers, licence
    name.names = [record for record in name.names if record.nameID in keep]
    version = f"{source_version}; converted to TrueType and subset by newsletter-pdf fonts/tools/make_cjk.py"
    for record_id, value in ((1, family), (2, "Regular"), (3, f"{postscript};newsletter-pdf"), (4, family),
                             (5, version), (6, postscript), (16, family), (17, "Regular")):
        name.setName(value, record_id, 3, 1, 0x409)
    notice = (f"Modified from Noto Serif CJK {region} (Adobe/Google, SIL OFL 1.1): subset to the characters of "
              f"fonts/tools/cjk/{region}.txt and converted from CFF to TrueType outlines.")
    name.setName(notice, 10, 3, 1, 0x409)


def build(region: str) -> Path:
    collection = TTCollection(str(SOURCE))
    font = collection.fonts[REGIONS[region]]
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=read_list(region))
    subsetter.subset(font)
    to_truetype(font)
    rename(font, region)
    out = FONTS / f"NewsletterSerifCJK{region}-Regular.ttf"
    font.recalcTimestamp = False  # keep the source's dates: the same input makes the same bytes
    font.save(str(out))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists-only", action="store_true")
    parser.add_argument("--from-lists", action="store_true")
    parser.add_argument("regions", nargs="*", default=list(REGIONS))
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: apt-get install fonts-noto-cjk")
    if not args.from_lists:
        collection = TTCollection(str(SOURCE), lazy=True)
        make_lists({region: set(collection.fonts[i].getBestCmap()) for region, i in REGIONS.items()})
    if args.lists_only:
        return 0
    for region in args.regions:
        out = build(region)
        print(f"{out.name}: {len(read_list(region))} characters, {out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
