"""Tables that read, measured on the built PDF: one column spec for a series of similar
tables, numbers right-aligned in tabular figures, a row pitch of about 1.4 times the type
size, at least three rows on either side of a split, "(continued)" on the continuation."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont

from newsletter_pdf.layout.fonts import FACES, FONTS_DIR, SANS
from newsletter_pdf.layout.styles import Palette, Styles

from .conftest import make_issue, run_cli

HEAD = """\
schema: 1
title: Table Test
number: 12
date: 2024-03-01
publisher: Test Office
sections:
"""


def body(markdown: str) -> str:
    return "".join(f"      {line}\n" if line else "\n" for line in markdown.strip("\n").split("\n"))


def table(header: str, rows: list[str], delimiter: str = "|---|---|") -> str:
    return "\n".join([header, delimiter] + rows) + "\n"


SERIES = [  # one series: two columns, "Module N" headers; the long row of the second sets the widths
    table("| Module 1 | First topics |", [f"| {n} | sSa{n} topic |" for n in range(1, 5)]),
    table("| Module 2 | Second topics |", [f"| {n} | sSb{n} topic |" for n in range(1, 4)]
          + ["| 4 | sSb4 a topic so long that it takes more than the width of the page, and so wraps onto a"
             " second line in its cell, while the first column keeps its width |"]),
    table("| Module 10 | Third topics |", [f"| {n} | sSc{n} topic |" for n in range(1, 13)]),
]
FIGURES = table("| Country | Officers trained |", ["| sFa Japan | 1,250 |", "| sFb Korea | 35% |",
                                                    "| sFc Fiji | $4.50 |", "| sFd Tonga | 10–12 |",
                                                    "| sFe Samoa | – |", "| sFf Palau | USD 7,400 |"])
LEFT = table("| Year | Budget |", ["| 2021 | 1,200 |", "| 2022 | 13,500 |"], "|:---|:---|")

# Tables after a filler of ``lines`` lines in one or two paragraphs (the second adds a
# paragraph's space, about half a row): one of them meets the page foot wherever ReportLab
# would leave one or two of its rows; the same with a note on the second row, which takes room
# at the foot; and tables a row or two longer than a page.
FILLS = [(lines, paragraphs) for lines in range(38, 44) for paragraphs in (1, 2)]
LONG_ROWS = range(46, 56)


def filler(tag: str, lines: int, paragraphs: int) -> str:
    words = [f"{tag}x{n} line" for n in range(lines)]
    cut = lines // 2 if paragraphs == 2 else lines
    return "\\\n".join(words[:cut]) + ("\n\n" + "\\\n".join(words[cut:]) if cut < lines else "")


def split_sections() -> str:
    note = " ".join(["a note long enough to take several lines at the foot of the page"] * 8)
    out = ""
    for lines, paragraphs in FILLS:
        fill = f"{lines}{paragraphs}"
        for kind, rows, marker in (("T", 30, ""), ("U", 5, ""), ("N", 12, "[^1]"), ("M", 5, "[^1]")):
            cells = [f"| {n} | s{kind}{fill}r{n}{marker if n == 2 else ''} |" for n in range(1, rows + 1)]
            out += (f"  - title: Fill {kind} {fill}\n    body: |\n"
                    + body(filler(f"sL{kind}{fill}", lines, paragraphs) + "\n\n"
                           + table(f"| Item | Topic {fill} |", cells)
                           + (f"\n[^1]: {note}\n" if marker else "")))
    for rows in LONG_ROWS:
        out += (f"  - title: Long {rows}\n    body: |\n"
                + body(table(f"| Item | Part {rows} |", [f"| {n} | sV{rows}r{n} |" for n in range(1, rows + 1)])))
    return out


ISSUE = (HEAD + "  - title: Series\n    body: |\n"
         + body("Three tables of one series.\n\n### One\n\n" + SERIES[0] + "\nA paragraph between.\n\n" + SERIES[1]
                + "\n### Three\n\n" + SERIES[2] + "\nFigures, a table of its own.\n\n" + FIGURES + "\n" + LEFT)
         + split_sections())


@dataclass
class Word:
    text: str
    left: float
    bottom: float
    right: float
    top: float


def page_words(pdf) -> list[list[Word]]:
    """The words of every page with their loose boxes (advance widths, the font's ascent and descent)."""
    document = pdfium.PdfDocument(str(pdf))
    pages = []
    for index in range(len(document)):
        text = document[index].get_textpage()
        words: list[Word] = []
        current: Word | None = None
        for i in range(text.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
            generated = pdfium_c.FPDFText_IsGenerated(text.raw, i) == 1
            if generated or code in (0, 0xFFFE) or not chr(code).strip():
                current = None
                continue
            left, bottom, right, top = text.get_charbox(i, loose=True)
            if current is not None and abs(bottom - current.bottom) < 0.5 and left - current.right < 1:
                current.text += chr(code)
                current.right = right
            else:
                current = Word(chr(code), left, bottom, right, top)
                words.append(current)
        pages.append(words)
    document.close()
    return pages


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = make_issue(tmp_path_factory.mktemp("tables") / "issue", ISSUE)
    out = folder / "tables.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr + stdout
    return page_words(out)


def find(pages, text: str) -> tuple[int, Word]:
    found = [(n, w) for n, words in enumerate(pages) for w in words if w.text == text]
    assert len(found) == 1, (text, found)
    return found[0]


def row_number(pages, label: str) -> Word:
    """The number cell in the row whose topic starts with ``label`` (the word left of it)."""
    page, topic = find(pages, label)
    return max((w for w in pages[page] if abs(w.bottom - topic.bottom) < 0.5 and w.right < topic.left),
               key=lambda w: w.right)


# One column spec for a series ----------------------------------------------------------------------

def test_a_series_of_similar_tables_shares_its_column_widths(built):
    starts = [find(built, label)[1].left for label in ("sSa1", "sSb1", "sSc1")]
    assert max(starts) - min(starts) < 0.01, starts
    # The widths are those of the whole series: the first table's own would be narrower
    # ("Module 1"), and the table of figures that follows keeps its own.
    assert abs(find(built, "13,500")[1].left - starts[0]) > 5


def test_a_short_column_header_does_not_wrap(built):
    page = find(built, "sSc1")[0]
    modules = [w for w in built[page] if w.text == "Module"]
    assert any(w.text == "10" and abs(w.bottom - m.bottom) < 0.5 and 0 < w.left - m.right < 4
               for m in modules for w in built[page]), "'Module 10' is set on one line"


# Numbers right-aligned in tabular figures -------------------------------------------------------------

def test_a_column_of_numbers_is_right_aligned_header_too(built):
    figures = ["1,250", "35%", "$4.50", "10–12", "–", "7,400"]
    rights = [find(built, text)[1].right for text in figures] + [find(built, "trained")[1].right]
    assert max(rights) - min(rights) < 0.05, rights
    lefts = [find(built, text)[1].left for text in ("sFa", "sFb", "Country")]
    assert max(lefts) - min(lefts) < 0.05, "a column of words stays left-aligned"
    numbers = [row_number(built, f"sSc{n}") for n in (1, 9, 10, 12)]
    assert max(w.right for w in numbers) - min(w.right for w in numbers) < 0.05
    assert numbers[0].left > numbers[2].left + 3, "'1' stands right of '10', under its last figure"


def test_the_markdown_alignment_wins_over_the_numbers(built):
    page, budget = find(built, "13,500")
    year = find(built, "2021")[1]
    first = next(w for w in built[page] if w.text == "1,200" and abs(w.bottom - year.bottom) < 0.5)
    assert abs(first.left - budget.left) < 0.05, "a column marked ':---' stays left-aligned"
    assert abs(find(built, "2021")[1].left - find(built, "2022")[1].left) < 0.05


def feature_mapping(font: TTFont, tag: str) -> dict[str, str]:
    """The single substitutions of GSUB feature ``tag``: glyph name -> glyph name."""
    gsub = font["GSUB"].table
    mapping: dict[str, str] = {}
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == tag:
            for index in record.Feature.LookupListIndex:
                for sub in gsub.LookupList.Lookup[index].SubTable:
                    sub = getattr(sub, "ExtSubTable", sub)
                    mapping.update(getattr(sub, "mapping", {}) or {})
    return mapping


def test_the_figures_of_the_table_faces_are_tabular():
    """Noto Sans's default figures all have one advance width (572/1000 em, regular and bold):
    they are its tabular figures, so a right-aligned column of numbers lines up digit under
    digit as drawn, with no ``tnum`` substitution. Its proportional figures are the ``pnum``
    feature's glyphs, of different widths (the measure can tell them apart)."""
    styles = Styles(Palette(*(None,) * 5), "en")
    assert styles.table_cell.fontName == SANS and styles.table_head.fontName == f"{SANS}-bold"
    face = next(f for f in FACES if f.family == SANS)
    for file in (face.regular, face.bold):
        font = TTFont(FONTS_DIR / file)
        cmap, metrics = font.getBestCmap(), font["hmtx"]
        digits = [cmap[ord(d)] for d in "0123456789"]
        assert len({metrics[g][0] for g in digits}) == 1, (file, {g: metrics[g][0] for g in digits})
        proportional = feature_mapping(font, "pnum")
        assert len({metrics[proportional.get(g, g)][0] for g in digits}) > 1, file


def test_figures_in_the_pdf_have_one_width(built):
    widths = {round(w.right - w.left, 2) for n in range(1, 10)
              for w in [row_number(built, f"sSc{n}")]}
    assert len(widths) == 1, widths


# Row pitch ----------------------------------------------------------------------------------------------

def test_a_row_of_one_line_is_about_1_4_times_the_type_size(built):
    bottoms = [row_number(built, f"sSc{n}").bottom for n in range(1, 13)]
    pitches = [a - b for a, b in zip(bottoms, bottoms[1:])]
    assert all(12.4 <= p <= 13.2 for p in pitches), pitches  # 9 pt type: 1.38 to 1.47 times


# Splits --------------------------------------------------------------------------------------------------

def rows_per_page(built, tag: str) -> dict[int, int]:
    pattern = re.compile(rf"{tag}r\d+$")
    counts = {}
    for page, words in enumerate(built):
        found = sum(1 for w in words if pattern.match(w.text))
        if found:
            counts[page] = found
    return counts


def fill_tags(kind: str) -> list[str]:
    return [f"s{kind}{lines}{paragraphs}" for lines, paragraphs in FILLS]


def test_a_split_leaves_at_least_three_rows_on_either_side(built):
    tags = fill_tags("T") + fill_tags("N") + [f"sV{rows}" for rows in LONG_ROWS]
    parts = {tag: rows_per_page(built, tag) for tag in tags}
    assert sum(len(p) > 1 for p in parts.values()) >= 15, "the tables of the test split"
    short = {tag: p for tag, p in parts.items() if min(p.values()) < 3}
    assert not short, short


def test_a_table_of_five_rows_does_not_split(built):
    parts = {tag: rows_per_page(built, tag) for tag in fill_tags("U") + fill_tags("M")}
    assert all(len(p) == 1 and sum(p.values()) == 5 for p in parts.values()), parts


def test_the_repeated_header_says_continued_on_the_continuation_only(built):
    heads = [(tag, f"{lines}{paragraphs}", "Topic") for kind in "TN"
             for tag, (lines, paragraphs) in zip(fill_tags(kind), FILLS)]
    heads += [(f"sV{rows}", str(rows), "Part") for rows in LONG_ROWS]
    continued = 0
    for tag, number, word in heads:
        pages = sorted(rows_per_page(built, tag))
        for position, page in enumerate(pages):
            words = [w.text for w in built[page]]
            at = [i for i, w in enumerate(words) if w == number and i and words[i - 1] == word]
            assert len(at) == 1, (tag, page, words[:20])
            labelled = words[at[0] + 1:at[0] + 2] == ["(continued)"]
            assert labelled == (position > 0), (tag, page, words[at[0] - 1:at[0] + 2])
            continued += labelled
    assert continued >= 15
