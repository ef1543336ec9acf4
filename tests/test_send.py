"""``newsletter send`` against a real SMTP server (aiosmtpd) on loopback, started here.

The built sample issue (No. 79, built once per session by ``sample_pdf``) is sent with
``--pdf``; every message is parsed back with the standard library's ``email`` package.
"""

from __future__ import annotations

import asyncio
import datetime
import email
import email.policy
import ipaddress
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from newsletter_pdf.check import PdfFacts
from newsletter_pdf.send.command import Options, run

from .conftest import ROOT, SAMPLE, make_issue, run_cli

SUBJECT = "ROCB Asia/Pacific E-Newsletter No. 79 \u2013 October\u2013December 2022"
SENDER = "ROCB A/P Newsletter <newsletter@rocb-ap.example>"


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts and misbehaves on request."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.rcpt_tries: Counter = Counter()
        self.refuse: dict[str, str] = {}  # address -> reply to RCPT
        self.greylist: set[str] = set()  # addresses answered 451 on their first RCPT
        self.drop_after: int | None = None  # close every connection at MAIL once this many arrived
        self.drop_once_at: int | None = None  # close the connection at MAIL once, when this many arrived
        self.hang_up_after_data: set[str] = set()  # keep the message, close before replying
        self.hold_data: threading.Event | None = None  # hold DATA replies until set
        self.clock = None  # a fake clock: arrival times are read from it
        self.arrivals: list[float] = []

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            server.transport.close()
            return "421 4.3.2 going down"
        if self.drop_once_at is not None and len(self.messages) == self.drop_once_at:
            self.drop_once_at = None
            server.transport.close()
            return "421 4.3.2 going down"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        self.rcpt_tries[address] += 1
        if address in self.refuse:
            return self.refuse[address]
        if address in self.greylist:
            self.greylist.discard(address)
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        if self.clock is not None:
            self.arrivals.append(self.clock.now())
        if self.hold_data is not None:
            while not self.hold_data.is_set():
                await asyncio.sleep(0.02)
        if set(envelope.rcpt_tos) & self.hang_up_after_data:
            server.transport.close()
        return "250 2.0.0 accepted"

    def parsed(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(data, policy=email.policy.default) for _, data in self.messages]

    def per_reader(self) -> Counter:
        return Counter(address for rcpts, _ in self.messages for address in rcpts)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


