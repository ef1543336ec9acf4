"""The distribution settings: ``distribution.yaml`` beside the issues, then the command line over it.

The file is read by the issue loader (``issue.load.load_source``): the same size and
nesting limits, the same line and column for every value, the same ``schema: 1`` first
line. Its problems are reported as ``FILE:LINE:COLUMN: key: what``, all at once.
SMTP credentials are never read from it: only from the environment.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..issue import IssueError, Problem, Source
from ..issue.load import load_source

SETTINGS_NAME = "distribution.yaml"
USER_VARIABLE = "NEWSLETTER_SMTP_USER"
PASSWORD_VARIABLE = "NEWSLETTER_SMTP_PASSWORD"
DEFAULT_BUDGET_MB = 10.0  # Exchange's default limit for a whole message
SECURITY = ("starttls", "tls", "none")
# Keys that would put a secret into a file kept with the issues.
_CREDENTIAL_KEYS = {"user", "username", "login", "password", "pass", "secret", "smtp_user", "smtp_password"}


class SendInputError(Exception):
    """A setting given on the command line (or missing everywhere) is unusable: exit 2."""


class DistributionFile(BaseModel):
    """``distribution.yaml``, format version 1."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: Literal[1] = Field(alias="schema")
    smtp: str | None = Field(None, description="HOST:PORT of the mail server (the submission port is 587)")
    security: Literal["starttls", "tls", "none"] = "starttls"
    sender: str | None = Field(None, alias="from", description="The From address, with a display name if wished")
    reply_to: str | None = None
    pdf_url: str | None = Field(None, description="Where the PDF can be downloaded; {number} is the issue number")
    unsubscribe_url: str | None = Field(None, description="https address for one-click unsubscribing; "
                                                          "{email} is the reader's address")
    unsubscribe_mailto: str | None = Field(None, description="An address that unsubscribes whoever writes to it")
    rate: int | None = Field(None, ge=1, le=100_000, description="At most this many messages a minute")
    max_message_mb: float = Field(DEFAULT_BUDGET_MB, gt=0, le=1000,
                                  description="The PDF is attached while the whole encoded message stays within this")
    retries: int = Field(3, ge=0, le=20, description="Further tries after a temporary failure (4xx, a dropped connection)")
    retry_wait: float = Field(5.0, ge=0, le=3600, description="Seconds before the first retry; doubled for each next one")
    timeout: float = Field(60.0, gt=0, le=3600, description="Seconds to wait for the server before giving up a try")
    ca_file: str | None = Field(None, description="A certificate (PEM) to trust for the server, beside this file")
    log: str | None = Field(None, description="The send log; {number} is the issue number")


@dataclass(frozen=True)
class Settings:
    """Everything a send needs, after the file and the command line have had their say."""

    smtp_host: str | None = None
    smtp_port: int | None = None
    security: str = "starttls"
    sender: str | None = None
    reply_to: str | None = None
    pdf_url: str | None = None
    unsubscribe_url: str | None = None
    unsubscribe_mailto: str | None = None
    rate: int | None = None
    budget_bytes: int = int(DEFAULT_BUDGET_MB * 1024 * 1024)
    retries: int = 3
    retry_wait: float = 5.0
    timeout: float = 60.0
    ca_file: Path | None = None
    log: str | None = None
    source: str | None = None  # the settings file read, for messages
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    def log_path(self, number: int) -> Path:
        return Path(self.log.format(number=number)) if self.log else Path("build") / f"send-{number:03d}.sqlite"

    def download_url(self, number: int) -> str | None:
        return self.pdf_url.format(number=number) if self.pdf_url else None


def settings_file_for(issue_folder: Path) -> Path:
    """``distribution.yaml`` beside the issue folders (``issues/distribution.yaml``)."""
    return issue_folder.resolve().parent / SETTINGS_NAME


def load_settings(path: Path | None) -> Settings:
    """The settings in ``path`` (none when it is None), with credentials from the environment."""
    settings = Settings() if path is None else _read_file(path)
    return replace(settings, user=os.environ.get(USER_VARIABLE) or None,
                   password=os.environ.get(PASSWORD_VARIABLE) or None)


