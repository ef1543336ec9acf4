"""``newsletter watch``: rebuild an issue each time its files change.

The night before an issue goes out, it is rebuilt dozens of times. A new process pays
for Python, its imports and the fonts on every build (about half a second); a watching
process pays once, so each rebuild of issue 79 takes about a third of a second.
Changes are reported by watchfiles (the operating system's file events).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from .build import assets_for, build, internal_error_line, internal_traceback
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


WAITING = "Waiting for changes..."


@dataclass
class BuildOutcome:
    """What one build did, for a reader besides the terminal (``watch --serve``'s page)."""

    pdf: Path | None  # the PDF written; None when nothing was
    summary: str  # the closing line: pages, size and time, or why the previous PDF was kept
    problems: list[str] = field(default_factory=list)  # the error lines, as the terminal shows them
    failure: str = ""  # what kind of failure, in a few words ("2 problems in the issue"); empty when built
    warnings: list[str] = field(default_factory=list)  # "warning: ..." lines of a good build

    @property
    def ok(self) -> bool:
        return self.pdf is not None


def build_and_report(path: Path, output: Path | None, profile: str, report: Callable[[str], None],
                     debug: bool = False) -> BuildOutcome:
    """One build; what it did or why it could not, told through ``report`` and returned.

    Never raises (but for Ctrl-C): a watch must outlive every failure, its own bugs included.
    """
    def failed(failure: str, problems: list[str], summary: str) -> BuildOutcome:
        for line in problems:
            report(line)
        report(summary)
        return BuildOutcome(None, summary, problems, failure=failure)

    try:
        result = build(path, output, profile)
    except IssueError as error:
        count = len(error.problems)
        return failed(f"{count} problem{'s' if count != 1 else ''} in the issue", [str(p) for p in error.problems],
                      f"{len(error.problems)} problem(s); the previous PDF was kept. {WAITING}")
    except CheckFailed as failure:
        return failed("the PDF failed its checks", [str(line) for line in failure.results if not line.ok],
                      f"The PDF failed its checks; the previous PDF was kept. {WAITING}")
    except OutputError as error:
        return failed("the PDF could not be written", [str(error)], f"Nothing was written. {WAITING}")
    except Exception as error:
        if debug:
            report(internal_traceback(error))
        return failed("an internal error", [internal_error_line(error, path)], f"The previous PDF was kept. {WAITING}")
    warnings = [f"warning: {warning}" for warning in result.warnings]
    for line in warnings:
        report(line)
    count = len(result.page_warnings)
    noted = f" ({count} page warning{'s' if count != 1 else ''})" if count else ""
    summary = f"{result.output}: {result.pages} pages, {result.bytes / 1024:,.0f} kB, {result.seconds:.2f} s{noted}"
    report(summary)
    page_warnings = [f"warning: {warning}" for warning in result.page_warnings]
    for line in page_warnings:
        report(line)
    return BuildOutcome(result.output, summary, warnings=warnings + page_warnings)


def watch(path: Path, output: Path | None, profile: str, report: Callable[[str], None],
          stop: threading.Event | None = None, debug: bool = False,
          on_build: Callable[[BuildOutcome], None] | None = None) -> None:
    """Build now, then again after every change to the issue folder or the assets, until ``stop`` is set.

    ``on_build`` hears each build's outcome after ``report`` has (``--serve`` renders the pages then).

    The folder itself may go away and come back (an editor or ``git checkout`` replacing it):
    the watch waits for it and goes on.
    """
    stop = stop or threading.Event()
    folder = resolve_issue_file(path).parent

    def rebuild() -> None:
        outcome = build_and_report(path, output, profile, report, debug)
        if on_build is not None:
            on_build(outcome)

    rebuild()
    watched = [str(folder), str(assets_for(path))]
    while not stop.is_set():
        if not all(Path(p).is_dir() for p in watched):
            report(f"{folder} is gone; waiting for it to come back...")
            while not stop.is_set() and not all(Path(p).is_dir() for p in watched):
                stop.wait(0.5)
            if stop.is_set():
                return
            rebuild()
        try:
            for _ in watchfiles.watch(*watched, watch_filter=_relevant(output), debounce=300, stop_event=stop,
                                      raise_interrupt=False):
                rebuild()
                if not all(Path(p).is_dir() for p in watched):
                    break  # watching a removed folder would see nothing more
            else:
                return  # stopped, or Ctrl-C
        except (OSError, RuntimeError) as error:  # the watcher itself failed (a folder removed under it)
            report(f"watching stopped ({type(error).__name__}: {error}); starting again")
            stop.wait(0.5)
