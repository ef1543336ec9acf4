"""``newsletter watch`` rebuilds when the issue changes, and keeps going after a bad edit."""

from __future__ import annotations

import threading
import time

from pypdf import PdfReader

from newsletter_pdf.watch import watch

from .conftest import MINIMAL, make_issue


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
