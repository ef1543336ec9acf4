"""``newsletter watch --serve``: a local page of the current pages that follows each rebuild.

The watch runs as the officer runs it, a ``newsletter`` process, stopped by Ctrl-C (SIGINT);
the page and its build counter are read as a browser would, over HTTP.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from PIL import Image

from .conftest import MINIMAL, make_issue, run_cli

NEWSLETTER = Path(sys.executable).with_name("newsletter")
PROBLEM = "issue.yaml:5:1: publsher: unknown key 'publsher'; did you mean 'publisher'?"
RED_BAND = (0xB3, 0x00, 0x1B)  # the error band's colour in serve.STYLE


def wait_for(condition, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return None


class ServedWatch:
    """A ``newsletter watch --serve --port 0`` process, its terminal lines, and its page's address."""

    def __init__(self, folder: Path, cwd: Path):
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.process = subprocess.Popen(
            [str(NEWSLETTER), "watch", str(folder), "--serve", "--port", "0", "-o", str(cwd / "out" / "watched.pdf")],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            # a shell that started pytest in the background may have made SIGINT ignored; Ctrl-C must reach the watch
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        for stream, lines in ((self.process.stdout, self.lines), (self.process.stderr, self.errors)):
            threading.Thread(target=lambda s=stream, out=lines: out.extend(line.rstrip("\n") for line in s),
                             daemon=True).start()
        served = wait_for(lambda: next((m for line in list(self.lines)
                                        if (m := re.search(r"Serving the pages at (http://127\.0\.0\.1:(\d+)/)", line))),
                                       None))
        assert served, (self.lines, self.errors)
        self.url, self.port = served.group(1), int(served.group(2))

    def get(self, path: str = "/", headers: dict | None = None) -> bytes:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers or {})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def state(self) -> dict:
        return json.loads(self.get("/state.json"))

    def wait_for_build(self, build: int) -> dict:
        state = wait_for(lambda: (s := self.state())["build"] >= build and s)
        assert state, (self.lines, self.errors)
        return state

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"Ctrl-C did not stop the watch: {self.lines} {self.errors}")


@contextlib.contextmanager
def served_watch(folder: Path, cwd: Path):
    watch = ServedWatch(folder, cwd)
    try:
        yield watch
    finally:
        if watch.process.poll() is None:
            watch.process.kill()
            watch.process.wait()


def page_images(watch: ServedWatch, html: str) -> list[bytes]:
    sources = re.findall(r'<img src="([^"]+)"', html)
    return [watch.get(source) for source in sources]


def error_lines(html: str) -> list[str]:
    band = re.search(r'<section class="failed".*?<ol>(.*?)</ol>', html, re.S)
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", band.group(1))] if band else []


def test_serve_shows_the_pages_then_the_errors_over_the_last_good_pages_then_the_fixed_pages(tmp_path):
    folder = make_issue(tmp_path / "issue")
    with served_watch(folder, tmp_path) as watch:
        first = watch.wait_for_build(1)
        assert first["ok"] and first["pages"] >= 3, (first, watch.lines)
        html = watch.get().decode()
        good_images = page_images(watch, html)
        assert len(good_images) == first["pages"]
        assert all(image.startswith(b"\x89PNG\r\n\x1a\n") for image in good_images)
        assert [f"page {n}" for n in range(1, first["pages"] + 1)] == re.findall(r"<figcaption>(page \d+)</figcaption>", html)
        summary = next(line for line in watch.lines if "watched.pdf: " in line)
        assert unescape(re.search(r'<p class="summary">(.*?)</p>', html).group(1)) == summary
        assert not error_lines(html)

        # A bad edit: the error list, as the terminal prints it, over the last good pages.
        (folder / "issue.yaml").write_text(MINIMAL.replace("publisher:", "publsher:"), encoding="utf-8")
        failed = watch.wait_for_build(2)
        assert not failed["ok"] and failed["pages_build"] == 1
        html = watch.get().decode()
        shown = error_lines(html)
        assert len(shown) == 1 and shown[0].endswith(PROBLEM), shown
        assert shown[0] in watch.lines, "the page's error line differs from the terminal's"
        assert "The last change did not build: 1 problem in the issue" in html
        assert page_images(watch, html) == good_images, "the last good pages were not kept under the errors"
        assert unescape(re.search(r'<p class="summary">(.*?)</p>', html).group(1)) == summary

        # Fixed: the new pages, and the errors gone.
        (folder / "issue.yaml").write_text(MINIMAL.replace("Only Article", "Fixed Article"), encoding="utf-8")
        fixed = watch.wait_for_build(3)
        assert fixed["ok"] and fixed["pages_build"] == 3
        html = watch.get().decode()
        assert not error_lines(html)
        new_images = page_images(watch, html)
        assert len(new_images) == len(good_images) and new_images != good_images
        with pytest.raises(urllib.error.HTTPError) as gone:  # an old build's image is not served as the current one
            watch.get("/pages/1/1.png")
        assert gone.value.code == 404

        # A web site that points its own name at 127.0.0.1 (DNS rebinding) is refused.
        with pytest.raises(urllib.error.HTTPError) as refused:
            watch.get("/state.json", headers={"Host": f"attacker.example:{watch.port}"})
        assert refused.value.code == 403

        assert watch.stop() == 0
    assert watch.lines[-1] == "Stopped."
    assert not any("Traceback" in line for line in watch.lines + watch.errors), watch.errors
    with pytest.raises(OSError):  # the server stopped with the watch
        socket.create_connection(("127.0.0.1", watch.port), timeout=2).close()


