"""The page-quality report (check/quality.py): warnings about what a reader sees, never failures.

Built issues for what the layout makes (half-empty pages, full pages, pictures too small
for their place), PDFs drawn with ReportLab's canvas for what the layout avoids or cannot be
made to do on demand (a stranded heading, a run of hyphenated lines), and the CLI for the
build summary and ``newsletter check``.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from newsletter_pdf.check import PdfFacts, check_report
from newsletter_pdf.check import quality
from newsletter_pdf.layout import styles

from .conftest import make_issue, run_cli
from .synthetic import make_long_issue, make_synthetic_issue

SENTENCE = "The customs office met its partners in the region to plan the work on trade and border control for the coming year."
PARAGRAPH = " ".join([SENTENCE] * 4)
LONG_HEADING = ("## Pictures of the meeting, taken by the staff of the office on the first and the second day "
                "of the meeting in the region")


def issue_yaml(*sections: dict) -> str:
    # The wide grid (text across the page): the pages these tests build were worked out on it;
    # the report reads the page whatever its grid (the sample, on the default one, is tested below).
    return yaml.safe_dump({"schema": 1, "title": "Quality", "number": 7, "date": "2024-01-01", "publisher": "Test",
                           "theme": "wide", "sections": list(sections)}, sort_keys=False)


def built(tmp_path: Path, yaml_text: str, pictures: dict | None = None) -> tuple[Path, str]:
    folder = make_issue(tmp_path / "issue", yaml_text, pictures)
    out = tmp_path / "out.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    return out, stdout


def warnings(pdf: Path, kind: str | None = None) -> list[quality.PageWarning]:
    return [w for w in check_report(pdf).warnings if kind is None or w.kind == kind]


def empty_share(pdf: Path, index: int) -> float:
    facts = PdfFacts(pdf)
    try:
        return quality.empty_share(facts, index)
    finally:
        facts.close()


# Empty pages ---------------------------------------------------------------------------------

def test_a_page_left_half_empty_is_warned(tmp_path):
    # Four paragraphs and a line, then a three-line heading over a table whose one row is taller
    # than the room left (a row never splits but at a page top): the two go to the next page and
    # leave this one half empty.
    row = " ".join([SENTENCE] * 32)
    body = "\n\n".join([PARAGRAPH] * 4 + ["Short line."]) + f"\n\n{LONG_HEADING}\n\n" \
        + f"| Item | Note |\n|---|---|\n| {SENTENCE} | {row} |\n\n" + PARAGRAPH
    pdf, _ = built(tmp_path, issue_yaml({"title": "First Article", "body": body},
                                        {"title": "Second Article", "body": SENTENCE}))
    found = {w.index: w for w in warnings(pdf, "empty page")}
    assert 2 in found, found  # PDF page 3, the article's first page
    page = found[2]
    assert page.folio == 3 and "last page of an article" not in page.what
    assert 0.40 < empty_share(pdf, 2) < 0.60
    assert str(page).startswith("page 3 (folio 3): ") and "% empty" in str(page)


def test_an_article_s_short_last_page_is_listed_as_allowed(tmp_path):
    pdf, _ = built(tmp_path, issue_yaml({"title": "First Article", "body": PARAGRAPH},
                                        {"title": "Second Article", "body": SENTENCE}))
    found = {w.index: w for w in warnings(pdf, "empty page")}
    assert "last page of an article" in found[2].what, found  # before the next article's page


def test_a_full_page_is_not_warned(tmp_path):
    body = "\n\n".join([PARAGRAPH] * 14)  # more than a page of text, with its paragraph gaps
    pdf, _ = built(tmp_path, issue_yaml({"title": "Long Article", "body": body},
                                        {"title": "Second Article", "body": SENTENCE}))
    assert empty_share(pdf, 2) == 0.0  # paragraph gaps are spacing, not emptiness
    assert 2 not in {w.index for w in warnings(pdf, "empty page")}


def test_the_cover_and_contents_are_not_body_pages(tmp_path):
    pdf, _ = built(tmp_path, issue_yaml({"title": "Only Article", "body": "\n\n".join([PARAGRAPH] * 14)}))
    pages = {w.index for w in warnings(pdf, "empty page")}
    assert 0 not in pages and 1 not in pages  # the cover and the contents page are mostly empty


# Pictures ------------------------------------------------------------------------------------

def test_a_low_resolution_picture_placed_large_is_warned_with_its_ppi(tmp_path):
    body = "Small original:\n\n![Blurred](images/small.jpg)\n\nLarge original:\n\n![Sharp](images/large.jpg)\n"
    pdf, _ = built(tmp_path, issue_yaml({"title": "Pictures", "body": body}),
                   {"images/small.jpg": (300, 200), "images/large.jpg": (2400, 1600)})
    found = warnings(pdf, "low-resolution picture")
    assert len(found) == 1, found  # the large original is downsampled to 150 ppi, and not warned
    (picture,) = found
    placed_mm = float(str(picture).split("placed ")[1].split(" x ")[0])
    expected_ppi = 300 / (placed_mm / 25.4)
    assert f"a picture at {expected_ppi:.0f} ppi (300 x 200 pixels placed" in picture.what, picture.what
    assert picture.folio is not None


def test_a_print_profile_picture_below_150_ppi_is_warned_too(tmp_path):
    folder = make_issue(tmp_path / "issue", issue_yaml({"title": "Pictures", "body": "![Blurred](images/small.jpg)\n"}),
                        {"images/small.jpg": (300, 200)})
    out = tmp_path / "print.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out, "--profile", "print")
    assert code == 0, stderr
    assert len(warnings(out, "low-resolution picture")) == 1
    assert "ppi (300 x 200 pixels" in stdout


# Crafted PDFs: what the layout avoids ------------------------------------------------------

def crafted(path: Path, pages: list[list[tuple]]) -> Path:
    """A PDF of A4 pages drawn directly: each item ("text", y, size, words) at the frame's left
    edge, ("picture", y_bottom, height) or ("shape", y_bottom, height) there, or ("background",)
    under the whole page; every page but the first carries a folio."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number, items in enumerate(pages, start=1):
        for item in items:
            if item[0] in ("text", "text2"):  # text2: in a second column, as a letter in two columns has
                _, y, size, words = item
                pdf.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
                left = quality.FRAME_LEFT if item[0] == "text" else (quality.FRAME_LEFT + quality.FRAME_RIGHT) / 2 + 8
                pdf.drawString(left, y, words)
            elif item[0] == "shape":  # a filled band across the frame, as a table's background
                _, y, height = item
                pdf.setFillColorRGB(0.9, 0.93, 0.97)
                pdf.rect(quality.FRAME_LEFT, y, quality.FRAME_RIGHT - quality.FRAME_LEFT, height, stroke=0, fill=1)
                pdf.setFillColorRGB(0, 0, 0)
            elif item[0] == "background":  # the whole page
                pdf.setFillColorRGB(0.97, 0.97, 0.94)
                pdf.rect(0, 0, A4[0], A4[1], stroke=0, fill=1)
                pdf.setFillColorRGB(0, 0, 0)
            else:
                _, y, height = item
                picture = ImageReader(Image.new("RGB", (400, 300), (90, 120, 150)))
                pdf.drawImage(picture, quality.FRAME_LEFT, y, width=height * 4 / 3, height=height)
        if number > 1:
            pdf.setFont("Helvetica", 8.5)
            pdf.drawCentredString(A4[0] / 2, 31, str(number))
        pdf.showPage()
    pdf.save()
    return path


