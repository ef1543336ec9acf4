"""Shared fixtures: the built sample issue, and small issue folders made on the spot."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from newsletter_pdf.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "079"


def run_cli(*args: str):
    """Run the ``newsletter`` command in-process; return (exit code, stdout, stderr)."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def bookmark_titles(reader: PdfReader) -> list[str]:
    """The titles of a PDF's bookmarks, nested ones included, in order."""
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def squash(text: str) -> str:
    """Text without whitespace, line-end hyphens or curly quotes, so wrapped, typeset text still matches."""
    text = text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}))
    return re.sub(r"-\s*\n|\s+", "", text)


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "newsletter-079.pdf"
    code, stdout, stderr = run_cli("build", SAMPLE, "-o", out)
    assert code == 0, stderr
    return out


MINIMAL = """\
schema: 1
title: Test Newsletter
number: 5
date: 2024-03-01
publisher: Test Office
sections:
  - title: Only Article
    body: |
      Hello world.
"""


def make_issue(folder: Path, yaml_text: str = MINIMAL, pictures: dict[str, tuple[int, int]] | None = None) -> Path:
    """An issue folder with ``issue.yaml`` and plain JPEG pictures of the given pixel sizes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    for name, size in (pictures or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (90, 120, 150)).save(path, "JPEG", quality=70)
    return folder
