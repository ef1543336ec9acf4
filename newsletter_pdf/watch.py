"""``newsletter watch``: rebuild an issue each time its files change.

The night before an issue goes out, it is rebuilt dozens of times. A new process pays
for Python, its imports and the fonts on every build (about half a second); a watching
process pays once, so each rebuild of issue 79 takes about a third of a second.
Changes are reported by watchfiles (the operating system's file events).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from .build import assets_for, build
from .issue import IssueError, resolve_issue_file
from .write import CheckFailed, OutputError

IGNORED_PARTS = {".cache", "__pycache__", ".git"}


def _relevant(output: Path | None):
    """Changes to the issue's own files count; the PDF, temporary files and caches do not."""

    def keep(change: watchfiles.Change, path: str) -> bool:
        candidate = Path(path)
        if output is not None and candidate.resolve() == output.resolve():
            return False
        return not (candidate.suffix in (".part", ".pdf") or IGNORED_PARTS & set(candidate.parts))

    return keep


def build_and_report(path: Path, output: Path | None, profile: str, report: Callable[[str], None]) -> bool:
    """One build; what it did or why it could not, told through ``report``. True when a PDF was written."""
    try:
        result = build(path, output, profile)
    except IssueError as error:
        for problem in error.problems:
            report(str(problem))
        report(f"{len(error.problems)} problem(s); the previous PDF was kept. Waiting for changes...")
        return False
    except CheckFailed as failure:
        for line in failure.results:
            if not line.ok:
                report(str(line))
        report("The PDF failed its checks; the previous PDF was kept. Waiting for changes...")
        return False
    except OutputError as error:
        report(str(error))
        return False
    for warning in result.warnings:
        report(f"warning: {warning}")
    report(f"{result.output}: {result.pages} pages, {result.bytes / 1024:,.0f} kB, {result.seconds:.2f} s")
    return True


def watch(path: Path, output: Path | None, profile: str, report: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    """Build now, then again after every change to the issue folder or the assets, until ``stop`` is set."""
    folder = resolve_issue_file(path).parent
    build_and_report(path, output, profile, report)
    watched = [str(folder), str(assets_for(path))]
    for _ in watchfiles.watch(*watched, watch_filter=_relevant(output), debounce=300, stop_event=stop,
                              raise_interrupt=False):
        build_and_report(path, output, profile, report)
