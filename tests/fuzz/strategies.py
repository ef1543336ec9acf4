"""Hypothesis strategies for *valid* issues of format version 1 (``docs/issue-format.md``).

``issues()`` draws one issue as a ``GeneratedIssue``: the issue dict (dumped with
``yaml.safe_dump``, Markdown bodies as block literals) and the small JPEG pictures it
refers to. Everything is drawn procedurally through hypothesis' ``draw``, so a failing
issue shrinks: sections, blocks, items, rows and words fall away one by one.

What is generated (each at random lengths and positions):

* sections of kind article, report and message; groups (sometimes two with one title);
  a report as the first top-level entry; a foreword; messages and the foreword with
  signatures whose last paragraph carries a note;
* paragraphs, ``##``/``###`` headings, ordered and bullet lists nested up to four deep,
  block quotes (nested, holding lists), tables (long ones that repeat their header),
  figures and grids of figures with captions and credits, section pictures with
  caption/credit/alt, rules, hard line breaks, ``<sup>``, emphasis, links, bare URLs,
  e-mail addresses;
* note markers in paragraphs, any list item, table cells, header cells of long tables,
  quotes and figure captions; long notes (half a page and more, in several paragraphs);
  notes referenced twice; markers right after bare URLs;
* internal links ``[x](#anchor)`` to section titles' anchors, made as
  ``newsletter_pdf/layout/anchors.py`` makes them (GitHub's way: lower case, punctuation
  dropped, spaces as hyphens, ``-1`` for a repeat); headings' anchors are not generated;
* titles very long or holding one long unbreakable word;
* text in Latin (incl. Vietnamese), Greek, Cyrillic, Thai, Devanagari, Chinese,
  Japanese and Korean: scripts ``fonts/README.md`` lists as covered.

Every block of body text starts with a unique tag word (``P12``, ``L3``, ``C7``, ``N2``)
so that the "nothing is lost" invariant looks for words that occur only there.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st
from PIL import Image

LATIN = ("customs administration capacity building regional workshop members cooperation training data "
         "analytics programme integrity enforcement officers meeting participants experience development "
         "organization international trade facilitation border management risk assessment strategy "
         "implementation technical assistance knowledge sharing laboratory classification valuation "
         "the of and to in for with on by from a an as at this that their its which were was").split()
OTHER_SCRIPTS = {
    "vietnamese": "Tổng cục Hải quan Việt Nam đã tham dự hội thảo về quản lý rủi ro".split(),
    "greek": "Η τελωνειακή συνεργασία ενισχύει την ασφάλεια του διεθνούς εμπορίου".split(),
    "cyrillic": "Таможенное сотрудничество укрепляет безопасность международной торговли".split(),
    "thai": ["กรมศุลกากร", "ไทยร่วมกับ", "องค์การศุลกากรโลก", "จัดการประชุม", "เชิงปฏิบัติการ", "ผู้เข้าร่วม",
             "แลกเปลี่ยนประสบการณ์", "การบริหารความเสี่ยง", "น้ำใจ", "ปิ่นโต"],
    "devanagari": "विश्व सीमा शुल्क संगठन के क्षेत्रीय कार्यालय ने प्रत्येक सदस्य देश अधिकारियों प्रशिक्षण".split(),
    "chinese": ["海关合作理事会", "与亚太地区成员", "共同推动贸易便利化", "加强风险管理", "数据分析能力建设"],
    "japanese": ["世界税関機構", "アジア太平洋地域", "能力構築事務所は", "研修を実施しました", "データ分析"],
    "korean": "관세청은 세계관세기구 아시아 태평양 지역 회원국과 함께 세관 협력을 강화하고 있으며".split(),
}
SCRIPTS = ("latin",) * 6 + tuple(OTHER_SCRIPTS)
LANGUAGES = ("en",) * 6 + ("en-GB", "th", "ja", "ko", "zh", "hi", "vi")
URLS = ("https://www.rocb-ap.org", "https://www.wcoomd.org/en/topics/capacity-building.aspx",
        "http://example.org/a/very/long/path/that/goes/on/and/on/regional-workshop-on-risk-management-2022.html",
        "www.rocb-ap.org/en/news")
EMAILS = ("rocb@rocbap.org", "capacity-building-programme@rocb-ap.org")
PICTURE_SIZES = ((48, 32), (32, 48), (40, 40), (96, 24), (24, 96), (64, 48))


@dataclass
class GeneratedIssue:
    """One drawn issue: its dict, the pictures it needs (path -> pixel size), and notes on what it holds."""

    data: dict
    pictures: dict[str, tuple[int, int]] = field(default_factory=dict)
    features: set[str] = field(default_factory=set)

    def yaml(self) -> str:
        return dump_issue(self.data)

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "issue.yaml").write_text(self.yaml(), encoding="utf-8")
        for name, size in self.pictures.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                Image.new("RGB", size, (90 + size[0] % 100, 120, 150)).save(path, "JPEG", quality=60)
        return folder


class _Literal(str):
    """A string dumped as a YAML block literal (``|``)."""


def _literal(dumper: yaml.SafeDumper, value: _Literal):
    style = "|" if "\n" in value and not any(l != l.rstrip(" \t") for l in value.splitlines()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, _literal)


def dump_issue(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


def _plain(data):
    """The dict with block-literal strings as plain ``str`` (for invariants that read the dict)."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return str(data) if isinstance(data, str) else data


