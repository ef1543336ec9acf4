"""The pipeline, stage after stage: load -> document model -> layout and write -> check."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import model
from .check import CheckResult, Expected, check_pdf
from .document import build_document
from .issue import load_issue, resolve_issue_file
from .layout import build_story
from .output.profiles import DEFAULT_PROFILE, PROFILES, Profile
from .write import write_pdf

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    bytes: int
    seconds: float
    checks: list[CheckResult]
    profile: Profile
    warnings: list[str] = field(default_factory=list)
    pictures_processed: int = 0


def assets_for(issue_path: Path) -> Path:
    """The nearest ``assets/`` folder above the issue, else the project's own."""
    for folder in resolve_issue_file(issue_path).resolve().parents:
        if (folder / "assets" / "themes").is_dir():
            return folder / "assets"
    return PROJECT_ROOT / "assets"


def expected_contents(issue: model.Issue) -> list[Expected]:
    """The entries the contents page must list, with the titles they lead to."""
    expected = [Expected(issue.foreword.toc_title, issue.foreword.title)] if issue.foreword else []
    for entry in issue.entries:
        if isinstance(entry, model.Group):
            expected.append(Expected(entry.title, entry.title))
            expected += [Expected(s.toc_title, s.title) for s in entry.sections]
        else:
            expected.append(Expected(entry.toc_title, entry.title))
    return expected


def default_output(issue: model.Issue, profile: Profile | None = None) -> Path:
    suffix = "" if profile is None or profile.name == DEFAULT_PROFILE else f"-{profile.name}"
    return Path("build") / f"newsletter-{issue.number:03d}{suffix}.pdf"


def read_issue(path: Path, decode_pictures: bool = False) -> model.Issue:
    """Stages 1 and 2; raises ``IssueError``.

    Pictures are decoded (to find truncated files) only when asked: a build's picture
    pipeline decodes every picture it has not cached, and reports the same problems.
    """
    assets = assets_for(path)
    issue_file, source = load_issue(path, assets, decode_pictures)
    return build_document(issue_file, source, assets, decode_pictures)


def validate_issue(path: Path) -> model.Issue:
    """All the checks of the input that need no PDF: the file, its pictures, its text."""
    issue = read_issue(path, decode_pictures=True)
    build_story(issue, assets_for(path))
    return issue


def cache_folder(output: Path) -> Path:
    """Prepared pictures are kept beside the PDFs they went into, for the next build."""
    return output.parent / ".cache" / "pictures"


def build(path: Path, output: Path | None = None, profile: str = DEFAULT_PROFILE,
          saddle_stitch: bool = False, picture_jobs: int | None = None) -> BuildResult:
    """Build and check one issue; ``picture_jobs`` caps the processes that prepare pictures
    (default: one per core; ``build-all`` runs one issue per core and asks for 1)."""
    started = time.perf_counter()
    settings = PROFILES[profile]
    issue = read_issue(path)
    target = output or default_output(issue, settings)
    expected = expected_contents(issue)
    written = write_pdf(issue, assets_for(path), target, settings,
                        check=lambda pdf, p: check_pdf(pdf, expected, archive=p.archive),
                        cache_dir=cache_folder(target), saddle_stitch=saddle_stitch, picture_jobs=picture_jobs)
    size = target.stat().st_size
    warnings = list(written.warnings)
    if settings.size_budget and size > settings.size_budget:
        warnings.append(f"the PDF is {size / 1024 / 1024:.1f} MB, above the {profile} budget of "
                        f"{settings.size_budget / 1024 / 1024:.0f} MB")
    return BuildResult(target, written.pages, size, time.perf_counter() - started, written.checks, settings,
                       warnings, written.pictures_processed)
