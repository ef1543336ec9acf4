"""The tagged PDF (PDF/UA-1), read back from the built file: the structure a screen reader
follows, and ``newsletter check``'s structure check, which must name each planted fault."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
import yaml

from newsletter_pdf.check.tagging import check_tagging

from .conftest import ROOT, make_issue, run_cli

MULTILINGUAL = ROOT / "tests" / "fixtures" / "multilingual"


def elements(pdf: pikepdf.Pdf):
    """Every structure element, in document order."""

    def walk(node):
        kids = node.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.get("/Type") not in ("/MCR", "/OBJR"):
                yield kid
                yield from walk(kid)

    yield from walk(pdf.Root.StructTreeRoot)


def roles(pdf: pikepdf.Pdf) -> Counter:
    return Counter(str(e.S)[1:] for e in elements(pdf))


# The structure of the issues ------------------------------------------------------------------------


def test_the_sample_issue_is_tagged_in_reading_order(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert all(page.obj.Tabs == "/S" for page in pdf.pages)
        counted = roles(pdf)
        issue = yaml.safe_load((ROOT / "issues" / "079" / "issue.yaml").read_text(encoding="utf-8"))
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        assert counted["Link"] == len(annotations) > 20
        assert counted["TOC"] == 1 and counted["TOCI"] >= 20
        assert counted["TH"] and counted["TD"] > counted["TH"] and counted["Figure"] >= 10
        # The first headings, in the structure's order, are the foreword's and then the contents'.
        headings = [e for e in elements(pdf) if str(e.S) in ("/H1", "/H2", "/H3")]
        assert str(headings[0].S) == "/H1" and len(headings) >= len(issue["sections"])
        empty = [str(e.S) for e in elements(pdf) if len(e.get("/K", [])) == 0]
        assert not empty, f"elements with no content: {empty}"  # (a spacer given a P, once)
    assert check_tagging(sample_pdf).ok


def test_table_headers_are_th_with_column_scope_and_repeated_headers_are_artifacts(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        tables = [e for e in elements(pdf) if e.S == "/Table"]
        assert tables
        for table in tables:
            rows = [kid for kid in table.K if kid.S == "/TR"]
            first = [cell for cell in rows[0].K]
            assert first and all(cell.S == "/TH" and cell.A.Scope == "/Column" for cell in first)
            assert all(cell.S == "/TD" for row in rows[1:] for cell in row.K)
        # A table that goes on to a later page repeats its header there, drawn but not read again.
        artifacts = 0
        for page in pdf.pages:
            for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
                if operands[0] == "/Artifact" and operands[1].get("/Type") == "/Pagination":
                    artifacts += 1
        assert artifacts > len(pdf.pages)  # running heads and folios, and the repeated headers


def test_links_are_link_elements_that_own_their_annotations(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                owner = parents[int(annotation.StructParent)]
                assert owner.S == "/Link"
                assert any(kid.get("/Obj") is not None and kid.Obj.objgen == annotation.objgen for kid in owner.K)
                assert str(annotation.Contents).strip()


def test_a_picture_is_a_figure_with_its_alt_text(tmp_path):
    folder = make_issue(tmp_path / "issue", """\
        schema: 1
        title: Test Newsletter
        number: 5
        date: 2024-03-01
        publisher: Test Office
        sections:
          - title: Only Article
            body: |
              Before the picture.

              ![Delegates in front of the customs house](images/photo.jpg "The delegates")

              After the picture, with [a link](https://example.org/) in it.
        """, pictures={"images/photo.jpg": (1200, 800)})
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    with pikepdf.open(out) as pdf:
        figures = [e for e in elements(pdf) if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Delegates in front of the customs house"]
        links = [e for e in elements(pdf) if e.S == "/Link" and "/A" in e.K[0].Obj]
        assert len(links) == 1 and links[0].P.S == "/P"  # in the paragraph its text is in
        assert str(links[0].K[0].Obj.Contents) == "Link to https://example.org/"


def test_other_scripts_are_marked_with_their_language(tmp_path):
    out = tmp_path / "multilingual.pdf"
    code, _, stderr = run_cli("build", MULTILINGUAL, "-o", out)
    assert code == 0, stderr
    languages = Counter()
    with pikepdf.open(out) as pdf:
        for page in pdf.pages:
            for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
                if isinstance(operands[1], pikepdf.Dictionary) and "/Lang" in operands[1]:
                    languages[str(operands[1].Lang)] += 1
    assert {"th", "hi", "lo", "km", "my", "bn", "ta", "si", "ja", "ko", "zh", "el"} <= set(languages)
    assert "en" not in languages  # the issue's own language is the catalog's
    assert check_tagging(out).ok


# Planted faults: the check names each one ----------------------------------------------------------------


def plant(sample: Path, tmp_path: Path, change) -> Path:
    out = tmp_path / "planted.pdf"
    with pikepdf.open(sample) as pdf:
        change(pdf)
        pdf.save(out)
    return out


def untagged_text(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[4]
    page.contents_add(pdf.make_stream(b"BT /F1 9 Tf 72 72 Td (planted) Tj ET"), prepend=False)


def figure_without_alt(pdf: pikepdf.Pdf) -> None:
    del next(e for e in elements(pdf) if e.S == "/Figure").Alt


def skipped_heading_level(pdf: pikepdf.Pdf) -> None:
    next(e for e in elements(pdf) if e.S == "/H2").S = pikepdf.Name("/H4")


def broken_parent_tree(pdf: pikepdf.Pdf) -> None:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    position = [int(nums[i]) for i in range(0, len(nums), 2)].index(int(pdf.pages[4].obj.StructParents))
    nums[position * 2 + 1] = pikepdf.Array([])


def table_without_headers(pdf: pikepdf.Pdf) -> None:
    for element in elements(pdf):
        if element.S == "/TH":
            element.S = pikepdf.Name("/TD")


def link_without_owner(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            del annotation.StructParent
            return


def not_marked(pdf: pikepdf.Pdf) -> None:
    pdf.Root.MarkInfo.Marked = False


def no_pdfua_claim(pdf: pikepdf.Pdf) -> None:
    xmp = pdf.Root.Metadata.read_bytes().replace(b"<pdfuaid:part>1</pdfuaid:part>", b"")
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def header_cell_without_scope(pdf: pikepdf.Pdf) -> None:
    del next(e for e in elements(pdf) if e.S == "/TH").A


def note_without_id(pdf: pikepdf.Pdf) -> None:
    del next(e for e in elements(pdf) if e.S == "/Note").ID


def paragraph_in_a_list(pdf: pikepdf.Pdf) -> None:
    next(e for e in elements(pdf) if e.S == "/LI").S = pikepdf.Name("/P")


PLANTED = {
    "untagged text": (untagged_text, "page 5: 1 untagged text operator"),
    "figure without alt": (figure_without_alt, "a Figure has no /Alt text"),
    "skipped heading level": (skipped_heading_level, "a heading skips a level: H4 after H"),
    "broken parent tree": (broken_parent_tree, "page 5: MCID 0 is not in the /ParentTree"),
    "table without headers": (table_without_headers, "a Table has no TH header cell"),
    "link without owner": (link_without_owner, "a link is not owned by a Link element"),
    "not marked": (not_marked, "/MarkInfo does not say /Marked true"),
    "no PDF/UA claim": (no_pdfua_claim, "does not claim PDF/UA-1"),
    "header cell without scope": (header_cell_without_scope, "a TH header cell has no /Scope"),
    "note without ID": (note_without_id, "a Note has no /ID"),
    "paragraph in a list": (paragraph_in_a_list, "an L holds P: its parts must be"),
}


@pytest.mark.parametrize("fault", PLANTED)
def test_the_check_names_each_planted_fault(sample_pdf, tmp_path, fault):
    change, message = PLANTED[fault]
    planted = plant(sample_pdf, tmp_path, change)
    result = check_tagging(planted)
    assert not result.ok
    assert any(message in failure for failure in result.failures), result.failures


def test_newsletter_check_fails_a_planted_fault_with_its_line(sample_pdf, tmp_path):
    planted = plant(sample_pdf, tmp_path, untagged_text)
    code, stdout, _ = run_cli("check", planted)
    assert code == 1
    assert "FAIL tagged structure (PDF/UA)" in stdout and "page 5: 1 untagged text operator" in stdout


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
def test_poppler_reads_the_same_structure(sample_pdf):
    """An outside reader (poppler's structure dump) finds the tree, its tables and its links."""
    dump = subprocess.run(["pdfinfo", "-struct", str(sample_pdf)], capture_output=True, text=True, check=True).stdout
    lines = [line.strip().split(" ")[0].rstrip(":") for line in dump.splitlines()]
    with pikepdf.open(sample_pdf) as pdf:
        counted = roles(pdf)
    assert lines[0] == "Document"
    for role in ("TH", "TD", "TOCI", "Link", "Figure", "H1"):
        assert Counter(lines)[role] == counted[role], role


def test_the_print_profiles_crop_marks_are_page_artifacts(tmp_path):
    out = tmp_path / "print.pdf"
    code, _, stderr = run_cli("build", MULTILINGUAL, "--profile", "print", "-o", out)
    assert code == 0, stderr
    with pikepdf.open(out) as pdf:
        page_artifacts = sum(1 for page in pdf.pages for operands, _ in pikepdf.parse_content_stream(page, "BDC")
                             if operands[0] == "/Artifact" and operands[1].get("/Type") == "/Page")
        assert page_artifacts == len(pdf.pages)
    assert check_tagging(out).ok


def test_a_heading_that_skips_a_level_in_the_markdown_is_tagged_one_level_down(tmp_path):
    """The fuzzer's issue (seed 914864495): "###" right under a section's title was tagged H3 after H1."""
    folder = make_issue(tmp_path / "issue", """\
        schema: 1
        title: Test Newsletter
        number: 5
        date: 2024-03-01
        publisher: Test Office
        sections:
          - title: Only Article
            body: |
              Before.

              ### A third-level heading

              Text.

              #### And a fourth

              Text.

              ## Back to the second

              Text.
        """)
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    with pikepdf.open(out) as pdf:
        levels = [str(e.S) for e in elements(pdf) if str(e.S) in ("/H1", "/H2", "/H3", "/H4")]
    assert levels == ["/H1", "/H1", "/H2", "/H3", "/H2"]  # the contents, the title, then the body's three
    assert check_tagging(out).ok


# Read by poppler ------------------------------------------------------------------------------------


def poppler_tree(pdf: Path) -> list[tuple[str, list]]:
    """The structure as poppler reads it (``pdfinfo -struct-text``): (role, children) pairs, with each
    element's text as ("text", [the text]) children."""
    dump = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    root: list = []
    stack: list[tuple[int, list]] = [(-1, root)]
    for line in dump.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        content = line.strip()
        while stack[-1][0] >= depth:
            stack.pop()
        if content.startswith('"'):
            stack[-1][1].append(("text", [content.strip('"')]))
            continue
        node = (content.split(" ")[0], [])
        stack[-1][1].append(node)
        stack.append((depth, node[1]))
    return root


def text_of(node) -> str:
    role, children = node
    return children[0] if role == "text" else "".join(text_of(child) for child in children)


def find(nodes, role: str):
    for node in nodes:
        if node[0] == role:
            yield node
        if node[0] != "text":
            yield from find(node[1], role)


needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")


@needs_poppler
def test_list_items_have_their_label_and_body(sample_pdf):
    tree = poppler_tree(sample_pdf)
    items = list(find(tree, "LI"))
    assert len(items) > 20
    for item in items:
        assert [child[0] for child in item[1]] == ["Lbl", "LBody"], item
        label = text_of(item[1][0])
        assert label == "•" or label.rstrip(".").isalnum(), label  # a bullet, "1." or "a."
        assert label not in text_of(item[1][1])[:2]  # the body does not begin with its label again


@needs_poppler
def test_a_caption_is_read_after_its_figure(tmp_path):
    folder = make_issue(tmp_path / "issue", """\
        schema: 1
        title: Test Newsletter
        number: 5
        date: 2024-03-01
        publisher: Test Office
        sections:
          - title: Only Article
            body: |
              Before the picture.

              ![Delegates in front of the customs house](images/photo.jpg "The delegates at the door")

              After the picture.
        """, pictures={"images/photo.jpg": (1200, 800)})
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    sect = next(node for node in find(poppler_tree(out), "Sect") if "Before the picture" in text_of(node))
    roles_in_order = [child[0] for child in sect[1]]
    figure = roles_in_order.index("Figure")
    assert roles_in_order[figure + 1] == "Caption"
    assert "The delegates at the door" in text_of(sect[1][figure + 1])
    assert "delegates" not in text_of(sect[1][figure]).lower()  # the picture's element holds no caption text
    assert check_tagging(out).ok


@needs_poppler
def test_the_cover_is_read_as_masthead_picture_lines_and_dateline(sample_pdf):
    cover = next(find(poppler_tree(sample_pdf), "Sect"))
    texts = [(child[0], text_of(child)) for child in cover[1]]
    assert texts[0] == ("P", "WORLD CUSTOMS ORGANIZATION")
    assert texts[2] == ("P", "No. 79") and texts[3][1] == "October–December 2022"
    assert texts[4][0] == "Figure"
    lines = [child for child in cover[1] if child[0] == "P" and any(k[0] == "Link" for k in child[1])]
    assert len(lines) == 4  # each "In this issue" line owns its link, and holds its page number
    assert all(text_of(line).rstrip().split()[-1][-1].isdigit() for line in lines)
    assert texts[-2:] == [("P", "15 January 2023"), ("P", "ISSUE 79")]
    with pikepdf.open(sample_pdf) as pdf:
        figure = next(e for e in elements(pdf) if e.S == "/Figure")
        assert str(figure.Alt)  # the cover picture, said by its alt text


# Reading order: the structure's text against the issue file ------------------------------------------


def foreword_paragraphs(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """The kids of the foreword's section (the second, after the cover's): its kicker, title, paragraphs."""
    foreword = [e for e in elements(pdf) if e.S == "/Sect"][1]
    assert [str(k.S) for k in foreword.K[:4]] == ["/P", "/H1", "/P", "/P"]
    return foreword.K


def swap_two_paragraphs(pdf: pikepdf.Pdf) -> None:
    """The foreword's second and third paragraphs are read the other way round."""
    kids = foreword_paragraphs(pdf)
    kids[3], kids[4] = kids[4], kids[3]


def drop_a_paragraph(pdf: pikepdf.Pdf) -> None:
    """A paragraph of the foreword is no element's content any more (its text is an orphan)."""
    kids = foreword_paragraphs(pdf)
    del kids[4]


@pytest.mark.parametrize("change, message", [
    (swap_two_paragraphs, "is read out of its order, after"),
    (drop_a_paragraph, "is not in the structure: a screen reader skips it"),
])
def test_the_check_reads_the_structure_against_the_issue(sample_pdf, tmp_path, change, message):
    code, stdout, _ = run_cli("check", sample_pdf, "--issue", ROOT / "issues" / "079")
    assert code == 0 and "ok   reading order (structure): " in stdout, stdout
    planted = plant(sample_pdf, tmp_path, change)
    code, stdout, _ = run_cli("check", planted, "--issue", ROOT / "issues" / "079")
    assert code == 1, stdout
    line = next(line for line in stdout.splitlines() if "reading order" in line)
    assert line.startswith("FAIL"), stdout
    assert message in stdout and "issues/079/issue.yaml:" in stdout, stdout


def test_a_multilingual_issue_reads_in_order(tmp_path):
    """Thai, Devanagari, Japanese, Korean and Chinese passages are found in the structure as written."""
    out = tmp_path / "multilingual.pdf"
    code, stdout, stderr = run_cli("build", MULTILINGUAL, "-o", out)
    assert code == 0, stderr
    code, stdout, _ = run_cli("check", out, "--issue", MULTILINGUAL)
    assert code == 0 and re.search(r"^ok +reading order \(structure\): \d+ passages", stdout, re.M), stdout


@pytest.mark.parametrize("grid", ["margin", "wide"])
def test_a_synthetic_issue_is_fully_tagged_in_either_grid(tmp_path, grid):
    """Groups of reports with pictures (captions in the margin column, or under the picture), an
    article with notes and a long table: all tagged, every figure with alt text, read in order."""
    from .synthetic import make_synthetic_issue

    folder = make_synthetic_issue(tmp_path / "issue", groups=2, sections_per_group=3, articles=1, pictures=True)
    issue = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    if grid == "wide":
        issue["theme"] = "wide"
    (folder / "issue.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    result = check_tagging(out)
    assert result.ok, result.failures
    with pikepdf.open(out) as pdf:
        counted = roles(pdf)
        assert counted["Figure"] == counted["Caption"] == 6 and counted["Note"] == 3 and counted["TH"]
    code, stdout, _ = run_cli("check", out, "--issue", folder)
    assert code == 0 and re.search(r"^ok +reading order", stdout, re.M), stdout
