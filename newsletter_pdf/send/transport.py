"""The connection to the mail server (smtplib), and what each failure means for the reader.

A message is sent as MAIL, RCPT and DATA one by one rather than with ``sendmail``, so
that a lost connection can be placed: lost before the end of the message reached the
server, the message was certainly not delivered and may be sent again; lost after it,
while waiting for the server's reply, it may have been delivered (``MaybeDelivered``).
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from dataclasses import dataclass

from .settings import Settings


class TemporaryFailure(Exception):
    """A 4xx reply, or a connection lost or refused: worth another try, later.

    ``connection``: the server could not be reached or dropped the line, which would befall
    the next reader too; else a reply about this reader (a full mailbox, greylisting)."""

    def __init__(self, message: str, connection: bool = False) -> None:
        super().__init__(message)
        self.connection = connection


class PermanentFailure(Exception):
    """A 5xx reply about this reader: recorded, never retried."""


class MaybeDelivered(Exception):
    """The connection was lost after the whole message was sent, before the server replied."""


class ServerRefused(Exception):
    """The server cannot be used at all (an untrusted certificate, no STARTTLS, wrong credentials)."""


@dataclass
class Reply:
    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


def _reply(code: int, text: bytes | str) -> Reply:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return Reply(code, " ".join(text.split())[:300])


def _dot_stuffed(data: bytes) -> bytes:
    """RFC 5321 4.5.2: a line that starts with a dot gets another; the message ends with CRLF.CRLF."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


class SmtpTransport:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        # How far the message in hand got: "" not begun (or refused), "data" its bytes going out, "reply"
        # all sent, waiting for the server's word, "accepted" the server took it. From "data" on it may
        # have been delivered; what Ctrl-C interrupted is recorded by this.
        self.phase = ""

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.settings.ca_file) if self.settings.ca_file else None)
        return context

    def connect(self) -> None:
        s = self.settings
        try:
            if s.security == "tls":
                smtp = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.timeout, context=self._tls_context())
            else:
                smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout)
            try:
                smtp.ehlo()
                if s.security == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise ServerRefused(f"{s.smtp_host}:{s.smtp_port} does not offer STARTTLS; use --security tls "
                                            "(port 465) or, on a trusted network only, --security none")
                    smtp.starttls(context=self._tls_context())
                    smtp.ehlo()
                if s.user:
                    smtp.login(s.user, s.password)
            except BaseException:
                smtp.close()
                raise
        except ssl.SSLCertVerificationError as error:
            raise ServerRefused(f"the certificate of {s.smtp_host} is not trusted ({error.verify_message}); "
                                "if it is your own server's, name its certificate with ca_file in the settings") from None
        except smtplib.SMTPAuthenticationError as error:
            raise ServerRefused(f"{s.smtp_host} refused the credentials ({_reply(error.smtp_code, error.smtp_error)}); "
                                "check NEWSLETTER_SMTP_USER and NEWSLETTER_SMTP_PASSWORD") from None
        except smtplib.SMTPNotSupportedError as error:
            raise ServerRefused(f"{s.smtp_host}: {error}") from None
        except smtplib.SMTPResponseException as error:
            reply = _reply(error.smtp_code, error.smtp_error)
            if 400 <= error.smtp_code < 500:
                raise TemporaryFailure(f"server busy: {reply}", connection=True) from None
            raise ServerRefused(f"{s.smtp_host} refused the connection: {reply}") from None
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(f"cannot reach {s.smtp_host}:{s.smtp_port}: {_describe(error)}",
                                   connection=True) from None
        self.smtp = smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def drop(self) -> None:
        """Forget a connection that failed, without a word to the server."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def send(self, sender: str, recipient: str, data: bytes) -> Reply:
        """Send one message; its 250 reply, or one of the failures above."""
        if self.smtp is None:
            self.connect()
        smtp = self.smtp
        self.phase = ""
        try:
            code, text = smtp.mail(sender)
            if 500 <= code < 600:  # the sender refused, so every reader would be: no use going on
                self.drop()
                raise ServerRefused(f"{self.settings.smtp_host} refuses to send from {sender}: {_reply(code, text)}")
            if code != 250:
                self._refused(code, text)
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._refused(code, text)
            code, text = smtp.docmd("DATA")
            if code != 354:
                self._refused(code, text)
            stuffed = _dot_stuffed(data)
            self.phase = "data"
            smtp.send(stuffed)  # all of it, or an error: the end of the message goes last
            self.phase = "reply"
            code, text = smtp.getreply()
            if code != 250:
                self._refused(code, text)
            self.phase = "accepted"  # until the next message: the run records it as sent
            return _reply(code, text)
        except (TemporaryFailure, PermanentFailure, ServerRefused):
            self.phase = ""
            raise
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self.drop()
            delivered_maybe, self.phase = self.phase == "reply", ""
            if delivered_maybe:
                raise MaybeDelivered(f"the connection was lost while waiting for the server's reply "
                                     f"({_describe(error)})") from None
            raise TemporaryFailure(f"the connection was lost ({_describe(error)})", connection=True) from None

    def _refused(self, code: int, text: bytes) -> None:
        reply = _reply(code, text)
        self.phase = ""
        try:
            self.smtp.rset()  # the next message starts a clean transaction
        except (OSError, smtplib.SMTPException):
            self.drop()
        if code == 421:
            self.drop()  # the server is closing this connection
        if 500 <= code < 600:
            raise PermanentFailure(str(reply))
        raise TemporaryFailure(str(reply), connection=code == 421)


def _describe(error: BaseException) -> str:
    if isinstance(error, socket.timeout):
        return "no reply in time"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return " ".join(str(error).split()) or type(error).__name__
