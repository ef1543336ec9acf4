"""The sample issue No. 79, built through the CLI and read back from the PDF."""

from __future__ import annotations

import hashlib
import re

import yaml
from pypdf import PdfReader

from .conftest import SAMPLE, bookmark_titles, page_texts, run_cli, squash

ISSUE = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))


def all_sections():
    for entry in ISSUE["sections"]:
        yield from entry.get("sections", [entry])


def test_sample_builds_a_full_issue(sample_pdf):
    reader = PdfReader(str(sample_pdf))
    assert len(reader.pages) >= 36  # the printed original had 45 pages; the nine tables take three, reports run on


def test_every_section_title_is_in_the_pdf(sample_pdf):
    text = squash("".join(page_texts(sample_pdf)))
    titles = [s["title"] for s in all_sections()] + [e["group"] for e in ISSUE["sections"] if "group" in e]
    assert len(titles) == 20
    missing = [t for t in titles if squash(t) not in text]
    assert not missing


def test_the_native_name_is_on_the_foreword_page(sample_pdf):
    pages = page_texts(sample_pdf)
    signature_pages = [i for i, t in enumerate(pages) if "念本智物" in t]
    assert signature_pages, "the CJK name is missing from the PDF text"
    foreword_start = next(i for i, t in enumerate(pages) if "Foreword" in t and "Dear Readers" in t)
    # The foreword fits its page (in two columns), signature included.
    assert signature_pages[0] == foreword_start
    assert "Norikazu Kuramoto (Mr.)" in pages[signature_pages[0]]


def test_every_font_is_embedded(sample_pdf):
    reader = PdfReader(str(sample_pdf))
    seen = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            holder = descendants[0].get_object() if descendants else font
            descriptor = holder.get("/FontDescriptor")
            seen[str(font["/BaseFont"])] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    assert seen and all(seen.values()), {k: v for k, v in seen.items() if not v}
    assert any("NewsletterSerifCJKJP" in name for name in seen), "the CJK name must come from the Japanese face"


def test_all_thirteen_footnotes_and_nine_tables_are_there(sample_pdf):
    text = squash("".join(page_texts(sample_pdf)))
    bacuda = next(s for s in all_sections() if "BACUDA" in s["title"])
    notes = [line.split(":", 1)[1] for line in bacuda["body"].splitlines() if line.startswith("[^")]
    assert len(notes) == 13
    for note in notes:
        assert squash(note)[:40].replace("*", "") in text
    for module in range(1, 10):
        assert squash(f"Module {module}") in text


def test_reports_show_their_date_and_place(sample_pdf):
    text = squash("".join(page_texts(sample_pdf)))
    reports = [s for s in all_sections() if s.get("kind") == "report"]
    assert len(reports) == 13
    for report in reports:
        assert squash(str(report["date"])) in text
        assert squash(report["place"]) in text


def test_metadata_and_outline(sample_pdf):
    reader = PdfReader(str(sample_pdf))
    assert reader.metadata.title == "ROCB Asia/Pacific E-Newsletter No. 79"
    assert reader.metadata.author == "World Customs Organization"
    assert reader.metadata["/CreationDate"].startswith("D:20230115")
    outline_titles = bookmark_titles(reader)
    assert "Foreword" in outline_titles and "Workshops and Meetings" in outline_titles
    assert len(outline_titles) == 21  # foreword, 4 articles, 2 groups, 14 sections in groups


def test_links_in_the_text_are_clickable(sample_pdf):
    reader = PdfReader(str(sample_pdf))
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                uris.add(str(action["/URI"]))
    assert "mailto:A-CIP@wcoomd.org" in uris
    assert any("rad.wcoomd.org" in u for u in uris)


def test_the_same_input_gives_the_same_bytes(sample_pdf, tmp_path):
    again = tmp_path / "again.pdf"
    code, _, stderr = run_cli("build", SAMPLE, "-o", again)
    assert code == 0, stderr
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(sample_pdf.read_bytes()).hexdigest()


def test_signatures_stand_with_the_last_paragraph_of_their_letter(sample_pdf):
    pages = [squash(t) for t in page_texts(sample_pdf)]
    for last_words, signed in (("throughourE-Newsletters.", "NorikazuKuramoto(Mr.)"),
                               ("MayGodblessyou.Thankyou.", "IlkwonHAN(Gideon)")):
        page = next(i for i, t in enumerate(pages) if signed in t and last_words in t)
        assert pages[page].index(last_words) < pages[page].rindex(signed)  # (the title may hold the name too)
        # ...and they have not been pushed onto a page of their own, leaving a gap before them.
        before = pages[page][: pages[page].index(last_words)]
        assert re.sub(r"^ROCBAsia/PacificE-NewsletterNo.79October–December2022\d+", "", before)