@pytest.fixture
def workplace(tmp_path, monkeypatch):
    """A working folder (the default build/ and send log go there) without credentials set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSLETTER_SMTP_USER", raising=False)
    monkeypatch.delenv("NEWSLETTER_SMTP_PASSWORD", raising=False)
    return tmp_path


def write_settings(folder: Path, port: int | None, **extra) -> Path:
    lines = ["schema: 1", f'from: "{SENDER}"', "reply_to: rocb@rocb-ap.example",
             "unsubscribe_url: https://rocb-ap.example/unsubscribe?email={email}",
             "unsubscribe_mailto: unsubscribe@rocb-ap.example", "retries: 2", "retry_wait: 0.01"]
    if port is not None:
        lines += [f"smtp: 127.0.0.1:{port}", "security: none"]
    settings = {line.split(":", 1)[0]: line for line in lines}
    for key, value in extra.items():
        settings[key] = f"{key}: {value}"
    path = folder / "distribution.yaml"
    path.write_text("\n".join(settings.values()) + "\n", encoding="utf-8")
    return path


def write_readers(folder: Path, count: int, name: str = "readers.csv") -> tuple[Path, list[str]]:
    addresses = [f"reader{n:02d}@customs{n % 3}.example" for n in range(1, count + 1)]
    rows = ["email,name,language"] + [f"{a},Reader {n},en" for n, a in enumerate(addresses, 1)]
    path = folder / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, addresses


def send(sample_pdf: Path, settings: Path, readers: Path | None, *extra):
    args = ["send", SAMPLE, "--pdf", sample_pdf, "--settings", settings]
    if readers is not None:
        args += ["--recipients", readers]
    return run_cli(*args, *extra)


def test_each_reader_gets_one_whole_message(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 25)
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 0, stdout + stderr
    assert "All 25 readers have their copy." in stdout
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses})
    assert all(len(rcpts) == 1 for rcpts, _ in mailbox.messages)  # one reader a message, never a list
    pdf_bytes = sample_pdf.read_bytes()
    facts = PdfFacts(sample_pdf)
    try:
        printed_contents = [(entry.text, entry.number) for entry in facts.contents]
    finally:
        facts.close()
    message_ids = set()
    for message in mailbox.parsed():
        to = message["To"].addresses
        assert len(to) == 1 and to[0].addr_spec in addresses
        assert to[0].display_name == f"Reader {addresses.index(to[0].addr_spec) + 1}"
        assert message["From"] == SENDER
        assert message["Reply-To"] == "rocb@rocb-ap.example"
        assert message["Subject"] == SUBJECT
        assert message["Content-Language"] == "en"
        assert message["Date"].datetime.tzinfo is not None
        message_ids.add(message["Message-ID"])
        assert re.fullmatch(r"<[^<>@\s]+@rocb-ap\.example>", message["Message-ID"])
        escaped = to[0].addr_spec.replace("@", "%40")
        # Folded before its first address when long: the unfolded value starts with that space (RFC 5322 FWS).
        assert message["List-Unsubscribe"].strip() == (f"<https://rocb-ap.example/unsubscribe?email={escaped}>, "
                                               "<mailto:unsubscribe@rocb-ap.example?subject=unsubscribe>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_content_type() == "multipart/mixed"
        alternative = message.get_payload()[0]
        assert alternative.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html"]
        attachments = list(message.iter_attachments())
        assert len(attachments) == 1
        assert attachments[0].get_content_type() == "application/pdf"
        assert attachments[0].get_filename() == "newsletter-079.pdf"
        assert attachments[0].get_content() == pdf_bytes
    assert len(message_ids) == 25

    text = mailbox.parsed()[0].get_body(("plain",)).get_content()
    html = mailbox.parsed()[0].get_body(("html",)).get_content()
    for body in (text, html):
        assert "ROCB Asia/Pacific E-Newsletter" in body
        assert "No.\u00a079" in body or "No. 79" in body
        assert "October\u2013December 2022" in body  # the range closed up, as the PDF sets it
        assert "Happy New Year 2023 from Bangkok ROCB A/P." in body  # the foreword's line
        assert "Korea Regional Customs Laboratory Brief" in body  # a highlight
        assert "newsletter-079.pdf" in body
    text_lines = [" ".join(line.split()) for line in text.splitlines()]
    # The contents, with the page numbers printed in the PDF itself.
    html_text = " ".join(html.replace("&nbsp;", " ").split())
    for title, page in printed_contents:  # as the PDF prints them, curly quotes and all
        title = " ".join(title.split())
        if len(title) < 55:
            assert f"{page} {title}" in text_lines, title
        assert re.search(re.escape(title.replace("&", "&amp;")) + r"(</span>)?<span[^>]*> page " + str(page) + "<",
                         html_text), title
    # What mail programs render: inline styles, no style sheet, no pictures, nothing remote.
    assert "<style" not in html and "<img" not in html and "<link" not in html and "<table" not in html
    assert "src=" not in html and "url(" not in html
    assert 'style="' in html


def test_a_rerun_after_success_sends_nothing(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, _ = write_readers(workplace, 3)
    assert send(sample_pdf, settings, readers)[0] == 0
    code, stdout, _ = send(sample_pdf, settings, readers)
    assert code == 0
    assert "Nothing to send: all 3 readers had their copy already." in stdout
    assert len(mailbox.messages) == 3
    code, stdout, _ = send(sample_pdf, settings, None, "--status")
    assert code == 0
    assert re.search(r"sent\s*│\s*3\b", stdout) and re.search(r"pending\s*│\s*0\b", stdout)


def test_a_reader_refused_with_550_is_recorded_and_not_retried(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 5)
    refused = addresses[2]
    mailbox.refuse[refused] = "550 5.1.1 mailbox unavailable"
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 1
    assert f"failed: {refused}: 550 5.1.1 mailbox unavailable (not retried)" in stdout
    assert mailbox.rcpt_tries[refused] == 1
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses if a != refused})
    # The next run sends nothing, and does not try the refused reader again.
    code, stdout, _ = send(sample_pdf, settings, readers)
    assert code == 1
    assert mailbox.rcpt_tries[refused] == 1 and len(mailbox.messages) == 4
    code, stdout, _ = send(sample_pdf, settings, None, "--status")
    assert re.search(r"failed\s*│\s*1\b", stdout) and re.search(r"sent\s*│\s*4\b", stdout)
    assert f"failed: {refused}: 550 5.1.1 mailbox unavailable" in stdout


def test_a_server_that_drops_after_10_of_25_then_a_rerun_gives_25_messages_one_each(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 25)
    mailbox.drop_after = 10
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 1, stdout + stderr
    assert len(mailbox.messages) == 10
    assert "stopped: the connection was lost" in stdout and "after 3 tries" in stdout
    assert "10 of 25 readers have their copy; 15 not (failed 0, unknown 0, pending 15)" in stdout
    code, stdout, _ = send(sample_pdf, settings, None, "--status")
    assert re.search(r"sent\s*│\s*10\b", stdout) and re.search(r"pending\s*│\s*15\b", stdout)

    mailbox.drop_after = None  # the server is back
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 0, stdout + stderr
    assert re.search(r"sent in this run\s*│\s*15\b", stdout) and re.search(r"sent before\s*│\s*10\b", stdout)
    assert len(mailbox.messages) == 25
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses})
    assert send(sample_pdf, settings, readers)[0] == 0
    assert len(mailbox.messages) == 25


def test_a_dropped_connection_and_a_4xx_are_retried_in_the_same_run(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 8)
    mailbox.drop_once_at = 4
    mailbox.greylist.add(addresses[6])
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 0, stdout + stderr
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses})
    assert mailbox.rcpt_tries[addresses[6]] == 2


def test_a_4xx_that_lasts_leaves_the_reader_pending_and_the_run_goes_on(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 4)
    mailbox.refuse[addresses[1]] = "452 4.2.2 mailbox full"
    code, stdout, _ = send(sample_pdf, settings, readers)
    assert code == 1
    assert mailbox.rcpt_tries[addresses[1]] == 3  # the first try and two retries
    assert len(mailbox.messages) == 3
    assert f"pending: {addresses[1]}: 452 4.2.2 mailbox full, after every try" in stdout
    del mailbox.refuse[addresses[1]]
    assert send(sample_pdf, settings, readers)[0] == 0
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses})


def test_a_message_that_may_have_arrived_is_reported_not_resent(sample_pdf, server, workplace):
    """The connection lost after the whole message went out, before the server's reply: unknown."""
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 5)
    doubtful = addresses[2]
    mailbox.hang_up_after_data.add(doubtful)
    code, stdout, _ = send(sample_pdf, settings, readers)
    assert code == 1
    assert f"unknown: {doubtful}: the connection was lost while waiting for the server's reply" in stdout
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses})  # it did arrive, once
    mailbox.hang_up_after_data.clear()
    code, stdout, _ = send(sample_pdf, settings, readers)
    assert code == 1 and len(mailbox.messages) == 5  # not sent again on its own
    assert f"unknown: {doubtful}" in stdout and "--resend-unknown" in stdout
    first_id = mailbox.parsed()[2]["Message-ID"]
    code, stdout, _ = send(sample_pdf, settings, readers, "--resend-unknown")
    assert code == 0
    assert len(mailbox.messages) == 6 and mailbox.per_reader()[doubtful] == 2  # the officer's choice
    assert mailbox.parsed()[5]["Message-ID"] == first_id  # the same message again, which mail systems can drop


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_a_run_stopped_while_the_server_holds_a_message_leaves_it_unknown_and_never_resends_it(
        sample_pdf, server, workplace, stop):
    """A real stop: the process is killed (or gets Ctrl-C) while the server holds its first message."""
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 6)
    mailbox.hold_data = threading.Event()
    process = subprocess.Popen([sys.executable, "-m", "newsletter_pdf", "send", str(SAMPLE), "--pdf", str(sample_pdf),
                                "--settings", str(settings), "--recipients", str(readers)],
                               cwd=workplace, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while len(mailbox.messages) < 1 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert len(mailbox.messages) == 1, process.communicate()
    process.send_signal(stop)
    stdout, stderr = process.communicate(timeout=60)
    mailbox.hold_data.set()
    mailbox.hold_data = None
    held = addresses[0]
    if stop == signal.SIGINT:  # the interrupted run says so itself
        assert process.returncode == 1, stdout + stderr
        assert f"unknown: {held}: interrupted while the server had the message" in stdout
        assert "interrupted: run the same command again" in stdout
        why = "interrupted while the server had the message"
    else:
        why = "the run sending it stopped before the server's reply was recorded"
    code, stdout, _ = send(sample_pdf, settings, readers)
    assert code == 1
    assert f"unknown: {held}: {why}" in stdout
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses})  # the held one once, the others now
    assert "5 of 6 readers have their copy; 1 not (failed 0, unknown 1, pending 0)" in stdout
    code, stdout, _ = send(sample_pdf, settings, None, "--status")
    assert re.search(r"unknown\s*│\s*1\b", stdout) and f"unknown: {held}: {why}" in stdout


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _login(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=(auth_data.login, auth_data.password) == (b"officer", b"s3cret pass"), handled=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_with_a_self_signed_certificate_and_credentials_from_the_environment(sample_pdf, workplace, monkeypatch,
                                                                                  security):
    cert, key = _self_signed(workplace)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    port = free_port()
    # aiosmtpd offers AUTH after STARTTLS only; on a connection that is TLS from the start
    # (ssl_context) it does not see the TLS, so it is told not to require it there.
    tls = ({"tls_context": context, "require_starttls": True, "auth_require_tls": True} if security == "starttls"
           else {"ssl_context": context, "auth_require_tls": False})
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=_login, auth_required=True, **tls)
    controller.start()
    try:
        readers, addresses = write_readers(workplace, 3)
        # Not trusted: nothing is sent, and the officer is told what to do.
        untrusted = write_settings(workplace, port, security=security)
        monkeypatch.setenv("NEWSLETTER_SMTP_USER", "officer")
        monkeypatch.setenv("NEWSLETTER_SMTP_PASSWORD", "s3cret pass")
        code, stdout, _ = send(sample_pdf, untrusted, readers)
        assert code == 1 and not mailbox.messages
        assert "certificate of 127.0.0.1 is not trusted" in stdout and "ca_file" in stdout
        # Wrong credentials: refused, nothing sent.
        trusted = write_settings(workplace, port, security=security, ca_file=cert.name)
        monkeypatch.setenv("NEWSLETTER_SMTP_PASSWORD", "wrong")
        code, stdout, _ = send(sample_pdf, trusted, readers)
        assert code == 1 and not mailbox.messages and "refused the credentials" in stdout, stdout
        monkeypatch.setenv("NEWSLETTER_SMTP_PASSWORD", "s3cret pass")
        code, stdout, stderr = send(sample_pdf, trusted, readers)
        assert code == 0, stdout + stderr
        assert mailbox.per_reader() == Counter({a: 1 for a in addresses})
    finally:
        controller.stop()


