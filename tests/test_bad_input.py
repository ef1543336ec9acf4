"""Bad input: a clear FILE:LINE:COLUMN message, exit status 2, no traceback, and the
previous good PDF left exactly as it was."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import MINIMAL, ROOT, SAMPLE, make_issue, page_texts, run_cli, squash

GOOD_PDF = b"%PDF-1.4 previous good build\n"


def snapshot(folder):
    """The bytes of every file under ``folder`` (symbolic links as their targets' names)."""
    if not folder.is_dir():
        return {}
    return {p: (str(p.readlink()) if p.is_symlink() else p.read_bytes()) for p in sorted(folder.rglob("*"))
            if p.is_symlink() or p.is_file()}


def build_over_previous(tmp_path, folder, *extra):
    out = tmp_path / "out.pdf"
    out.write_bytes(GOOD_PDF)
    inputs = snapshot(folder)
    code, stdout, stderr = run_cli("build", folder, "-o", out, *extra)
    assert out.read_bytes() == GOOD_PDF, "a failed build replaced the previous PDF"
    assert snapshot(folder) == inputs, "a failed build changed an input file"
    assert not list(tmp_path.glob(".out.pdf.*")), "a temporary file was left behind"
    assert "Traceback" not in stdout + stderr
    return code, stderr


def with_body(body: str) -> str:
    indented = "\n".join("      " + line if line else "" for line in body.splitlines())
    return MINIMAL.replace("      Hello world.", indented)


CASES = {
    "broken YAML": (
        MINIMAL.replace("title: Only Article", "title: [Only Article"),
        None,
        r"issue\.yaml:\d+:\d+: YAML syntax error",
    ),
    "unknown key with suggestion": (
        MINIMAL.replace("publisher:", "publsher:"),
        None,
        r"issue\.yaml:5:1: publsher: unknown key 'publsher'; did you mean 'publisher'\?",
    ),
    "unknown key in a section": (
        MINIMAL.replace("    body: |", "    imgaes: []\n    body: |"),
        None,
        r"issue\.yaml:8:5: sections\[0\]\.imgaes: unknown key 'imgaes'; did you mean 'images'\?",
    ),
    "missing required key": (
        MINIMAL.replace("publisher: Test Office\n", ""),
        None,
        r"issue\.yaml:1:1: missing required key 'publisher'",
    ),
    "wrong type": (
        MINIMAL.replace("number: 5", "number: five"),
        None,
        r"issue\.yaml:3:9: number: 'five' is not an issue number; write the issue number as a whole number",
    ),
    "missing picture": (
        MINIMAL.replace("    body: |", "    images:\n      - file: images/bali.jpg\n    body: |"),
        None,
        r"issue\.yaml:9:15: sections\[0\]\.images\[0\]\.file: images/bali\.jpg not found",
    ),
    "picture outside the issue folder": (
        MINIMAL.replace("    body: |", "    images:\n      - file: ../../../../etc/passwd\n    body: |"),
        None,
        r"sections\[0\]\.images\[0\]\.file: \.\./\.\./\.\./\.\./etc/passwd is outside the issue folder and assets/",
    ),
    "missing picture in Markdown": (
        with_body("Text.\n\n![A caption](images/gone.jpg)"),
        None,
        r"issue\.yaml:11:7: sections\[0\]\.body: images/gone\.jpg not found",
    ),
    "corrupt picture": (
        MINIMAL.replace("    body: |", "    images:\n      - file: images/broken.jpg\n    body: |"),
        "corrupt",
        r"sections\[0\]\.images\[0\]\.file: images/broken\.jpg is not a readable picture",
    ),
    "undefined footnote": (
        with_body("Text with a note.[^1]\n\nMore text.[^2]\n\n[^1]: The note."),
        None,
        r"issue\.yaml:11:7: sections\[0\]\.body: footnote \[\^2\] is referenced but never defined",
    ),
    "unused footnote": (
        with_body("Text with a note.[^1]\n\n[^1]: The note.\n[^9]: Never used."),
        None,
        r"issue\.yaml:12:7: sections\[0\]\.body: footnote \[\^9\] is defined but never referenced",
    ),
    "unsupported character": (
        with_body("Egyptian \U00013000 hieroglyph."),
        None,
        r"issue\.yaml:9:7: sections\[0\]\.body: character '\U00013000' \(U\+13000 EGYPTIAN HIEROGLYPH A001\) is in no bundled font",
    ),
    "missing schema version": (
        MINIMAL.replace("schema: 1\n", ""),
        None,
        r"issue\.yaml:1:1: missing key 'schema'; this release reads schema version 1",
    ),
    "unknown schema version": (
        MINIMAL.replace("schema: 1", "schema: 7"),
        None,
        r"issue\.yaml:1:9: schema: unknown schema version 7; this release reads schema version 1 \(write 'schema: 1'\)",
    ),
    "unknown section kind": (
        MINIMAL.replace("    body: |", "    kind: essay\n    body: |"),
        None,
        r"issue\.yaml:8:11: sections\[0\]\.kind: kind must be one of: article, report, message",
    ),
    # Impossible values: each an input error at its line, saying what to write instead.
    "a date that does not exist": (
        MINIMAL.replace("date: 2024-03-01", "date: 2023-02-30"),
        None,
        r"issue\.yaml:4:7: date: 2023-02-30 is not a date: February 2023 has 28 days; "
        r"write dates as YYYY-MM-DD, e.g. 2023-03-31",
    ),
    "a month that does not exist": (
        MINIMAL.replace("date: 2024-03-01", "date: 2024-13-01"),
        None,
        r"issue\.yaml:4:7: date: 2024-13-01 is not a date: there is no month 13; write dates as YYYY-MM-DD",
    ),
    "a date that is not a date": (
        MINIMAL.replace("date: 2024-03-01", "date: next Tuesday"),
        None,
        r"issue\.yaml:4:7: date: 'next Tuesday' is not a date; write dates as YYYY-MM-DD",
    ),
    "a 5,000-digit issue number": (
        MINIMAL.replace("number: 5", "number: " + "9" * 5000),
        None,
        r"issue\.yaml:3:9: number: 999999999999\.\.\. \(a number of 5,000 digits\) is not an issue number; "
        r"write the issue number as a whole number from 1 to 99999, for example 79",
    ),
    "an issue number out of range": (
        MINIMAL.replace("number: 5", "number: 100000"),
        None,
        r"issue\.yaml:3:9: number: 100000 is not an issue number; write the issue number as a whole number from 1 to 99999",
    ),
    "issue number zero": (
        MINIMAL.replace("number: 5", "number: 0"),
        None,
        r"issue\.yaml:3:9: number: 0 is not an issue number; write the issue number as a whole number from 1 to 99999",
    ),
    "a boolean for the issue number": (
        MINIMAL.replace("number: 5", "number: true"),
        None,
        r"issue\.yaml:3:9: number: true is a yes/no value, not an issue number; write the issue number as a whole number",
    ),
    "a fraction for the issue number": (
        MINIMAL.replace("number: 5", "number: 5.5"),
        None,
        r"issue\.yaml:3:9: number: 5\.5 is not an issue number",
    ),
    "a 5,000-digit schema version": (
        MINIMAL.replace("schema: 1", "schema: " + "1" * 5000),
        None,
        r"issue\.yaml:1:9: schema: unknown schema version 111111111111\.\.\. \(a number of 5,000 digits\); "
        r"this release reads schema version 1 \(write 'schema: 1'\)",
    ),
    "a boolean for the schema version": (
        MINIMAL.replace("schema: 1", "schema: true"),
        None,
        r"issue\.yaml:1:9: schema: unknown schema version True; this release reads schema version 1",
    ),
    "YAML nested 500 deep": (
        MINIMAL + "back_cover: " + "[" * 500 + "]" * 500 + "\n",
        None,
        r"issue\.yaml:10:\d+: values nested more than 24 levels deep; an issue needs about 8 "
        r"\(look for an unclosed '\[' or '\{'",
    ),
    "YAML nested 100,000 deep (LibYAML's composer crashed the process)": (
        MINIMAL + "back_cover: " + "[" * 100_000 + "]" * 100_000 + "\n",
        None,
        r"issue\.yaml:10:\d+: values nested more than 24 levels deep",
    ),
    "an alias inside the value it names": (
        MINIMAL + "back_cover: &loop\n  staff: [*loop]\n",
        None,
        r"issue\.yaml:11:11: the alias \*loop is inside the value it names \(a loop\)",
    ),
    "a picture that is a loop of symbolic links": (
        MINIMAL.replace("    body: |", "    images:\n      - file: images/a.jpg\n    body: |"),
        "symlink loop",
        r"issue\.yaml:9:15: sections\[0\]\.images\[0\]\.file: images/a\.jpg is a loop of symbolic links; "
        r"make it the picture file itself",
    ),
    "a picture in Markdown that is a loop of symbolic links": (
        with_body("Text.\n\n![A caption](images/a.jpg)"),
        "symlink loop",
        r"issue\.yaml:11:7: sections\[0\]\.body: images/a\.jpg is a loop of symbolic links",
    ),
    "a picture that is a folder": (
        MINIMAL.replace("    body: |", "    images:\n      - file: images\n    body: |"),
        "folder",
        r"issue\.yaml:9:15: sections\[0\]\.images\[0\]\.file: images is a folder, not a picture",
    ),
    "a number where text belongs": (
        MINIMAL.replace("publisher: Test Office", "publisher: Test Office\nperiod: 2023"),
        None,
        r"issue\.yaml:6:9: period: YAML reads this as a number, not text; put it in quotes to keep it as written, "
        r"e\.g\. \"2023\"",
    ),
    "theme '..'": (
        MINIMAL.replace("sections:", "theme: ..\nsections:"),
        None,
        r"issue\.yaml:6:8: theme: no theme '\.\.' under assets/themes/; the themes there are: default, wide "
        r"\(write one of them, or leave 'theme' out for the default\)",
    ),
    "a theme outside assets/themes": (
        MINIMAL.replace("sections:", "theme: ../../fonts\nsections:"),
        None,
        r"issue\.yaml:6:8: theme: no theme '\.\./\.\./fonts' under assets/themes/; the themes there are: default, wide",
    ),
    "an unknown theme": (
        MINIMAL.replace("sections:", "theme: night\nsections:"),
        None,
        r"issue\.yaml:6:8: theme: no theme 'night' under assets/themes/; the themes there are: default, wide",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_reported_with_its_position(tmp_path, name):
    yaml_text, picture, expected = CASES[name]
    folder = make_issue(tmp_path / "issue", yaml_text)
    if picture == "corrupt":
        (folder / "images").mkdir()
        (folder / "images" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    elif picture == "symlink loop":
        (folder / "images").mkdir()
        (folder / "images" / "a.jpg").symlink_to("b.jpg")
        (folder / "images" / "b.jpg").symlink_to("a.jpg")
    elif picture == "folder":
        (folder / "images").mkdir()
    code, stderr = build_over_previous(tmp_path, folder)
    assert code == 2
    assert re.search(expected, stderr), stderr
    # `validate` reports the same problem without building.
    code, _, validate_err = run_cli("validate", folder)
    assert code == 2 and re.search(expected, validate_err)


def test_all_problems_of_a_file_are_reported_at_once(tmp_path):
    text = MINIMAL.replace("publisher:", "publsher:").replace("    body: |", "    kind: essay\n    body: |")
    code, stderr = build_over_previous(tmp_path, make_issue(tmp_path / "issue", text))
    assert code == 2
    assert "publsher" in stderr and "kind must be one of" in stderr
    assert "2 problems" in stderr


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["schema: 1", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]")
    folder = make_issue(tmp_path / "issue", "\n".join(lines) + "\n")
    started = time.perf_counter()
    code, stderr = build_over_previous(tmp_path, folder)
    assert code == 2
    assert "values (are aliases expanding without bound?)" in stderr
    assert time.perf_counter() - started < 30  # a guard against hanging, not a benchmark


def test_a_huge_file_is_refused_before_reading(tmp_path):
    folder = tmp_path / "issue"
    folder.mkdir()
    with open(folder / "issue.yaml", "wb") as handle:
        handle.write(b"schema: 1\n")
        handle.truncate(50 * 1024 * 1024)
    code, stderr = build_over_previous(tmp_path, folder)
    assert code == 2
    assert re.search(r"issue\.yaml:1:1: file is 52,428,800 bytes; an issue file may be at most", stderr)


def test_a_missing_issue_file(tmp_path):
    code, stderr = build_over_previous(tmp_path, tmp_path / "nowhere")
    assert code == 2 and "no such issue file" in stderr


def test_impossible_values_are_all_reported_at_once(tmp_path):
    text = MINIMAL.replace("date: 2024-03-01", "date: 2023-02-30").replace("number: 5", "number: true")
    code, stderr = build_over_previous(tmp_path, make_issue(tmp_path / "issue", text))
    assert code == 2
    assert re.search(r"issue\.yaml:3:9: number: true is a yes/no value", stderr)
    assert re.search(r"issue\.yaml:4:7: date: 2023-02-30 is not a date", stderr)
    assert "2 problems; nothing was written." in stderr


def test_a_date_that_does_not_exist_is_free_text_in_a_report(tmp_path):
    # A report's date is shown as written; only the issue's own date must be a real one.
    text = MINIMAL.replace("    body: |", "    kind: report\n    date: 2023-02-30\n    body: |")
    folder = make_issue(tmp_path / "issue", text)
    code, _, stderr = run_cli("build", folder, "-o", tmp_path / "out.pdf")
    assert code == 0, stderr
    assert "2023-02-30" in "".join(page_texts(tmp_path / "out.pdf"))


def article_repeated(times: int, body_chars: int) -> str:
    """An issue whose one article (``body_chars`` of text) is repeated ``times`` times by aliases."""
    words = ("Customs cooperation in the region grows year by year. " * (body_chars // 55 + 1))[:body_chars]
    head = MINIMAL.split("sections:")[0]
    return (head + "sections:\n  - &article\n    title: Repeated Article\n    body: |\n      " + words + "\n"
            + "".join("  - *article\n" for _ in range(times - 1)))


def test_aliases_that_repeat_an_article_300_times_are_refused_quickly(tmp_path):
    folder = make_issue(tmp_path / "issue", article_repeated(300, 15_000))
    started = time.perf_counter()
    code, stderr = build_over_previous(tmp_path, folder)
    assert code == 2
    assert re.search(r"issue\.yaml:\d+:5: the issue expands to more than 2,000,000 characters of text "
                     r"through its aliases \('\*'\): repeat less, or split the issue", stderr), stderr
    assert time.perf_counter() - started < 5  # refused before anything is composed or laid out
    code, _, validate_err = run_cli("validate", folder)
    assert code == 2 and "characters of text through its aliases" in validate_err


def test_a_legitimately_big_issue_is_within_the_limits(tmp_path):
    """The bench's ten-times issue (No. 79's sections ten times over, 650,000 characters) loads;
    so do a few aliases, as an officer might use them for a repeated author."""
    import copy

    import yaml

    from newsletter_pdf.issue.load import MAX_TEXT_CHARS, load_source

    issue = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
    issue["sections"] = [copy.deepcopy(entry) for _ in range(10) for entry in issue["sections"]]
    big = tmp_path / "ten" / "issue.yaml"
    big.parent.mkdir()
    big.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    source = load_source(big)
    assert len(source.data["sections"]) == 10 * len(yaml.safe_load((SAMPLE / "issue.yaml").read_text())["sections"])
    assert big.stat().st_size * 2 < MAX_TEXT_CHARS
    # An article repeated 20 times by alias (300,000 characters) is a big issue, not a bomb.
    assert len(load_source(make_issue(tmp_path / "twenty", article_repeated(20, 15_000)) / "issue.yaml")
               .data["sections"]) == 20


def test_a_picture_named_with_accents_in_markdown(tmp_path):
    folder = make_issue(tmp_path / "issue", with_body("Text.\n\n![The café](images/café.jpg)\n\n"
                                                       "![A space](images/two words.jpg)"),
                        pictures={"images/café.jpg": (60, 40), "images/two words.jpg": (60, 40)})
    code, _, stderr = run_cli("build", folder, "-o", tmp_path / "out.pdf")
    assert code == 0, stderr
    assert "The café" in "".join(page_texts(tmp_path / "out.pdf"))


@pytest.mark.parametrize("url", ["https://example.org/page", "https://example.org/a?b=1", "https://example.org"])
def test_a_note_marker_right_after_a_bare_url(tmp_path, url):
    folder = make_issue(tmp_path / "issue", with_body(f"See {url}[^1] for more.\n\n[^1]: The note on the web page."))
    code, _, stderr = run_cli("build", folder, "-o", tmp_path / "out.pdf")
    assert code == 0, stderr
    text = squash("".join(page_texts(tmp_path / "out.pdf")))
    assert "Thenoteonthewebpage." in text and squash(url) in text
    from pypdf import PdfReader

    links = [a.get_object()["/A"].get("/URI") for page in PdfReader(str(tmp_path / "out.pdf")).pages
             for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert url in links and not any("%5E" in str(link) for link in links), links


# --- the output path ---------------------------------------------------------------------------

def _pdf_issue(tmp_path):
    return make_issue(tmp_path / "issue", MINIMAL.replace("    body: |", "    images:\n      - file: images/cover.jpg\n    body: |"),
                      pictures={"images/cover.jpg": (80, 60)})


@pytest.mark.parametrize("target, expected", [
    ("issue/issue.yaml", r"issue\.yaml: is the issue file itself, which the PDF would replace; write the PDF elsewhere"),
    ("issue/images/cover.jpg", r"cover\.jpg: is a file of the issue \(a picture or other input\), which the PDF would replace"),
    ("issue/notes.txt", r"notes\.txt: is a file of the issue \(a picture or other input\), which the PDF would replace"),
    ("issue/images", r"images: is a folder; give the PDF's file name"),
    ("elsewhere.txt", r"elsewhere\.txt: is a file that is not a PDF, which the PDF would replace"),
])
def test_an_output_that_is_an_input_is_refused_before_any_work(tmp_path, target, expected):
    folder = _pdf_issue(tmp_path)
    (folder / "notes.txt").write_text("the editor's notes")
    (tmp_path / "elsewhere.txt").write_text("keep me")
    before, other = snapshot(folder), (tmp_path / "elsewhere.txt").read_bytes()
    for command in ("build", "watch"):
        code, stdout, stderr = run_cli(command, folder, "-o", tmp_path / target)
        assert code == 2, (command, stdout, stderr)
        assert re.search(expected, stderr), stderr
        assert "Traceback" not in stderr
        assert snapshot(folder) == before and (tmp_path / "elsewhere.txt").read_bytes() == other
        assert not (folder / ".cache").exists() and not list(folder.rglob("*.part"))


@pytest.mark.parametrize("inside", ["assets", "fonts"])
def test_an_output_inside_assets_or_fonts_is_refused(tmp_path, inside):
    target = ROOT / inside / "never-written.pdf"
    code, _, stderr = run_cli("build", _pdf_issue(tmp_path), "-o", target)
    assert code == 2
    assert f"never-written.pdf: is inside {inside}/" in stderr and "which holds the inputs of every issue" in stderr
    assert not target.exists() and not (ROOT / inside / ".cache").exists()


def test_an_output_in_the_issue_folder_that_is_not_an_input_is_allowed(tmp_path):
    folder = _pdf_issue(tmp_path)
    for target in (folder / "newsletter.pdf", folder / "build" / "newsletter.pdf"):
        for _ in range(2):  # the second build replaces the first PDF: a PDF is no input
            code, _, stderr = run_cli("build", folder, "-o", target)
            assert code == 0, stderr
        assert target.read_bytes().startswith(b"%PDF-")


def test_build_all_refuses_an_output_folder_among_the_inputs(tmp_path):
    issues = tmp_path / "issues"
    folder = make_issue(issues / "005")
    (issues / "manifest.json").write_text("{}")
    before = snapshot(issues)
    for out, expected in ((issues, "is the issues folder itself"), (folder / "pdfs", "is inside the issue folder"),
                          (ROOT / "assets" / "all", "is inside assets/")):
        code, _, stderr = run_cli("build-all", issues, "-o", out, "--jobs", "1")
        assert code == 2, stderr
        assert expected in stderr and "choose a folder of its own" in stderr
        assert snapshot(issues) == before
    assert not (ROOT / "assets" / "all").exists()
