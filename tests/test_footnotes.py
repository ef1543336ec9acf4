"""Footnotes at the foot of their marker's page, read back from the PDF's links and text positions."""

from __future__ import annotations

import random
import re

import pytest
import yaml
from pypdf import PdfReader

from .conftest import SAMPLE, make_issue, run_cli, squash
from .synthetic import paragraph, sentence

BODY_SIZE_MIN = 9.0
FOOTER = 62.0


def spans(page):
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text, cm[4] + tm[4], cm[5] + tm[5], float(size)))

    page.extract_text(visitor_text=visit)
    return found


def note_links(reader: PdfReader):
    """(marker page, note page, note top y) for every note marker (a link described as "Note N")
    outside the contents page."""
    out = []
    for index, page in enumerate(reader.pages):
        text = page.extract_text() or ""
        if "Contents" in text[:120]:
            continue
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if destination and str(annotation.get("/Contents", "")).startswith("Note"):  # not the cover's lines
                out.append((index, reader.get_page_number(destination[0].get_object()), float(destination[3]),
                            float(annotation["/Rect"][1])))
    return out


def assert_notes_below_body(reader: PdfReader, links) -> None:
    for marker_page, note_page, note_top, marker_y in links:
        assert marker_page == note_page, f"note of the marker on PDF page {marker_page + 1} is on {note_page + 1}"
        body = [s for s in spans(reader.pages[note_page]) if s[3] >= BODY_SIZE_MIN and FOOTER < s[2]]
        assert min(s[2] for s in body) > note_top - 2, f"body text below a note on PDF page {note_page + 1}"
        assert marker_y > note_top, "a marker below its own note"


def test_the_bacuda_notes_sit_at_the_foot_of_their_markers_pages(sample_pdf):
    reader = PdfReader(str(sample_pdf))
    links = note_links(reader)
    assert len(links) == 13
    assert_notes_below_body(reader, links)
    issue = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
    bacuda = next(s for g in issue["sections"] for s in g.get("sections", [g]) if "BACUDA" in s["title"])
    notes = {int(m.group(1)): m.group(2) for m in re.finditer(r"^\[\^(\d+)\]: (.*)$", bacuda["body"], re.M)}
    for number, (marker_page, _, _, _) in zip(sorted(notes), sorted(links, key=lambda l: (l[0], -l[3]))):
        page_text = squash(reader.pages[marker_page].extract_text())
        assert squash(notes[number])[:25].replace("*", "") in page_text, f"note {number} is not on its marker's page"


def test_check_verifies_note_placement(sample_pdf):
    code, stdout, _ = run_cli("check", sample_pdf)
    assert code == 0
    assert re.search(r"^ok +footnotes on their marker's page: 13 notes", stdout, re.M)


def _stress_body(rng: random.Random, notes: int = 30) -> str:
    """Paragraphs, lists (nested) and a table, with markers everywhere; some notes half a page long."""
    parts: list[str] = []
    number = 0

    def ref() -> str:
        nonlocal number
        number += 1
        return f"[^{number}]"

    while number < notes:
        kind = rng.random()
        if kind < 0.15 and number < notes - 2:
            parts.append(f"- {sentence(rng)}{ref()}\n- {sentence(rng)}\n  - {sentence(rng)}{ref()}")
        elif kind < 0.25 and number < notes - 2:
            parts.append("| No. | Topic |\n|---|---|\n"
                         + "\n".join(f"| {i} | {sentence(rng, 4, 9)}{ref() if i in (3, 7) else ''} |" for i in range(1, 11)))
        else:
            words = paragraph(rng, rng.randint(4, 9)).split(" ")
            # Positions in reading order, so that labels are numbered as written (first reference first).
            for position in sorted(rng.sample(range(1, len(words)), rng.randint(1, 3))):
                if number < notes:
                    words[position] += ref()
            parts.append(" ".join(words))
    for n in range(1, notes + 1):
        long = n in (4, 11, 19, 26)
        text = " ".join(sentence(rng, 14, 24) for _ in range(30 if long else rng.randint(1, 5)))
        parts.append(f"[^{n}]: Note {n} begins. {text}")
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_stress_section_loses_no_note_and_overlaps_nothing(tmp_path, seed):
    rng = random.Random(seed)
    body = _stress_body(rng)
    issue = {"schema": 1, "title": "Stress", "number": 1, "date": "2024-01-01", "publisher": "Test",
             "sections": [{"title": "Thirty notes", "body": body}]}
    folder = make_issue(tmp_path / "issue", yaml.safe_dump(issue, allow_unicode=True, sort_keys=False))
    out = tmp_path / "stress.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    reader = PdfReader(str(out))
    links = note_links(reader)
    assert len(links) == 30, "every note has its marker link"
    assert_notes_below_body(reader, links)
    texts = [squash(p.extract_text()) for p in reader.pages]
    for n in range(1, 31):
        pages = [i for i, t in enumerate(texts) if f"Note{n}begins." in t]
        assert len(pages) == 1, f"note {n} is lost or doubled"
    # (pypdf may read a space before the label when the text above it was moved down: bottoms.py)
    continued = [(i, int(m.group(1))) for i, page in enumerate(reader.pages)
                 for m in re.finditer(r"^\s*(\d+)\s*\(continued\)", page.extract_text(), re.M)]
    assert continued, "the half-page notes must continue on a following page"
    for number in {n for _, n in continued}:
        # A note goes on directly on the pages after the one where it began, one after
        # another, labelled again on each.
        begun = next(i for i, t in enumerate(texts) if f"Note{number}begins." in t)
        pages = sorted(page for page, n in continued if n == number)
        assert pages == list(range(begun + 1, begun + 1 + len(pages))), (number, begun, pages)



def test_markers_in_captions_and_quotes_bring_their_notes(tmp_path):
    body = ("Text before the figure.\n\n![A caption with a note[^1]](images/a.jpg)\n\n"
            "> A quoted sentence with a note[^2].\n\n"
            "[^1]: The caption's note.\n[^2]: The quotation's note.\n")
    issue = {"schema": 1, "title": "Captions", "number": 2, "date": "2024-01-01", "publisher": "Test",
             "sections": [{"title": "Notes everywhere", "body": body}]}
    folder = make_issue(tmp_path / "issue", yaml.safe_dump(issue, sort_keys=False), pictures={"images/a.jpg": (600, 400)})
    out = tmp_path / "captions.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    reader = PdfReader(str(out))
    links = note_links(reader)
    assert len(links) == 2
    assert_notes_below_body(reader, links)
    text = squash("".join(p.extract_text() for p in reader.pages))
    assert "1Thecaption'snote." in text and "2Thequotation'snote." in text