def test_credentials_are_refused_in_the_settings_file_and_over_a_plain_connection(sample_pdf, server, workplace,
                                                                                  monkeypatch):
    mailbox, port = server
    readers, _ = write_readers(workplace, 2)
    settings = write_settings(workplace, port, password="hunter2")
    code, _, stderr = send(sample_pdf, settings, readers)
    assert code == 2
    assert re.search(r"distribution\.yaml:\d+:1: password: 'password' looks like a credential, which is never kept "
                     r"in a file: set NEWSLETTER_SMTP_USER and NEWSLETTER_SMTP_PASSWORD", stderr)
    settings = write_settings(workplace, port)
    monkeypatch.setenv("NEWSLETTER_SMTP_USER", "officer")
    monkeypatch.setenv("NEWSLETTER_SMTP_PASSWORD", "s3cret")
    code, _, stderr = send(sample_pdf, settings, readers)
    assert code == 2 and "never sent over an unencrypted connection" in stderr
    assert not mailbox.messages


class FakeClock:
    def __init__(self) -> None:
        self.time = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.slept.append(seconds)
            self.time += seconds


def test_the_rate_limit_spaces_messages_on_a_fake_clock(sample_pdf, server, workplace):
    mailbox, port = server
    clock = FakeClock()
    mailbox.clock = clock
    settings = write_settings(workplace, port)
    readers, addresses = write_readers(workplace, 5)
    out: list[str] = []
    started = time.monotonic()
    code = run(Options(SAMPLE, readers, sample_pdf, rate=12, settings_file=settings), out.append, out.append,
               clock=clock)
    assert code == 0, out
    assert time.monotonic() - started < 30  # 48 s of pacing, not waited for
    assert mailbox.arrivals == [1000.0, 1005.0, 1010.0, 1015.0, 1020.0]  # 12 a minute: one each 5 s
    assert mailbox.per_reader() == Counter({a: 1 for a in addresses})
    # From the settings file too; the option overrides it.
    clock2 = FakeClock()
    mailbox.clock, mailbox.arrivals = clock2, []
    settings = write_settings(workplace, port, rate=30, log="build/second-{number}.sqlite")
    assert run(Options(SAMPLE, readers, sample_pdf, settings_file=settings), out.append, out.append, clock=clock2) == 0
    assert mailbox.arrivals == [1000.0, 1002.0, 1004.0, 1006.0, 1008.0]