def test_serve_refuses_a_taken_port_and_a_port_without_serve(tmp_path):
    folder = make_issue(tmp_path / "issue")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, stdout, stderr = run_cli("watch", folder, "--serve", "--port", port, "-o", tmp_path / "x.pdf")
    assert code == 2, (stdout, stderr)
    assert f"127.0.0.1:{port} is already in use (another `newsletter watch --serve`?); " \
           f"choose another port, e.g. --port {port + 1}" in stderr
    assert "Watching" not in stdout and not (tmp_path / "x.pdf").exists()

    code, _, stderr = run_cli("watch", folder, "--port", "8090")
    assert code == 2 and "--port 8090 sets the port of the --serve page; add --serve" in stderr


def chromium_screenshot(url: str, png: Path, profile: Path) -> Image.Image:
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         f"--screenshot={png}", "--window-size=1280,900", url],
        check=True, capture_output=True, timeout=60)
    return Image.open(png).convert("RGB")


class ChromiumTab:
    """Headless Chromium showing one page, asked what it shows through its DevTools protocol on a pipe
    (``--remote-debugging-pipe``: JSON messages ended by NUL, on the child's descriptors 3 and 4)."""

    def __init__(self, url: str, profile: Path):
        to_chromium, self._to_chromium = os.pipe()
        self._from_chromium, from_chromium = os.pipe()

        def descriptors_3_and_4() -> None:  # dup first: dup2 onto the same number would keep close-on-exec
            commands, answers = os.dup(to_chromium), os.dup(from_chromium)
            os.dup2(commands, 3)
            os.dup2(answers, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--window-size=1280,900", "--remote-debugging-pipe", url],
            preexec_fn=descriptors_3_and_4, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chromium)
        os.close(from_chromium)
        self._buffer = b""
        self._id = 0
        self._session: str | None = None  # the page's, once attached; the browser's commands go without
        targets = self._call("Target.getTargets")["targetInfos"]
        page = next(target for target in targets if target["type"] == "page")
        self._session = self._call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]

    def _call(self, method: str, **params):
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._to_chromium, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                if not select.select([self._from_chromium], [], [], 20)[0]:
                    raise AssertionError(f"Chromium did not answer {method}")
                chunk = os.read(self._from_chromium, 1 << 16)
                assert chunk, "Chromium closed its DevTools pipe"
                self._buffer += chunk
            raw, _, self._buffer = self._buffer.partition(b"\0")
            answer = json.loads(raw)
            if answer.get("id") == self._id:
                assert "error" not in answer, answer
                return answer["result"]

    def evaluate(self, expression: str):
        return self._call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def shown(self) -> dict | None:
        """The build the loaded page shows, its error lines and its images' addresses (None while loading)."""
        return self.evaluate(
            "document.readyState === 'complete' && typeof shown !== 'undefined' ? {build: shown.build, "
            "errors: [...document.querySelectorAll('#failed li')].map(li => li.textContent), "
            "images: [...document.images].filter(i => i.complete && i.naturalWidth > 0).map(i => i.getAttribute('src'))}"
            " : null")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)
        os.close(self._to_chromium)
        os.close(self._from_chromium)


def red_band_rows(image: Image.Image) -> int:
    """Rows of the screenshot that are mostly the error band's red."""
    rows = 0
    for y in range(image.height):
        row = image.crop((0, y, image.width, y + 1)).getcolors(image.width) or []
        if sum(count for count, colour in row if colour == RED_BAND) > 0.8 * image.width:
            rows += 1
    return rows


