"""Typography, checked in the PDF built through the CLI: every script of the region drawn
with real glyphs and extractable, lines inside the column, hyphenation, break rules,
headings kept with their text, no widows or orphans; and the text transforms on their own."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from newsletter_pdf.layout import compat, linebreak
from newsletter_pdf.layout.fonts import SERIF, FontFallback, register_text_faces
from newsletter_pdf.layout.linebreak import break_positions
from newsletter_pdf.layout.paragraph import Paragraph
from newsletter_pdf.layout.styles import MARGIN_BOTTOM, MARGIN_INNER, MARGIN_OUTER, MARGIN_TOP
from newsletter_pdf.layout.typography import NBSP, typeset

from .conftest import ROOT, SAMPLE, make_issue, run_cli

MULTILINGUAL = ROOT / "tests" / "fixtures" / "multilingual"
BODY = yaml.safe_load((MULTILINGUAL / "issue.yaml").read_text(encoding="utf-8"))["sections"][0]["body"]
SCRIPTS = ("Vietnamese", "Greek", "Cyrillic", "Japanese", "Chinese", "Korean", "Thai", "Hindi")
INK_OVERHANG = 2.5  # pt: an italic f or J may reach past its advance (J by 1.5 pt); an overflowing word is far wider


@pytest.fixture(scope="module")
def multilingual_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("multilingual") / "multilingual.pdf"
    code, _, stderr = run_cli("build", MULTILINGUAL, "-o", out)
    assert code == 0, stderr
    return out


def script_paragraph(name: str) -> str:
    line = next(l for l in BODY.splitlines() if l.startswith(f"**{name}.**"))
    return line.split("**", 2)[2].strip()


def flat(text: str) -> str:
    """NFC text without whitespace (extraction puts line ends and, around marks, spaces) or WORD
    JOINER, which pypdf reads for a shaped glyph whose cluster's text went to the others (see
    shaping.py; test_text_extraction.py compares the text of four PDF engines exactly)."""
    return re.sub(r"[\s\u2060]+", "", unicodedata.normalize("NFC", text))


def multilingual_text(pdf: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)


# The text of every script comes back out -----------------------------------------------------------

@pytest.mark.parametrize("script", SCRIPTS)
def test_each_script_extracts_as_written(multilingual_pdf, script):
    assert flat(script_paragraph(script)) in flat(multilingual_text(multilingual_pdf))


def test_the_mixed_line_and_typographic_text_extract(multilingual_pdf):
    text = flat(multilingual_text(multilingual_pdf))
    for expected in ("InBangkok(กรุงเทพมหานคร),Tokyo(東京),Beijing(北京),Seoul(서울),HàNội,Αθήνα,Москваandनईदिल्ली",
                     "“quotes”and‘singlequotes’,it’s,1990–2000,adash—likethis…,andthe20thand2ndmeetings",
                     "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ", "हिन्दीभाषामेंसंयुक्ताक्षर",
                     # the optional scripts of the region: Lao, Khmer, Myanmar, Bengali, Tamil, Sinhala
                     "ພາສາລາວເປັນພາສາທາງການຂອງສາທາລະນະລັດປະຊາທິປະໄຕປະຊາຊົນລາວ", "អគ្គនាយកដ្ឋានគយនិងរដ្ឋាករកម្ពុជា",
                     "မြန်မာနိုင်ငံအကောက်ခွန်ဦးစီးဌာန", "বাংলাদেশকাস্টমস", "இலங்கைசுங்கம்", "ශ්‍රීලංකාරේගුව"):
        assert flat(expected) in text


def test_viewers_that_order_glyphs_by_position_copy_the_logical_text(multilingual_pdf):
    # pdfium (Chrome's viewer, and newsletter check) reads each shaped run's /ActualText.
    document = pdfium.PdfDocument(str(multilingual_pdf))
    text = flat("".join(document[i].get_textpage().get_text_range() for i in range(len(document))))
    for script in ("Thai", "Hindi"):
        assert flat(script_paragraph(script)) in text


THAI_ISSUE = """\
        schema: 1
        title: จดหมายข่าว
        number: 1
        date: 2024-05-01
        publisher: ศุลกากร
        language: th
        sections:
          - title: หัวข้อภาษาไทย ที่นี่ เพื่อน
            body: |
              ## น้ำใจ ปิ่นโต

              กรมศุลกากรไทยร่วมกับองค์การศุลกากรโลก[^1]จัดการประชุม

              - รายการแรก น้ำใจ
              - รายการที่สอง

              | ก | ข |
              | --- | --- |
              | ประสบการณ์เกี่ยวกับการบริหารความเสี่ยง | ที่ |

              [^1]: หมายเหตุ เพื่อนที่นี่
        """


@pytest.fixture(scope="module")
def thai_pdf(tmp_path_factory) -> Path:
    folder = make_issue(tmp_path_factory.mktemp("thai") / "issue", THAI_ISSUE)
    out = folder / "thai.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stdout + stderr  # newsletter check finds the Thai titles in the contents and pages
    return out


def test_an_issue_titled_in_thai_builds_and_passes_its_checks(thai_pdf):
    text = flat(multilingual_text(thai_pdf))
    assert flat("หัวข้อภาษาไทย ที่นี่ เพื่อน") in text and flat("หมายเหตุ เพื่อนที่นี่") in text


def test_an_issue_titled_in_thai_draws_no_blank_glyph_in_its_body(thai_pdf):
    body = [g for page, font, code, g in drawn_glyphs(thai_pdf) if "NotoSans-Regular" not in font]
    assert body and 0 not in body


def test_an_issue_titled_in_thai_draws_no_blank_glyph_anywhere(thai_pdf):
    assert 0 not in [g for *_, g in drawn_glyphs(thai_pdf)]


# Every glyph drawn is a real glyph of an embedded font -----------------------------------------------

def drawn_glyphs(pdf: Path):
    """(page, font, code, glyph id) for every character code a text operator shows."""
    reader = PdfReader(str(pdf))
    fonts: dict[int, tuple[str, dict, TTFont]] = {}

    def load(font):
        key = font.indirect_reference.idnum
        if key not in fonts:
            if "/FontDescriptor" not in font:  # a standard font: nothing embedded to check against
                fonts[key] = None
                return None
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            tt = TTFont(io.BytesIO(program))
            table = tt["cmap"].getcmap(1, 0) or tt["cmap"].getcmap(3, 0) or tt["cmap"].tables[0]
            fonts[key] = (str(font["/BaseFont"]), table.cmap, tt)
        return fonts[key]

    for number, page in enumerate(reader.pages):
        resources = page["/Resources"].get("/Font", {})
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = load(resources[operands[0]].get_object())
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                shown = operands[-1] if operator != b"TJ" else [x for x in operands[0] if not isinstance(x, (int, float))]
                for string in ([shown] if operator != b"TJ" else shown):
                    if current is None:
                        continue
                    name, cmap, tt = current
                    for code in string.original_bytes if hasattr(string, "original_bytes") else bytes(string):
                        yield number, name, code, real_glyph(tt, cmap, code)


_OUTLINES: dict[tuple[int, str], tuple] = {}


def _outline(tt: TTFont, glyph: str) -> tuple:
    key = (id(tt), glyph)
    if key not in _OUTLINES:
        pen = RecordingPen()
        tt.getGlyphSet()[glyph].draw(pen)
        _OUTLINES[key] = tuple(pen.value)
    return _OUTLINES[key]


def real_glyph(tt: TTFont, cmap: dict, code: int) -> int:
    """The glyph id a code shows, 0 for the .notdef box: ReportLab's subsets draw a character the
    font lacks with code 0, and copy the .notdef outline into the subset under a new id."""
    glyph = cmap.get(code)
    if code == 0 or glyph is None:
        return 0
    gid = tt.getGlyphID(glyph)
    notdef = tt.getGlyphOrder()[0]
    if gid and _outline(tt, glyph) and _outline(tt, glyph) == _outline(tt, notdef):
        return 0
    return gid


def test_glyph_check_catches_a_missing_glyph(tmp_path):
    register_text_faces()
    pdf = tmp_path / "notdef.pdf"
    canvas = Canvas(str(pdf))
    canvas.setFont(SERIF, 12)
    canvas.drawString(72, 720, "Aก")  # Noto Serif has no Thai: ReportLab draws glyph 0
    canvas.save()
    glyphs = list(drawn_glyphs(pdf))
    assert [g for *_, g in glyphs].count(0) == 1 and len(glyphs) == 2


@pytest.mark.parametrize("which", ["multilingual", "sample"])
def test_every_drawn_glyph_is_a_real_glyph(which, multilingual_pdf, sample_pdf):
    pdf = multilingual_pdf if which == "multilingual" else sample_pdf
    glyphs = list(drawn_glyphs(pdf))
    assert len(glyphs) > 1000
    notdef = [(page + 1, font, code) for page, font, code, glyph in glyphs if glyph == 0]
    assert not notdef
    if which == "multilingual":
        used = {font.split("+")[-1] for _, font, _, _ in glyphs}
        for face in ("NotoSerifThai-Regular", "NotoSerifDevanagari-Regular", "NewsletterSerifCJKJP",
                     "NewsletterSerifCJKKR", "NewsletterSerifCJKSC", "NotoSerifLao", "NotoSerifKhmer", "NotoSerifMyanmar", "NotoSerifBengali",
                     "NotoSerifTamil", "NotoSerifSinhala"):
            assert any(face in name for name in used), (face, used)


# No line wider than the column ---------------------------------------------------------------------

def overflowing_characters(pdf: Path):
    document = pdfium.PdfDocument(str(pdf))
    for index in range(1, len(document) - 1):  # the body pages: not the covers
        page = document[index]
        width, height = page.get_size()
        left, right = MARGIN_INNER, width - MARGIN_OUTER
        text = page.get_textpage()
        for char in range(text.count_chars()):
            if not text.get_text_range(char, 1).strip():
                continue
            x0, y0, x1, y1 = text.get_charbox(char, loose=True)
            if x1 <= x0 or y0 < MARGIN_BOTTOM or y1 > height - MARGIN_TOP:
                continue  # generated characters, running heads and folios
            if x1 > right + INK_OVERHANG or x0 < left - INK_OVERHANG:
                yield index + 1, text.get_text_range(max(char - 30, 0), 31), round(max(x1 - right, left - x0), 1)


@pytest.mark.parametrize("which", ["multilingual", "sample"])
def test_no_line_is_wider_than_the_column(which, multilingual_pdf, sample_pdf):
    assert not list(overflowing_characters(multilingual_pdf if which == "multilingual" else sample_pdf))


# Line breaks -----------------------------------------------------------------------------------------

def extracted_lines(pdf: Path) -> list[str]:
    return [unicodedata.normalize("NFC", line) for page in PdfReader(str(pdf)).pages
            for line in page.extract_text().splitlines()]


def test_thai_lines_break_between_words(multilingual_pdf):
    thai = script_paragraph("Thai")
    squashed = flat(thai)
    # Where a line may end, counted in the text without spaces: at a space or an ICU word boundary.
    allowed, position = set(), 0
    for index, char in enumerate(thai):
        if char.isspace():
            allowed.add(position)
            continue
        if index in break_positions(thai):
            allowed.add(position)
        position += 1
    lines = [flat(l) for l in extracted_lines(multilingual_pdf)]
    start = next(i for i, l in enumerate(lines) if l.startswith("Thai."))
    ends, position = [], 0
    for line in lines[start:]:
        piece = line.removeprefix("Thai.")
        if not squashed.startswith(piece, position):
            break
        position += len(piece)
        ends.append(position)
    assert len(ends) >= 3 and ends[-1] == len(squashed), "the Thai paragraph should take several lines"
    assert all(end in allowed for end in ends[:-1]), [squashed[e - 5:e + 5] for e in ends if e not in allowed]


def glyph_lines(pdf: Path) -> list[tuple[int, float, str]]:
    """Every line of text the PDF prints: (page index, where its last glyph ends, its text),
    read from PDFium's glyph positions (grouped by baseline)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(str(pdf))
    out = []
    for index in range(len(document)):
        text = document[index].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        rows: dict[float, list[tuple[float, float, str]]] = {}
        for char in range(text.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(text.raw, char)
            if code in (10, 13, 0xFFFE) or pdfium_c.FPDFText_IsGenerated(text.raw, char) == 1:
                continue
            pdfium_c.FPDFText_GetCharOrigin(text.raw, char, x, y)
            left, _, right, _ = text.get_charbox(char, loose=True)
            rows.setdefault(round(y.value), []).append((left, right, chr(code)))
        for baseline in sorted(rows, reverse=True):
            glyphs = sorted(rows[baseline])
            printed = [g for g in glyphs if g[2].strip()]
            if printed:
                out.append((index, printed[-1][1], "".join(g[2] for g in glyphs)))
    return out


@pytest.mark.parametrize("script", ["Japanese", "Chinese", "Korean"])
def test_lines_holding_cjk_are_justified_to_the_measure(multilingual_pdf, script):
    """Every line of the Japanese, Chinese and Korean paragraphs but their last ends where the
    justified Latin lines of its page end: Chinese and Japanese spaced between characters,
    Korean at its word spaces (and between letters where they would grow too wide)."""
    lines = glyph_lines(multilingual_pdf)
    paragraph = flat(f"{script}. {script_paragraph(script)}")
    start = next(i for i, (_, _, text) in enumerate(lines) if flat(text).startswith(f"{script}."))
    page, ends, seen = lines[start][0], [], ""
    for _, end, text in lines[start:]:
        seen += flat(text)
        ends.append(end)
        if len(seen) >= len(paragraph):
            break
    assert seen == paragraph
    # The column's measure: where the Vietnamese paragraph's first, justified, line ends.
    measure_page, measure = next((index, end) for index, end, text in lines if flat(text).startswith("Vietnamese."))
    assert measure_page == page
    assert len(ends) >= 2
    assert [round(measure - end, 1) for end in ends[:-1]] == [0.0] * (len(ends) - 1)
    assert measure - ends[-1] > 10, "the last line is set ragged"


def test_latin_lines_are_letter_spaced_by_at_most_a_hundredth_of_an_em(sample_pdf):
    """A line that would be loose keeps its word spaces at half an em and spreads the rest
    over its letters: invisibly little, and reset at the end of the run it spaces."""
    spacings = []
    reader = PdfReader(str(sample_pdf))
    for page in reader.pages:
        operations = ContentStream(page.get_contents(), reader).operations
        spacings += [float(operands[0]) for operands, operator in operations if operator == b"Tc"]
    spaced = [value for value in spacings if value]
    assert spaced, "some lines of No. 79 are spaced out between their letters"
    assert max(spaced) <= 0.1 + 1e-6  # the body's 10 pt
    assert spacings.count(0) == len(spaced)


def test_no_line_starts_with_closing_cjk_punctuation(multilingual_pdf):
    assert not [l for l in extracted_lines(multilingual_pdf) if l[:1] in "、。，」）！？"]


def test_long_justified_paragraphs_are_hyphenated(sample_pdf):
    lines = extracted_lines(sample_pdf)
    hyphenated = [a for a, b in zip(lines, lines[1:]) if re.search(r"[a-z]-$", a) and b[:1].islower()]
    assert len(hyphenated) >= 20


def test_urls_break_without_hyphens_and_stay_whole_in_the_text(multilingual_pdf):
    text = multilingual_text(multilingual_pdf)
    url = "https://www.rocb-ap.org/en/news-and-events/regional-workshop-on-risk-management-and-trade-facilitation-2022.html"
    assert url in re.sub(r"\s+", "", text)
    assert "capacity-building-programme@rocb-ap.org" in re.sub(r"\s+", "", text)


# Pages: headings with their text, no widows or orphans ----------------------------------------------

def text_spans(page):
    spans = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            spans.append((tm[5] * cm[3] + cm[5], str(font.get("/BaseFont", "")), size * abs(tm[3] or 1), text))

    page.extract_text(visitor_text=visit)
    return spans


def test_no_page_ends_with_a_heading(sample_pdf):
    reader = PdfReader(str(sample_pdf))
    for number, page in enumerate(reader.pages[1:-1], start=2):
        height = float(page.mediabox.height)
        body = [s for s in text_spans(page) if MARGIN_BOTTOM + 1 < s[0] < height - MARGIN_TOP]
        if not body:
            continue
        bottom = min(s[0] for s in body)
        last = [s for s in body if abs(s[0] - bottom) < 1]
        headings = [s for s in last if "NotoSans-Bold" in s[1] and 10.5 <= s[2] <= 13.5]
        assert not headings, f"page {number} ends with the heading {headings[0][3]!r}"


def test_no_paragraph_leaves_a_widow_or_an_orphan(tmp_path, monkeypatch):
    splits = []
    original = Paragraph.split

    def split(self, width, height):
        parts = original(self, width, height)
        if len(parts) == 2:
            first = len(parts[0].blPara.lines)
            parts[1].wrap(width, 100_000)
            splits.append((first, len(parts[1].blPara.lines), self.getPlainText()[:40]))
        return parts

    monkeypatch.setattr(Paragraph, "split", split)
    code, _, stderr = run_cli("build", SAMPLE, "-o", tmp_path / "sample.pdf")
    assert code == 0, stderr
    assert splits, "the sample issue should split some paragraphs across pages"
    assert all(first >= 2 and rest >= 2 for first, rest, _ in splits), [s for s in splits if min(s[:2]) < 2]


# The transforms on their own ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("No. 79 of the E-Newsletter", f"No.{NBSP}79 of the E-Newsletter"),
    ("Mr. Kuramoto and Ms Yu met Dr. Han", f"Mr.{NBSP}Kuramoto and Ms{NBSP}Yu met Dr.{NBSP}Han"),
    ("on 10 October 2022 for 2 weeks", f"on 10{NBSP}October 2022 for 2{NBSP}weeks"),
    ("see p. 5 and pp. 7–9", f"see p.{NBSP}5 and pp.{NBSP}7–9"),
    ("October 10, a 15 % rise, USD 20 million", f"October{NBSP}10, a 15{NBSP}% rise, USD{NBSP}20{NBSP}million"),
    ("No one knows", "No one knows"),  # not an abbreviation
    ("a pause – then more", f"a pause{NBSP}– then more"),
    ("Vie\u0302\u0323t Nam", "Việt Nam"),  # NFC
])
def test_typeset_ties_numbers_titles_and_units(text, expected):
    assert typeset(text) == expected


