"""The commands an officer types: new, validate, build, schema, check."""

from __future__ import annotations

import json
import re
import time

import yaml
from pypdf import PdfReader

from .conftest import ROOT, SAMPLE, make_issue, page_texts, run_cli


def test_new_scaffolds_an_issue_that_builds(tmp_path):
    code, stdout, _ = run_cli("new", "80", "--issues-dir", tmp_path)
    assert code == 0
    issue_file = tmp_path / "080" / "issue.yaml"
    assert issue_file.is_file() and "080" in stdout
    assert yaml.safe_load(issue_file.read_text())["number"] == 80
    code, _, stderr = run_cli("build", tmp_path / "080", "-o", tmp_path / "80.pdf")
    assert code == 0, stderr
    assert len(PdfReader(str(tmp_path / "80.pdf")).pages) >= 4


def test_new_never_overwrites_an_issue(tmp_path):
    assert run_cli("new", "81", "--issues-dir", tmp_path)[0] == 0
    (tmp_path / "081" / "issue.yaml").write_text("edited")
    code, _, stderr = run_cli("new", "81", "--issues-dir", tmp_path)
    assert code == 2 and "already exists" in stderr
    assert (tmp_path / "081" / "issue.yaml").read_text() == "edited"


def test_folder_and_file_give_the_same_build(tmp_path):
    folder = make_issue(tmp_path / "issue")
    assert run_cli("build", folder, "-o", tmp_path / "a.pdf")[0] == 0
    assert run_cli("build", folder / "issue.yaml", "-o", tmp_path / "b.pdf")[0] == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_build_reports_pages_size_and_time(tmp_path):
    code, stdout, _ = run_cli("build", make_issue(tmp_path / "issue"), "-o", tmp_path / "x.pdf")
    assert code == 0
    assert " pages, " in stdout and " kB, " in stdout and " s " in stdout


def test_validate_accepts_the_sample():
    code, stdout, _ = run_cli("validate", SAMPLE)
    assert code == 0 and "valid" in stdout


def test_schema_is_json_schema_and_the_committed_copy_is_current():
    code, stdout, _ = run_cli("schema")
    assert code == 0
    schema = json.loads(stdout)
    assert set(schema["required"]) >= {"schema", "title", "number", "date", "publisher", "sections"}
    assert schema["additionalProperties"] is False
    committed = json.loads((ROOT / "assets" / "schema" / "issue-v1.json").read_text(encoding="utf-8"))
    assert committed == schema, "run: .venv/bin/newsletter schema > assets/schema/issue-v1.json"


def test_check_passes_on_a_good_pdf_and_fails_on_a_bad_one(sample_pdf, tmp_path):
    code, stdout, _ = run_cli("check", sample_pdf)
    assert code == 0 and "all fonts embedded" in stdout
    # A PDF with an unembedded base-14 font, made with plain ReportLab.
    from reportlab.pdfgen.canvas import Canvas

    bad = tmp_path / "bad.pdf"
    canvas = Canvas(str(bad))
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 720, "Helvetica is not embedded")
    canvas.save()
    code, stdout, _ = run_cli("check", bad)
    assert code == 1
    assert "FAIL all fonts embedded: /Helvetica not embedded on page 1" in stdout


MULTILINGUAL = """\
schema: 1
title: Test Newsletter
number: 6
date: 2024-03-01
publisher: Test Office
language: en
foreword:
  body: |
    Greetings in many scripts: 关税合作 (Chinese), 세관 협력 (Korean), ศุลกากร (Thai),
    税関 (Japanese), Ελληνικά, Русский, Tiếng Việt and हिन्दी.
  signature:
    name: Kim Min-jun
    native_name: 김민준
sections:
  - title: A long table
    body: |
      | No. | Topic |
      |---|---|
{rows}
"""


