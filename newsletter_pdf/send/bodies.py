"""The two bodies of a message, plain text and HTML, from the issue's digest.

The HTML is what mail programs render well: one column at most 600 px wide, inline styles
only (Gmail and Outlook drop style sheets), no tables, no pictures (nothing remote to
load, nothing blocked), system fonts, and the plain-text body says the same.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from .content import Digest

WIDTH = 72
SANS = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
SERIF = "Georgia,'Times New Roman',serif"


@dataclass(frozen=True)
class Delivery:
    """How the reader gets the PDF: attached (``url`` None) or linked."""

    file_name: str
    size: int
    url: str | None = None

    def describe(self, pages: int) -> str:
        about = f"PDF, {size_text(self.size)}, {pages} pages"
        if self.url is None:
            return f"The full issue is attached: {self.file_name} ({about})."
        return f"The full issue ({about}) is too large to attach; download it from {self.url}"


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} kB"


def greeting(name: str) -> str:
    return f"Dear {name}," if name else "Dear reader,"


def text_body(digest: Digest, name: str, delivery: Delivery, unsubscribe: str | None) -> str:
    out = [digest.title, digest.masthead_line.replace("\u00a0", " "), digest.publisher, "",
           greeting(name), ""]
    if digest.quote:
        out += _wrap(f"\u201c{digest.quote}\u201d", "  ")
        if digest.quote_by:
            out += _wrap(f"\u2014 {digest.quote_by}", "  ")
        out.append("")
    out += _wrap(delivery.describe(digest.pages)) + [""]
    if digest.highlights:
        out += ["IN THIS ISSUE", ""]
        for highlight in digest.highlights:
            out += _wrap(highlight, "  * ", "    ")
        out.append("")
    out += ["CONTENTS (page, title)", ""]
    for line in digest.contents:
        indent = "  " * line.level
        out += _wrap(line.text, f"{line.page:>4}  {indent}", " " * 6 + indent)
    out.append("")
    if delivery.url is None:
        out += _wrap("The page numbers are those of the attached PDF; its contents page links to each section.")
    else:
        out += _wrap("The page numbers are those of the PDF; its contents page links to each section.")
    out.append("")
    out.append("-- ")
    out += _wrap(f"{digest.publisher}" + (f", {digest.website}" if digest.website else ""))
    if unsubscribe:
        out += _wrap(f"To receive no more issues: {unsubscribe}")
    return "\n".join(out) + "\n"


def _wrap(text: str, first: str = "", rest: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=first if rest is None else rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def html_body(digest: Digest, name: str, delivery: Delivery, unsubscribe: str | None) -> str:
    c = digest.colours
    e = escape
    parts = [
        f'<!DOCTYPE html>\n<html lang="{e(digest.language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{e(digest.subject)}</title>\n</head>\n',
        '<body style="margin:0;padding:0;background-color:#f2f4f7;">\n',
        f'<div style="max-width:600px;margin:0 auto;background-color:#ffffff;color:{c.text};'
        f'font-family:{SERIF};font-size:16px;line-height:1.5;">\n',
        # The masthead: the cover's band, in words.
        f'<div style="background-color:{c.primary};color:#ffffff;padding:24px 28px 22px 28px;'
        f'border-bottom:4px solid {c.accent};">\n'
        f'<div style="font-family:{SANS};font-size:12px;letter-spacing:1px;text-transform:uppercase;'
        f'color:#ffffff;">{e(digest.publisher)}</div>\n'
        f'<h1 style="margin:6px 0 4px 0;font-family:{SANS};font-size:26px;line-height:1.2;font-weight:bold;'
        f'color:#ffffff;">{e(digest.title)}</h1>\n'
        f'<div style="font-family:{SANS};font-size:16px;color:#ffffff;">{e(digest.masthead_line)}</div>\n</div>\n',
        f'<div style="padding:24px 28px 8px 28px;">\n<p style="margin:0 0 16px 0;">{e(greeting(name))}</p>\n',
    ]
    if digest.quote:
        by = (f'<br><span style="font-family:{SANS};font-style:normal;font-size:14px;color:{c.muted};">'
              f'\u2014 {e(digest.quote_by)}</span>') if digest.quote_by else ""
        parts.append(f'<p style="margin:0 0 20px 0;padding:2px 0 2px 16px;border-left:4px solid {c.accent};'
                     f'font-style:italic;">\u201c{e(digest.quote)}\u201d{by}</p>\n')
    parts.append(_delivery_html(digest, delivery))
    if digest.highlights:
        items = "".join(f'<li style="margin:0 0 6px 0;">{e(h)}</li>\n' for h in digest.highlights)
        parts.append(f'<div style="background-color:{c.tint};padding:16px 20px 10px 20px;margin:0 0 24px 0;">\n'
                     f'<h2 style="margin:0 0 10px 0;font-family:{SANS};font-size:17px;color:{c.primary};">'
                     f'In this issue</h2>\n<ul style="margin:0;padding:0 0 0 20px;">\n{items}</ul>\n</div>\n')
    parts.append(f'<h2 style="margin:0 0 8px 0;font-family:{SANS};font-size:17px;color:{c.primary};">Contents</h2>\n')
    for line in digest.contents:
        page = (f'<span style="font-family:{SANS};font-size:13px;color:{c.muted};white-space:nowrap;">'
                f'&nbsp;&nbsp;page&nbsp;{line.page}</span>')
        if line.group:
            parts.append(f'<p style="margin:14px 0 4px 0;font-family:{SANS};font-size:14px;font-weight:bold;'
                         f'color:{c.primary};"><span style="text-transform:uppercase;letter-spacing:0.5px;">'
                         f'{e(line.text)}</span>{page}</p>\n')
        else:
            indent = "16px" if line.level else "0"
            parts.append(f'<p style="margin:0 0 6px {indent};padding:0 0 6px 0;border-bottom:1px solid #e3e7ec;">'
                         f'{e(line.text)}{page}</p>\n')
    parts.append(f'<p style="margin:14px 0 16px 0;font-size:14px;color:{c.muted};">The page numbers are those of the '
                 f'{"attached " if delivery.url is None else ""}PDF; its contents page links to each section.</p>\n</div>\n')
    footer = e(digest.publisher)
    if digest.website:
        footer += f' \u00b7 <a href="{e(digest.website)}" style="color:{c.muted};">{e(digest.website)}</a>'
    if unsubscribe:
        footer += (f'<br>To receive no more issues, <a href="{e(unsubscribe)}" style="color:{c.muted};">'
                   f'unsubscribe</a>.')
    parts.append(f'<div style="padding:16px 28px 24px 28px;border-top:1px solid #e3e7ec;font-family:{SANS};'
                 f'font-size:12px;line-height:1.5;color:{c.muted};">{footer}</div>\n</div>\n</body>\n</html>\n')
    return "".join(parts)


def _delivery_html(digest: Digest, delivery: Delivery) -> str:
    c = digest.colours
    about = f"PDF, {size_text(delivery.size)}, {digest.pages} pages"
    if delivery.url is None:
        return (f'<p style="margin:0 0 24px 0;font-family:{SANS};font-size:15px;">The full issue is '
                f'attached: <strong>{escape(delivery.file_name)}</strong> ({about}).</p>\n')
    return (f'<p style="margin:0 0 8px 0;font-family:{SANS};font-size:15px;">The full issue ({about}) is too large '
            f'to attach.</p>\n<p style="margin:0 0 24px 0;"><a href="{escape(delivery.url)}" '
            f'style="display:inline-block;background-color:{c.primary};color:#ffffff;font-family:{SANS};'
            f'font-size:15px;font-weight:bold;text-decoration:none;padding:10px 18px;border-radius:4px;">'
            f'Download the issue (PDF)</a></p>\n')
