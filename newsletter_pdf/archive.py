"""Archives: build every issue folder at once, record what was built, check that it rebuilds.

An archived issue must rebuild to the same bytes years later (README, "Reproducible
builds"). ``build_all`` writes a manifest with the SHA-256 of every PDF; ``verify``
rebuilds the issues a manifest lists and names each one whose bytes changed, so that a
code change which silently alters an old issue is caught by a test, not by a reader.

Issues are built in separate worker processes: one issue's failure (bad input, a PDF
that fails its checks, even a crash) is recorded and the others carry on.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .build import build, default_output, internal_error_line, internal_traceback, read_issue
from .invocation import self_command
from .issue import IssueError
from .output.profiles import DEFAULT_PROFILE, PROFILES
from .write import CheckFailed, OutputError

MANIFEST_NAME = "manifest.json"
WORK_FOLDER = ".work"  # inside OUT_DIR: one folder per issue, for its unfinished PDF and its picture cache
GENERATOR = f"newsletter-pdf {__version__}"
REGENERATE = "{command} build-all {issues} -o build/all && cp build/all/manifest.json {manifest}"

Callback = Callable[..., None]


class ArchiveError(Exception):
    """Input that build-all cannot start on: no issues folder, an unreadable manifest; the CLI exits 2."""


@dataclass(frozen=True)
class IssueBuild:
    """What became of one issue folder: a PDF and its facts, or the problems that stopped it."""

    issue: str  # the folder's name, such as "079"
    file: str | None = None  # "newsletter-079.pdf", known once the issue file was read
    pages: int = 0
    bytes: int = 0
    seconds: float = 0.0
    sha256: str | None = None
    problems: tuple[str, ...] = ()  # empty when the PDF was built; else every message, most useful first
    warnings: tuple[str, ...] = ()  # the build's own (size budget, low-resolution pictures)
    internal: bool = False  # it failed on an internal error (a bug), not on its input or its checks
    details: str = ""  # that error's traceback, printed with --debug

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def status(self) -> str:
        if not self.ok:
            return self.problems[0].splitlines()[0]
        count = len(self.warnings)
        return f"ok, {count} warning{'s' if count != 1 else ''}" if count else "ok"

    def manifest_entry(self) -> dict:
        return {"issue": self.issue, "file": self.file, "pages": self.pages, "bytes": self.bytes,
                "sha256": self.sha256}


@dataclass(frozen=True)
class Manifest:
    generator: str
    profile: str
    entries: dict[str, dict]  # by issue folder name


@dataclass(frozen=True)
class Difference:
    issue: str
    what: str

    def __str__(self) -> str:
        return f"{self.issue}: {self.what}"


@dataclass
class Verification:
    manifest: Manifest
    builds: list[IssueBuild] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    @property
    def same_generator(self) -> bool:
        return self.manifest.generator == GENERATOR


# --- finding and building issues ------------------------------------------------------------

def find_issue_folders(issues_dir: Path) -> list[Path]:
    """Every subfolder holding an ``issue.yaml``, by name; dot-folders (temporary, hidden) are not issues."""
    if not issues_dir.is_dir():
        raise ArchiveError(f"{issues_dir}: no such folder")
    return sorted((p for p in issues_dir.iterdir()
                   if p.is_dir() and not p.name.startswith(".") and (p / "issue.yaml").is_file()),
                  key=lambda p: p.name)


def build_all(issues_dir: Path, out_dir: Path, *, profile: str = DEFAULT_PROFILE, jobs: int | None = None,
              on_start: Callback | None = None, on_result: Callback | None = None) -> list[IssueBuild]:
    """Build every issue of ``issues_dir`` into ``out_dir`` and write ``out_dir/manifest.json``.

    The manifest lists the issues that built; the ones that failed are in the returned
    list with their problems. ``on_start(total)`` and ``on_result(IssueBuild)`` report progress.
    """
    _check_profile(profile)
    folders = find_issue_folders(issues_dir)
    if not folders:
        raise ArchiveError(f"{issues_dir}: no issue folders (subfolders with an issue.yaml)")
    _check_out_dir(out_dir, issues_dir, folders)
    if on_start:
        on_start(len(folders))
    builds = _build_folders(folders, out_dir, profile, jobs, on_result)
    write_manifest(out_dir / MANIFEST_NAME, builds, profile)
    return builds


def _check_out_dir(out_dir: Path, issues_dir: Path, folders: list[Path]) -> None:
    """The PDFs and the manifest go to a folder of their own: never into the issues or the assets."""
    from .build import FONTS_DIR, assets_for

    target = out_dir.resolve()
    hint = "choose a folder of its own, such as build/all"
    if target == issues_dir.resolve():
        raise ArchiveError(f"{out_dir}: is the issues folder itself (its manifest.json would be replaced); {hint}")
    inputs = [(f"the issue folder {folder}", folder) for folder in folders]
    inputs += [("assets/", assets_for(folders[0])), ("fonts/", FONTS_DIR)]
    for name, folder in inputs:
        folder = folder.resolve()
        if target == folder or folder in target.parents:
            raise ArchiveError(f"{out_dir}: is inside {name}, which holds inputs; {hint}")
    if target.exists() and not target.is_dir():
        raise ArchiveError(f"{out_dir}: is a file, not a folder; {hint}")


def _check_profile(profile: str) -> None:
    # A manifest names its profile; one from a newer release may name a profile this one lacks.
    if profile not in PROFILES:
        raise ArchiveError(f"unknown profile {profile!r}; this release builds {', '.join(PROFILES)}")


def _build_folders(folders: list[Path], out_dir: Path, profile: str, jobs: int | None,
                   on_result: Callback | None) -> list[IssueBuild]:
    out_dir.mkdir(parents=True, exist_ok=True)
    # Each issue is built into its own work folder, and the PDFs get their real names only
    # at the end, in folder order: two folders with the same issue number cannot overwrite
    # each other's PDF, and the outcome does not depend on which worker finished first.
    # build() keeps prepared pictures beside its output, so each issue also gets a picture
    # cache of its own: kept for the next run, and never written by two workers at once.
    builds = _run_workers(folders, out_dir / WORK_FOLDER, profile, jobs, on_result)
    return _move_into_place(builds, out_dir)


def _run_workers(folders: list[Path], work: Path, profile: str, jobs: int | None,
                 on_result: Callback | None) -> list[IssueBuild]:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(folders)))
    # "spawn": a fresh interpreter per worker, the same on Linux, macOS and Windows, and no
    # fork of a parent that runs threads (the progress bar's refresh thread).
    context = multiprocessing.get_context("spawn")
    results: dict[str, IssueBuild] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_interrupts) as pool:
        # Biggest first: a long build started last would leave the other workers idle at the end.
        futures: dict[Future, str] = {
            pool.submit(build_one, str(folder), str(_staged(work, folder.name)), profile): folder.name
            for folder in sorted(folders, key=_folder_bytes, reverse=True)}
        try:
            for future in as_completed(futures):
                result = _outcome(future, futures[future])
                results[result.issue] = result
                if on_result:
                    on_result(result)
        except KeyboardInterrupt:
            # The running builds finish (workers ignore Ctrl-C); the queued ones never start.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return [results[folder.name] for folder in folders]


def _folder_bytes(folder: Path) -> int:
    """The size of an issue's text and pictures: a fair guess at how long it takes to build."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _staged(work: Path, issue: str) -> Path:
    return work / issue / "unfinished.pdf"


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent handles it, the workers would only
    # print a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _outcome(future: Future, issue: str) -> IssueBuild:
    try:
        return future.result()
    except Exception as error:  # the worker died (killed, out of memory, crashed)
        return IssueBuild(issue, problems=(f"internal error: the worker process building it died "
                                           f"({type(error).__name__}: {error}); please report it with the issue file",),
                          internal=True)


