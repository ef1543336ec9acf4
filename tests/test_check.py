"""``newsletter check``: it passes on good PDFs and names each fault planted in a broken one."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject
from reportlab.pdfgen.canvas import Canvas
from newsletter_pdf.check import PdfFacts

from .conftest import SAMPLE, page_texts, run_cli
from .synthetic import make_synthetic_issue


@pytest.fixture(scope="module")
def large_pdf(tmp_path_factory):
    """40 reports in 4 groups, titles of one to three lines: the contents run to two pages."""
    root = tmp_path_factory.mktemp("large")
    folder = make_synthetic_issue(root / "issue", groups=4, sections_per_group=10)
    out = root / "large.pdf"
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    return folder, out


def check(pdf, *extra):
    code, stdout, stderr = run_cli("check", pdf, *extra)
    return code, stdout + stderr


def test_check_passes_on_the_sample(sample_pdf):
    code, output = check(sample_pdf, "--issue", SAMPLE)
    assert code == 0, output
    for name in ("contents page numbers", "folios and page labels", "bookmarks", "contents links",
                 "all fonts embedded", "metadata", "page size"):
        assert re.search(rf"^ok +{name}", output, re.M), name


def test_check_passes_on_a_large_issue_with_two_contents_pages(large_pdf):
    folder, pdf = large_pdf
    code, output = check(pdf, "--issue", folder)
    assert code == 0, output
    assert "47 entries on 2 page(s)" in output  # foreword, 2 articles, 4 groups, 40 reports
    texts = page_texts(pdf)
    contents = [i for i, t in enumerate(texts) if t.lstrip().startswith("Synthetic") and "Contents" in t]
    assert contents, "the contents page is missing"


def _rewrite(pdf, out, change):
    writer = PdfWriter(clone_from=str(pdf))
    change(writer)
    writer.write(str(out))
    return out


def _swap_contents_numbers(writer: PdfWriter, first: bytes, second: bytes, page: int) -> None:
    """Swap two page numbers printed on the contents page (each is drawn in a small form)."""
    forms = writer.pages[page]["/Resources"]["/XObject"]
    streams = {}
    for form in forms.values():
        form = form.get_object()
        data = form.get_data()
        for number in (first, second):
            if b"(" + number + b")" in data:
                streams[number] = form
    assert set(streams) == {first, second}
    one, two = streams[first].get_data(), streams[second].get_data()
    streams[first].set_data(one.replace(b"(" + first + b")", b"(" + second + b")"))
    streams[second].set_data(two.replace(b"(" + second + b")", b"(" + first + b")"))


def test_swapped_contents_numbers_are_named(sample_pdf, tmp_path):
    reader = PdfReader(str(sample_pdf))
    page = next(i for i, p in enumerate(reader.pages) if "Contents" in (p.extract_text() or "")[:200])
    facts = PdfFacts(sample_pdf)
    entries = {entry.text: entry.number for entry in facts.contents}
    facts.close()
    first = entries["Are you interested in the WCO\u2019s A-CIP Programme?"]  # (typeset: a curly apostrophe)
    second = entries["The First WCO BACUDA (Data Analytics) Scholarship Programme"]
    broken = _rewrite(sample_pdf, tmp_path / "swapped.pdf",
                      lambda w: _swap_contents_numbers(w, str(first).encode(), str(second).encode(), page))
    code, output = check(broken)
    assert code == 1
    assert "FAIL contents page numbers" in output
    assert re.search(rf"'Are you interested in the WCO.s A-CIP Programme\?': contents say page {second}, "
                     rf"but the title is on page {first}", output), output


def test_a_bookmark_to_the_wrong_page_is_named(sample_pdf, tmp_path):
    def misdirect(writer: PdfWriter) -> None:
        outline = writer._root_object["/Outlines"]
        first = outline["/First"].get_object()  # the foreword
        first[NameObject("/Dest")] = ArrayObject([writer.pages[9].indirect_reference, NameObject("/Fit")])

    broken = _rewrite(sample_pdf, tmp_path / "bookmark.pdf", misdirect)
    code, output = check(broken)
    assert code == 1
    assert "bookmark 'Foreword' goes to page 10, but the section starts on page 2" in output


def test_a_contents_link_to_the_wrong_page_is_named(sample_pdf, tmp_path):
    def misdirect(writer: PdfWriter) -> None:
        page = next(p for p in writer.pages if "Contents" in (p.extract_text() or "")[:200])
        for annotation in page["/Annots"]:
            annotation = annotation.get_object()
            if annotation.get("/Dest"):
                annotation[NameObject("/Dest")] = ArrayObject([writer.pages[6].indirect_reference, NameObject("/Fit")])
                break

    broken = _rewrite(sample_pdf, tmp_path / "link.pdf", misdirect)
    code, output = check(broken)
    assert code == 1
    assert "FAIL contents links" in output
    assert "the contents link for 'foreword' goes to page 7, but the entry starts on page 2" in output


def test_an_unembedded_font_is_named(sample_pdf, tmp_path):
    stamp = io.BytesIO()
    canvas = Canvas(stamp, pagesize=(595.2756, 841.8898))
    canvas.setFont("Helvetica", 9)
    canvas.drawString(72, 40, "stamped")
    canvas.save()
    stamp_page = PdfReader(stamp).pages[0]
    broken = _rewrite(sample_pdf, tmp_path / "font.pdf", lambda w: w.pages[4].merge_page(stamp_page))
    code, output = check(broken)
    assert code == 1
    assert "FAIL all fonts embedded: /Helvetica not embedded on page 5" in output


def test_page_labels_that_disagree_with_the_folios_are_named(sample_pdf, tmp_path):
    def relabel(writer: PdfWriter) -> None:
        writer.set_page_label(5, 5, style="/r")

    broken = _rewrite(sample_pdf, tmp_path / "labels.pdf", relabel)
    code, output = check(broken)
    assert code == 1
    assert "PDF page 6 is numbered 6 but its page label is 'i'" in output


def test_missing_metadata_is_named(sample_pdf, tmp_path):
    def strip(writer: PdfWriter) -> None:
        info = writer._info.get_object() if writer._info else DictionaryObject()
        for key in ("/Title", "/Author"):
            if key in info:
                del info[key]

    broken = _rewrite(sample_pdf, tmp_path / "meta.pdf", strip)
    code, output = check(broken)
    assert code == 1
    assert "FAIL metadata: missing /Title, /Author" in output


def test_a_missing_contents_entry_is_named(sample_pdf, tmp_path):
    issue = tmp_path / "issue.yaml"
    text = (SAMPLE / "issue.yaml").read_text(encoding="utf-8")
    issue.write_text(text.replace("title: Korea Regional Customs Laboratory Brief",
                                  "title: Korea Regional Customs Laboratory Brief\n    toc_title: Korea RCL Brief"),
                     encoding="utf-8")
    shutil.copytree(SAMPLE / "images", tmp_path / "images")
    code, output = check(sample_pdf, "--issue", tmp_path)
    assert code == 1
    assert "'Korea RCL Brief' is missing from the contents" in output


def test_a_file_that_is_not_a_pdf(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    code, output = check(junk)
    assert code == 2 and "not a readable PDF" in output
