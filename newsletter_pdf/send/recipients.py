"""The readers: a CSV file with the columns ``email``, ``name`` and, optionally, ``language``.

Every problem is reported as ``FILE:LINE:COLUMN: column: what``, all of them at once and
before anything is sent. Addresses are checked by email-validator, for their form only
(no DNS look-up: a send must not depend on the resolver, nor a test on the network).
A second row for an address already listed (compared without regard to case) is dropped
and named in a note, since a reader on the list twice must still get one copy.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from ..issue import IssueError, Problem
from ..invocation import display_path

COLUMNS = ("email", "name", "language")
REQUIRED = ("email", "name")
MAX_FILE_BYTES = 50 * 1024 * 1024
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Recipient:
    email: str  # as it goes on the envelope and in To: the domain in ASCII (IDNA)
    name: str
    language: str | None
    line: int

    @property
    def key(self) -> str:
        """The address as the send log knows it: one row per reader, whatever its case."""
        return self.email.casefold()


@dataclass(frozen=True)
class RecipientList:
    recipients: list[Recipient]
    notes: list[str]  # duplicates dropped, as FILE:LINE lines


def read_recipients(path: Path) -> RecipientList:
    name = display_path(path)
    if not path.is_file():
        raise IssueError([Problem(name, 1, 1, "", "no such recipients file (a CSV with the columns email, name)")])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise IssueError([Problem(name, 1, 1, "", f"the file is over {MAX_FILE_BYTES // 1024 // 1024} MB; "
                                                  "is it the recipients list?")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise IssueError([Problem(name, line, 1, "", "not UTF-8 text: save the file as 'CSV UTF-8'")]) from None
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise IssueError([Problem(name, 1, 1, "", f"not a CSV file: {error}")]) from None
    if header is None or not any(h.strip() for h in header):
        raise IssueError([Problem(name, 1, 1, "", "empty file: the first line names the columns, "
                                                  "'email,name' or 'email,name,language'")])
    if len(header) == 1 and ";" in header[0]:
        raise IssueError([Problem(name, 1, 1, "", "the columns are separated by ';', not ','; save the file from the "
                                                  "spreadsheet as 'CSV UTF-8 (comma delimited)'")])
    columns = [h.strip().lower() for h in header]
    for index, column in enumerate(columns):
        if column not in COLUMNS:
            problems.append(Problem(name, 1, _column_of(lines, 1, index), column,
                                    f"unknown column {header[index]!r}; the columns are {', '.join(COLUMNS)}"))
        elif columns.index(column) != index:
            problems.append(Problem(name, 1, _column_of(lines, 1, index), column, "this column is named twice"))
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        problems.append(Problem(name, 1, 1, "", f"missing column{'s' if len(missing) > 1 else ''} "
                                                f"{', '.join(missing)}; the first line names the columns, "
                                                "'email,name' or 'email,name,language'"))
        raise IssueError(problems)
    position = {c: columns.index(c) for c in COLUMNS if c in columns}
    recipients: list[Recipient] = []
    notes: list[str] = []
    first_line: dict[str, int] = {}
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(name, reader.line_num, 1, "", f"not valid CSV: {error} (a quote left open?)"))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue  # blank lines are allowed: a spreadsheet often ends with some
        if len(row) != len(columns):
            problems.append(Problem(name, line, 1, "", f"{len(row)} fields, but the first line names {len(columns)} "
                                                       f"columns ({', '.join(columns)}); a comma in a name needs "
                                                       'quotes: "Doe, Jane"'))
            continue

        def cell(column: str) -> str:
            return row[position[column]].strip() if column in position else ""

        def problem(column: str, what: str) -> None:
            problems.append(Problem(name, line, _column_of(lines, line, position[column]), column, what))

        address, person, language = cell("email"), cell("name"), cell("language")
        if any(ord(c) < 32 or c == "\x7f" for c in person):
            problem("name", "a name is one line of text without control characters")
            continue
        if language and not _LANGUAGE.match(language):
            problem("language", f"{language!r} is not a language tag; write for example en, fr or zh-Hant")
        if not address:
            problem("email", "no address; every row needs one (or delete the row)")
            continue
        try:
            checked = validate_email(address, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError as error:
            problem("email", f"{address!r} is not a valid e-mail address: {error}")
            continue
        recipient = Recipient(checked.ascii_email or checked.normalized, person, language or None, line)
        if recipient.key in first_line:
            notes.append(f"{name}:{line}: {address} is listed already on line {first_line[recipient.key]}; "
                         "this row is dropped (each reader gets one copy)")
            continue
        first_line[recipient.key] = line
        recipients.append(recipient)
    if problems:
        raise IssueError(problems)
    if not recipients:
        raise IssueError([Problem(name, 1, 1, "", "no recipients: add a row 'address,name' for each reader")])
    return RecipientList(recipients, notes)


def _column_of(lines: list[str], line: int, field: int) -> int:
    """The character column where field ``field`` starts on ``line``; 1 where quotes make it unclear."""
    if line - 1 >= len(lines):
        return 1
    text = lines[line - 1]
    if '"' in text:
        return 1
    column = 1
    for part in text.split(",")[:field]:
        column += len(part) + 1
    return column
