"""The run: each reader's message through the send log, paced, with retries.

For every reader still to be sent to: the row is committed as ``sending`` (with the
message's Message-ID), the message goes out, and the row is committed as ``sent`` the moment
the server accepts it. A temporary failure puts the row back to ``pending`` before waiting
(so a run killed in the wait leaves no doubt) and is tried again after ``retry_wait``,
doubled each time; a permanent one is recorded as ``failed``. See ``log`` for ``unknown``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .bodies import Delivery
from .content import Digest
from .log import SendLog
from .message import compose, encoded, new_message_id
from .pdf import CheckedPdf
from .recipients import Recipient
from .settings import Settings, header_address
from .transport import MaybeDelivered, PermanentFailure, ServerRefused, SmtpTransport, TemporaryFailure


class Clock:
    """Time as the run sees it; the tests give a fake one, to check pacing without waiting."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class Pacer:
    """At most ``rate`` messages a minute: each message starts 60/rate seconds after the one before."""

    def __init__(self, rate: int | None, clock: Clock) -> None:
        self.interval = 60.0 / rate if rate else 0.0
        self.clock = clock
        self.last: float | None = None

    def wait(self) -> None:
        if self.interval and self.last is not None:
            self.clock.sleep(self.last + self.interval - self.clock.now())
        self.last = self.clock.now()


@dataclass
class Progress:
    total: int  # readers in the recipients file
    sent_before: int = 0
    to_send: int = 0
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    deferred: int = 0  # temporary failures after every try: pending, for the next run

    @property
    def remaining(self) -> int:
        return self.to_send - self.sent - self.failed - self.unknown - self.deferred


@dataclass
class Outcome:
    progress: Progress
    counts: dict[str, int]  # the log's, for this issue, after the run
    failures: list[tuple[str, str]] = field(default_factory=list)  # (address, reply) refused for good this run
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (address, why), this run's and earlier ones'
    deferred: list[tuple[str, str]] = field(default_factory=list)  # (address, last reply): tries used up, pending
    stopped: str | None = None  # why the run ended before its end
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False


class Stop(Exception):
    """The tries for one message are used up; ``failure`` is the last."""

    def __init__(self, failure: TemporaryFailure) -> None:
        super().__init__(str(failure))
        self.failure = failure


class Sender:
    """Sends one message with retries; shared by the run and the proof."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.transport = SmtpTransport(settings)
        self.envelope_from = header_address(settings.sender).addr_spec

    def send(self, recipient: Recipient, data: bytes, before_try: Callable[[], None] = lambda: None,
             after_temporary: Callable[[str], None] = lambda reason: None) -> str:
        """The server's reply; raises ``PermanentFailure``, ``MaybeDelivered``, ``ServerRefused``, or
        ``Stop`` (with the last reason) when the tries are used up."""
        attempt = 0
        while True:
            before_try()
            try:
                return str(self.transport.send(self.envelope_from, recipient.email, data))
            except TemporaryFailure as failure:
                after_temporary(str(failure))
                if attempt >= self.settings.retries:
                    raise Stop(failure) from None
                self.clock.sleep(self.settings.retry_wait * 2 ** attempt)
                attempt += 1

    def close(self) -> None:
        self.transport.close()


def send_all(digest: Digest, recipients: list[Recipient], settings: Settings, pdf: CheckedPdf,
             delivery: Delivery, log_path: Path, *, clock: Clock | None = None, resend_unknown: bool = False,
             on_progress: Callable[[Progress, str], None] = lambda progress, email: None) -> Outcome:
    clock = clock or Clock()
    with SendLog(log_path, digest.number) as log:
        warning = log.start_run(recipients, pdf.sha256)
        wanted = {"pending", "unknown"} if resend_unknown else {"pending"}
        rows = {r.key: log.row(r) for r in recipients}
        queue = [r for r in recipients if rows[r.key].state in wanted]
        progress = Progress(len(recipients), sent_before=sum(rows[r.key].state == "sent" for r in recipients),
                            to_send=len(queue))
        outcome = Outcome(progress, {}, warnings=[warning] if warning else [])
        pacer = Pacer(settings.rate, clock)
        sender = Sender(settings, clock)
        on_progress(progress, "")
        current: Recipient | None = None
        try:
            for recipient in queue:
                current = recipient
                message_id = rows[recipient.key].message_id or new_message_id(settings, digest.number)
                data = encoded(compose(digest, recipient, settings, pdf, delivery, message_id))
                pacer.wait()
                try:
                    sender.send(recipient, data, before_try=lambda: log.mark_sending(recipient, message_id),
                                after_temporary=lambda reason: log.mark(recipient, "pending", reason))
                except PermanentFailure as failure:
                    log.mark(recipient, "failed", str(failure))
                    outcome.failures.append((recipient.email, str(failure)))
                    progress.failed += 1
                except MaybeDelivered as doubt:
                    log.mark(recipient, "unknown", str(doubt))
                    progress.unknown += 1
                except ServerRefused as refusal:
                    log.mark(recipient, "pending", str(refusal))
                    outcome.stopped = str(refusal)
                    break
                except Stop as stop:
                    if stop.failure.connection:
                        # The server cannot be reached or keeps dropping the line: the others would fare no better.
                        outcome.stopped = f"{stop}, after {settings.retries + 1} tries"
                        break
                    outcome.deferred.append((recipient.email, str(stop)))
                    progress.deferred += 1
                else:
                    log.mark(recipient, "sent")
                    progress.sent += 1
                current = None
                on_progress(progress, recipient.email)
        except KeyboardInterrupt:
            outcome.interrupted = True
            if current is not None and log.row(current).state == "sending":
                phase = sender.transport.phase
                if phase == "accepted":  # interrupted between the server's 250 and its record
                    log.mark(current, "sent")
                    progress.sent += 1
                elif phase in ("data", "reply"):  # the message going out or awaiting its reply: it may have arrived
                    log.mark(current, "unknown", "interrupted while the server had the message")
                    progress.unknown += 1
                else:
                    log.mark(current, "pending", "interrupted before sending")
        finally:
            if outcome.interrupted:
                sender.transport.drop()
            else:
                sender.close()
        # The counts of this list's readers: a reader since taken off the list is no longer waited for.
        final = [log.row(r) for r in recipients]
        outcome.counts = dict(Counter(row.state for row in final))
        outcome.unknown = [(row.email, row.detail or "") for row in final if row.state == "unknown"]
    return outcome


def send_proof(digest: Digest, address: Recipient, settings: Settings, pdf: CheckedPdf, delivery: Delivery,
               clock: Clock | None = None) -> str:
    """One proof to one address, outside the send log; the server's reply."""
    sender = Sender(settings, clock or Clock())
    data = encoded(compose(digest, address, settings, pdf, delivery, new_message_id(settings, digest.number)))
    try:
        return sender.send(address, data)
    finally:
        sender.close()


def write_dry_run(folder: Path, digest: Digest, recipients: list[Recipient], settings: Settings,
                  pdf: CheckedPdf, delivery: Delivery) -> list[Path]:
    """Every message as a ``.eml`` file, exactly the bytes that would be sent; nothing is sent or logged."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, recipient in enumerate(recipients, 1):
        safe = "".join(c if c.isalnum() or c in "._-@" else "_" for c in recipient.email)
        path = folder / f"{index:04d}-{safe}.eml"
        path.write_bytes(encoded(compose(digest, recipient, settings, pdf, delivery,
                                         new_message_id(settings, digest.number))))
        written.append(path)
    return written
