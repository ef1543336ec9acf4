"""The pipeline, stage after stage: load -> document model -> layout and write -> check."""

from __future__ import annotations

import io
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import model
from .check import CheckResult, Expected, PageWarning, check_report, issue_passages
from .document import build_document
from .issue import load_issue, resolve_issue_file
from .invocation import display_path
from .issue.template_text import check_template_text
from .layout import build_story, render
from .layout.failure import LayoutFailure
from .output.profiles import DEFAULT_PROFILE, PROFILES, Profile
from .write import OutputError, write_pdf

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
    page_warnings: list[PageWarning] = field(default_factory=list)  # the page-quality report


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


def default_output(issue: model.Issue, profile: Profile | None = None, folder: Path = Path("build")) -> Path:
    suffix = "" if profile is None or profile.name == DEFAULT_PROFILE else f"-{profile.name}"
    return folder / f"newsletter-{issue.number:03d}{suffix}.pdf"


def build_folder_for(issue_path: Path) -> Path:
    """The project's ``build/`` folder (beside its ``assets/``, git-ignored), wherever the command
    is run from: ``newsletter build .`` inside an issue folder writes no ``build/`` there. As
    short as it can be written from here (``build`` from the project's root)."""
    # (the project: the nearest folder above the issue with assets/themes, as ``assets_for`` finds it)
    project = next((folder for folder in resolve_issue_file(issue_path).resolve().parents
                    if (folder / "assets" / "themes").is_dir()), None)
    if project is None:  # an issue outside any project: beside where the command is run, as before
        return Path("build")
    folder = project / "build"
    try:
        return folder.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return folder


def read_issue(path: Path, decode_pictures: bool = False) -> model.Issue:
    """Stages 1 and 2; raises ``IssueError``.

    Pictures are decoded (to find truncated files) only when asked: a build's picture
    pipeline decodes every picture it has not cached, and reports the same problems.
    """
    assets = assets_for(path)
    issue_file, source = load_issue(path, assets, decode_pictures)
    return build_document(issue_file, source, assets, decode_pictures)


def validate_issue(path: Path) -> model.Issue:
    """All the checks of the input, and the layout itself into memory: what validates also builds.

    Pictures are drawn as they are (a JPEG is copied, not re-encoded), and no file is written.
    """
    issue = read_issue(path, decode_pictures=True)
    render(build_story(issue, assets_for(path)), io.BytesIO())
    return issue


FONTS_DIR = PROJECT_ROOT / "fonts"


def output_problem(output: Path, issue_path: Path) -> str | None:
    """Why the PDF must not be written to ``output``: it would replace an input, or a file that is no PDF.

    The issue file, anything under ``assets/`` or ``fonts/``, a folder, and any existing
    file that is not a PDF (the pictures and other files of the issue folder among them)
    are refused; a new file, or an earlier PDF, anywhere else is fine.
    """
    issue_file = resolve_issue_file(issue_path)
    try:
        target = output.resolve()
        source = issue_file.resolve()
    except (OSError, RuntimeError, ValueError) as error:
        return f"{output}: cannot be used as the output ({error})"
    hint = "write the PDF elsewhere, for example -o build/" + (output.name if output.suffix == ".pdf" else "issue.pdf")
    if target == source:
        return f"{output}: is the issue file itself, which the PDF would replace; {hint}"
    for name, folder in (("assets/", assets_for(issue_path)), ("fonts/", FONTS_DIR)):
        folder = folder.resolve()
        if target == folder or folder in target.parents:
            return f"{output}: is inside {name} ({display_path(folder)}), which holds the inputs of every issue; {hint}"
    if target.is_dir():
        return f"{output}: is a folder; give the PDF's file name, for example {display_path(output / 'newsletter.pdf')}"
    if target.exists():
        try:
            with open(target, "rb") as handle:
                is_pdf = handle.read(4) == b"%PDF"
        except OSError:
            is_pdf = False
        if not is_pdf:
            inside = source.parent == target.parent or source.parent in target.parents
            what = "a file of the issue (a picture or other input)" if inside else "a file that is not a PDF"
            return f"{output}: is {what}, which the PDF would replace; {hint}"
    return None


def check_output(output: Path, issue_path: Path) -> None:
    problem = output_problem(output, issue_path)
    if problem:
        raise OutputError(problem)


def internal_error_line(error: BaseException, path: Path) -> str:
    """One line for an unexpected failure: where it happened, what it was, what to do."""
    if isinstance(error, LayoutFailure):
        where, cause = f"laying out {error.where}", error.cause
    else:
        where, cause = f"building {display_path(resolve_issue_file(path))}", error
    what = " ".join(f"{type(cause).__name__}: {cause}".split())
    if len(what) > 300:
        what = what[:297] + "..."
    return f"internal error while {where}: {what}; please report it with the issue file"


def internal_traceback(error: BaseException) -> str:
    """The traceback for ``--debug``: of the original exception when the layout wrapped it."""
    cause = error.cause if isinstance(error, LayoutFailure) and error.__cause__ is None else error
    return "".join(traceback.format_exception(cause)).rstrip("\n")


def cache_folder(output: Path) -> Path:
    """Prepared pictures are kept beside the PDFs they went into, for the next build."""
    return output.parent / ".cache" / "pictures"


def build(path: Path, output: Path | None = None, profile: str = DEFAULT_PROFILE,
          saddle_stitch: bool = False, picture_jobs: int | None = None, strict: bool = False) -> BuildResult:
    """Build and check one issue; ``picture_jobs`` caps the processes that prepare pictures
    (default: one per core; ``build-all`` runs one issue per core and asks for 1).

    Template text left in is a warning, or with ``strict`` (implied by the archive profile:
    an archived issue is final) an ``IssueError``."""
    started = time.perf_counter()
    settings = PROFILES[profile]
    if output is not None:
        check_output(output, path)  # before any work
    issue = read_issue(path)
    template_warnings = check_template_text(path, strict or settings.archive)
    target = output or default_output(issue, settings, build_folder_for(path))
    if output is None:
        check_output(target, path)
    expected, passages = expected_contents(issue), issue_passages(issue)
    written = write_pdf(issue, assets_for(path), target, settings,
                        check=lambda pdf, p: check_report(pdf, expected, archive=p.archive, passages=passages),
                        cache_dir=cache_folder(target), saddle_stitch=saddle_stitch, picture_jobs=picture_jobs)
    size = target.stat().st_size
    warnings = template_warnings + list(written.warnings)
    if settings.size_budget and size > settings.size_budget:
        warnings.append(f"the PDF is {size / 1024 / 1024:.1f} MB, above the {profile} budget of "
                        f"{settings.size_budget / 1024 / 1024:.0f} MB")
    return BuildResult(target, written.pages, size, time.perf_counter() - started, written.checks, settings,
                       warnings, written.pictures_processed, written.page_warnings)