def test_break_positions_for_thai_cjk_and_urls():
    thai = "กรมศุลกากรไทยร่วมกับองค์การ"
    cuts = sorted(break_positions(thai))
    assert [thai[a:b] for a, b in zip([0] + cuts, cuts + [len(thai)])] == ["กรม", "ศุลกากร", "ไทย", "ร่วม", "กับ", "องค์การ"]
    japanese = "税関は「データ」を。"
    cuts = break_positions(japanese)
    assert japanese.index("デ") not in cuts and japanese.index("」") not in cuts and japanese.index("。") not in cuts
    assert break_positions("plain English text, with-hyphens") == set()
    url = "see https://www.example.org/a-long/path"
    assert {url.index(".example"), url.index("/a-long"), url.index("-long")} <= break_positions(url)


def test_markers_never_reach_the_text_and_shaped_runs_are_marked():
    fallback = FontFallback("en")
    markup = fallback.markup("ไทยว่า", SERIF, {3})
    assert markup.count(linebreak.WBR_TAG) == 1 and markup.count(linebreak.SHAPE_TAG) == 1
    paragraph = Paragraph(markup, ParagraphStyle("t", fontName=SERIF, fontSize=10, leading=12))
    paragraph.wrap(18, 1000)  # narrower than both words: a break at the marker
    lines = paragraph.blPara.lines
    assert len(lines) == 2
    assert all(not hasattr(word, "cbDefn") for line in lines for word in line.words)


