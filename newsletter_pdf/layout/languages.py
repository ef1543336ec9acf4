"""The language of a run of text, from its script, for a tagged PDF's ``/Lang`` spans.

A screen reader chooses its voice by ``/Lang``. The document's language is on the
catalog; a run in another script is marked with the language that script is written in
here, in the Asia/Pacific region. Han characters are Japanese beside kana, Korean beside
Hangul, and otherwise the issue's language if it is Chinese, Japanese or Korean, else
Chinese. Scripts that several of the region's languages share (Latin, Cyrillic) are not
guessed: they take the issue's language.
"""

from __future__ import annotations

from bisect import bisect_right

_SCRIPTS = [  # (first, last, language), sorted
    (0x0370, 0x03FF, "el"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x1000, 0x109F, "my"),
    (0x1100, 0x11FF, "ko"),
    (0x1780, 0x17FF, "km"),
    (0x3040, 0x30FF, "ja"),
    (0x3130, 0x318F, "ko"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "ko"),
    (0xF900, 0xFAFF, "han"),
]
_FIRSTS = [first for first, _, _ in _SCRIPTS]
_CJK = ("zh", "ja", "ko")


def _script_language(char: str) -> str | None:
    code = ord(char)
    index = bisect_right(_FIRSTS, code) - 1
    if index >= 0 and code <= _SCRIPTS[index][1]:
        return _SCRIPTS[index][2]
    return None


def language_of(text: str, document_language: str) -> str | None:
    """The language tag to mark ``text`` with, or None where it is the document's (or not known)."""
    if text.isascii():
        return None
    found = None
    for char in text:
        language = _script_language(char)
        if language is None:
            continue
        if language in ("ja", "ko"):
            found = language
            break
        found = found or language
    if found == "han":
        primary = document_language.split("-")[0].lower()
        found = document_language if primary in _CJK else "zh"
    if found is None or found.split("-")[0] == document_language.split("-")[0].lower():
        return None
    return found