def test_scripts_mix_and_long_tables_repeat_their_header(tmp_path):
    rows = "\n".join(f"      | {n} | Topic number {n} of the long curriculum table |" for n in range(1, 121))
    folder = make_issue(tmp_path / "issue", MULTILINGUAL.format(rows=rows))
    out = tmp_path / "multi.pdf"
    code, _, stderr = run_cli("build", folder, "-o", out)
    assert code == 0, stderr
    texts = page_texts(out)
    everything = "".join(texts)
    for word in ("关税合作", "세관", "김민준", "Ελληνικά", "Русский", "Tiếng Việt"):
        assert word in everything, word
    table_pages = [t for t in texts if "Topic number" in t]
    assert len(table_pages) >= 2
    header_pages = [t for t in table_pages if t.count("Topic number") and "No." in t]
    assert len(header_pages) == len(table_pages), "the header row must repeat on every page of the table"
    fonts = set()
    for page in PdfReader(str(out)).pages:
        fonts |= {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    # In an English issue, Han characters come from the Japanese face, the first CJK fallback.
    for face in ("NewsletterSerifCJKJP", "NewsletterSerifCJKKR", "NotoSerifThai", "NotoSerifDevanagari"):
        assert any(face in f for f in fonts), face


def test_a_pdf_that_fails_its_checks_keeps_the_previous_one(tmp_path, monkeypatch):
    from newsletter_pdf import build as build_module
    from newsletter_pdf.check import CheckResult, Report

    def failing_check(pdf, expected, archive=None, passages=None):
        return Report([CheckResult("contents page numbers", False, "planted", ("'X': contents say page 9",))], [])

    monkeypatch.setattr(build_module, "check_report", failing_check)
    out = tmp_path / "out.pdf"
    out.write_bytes(b"%PDF previous good build")
    code, stdout, stderr = run_cli("build", make_issue(tmp_path / "issue"), "-o", out)
    assert code == 1
    assert "FAIL contents page numbers: planted" in stderr and "'X': contents say page 9" in stderr
    assert "previous PDF (if any) was kept" in stderr
    assert out.read_bytes() == b"%PDF previous good build"
    assert not list(tmp_path.glob(".out.pdf.*"))


def test_an_output_that_cannot_be_written_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, stdout, stderr = run_cli("build", make_issue(tmp_path / "issue"), "-o", blocker / "out.pdf")
    assert code == 2
    assert "cannot write" in stderr and "Traceback" not in stderr


# --- internal errors: one line, exit 3, the previous PDF kept; the traceback only with --debug ---------

PREVIOUS = b"%PDF-1.4 previous good build"


def _planted_layout_failure(monkeypatch):
    from newsletter_pdf import write
    from newsletter_pdf.layout.failure import LayoutFailure

    def render(story, target):
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError as cause:
            raise LayoutFailure("the section 'Only Article' (issue.yaml:7)", cause) from cause

    monkeypatch.setattr(write, "render", render)


def _build_over(tmp_path, *extra):
    folder = make_issue(tmp_path / "issue")
    out = tmp_path / "out.pdf"
    out.write_bytes(PREVIOUS)
    source = (folder / "issue.yaml").read_bytes()
    code, stdout, stderr = run_cli("build", folder, "-o", out, *extra)
    assert out.read_bytes() == PREVIOUS, "the previous PDF was replaced"
    assert (folder / "issue.yaml").read_bytes() == source
    assert not list(tmp_path.glob(".out.pdf.*")), "a temporary file was left behind"
    return code, stdout, stderr


def test_an_internal_layout_error_is_one_line_and_exit_3(tmp_path, monkeypatch):
    _planted_layout_failure(monkeypatch)
    code, stdout, stderr = _build_over(tmp_path)
    assert code == 3
    assert stderr.strip().splitlines() == [
        "internal error while laying out the section 'Only Article' (issue.yaml:7): "
        "ZeroDivisionError: division by zero; please report it with the issue file"]
    assert "Traceback" not in stdout + stderr


def test_debug_prints_the_traceback_of_an_internal_error(tmp_path, monkeypatch):
    _planted_layout_failure(monkeypatch)
    code, _, stderr = _build_over(tmp_path, "--debug")
    assert code == 3
    assert "Traceback (most recent call last)" in stderr and "ZeroDivisionError: division by zero" in stderr
    assert stderr.strip().splitlines()[-1].startswith("internal error while laying out the section 'Only Article'")


def test_an_internal_error_outside_the_layout_is_one_line_and_exit_3(tmp_path, monkeypatch):
    from newsletter_pdf import write

    def broken(*args, **kwargs):
        raise KeyError("colour")

    monkeypatch.setattr(write, "build_story", broken)
    code, stdout, stderr = _build_over(tmp_path)
    assert code == 3
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr
    assert re.fullmatch(r"internal error while building \S*issue/issue\.yaml: KeyError: 'colour'; "
                        r"please report it with the issue file", lines[0]), lines


def test_validate_lays_the_issue_out_in_memory(tmp_path, monkeypatch):
    """What validates also builds: validate runs the layout, into a buffer, and writes no file."""
    import io

    from newsletter_pdf import build as build_module

    targets = []
    real_render = build_module.render

    def render(story, target):
        targets.append(target)
        return real_render(story, target)

    monkeypatch.setattr(build_module, "render", render)
    folder = make_issue(tmp_path / "issue")
    before = sorted(tmp_path.rglob("*"))
    code, stdout, _ = run_cli("validate", folder)
    assert code == 0 and "valid" in stdout
    assert len(targets) == 1 and isinstance(targets[0], io.BytesIO) and targets[0].getvalue().startswith(b"%PDF-")
    assert sorted(tmp_path.rglob("*")) == before, "validate wrote a file"


def test_validate_reports_an_internal_layout_error_with_exit_3(tmp_path, monkeypatch):
    from newsletter_pdf import build as build_module
    from newsletter_pdf.layout.failure import LayoutFailure

    def render(story, target):
        raise LayoutFailure("the section 'Only Article' (issue.yaml:7)", ValueError("no room"))

    monkeypatch.setattr(build_module, "render", render)
    code, stdout, stderr = run_cli("validate", make_issue(tmp_path / "issue"))
    assert code == 3 and "valid" not in stdout
    assert stderr.strip() == ("internal error while laying out the section 'Only Article' (issue.yaml:7): "
                              "ValueError: no room; please report it with the issue file")


def test_validate_of_the_sample_is_reasonably_fast():
    started = time.perf_counter()
    code, stdout, _ = run_cli("validate", SAMPLE)
    assert code == 0 and "valid" in stdout
    assert time.perf_counter() - started < 20  # a guard against a validate that prepares every picture


def test_build_all_reports_an_internal_error_in_one_line(tmp_path, monkeypatch):
    from newsletter_pdf import archive

    def broken(*args, **kwargs):
        raise RuntimeError("planted\nover two lines")

    monkeypatch.setattr(archive, "build", broken)
    folder = make_issue(tmp_path / "issues" / "005")
    result = archive.build_one(str(folder), str(tmp_path / "out" / "x.pdf"))
    assert result.internal and not result.ok
    assert result.problems == (f"internal error while building {folder / 'issue.yaml'}: RuntimeError: planted over "
                               "two lines; please report it with the issue file",)
    assert "Traceback" in result.details and "Traceback" not in result.status


def test_the_debug_option_is_explained_in_the_help():
    for command in ("build", "validate", "watch", "build-all", "check"):
        code, stdout, _ = run_cli(command, "--help")
        assert code == 0
        flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", stdout).split())
        assert "--debug" in flat and "also print its traceback, for a bug report" in flat, (command, stdout)
    code, stdout, _ = run_cli("build", "--help")
    assert "3 an internal error" in " ".join(stdout.split())


def test_the_default_output_goes_to_the_projects_build_folder_wherever_the_command_is_run(tmp_path, monkeypatch):
    # once: `newsletter build .` inside an issue folder wrote an untracked build/ there
    import shutil

    project = tmp_path / "project"
    shutil.copytree(ROOT / "assets", project / "assets")
    folder = make_issue(project / "issues" / "005")
    monkeypatch.chdir(folder)
    code, stdout, stderr = run_cli("build", ".")
    assert code == 0, stderr
    assert (project / "build" / "newsletter-005.pdf").is_file()
    assert not (folder / "build").exists()
    assert stdout.startswith(f"{project / 'build' / 'newsletter-005.pdf'}:")
    monkeypatch.chdir(project)  # from the project's root the path is written short
    code, stdout, _ = run_cli("build", "issues/005")
    assert code == 0 and stdout.startswith("build/newsletter-005.pdf:")


def test_the_hint_after_new_is_a_command_that_runs_as_written(tmp_path):
    # once: "then run: newsletter build issues/080", and `newsletter` was not on the PATH
    import os
    import subprocess

    exe = ROOT / ".venv" / "bin" / "newsletter"
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # the venv's bin not on the PATH, as after the README's set-up
    result = subprocess.run([str(exe.relative_to(ROOT)), "new", "80", "--issues-dir", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    hint = result.stdout.strip().split("then run: ", 1)[1]
    assert hint == f".venv/bin/newsletter build {tmp_path / '080'}"
    built = subprocess.run(hint.split() + ["-o", str(tmp_path / "80.pdf")], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