def test_a_justified_line_too_loose_is_set_ragged():
    register_text_faces()
    FontFallback("en")
    style = ParagraphStyle("j", fontName=SERIF, fontSize=10, leading=12, alignment=TA_JUSTIFY)
    paragraph = Paragraph("a b c Pneumonoultramicroscopic d e", style)
    paragraph.wrap(150, 1000)
    assert _drawn_ragged(paragraph.blPara.lines[0]), "the loose first line is drawn ragged"
    tight = Paragraph("aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm nnn ooo ppp qqq", style)
    tight.wrap(150, 1000)
    first = tight.blPara.lines[0]
    assert not _drawn_ragged(first) and abs(compat.line_slack(first)) > 0, "a normal line is still justified"


def test_a_paragraph_set_greedily_splits_and_its_parts_break_again():
    """A justified paragraph with a word wider than its line has no total-fit breaking: it is
    set as before (ReportLab's greedy breaker, one font: lines of strings), and the parts of
    its split, which hold words rather than fragments, break again."""
    register_text_faces()
    FontFallback("en")
    style = ParagraphStyle("j", fontName=SERIF, fontSize=10, leading=12, alignment=TA_JUSTIFY)
    paragraph = Paragraph("a b c Pneumonoultramicroscopicsilicovolcanoconiosis d e f g h i j k l m n o p", style)
    paragraph.wrap(100, 1000)
    assert not paragraph.broken_whole
    first, second = paragraph.split(100, 2 * 12 + 1)
    for part in (first, second):
        part.wrap(100, 1000)
    assert len(first.blPara.lines) == 2 and second.blPara.lines


