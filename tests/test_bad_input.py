"""Bad input: a clear FILE:LINE:COLUMN message, exit status 2, no traceback, and the
previous good PDF left exactly as it was."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import MINIMAL, make_issue, run_cli

GOOD_PDF = b"%PDF-1.4 previous good build\n"


def build_over_previous(tmp_path, folder):
    out = tmp_path / "out.pdf"
    out.write_bytes(GOOD_PDF)
    code, stdout, stderr = run_cli("build", folder, "-o", out)
    assert out.read_bytes() == GOOD_PDF, "a failed build replaced the previous PDF"
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
        r"issue\.yaml:3:9: number: Input should be a valid integer",
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
        r"issue\.yaml:1:9: schema: unknown schema version 7; this release reads schema version 1",
    ),
    "unknown section kind": (
        MINIMAL.replace("    body: |", "    kind: essay\n    body: |"),
        None,
        r"issue\.yaml:8:11: sections\[0\]\.kind: kind must be one of: article, report, message",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_reported_with_its_position(tmp_path, name):
    yaml_text, picture, expected = CASES[name]
    folder = make_issue(tmp_path / "issue", yaml_text)
    if picture == "corrupt":
        (folder / "images").mkdir()
        (folder / "images" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
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
