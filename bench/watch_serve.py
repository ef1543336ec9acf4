"""How long ``newsletter watch --serve`` takes on an issue (default No. 79), as a browser would see it.

    .venv/bin/python bench/watch_serve.py [ISSUE_FOLDER] [-n EDITS]

Start: from launching the process to the page and every page image fetched (the first build
and its rendering included). Edit: from writing a changed issue.yaml to the page and images of
the new build fetched. A browser's poll adds up to serve.POLL_MILLISECONDS (half of it on average).
With Debian's chromium installed, the same edits are also timed in a browser that has the page
open: from the write to the page showing the new build with every image loaded.
The issue is copied to a temporary folder, so the original is never touched.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSLETTER = Path(sys.executable).with_name("newsletter")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def wait_for_build(url: str, build: int) -> None:
    while True:
        try:
            if json.loads(fetch(url + "state.json"))["build"] >= build:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.01)


def fetch_page(url: str) -> int:
    html = fetch(url).decode()
    sources = re.findall(r'<img src="/([^"]+)"', html)
    for source in sources:
        fetch(url + source)
    return len(sources)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("issue", nargs="?", type=Path, default=ROOT / "issues" / "079")
    parser.add_argument("-n", type=int, default=5, help="edits to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / args.issue.name
        shutil.copytree(args.issue, folder)
        issue_file = folder / "issue.yaml"
        original = issue_file.read_text(encoding="utf-8")
        started = time.perf_counter()
        process = subprocess.Popen([str(NEWSLETTER), "watch", str(folder), "--serve", "--port", "0",
                                    "-o", str(Path(temporary) / "out.pdf")], stdout=subprocess.PIPE, text=True)
        try:
            url = None
            while url is None:
                match = re.search(r"(http://127\.0\.0\.1:\d+/)", process.stdout.readline())
                url = match and match.group(1)
            threading.Thread(target=process.stdout.read, daemon=True).start()  # a full pipe would stall the watch
            wait_for_build(url, 1)
            pages = fetch_page(url)
            first = time.perf_counter() - started
            edits = []
            for build in range(2, args.n + 2):
                issue_file.write_text(original + f"\n# edit {build}\n", encoding="utf-8")
                edited = time.perf_counter()
                wait_for_build(url, build)
                fetch_page(url)
                edits.append(time.perf_counter() - edited)
            in_browser = browser_edits(url, issue_file, original, args.n + 2, pages, Path(temporary))
        finally:
            process.terminate()
            process.wait()
    print(f"{args.issue}: {pages} pages; start to first page served {first:.2f} s; "
          f"edit to reloaded page: {spread(edits)}")
    if in_browser:
        print(f"edit to the page reloaded and drawn in Chromium: {spread(in_browser)}")


def spread(seconds: list[float]) -> str:
    return (f"median {statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}, "
            f"{len(seconds)} edits)")


def browser_edits(url: str, issue_file: Path, original: str, first_build: int, pages: int,
                  temporary: Path) -> list[float]:
    if not shutil.which("chromium"):
        return []
    sys.path.insert(0, str(ROOT))
    from tests.test_watch_serve import ChromiumTab

    tab = ChromiumTab(url, temporary / "chromium")
    try:
        while not ((shown := tab.shown()) and len(shown["images"]) == pages):
            time.sleep(0.01)
        times = []
        for build in range(first_build, first_build + 5):
            issue_file.write_text(original + f"\n# browser edit {build}\n", encoding="utf-8")
            edited = time.perf_counter()
            while not ((shown := tab.shown()) and shown["build"] == build and len(shown["images"]) == pages):
                time.sleep(0.01)
            times.append(time.perf_counter() - edited)
        return times
    finally:
        tab.close()


if __name__ == "__main__":
    main()
