"""Sample text of `newsletter new` left in: a warning at each place; --strict and the archive
profile refuse the build (exit 2) and keep the previous PDF."""

from __future__ import annotations

import re

import pytest

from newsletter_pdf.issue import IssueError
from newsletter_pdf.issue.template_text import check_template_text
from newsletter_pdf.scaffold import PLACEHOLDERS

from .conftest import run_cli

PREVIOUS = b"%PDF-1.4 previous good build\n"


@pytest.fixture
def template_issue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "80", "--issues-dir", "issues")[0] == 0
    return tmp_path / "issues" / "080"


def places(issue_file) -> dict[str, str]:
    """Each placeholder with the FILE:LINE:COLUMN where the file holds it (as the officer's editor counts)."""
    lines = issue_file.read_text(encoding="utf-8").splitlines()
    found = {}
    for placeholder in PLACEHOLDERS:
        number = next(n for n, line in enumerate(lines, 1) if placeholder in line)
        found[placeholder] = f"issues/080/issue.yaml:{number}:{lines[number - 1].index(placeholder) + 1}"
    return found


def test_each_placeholder_left_in_is_a_warning_at_its_place(template_issue):
    code, _, stderr = run_cli("build", "issues/080", "-o", "80.pdf")
    assert code == 0
    warned = [line for line in stderr.splitlines() if "template text" in line]
    assert len(warned) == len(PLACEHOLDERS)
    for placeholder, place in places(template_issue / "issue.yaml").items():
        assert any(line.startswith(f"warning: {place}: ") and f"template text {placeholder!r} is still in; "
                   "replace it with this issue's own text" in line for line in warned), (placeholder, place, warned)
    assert (f"warning: {places(template_issue / 'issue.yaml')['Write the foreword here']}: foreword.body: "
            "template text 'Write the foreword here' is still in; replace it with this issue's own text") in warned


@pytest.mark.parametrize("options", [["--strict"], ["--profile", "archive"]])
def test_strict_and_archive_refuse_template_text_and_keep_the_previous_pdf(template_issue, options):
    (template_issue.parent.parent / "80.pdf").write_bytes(PREVIOUS)
    code, _, stderr = run_cli("build", "issues/080", "-o", "80.pdf", *options)
    assert code == 2
    errors = stderr.splitlines()
    assert errors[-1] == f"{len(PLACEHOLDERS)} problems; nothing was written."
    for placeholder, place in places(template_issue / "issue.yaml").items():
        assert any(re.match(rf"{re.escape(place)}: [\w.\[\]]+: template text {re.escape(repr(placeholder))}", line)
                   for line in errors), (placeholder, errors)
    assert (template_issue.parent.parent / "80.pdf").read_bytes() == PREVIOUS


def test_an_issue_with_its_own_text_builds_strictly_without_warnings(template_issue):
    issue_file = template_issue / "issue.yaml"
    text = issue_file.read_text(encoding="utf-8")
    for number, placeholder in enumerate(PLACEHOLDERS):
        text = text.replace(placeholder, f"Real text {number}")
    issue_file.write_text(text, encoding="utf-8")
    code, _, stderr = run_cli("build", "issues/080", "-o", "80.pdf", "--strict")
    assert code == 0, stderr
    assert "template text" not in stderr


def test_one_function_gives_a_sending_command_the_same_strictness(template_issue):
    warnings = check_template_text(template_issue, strict=False)
    assert len(warnings) == len(PLACEHOLDERS)
    with pytest.raises(IssueError) as refused:
        check_template_text(template_issue, strict=True)
    assert [str(p) for p in refused.value.problems] == warnings