def body_lines(top: float, bottom: float, text: str = "A line of body text that goes on.") -> list[tuple]:
    lines, y = [], top
    while y > bottom:
        lines.append(("text", y, 10, text))
        y -= 14.2
    return lines


def test_pictures_and_shapes_fill_a_page_and_a_background_does_not(tmp_path):
    filled = body_lines(760, 600) + [("picture", 290, 300), ("shape", 130, 150)] + body_lines(120, 62)
    background = [("background",)] + body_lines(760, 600)
    pdf = crafted(tmp_path / "filled.pdf", [[], filled, background, body_lines(760, 62)])
    assert empty_share(pdf, 1) < 0.05
    assert empty_share(pdf, 2) > 0.7
    assert [w.index for w in warnings(pdf, "empty page")] == [2]


def test_a_heading_that_ends_a_page_whose_section_goes_on_is_warned(tmp_path):
    stranded = body_lines(760, 120) + [("text", 95, 13, "Way forward")]
    pdf = crafted(tmp_path / "stranded.pdf", [[], stranded, body_lines(760, 400)])
    found = warnings(pdf, "stranded heading")
    assert [w.index for w in found] == [1], found
    assert "the heading 'Way forward' ends the page" in found[0].what and found[0].folio == 2
    assert [w.kind for w in warnings(pdf)].count("stranded heading") == 1


