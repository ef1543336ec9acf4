"""What the officer sees: a progress bar while sending (on a terminal), then a summary table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .deliver import Outcome, Progress as SendProgress


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[SendProgress, str], None]]:
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("sent {task.fields[sent]} · failed {task.fields[failed]} · remaining {task.fields[remaining]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None, sent=0, failed=0, remaining=0)

        def update(progress: SendProgress, email: str) -> None:
            done = progress.to_send - progress.remaining
            bar.update(task, total=progress.to_send, completed=done, sent=progress.sent,
                       failed=progress.failed + progress.unknown, remaining=progress.remaining)

        yield update


def counts_table(title: str, rows: list[tuple[str, int]]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("readers", justify="right")
    for what, count in rows:
        table.add_row(what, f"{count:,}")
    return table


def print_summary(outcome: Outcome, title: str, echo: Callable[[str], None]) -> None:
    console = Console(highlight=False, soft_wrap=True)
    p, counts = outcome.progress, outcome.counts
    console.print(counts_table(title, [
        ("sent in this run", p.sent),
        ("sent before", p.sent_before),
        ("failed (refused for good)", counts.get("failed", 0)),
        ("unknown (may have arrived)", counts.get("unknown", 0)),
        ("pending (still to send)", counts.get("pending", 0)),
        ("readers in the list", p.total),
    ]))
    for address, reply in outcome.failures:
        echo(f"failed: {address}: {reply} (not retried)")
    for address, reply in outcome.deferred:
        echo(f"pending: {address}: {reply}, after every try; the next run tries again")
    for address, why in outcome.unknown:
        echo(f"unknown: {address}: {why}; ask the reader, or send again with --resend-unknown "
             "(a second copy if the first arrived)")
    if outcome.stopped:
        echo(f"stopped: {outcome.stopped}")
    if outcome.interrupted:
        echo("interrupted: run the same command again to send the rest; nobody gets a second copy")
    for warning in outcome.warnings:
        echo(f"warning: {warning}")


def status_rows(counts) -> list[tuple[str, int]]:
    return [("sent", counts.get("sent", 0)), ("failed", counts.get("failed", 0)),
            ("unknown", counts.get("unknown", 0)), ("pending", counts.get("pending", 0)),
            ("total", sum(counts.values()))]