def build_one(folder: str, target: str, profile: str = DEFAULT_PROFILE) -> IssueBuild:
    """Build one issue folder to ``target``; never raises, never prints a traceback."""
    path = Path(folder)
    started = time.perf_counter()
    file = None
    try:
        # The PDF's name comes from the issue's number, so the issue is read first
        # (a few per cent of a build); the name is build's own, profile suffix included.
        file = default_output(read_issue(path), PROFILES[profile]).name
        result = build(path, Path(target), profile, picture_jobs=1)  # the issues already fill the cores
    except IssueError as error:
        problems = tuple(str(p) for p in error.problems) or (str(error),)
    except CheckFailed as failure:
        problems = tuple(f"check failed: {r}" for r in failure.results if not r.ok) or ("the PDF failed its checks",)
    except OutputError as error:
        problems = (str(error),)
    except Exception as error:  # a bug met by one issue must not stop the others; keep its traceback for --debug
        return IssueBuild(path.name, file, seconds=time.perf_counter() - started,
                          problems=(internal_error_line(error, path),), internal=True,
                          details=internal_traceback(error))
    else:
        return IssueBuild(path.name, file, result.pages, result.bytes, time.perf_counter() - started,
                          sha256_of(result.output), warnings=tuple(result.warnings))
    return IssueBuild(path.name, file, seconds=time.perf_counter() - started, problems=problems)


def _move_into_place(builds: list[IssueBuild], out_dir: Path) -> list[IssueBuild]:
    claimed: dict[str, str] = {}
    placed = []
    for result in builds:
        staged = _staged(out_dir / WORK_FOLDER, result.issue)
        if result.ok and result.file in claimed:
            result = IssueBuild(result.issue, result.file, seconds=result.seconds, problems=(
                f"same issue number as folder {claimed[result.file]}: both would write {result.file}",))
        elif result.ok:
            claimed[result.file] = result.issue
            os.replace(staged, out_dir / result.file)
        staged.unlink(missing_ok=True)  # what was refused, or left by an interrupted run
        placed.append(result)
    return placed


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- the manifest ------------------------------------------------------------------------------

