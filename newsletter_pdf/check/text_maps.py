"""The fonts' ``/ToUnicode`` maps: every code's text is real text.

A reader that takes a glyph's text from the map (pdf.js, in Firefox, always; the others
outside ``/ActualText`` spans) shows an empty entry as the code itself (a control
character) or as U+FFFD, and an entry that maps to a control character, U+FFFD or a
private-use code point copies as that. So no entry may be empty or hold one of those.
"""

from __future__ import annotations

import re
import unicodedata

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from .result import CheckResult

NAME = "fonts' text maps (ToUnicode)"
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[([^\]]*)\]")


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _decode(hex_digits: bytes) -> str | None:
    digits = re.sub(rb"\s", b"", hex_digits)
    try:
        return bytes.fromhex(digits.decode("ascii")).decode("utf-16-be")
    except ValueError:
        return None


def map_faults(data: bytes) -> list[str]:
    """What is wrong in one ``/ToUnicode`` CMap: each bad entry as ``<code>: reason``."""
    faults = []
    for kind, body in _SECTION.findall(data):
        tokens = [m.group(0) for m in _HEX.finditer(body)]
        width = 2 if kind == b"bfchar" else 3
        for i in range(0, len(tokens) - width + 1, width):
            source, target = tokens[i], tokens[i + width - 1]
            targets = [t for t in re.findall(rb"<([^>]*)>", target)] if target.startswith(b"[") else [target[1:-1]]
            for hex_digits in targets:
                reason = _fault(_decode(hex_digits))
                if reason:
                    faults.append(f"{source.decode('ascii')}: {reason}")
    return faults


def _fault(text: str | None) -> str | None:
    if text is None:
        return "not UTF-16 text"
    if not text:
        return "empty"
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            return f"control character U+{ord(char):04X}"
        if char == "\ufffd":
            return "U+FFFD REPLACEMENT CHARACTER"
        if category in ("Co", "Cs"):
            return f"private-use code point U+{ord(char):04X}"
    return None


def check_text_maps(reader: PdfReader) -> CheckResult:
    failures: list[str] = []
    seen: set[int] = set()
    for page in reader.pages:
        resources = _resolve(page.get("/Resources")) or {}
        for ref in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(ref)
            to_unicode = font.get("/ToUnicode")
            if to_unicode is None:
                continue
            key = to_unicode.idnum if isinstance(to_unicode, IndirectObject) else id(to_unicode)
            if key in seen:
                continue
            seen.add(key)
            failures += [f"{font.get('/BaseFont')} {fault}" for fault in map_faults(_resolve(to_unicode).get_data())]
    if not failures:
        return CheckResult(NAME, True)
    return CheckResult(NAME, False, f"{len(failures)} entries a reader would copy wrongly", tuple(failures))