class _Gen:
    """The procedural generator: one instance per drawn issue, drawing through hypothesis' ``draw``."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.counter = 0
        self.pictures: dict[str, tuple[int, int]] = {}
        self.features: set[str] = set()
        self.internal_links = False

    # Small helpers ----------------------------------------------------------------------

    def int(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def chance(self, one_in: int) -> bool:
        """True about once in ``one_in`` draws (shrinks to False)."""
        return self.draw(st.integers(0, one_in - 1)) == one_in - 1

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def tag(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def words(self, lo: int, hi: int, script: str | None = None) -> list[str]:
        """Words of one script (mostly Latin)."""
        script = script or self.pick(SCRIPTS)
        vocabulary = LATIN if script == "latin" else OTHER_SCRIPTS[script]
        if script != "latin":
            self.features.add(f"script:{script}")
        # Two draws, however long the text: its length, and a seed for the words themselves.
        count = self.int(max(lo, 1), max(hi, lo, 1))
        rng = random.Random(self.draw(st.integers(0, 1 << 16)))
        return [rng.choice(vocabulary) for _ in range(count)]

    def picture(self) -> str:
        name = f"images/p{len(self.pictures) + 1}.jpg"
        self.pictures[name] = self.pick(PICTURE_SIZES)
        return name

    # Inline text -------------------------------------------------------------------------

    def inline(self, lo: int, hi: int, notes: "_Notes | None", tag: str | None = None, breaks: bool = True,
               marker_chance: int = 4, links: bool = True) -> str:
        """A run of Markdown inline text: words with emphasis, links, URLs, e-mails, ordinals, breaks, markers."""
        out = self.words(lo, hi)
        # A few decorations and markers at drawn positions (a draw per word would make long texts slow).
        for _ in range(self.int(0, 3)):
            at = self.int(0, len(out) - 1)
            word = out[at]
            kind = self.int(0, 8)
            if kind == 1:
                out[at] = f"*{word}*"
                self.features.add("emphasis")
            elif kind == 2:
                out[at] = f"**{word}**"
                self.features.add("strong")
            elif kind == 3 and links:
                out[at] = f"[{word}]({self.pick(URLS[:2])})"
                self.features.add("link")
            elif kind == 4:
                out[at] = f"{word} {self.pick(URLS)}"
                self.features.add("bare-url")
                if notes is not None and self.chance(6):
                    out[at] += notes.marker()  # a marker right after a bare URL
                    self.features.add("marker-after-url")
            elif kind == 5:
                out[at] = f"{word} {self.pick(EMAILS)}"
                self.features.add("email")
            elif kind == 6:
                out[at] = f"{word} {self.int(1, 31)}<sup>th</sup>"
                self.features.add("sup")
            elif kind == 7 and breaks and at:
                out[at] = "\\\n" + word  # a hard line break before the word
                self.features.add("hard-break")
            elif kind == 8 and self.internal_links and links:
                out[at] = f"[{word}](#@{self.int(0, 99)}@)"  # an anchor, chosen once every title is known
                self.features.add("internal-link")
        if notes is not None:
            for _ in range(self.int(0, 1 + (len(out) > 30) + (marker_chance < 4))):
                at = self.int(0, len(out) - 1)
                out[at] += notes.marker()
        if tag:
            out.insert(0, tag)
        return " ".join(out).replace(" \\\n", "\\\n")

    def title(self) -> str:
        kind = self.int(0, 8)
        tag = self.tag("T")
        if kind == 7:
            self.features.add("title-long")
            return " ".join([tag] + self.words(20, 70, "latin")).title()
        if kind == 8:
            self.features.add("title-unbreakable")
            return f"{tag} " + "".join(self.words(8, 40, "latin")).capitalize()
        return " ".join([tag] + self.words(1, 10)).title()

    # Blocks ----------------------------------------------------------------------------

    def paragraph(self, notes: "_Notes | None", lo: int = 3, hi: int = 60) -> str:
        return self.inline(lo, hi, notes, self.tag("P"))

    def list_block(self, notes: "_Notes | None", depth: int = 0) -> str:
        ordered = self.draw(st.booleans())
        start = self.int(1, 30) if ordered and self.chance(4) else 1
        items = []
        count = self.int(1, 5)
        self.features.add(f"list-depth:{depth + 1}")
        for n in range(count):
            bullet = f"{start + n}. " if ordered else "- "
            indent = " " * len(bullet)
            text = self.inline(1, 40, notes, self.tag("L"), marker_chance=2)
            parts = [text]
            if depth < 3 and self.chance(4):
                parts.append(self.list_block(notes, depth + 1))
            if self.chance(8):
                parts.append(self.paragraph(notes, 2, 30))
            body = "\n\n".join(parts)
            lines = body.split("\n")
            items.append(bullet + lines[0] + "".join("\n" + (indent + l if l else "") for l in lines[1:]))
        return "\n".join(items) if not any("\n\n" in i for i in items) else "\n\n".join(items)

    def quote(self, notes: "_Notes | None", depth: int = 0) -> str:
        self.features.add("quote")
        parts = []
        for _ in range(self.int(1, 4)):
            kind = self.int(0, 5)
            if kind == 4:
                parts.append(self.list_block(notes, 1))
            elif kind == 5 and depth < 2:
                parts.append(self.quote(notes, depth + 1))
            else:
                parts.append(self.paragraph(notes, 3, 40))
        if self.chance(10):
            self.features.add("quote-tall")
            parts += [self.paragraph(notes, 150, 200) for _ in range(4)]
        return "\n".join("> " + l if l else ">" for l in "\n\n".join(parts).split("\n"))

    def table(self, notes: "_Notes | None") -> str:
        self.features.add("table")
        columns = self.int(1, 6)
        rows = self.int(1, 8)
        if self.chance(3):
            rows = self.int(30, 70)
            self.features.add("table-long")
        head_markers = notes is not None and rows >= 30 and self.chance(2)
        header = []
        for _ in range(columns):
            cell = self.inline(1, 4, None, self.tag("H"), breaks=False)
            if head_markers and self.chance(2):
                cell += notes.marker()
                self.features.add("marker-in-header")
            header.append(cell)
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(self.pick(("---", ":--", "--:", ":-:"))
                                                         for _ in range(columns)) + "|"]
        phrase_rows = []
        for r in range(rows):
            if r < 6 or not phrase_rows:
                cells = [self.inline(1, 30 if self.chance(4) else 8, notes, self.tag("C"), breaks=False, marker_chance=3)
                         for _ in range(columns)]
            else:  # long tables: rows after the sixth repeat a drawn row, with their own tags
                base = phrase_rows[r % len(phrase_rows)]
                cells = [f"{self.tag('C')} " + c.split(" ", 1)[-1] for c in base]
            phrase_rows.append(cells)
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def figure(self, notes: "_Notes | None") -> str:
        count = 1 if self.draw(st.booleans()) else self.int(2, 5)
        self.features.add("figure" if count == 1 else "grid")
        lines = []
        for _ in range(count):
            caption = self.inline(1, 25, notes, self.tag("F"), breaks=False, links=False) if self.int(0, 4) else ""
            credit = f' "{" ".join(self.words(1, 4, "latin"))}"' if self.draw(st.booleans()) else ""
            lines.append(f"![{caption}]({self.picture()}{credit})")
        return "\n".join(lines)

    def heading(self) -> str:
        level = self.pick(("##", "###"))
        self.features.add(f"heading:{level}")
        return f"{level} " + self.inline(1, 12 if not self.chance(8) else 40, None, self.tag("H"), breaks=False)

    def body(self, notes: "_Notes", lo: int = 0, hi: int = 8, last_with_note: bool = False) -> str:
        blocks = []
        for _ in range(self.int(lo, hi)):
            kind = self.int(0, 12)
            if kind <= 3:
                blocks.append(self.paragraph(notes))
            elif kind == 4:
                blocks.append(self.heading())
            elif kind == 5:
                blocks.append(self.list_block(notes))
            elif kind == 6:
                blocks.append(self.quote(notes))
            elif kind == 7:
                blocks.append(self.table(notes))
            elif kind == 8:
                blocks.append(self.figure(notes))
            elif kind == 9:
                blocks.append(self.pick(("---", "***")))
                self.features.add("rule")
            elif kind == 10 and self.chance(2):
                blocks.append(self.paragraph(notes, 60, 400))
            else:
                blocks.append(self.paragraph(notes, 3, 30))
        if last_with_note:
            self.features.add("signature-note")
            blocks.append(self.paragraph(None, 3, 80) + notes.marker(new=True))
        text = "\n\n".join(blocks)
        return _Literal(text + ("\n\n" + notes.definitions(self) if notes.used else "") + "\n")

    def letter(self) -> str:
        """A letter of text alone (paragraphs, now and then a heading) of about one to two
        text-column pages: too long for the text column, it may be set in two columns."""
        self.features.add("letter")
        blocks = [self.heading() if self.chance(6) else self.paragraph(None, 40, 130) for _ in range(self.int(4, 12))]
        return _Literal("\n\n".join(blocks) + "\n")

    # Sections --------------------------------------------------------------------------

    def signature(self) -> dict:
        out = {"name": " ".join(self.words(1, 4, "latin")).title()}
        if self.draw(st.booleans()):
            out["closing"] = "Kind regards,"
        if self.draw(st.booleans()):
            out["native_name"] = "".join(self.words(1, 2, self.pick(("chinese", "japanese", "korean", "thai"))))
        if self.draw(st.booleans()):
            out["role"] = " ".join(self.words(1, 8, "latin")).capitalize()
        return out

    def section(self, kind: str | None = None) -> dict:
        kind = kind or self.pick(("article", "report", "message"))
        self.features.add(f"kind:{kind}")
        notes = _Notes(self)
        out: dict = {"title": self.title()}
        if self.chance(5):
            out["toc_title"] = " ".join([self.tag("T")] + self.words(1, 5, "latin")).title()
        if kind != "article" or self.draw(st.booleans()):
            out["kind"] = kind
        if self.chance(4):
            out["authors"] = [{"name": " ".join(self.words(1, 3, "latin")).title(),
                               **({"role": " ".join(self.words(1, 6, "latin")).capitalize()} if self.draw(st.booleans()) else {}),
                               **({"photo": self.picture()} if self.draw(st.booleans()) else {})}
                              for _ in range(self.int(1, 3))]
        if kind == "report" or self.chance(5):
            out["date"] = f"{self.int(1, 28)} October 2022"
            if self.draw(st.booleans()):
                out["place"] = " ".join(self.words(1, 3)).title()
        if self.chance(4):
            self.features.add("section-images")
            out["images"] = []
            for _ in range(self.int(1, 4)):
                picture = {"file": self.picture()}
                for key in ("caption", "credit", "alt"):
                    if self.draw(st.booleans()):
                        picture[key] = " ".join([self.tag("F")] + self.words(1, 12))
                out["images"].append(picture)
        signed = kind == "message" and self.draw(st.booleans())
        last_note = signed and self.int(0, 2) > 0
        if kind == "message" and not last_note and self.chance(3):
            out["body"] = self.letter()
        else:
            out["body"] = self.body(notes, 0 if not last_note else 1, 8, last_with_note=last_note)
        if signed:
            out["signature"] = self.signature()
        return out


class _Notes:
    """The notes of one section: markers drawn as the body is written, definitions at the end."""

    def __init__(self, gen: _Gen) -> None:
        self.gen = gen
        self.used: list[str] = []

    def marker(self, new: bool = False) -> str:
        self.gen.features.add("marker")
        if self.used and not new and self.gen.chance(4):
            self.gen.features.add("note-referenced-twice")
            return f"[^{self.gen.pick(self.used)}]"
        label = str(len(self.used) + 1) if self.gen.draw(st.booleans()) else f"n{len(self.used) + 1}"
        self.used.append(label)
        return f"[^{label}]"

    def definitions(self, gen: _Gen) -> str:
        out = []
        for label in self.used:
            size = gen.int(0, 6)
            if size == 6 and gen.chance(2):
                gen.features.add("note-long")
                paragraphs = [gen.inline(150, 350, None, gen.tag("N"), breaks=False) for _ in range(gen.int(1, 2))]
            else:
                paragraphs = [gen.inline(2, 40, None, gen.tag("N"), breaks=False)]
                if gen.chance(5):
                    paragraphs.append(gen.inline(2, 40, None, gen.tag("N"), breaks=False))
            out.append(f"[^{label}]: " + "\n\n".join(paragraphs).replace("\n\n", "\n\n    "))
        return "\n\n".join(out)


def slug(text: str) -> str:
    """The anchor a title makes (``newsletter_pdf/layout/anchors.py``, as GitHub makes them)."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(data: dict) -> list[str]:
    """The anchors of the issue's section titles (the foreword's first), a repeated one numbered."""
    titles = [data["foreword"].get("title", "Foreword")] if data.get("foreword") else []
    for entry in data["sections"]:
        titles += [s["title"] for s in entry.get("sections", [entry])]
    out: list[str] = []
    for title in titles:
        anchor, n = slug(title), 0
        while (anchor if not n else f"{anchor}-{n}") in out:
            n += 1
        out.append(anchor if not n else f"{anchor}-{n}")
    return out


