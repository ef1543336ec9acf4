"""The PDF that goes out: the one named with ``--pdf`` after checking it, else the e-mail
profile's build, reused when it is newer than every input and passes its checks, else built.

Its contents' page numbers are read from the checked file itself (what the reader will see
in it), not from the layout's bookkeeping, by the same reader that ``newsletter check`` uses.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .. import model
from ..build import assets_for, build, build_folder_for, default_output, expected_contents
from ..check import A4_POINTS, CheckResult, PdfFacts, issue_passages, squash
from ..check.run import run_checks
from ..output.profiles import PROFILES

PROFILE = "email"


class PdfRefused(Exception):
    """The PDF cannot go out: unreadable, or it failed a check (the failures listed)."""

    def __init__(self, message: str, failures: list[CheckResult] | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []


@dataclass(frozen=True)
class CheckedPdf:
    path: Path
    data: bytes
    pages: int
    contents_pages: tuple[int, ...]  # the printed page number of each contents entry, in the issue's order
    how: str  # "given", "reused" or "built"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def attachment_name(issue: model.Issue) -> str:
    """The file name a build gives the e-mail PDF, which readers see on the attachment."""
    return default_output(issue, PROFILES[PROFILE]).name


def checked_pdf(issue_path: Path, issue: model.Issue, given: Path | None) -> CheckedPdf:
    if given is not None:
        if not given.is_file():
            raise PdfRefused(f"{given}: no such file")
        return _checked(given, issue, "given")
    target = default_output(issue, PROFILES[PROFILE], build_folder_for(issue_path))
    if target.is_file() and _newer_than_inputs(target, issue_path):
        try:
            return _checked(target, issue, "reused")
        except PdfRefused:
            pass  # an old or damaged build: make a new one
    result = build(issue_path, target, PROFILE)
    return _checked(result.output, issue, "built")


def _newer_than_inputs(pdf: Path, issue_path: Path) -> bool:
    """Whether the PDF was written after the last change to the issue's folder and the assets."""
    built = pdf.stat().st_mtime
    skip = {".cache", "__pycache__", ".git"}
    for folder in (issue_path if issue_path.is_dir() else issue_path.parent, assets_for(issue_path)):
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in skip]
            for name in files:
                if name.endswith((".pdf", ".part", ".sqlite", ".sqlite-wal", ".sqlite-shm")):
                    continue
                if os.stat(os.path.join(root, name)).st_mtime > built:
                    return False
    return True


def _checked(path: Path, issue: model.Issue, how: str) -> CheckedPdf:
    data = path.read_bytes()
    if not data.startswith(b"%PDF"):
        raise PdfRefused(f"{path}: not a PDF")
    expected = expected_contents(issue)
    try:
        facts = PdfFacts(path)
    except Exception as error:  # pypdf and PDFium raise their own kinds for a damaged file
        raise PdfRefused(f"{path}: not a readable PDF ({error})") from None
    try:
        results = run_checks(facts, expected, A4_POINTS, None, issue_passages(issue))
        failed = [r for r in results if not r.ok]
        if failed:
            raise PdfRefused(f"{path}: the PDF failed its checks", failed)
        printed = facts.contents
        pages = len(facts.reader.pages)
    finally:
        facts.close()
    numbers: list[int] = []
    remaining = list(printed)
    for entry in expected:
        wanted = squash(entry.contents_text)
        found = next((e for e in remaining if squash(e.text) == wanted), None)
        if found is None:
            raise PdfRefused(f"{path}: its contents do not list '{entry.contents_text}': is it a PDF of this issue?")
        remaining.remove(found)
        numbers.append(found.number)
    return CheckedPdf(path, data, pages, tuple(numbers), how)
