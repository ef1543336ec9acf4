"""``newsletter send``: from the options to an exit status (0 all sent, 1 some failed or remain, 2 bad input).

Everything that can be wrong with the input (settings, recipients, issue, PDF, size budget)
is found and reported before the first message leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..build import read_issue
from ..issue.template_text import check_template_text
from ..issue import IssueError, resolve_issue_file
from ..invocation import display_path
from ..write import CheckFailed, OutputError
from .bodies import Delivery, size_text
from .content import digest as make_digest
from .deliver import Clock, Stop, send_all, send_proof, write_dry_run
from .log import LogBusy, LogUnreadable, read_counts
from .message import plan_delivery
from .pdf import PdfRefused, attachment_name, checked_pdf
from .recipients import Recipient, read_recipients
from .report import counts_table, print_summary, progress_bar, status_rows
from .settings import (SendInputError, Settings, address_problem, load_settings, require_for_sending,
                       settings_file_for, with_options)
from .transport import MaybeDelivered, PermanentFailure, ServerRefused

EXIT_SENT = 0
EXIT_INCOMPLETE = 1
EXIT_BAD_INPUT = 2

Echo = Callable[[str], None]


@dataclass
class Options:
    path: Path
    recipients: Path | None = None
    pdf: Path | None = None
    smtp: str | None = None
    security: str | None = None
    sender: str | None = None
    reply_to: str | None = None
    log: Path | None = None
    dry_run: Path | None = None
    test: str | None = None
    rate: int | None = None
    status: bool = False
    resend_unknown: bool = False
    settings_file: Path | None = None


def _settings(options: Options) -> Settings:
    path = options.settings_file
    if path is None:
        default = settings_file_for(resolve_issue_file(options.path).parent)
        path = default if default.is_file() else None
    elif not path.is_file():
        raise SendInputError(f"--settings: {path}: no such file")
    return with_options(load_settings(path), smtp=options.smtp, security=options.security, sender=options.sender,
                        reply_to=options.reply_to, rate=options.rate, log=options.log)


def run(options: Options, out: Echo, err: Echo, clock: Clock | None = None) -> int:
    try:
        return _run(options, out, err, clock)
    except IssueError as error:
        for problem in error.problems:
            err(str(problem))
        count = len(error.problems)
        err(f"{count} problem{'s' if count != 1 else ''}; nothing was sent.")
    except (SendInputError, LogBusy, LogUnreadable, OutputError) as error:
        err(str(error))
        err("Nothing was sent.")
    except PdfRefused as refused:
        err(str(refused))
        for failure in refused.failures:
            err(str(failure))
        err("Nothing was sent.")
    except CheckFailed as failure:
        for line in failure.results:
            err(str(line))
        err("The e-mail PDF failed its checks; nothing was sent.")
        return EXIT_INCOMPLETE
    except KeyboardInterrupt:  # before the first message (the run itself records what it was doing)
        err("interrupted before sending: nothing was sent")
        return EXIT_INCOMPLETE
    return EXIT_BAD_INPUT


def _run(options: Options, out: Echo, err: Echo, clock: Clock | None) -> int:
    if not options.path.exists():
        raise SendInputError(f"{options.path}: no such issue folder or issue file")
    if options.status:
        return _status(options, out)
    # Every input problem at once: the settings', the recipients' and the issue's.
    problems, settings, recipients, issue = [], None, None, None
    try:
        settings = _settings(options)
    except IssueError as error:
        problems += error.problems
    if options.test is not None:
        problem = address_problem(options.test, display_name=False)
        if problem:
            raise SendInputError(f"--test: {problem}")
        recipients_list = None
    elif options.recipients is None:
        raise SendInputError("give the readers with --recipients FILE.csv (or one address with --test ADDRESS)")
    else:
        try:
            recipients_list = read_recipients(options.recipients)
        except IssueError as error:
            problems += error.problems
    try:
        issue = read_issue(options.path)
        check_template_text(options.path, strict=True)  # no "Write the foreword here" goes out to readers
    except IssueError as error:
        problems += error.problems
    if problems:
        raise IssueError(problems)
    if options.test is not None:
        from email_validator import validate_email

        checked = validate_email(options.test, check_deliverability=False, allow_smtputf8=False)
        recipients = [Recipient(checked.ascii_email or checked.normalized, "", None, 0)]
    else:
        recipients = recipients_list.recipients
        for note in recipients_list.notes:
            err(f"note: {note}")
    require_for_sending(settings, connect=options.dry_run is None)
    pdf = checked_pdf(options.path, issue, options.pdf)
    digest = make_digest(issue, pdf)
    delivery, size = plan_delivery(digest, recipients, settings, pdf, attachment_name(issue))
    how = {"given": "given", "reused": "up to date, reused", "built": "built"}[pdf.how]
    what = (f"PDF attached ({delivery.file_name}, {size_text(len(pdf.data))})" if delivery.url is None
            else f"linked to {delivery.url}: the PDF ({size_text(len(pdf.data))}) would make a message over "
                 f"{settings.budget_bytes / 1024 / 1024:.1f} MB")
    out(f"{digest.subject}: {len(recipients):,} reader{'s' if len(recipients) != 1 else ''}, "
        f"messages up to {size_text(size)}, {what}; {display_path(pdf.path)} ({how}, checked)")
    if options.dry_run is not None:
        written = write_dry_run(options.dry_run, digest, recipients, settings, pdf, delivery)
        out(f"Dry run: {len(written):,} messages written to {display_path(options.dry_run)} as .eml files; "
            "nothing was sent and the send log was not touched.")
        return EXIT_SENT
    if options.test is not None:
        return _proof(digest, recipients[0], settings, pdf, delivery, out, err, clock)
    log_path = settings.log_path(digest.number)
    with progress_bar(f"No. {digest.number}") as update:
        try:
            outcome = send_all(digest, recipients, settings, pdf, delivery, log_path, clock=clock,
                               resend_unknown=options.resend_unknown, on_progress=update)
        except KeyboardInterrupt:  # outside a message: nothing in doubt
            err("interrupted: run the same command again to send the rest; nobody gets a second copy")
            return EXIT_INCOMPLETE
    print_summary(outcome, f"{digest.subject} (send log {display_path(log_path)})", out)
    counts = outcome.counts
    everyone = outcome.progress.total
    if counts.get("sent", 0) == everyone:
        if outcome.progress.to_send == 0:
            out(f"Nothing to send: all {everyone:,} readers had their copy already.")
        else:
            out(f"All {everyone:,} readers have their copy.")
        return EXIT_SENT
    left = everyone - counts.get("sent", 0)
    out(f"{counts.get('sent', 0):,} of {everyone:,} readers have their copy; {left:,} not "
        f"(failed {counts.get('failed', 0):,}, unknown {counts.get('unknown', 0):,}, pending {counts.get('pending', 0):,}). "
        + ("Run the same command again to send the pending ones." if counts.get("pending", 0) else ""))
    return EXIT_INCOMPLETE


def _proof(digest, recipient, settings, pdf, delivery: Delivery, out: Echo, err: Echo, clock) -> int:
    try:
        reply = send_proof(digest, recipient, settings, pdf, delivery, clock)
    except (PermanentFailure, ServerRefused, MaybeDelivered, Stop) as failure:
        err(f"the proof to {recipient.email} was not sent: {failure}")
        return EXIT_INCOMPLETE
    out(f"Proof sent to {recipient.email} ({reply}); the send log was not touched.")
    return EXIT_SENT


def _status(options: Options, out: Echo) -> int:
    issue = read_issue(options.path)
    settings = _settings(options)
    path = settings.log_path(issue.number)
    if not path.is_file():
        out(f"No send log at {display_path(path)}: nothing has been sent of No. {issue.number} with it.")
        return EXIT_SENT
    counts, rows = read_counts(path, issue.number)
    from rich.console import Console

    Console(highlight=False, soft_wrap=True).print(
        counts_table(f"No. {issue.number}: send log {display_path(path)}", status_rows(counts)))
    for row in rows["failed"]:
        out(f"failed: {row.email}: {row.detail}")
    for row in rows["unknown"]:
        out(f"unknown: {row.email}: {row.detail or 'a run is sending it now, or stopped while it did'}")
    return EXIT_SENT