def test_a_heading_before_a_new_section_or_a_picture_is_not_stranded(tmp_path):
    at_foot = body_lines(760, 120) + [("text", 95, 13, "Way forward")]
    new_section = [("text", 760, 22, "Next Article")] + body_lines(730, 400)
    with_picture = body_lines(760, 300) + [("text", 280, 13, "Pictures"), ("picture", 90, 170)]
    pdf = crafted(tmp_path / "kept.pdf", [[], at_foot, new_section, with_picture, body_lines(760, 400)])
    assert warnings(pdf, "stranded heading") == []


def test_three_hyphenated_line_ends_in_a_row_are_warned_with_their_words(tmp_path):
    lines = [("text", 760, 10, "The programme supports the work of inter-"),
             ("text", 745.8, 10, "national bodies and their ongoing organi-"),
             ("text", 731.6, 10, "sational reforms of customs administra-"),
             ("text", 717.4, 10, "tions in the region."),
             # Two in a row, and line ends that are no broken word: a dash, a figure's hyphen.
             ("text", 690, 10, "Two hyphens are not a run: a long inter-"),
             ("text", 675.8, 10, "national meeting with its organi-"),
             ("text", 661.6, 10, "sers, then a dash -"),
             ("text", 647.4, 10, "another dash \u2013"),
             ("text", 633.2, 10, "and the year 2022-"),
             ("text", 619, 10, "2023 ends it.")]
    pdf = crafted(tmp_path / "hyphens.pdf", [[], lines, body_lines(760, 400)])
    found = warnings(pdf, "hyphen run")
    assert len(found) == 1, found
    assert found[0].index == 1 and found[0].folio == 2
    assert "3 hyphenated line ends in a row (inter-national, organi-sational, administra-tions)" in found[0].what


def test_a_hyphen_run_is_read_in_its_column_on_a_page_in_two_columns(tmp_path):
    # The first column's lines share their baselines with the second's: read as one line
    # each, they would end in the second column's words, and the run would go unseen.
    first = ["The programme supports inter-", "national bodies and organi-", "sational reforms of administra-",
             "tions in the region."]
    second = ["The second column goes on", "with lines of its own that", "end in whole words, one", "after the other."]
    items = [("text", 760 - 14.2 * n, 10, text) for n, text in enumerate(first)]
    items += [("text2", 760 - 14.2 * n, 10, text) for n, text in enumerate(second)]
    pdf = crafted(tmp_path / "columns.pdf", [[], items])
    found = warnings(pdf, "hyphen run")
    assert len(found) == 1, found
    assert "3 hyphenated line ends in a row (inter-national, organi-sational, administra-tions)" in found[0].what


# The CLI -------------------------------------------------------------------------------------

def test_the_build_summary_and_check_show_the_warnings_and_exit_0(tmp_path):
    pdf, stdout = built(tmp_path, issue_yaml({"title": "Pictures", "body": "![Blurred](images/small.jpg)\n"}),
                        {"images/small.jpg": (300, 200)})
    report = warnings(pdf)
    assert report  # the picture, and the article's mostly empty page
    summary, *lines = stdout.strip().splitlines()
    assert f"11 checks passed, {len(report)} page warning{'s' if len(report) > 1 else ''}" in summary
    assert lines == [f"warning: {w}" for w in report]
    assert any("ppi" in line for line in lines)

    code, stdout, stderr = run_cli("check", pdf)
    assert code == 0, stdout + stderr
    for w in report:
        assert f"warning: {w}" in stdout
    assert stdout.strip().splitlines()[-1] == f"10 checks passed, 0 failed, {len(report)} page warning" \
        + ("s" if len(report) > 1 else "")