def _resolve_links(data: dict) -> None:
    """Internal links were drawn as ``#@k@``: now that every title is known, ``k`` picks an anchor."""
    names = anchors(data)

    def fix(body: str) -> _Literal:
        return _Literal(re.sub(r"#@(\d+)@", lambda m: "#" + names[int(m.group(1)) % len(names)], body))

    sections = [data["foreword"]] if data.get("foreword") else []
    for entry in data["sections"]:
        sections += entry.get("sections", [entry])
    for section in sections:
        if "#@" in section.get("body", ""):
            section["body"] = fix(section["body"])


@st.composite
def issues(draw) -> GeneratedIssue:
    """A valid issue, at random."""
    gen = _Gen(draw)
    number = gen.int(1, 999)
    data: dict = {"schema": 1, "title": " ".join(gen.words(1, 6)).title(), "number": number,
                  "date": datetime.date(2024, 1, 1) + datetime.timedelta(days=gen.int(0, 700)),
                  "publisher": " ".join(gen.words(1, 4, "latin")).title()}
    if draw(st.booleans()):
        data["period"] = "October – December 2022"
    language = gen.pick(LANGUAGES)
    if language != "en":
        data["language"] = language
    if gen.chance(3):
        data["cover"] = {"highlights": [" ".join(gen.words(1, 8)) for _ in range(gen.int(0, 4))]}
        if draw(st.booleans()):
            data["cover"]["image"] = gen.picture()
    has_foreword = gen.chance(3)
    layout = [gen.int(1, 3) if gen.chance(3) else 0 for _ in range(gen.int(1, 5))]  # 0: a section; n: a group of n
    gen.internal_links = gen.chance(6)
    if has_foreword:
        notes = _Notes(gen)
        foreword = {}
        if draw(st.booleans()):
            foreword["title"] = gen.title()
        signed = draw(st.booleans())
        if gen.chance(3):
            foreword["body"] = gen.letter()
        else:
            foreword["body"] = gen.body(notes, 1, 6, last_with_note=signed and draw(st.booleans()))
        if signed:
            foreword["signature"] = gen.signature()
        data["foreword"] = foreword
        gen.features.add("foreword")
    sections = []
    group_titles: list[str] = []
    for i, size in enumerate(layout):
        if size:
            title = gen.pick(group_titles) if group_titles and gen.chance(3) else " ".join(
                [gen.tag("G")] + gen.words(1, 5, "latin")).title()
            if title in group_titles:
                gen.features.add("groups-equal-titles")
            group_titles.append(title)
            sections.append({"group": title, "sections": [gen.section() for _ in range(size)]})
            gen.features.add("group")
        else:
            sections.append(gen.section("report" if i == 0 and gen.chance(4) else None))
    if "kind" in sections[0] and sections[0]["kind"] == "report":
        gen.features.add("report-first")
    data["sections"] = sections
    if gen.internal_links:
        _resolve_links(data)
    if gen.chance(3):
        data["back_cover"] = {"organisation": "WORLD CUSTOMS ORGANIZATION", "email": "rocb@rocbap.org",
                              "website": "http://www.rocb-ap.org", "staff": ["Mr. A. B", "Ms. C. D"]}
    return GeneratedIssue(data, gen.pictures, gen.features)
