"""``newsletter watch --serve``: the issue's current pages on a local web page that follows each rebuild.

The standard library's threaded HTTP server runs beside the watch, on the loopback address only.
After each build the pages are rendered by ``preview.render_preview`` and kept in memory; a
bad edit replaces nothing but the error list, so the last good pages stay on the page under it.

The page learns of a rebuild by polling ``/state.json`` (a build counter) twice a second, not
by Server-Sent Events: a poll is one short request that holds no connection open, so the
server's shutdown never waits on a browser, a tab left open while the watch is restarted simply
reloads when it answers again, and a test can read the same endpoint with urllib.
"""

from __future__ import annotations

import errno
import html
import json
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image

from .preview import render_preview
from .watch import BuildOutcome

HOST = "127.0.0.1"
DEFAULT_PORT = 8079
PREVIEW_DPI = 80  # a whole A4 page on screen at 661 pixels across; shown smaller, sharp when opened alone
POLL_MILLISECONDS = 500
LOCAL_NAMES = {"127.0.0.1", "localhost", "[::1]"}


class PortUnavailable(Exception):
    """The port cannot be listened on; the message says which other to choose."""


@dataclass(frozen=True)
class RenderedPage:
    number: int
    png: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PageState:
    """Everything the page shows, replaced whole after each build so a request never sees half of one."""

    build: int = 0  # builds finished (good or bad); the page reloads when it changes
    finished: str = ""  # the time of the last build, HH:MM:SS
    failure: str = ""  # why the last build (or its rendering) failed: the headline of the red band
    problems: tuple[str, ...] = ()  # its error lines, as printed in the terminal
    pages: tuple[RenderedPage, ...] = ()  # the last good build's pages
    pages_build: int = 0  # the build they come from
    pages_finished: str = ""
    summary: str = ""  # the last good build's summary line
    warnings: tuple[str, ...] = ()