def white_page_pixels(image: Image.Image, top: int = 0) -> int:
    return sum(count for count, colour in image.crop((0, top, image.width, image.height)).getcolors(1 << 20)
               if colour == (255, 255, 255))


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed here (.ci/run installs it): apt-get install chromium")
def test_serve_page_in_headless_chromium_shows_the_pages_then_the_red_error_band(tmp_path):
    folder = make_issue(tmp_path / "issue")
    with served_watch(folder, tmp_path) as watch:
        watch.wait_for_build(1)
        good = chromium_screenshot(watch.url, tmp_path / "serve-good.png", tmp_path / "chromium")
        (folder / "issue.yaml").write_text(MINIMAL.replace("publisher:", "publsher:"), encoding="utf-8")
        watch.wait_for_build(2)
        bad = chromium_screenshot(watch.url, tmp_path / "serve-error.png", tmp_path / "chromium")
        watch.stop()
    assert good.size == bad.size == (1280, 900)
    assert len(good.getcolors(1 << 20)) > 50, "the screenshot of the pages is blank"
    assert red_band_rows(good) == 0
    assert white_page_pixels(good) > 100_000, "no page is drawn"  # three A4 pages at 280 pixels across
    band = red_band_rows(bad)
    assert band >= 20, "the error state shows no red band"
    band_bottom = max(y for y in range(bad.height) if bad.getpixel((4, y)) == RED_BAND)
    assert white_page_pixels(bad, band_bottom) > 100_000, "the last good pages are not shown under the errors"


def test_serve_shows_a_first_failure_and_a_page_that_cannot_be_rendered_and_keeps_the_good_pages(tmp_path):
    """No good build yet: the errors alone. A PDF that PDFium cannot read: one line in the terminal
    and on the page, the last good pages kept; the next good build replaces both."""
    from newsletter_pdf.serve import PreviewServer
    from newsletter_pdf.watch import build_and_report

    terminal: list[str] = []
    server = PreviewServer("issue", terminal.append, port=0)
    try:
        folder = make_issue(tmp_path / "issue", MINIMAL.replace("publisher:", "publsher:"))
        out = tmp_path / "out" / "served.pdf"
        server.update(build_and_report(folder, out, "email", terminal.append))
        html = urllib.request.urlopen(server.url, timeout=10).read().decode()
        assert error_lines(html)[0].endswith(PROBLEM) and "no build has succeeded yet" in html
        assert "<img" not in html

        make_issue(folder)
        server.update(build_and_report(folder, out, "email", terminal.append))
        html = urllib.request.urlopen(server.url, timeout=10).read().decode()
        assert not error_lines(html) and html.count("<img") == 3
        assert terminal[-1].startswith(f"{server.url}: 3 pages shown (")

        broken = tmp_path / "broken.pdf"
        broken.write_bytes(b"%PDF-1.7\nnot a PDF after all\n")
        outcome = build_and_report(folder, out, "email", terminal.append)
        outcome.pdf = broken  # as if the disk had lost the PDF's end after the build
        server.update(outcome)
        html = urllib.request.urlopen(server.url, timeout=10).read().decode()
        shown = error_lines(html)
        assert len(shown) == 1 and shown[0].startswith(f"{broken}: the pages could not be shown (PdfiumError")
        assert terminal[-1] == shown[0]
        assert "The PDF was built, but its pages could not be shown; the pages below are from the last good build" in html
        assert html.count("<img") == 3
        assert json.loads(urllib.request.urlopen(server.url + "state.json", timeout=10).read())["build"] == 3
    finally:
        server.close()


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed here (.ci/run installs it): apt-get install chromium")
def test_serve_page_open_in_chromium_reloads_itself_after_each_rebuild(tmp_path):
    """The page is loaded once; the edits alone make it show the error list, then the new pages."""
    folder = make_issue(tmp_path / "issue")
    with served_watch(folder, tmp_path) as watch:
        watch.wait_for_build(1)
        tab = ChromiumTab(watch.url, tmp_path / "chromium")
        try:
            first = wait_for(lambda: (s := tab.shown()) and len(s["images"]) == 3 and s)
            assert first == {"build": 1, "errors": [], "images": [f"/pages/1/{n}.png" for n in (1, 2, 3)]}, first

            (folder / "issue.yaml").write_text(MINIMAL.replace("publisher:", "publsher:"), encoding="utf-8")
            failed = wait_for(lambda: (s := tab.shown()) and s["build"] == 2 and len(s["images"]) == 3 and s)
            assert failed, tab.shown()
            assert len(failed["errors"]) == 1 and failed["errors"][0].endswith(PROBLEM)
            assert failed["images"] == first["images"]

            (folder / "issue.yaml").write_text(MINIMAL.replace("Only Article", "Fixed Article"), encoding="utf-8")
            fixed = wait_for(lambda: (s := tab.shown()) and s["build"] == 3 and len(s["images"]) == 3 and s)
            assert fixed == {"build": 3, "errors": [], "images": [f"/pages/3/{n}.png" for n in (1, 2, 3)]}, tab.shown()
        finally:
            tab.close()
        assert watch.stop() == 0
