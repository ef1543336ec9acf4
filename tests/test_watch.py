"""``newsletter watch`` rebuilds when the issue changes, and keeps going after a bad edit."""

from __future__ import annotations

import shutil
import threading
import time

from pypdf import PdfReader

from newsletter_pdf.watch import watch

from .conftest import MINIMAL, make_issue, run_cli


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_watch_rebuilds_after_each_change(tmp_path):
    folder = make_issue(tmp_path / "issue")
    out = tmp_path / "out" / "watched.pdf"
    lines: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(target=watch, args=(folder, out, "email", lines.append, stop), daemon=True)
    worker.start()
    try:
        assert wait_for(lambda: any("watched.pdf" in line for line in lines)), lines
        assert "Only Article" in PdfReader(str(out)).pages[-1].extract_text()

        (folder / "issue.yaml").write_text(MINIMAL.replace("Only Article", "Edited Article"), encoding="utf-8")
        assert wait_for(lambda: out.exists() and "Edited Article" in PdfReader(str(out)).pages[-1].extract_text())

        # A broken edit is reported and the last good PDF stays; fixing it builds again.
        (folder / "issue.yaml").write_text(MINIMAL.replace("publisher:", "publsher:"), encoding="utf-8")
        assert wait_for(lambda: any("did you mean 'publisher'" in line for line in lines)), lines
        assert "Edited Article" in PdfReader(str(out)).pages[-1].extract_text()
        (folder / "issue.yaml").write_text(MINIMAL.replace("Only Article", "Fixed Article"), encoding="utf-8")
        assert wait_for(lambda: "Fixed Article" in PdfReader(str(out)).pages[-1].extract_text())
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()


def test_watch_survives_every_failure_and_keeps_the_last_good_pdf(tmp_path, monkeypatch):
    """Bad input, a failed check, an internal error, the issue file deleted, the folder deleted:
    each is reported in a line or two, the last good PDF stays byte for byte, and the next good
    edit builds again."""
    from newsletter_pdf import build as build_module
    from newsletter_pdf import watch as watch_module

    real_build, real_check = watch_module.build, build_module.check_report
    issue_file = lambda: folder / "issue.yaml"  # noqa: E731

    def build(path, output, profile):
        if issue_file().is_file() and "Crash Article" in issue_file().read_text(encoding="utf-8"):
            raise ZeroDivisionError("planted bug")
        return real_build(path, output, profile)

    def check(pdf, expected, archive=None, passages=None):
        from newsletter_pdf.check import CheckResult, Report

        if any(e.title == "Failing Article" for e in expected):
            return Report([CheckResult("contents page numbers", False, "planted failure")], [])
        return real_check(pdf, expected, archive=archive, passages=passages)

    monkeypatch.setattr(watch_module, "build", build)
    monkeypatch.setattr(build_module, "check_report", check)
    folder = make_issue(tmp_path / "issue")
    out = tmp_path / "out" / "watched.pdf"
    lines: list[str] = []
    stop = threading.Event()
    worker = threading.Thread(target=watch, args=(folder, out, "email", lines.append, stop), daemon=True)
    worker.start()

    def edit(text: str, expect: str) -> None:
        seen = len(lines)
        issue_file().write_text(text, encoding="utf-8")
        assert wait_for(lambda: any(expect in line for line in lines[seen:])), lines[seen:]
        assert out.read_bytes() == good, "a failed build replaced the last good PDF"
        assert worker.is_alive()

    try:
        assert wait_for(lambda: any("watched.pdf" in line for line in lines)), lines
        good = out.read_bytes()
        edit(MINIMAL.replace("2024-03-01", "2023-02-30"), "issue.yaml:4:7: date: 2023-02-30 is not a date")
        edit(MINIMAL.replace("number: 5", "number: " + "9" * 5000), "(a number of 5,000 digits) is not an issue number")
        edit(MINIMAL.replace("Only Article", "Failing Article"), "The PDF failed its checks; the previous PDF was kept")
        edit(MINIMAL.replace("Only Article", "Crash Article"),
             "internal error while building ")
        assert any("ZeroDivisionError: planted bug; please report it with the issue file" in line for line in lines)
        assert not any("Traceback" in line for line in lines)

        seen = len(lines)
        issue_file().unlink()  # deleted mid-edit: an editor saving by delete and rename
        assert wait_for(lambda: any("no such issue file" in line for line in lines[seen:])), lines[seen:]
        assert out.read_bytes() == good and worker.is_alive()

        issue_file().write_text(MINIMAL.replace("Only Article", "Fixed Article"), encoding="utf-8")
        assert wait_for(lambda: "Fixed Article" in PdfReader(str(out)).pages[-1].extract_text()), lines
        good = out.read_bytes()

        seen = len(lines)
        shutil.rmtree(folder)  # the whole folder gone (a branch switched), then back
        assert wait_for(lambda: any("waiting for it to come back" in line for line in lines[seen:])), lines[seen:]
        assert out.read_bytes() == good and worker.is_alive()
        make_issue(folder, MINIMAL.replace("Only Article", "Returned Article"))
        assert wait_for(lambda: "Returned Article" in PdfReader(str(out)).pages[-1].extract_text()), lines
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()


def test_watch_with_debug_reports_the_traceback(tmp_path, monkeypatch):
    from newsletter_pdf import watch as watch_module

    def build(path, output, profile):
        raise ZeroDivisionError("planted bug")

    monkeypatch.setattr(watch_module, "build", build)
    lines: list[str] = []
    watch_module.build_and_report(make_issue(tmp_path / "issue"), tmp_path / "x.pdf", "email", lines.append, debug=True)
    assert "Traceback (most recent call last)" in lines[0]
    assert lines[1].startswith("internal error while building ") and lines[1].endswith(
        "ZeroDivisionError: planted bug; please report it with the issue file")


def test_watch_refuses_a_missing_folder_and_an_input_as_output(tmp_path):
    code, _, stderr = run_cli("watch", tmp_path / "nowhere")
    assert code == 2 and "nowhere: no such issue folder or issue file" in stderr
    folder = make_issue(tmp_path / "issue")
    before = (folder / "issue.yaml").read_bytes()
    code, _, stderr = run_cli("watch", folder, "-o", folder / "issue.yaml")
    assert code == 2 and "is the issue file itself" in stderr
    assert (folder / "issue.yaml").read_bytes() == before
