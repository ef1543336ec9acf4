"""Plain-text typography applied on the way from the model to markup.

Markdown-it's typographer already makes curly quotes, en and em dashes and ellipses
from the body text (``markdown.py``). Here, on every plain text run (titles, kickers,
captions, the contents and bookmarks too):

* Unicode NFC, so that a decomposed letter with its accents is the font's precomposed glyph;
* curly quotes and apostrophes for the straight ones left (``curly_quotes``);
* en dashes, closed up, in ranges of numbers, dates and months ("3–5 November");
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


# Ranges of numbers and dates take an en dash, closed up: "3 - 5 November", "3-5 November",
# "2022 - 2023", "October-December", "9:00 - 17:00". Not a phone number ("+66-2-667-6777"),
# an ISO date ("2022-10-21") or a code ("ISO 9001-2015"): an unspaced hyphen between figures
# counts only before a month, and between years only when the second is the later.
_RANGE_SPACED = re.compile(r"(?<![\d+\-/.])(\d{1,4}(?::\d\d)?) ?[-\u2013] ?(\d{1,4}(?::\d\d)?)(?![\d\-/])")
_RANGE_DAYS = re.compile(rf"(?<![\d+\-/.])(\d{{1,2}})-(\d{{1,2}})(?=\s(?:{_MONTHS})\b)")
_RANGE_YEARS = re.compile(r"(?<![\d+\-/.])((?:19|20)\d\d)-((?:19|20)\d\d)(?![\d\-/])")
_RANGE_MONTHS = re.compile(rf"\b({_MONTHS})\.? ?[-\u2013] ?({_MONTHS})\b")
EN_DASH = "\u2013"


def ranges(text: str) -> str:
    """En dashes in number, date and month ranges (see above)."""
    if "-" not in text and EN_DASH not in text:
        return text
    text = _RANGE_SPACED.sub(_spaced_range, text)
    text = _RANGE_DAYS.sub(rf"\1{EN_DASH}\2", text)
    text = _RANGE_YEARS.sub(lambda m: m.group(1) + (EN_DASH if m.group(2) > m.group(1) else "-") + m.group(2), text)
    return _RANGE_MONTHS.sub(rf"\1{EN_DASH}\2", text)


def _spaced_range(match: re.Match) -> str:
    spaced = match.group(0) != match.group(1) + "-" + match.group(2)
    # (an unspaced hyphen between bare figures is left: it may be a code or part of a number)
    return match.group(1) + EN_DASH + match.group(2) if spaced or EN_DASH in match.group(0) else match.group(0)


_OPENS_AFTER = set(" \t\n\u00a0([{\u2013\u2014-/\u201c\u2018")


def curly_quotes(text: str, before: str = " ") -> str:
    """Straight quotes and apostrophes made typographic by their place: an apostrophe inside or at
    the end of a word ("WCO's", "Islands'", "Nuku'alofa"), an opening quote after a space or an
    opening bracket, a closing one elsewhere. ``before``: the character before ``text`` (the end
    of the run before it). Markdown's typographer pairs the quotes of body text; this sets the
    ones it leaves (titles, captions, kickers; a quote whose partner the author left out)."""
    if "'" not in text and '"' not in text:
        return text
    out = []
    for index, char in enumerate(text):
        if char not in "'\"":
            out.append(char)
            continue
        previous = text[index - 1] if index else (before or " ")
        following = text[index + 1] if index + 1 < len(text) else " "
        opens = previous in _OPENS_AFTER and not following.isspace()
        if char == "'":
            elided_year = opens and re.match(r"\d\ds\b|\d\d\b", text[index + 1:index + 4])
            out.append("\u2018" if opens and not elided_year else "\u2019")
        else:
            out.append("\u201c" if opens else "\u201d")
    return "".join(out)


def typeset(text: str, before: str = " ") -> str:
    """NFC, curly quotes, en dashes in ranges, then no-break spaces; ``before``: the character
    before ``text`` in its paragraph, for the quotes."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return nbsp(ranges(curly_quotes(text, before)))
