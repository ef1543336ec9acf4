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


def build_and_report(path: Path, output: Path | None, profile: str, report: Callable[[str], None],
                     debug: bool = False) -> bool:
    """One build; what it did or why it could not, told through ``report``. True when a PDF was written.

    Never raises (but for Ctrl-C): a watch must outlive every failure, its own bugs included.
    """
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
        report(f"Nothing was written. {WAITING}")
        return False
    except Exception as error:
        if debug:
            report(internal_traceback(error))
        report(internal_error_line(error, path))
        report(f"The previous PDF was kept. {WAITING}")
        return False
    for warning in result.warnings:
        report(f"warning: {warning}")
    count = len(result.page_warnings)
    noted = f" ({count} page warning{'s' if count != 1 else ''})" if count else ""
    report(f"{result.output}: {result.pages} pages, {result.bytes / 1024:,.0f} kB, {result.seconds:.2f} s{noted}")
    for warning in result.page_warnings:
        report(f"warning: {warning}")
    return True


def watch(path: Path, output: Path | None, profile: str, report: Callable[[str], None],
          stop: threading.Event | None = None, debug: bool = False) -> None:
    """Build now, then again after every change to the issue folder or the assets, until ``stop`` is set.

    The folder itself may go away and come back (an editor or ``git checkout`` replacing it):
    the watch waits for it and goes on.
    """
    stop = stop or threading.Event()
    folder = resolve_issue_file(path).parent
    build_and_report(path, output, profile, report, debug)
    watched = [str(folder), str(assets_for(path))]
    while not stop.is_set():
        if not all(Path(p).is_dir() for p in watched):
            report(f"{folder} is gone; waiting for it to come back...")
            while not stop.is_set() and not all(Path(p).is_dir() for p in watched):
                stop.wait(0.5)
            if stop.is_set():
                return
            build_and_report(path, output, profile, report, debug)
        try:
            for _ in watchfiles.watch(*watched, watch_filter=_relevant(output), debounce=300, stop_event=stop,
                                      raise_interrupt=False):
                build_and_report(path, output, profile, report, debug)
                if not all(Path(p).is_dir() for p in watched):
                    break  # watching a removed folder would see nothing more
            else:
                return  # stopped, or Ctrl-C
        except (OSError, RuntimeError) as error:  # the watcher itself failed (a folder removed under it)
            report(f"watching stopped ({type(error).__name__}: {error}); starting again")
            stop.wait(0.5)
