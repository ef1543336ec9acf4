"""``<sub>`` and ``<sup>`` in the Markdown: a subscript is set below the line's baseline, a
superscript above it, both smaller; read from the glyphs' boxes in the built PDF (PDFium)."""

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
  - title: Only Article
    body: |
      Water is H<sub>2</sub>O and the area is x<sup>2</sup> metres.
"""


def boxes(pdf, text: str) -> list[tuple[float, float, float, float]]:
    """The boxes (left, bottom, right, top) of the characters of ``text``, where it first appears."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        for page in document:
            text_page = page.get_textpage()
            found = text_page.get_text_range().find(text)
            if found >= 0:
                return [text_page.get_charbox(found + i) for i in range(len(text))]
    finally:
        document.close()
    raise AssertionError(f"{text!r} is not in the PDF")


def test_a_subscript_is_lowered_and_a_superscript_raised(tmp_path):
    folder = make_issue(tmp_path / "issue", ISSUE)
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    h, sub, o = boxes(out, "H2O")
    assert sub[1] < h[1] - 1  # its bottom below the letters' baseline
    assert sub[3] - sub[1] < o[3] - o[1]  # and smaller
    x, sup = boxes(out, "x2")
    assert sup[1] > x[1] + 2  # above it
    assert sup[3] - sup[1] < o[3] - o[1]
