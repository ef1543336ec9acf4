"""The ``newsletter`` command: parse options, call a stage, print, set the exit code."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .check import check_report, issue_passages
from .cli_help import PlainHelpGroup
from .issue import IssueError, json_schema
from .invocation import self_command
from .scaffold import write_template

app = typer.Typer(cls=PlainHelpGroup, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Typeset a YAML newsletter issue into a checked PDF.")

EXIT_BAD_INPUT = 2
EXIT_CHECK_FAILED = 1
EXIT_INTERNAL = 3

Debug = Annotated[bool, typer.Option("--debug", help="On an internal error (exit 3), also print its traceback, "
                                                      "for a bug report")]


class Profile(str, Enum):
    email = "email"
    print = "print"
    archive = "archive"


def page_warnings_text(warnings) -> str:
    """", 2 page warnings" for a summary line; empty when there are none."""
    count = len(warnings)
    return f", {count} page warning{'s' if count != 1 else ''}" if count else ""


def _fail_input(error: IssueError) -> None:
    for problem in error.problems:
        typer.echo(str(problem), err=True)
    count = len(error.problems)
    typer.echo(f"{count} problem{'s' if count != 1 else ''}; nothing was written.", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _fail_internal(error: BaseException, path: Path, debug: bool) -> None:
    """An unexpected failure: one line (the traceback too with --debug), exit 3."""
    from .build import internal_error_line, internal_traceback

    if debug:
        typer.echo(internal_traceback(error), err=True)
    typer.echo(internal_error_line(error, path), err=True)
    raise typer.Exit(EXIT_INTERNAL)


@app.command()
def build(
    path: Annotated[Path, typer.Argument(help="An issue folder (issues/079) or its issue.yaml")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the PDF [default: build/newsletter-NNN.pdf]")] = None,
    profile: Annotated[Profile, typer.Option(help="email: small, 150 dpi pictures; print: 300 dpi, bleed, crop marks; archive: PDF/A-2a (and PDF/UA-1, as every profile)")] = Profile.email,
    saddle_stitch: Annotated[bool, typer.Option(help="Pad the page count to a multiple of 4 with blank pages before the back cover")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse to build while template text of `newsletter new` "
                                                          "is left in (the archive profile always does)")] = False,
    debug: Debug = False,
) -> None:
    """Build the PDF of an issue, then check it; a failed build keeps the previous PDF.

    Exit 0 built, 1 the PDF failed its checks, 2 bad input or an output that cannot be written, 3 an internal error.
    """
    _build_or_exit(path, output, profile, saddle_stitch, debug, strict)


def _build_or_exit(path: Path, output: Path | None, profile: Profile, saddle_stitch: bool, debug: bool,
                   strict: bool = False):
    """Build and check the issue, print its summary and warnings; on failure, print why and exit."""
    from .build import build as run_build
    from .write import CheckFailed, OutputError

    try:
        result = run_build(path, output, profile.value, saddle_stitch=saddle_stitch, strict=strict)
    except IssueError as error:
        _fail_input(error)
    except CheckFailed as failure:
        for line in failure.results:
            typer.echo(str(line), err=True)
        typer.echo("The PDF failed its checks; the previous PDF (if any) was kept.", err=True)
        raise typer.Exit(EXIT_CHECK_FAILED)
    except OutputError as error:
        typer.echo(str(error), err=True)
        typer.echo("Nothing was written.", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    except Exception as error:  # a bug, not the officer's doing: one line, and the previous PDF kept
        _fail_internal(error, path, debug)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    prepared = f", {result.pictures_processed} pictures prepared" if result.pictures_processed else ""
    typer.echo(f"{result.output}: {result.pages} pages, {result.bytes / 1024:,.0f} kB, {result.seconds:.2f} s "
               f"({profile.value} profile, {sum(c.ok for c in result.checks)} checks passed"
               f"{page_warnings_text(result.page_warnings)}{prepared})")
    for warning in result.page_warnings:
        typer.echo(f"warning: {warning}")
    return result


@app.command()
def preview(
    path: Annotated[Path, typer.Argument(help="An issue folder or its issue.yaml (built first), or a built PDF")],
    output: Annotated[Path | None, typer.Option("--output", "-o", show_default=False,
                                                help="The folder for the PNG files [default: beside the PDF, "
                                                     "named after it: build/newsletter-NNN-preview/]")] = None,
    pages: Annotated[str | None, typer.Option(metavar="PAGES", show_default=False,
                                              help="The pages to render, e.g. 1-4 or 1,3,5-7 [default: all]")] = None,
    dpi: Annotated[int, typer.Option(metavar="DPI", help="Resolution of the page images (20 to 300)")] = 80,
    profile: Annotated[Profile, typer.Option(help="The profile to build, for an issue")] = Profile.email,
    debug: Debug = False,
) -> None:
    """Render pages as PNG files and a contact sheet of them all, for a quick look or a review e-mail.

    An issue is built (and checked) first, as by `build`; a PDF is rendered as it is.
    Exit 0 rendered, 1 the built PDF failed its checks, 2 bad input, 3 an internal error.
    """
    import time

    from .preview import PreviewError, render_preview

    if path.suffix.lower() == ".pdf":
        if not path.is_file():
            typer.echo(f"{path}: no such PDF; give a built PDF or an issue folder (issues/079)", err=True)
            raise typer.Exit(EXIT_BAD_INPUT)
        pdf = path
    else:
        pdf = _build_or_exit(path, None, profile, False, debug).output
    folder = output or pdf.with_name(f"{pdf.stem}-preview")
    started = time.perf_counter()
    try:
        shown = render_preview(pdf, folder, pages, dpi)
    except PreviewError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    except OSError as error:
        typer.echo(f"{folder}: cannot write the preview there ({error.strerror or error}); "
                   f"choose another folder with -o", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    except Exception as error:  # a PDF that PDFium cannot open is named plainly; anything else is a bug
        if type(error).__name__ == "PdfiumError":
            typer.echo(f"{pdf}: not a PDF that can be read ({error}); build it again with "
                       f"`{self_command()} build`", err=True)
            raise typer.Exit(EXIT_BAD_INPUT)
        _fail_internal(error, path, debug)
    count = len(shown.pages)
    typer.echo(f"{folder}: {count} page{'s' if count != 1 else ''} at {dpi} dpi and {shown.sheet.name}, "
               f"{time.perf_counter() - started:.2f} s")


@app.command()
def watch(
    path: Annotated[Path, typer.Argument(help="An issue folder or its issue.yaml")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the PDF [default: build/newsletter-NNN.pdf]")] = None,
    profile: Annotated[Profile, typer.Option(help="Output profile")] = Profile.email,
    serve: Annotated[bool, typer.Option("--serve", help="Also show the pages on a local web page "
                                                         "(http://127.0.0.1:8079/) that reloads after each rebuild")] = False,
    port: Annotated[int | None, typer.Option(metavar="PORT", min=0, max=65535, show_default=False,
                                             help="The port of the --serve page [default: 8079; 0: any free port]")] = None,
    debug: Debug = False,
) -> None:
    """Build the issue, then rebuild it each time its files change (Ctrl-C to stop).

    Every failure (bad input, a failed check, an internal error) is reported and the last good PDF kept; watching goes on.
    With --serve, the page shows the errors over the last good pages.
    """
    from .build import output_problem
    from .issue import resolve_issue_file
    from .watch import watch as run_watch

    if not path.exists() or not resolve_issue_file(path).parent.is_dir():
        typer.echo(f"{path}: no such issue folder or issue file", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    problem = output_problem(output, path) if output is not None else None
    if problem:
        typer.echo(problem, err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if port is not None and not serve:
        typer.echo(f"--port {port} sets the port of the --serve page; add --serve", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    report = lambda line: typer.echo(line)  # noqa: E731
    server = None
    if serve:
        from .serve import DEFAULT_PORT, PortUnavailable, PreviewServer

        try:
            server = PreviewServer(str(path), report, DEFAULT_PORT if port is None else port)
        except PortUnavailable as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(EXIT_BAD_INPUT)
        typer.echo(f"Serving the pages at {server.url} (this computer only).")
    typer.echo(f"Watching {path} (Ctrl-C to stop).")
    try:
        run_watch(path, output, profile.value, report, debug=debug, on_build=server.update if server else None)
    except KeyboardInterrupt:  # Ctrl-C during a build rather than while waiting: the same clean stop
        pass
    finally:
        if server is not None:
            server.close()
    typer.echo("Stopped.")


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="An issue folder or its issue.yaml")],
    debug: Debug = False,
) -> None:
    """Check an issue (format, pictures, footnotes, Markdown) and lay it out in memory, without writing a PDF.

    Exit 0 valid (it builds), 2 bad input, 3 an internal error.
    """
    from .build import validate_issue

    try:
        issue = validate_issue(path)
    except IssueError as error:
        _fail_input(error)
    except Exception as error:
        _fail_internal(error, path, debug)
    typer.echo(f"{path}: valid ({len(issue.sections())} sections)")


@app.command()
def check(
    pdf: Annotated[Path, typer.Argument(help="A built PDF")],
    issue: Annotated[Path | None, typer.Option(help="The issue it was built from: its contents entries must all be there")] = None,
    debug: Debug = False,
) -> None:
    """Verify a built PDF: contents numbers, folios, bookmarks, links, notes, fonts, metadata, page size;
    then report what a reader would mind (empty pages, hyphen runs, stranded headings, low-resolution
    pictures) as warnings, which do not change the exit status, and the paragraph-quality figures
    (hyphenated line ends, words broken across a page turn, fragment last lines, loose lines).

    Exit 0 when every check holds, 1 when one fails, 2 when the PDF or the issue cannot be read, 3 an internal error.
    """
    from pypdf.errors import PdfReadError

    from .build import expected_contents, read_issue, internal_traceback

    expected = passages = None
    if issue is not None:
        try:
            loaded = read_issue(issue)
            expected, passages = expected_contents(loaded), issue_passages(loaded)
        except IssueError as error:
            _fail_input(error)
        except Exception as error:
            _fail_internal(error, issue, debug)
    if not pdf.is_file():
        typer.echo(f"{pdf}: no such file", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        report = check_report(pdf, expected, paragraphs=True, passages=passages)
    except (PdfReadError, OSError, ValueError) as error:
        typer.echo(f"{pdf}: not a readable PDF ({error})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    except Exception as error:
        if debug:
            typer.echo(internal_traceback(error), err=True)
        what = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        typer.echo(f"internal error while checking {pdf}: {what}; please report it with the PDF", err=True)
        raise typer.Exit(EXIT_INTERNAL)
    results = report.checks
    for result in results:
        typer.echo(str(result))
    for warning in report.warnings:
        typer.echo(f"warning: {warning}")
    if report.paragraphs is not None:
        typer.echo(f"paragraphs: {report.paragraphs}")
    failed = sum(not r.ok for r in results)
    typer.echo(f"{len(results) - failed} checks passed, {failed} failed{page_warnings_text(report.warnings)}")
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
def new(
    number: Annotated[int, typer.Argument(help="The new issue's number (1 to 99999)", min=1, max=99999)],
    issues_dir: Annotated[Path, typer.Option(help="Folder that holds the issue folders")] = Path("issues"),
) -> None:
    """Start a new issue from a commented template that builds as it is."""
    try:
        target = write_template(number, issues_dir)
    except FileExistsError as error:
        typer.echo(f"{error}: already exists; not overwritten", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    typer.echo(f"Created {target}; edit it (every key: docs/issue-format.md), then run: "
               f"{self_command()} build {target.parent}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the issue format, for editors' completion and validation."""
    json.dump(json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


class Security(str, Enum):
    starttls = "starttls"
    tls = "tls"
    none = "none"


@app.command()
def send(
    path: Annotated[Path, typer.Argument(help="An issue folder (issues/079) or its issue.yaml")],
    recipients: Annotated[Path | None, typer.Option(metavar="FILE.csv", help="The readers: a CSV with the columns email, name and optionally language")] = None,
    pdf: Annotated[Path | None, typer.Option(metavar="FILE", help="Send this PDF, after checking it [default: the e-mail build, rebuilt unless up to date]")] = None,
    smtp: Annotated[str | None, typer.Option(metavar="HOST:PORT", help="The mail server")] = None,
    security: Annotated[Security | None, typer.Option(help="starttls (default), tls or none")] = None,
    sender: Annotated[str | None, typer.Option("--from", metavar="ADDRESS", help="The From address")] = None,
    reply_to: Annotated[str | None, typer.Option(metavar="ADDRESS", help="The Reply-To address")] = None,
    log: Annotated[Path | None, typer.Option(metavar="FILE", help="The send log [default: build/send-NNN.sqlite]")] = None,
    dry_run: Annotated[Path | None, typer.Option(metavar="DIR", help="Write every message as a .eml file; send nothing")] = None,
    test: Annotated[str | None, typer.Option(metavar="ADDRESS", help="Send one proof to this address (no log)")] = None,
    rate: Annotated[int | None, typer.Option(metavar="N", min=1, help="At most N messages a minute")] = None,
    status: Annotated[bool, typer.Option("--status", help="Show the send log's counts (sent, failed, unknown, pending) and exit")] = False,
    resend_unknown: Annotated[bool, typer.Option("--resend-unknown", help="Send again to readers whose message may or may not have arrived")] = False,
    settings: Annotated[Path | None, typer.Option(metavar="FILE", help="The distribution settings [default: distribution.yaml beside the issue folders]")] = None,
    debug: Debug = False,
) -> None:
    """E-mail the issue to its readers, each exactly once (a send log makes a rerun safe after any stop).

    Credentials come from NEWSLETTER_SMTP_USER and NEWSLETTER_SMTP_PASSWORD only. Exit 0 every reader has
    their copy, 1 some failed or remain (or may have arrived: see --resend-unknown), 2 bad input, 3 an internal error.
    """
    from .send.command import Options, run

    options = Options(path, recipients, pdf, smtp, security.value if security else None, sender, reply_to, log,
                      dry_run, test, rate, status, resend_unknown, settings)
    try:
        code = run(options, typer.echo, lambda line: typer.echo(line, err=True))
    except Exception as error:
        _fail_internal(error, path, debug)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsletter-pdf {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and exit")] = False) -> None:
    pass


@app.command("build-all")
def build_all(
    issues_dir: Annotated[Path, typer.Argument(metavar="ISSUES_DIR", help="The folder whose subfolders (each with an issue.yaml) are issues")] = Path("issues"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Where the PDFs and manifest.json go")] = Path("build/all"),
    profile: Annotated[Profile | None, typer.Option(help="Output profile (default: email; with --verify, the manifest's)",
                                                    show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, show_default=False,
                                             help="Issues built at the same time (default: one per CPU)")] = None,
    verify: Annotated[Path | None, typer.Option(metavar="MANIFEST", show_default=False,
                                                help="Rebuild the issues this manifest lists, in a temporary folder, "
                                                     "and name every one whose bytes changed; writes nothing")] = None,
    debug: Debug = False,
) -> None:
    """Build every issue in parallel and write OUTPUT/manifest.json (file, pages, bytes, SHA-256 of each PDF).

    Exit 0 when every issue built (with --verify: rebuilt to the recorded bytes), 1 when one did not, 2 when ISSUES_DIR, OUTPUT or the manifest cannot be used, 3 when an issue met an internal error.
    """
    from . import archive

    try:
        if verify is None:
            builds = _with_progress(lambda **report: archive.build_all(
                issues_dir, output, profile=profile.value if profile else archive.DEFAULT_PROFILE, jobs=jobs, **report))
        else:
            verification = _with_progress(lambda **report: archive.verify(
                verify, issues_dir, profile=profile.value if profile else None, jobs=jobs, **report))
    except archive.ArchiveError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        typer.echo("Interrupted: no PDF was moved into place and no manifest was written.", err=True)
        raise typer.Exit(130)
    if verify is None:
        _report_build_all(builds, output / archive.MANIFEST_NAME, debug)
    else:
        _report_verification(verification, verify, issues_dir, debug)


def _with_progress(run):
    """Call ``run(on_start=..., on_result=...)`` under a progress bar on stderr (only on a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("building", total=None)
        return run(on_start=lambda total: bar.update(task, total=total),
                   on_result=lambda done: bar.update(task, advance=1, description=f"{done.issue} {done.status[:40]}"))


def _print_failures(builds, debug: bool = False) -> None:
    for built in builds:
        for warning in built.warnings:
            typer.echo(f"{built.issue}: warning: {warning}", err=True)
        if not built.ok:
            typer.echo(f"{built.issue} failed:", err=True)
            if debug and built.details:
                typer.echo(built.details, err=True)
            for problem in built.problems:
                typer.echo(problem.rstrip("\n"), err=True)


def _exit_for_failures(builds) -> None:
    """3 when an issue met an internal error (a bug to report), else 1 when one failed."""
    if any(b.internal for b in builds):
        raise typer.Exit(EXIT_INTERNAL)
    if any(not b.ok for b in builds):
        raise typer.Exit(EXIT_CHECK_FAILED)


def _report_build_all(builds, manifest: Path, debug: bool = False) -> None:
    from .archive import table

    typer.echo(table(builds))
    _print_failures(builds, debug)
    failed = [b.issue for b in builds if not b.ok]
    built = len(builds) - len(failed)
    typer.echo(f"{built} of {len(builds)} issues built; {manifest} lists {built}.")
    if failed:
        typer.echo(f"Failed, not in the manifest: {', '.join(failed)}", err=True)
        _exit_for_failures(builds)


def _report_verification(verification, manifest: Path, issues_dir: Path, debug: bool = False) -> None:
    from .archive import GENERATOR, regenerate_command, table

    found = {d.issue: d.what for d in verification.differences}
    typer.echo(table(verification.builds, status=lambda b: found.get(b.issue, "identical")))
    _print_failures(verification.builds, debug)
    if not verification.same_generator:
        typer.echo(f"Note: {manifest} was made by {verification.manifest.generator}; this is {GENERATOR}.", err=True)
    if verification.identical:
        typer.echo(f"Every issue in {manifest} ({len(verification.builds)}) rebuilds to the recorded bytes.")
        return
    typer.echo(f"{len(found)} difference{'s' if len(found) != 1 else ''} from {manifest}:")
    for difference in verification.differences:
        typer.echo(f"  {difference}")
    typer.echo(f"If the change is deliberate, update the manifest in the same commit: "
               f"{regenerate_command(issues_dir, manifest)}", err=True)
    _exit_for_failures(verification.builds)
    raise typer.Exit(EXIT_CHECK_FAILED)