def test_a_pdf_without_warnings_says_nothing_of_them(tmp_path):
    body = "\n\n".join([PARAGRAPH] * 8)
    pdf, stdout = built(tmp_path, issue_yaml({"title": "Only Article", "body": body}))
    assert warnings(pdf) == []
    assert "page warning" not in stdout and "warning:" not in stdout


# The geometry the report reads ---------------------------------------------------------------

def test_the_report_reads_the_layouts_frame_and_sizes():
    assert quality.FRAME_LEFT == styles.MARGIN_INNER and quality.FRAME_BOTTOM == styles.MARGIN_BOTTOM
    assert abs(quality.FRAME_RIGHT - (styles.PAGE_WIDTH - styles.MARGIN_OUTER)) < 1e-3
    assert abs(quality.FRAME_TOP - (styles.PAGE_HEIGHT - styles.MARGIN_TOP)) < 1e-3
    assert (quality.BODY_SIZE, quality.BODY_LEADING) == (styles.BODY_SIZE, styles.BODY_LEADING)
    theme = styles.Styles(styles.load_palette(Path(__file__).parent.parent / "assets" / "themes" / "default"), "en")
    assert {theme.title.fontSize, theme.report_title.fontSize, theme.h2.fontSize, theme.h3.fontSize,
            theme.group_banner.fontSize} == set(quality.HEADING_SIZES)
    assert {theme.title.fontSize, theme.report_title.fontSize, theme.group_banner.fontSize} \
        == set(quality.SECTION_START_SIZES)


def test_a_broken_word_is_told_from_a_dash():
    # PDFium reads the pipeline's line-end hyphen as \x02; a typed hyphen, soft hyphen or U+2010 alike.
    for line in ("the A-CIP Pro\x02", "inter-", "organi\xad", "organi\u2010", "E-"):
        assert quality._ends_in_broken_word(line), line
    for line in ("a dash -", "an en dash \u2013", "the year 2022-", "-", "an em dash\u2014"):
        assert not quality._ends_in_broken_word(line), line


def test_the_sample_fills_its_pages_and_strands_no_heading(sample_pdf):
    # On the default grid: no page more than 40 % empty but pieces' last pages, at most two (a
    # feature whose earlier pages are full, with no hole under a picture, followed by another).
    report = warnings(sample_pdf)
    empty = [w for w in report if w.kind == "empty page"]
    assert len(empty) <= 2 and all("last page of an article" in w.what for w in empty), empty
    assert not [w for w in report if "heading" in w.kind], report


def test_a_second_issue_fills_its_pages_and_runs_its_reports_on(tmp_path):
    """An issue of another make than No. 79: a foreword of six paragraphs, two features with
    notes and tables of 45 rows, and three groups of eight reports with pictures, notes in
    every third. No page more than 40% empty but at most two pieces' last pages; no stranded
    heading; the measure 55-75; the foreword on its page; the reports and groups run on."""
    folder = make_synthetic_issue(tmp_path / "second", seed=7, groups=3, sections_per_group=8, pictures=True,
                                  articles=2, paragraphs=5, foreword_paragraphs=6, table_rows=45, report_notes=2)
    out = tmp_path / "second.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    report = warnings(out)
    empty = [w for w in report if w.kind == "empty page"]
    assert len(empty) <= 2 and all("last page of an article" in w.what for w in empty), empty
    assert not [w for w in report if w.kind in ("stranded heading", "hyphen run")], report
    figures = _figures(out)
    assert figures.measure_ok, figures
    facts = PdfFacts(out)
    try:
        pages = [" ".join(line.text for line in facts.spans(i)) for i in range(len(facts.reader.pages))]
        # A report title (15.5 pt) below the top of its page: it runs on after the report before.
        run_on = sum(1 for i in quality.body_pages(facts)
                     for line in quality._text_lines(facts, i)[2:] if abs(line.size - 15.5) < 0.05)
    finally:
        facts.close()
    foreword = next(i for i, text in enumerate(pages) if "From the Head" in text.title() or "FROM THE HEAD" in text)
    assert "A. Head" in pages[foreword]
    assert run_on >= 12, run_on  # of 24 reports, 3 of them first under a banner that may start a page


# Paragraph quality ---------------------------------------------------------------------------

