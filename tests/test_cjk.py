"""One CJK serif family (Noto Serif CJK made TrueType and subset: fonts/tools/make_cjk.py) with
each region's own glyph forms, checked in the built PDF: the issue's language, or a run's script
(kana: Japanese, hangul: Korean), chooses the region's face; the outline drawn for a character
whose form differs between regions (骨, 刃, 直, 誤) is that region's; every glyph is real; the text
extracts as written; a character outside the subset is an input error at its line."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from newsletter_pdf.layout.fonts import FONTS_DIR, cjk_region

from .conftest import make_issue, run_cli
from .test_typography import drawn_glyphs, flat

REGIONS = ("JP", "KR", "SC", "TC")
# Han characters whose form differs between regions: 骨 (JP = KR, SC, TC), 刃 (JP, KR = SC, TC),
# 直 (JP = KR, SC = TC), 誤 (JP, KR, TC; Simplified Chinese writes 误)
DIFFERING = "骨刃直誤"
PARAGRAPHS = {
    "ja": ("JP", "税関は骨と刃と直と誤の字形を調べました。"),
    "ko": ("KR", "관세청은 骨, 刃, 直, 誤 네 글자의 자형을 검토했습니다."),
    "zh-Hans": ("SC", "海关检查了三个字的字形 (骨, 刃, 直)。"),
    "zh-Hant": ("TC", "海關檢查了四個字的字形 (骨, 刃, 直, 誤)。"),
}
# In each, a run of Han characters alone (骨, set off by Latin punctuation) that every region's
# face has: only the issue's language can give it its form.
ISSUE = """\
schema: 1
title: CJK Test Newsletter
number: 3
date: 2024-03-01
publisher: Test Office
language: {language}
sections:
  - title: Glyph forms
    body: |
      {body}
