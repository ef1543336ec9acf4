"""One message for one reader, built with the standard library's ``email`` package.

multipart/mixed: a multipart/alternative (plain text, then HTML) and the PDF as
``application/pdf`` when the whole encoded message stays within the size budget;
otherwise no attachment, and both bodies link to ``pdf_url`` and say why.
"""

from __future__ import annotations

import datetime
import functools
import secrets
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime
from urllib.parse import quote

from .bodies import Delivery, html_body, text_body
from .content import Digest
from .pdf import CheckedPdf
from .recipients import Recipient
from .settings import SendInputError, Settings, header_address

WIRE = policy.SMTP  # CRLF line ends, as the message travels and as its size is counted


def unsubscribe_links(settings: Settings, email: str) -> tuple[str | None, str | None]:
    """The reader's one-click (https) and mailto unsubscribe addresses, as configured."""
    url = settings.unsubscribe_url.format(email=quote(email, safe="")) if settings.unsubscribe_url else None
    mailto = f"mailto:{settings.unsubscribe_mailto}?subject=unsubscribe" if settings.unsubscribe_mailto else None
    return url, mailto


def new_message_id(settings: Settings, number: int) -> str:
    """A unique id, short enough that the header is never folded (some parsers keep the fold's space)."""
    return f"<{secrets.token_hex(12)}.no{number}@{header_address(settings.sender).domain}>"


def compose(digest: Digest, recipient: Recipient, settings: Settings, pdf: CheckedPdf, delivery: Delivery,
            message_id: str, date: datetime.datetime | None = None) -> EmailMessage:
    message = EmailMessage(policy=policy.default)
    message["From"] = header_address(settings.sender)
    if settings.reply_to:
        message["Reply-To"] = header_address(settings.reply_to)
    message["To"] = Address(display_name=recipient.name, addr_spec=recipient.email)
    message["Subject"] = digest.subject
    message["Date"] = format_datetime(date or datetime.datetime.now(datetime.timezone.utc).astimezone())
    message["Message-ID"] = message_id
    url, mailto = unsubscribe_links(settings, recipient.email)
    message["List-Unsubscribe"] = ", ".join(f"<{link}>" for link in (url, mailto) if link)
    if url:
        # RFC 8058: the https address unsubscribes on a POST with this body, no page to click through.
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    shown = url or mailto
    message.set_content(text_body(digest, recipient.name, delivery, shown), cte="quoted-printable")
    message.add_alternative(html_body(digest, recipient.name, delivery, shown), subtype="html",
                            cte="quoted-printable")
    if delivery.url is None:
        message.make_mixed()
        message.attach(pdf_part(pdf, delivery.file_name))
    # Last: building the multipart moves every Content-* header set before into its first part.
    message["Content-Language"] = digest.language
    return message


@functools.lru_cache(maxsize=2)
def pdf_part(pdf: CheckedPdf, file_name: str) -> MIMEPart:
    """The attachment, base64-encoded once and shared by every reader's message (it never changes)."""
    part = MIMEPart(policy=policy.default)
    part.set_content(pdf.data, maintype="application", subtype="pdf", disposition="attachment", filename=file_name)
    return part


def encoded(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=WIRE)


def plan_delivery(digest: Digest, recipients: list[Recipient], settings: Settings, pdf: CheckedPdf,
                  file_name: str) -> tuple[Delivery, int]:
    """Attach or link, one choice for the whole list, and the largest message's size.

    The choice is made on the reader whose message is longest (the longest name and address),
    so that no reader's message goes over the budget.
    """
    longest = max(recipients, key=lambda r: len(r.email) + len(r.name.encode()))
    attached = Delivery(file_name, len(pdf.data))
    size = len(encoded(compose(digest, longest, settings, pdf, attached, new_message_id(settings, digest.number))))
    if size <= settings.budget_bytes:
        return attached, size
    url = settings.download_url(digest.number)
    budget = f"{settings.budget_bytes / 1024 / 1024:.1f} MB"
    if not url:
        raise SendInputError(f"with the PDF attached a message is {size / 1024 / 1024:.1f} MB, over the budget of "
                             f"{budget}, and there is no pdf_url to link to instead: set pdf_url in the settings "
                             "(where the PDF can be downloaded), or raise max_message_mb")
    linked = Delivery(file_name, len(pdf.data), url)
    size = len(encoded(compose(digest, longest, settings, pdf, linked, new_message_id(settings, digest.number))))
    return linked, size