def test_a_pdf_over_the_budget_is_linked_instead(sample_pdf, server, workplace):
    mailbox, port = server
    readers, addresses = write_readers(workplace, 2)
    budget = sample_pdf.stat().st_size * 1.2 / 1024 / 1024  # the PDF fits, but not once base64 adds its third
    settings = write_settings(workplace, port, max_message_mb=f"{budget:.3f}")
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 2 and "there is no pdf_url" in stderr and not mailbox.messages
    url = "https://rocb-ap.example/newsletter/newsletter-{number:03d}.pdf"
    settings = write_settings(workplace, port, max_message_mb=f"{budget:.3f}", pdf_url=url)
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 0, stdout + stderr
    assert "linked to https://rocb-ap.example/newsletter/newsletter-079.pdf" in stdout
    for (_, raw), message in zip(mailbox.messages, mailbox.parsed()):
        assert len(raw) < budget * 1024 * 1024
        assert not list(message.iter_attachments())
        for kind in ("plain", "html"):
            body = message.get_body((kind,)).get_content()
            assert "https://rocb-ap.example/newsletter/newsletter-079.pdf" in body
            assert "too large to attach" in body
    # Within the budget the PDF is attached.
    settings = write_settings(workplace, port, max_message_mb=f"{budget * 1.2:.3f}", pdf_url=url,
                              log="build/attached.sqlite")
    assert send(sample_pdf, settings, readers)[0] == 0
    assert [len(list(m.iter_attachments())) for m in mailbox.parsed()[2:]] == [1, 1]


