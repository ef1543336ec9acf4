"""Typographic text everywhere, read from the built PDF: curly quotes and apostrophes in titles,
kickers, captions, the contents, running heads, bookmarks and metadata; en dashes in ranges of
numbers and dates (and not in phone numbers, ISO dates or codes); balanced headlines."""

from __future__ import annotations

import yaml
from pypdf import PdfReader
from reportlab.platypus import Paragraph as PlatypusParagraph

from newsletter_pdf.layout.fonts import register_text_faces
from newsletter_pdf.layout.styles import DEFAULT_GRID, GRIDS, FRAME_WIDTH, Styles, load_theme
from newsletter_pdf.layout.typography import curly_quotes, ranges

from .conftest import ROOT, bookmark_titles, make_issue, run_cli
from .fuzz.invariants import Pdf

STRAIGHT = ("'", '"')


def build(tmp_path, issue: dict, pictures: dict | None = None):
    folder = make_issue(tmp_path / "issue", yaml.safe_dump(issue, sort_keys=False, allow_unicode=True), pictures)
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    return out


QUOTED_ISSUE = {
    "schema": 1, "title": "The Islands' Newsletter", "number": 4, "date": "2024-01-01", "publisher": "Test Office",
    "period": "October - December 2023",
    "sections": [{"group": "Members' News", "sections": [
        {"title": "Tonga's Customs", "body": "Text of the first piece.\n"},
        {"title": "A meeting in Nuku'alofa", "body": "![The team's \"first\" day](images/a.jpg)\n\nText.\n"},
    ]}],
}


def test_titles_kickers_captions_contents_heads_bookmarks_and_metadata_have_curly_quotes(tmp_path):
    out = build(tmp_path, QUOTED_ISSUE, {"images/a.jpg": (800, 600)})
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for straight in STRAIGHT:
        assert straight not in text, [line for line in text.splitlines() if straight in line]
    for words in ("The Islands\u2019 Newsletter", "Tonga\u2019s Customs", "Nuku\u2019alofa", "MEMBERS\u2019 NEWS",
                  "The team\u2019s \u201cfirst\u201d day"):
        assert words in text, words
    contents = reader.pages[1].extract_text()
    assert "Tonga\u2019s Customs" in contents  # (the contents page: "Contents", then its entries)
    titles = bookmark_titles(reader)
    assert "Tonga\u2019s Customs" in titles and "A meeting in Nuku\u2019alofa" in titles, titles
    assert reader.metadata.title == "The Islands\u2019 Newsletter No.\u00a04".replace("\u00a0", " ")
    assert reader.metadata.subject.startswith("October\u2013December 2023")


def test_ranges_take_en_dashes_and_phone_numbers_iso_dates_and_codes_do_not(tmp_path):
    body = ("The workshop ran on 3 - 5 November 2023, and another on 14-18 November; the plan covers "
            "2023-2024 and October-December. Call +66-2-667-6777 before 2023-10-21 about ISO 9001-2015 "
            "and COVID-19.\n")
    out = build(tmp_path, {**QUOTED_ISSUE, "sections": [{"title": "Dates", "body": body}]})
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    for ranged in ("3\u20135 November 2023", "14\u201318 November", "2023\u20132024", "October\u2013December"):
        assert ranged in text, ranged
    for kept in ("+66-2-667-6777", "2023-10-21", "ISO 9001-2015", "COVID-19"):
        assert kept in text, kept


def test_the_transforms_on_their_own():
    assert curly_quotes("'Challenges' and 'What are") == "\u2018Challenges\u2019 and \u2018What are"
    assert curly_quotes('(1) Are you interested?" by') == "(1) Are you interested?\u201d by"
    assert curly_quotes("in the '90s") == "in the \u201990s"
    assert curly_quotes("s' text", before="s") == "s\u2019 text"
    assert ranges("9:00 - 17:00") == "9:00\u201317:00"
    assert ranges("2024-2023") == "2024-2023"  # not a range: the second year is not the later
    assert ranges("pages 10-12") == "pages 10-12"  # an unspaced hyphen between bare figures is left


def a_title_that_leaves_one_word_alone(style, width: float) -> tuple[str, str]:
    """A title that ReportLab's greedy breaking sets with one word alone on its last line, and that word."""
    words = ("Regional members agreed on the next steps of the customs laboratory programme for the "
             "coming year with their partners in the region").split()
    for count in range(6, len(words)):
        title = " ".join(words[:count])
        paragraph = PlatypusParagraph(title, style)
        paragraph.wrap(width, 1000)
        lines = paragraph.blPara.lines
        if 2 <= len(lines) <= 3 and len(lines[-1][1]) == 1:
            return title, words[count - 1]
    raise AssertionError("no such title")


def test_a_headline_never_ends_on_one_word_alone(tmp_path):
    register_text_faces()
    styles = Styles(load_theme(ROOT / "assets" / "themes" / "default").palette, "en", GRIDS[DEFAULT_GRID])
    title, alone = a_title_that_leaves_one_word_alone(styles.title, FRAME_WIDTH)
    out = build(tmp_path, {**QUOTED_ISSUE, "sections": [{"title": title, "body": "Text.\n"}]})
    pdf = Pdf(out)
    try:
        index = next(n for n, text in enumerate(pdf.texts) if n > 1 and title.split()[0] in text)
        chars = sorted((c for c in pdf.chars[index] if abs(c.size - styles.title.fontSize) < 0.05),
                       key=lambda c: -c.bottom)
    finally:
        pdf.close()
    rows: list[list] = []  # the title's lines: a descender's bottom is lower than its line's others
    for char in chars:
        if rows and rows[-1][0].bottom - char.bottom < 0.5 * char.size:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = ["".join(c.text for c in sorted(row, key=lambda c: c.left)) for row in rows]
    rights = [max(c.right for c in row) for row in rows]
    assert len(lines) >= 2, lines
    last = lines[-1]  # (PDFium's characters: no spaces)
    assert last.endswith(alone) and last != alone, lines  # more than the one word
    assert max(rights) - min(rights) < 0.35 * FRAME_WIDTH, rights  # lines of a length
