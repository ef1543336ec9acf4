"""The slips an officer makes most, each with the exact message that says what to do (issue 16, item 3).

Each message is FILE:LINE:COLUMN: [where: ]what is wrong and what to do, at the line of the slip, exit 2.
"""

from __future__ import annotations

import os

import pytest

from .conftest import MINIMAL, make_issue, run_cli

GROUPED = MINIMAL.replace("""  - title: Only Article
    body: |
      Hello world.
""", """  - group: Workshops
    sections:
      - title: A report
        body: Text.
""")

FOREWORD_WITHOUT_BAR = MINIMAL.replace("sections:", """foreword:
  body:
    Dear Readers,

    Write the foreword here. Paragraphs are separated by a blank line,
    and links such as https://www.wcoomd.org work: they are clickable.
sections:""")

EXACT = {
    "a colon in a plain title": (
        MINIMAL.replace("title: Only Article", "title: Customs: the E-Commerce Challenge"),
        "issue.yaml:7:12: the title holds ': ', which YAML reads as a new key; "
        'put the title in quotes: title: "Customs: the E-Commerce Challenge"',
    ),
    "a missing | before multi-line text, at the line where the block starts": (
        FOREWORD_WITHOUT_BAR,
        "issue.yaml:7:8: the text under 'body:' runs over several lines but has no '|'; "
        "write 'body: |' and indent the text below it",
    ),
    "a missing colon, at its own line": (
        MINIMAL.replace("    body: |\n      Hello world.\n", "    kind report\n    body: Text.\n"),
        "issue.yaml:8:5: this line has no ':' after its key; write it as 'key: value', e.g. 'kind: ...'",
    ),
    "a missing colon at the top level": (
        MINIMAL.replace("publisher: Test Office", "publisher Test Office"),
        "issue.yaml:5:1: this line has no ':' after its key; write it as 'key: value', e.g. 'publisher: ...'",
    ),
    "a date written day/month/year": (
        MINIMAL.replace("date: 2024-03-01", "date: 31/03/2023"),
        "issue.yaml:4:7: date: '31/03/2023' is not a date; write dates as YYYY-MM-DD, e.g. 2023-03-31",
    ),
    "a misspelt group key is measured against the group's keys too": (
        GROUPED.replace("  - group: Workshops", "  - grup: Workshops"),
        "issue.yaml:7:5: sections[0].grup: unknown key 'grup'; did you mean 'group'?",
    ),
    "a misspelt section key inside a group": (
        GROUPED.replace("      - title: A report", "      - titel: A report"),
        "issue.yaml:9:9: sections[0].sections[0].titel: unknown key 'titel'; did you mean 'title'?",
    ),
}


@pytest.mark.parametrize("name", EXACT)
def test_each_slip_gets_its_exact_message(tmp_path, name, monkeypatch):
    text, expected = EXACT[name]
    monkeypatch.chdir(tmp_path)
    make_issue(tmp_path / "issue", text)
    code, stdout, stderr = run_cli("validate", "issue")
    assert code == 2
    assert stderr.splitlines()[0] == "issue/" + expected
    assert stderr.splitlines()[1:] == ["1 problem; nothing was written."]
    assert "Traceback" not in stdout + stderr


def test_a_windows_1252_file_is_asked_to_be_saved_as_utf8(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = make_issue(tmp_path / "issue")
    (folder / "issue.yaml").write_bytes(MINIMAL.replace("Test Office", "Office “Café”").encode("cp1252"))
    code, _, stderr = run_cli("validate", "issue")
    assert code == 2
    assert stderr.splitlines()[0] == ("issue/issue.yaml:5:19: byte 0x93 is not UTF-8 text; save the file as UTF-8 "
                                      "(in the editor's Save As, choose the encoding UTF-8)")


def test_a_missing_issue_folder_suggests_the_nearest_existing_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # as after the README's set-up: the venv not activated
    make_issue(tmp_path / "issues" / "081")
    make_issue(tmp_path / "issues" / "079")
    code, _, stderr = run_cli("build", os.path.join("issues", "81"))
    assert code == 2
    assert stderr.splitlines()[0] == ("issues/81:1:1: no such issue file; did you mean issues/081? "
                                      "(.venv/bin/newsletter build issues/081)")
    code, _, stderr = run_cli("build", "issues/nowhere")
    assert code == 2
    assert stderr.splitlines()[0] == "issues/nowhere:1:1: no such issue file"
