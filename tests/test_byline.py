"""Bylines: an author's portrait beside the name, and no portrait-wide gap for an author without one."""

from __future__ import annotations

import pypdfium2 as pdfium

from .conftest import make_issue, run_cli

ISSUE = """\
schema: 1
title: Test Newsletter
number: 5
date: 2024-03-01
publisher: Test Office
sections:
  - title: Foreword
    kind: message
    authors:
      - name: Quentin Noportrait
        role: Head of the Office
    body: |
      Welcome to this issue of the newsletter.
  - title: An Article
    authors:
      - name: Petra Portrait
        role: Program Manager
        photo: images/petra.jpg
      - name: Xavier Nophoto
        role: Assistant Program Manager
    body: |
      Body text of the article.
"""


def left_edges(pdf, words: list[str]) -> dict[str, float]:
    """The left edge (pt) of the first character of each word, on whichever page it is printed."""
    found: dict[str, float] = {}
    for page in pdfium.PdfDocument(str(pdf)):
        text_page = page.get_textpage()
        text = text_page.get_text_range()
        for word in words:
            index = text.find(word)
            if index >= 0 and word not in found:
                found[word] = text_page.get_charbox(index)[0]
    assert set(found) == set(words), f"not printed: {set(words) - set(found)}"
    return found


def test_an_author_without_a_photo_has_the_name_at_the_column_edge(tmp_path):
    # once: the name stood 22 mm in, after the empty cell where a portrait would have been
    folder = make_issue(tmp_path / "issue", ISSUE, pictures={"images/petra.jpg": (360, 440)})
    code, _, stderr = run_cli("build", folder, "-o", tmp_path / "x.pdf")
    assert code == 0, stderr
    x = left_edges(tmp_path / "x.pdf", ["Quentin", "Head of the Office", "Welcome", "Petra", "Xavier",
                                         "Assistant", "Body text"])
    column = x["Welcome"]  # the body text starts at the text column's left edge
    for word in ("Quentin", "Head of the Office", "Xavier", "Assistant"):
        assert abs(x[word] - column) < 2, f"{word!r} starts {x[word] - column:.1f} pt from the column's edge"
    # an author with a portrait keeps the name beside it, 22 mm in
    assert 60 < x["Petra"] - x["Body text"] < 64