def _read_file(path: Path) -> Settings:
    try:
        source = load_source(path)
    except IssueError as error:  # the loader's words are an issue file's
        raise IssueError([replace(p, what="the settings must be a mapping of keys such as smtp, from, unsubscribe_url")
                          if p.what.startswith("the issue file must be a mapping") else p
                          for p in error.problems]) from None
    problems = [source.problem((key,), f"'{key}' looks like a credential, which is never kept in a file: "
                                       f"set {USER_VARIABLE} and {PASSWORD_VARIABLE} in the environment instead",
                               key=True)
                for key in source.data if str(key).lower() in _CREDENTIAL_KEYS]
    data = {k: v for k, v in source.data.items() if str(k).lower() not in _CREDENTIAL_KEYS}
    try:
        parsed = DistributionFile.model_validate(data)
    except ValidationError as error:
        raise IssueError(problems + [_problem_from(source, e) for e in error.errors()]) from None
    host = port = None
    if parsed.smtp is not None:
        try:
            host, port = parse_host_port(parsed.smtp)
        except SendInputError as error:
            problems.append(source.problem(("smtp",), str(error)))
    for key, value in (("from", parsed.sender), ("reply_to", parsed.reply_to)):
        if value is not None:
            problem = address_problem(value)
            if problem:
                problems.append(source.problem((key,), problem))
    if parsed.unsubscribe_mailto is not None:
        problem = address_problem(parsed.unsubscribe_mailto.removeprefix("mailto:"), display_name=False)
        if problem:
            problems.append(source.problem(("unsubscribe_mailto",), problem))
    for key in ("pdf_url", "unsubscribe_url"):
        value = getattr(parsed, key)
        if value is not None:
            problem = url_problem(value, {"pdf_url": ("number",), "unsubscribe_url": ("email",)}[key])
            if problem:
                problems.append(source.problem((key,), problem))
    ca_file = None
    if parsed.ca_file is not None:
        ca_file = (source.folder / parsed.ca_file).resolve()
        if not ca_file.is_file():
            problems.append(source.problem(("ca_file",), f"{parsed.ca_file}: no such file (a PEM certificate, "
                                                         "named from the folder of this file)"))
    if parsed.log is not None and not _placeholders_ok(parsed.log, ("number",)):
        problems.append(source.problem(("log",), "the only placeholder here is {number}, as in build/send-{number}.sqlite"))
    if problems:
        raise IssueError(problems)
    return Settings(host, port, parsed.security, parsed.sender, parsed.reply_to, parsed.pdf_url,
                    parsed.unsubscribe_url, parsed.unsubscribe_mailto and parsed.unsubscribe_mailto.removeprefix("mailto:"),
                    parsed.rate, int(parsed.max_message_mb * 1024 * 1024), parsed.retries, parsed.retry_wait,
                    parsed.timeout, ca_file, parsed.log, source.display_name)


def _problem_from(source: Source, error: dict) -> Problem:
    loc = tuple(error["loc"])
    names = [f.alias or name for name, f in DistributionFile.model_fields.items()]
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"valid keys: {', '.join(names)}"
        return source.problem(loc, f"unknown key '{loc[-1]}'; {hint}", key=True)
    if error["type"] == "missing":
        if loc == ("schema",):
            return source.problem((), "missing key 'schema' (add 'schema: 1' as the first line)")
        return source.problem(loc[:-1], f"missing required key '{loc[-1]}'")
    if error["type"] == "literal_error" and loc == ("security",):
        return source.problem(loc, f"security must be one of: {', '.join(SECURITY)}")
    return source.problem(loc, error["msg"])


_HOST_PORT = re.compile(r"^(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?))"
                        r":(?P<port>\d{1,5})$")


