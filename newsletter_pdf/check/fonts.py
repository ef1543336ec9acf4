"""Fonts: every font drawn is embedded; which glyphs of which font a page uses."""

from __future__ import annotations

import re

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from .result import CheckResult


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


_FONT_USE = re.compile(rb"/([^\s/\[\]()<>]+)\s+[-\d.]+\s+Tf")


def font_report(reader: PdfReader) -> dict[str, set[int]]:
    """Base font name -> pages (1-based) that draw text in it without an embedded font file."""
    unembedded: dict[str, set[int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        resources = _resolve(page.get("/Resources")) or {}
        fonts = _resolve(resources.get("/Font")) or {}
        # ReportLab shares one font dictionary between pages: look at the fonts each page really uses.
        contents = page.get_contents()
        used = {name.decode("latin-1") for name in _FONT_USE.findall(contents.get_data() if contents is not None else b"")}
        for key, ref in fonts.items():
            if key[1:] not in used:
                continue
            font = _resolve(ref)
            descriptor = _font_descriptor(font)
            embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if not embedded:
                unembedded.setdefault(str(font.get("/BaseFont")), set()).add(number)
    return unembedded


def _font_descriptor(font):
    if "/FontDescriptor" in font:
        return _resolve(font["/FontDescriptor"])
    for descendant in _resolve(font.get("/DescendantFonts")) or []:
        descendant = _resolve(descendant)
        if "/FontDescriptor" in descendant:
            return _resolve(descendant["/FontDescriptor"])
    return None


def check_fonts_embedded(reader: PdfReader) -> CheckResult:
    unembedded = font_report(reader)
    if not unembedded:
        return CheckResult("all fonts embedded", True)
    detail = "; ".join(f"{name} not embedded on page {', '.join(map(str, sorted(pages)[:5]))}"
                       for name, pages in sorted(unembedded.items()))
    return CheckResult("all fonts embedded", False, detail)
