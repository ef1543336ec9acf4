"""Plain-text typography applied on the way from the model to markup.

Markdown-it's typographer already makes curly quotes, en and em dashes and ellipses
from the source (``markdown.py``). Here, on every plain text run:

* Unicode NFC, so that a decomposed letter with its accents is the font's precomposed glyph;
* a no-break space where a line must not break: after an abbreviated title or reference
  ("Mr.", "Ms.", "Dr.", "No.", "p.", "Fig."), between a number and its unit or a month
  ("2 weeks", "10 km", "10 October", "October 10"), and before an en dash or em dash that
  opens an aside, so it does not start a line.
"""

from __future__ import annotations

import re
import unicodedata

NBSP = "\u00a0"

_PERSONAL = r"Mr|Mrs|Ms|Mx|Dr|Prof|Messrs|Mmes|Hon|Rev|Sir|Dame|H\.E|Amb"
_REFERENCE = r"No|Nos|no|nos|Nr|p|pp|Vol|vol|Vols|Fig|fig|Figs|Art|art|Arts|Sec|sec|Ch|ch|Chap|Para|para|Ref|ref"
_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_UNITS = (r"%|‰|°C|°F|°|km|m|cm|mm|µm|nm|kg|g|mg|t|tonnes?|tons?|l|ml|mL|ha|km²|m²|m³|"
          r"s|ms|min|mins|h|hrs?|hours?|minutes?|seconds?|days?|weeks?|months?|years?|decades?|"
          r"per\s?cent|percent|pages?|times|thousand|million|billion|trillion|bn|"
          r"USD|EUR|GBP|JPY|KRW|THB|CNY|INR|AUD|SGD|VND|IDR|MYR|PHP|kB|MB|GB|TB")
_CURRENCIES = r"USD|EUR|GBP|JPY|KRW|THB|CNY|INR|AUD|SGD|VND|IDR|MYR|PHP|US\$|A\$|S\$"
_SPACES = r"[ \t]+"

# Each rule: the text that keeps the next word with it, the spaces (replaced by one
# no-break space), and a lookahead for what must follow.
_RULES = tuple(re.compile(rf"(?P<head>{head}){_SPACES}(?={after})") for head, after in (
    # "Mr. Kuramoto", "Ms Yu", "Dr. Lee"
    (rf"\b(?:{_PERSONAL})\.?", r"[A-Z\u00c0-\u024f\u0370-\u04ff]"),
    # "No. 79", "p. 5", "Fig. 3", "Vol. II"
    (rf"\b(?:{_REFERENCE})\.", r"(?:\d|[IVXLC]+\b)"),
    # "10 October", "October 10", "10 Oct."
    (r"\b\d{1,2}", rf"(?:{_MONTHS})\b"),
    (rf"\b(?:{_MONTHS})\.?", r"\d{1,2}\b"),
    # "2 weeks", "10 km", "15 %", "3 million", "USD 20"
    (r"\b\d[\d,.]*", rf"(?:{_UNITS})(?!\w)"),
    (rf"\b(?:{_CURRENCIES})", r"\d"),
    # an aside's opening dash keeps to the word before it: "text – aside"
    (r"[\w,.;:!?)\]'’\"”]", r"[–—](?:[ \t]|$)"),
))


def nbsp(text: str) -> str:
    """``text`` with no-break spaces where a line must not break (see the module's doc)."""
    if " " not in text and "\t" not in text:
        return text
    for rule in _RULES:
        text = rule.sub(_tie, text)
    return text


def _tie(match: re.Match) -> str:
    return match.group("head") + NBSP


def typeset(text: str) -> str:
    """NFC, then no-break spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return nbsp(text)
