"""Stage 4: write the PDF for a profile, so that a failed build never replaces a good one.

Pictures are prepared for the profile first (in parallel, cached), then the issue is
laid out into a temporary file beside the target, post-processed for the archive
profile, checked, and only then renamed over the target (an atomic step).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import model
from .check import CheckResult, PageWarning, Report
from .layout import PageSetup, build_story, render
from .output.images import PicturePipeline
from .output.compact import pack_objects
from .output.profiles import Profile


class OutputError(Exception):
    """The PDF cannot be put where it was asked for (no such folder, no permission, disk full)."""


class CheckFailed(Exception):
    def __init__(self, results: list[CheckResult]) -> None:
        self.results = results
        super().__init__("\n".join(str(r) for r in results if not r.ok))


@dataclass
class Written:
    pages: int
    checks: list[CheckResult]
    warnings: list[str] = field(default_factory=list)
    pictures_processed: int = 0
    page_warnings: list[PageWarning] = field(default_factory=list)  # the page-quality report


# The trailer's /ID as ReportLab and pypdf write it: two 16-byte strings in hex.
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9a-fA-F]{32})>\s*<([0-9a-fA-F]{32})>\s*\]")


def set_content_id(path: Path) -> None:
    """Make the document ID a digest of the file's own bytes.

    ReportLab's invariant mode hashes only the title, author, subject, keywords and a
    timestamp that ``SOURCE_DATE_EPOCH`` overrides: every profile and every edit of an
    issue got the same ID, and the environment could change it. The new ID has the same
    length, so no offset in the file moves.
    """
    data = path.read_bytes()
    found = None
    for found in _TRAILER_ID.finditer(data):  # the last trailer is the one readers use
        pass
    if found is None:
        return
    blanked = data[:found.start()] + data[found.end():]
    digest = hashlib.sha256(blanked).hexdigest()[:32].encode()
    path.write_bytes(data[:found.start(1)] + digest + data[found.end(1):found.start(2)] + digest + data[found.end(2):])


def write_pdf(issue: model.Issue, assets_dir: Path, output: Path, profile: Profile,
              check: Callable[[Path, Profile], Report], cache_dir: Path | None = None,
              saddle_stitch: bool = False, picture_jobs: int | None = None) -> Written:
    """Typeset, check and move into place; ``check`` returns the checks, which must all hold, and the
    page-quality warnings, which never stop a build."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    except OSError as error:
        raise OutputError(f"cannot write {output}: {error.strerror or error}") from None
    os.close(handle)
    temp_path = Path(temporary)
    try:
        pictures = PicturePipeline(profile, cache_dir, picture_jobs)
        setup = PageSetup(bleed=profile.bleed, crop_marks=profile.crop_marks)
        story = build_story(issue, assets_dir, pictures, setup)
        pictures.prepare_all()
        pages = render(story, str(temp_path))
        if saddle_stitch and pages % 4:
            # Blank pages before the back cover; the story is laid out afresh with them.
            blank = 4 - pages % 4
            pages = render(build_story(issue, assets_dir, pictures, setup, blank_pages=blank), str(temp_path))
        if profile.archive:
            from .output.pdfa import make_pdfa

            make_pdfa(temp_path, assets_dir)
        pack_objects(temp_path, profile.claims)
        set_content_id(temp_path)
        report = check(temp_path, profile)
        if not all(r.ok for r in report.checks):
            raise CheckFailed(report.checks)
        os.chmod(temp_path, 0o644)
        try:
            os.replace(temp_path, output)
        except OSError as error:
            raise OutputError(f"cannot write {output}: {error.strerror or error}") from None
        return Written(pages, report.checks, story.warnings + list(pictures.warnings), pictures.processed,
                       list(report.warnings))
    finally:
        temp_path.unlink(missing_ok=True)
