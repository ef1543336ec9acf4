"""The send log: a SQLite database, one row per reader and issue, committed before and after
each message, so that whatever stops a run, the next run knows who has their copy.

A row's state:

- ``pending``: not sent yet (or a try that certainly did not deliver: the connection was
  lost before the end of the message reached the server);
- ``sending``: written and committed just before the message goes out;
- ``sent``: committed as soon as the server accepted it (its 250 reply);
- ``failed``: the server refused it for good (a 5xx reply); never retried;
- ``unknown``: the message may or may not have arrived: a ``sending`` row found by the next
  run (the process was killed, or the machine stopped, after the row was committed and
  before the server's reply was recorded), or a connection lost after the end of the
  message was sent and before the server replied.

``unknown`` rows are not sent again on their own, and a run that leaves any ends with
status 1 and names them: never two copies, and never none without saying so. The officer
asks the reader, or sends them again with ``--resend-unknown``; the new copy carries the
first one's Message-ID, by which many mail systems drop a second copy.

A lock file beside the log keeps two runs from sending the same issue at once.
"""

from __future__ import annotations

import datetime
import fcntl
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .recipients import Recipient

STATES = ("pending", "sending", "sent", "failed", "unknown")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS deliveries (
    issue INTEGER NOT NULL,
    address TEXT NOT NULL,          -- the address, case-folded: one row per reader
    email TEXT NOT NULL,            -- as it was sent to
    name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ({", ".join(f"'{s}'" for s in STATES)})),
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    detail TEXT,
    updated TEXT NOT NULL,
    PRIMARY KEY (issue, address)
);
CREATE TABLE IF NOT EXISTS runs (
    issue INTEGER NOT NULL,
    started TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL
);
"""


class LogBusy(Exception):
    """Another run holds the log."""


class LogUnreadable(Exception):
    """The file is no send log (or a damaged one)."""


@dataclass(frozen=True)
class Row:
    address: str
    email: str
    name: str
    state: str
    message_id: str | None
    attempts: int
    detail: str | None


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


class SendLog:
    def __init__(self, path: Path, issue: int, *, lock: bool = True) -> None:
        self.path = path
        self.issue = issue
        self._lock_file = None
        path.parent.mkdir(parents=True, exist_ok=True)
        if lock:
            self._lock_file = open(path.with_name(path.name + ".lock"), "w")
            try:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._lock_file.close()
                raise LogBusy(f"{path}: another 'newsletter send' is using this log; wait for it to end") from None
        try:
            self.db = sqlite3.connect(path, isolation_level=None)  # explicit transactions below
            # WAL with a full sync: a commit is on the disk when commit() returns, with one sync a commit.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            self.close()
            raise LogUnreadable(f"{path}: not a send log ({error}); give another file with --log") from None

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()
            self.db = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> "SendLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, sql: str, *args) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute(sql, args)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def start_run(self, recipients: list[Recipient], pdf_sha256: str) -> str | None:
        """Add the readers not yet in the log; turn rows a killed run left ``sending`` into ``unknown``.

        Returns a warning when the PDF differs from the one the first run of this issue sent.
        """
        now = _now()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("UPDATE deliveries SET state='unknown', updated=?, detail='the run sending it stopped "
                            "before the server''s reply was recorded' WHERE issue=? AND state='sending'",
                            (now, self.issue))
            self.db.executemany("INSERT OR IGNORE INTO deliveries (issue, address, email, name, state, updated) "
                                "VALUES (?, ?, ?, ?, 'pending', ?)",
                                [(self.issue, r.key, r.email, r.name, now) for r in recipients])
            first = self.db.execute("SELECT pdf_sha256 FROM runs WHERE issue=? ORDER BY rowid LIMIT 1",
                                    (self.issue,)).fetchone()
            self.db.execute("INSERT INTO runs VALUES (?, ?, ?)", (self.issue, now, pdf_sha256))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if first and first[0] != pdf_sha256:
            return ("the PDF differs from the one the first run of this issue sent: readers sent to before "
                    "have the earlier one")
        return None

    def row(self, recipient: Recipient) -> Row:
        found = self.db.execute("SELECT address, email, name, state, message_id, attempts, detail FROM deliveries "
                                "WHERE issue=? AND address=?", (self.issue, recipient.key)).fetchone()
        return Row(*found)

    def mark_sending(self, recipient: Recipient, message_id: str) -> None:
        self._write("UPDATE deliveries SET state='sending', message_id=?, attempts=attempts+1, updated=? "
                    "WHERE issue=? AND address=?", message_id, _now(), self.issue, recipient.key)

    def mark(self, recipient: Recipient, state: str, detail: str | None = None) -> None:
        self._write("UPDATE deliveries SET state=?, detail=?, updated=? WHERE issue=? AND address=?",
                    state, detail, _now(), self.issue, recipient.key)


def read_counts(path: Path, issue: int) -> tuple[Counter, dict[str, list[Row]]]:
    """The counts by state and the rows that need the officer's eye (failed, unknown), read only."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise LogUnreadable(f"{path}: cannot be read ({error})") from None
    try:
        counts = Counter(dict(db.execute("SELECT state, count(*) FROM deliveries WHERE issue=? GROUP BY state",
                                         (issue,)).fetchall()))
        rows = {state: [Row(*r) for r in db.execute(
            "SELECT address, email, name, state, message_id, attempts, detail FROM deliveries "
            f"WHERE issue=? AND state IN ({', '.join('?' * len(states))}) ORDER BY email", (issue, *states)).fetchall()]
            for state, states in (("failed", ("failed",)), ("unknown", ("unknown", "sending")))}
    except sqlite3.DatabaseError as error:
        raise LogUnreadable(f"{path}: not a send log ({error})") from None
    finally:
        db.close()
    # A row left 'sending' is one a run is sending now, or one a killed run left: unknown either way.
    counts["unknown"] += counts.pop("sending", 0)
    return counts, rows