def test_dry_run_writes_each_message_as_an_eml_file_and_sends_nothing(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, None)  # no server needed
    readers, addresses = write_readers(workplace, 4)
    code, stdout, stderr = send(sample_pdf, settings, readers, "--dry-run", workplace / "outbox")
    assert code == 0, stdout + stderr
    files = sorted((workplace / "outbox").glob("*.eml"))
    assert len(files) == 4
    for path, address in zip(files, addresses):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert message["To"].addresses[0].addr_spec == address
        assert message["Subject"] == SUBJECT
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
        assert next(message.iter_attachments()).get_content() == sample_pdf.read_bytes()
    assert not mailbox.messages
    assert not (workplace / "build").exists()  # no send log


def test_recipient_problems_are_all_reported_at_their_lines_before_anything_is_sent(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    readers = workplace / "readers.csv"
    readers.write_text("email,name,language\n"
                       "good@customs.example,Good Reader,en\n"
                       "not-an-address,Bad One,en\n"
                       "\n"
                       "second@customs.example,Too,Many,Fields\n"
                       "third@customs.example,Third,english!\n"
                       ",No Address,\n"
                       "GOOD@Customs.Example,The Same Reader,\n", encoding="utf-8")
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 2
    lines = stderr.splitlines()
    assert any(re.match(r"readers\.csv:3:1: email: 'not-an-address' is not a valid e-mail address", l) for l in lines)
    assert any(l.startswith("readers.csv:5:1: 4 fields, but the first line names 3 columns") for l in lines)
    assert "readers.csv:6:29: language: 'english!' is not a language tag; write for example en, fr or zh-Hant" in lines
    assert "readers.csv:7:1: email: no address; every row needs one (or delete the row)" in lines
    assert lines[-1] == "4 problems; nothing was sent."
    assert not mailbox.messages and not (workplace / "build").exists()

    readers.write_text("email;name\ngood@customs.example;Good\n", encoding="utf-8")
    code, _, stderr = send(sample_pdf, settings, readers)
    assert code == 2 and "readers.csv:1:1: the columns are separated by ';', not ','" in stderr

    readers.write_text("Email,Name\ngood@customs.example,Good Reader\nGOOD@Customs.Example,Again\n"
                       "other@customs.example,\"Doe, Jane\"\n", encoding="utf-8")
    code, stdout, stderr = send(sample_pdf, settings, readers)
    assert code == 0, stdout + stderr
    assert ("note: readers.csv:3: GOOD@Customs.Example is listed already on line 2; this row is dropped "
            "(each reader gets one copy)") in stderr
    assert mailbox.per_reader() == Counter({"good@customs.example": 1, "other@customs.example": 1})
    assert mailbox.parsed()[1]["To"].addresses[0].display_name == "Doe, Jane"


def test_settings_problems_are_reported_like_an_issue_file(sample_pdf, workplace):
    readers, _ = write_readers(workplace, 1)
    settings = workplace / "distribution.yaml"
    settings.write_text("schema: 1\n"
                        "smtp: mail.example.org\n"
                        "securty: tls\n"
                        "from: nobody\n"
                        "rate: -5\n"
                        "pdf_url: http://example.org/{issue}.pdf\n", encoding="utf-8")
    code, _, stderr = send(sample_pdf, settings, readers)
    assert code == 2
    lines = stderr.splitlines()
    assert "distribution.yaml:3:1: securty: unknown key 'securty'; did you mean 'security'?" in lines
    assert any(l.startswith("distribution.yaml:5:7: rate: Input should be greater than or equal to 1") for l in lines)
    settings.write_text("schema: 1\nsmtp: mail.example.org\nfrom: nobody\npdf_url: http://example.org/{issue}.pdf\n",
                        encoding="utf-8")
    code, _, stderr = send(sample_pdf, settings, readers)
    lines = stderr.splitlines()
    assert any(l.startswith("distribution.yaml:2:7: smtp: 'mail.example.org' is not HOST:PORT") for l in lines)
    assert any(l.startswith("distribution.yaml:3:7: from: 'nobody' is not a valid e-mail address") for l in lines)
    assert any(l.startswith("distribution.yaml:4:10: pdf_url: 'http://example.org/{issue}.pdf' is not an https")
               for l in lines)
    settings.write_text("schema: 1\nsecurity: [tls\n", encoding="utf-8")
    code, _, stderr = send(sample_pdf, settings, readers)
    assert code == 2 and re.search(r"distribution\.yaml:\d+:\d+: YAML syntax error", stderr)
    settings.write_text("- smtp: a:1\n", encoding="utf-8")
    code, _, stderr = send(sample_pdf, settings, readers)
    assert code == 2 and "distribution.yaml:1:1: the settings must be a mapping of keys such as smtp" in stderr


def test_options_override_the_settings_file_and_what_is_missing_is_named(sample_pdf, server, workplace):
    mailbox, port = server
    readers, addresses = write_readers(workplace, 2)
    settings = write_settings(workplace, None, smtp="127.0.0.1:1")  # a port nobody listens on
    code, _, stderr = send(sample_pdf, settings, readers, "--smtp", f"127.0.0.1:{port}", "--security", "none",
                           "--from", "Other <other@rocb-ap.example>", "--reply-to", "desk@rocb-ap.example")
    assert code == 0, stderr
    message = mailbox.parsed()[0]
    assert message["From"] == "Other <other@rocb-ap.example>" and message["Reply-To"] == "desk@rocb-ap.example"
    assert mailbox.messages[0][0] == [addresses[0]]
    bare = workplace / "bare.yaml"
    bare.write_text("schema: 1\n", encoding="utf-8")
    code, _, stderr = send(sample_pdf, bare, readers, "--log", workplace / "other.sqlite")
    assert code == 2 and "no sender: give --from ADDRESS or in bare.yaml" in stderr
    code, _, stderr = send(sample_pdf, bare, readers, "--from", "x@rocb-ap.example")
    assert code == 2 and "no way to unsubscribe" in stderr
    code, _, stderr = send(sample_pdf, settings, readers, "--smtp", "nohost")
    assert code == 2 and "--smtp: 'nohost' is not HOST:PORT" in stderr


def test_a_proof_goes_to_one_address_outside_the_log(sample_pdf, server, workplace):
    mailbox, port = server
    settings = write_settings(workplace, port)
    code, stdout, stderr = send(sample_pdf, settings, None, "--test", "officer@rocb-ap.example")
    assert code == 0, stdout + stderr
    assert "Proof sent to officer@rocb-ap.example (250 2.0.0 accepted)" in stdout
    assert mailbox.per_reader() == Counter({"officer@rocb-ap.example": 1})
    assert mailbox.parsed()[0]["Subject"] == SUBJECT
    assert not (workplace / "build").exists()
    code, stdout, _ = send(sample_pdf, settings, None, "--status")
    assert code == 0 and "No send log at build/send-079.sqlite: nothing has been sent of No. 79" in stdout


def test_the_pdf_is_built_then_reused_and_the_settings_found_beside_the_issues(server, workplace):
    mailbox, port = server
    issue = make_issue(workplace / "issues" / "005")
    write_settings(workplace / "issues", port)
    readers, _ = write_readers(workplace, 2)
    code, stdout, stderr = run_cli("send", issue, "--recipients", readers)
    assert code == 0, stdout + stderr
    assert "build/newsletter-005.pdf (built, checked)" in stdout
    assert (workplace / "build" / "newsletter-005.pdf").is_file() and (workplace / "build" / "send-005.sqlite").is_file()
    attached = next(mailbox.parsed()[0].iter_attachments())
    assert attached.get_content() == (workplace / "build" / "newsletter-005.pdf").read_bytes()
    assert mailbox.parsed()[0]["Subject"] == "Test Newsletter No. 5"
    code, stdout, _ = run_cli("send", issue, "--recipients", readers, "--log", workplace / "again.sqlite")
    assert code == 0 and "build/newsletter-005.pdf (up to date, reused, checked)" in stdout
    # A PDF of another issue is refused.
    code, _, stderr = run_cli("send", issue, "--recipients", readers, "--pdf", SAMPLE / "issue.yaml")
    assert code == 2 and "not a PDF" in stderr


def test_a_pdf_of_another_issue_is_refused(sample_pdf, server, workplace):
    mailbox, port = server
    issue = make_issue(workplace / "issues" / "005")
    settings = write_settings(workplace, port)
    readers, _ = write_readers(workplace, 1)
    code, _, stderr = run_cli("send", issue, "--recipients", readers, "--settings", settings, "--pdf", sample_pdf)
    assert code == 2 and "failed its checks" in stderr and "Nothing was sent." in stderr
    assert not mailbox.messages


def test_two_runs_cannot_share_a_log(sample_pdf, server, workplace):
    from newsletter_pdf.send.log import SendLog

    mailbox, port = server
    settings = write_settings(workplace, port)
    readers, _ = write_readers(workplace, 1)
    with SendLog(workplace / "build" / "send-079.sqlite", 79):
        code, _, stderr = send(sample_pdf, settings, readers)
    assert code == 2 and "another 'newsletter send' is using this log" in stderr
    assert not mailbox.messages


def test_an_issue_with_template_text_left_in_is_not_sent(server, workplace):
    # issue 16: `send` implies --strict; "Write the foreword here" never reaches a reader
    mailbox, port = server
    assert run_cli("new", "7", "--issues-dir", workplace / "issues")[0] == 0
    settings = write_settings(workplace, port)
    readers, _ = write_readers(workplace, 2)
    code, _, stderr = run_cli("send", workplace / "issues" / "007", "--recipients", readers, "--settings", settings)
    assert code == 2 and "template text 'Write the foreword here' is still in" in stderr
    assert not mailbox.messages