def _line_texts(paragraph) -> list[str]:
    return ["".join(w.text for w in compat.frag_line_words(line) if hasattr(w, "text")).strip()
            for line in compat.paragraph_lines(paragraph)]


def test_the_parts_of_a_split_paragraph_keep_the_lines_chosen_for_the_whole():
    """Broken alone, the first part's last line would be a last line (free to end short) and the
    second part's lines would be chosen anew; the parts keep the whole paragraph's lines."""
    register_text_faces()
    FontFallback("en")
    style = ParagraphStyle("j", fontName=SERIF, fontSize=10, leading=12, alignment=TA_JUSTIFY,
                           hyphenationLang="en_GB", allowWidows=0, allowOrphans=0)
    text = ("The programme supports the customs administrations of the region in their reforms, with "
            "workshops on risk management, valuation and the classification of goods, and with the "
            "exchange of officers between the administrations; its laboratory trains analysts of the "
            "members, and its data analytics project builds tools that every member can use. ") * 3
    kept = moved = 0
    for width in (280, 300, 320):
        for height_lines in range(2, 11):
            paragraph = Paragraph(text, style)
            paragraph.wrap(width, 10000)
            whole = _line_texts(paragraph)
            parts = paragraph.split(width, height_lines * 12 + 0.5)
            assert len(parts) == 2
            for part in parts:
                part.wrap(width, 10000)
            first, second = (_line_texts(part) for part in parts)
            assert not first[-1].endswith("-"), "no word broken across the split"
            if not whole[len(first) - 1].endswith("-"):
                assert first + second == whole
                kept += 1
            else:  # split from a breaking with no hyphen there: the same words
                assert " ".join(first + second).replace("- ", "") == " ".join(whole).replace("- ", "")
                moved += 1
    assert kept and moved