"""


def outline(font: TTFont, glyph: str) -> tuple:
    pen = RecordingPen()
    font.getGlyphSet()[glyph].draw(pen)
    return tuple(pen.value)


@cache
def region_outlines(char: str) -> dict[str, tuple]:
    """The outline of ``char`` in each bundled region face that has it."""
    out = {}
    for region in REGIONS:
        font = TTFont(FONTS_DIR / f"NewsletterSerifCJK{region}-Regular.ttf")
        glyph = font.getBestCmap().get(ord(char))
        if glyph:
            out[region] = outline(font, glyph)
    return out


def drawn_outlines(pdf: Path) -> tuple[set[str], set[tuple]]:
    """The CJK fonts a PDF draws with (family names) and the outlines of every glyph they draw."""
    reader = PdfReader(str(pdf))
    families, outlines, programs = set(), set(), {}
    for page in reader.pages:
        resources = page["/Resources"].get("/Font", {})
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = resources[operands[0]].get_object()
                name = str(font["/BaseFont"]).split("+")[-1]
                current = None
                if "CJK" in name or any(old in name for old in ("IPAex", "Nanum", "Droid")):
                    families.add(name)
                    key = font.indirect_reference.idnum
                    if key not in programs:
                        data = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
                        tt = TTFont(io.BytesIO(data))
                        programs[key] = (tt, tt["cmap"].getcmap(1, 0) or tt["cmap"].getcmap(3, 0)
                                         or tt["cmap"].tables[0])
                    current = programs[key]
            elif current and operator in (b"Tj", b"TJ"):
                tt, table = current
                strings = [operands[0]] if operator == b"Tj" else [x for x in operands[0]
                                                                   if not isinstance(x, (int, float))]
                for string in strings:
                    for code in string.original_bytes if hasattr(string, "original_bytes") else bytes(string):
                        if code in table.cmap:
                            outlines.add(outline(tt, table.cmap[code]))
    return families, outlines


def build(tmp_path: Path, language: str, body: str) -> Path:
    folder = make_issue(tmp_path / "issue", ISSUE.format(language=language, body=body))
    out = tmp_path / "out.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stdout + stderr
    return out


def assert_region_forms(outlines: set[tuple], text: str, region: str) -> None:
    for char in DIFFERING:
        if char not in text:
            continue
        forms = region_outlines(char)
        assert forms[region] in outlines, f"{char} is not drawn in its {region} form"
        others = {r for r, form in forms.items() if form != forms[region] and form in outlines}
        assert not others, f"{char} is drawn in the form of {others}, not only {region}'s"


@pytest.fixture(scope="module")
def language_pdfs(tmp_path_factory) -> dict[str, Path]:
    return {language: build(tmp_path_factory.mktemp(language), language, text)
            for language, (_, text) in PARAGRAPHS.items()}


@pytest.mark.parametrize("language", PARAGRAPHS)
def test_the_issue_language_chooses_the_region_forms(language_pdfs, language):
    region, text = PARAGRAPHS[language]
    families, outlines = drawn_outlines(language_pdfs[language])
    assert families == {f"NewsletterSerifCJK{region}-Regular"}  # one family, the region's face only
    assert_region_forms(outlines, text, region)


@pytest.mark.parametrize("language", PARAGRAPHS)
def test_cjk_paragraphs_draw_real_glyphs_and_extract_as_written(language_pdfs, language):
    pdf = language_pdfs[language]
    glyphs = list(drawn_glyphs(pdf))
    assert glyphs and 0 not in [g for *_, g in glyphs]
    text = flat("".join(page.extract_text() for page in PdfReader(str(pdf)).pages))
    assert flat(PARAGRAPHS[language][1]) in text


def test_the_differing_characters_really_differ():
    """The test characters tell the four regions apart: 骨 and 刃 together differ in each pair."""
    signatures = {region: tuple(region_outlines(c)[region] for c in "骨刃") for region in REGIONS}
    assert len(set(signatures.values())) == 4


def test_a_run_script_chooses_the_form_whatever_the_issue_language(tmp_path):
    japanese = "日本語では骨と刃と書きます。"
    korean = "한국어로는 骨刃이라고 씁니다."
    chinese = "海關檢查了骨、刃、直、誤四個字。"
    pdf = build(tmp_path, "zh-Hant", f"{chinese}\n\n      {japanese}\n\n      {korean}")
    families, outlines = drawn_outlines(pdf)
    assert families == {f"NewsletterSerifCJK{r}-Regular" for r in ("TC", "JP", "KR")}
    for region in ("TC", "JP", "KR"):
        for char in "骨刃":
            assert region_outlines(char)[region] in outlines, (char, region)
    text = flat("".join(page.extract_text() for page in PdfReader(str(pdf)).pages))
    assert all(flat(t) in text for t in (japanese, korean, chinese))


def test_an_english_issue_sets_chinese_runs_in_chinese_forms(tmp_path):
    # A character of GB 2312 only (关) makes a run Simplified Chinese, one of Big5 only (啟)
    # Traditional; a run the Japanese face has whole (東京) stays Japanese.
    pdf = build(tmp_path, "en", "Customs: 海关骨刃 and 啟事骨刃 and Tokyo (東京).")
    families, outlines = drawn_outlines(pdf)
    assert families == {f"NewsletterSerifCJK{r}-Regular" for r in ("SC", "TC", "JP")}
    for region in ("SC", "TC"):
        assert region_outlines("骨")[region] in outlines


@pytest.mark.parametrize("tag, region", [("ja", "JP"), ("ja-JP", "JP"), ("ko-KR", "KR"), ("zh", "SC"),
                                         ("zh-CN", "SC"), ("zh-Hans-SG", "SC"), ("zh-TW", "TC"),
                                         ("zh-Hant", "TC"), ("zh-HK", "TC"), ("en", None), ("th", None)])
def test_language_tags_name_a_region(tag, region):
    assert cjk_region(tag) == region


def test_a_cjk_character_outside_the_subset_is_an_input_error_at_its_line(tmp_path):
    rare = "\u9f98"  # in no region's list (an escape: make_cjk.py scans the tests for the characters they use)
    body = f"Customs cooperation.\n\n      A rare character: {rare}."
    folder = make_issue(tmp_path / "issue", ISSUE.format(language="zh-Hant", body=body))
    code, stdout, stderr = run_cli("build", folder, "-o", tmp_path / "out.pdf")
    assert code == 2
    assert re.search(r"issue\.yaml:\d+:\d+: sections\[0\]\.body: character '\u9f98' \(U\+9F98 [A-Z0-9- ]+\) "
                     r"is in no bundled font.*fonts/tools/cjk/extra\.txt.*make_cjk\.py", stdout + stderr), \
        stdout + stderr


def test_the_fonts_are_made_from_the_committed_lists():
    """Each region face has every character of its list (the lists are the build's input)."""
    for region in REGIONS:
        listed = {ord(c) for c in (FONTS_DIR / "tools" / "cjk" / f"{region}.txt").read_text(encoding="utf-8")
                  if c != "\n"}
        font = TTFont(FONTS_DIR / f"NewsletterSerifCJK{region}-Regular.ttf", lazy=True)
        assert listed <= set(font.getBestCmap())
        assert "glyf" in font and "CFF " not in font
        assert font["name"].getDebugName(1) == f"Newsletter Serif CJK {region}"
