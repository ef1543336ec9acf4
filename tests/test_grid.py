"""The page grid, measured on built PDFs: a text column of a readable measure with a margin
column for captions (the default theme), pictures flush with the grid, and the wide grid of
the ``wide`` theme."""

from __future__ import annotations

import shutil
import statistics

import pytest

from newsletter_pdf.layout.styles import BODY_SIZE, DEFAULT_GRID, GRIDS, MARGIN_INNER, PAGE_WIDTH, MARGIN_OUTER

from .conftest import ROOT, SAMPLE, run_cli
from .fuzz.invariants import Pdf

TEXT_RIGHT = MARGIN_INNER + GRIDS[DEFAULT_GRID].text_width
MARGIN_LEFT = TEXT_RIGHT + GRIDS[DEFAULT_GRID].gutter
FRAME_RIGHT = PAGE_WIDTH - MARGIN_OUTER
INK = 2.5  # pt an italic glyph may overhang its advance
FULL_LINE = 4.0  # a justified line ends within this of the column's right edge


def body_lines(pdf: Pdf, index: int) -> list[tuple[float, float, int]]:
    """The page's lines of body text (10 pt): (left, right, characters counting word spaces)."""
    body = sorted((c for c in pdf.chars[index] if abs(c.size - BODY_SIZE) < 0.05), key=lambda c: -c.bottom)
    rows: list[list] = []
    for char in body:  # lines are 14.2 pt apart; a descender, a comma or a hyphen stays on its line
        if rows and rows[-1][0].bottom - char.bottom < 6:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for chars in rows:
        chars.sort(key=lambda c: c.left)
        gaps = sum(1 for a, b in zip(chars, chars[1:]) if b.left - a.right > 1.2)
        lines.append((chars[0].left, chars[-1].right, len(chars) + gaps))
    return lines


@pytest.fixture(scope="module")
def sample(sample_pdf):
    pdf = Pdf(sample_pdf)
    yield pdf
    pdf.close()


def full_lines(pdf: Pdf, right: float) -> list[int]:
    return [count for index in range(1, len(pdf.chars) - 1) for left, end, count in body_lines(pdf, index)
            if abs(end - right) < FULL_LINE and left < MARGIN_INNER + 30]


def test_the_text_column_sets_55_to_75_characters_a_line(sample):
    counts = full_lines(sample, TEXT_RIGHT)
    assert len(counts) > 500  # the sample's body text is set in the column
    assert 55 <= statistics.median(counts) <= 75, statistics.median(counts)
    within = sum(1 for count in counts if 55 <= count <= 80) / len(counts)
    assert within > 0.9, within


def letter_columns(pdf: Pdf, index: int) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The two columns' extents if the page holds a letter in two columns across the frame
    (body text beyond the text column), else None."""
    from newsletter_pdf.layout.columns import COLUMN_GAP

    width = (FRAME_RIGHT - MARGIN_INNER - COLUMN_GAP) / 2
    if not any(abs(c.size - BODY_SIZE) < 0.05 and c.left > TEXT_RIGHT + INK for c in pdf.chars[index]):
        return None
    return (MARGIN_INNER, MARGIN_INNER + width), (FRAME_RIGHT - width, FRAME_RIGHT)


def test_body_text_stays_in_its_column_and_captions_stand_in_the_margin(sample):
    letters = 0
    for index in range(1, len(sample.chars) - 1):
        columns = letter_columns(sample, index)
        if columns is not None:  # the foreword, too long for the text column: each glyph in one of two columns
            letters += 1
            for char in (c for c in sample.chars[index] if abs(c.size - BODY_SIZE) < 0.05):
                assert any(left - 0.5 <= char.left and char.right <= right + INK for left, right in columns), \
                    (index + 1, char)
            continue
        for left, right, _ in body_lines(sample, index):
            assert right <= TEXT_RIGHT + INK, (index + 1, right)
    assert letters == 1
    # The captions of single pictures stand in the margin column, at the foot of their picture.
    beside = 0
    for index, pictures in enumerate(sample.pictures):
        if index == 0:
            continue
        margin_chars = [c for c in sample.chars[index] if c.left >= MARGIN_LEFT - 0.5 and c.size < BODY_SIZE]
        for left, bottom, right, top in pictures:
            if right > TEXT_RIGHT + 0.5:
                continue  # a picture of a row across the page
            assert abs(left - MARGIN_INNER) < 0.5, "a single picture stands flush left in the text column"
            caption = [c for c in margin_chars if bottom - 1 <= c.bottom <= top]
            if caption:
                beside += 1
                assert abs(min(c.bottom for c in caption) - bottom) < 4, "the caption ends at the picture's foot"
    assert beside >= 5


def test_a_row_of_pictures_is_flush_with_both_edges_of_the_page(sample):
    rows = 0
    for index, pictures in enumerate(sample.pictures[1:], start=1):
        by_top: dict[int, list] = {}
        for box in pictures:
            by_top.setdefault(round(box[3]), []).append(box)
        for row in by_top.values():
            if len(row) < 2:
                continue
            rows += 1
            assert abs(min(b[0] for b in row) - MARGIN_INNER) < 0.5, (index + 1, row)
            assert abs(max(b[2] for b in row) - FRAME_RIGHT) < 0.5, (index + 1, row)
            assert len({round(b[3] - b[1], 1) for b in row}) == 1, "the pictures of a row share one height"
    assert rows >= 4


def test_the_wide_theme_sets_text_across_the_page(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "assets", project / "assets")
    shutil.copytree(SAMPLE, project / "issues" / "079")
    issue = project / "issues" / "079" / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("\nlanguage: en\n", "\nlanguage: en\ntheme: wide\n", 1),
                     encoding="utf-8")
    out = tmp_path / "wide.pdf"
    code, _, stderr = run_cli("build", project / "issues" / "079", "-o", out)
    assert code == 0, stderr
    pdf = Pdf(out)
    counts = full_lines(pdf, FRAME_RIGHT)
    pdf.close()
    assert len(counts) > 300 and statistics.median(counts) > 85


def test_a_theme_with_an_unknown_grid_is_an_error_at_its_line(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "assets", project / "assets")
    theme = project / "assets" / "themes" / "default" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("grid: margin", "grid: three-columns"), encoding="utf-8")
    shutil.copytree(SAMPLE, project / "issues" / "079")
    code, _, stderr = run_cli("build", project / "issues" / "079", "-o", tmp_path / "x.pdf")
    line = theme.read_text(encoding="utf-8").splitlines().index("grid: three-columns") + 1
    assert code == 2
    assert f"theme.yaml:{line}:1: grid: no grid 'three-columns': write one of margin, wide" in stderr