def _drawn_ragged(line) -> bool:
    """A justified line ReportLab draws unjustified: a one-font line with no slack to spread,
    or a line of fragments marked as ending in a break."""
    return compat.line_slack(line) == 0 if isinstance(line, tuple) else compat.frag_line_breaks(line)


# Nothing in ReportLab is replaced for the whole process ---------------------------------------------

_PATCHABLE = [
    ("reportlab.platypus.paragraph", "_getFragWords"),
    ("reportlab.platypus.paragraph", "Paragraph.breakLines"),
    ("reportlab.platypus.paragraph", "Paragraph.minWidth"),
    ("reportlab.platypus.paragraph", "Paragraph.wrap"),
    ("reportlab.platypus.paragraph", "Paragraph.split"),
    ("reportlab.pdfgen.textobject", "PDFTextObject._formatText"),
    ("reportlab.pdfgen.canvas", "Canvas.beginText"),
    ("reportlab.pdfbase.pdfdoc", "PDFStream.format"),
    ("reportlab.pdfbase.pdfdoc", "PDFDocument.Reference"),
    ("reportlab.pdfbase.pdfdoc", "PDFDocument.format"),
    ("reportlab.pdfbase.pdfdoc", "PDFImageXObject.format"),
    ("reportlab.pdfbase.pdfdoc", "PDFFormXObject.format"),
]