def _justified(pdf, y: float, text: str, right: float, last: bool = False) -> None:
    """``text`` at body size from the frame's left edge, its spaces widened to end at ``right``
    (left as they are for a paragraph's last line)."""
    words = text.split(" ")
    natural = pdf.stringWidth(text, "Helvetica", 10)
    spread = 0 if last or len(words) < 2 else (right - quality.FRAME_LEFT - natural) / (len(words) - 1)
    line = pdf.beginText(quality.FRAME_LEFT, y)
    line.setFont("Helvetica", 10)
    line.setWordSpace(spread)
    line.textLine(text)
    pdf.drawText(line)


def test_the_paragraph_figures_count_hyphens_runs_fragments_page_turns_and_loose_lines(tmp_path):
    path = tmp_path / "paragraphs.pdf"
    right = quality.FRAME_LEFT + 248  # full lines' words spread to gaps of 3 to 4.5 pt
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.showPage()  # the cover: no folio, not counted
    lines = [("The programme supports the work of the international", False),
             ("customs bodies and of their ongoing and new organi-", False),
             ("sational reforms of all the administrations in the inter-", False),
             ("regional.", True),  # a last line that is only a word fragment
             ("A loose line with few words", False),  # gaps of about 2 em
             ("and a last line.", True),
             ("The page ends in the middle of a paragraph with broken-", False)]  # a page turn
    y = 760
    for text, last in lines:
        _justified(pdf, y, text, right, last)
        y -= 14.2
    pdf.setFont("Helvetica", 8.5)
    pdf.drawCentredString(A4[0] / 2, 31, "2")
    pdf.showPage()
    _justified(pdf, 760, "ness, and goes on for one more line, a full one, and then", right)
    _justified(pdf, 745.8, "ends.", right, last=True)
    pdf.setFont("Helvetica", 8.5)
    pdf.drawCentredString(A4[0] / 2, 31, "3")
    pdf.showPage()
    pdf.save()
    facts = PdfFacts(path)
    try:
        figures = quality.paragraph_figures(facts)
    finally:
        facts.close()
    assert figures.lines == 9
    assert figures.hyphenated == 3 and figures.longest_run == 2
    assert figures.fragments == 1 and figures.page_turns == 1
    assert figures.loose == 1 and figures.justified == 6
    assert "33.3% end in a hyphen (at most 2 in a row)" in str(figures)
    full = sorted(len(text) for text, last in lines if not last) + [len("ness, and goes on for one more line, a full one, and then")]
    assert figures.measure == (sorted(full)[len(full) // 2], sorted(full)[0], sorted(full)[-1])
    assert f"a measure of {figures.measure[0]} characters a line" in str(figures)


def _figures(pdf: Path) -> quality.ParagraphFigures:
    facts = PdfFacts(pdf)
    try:
        return quality.paragraph_figures(facts)
    finally:
        facts.close()


def _assert_well_broken(figures: quality.ParagraphFigures, hyphen_share: float) -> None:
    assert figures.lines > 300, figures
    assert figures.hyphenated / figures.lines <= hyphen_share, figures
    assert figures.longest_run <= 2, figures
    assert figures.page_turns == 0, figures
    assert figures.fragments == 0, figures
    assert figures.loose / figures.lines <= 0.03, figures
    assert figures.measure_ok and 55 <= figures.measure[1] and figures.measure[2] <= 75, figures


def test_the_sample_s_paragraphs_are_broken_as_a_whole(sample_pdf):
    # Greedy breaking gave 22% of lines ending in a hyphen, four in a row, three words broken
    # across a page turn, six one-fragment last lines and 7% loose lines; the first total-fit
    # breaker 8.5% hyphens and 2.9% loose lines. The issue asks at most 8% and 3%.
    _assert_well_broken(_figures(sample_pdf), hyphen_share=0.08)


def test_a_long_issue_s_paragraphs_are_broken_as_a_whole(tmp_path):
    """Thirty reports (about 80 pages) of No. 79's sentences drawn into new paragraphs, with
    lists, notes and long tables: other words at the line ends, other page turns."""
    from .conftest import SAMPLE

    folder = make_long_issue(tmp_path / "long", SAMPLE, reports=30)
    out = tmp_path / "long.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    # The first total-fit breaker: 9.6% hyphens, 2.1% loose lines.
    _assert_well_broken(_figures(out), hyphen_share=0.08)