def manifest_text(builds: list[IssueBuild], profile: str) -> str:
    """The manifest as text: sorted keys, fixed indent, final newline, so equal archives give equal files."""
    entries = sorted((b.manifest_entry() for b in builds if b.ok), key=lambda e: e["issue"])
    document = {"generator": GENERATOR, "profile": profile, "issues": entries}
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_manifest(path: Path, builds: list[IssueBuild], profile: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(manifest_text(builds, profile))
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``, or ``ArchiveError`` saying what is wrong with it."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ArchiveError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise ArchiveError(f"{path}:{error.lineno}:{error.colno}: not JSON ({error.msg})") from None
    if not isinstance(document, dict) or not isinstance(document.get("issues"), list):
        raise ArchiveError(f"{path}: not a build-all manifest (no \"issues\" list)")
    entries: dict[str, dict] = {}
    for number, entry in enumerate(document["issues"]):
        if not _valid_entry(entry):
            raise ArchiveError(f"{path}: issues[{number}] needs issue, file, pages, bytes and a 64-digit sha256")
        if entry["issue"] in entries:
            raise ArchiveError(f"{path}: issue {entry['issue']} is listed twice")
        entries[entry["issue"]] = entry
    generator = document.get("generator")
    profile = document.get("profile", DEFAULT_PROFILE)
    if not isinstance(generator, str) or not isinstance(profile, str):
        raise ArchiveError(f"{path}: \"generator\" and \"profile\" must be text")
    return Manifest(generator, profile, entries)


def _valid_entry(entry: object) -> bool:
    return (isinstance(entry, dict)
            and all(isinstance(entry.get(k), str) for k in ("issue", "file", "sha256"))
            and all(isinstance(entry.get(k), int) and not isinstance(entry.get(k), bool) for k in ("pages", "bytes"))
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) is not None)


# --- verifying a manifest ------------------------------------------------------------------------

def verify(manifest_path: Path, issues_dir: Path, *, profile: str | None = None, jobs: int | None = None,
           on_start: Callback | None = None, on_result: Callback | None = None) -> Verification:
    """Rebuild, in a temporary folder, the issues the manifest lists; name every difference.

    A difference is an issue whose bytes (or file name) changed, that no longer builds,
    that is listed but has no folder any more, or that has a folder but is not listed.
    """
    manifest = read_manifest(manifest_path)
    if profile is not None and profile != manifest.profile:
        raise ArchiveError(f"{manifest_path} records {manifest.profile}-profile builds; "
                           f"verifying them with the {profile} profile would change every one")
    _check_profile(manifest.profile)
    present = {folder.name: folder for folder in find_issue_folders(issues_dir)}
    verification = Verification(manifest)
    listed = [name for name in sorted(manifest.entries) if name in present]
    if on_start:
        on_start(len(listed))
    if listed:
        with tempfile.TemporaryDirectory(prefix="newsletter-verify-") as scratch:
            verification.builds = _build_folders([present[n] for n in listed], Path(scratch), manifest.profile,
                                                 jobs, on_result)
    for result in verification.builds:
        difference = _compare(manifest.entries[result.issue], result)
        if difference:
            verification.differences.append(Difference(result.issue, difference))
    for name in sorted(set(manifest.entries) - set(present)):
        verification.differences.append(Difference(name, f"listed in the manifest, but {issues_dir / name} "
                                                         "has no issue.yaml"))
    for name in sorted(set(present) - set(manifest.entries)):
        verification.differences.append(Difference(name, "has an issue folder, but is not in the manifest"))
    verification.differences.sort(key=lambda d: d.issue)
    return verification


def _compare(recorded: dict, rebuilt: IssueBuild) -> str | None:
    if not rebuilt.ok:
        return f"no longer builds: {rebuilt.status}"
    if rebuilt.file != recorded["file"]:
        return f"now builds {rebuilt.file}, recorded as {recorded['file']}"
    if rebuilt.sha256 != recorded["sha256"]:
        return (f"bytes changed: {recorded['pages']} -> {rebuilt.pages} pages, "
                f"{recorded['bytes']:,} -> {rebuilt.bytes:,} bytes, "
                f"sha256 {recorded['sha256'][:12]}... -> {rebuilt.sha256[:12]}...")
    return None


def regenerate_command(issues_dir: Path, manifest_path: Path) -> str:
    return REGENERATE.format(command=self_command(), issues=issues_dir, manifest=manifest_path)


# --- reports -----------------------------------------------------------------------------------

def table(builds: list[IssueBuild], status: Callable[[IssueBuild], str] | None = None) -> str:
    """Plain aligned text, one row per issue: it reads the same in a terminal, a CI log and grep."""
    status = status or (lambda b: b.status)
    rows = [("issue", "pages", "size", "seconds", "status")]  # kB, as `build` prints it
    rows += [(b.issue, str(b.pages) if b.ok else "-", f"{b.bytes / 1024:,.0f} kB" if b.ok else "-", f"{b.seconds:.2f}", status(b))
             for b in builds]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:4], widths[1:])]
        lines.append("  ".join(cells + [row[4]]).rstrip())
    return "\n".join(lines)