@dataclass
class PreviewServer:
    """The local page of a watch: ``update`` after each build, ``close`` at the end."""

    issue_label: str
    report: Callable[[str], None]
    port: int = DEFAULT_PORT
    state: PageState = field(default_factory=PageState)
    token: str = field(default_factory=lambda: secrets.token_hex(4))  # a restarted watch counts from 0 again

    def __post_init__(self) -> None:
        self._server = _bind(self.port, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="watch-serve", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def update(self, outcome: BuildOutcome) -> None:
        """Show a build's outcome: its pages when it wrote a PDF, else its errors over the last good pages.

        Never raises: a page that cannot be rendered is one more error on the page and in the terminal.
        """
        previous = self.state
        finished = time.strftime("%H:%M:%S")
        build = previous.build + 1
        if not outcome.ok:
            self.state = replace(previous, build=build, finished=finished, problems=tuple(outcome.problems),
                                  failure=_failure_headline(outcome, previous))
            return
        started = time.perf_counter()
        try:
            pages = _render(outcome.pdf)
        except Exception as error:  # a PDF PDFium cannot read, a full disk: said plainly, watching goes on
            line = f"{outcome.pdf}: the pages could not be shown ({type(error).__name__}: {error})"
            self.report(line)
            self.state = replace(previous, build=build, finished=finished, problems=(line,),
                                  failure="The PDF was built, but its pages could not be shown"
                                          + ("; the pages below are from the last good build" if previous.pages else ""))
            return
        self.state = PageState(build=build, finished=finished, pages=pages, pages_build=build,
                               pages_finished=finished, summary=outcome.summary, warnings=tuple(outcome.warnings))
        self.report(f"{self.url}: {len(pages)} pages shown ({time.perf_counter() - started:.2f} s to render)")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _failure_headline(outcome: BuildOutcome, previous: PageState) -> str:
    kept = "; the pages below are from the last good build" if previous.pages else "; no build has succeeded yet"
    return f"The last change did not build: {outcome.failure}{kept}"


def _render(pdf: Path) -> tuple[RenderedPage, ...]:
    with tempfile.TemporaryDirectory(prefix="newsletter-serve-") as folder:
        preview = render_preview(pdf, Path(folder), dpi=PREVIEW_DPI, sheet=False)
        pages = []
        for number, path in enumerate(preview.pages, start=1):
            with Image.open(path) as image:
                width, height = image.size
            pages.append(RenderedPage(number, path.read_bytes(), width, height))
    return tuple(pages)


class _LoopbackServer(ThreadingHTTPServer):
    allow_reuse_port = False  # never share the port with a second watch: the officer would see either one
    daemon_threads = True

    def __init__(self, address, handler, preview: PreviewServer):
        self.preview = preview
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        """A browser that leaves mid-answer is no error; anything else is one line, never a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            self.preview.report(f"the preview page failed to answer a request ({type(error).__name__}: {error})")


def _bind(port: int, preview: PreviewServer) -> _LoopbackServer:
    try:
        return _LoopbackServer((HOST, port), _Handler, preview)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortUnavailable(f"{HOST}:{port} is already in use (another `newsletter watch --serve`?); "
                                  f"choose another port, e.g. --port {port + 1 if port < 65535 else 8080}") from None
        raise PortUnavailable(f"cannot listen on {HOST}:{port} ({error.strerror or error}); "
                              f"choose a port from 1024 to 65535 with --port") from None


class _Handler(BaseHTTPRequestHandler):
    server: _LoopbackServer
    server_version = "newsletter-watch"

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        if host not in LOCAL_NAMES:  # a web site that points its own name at 127.0.0.1 gets nothing
            self._send(403, "text/plain; charset=utf-8", b"this page answers only at 127.0.0.1\n")
            return
        preview = self.server.preview
        state = preview.state
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._send(200, "text/html; charset=utf-8", page_html(preview.issue_label, state, preview.token).encode())
        elif path == "/state.json":
            body = json.dumps({"server": preview.token, "build": state.build, "ok": not state.failure,
                               "pages": len(state.pages), "pages_build": state.pages_build})
            self._send(200, "application/json", body.encode())
        elif path.startswith("/pages/"):
            page = _find_page(state, path)
            if page is None:
                self._send(404, "text/plain; charset=utf-8", b"no such page in the current build\n")
            else:
                self._send(200, "image/png", page.png, cache="max-age=3600, immutable")
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found; the pages are at /\n")

    def _send(self, status: int, content_type: str, body: bytes, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass  # a line per request would bury the build reports in the terminal


def _find_page(state: PageState, path: str) -> RenderedPage | None:
    """``/pages/<build>/<number>.png``: the build in the address lets the browser cache each image safely."""
    parts = path.split("/")
    if len(parts) != 4 or not parts[3].endswith(".png") or parts[2] != str(state.pages_build):
        return None
    number = parts[3].removesuffix(".png")
    return next((page for page in state.pages if str(page.number) == number), None)


STYLE = """
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: #e4e4e4; color: #1d1d1d; }
header { background: #fff; border-bottom: 1px solid #c8c8c8; padding: 10px 24px; }
header h1 { font-size: 17px; margin: 0 0 2px; }
header p { margin: 0; color: #444; }
.summary { font-variant-numeric: tabular-nums; }
.failed { background: #b3001b; color: #fff; padding: 14px 24px 16px; }
.failed h2 { font-size: 17px; margin: 0 0 8px; }
.failed ol { margin: 0; padding: 10px 14px 10px 36px; background: #fff; color: #8a0014; border-radius: 3px;
  font: 14px/1.5 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.warnings { background: #fff7dc; border-bottom: 1px solid #e6d38a; padding: 6px 24px; }
.warnings summary { cursor: pointer; font-weight: 600; }
.warnings ul { margin: 4px 0 6px; padding-left: 20px; }
.waiting { padding: 40px 24px; font-size: 17px; color: #444; }
.offline { display: none; background: #555; color: #fff; padding: 6px 24px; }
.offline.shown { display: block; }
main { display: flex; flex-wrap: wrap; gap: 22px 18px; padding: 20px 24px 40px; align-items: flex-start; }
figure { margin: 0; width: 280px; }
figure img { display: block; width: 100%; height: auto; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, .35); }
figcaption { text-align: center; color: #444; font-size: 13px; margin-top: 5px; font-variant-numeric: tabular-nums; }
"""

SCRIPT = """
const shown = {server: %(server)s, build: %(build)d};
async function poll() {
  try {
    const state = await (await fetch("/state.json", {cache: "no-store"})).json();
    document.getElementById("offline").classList.remove("shown");
    if (state.server !== shown.server || state.build !== shown.build) { location.reload(); return; }
  } catch (error) {
    document.getElementById("offline").classList.add("shown");
  }
  setTimeout(poll, %(every)d);
}
setTimeout(poll, %(every)d);
"""


def page_html(issue_label: str, state: PageState, token: str) -> str:
    """The whole page: header, the red band of errors (if the last build failed), warnings, the pages."""
    esc = html.escape
    parts = [f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f'<title>{"Error: " if state.failure else ""}{esc(issue_label)} — newsletter watch</title>\n'
             f"<style>{STYLE}</style>\n</head>\n<body>\n"]
    if state.build == 0:
        status = "Building for the first time…"
    elif state.pages:
        status = f"Pages of build {state.pages_build} at {state.pages_finished}"
        if state.failure:
            status += f"; build {state.build} at {state.finished} failed"
    else:
        status = f"Build {state.build} at {state.finished} failed"
    parts.append(f"<header>\n<h1>Watching {esc(issue_label)}</h1>\n<p>{esc(status)}. "
                 f"The page follows each rebuild.</p>\n")
    if state.summary:
        parts.append(f'<p class="summary">{esc(state.summary)}</p>\n')
    parts.append('</header>\n<div class="offline" id="offline">The watch is not answering (stopped?). '
                 "This page reloads when it runs again.</div>\n")
    if state.failure:
        items = "".join(f"<li>{esc(line)}</li>" for line in state.problems)
        parts.append(f'<section class="failed" id="failed">\n<h2>{esc(state.failure)}</h2>\n'
                     f"<ol>{items}</ol>\n</section>\n")
    if state.warnings:
        items = "".join(f"<li>{esc(line.removeprefix('warning: '))}</li>" for line in state.warnings)
        count = len(state.warnings)
        of = " of the last good build" if state.failure else ""
        parts.append(f'<details class="warnings" open>\n<summary>{count} warning{"s" if count != 1 else ""}{of}'
                     f"</summary>\n<ul>{items}</ul>\n</details>\n")
    if state.pages:
        parts.append('<main id="pages">\n')
        for page in state.pages:
            source = f"/pages/{state.pages_build}/{page.number}.png"
            parts.append(f'<figure><a href="{source}" target="_blank"><img src="{source}" width="{page.width}" '
                         f'height="{page.height}" alt="page {page.number}"></a>'
                         f"<figcaption>page {page.number}</figcaption></figure>\n")
        parts.append("</main>\n")
    elif state.build == 0:
        parts.append('<p class="waiting">The first build is running; this page shows its pages when it ends.</p>\n')
    script = SCRIPT % {"server": json.dumps(token), "build": state.build, "every": POLL_MILLISECONDS}
    parts.append(f"<script>{script}</script>\n</body>\n</html>\n")
    return "".join(parts)
