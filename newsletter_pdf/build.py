"""The pipeline, stage after stage: load -> document model -> layout and write -> check."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import model
from .check import CheckResult, Expected, check_pdf
from .document import build_document
from .issue import load_issue, resolve_issue_file
from .layout import build_story
from .write import write_pdf

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    bytes: int
    seconds: float
    checks: list[CheckResult]


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


def default_output(issue: model.Issue) -> Path:
    return Path("build") / f"newsletter-{issue.number:03d}.pdf"


def read_issue(path: Path) -> model.Issue:
    """Stages 1 and 2: everything ``validate`` checks; raises ``IssueError``."""
    assets = assets_for(path)
    issue_file, source = load_issue(path, assets)
    return build_document(issue_file, source, assets)


def validate_issue(path: Path) -> model.Issue:
    """All the checks of the input that need no PDF: the file, its pictures, its text."""
    issue = read_issue(path)
    build_story(issue, assets_for(path))
    return issue


def build(path: Path, output: Path | None = None) -> BuildResult:
    started = time.perf_counter()
    issue = read_issue(path)
    target = output or default_output(issue)
    expected = expected_contents(issue)
    pages, checks = write_pdf(issue, assets_for(path), target, check=lambda pdf: check_pdf(pdf, expected))
    return BuildResult(target, pages, target.stat().st_size, time.perf_counter() - started, checks)