def parse_host_port(text: str) -> tuple[str, int]:
    match = _HOST_PORT.match(text.strip())
    port = int(match.group("port")) if match else 0
    if not match or not 1 <= port <= 65535:
        raise SendInputError(f"{text!r} is not HOST:PORT; write for example mail.example.org:587 "
                             "(587 for starttls, 465 for tls)")
    return match.group("ipv6") or match.group("host"), port


def address_problem(text: str, display_name: bool = True) -> str | None:
    """Why ``text`` (``name <addr>`` or a bare address) is no address to send from, if it is not."""
    if any(ord(c) < 32 for c in text):
        return "an address is one line of text without control characters"
    name, addr = parseaddr(text) if display_name else ("", text)
    if not addr:
        return f"{text!r} is not an e-mail address; write for example 'ROCB A/P <newsletter@example.org>'"
    try:
        validate_email(addr, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        return f"{addr!r} is not a valid e-mail address: {error}"
    return None


def header_address(text: str) -> Address:
    name, addr = parseaddr(text)
    checked = validate_email(addr, check_deliverability=False, allow_smtputf8=False)
    return Address(display_name=name, addr_spec=checked.ascii_email or checked.normalized)


def _placeholders_ok(text: str, allowed: tuple[str, ...]) -> bool:
    try:
        text.format(**{name: 1 for name in allowed})
    except (KeyError, IndexError, ValueError):
        return False
    return True


def url_problem(text: str, placeholders: tuple[str, ...]) -> str | None:
    if not re.match(r"^https://[^\s/]+[^\s]*$", text):
        return f"{text!r} is not an https address (https://...)"
    if not _placeholders_ok(text, placeholders):
        named = " and ".join("{" + p + "}" for p in placeholders)
        return f"the only placeholder here is {named}; write other braces twice ({{{{ and }}}})"
    return None


def with_options(settings: Settings, *, smtp: str | None = None, security: str | None = None,
                 sender: str | None = None, reply_to: str | None = None, rate: int | None = None,
                 log: Path | None = None) -> Settings:
    """The command line's options over the file's settings; ``SendInputError`` for a bad one."""
    changes: dict = {}
    if smtp is not None:
        changes["smtp_host"], changes["smtp_port"] = _option("--smtp", lambda: parse_host_port(smtp))
    if security is not None:
        changes["security"] = security
    for option, key, value in (("--from", "sender", sender), ("--reply-to", "reply_to", reply_to)):
        if value is not None:
            problem = address_problem(value)
            if problem:
                raise SendInputError(f"{option}: {problem}")
            changes[key] = value
    if rate is not None:
        changes["rate"] = rate
    if log is not None:
        changes["log"] = str(log).replace("{", "{{").replace("}", "}}")
    return replace(settings, **changes)


def _option(name: str, parse):
    try:
        return parse()
    except SendInputError as error:
        raise SendInputError(f"{name}: {error}") from None


def require_for_sending(settings: Settings, *, connect: bool) -> None:
    """What every message needs (a sender, a way to unsubscribe) and, to connect, a server."""
    where = f" or in {settings.source}" if settings.source else f" or in {SETTINGS_NAME} beside the issues"
    if not settings.sender:
        raise SendInputError(f"no sender: give --from ADDRESS{where} ('from: ...')")
    if not settings.unsubscribe_url and not settings.unsubscribe_mailto:
        raise SendInputError("no way to unsubscribe: bulk mail must carry List-Unsubscribe; set unsubscribe_url "
                             f"(https, one click) and/or unsubscribe_mailto{where}")
    if connect and not settings.smtp_host:
        raise SendInputError(f"no mail server: give --smtp HOST:PORT{where} ('smtp: ...')")
    if connect and (settings.user or settings.password):
        if not (settings.user and settings.password):
            missing = PASSWORD_VARIABLE if settings.user else USER_VARIABLE
            raise SendInputError(f"{missing} is not set: set both {USER_VARIABLE} and {PASSWORD_VARIABLE}, or neither")
        if settings.security == "none":
            raise SendInputError("credentials are never sent over an unencrypted connection: use --security "
                                 "starttls or tls, or unset the NEWSLETTER_SMTP_ variables")