def _describe(module_name: str, dotted: str) -> str:
    import importlib

    obj = importlib.import_module(module_name)
    for part in dotted.split("."):
        obj = getattr(obj, part)
    code = getattr(obj, "__code__", None)
    return f"{obj.__module__}.{obj.__qualname__}@{code.co_filename}:{code.co_firstlineno}" if code else repr(obj)


def test_building_patches_nothing_in_reportlab(tmp_path):
    """Importing the package and building an issue leaves ReportLab's functions as a fresh import has them."""
    import json
    import subprocess
    import sys

    import newsletter_pdf  # noqa: F401
    from newsletter_pdf.cli import app  # noqa: F401

    out = tmp_path / "sample.pdf"
    code, stdout, stderr = run_cli("build", str(SAMPLE), "-o", str(out))
    assert code == 0, stdout + stderr
    fresh = json.loads(subprocess.run(
        [sys.executable, "-c", "import importlib, json, sys\n"
         "def d(m, n):\n"
         "    o = importlib.import_module(m)\n"
         "    for p in n.split('.'): o = getattr(o, p)\n"
         "    c = o.__code__\n"
         "    return f'{o.__module__}.{o.__qualname__}@{c.co_filename}:{c.co_firstlineno}'\n"
         f"print(json.dumps([d(m, n) for m, n in {_PATCHABLE!r}]))"],
        capture_output=True, text=True, check=True).stdout)
    here = [_describe(m, n) for m, n in _PATCHABLE]
    assert here == fresh
    assert all(d.startswith("reportlab.") for d in here)
    from reportlab import rl_config

    assert rl_config.useA85 == 0  # the one global setting, made on purpose by newsletter_pdf.setup.configure
