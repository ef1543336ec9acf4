"""Synthetic issues of any size, seeded, for tests and benchmarks.

The text is made of ordinary English words so that hyphenation, justification and
line breaking behave as they do on real copy.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from PIL import Image

WORDS = ("customs administration capacity building regional workshop members cooperation training data "
         "analytics programme integrity enforcement officers meeting participants experience development "
         "organization international trade facilitation border management risk assessment strategy "
         "implementation technical assistance knowledge sharing laboratory classification valuation "
         "the of and to in for with on by from a an as at this that their its which were was").split()


def sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def title(rng: random.Random, lines: int) -> str:
    """A title that sets on about ``lines`` lines at title size."""
    return " ".join(rng.choice(WORDS) for _ in range(5 * lines)).title()


def body(rng: random.Random, paragraphs: int, notes: int = 0, table_rows: int = 0) -> str:
    parts: list[str] = []
    for p in range(paragraphs):
        if p and p % 4 == 0:
            parts.append(f"## {title(rng, 1)}")
        text = paragraph(rng)
        if p < notes:
            text += f"[^{p + 1}]"
        parts.append(text)
        if p == 1:
            parts.append("\n".join(f"- {sentence(rng, 4, 10)}" for _ in range(4)))
    if table_rows:
        rows = "\n".join(f"| {n} | {sentence(rng, 3, 9)} |" for n in range(1, table_rows + 1))
        parts.append(f"| No. | Topic |\n|---|---|\n{rows}")
    parts += [f"[^{n + 1}]: {sentence(rng, 10, 30)}" for n in range(notes)]
    return "\n\n".join(parts) + "\n"


def make_synthetic_issue(folder: Path, groups: int = 4, sections_per_group: int = 10, seed: int = 7,
                         paragraphs: int = 4, articles: int = 2, pictures: bool = False,
                         foreword_paragraphs: int = 1, table_rows: int = 30, report_notes: int = 0) -> Path:
    """An issue of ``groups`` groups of reports plus ``articles`` articles (each with notes and a
    table of ``table_rows`` rows); titles of one to three lines; ``report_notes``: notes in
    every third report."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sections: list[dict] = []
    for a in range(articles):
        sections.append({"title": title(rng, 1 + a % 3), "kind": "article",
                         "authors": [{"name": "A. Writer", "role": "Program Manager"}],
                         "body": body(rng, paragraphs * 3, notes=3, table_rows=table_rows)})
    for g in range(groups):
        reports = []
        for s in range(sections_per_group):
            report = {"title": title(rng, 1 + (g + s) % 3), "kind": "report",
                      "date": f"{1 + s} October 2022", "place": "Bangkok, Thailand",
                      "body": body(rng, paragraphs, notes=report_notes if s % 3 == 1 else 0)}
            if pictures:
                name = f"images/g{g}s{s}.jpg"
                _picture(folder / name, rng)
                report["images"] = [{"file": name, "caption": sentence(rng, 4, 8)}]
            reports.append(report)
        sections.append({"group": f"Group {g + 1}: {title(rng, 1)}", "sections": reports})
    issue = {
        "schema": 1, "title": "Synthetic Newsletter", "number": 900 + seed, "date": "2024-01-15",
        "period": "January – March 2024", "publisher": "Test Office",
        "cover": {"highlights": ["A highlight", "Another highlight"]},
        "foreword": {"body": "\n\n".join(paragraph(rng) for _ in range(foreword_paragraphs)) + "\n",
                     "signature": {"name": "A. Head", "native_name": "念本智物"}},
        "sections": sections,
        "back_cover": {"organisation": "TEST OFFICE", "email": "test@example.org"},
    }
    (folder / "issue.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _picture(path: Path, rng: random.Random) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    colour = tuple(rng.randint(60, 160) for _ in range(3))
    Image.new("RGB", (600, 400), colour).save(path, "JPEG", quality=70)


def make_photo(path: Path, seed: int, size: tuple[int, int] = (3000, 2000), quality: int = 94) -> None:
    """A camera-like JPEG: soft shapes and colour gradients with sensor noise, so that it
    compresses like a photograph (about 1.5-2.5 MB at 3000 x 2000), not like a flat fill."""
    rng = random.Random(seed)
    width, height = size
    small = Image.effect_noise((width // 40, height // 40), 90).convert("L")
    tint = Image.merge("RGB", [small.point(lambda v, k=k: max(0, min(255, v + rng.randint(-60, 60) + k)))
                               for k in (rng.randint(-40, 40) for _ in range(3))])
    base = tint.resize(size, Image.Resampling.BICUBIC)
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    picture = Image.blend(base, gradient, 0.35)
    grain = Image.effect_noise(size, 18).convert("RGB")
    picture = Image.blend(picture, grain, 0.2)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", quality=quality)


def photo_heavy_copy(sample: Path, target: Path, seed: int = 79) -> int:
    """A copy of an issue folder whose pictures are all replaced by photo-sized JPEGs; returns their bytes."""
    import shutil

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(sample, target)
    total = 0
    for number, picture in enumerate(sorted((target / "images").glob("*.jpg"))):
        make_photo(picture, seed * 1000 + number)
        total += picture.stat().st_size
    return total


def sample_sentences(sample: Path) -> list[str]:
    """The sentences of a sample issue's plain paragraphs (no links, notes, markup or tables)."""
    import re

    issue = yaml.safe_load((sample / "issue.yaml").read_text(encoding="utf-8"))
    sentences: list[str] = []
    for entry in issue["sections"]:
        for section in entry.get("sections", [entry]):
            for block in (section.get("body") or "").split("\n\n"):
                block = " ".join(block.split())
                if len(block) < 80 or not block[0].isalpha() or any(c in block for c in "[]<>|*_#`"):
                    continue
                sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", block) if len(s.split()) >= 4]
    return sentences


def make_long_issue(folder: Path, sample: Path, reports: int = 60, seed: int = 13) -> Path:
    """A long issue of real copy in new paragraphs: ``reports`` reports (in groups of ten)
    whose paragraphs are a sample issue's sentences drawn afresh (so every paragraph breaks
    differently from the sample's), with lists, notes and long tables."""
    rng = random.Random(seed)
    sentences = sample_sentences(sample)

    def prose(low: int, high: int) -> str:
        return " ".join(rng.choice(sentences) for _ in range(rng.randint(low, high)))

    groups: list[dict] = []
    for number in range(reports):
        parts: list[str] = []
        notes: list[str] = []
        for p in range(rng.randint(4, 11)):
            if p and p % 5 == 0:
                parts.append(f"## {title(rng, 1)}")
            text = prose(1, 6)
            if rng.random() < 0.25:
                notes.append(prose(1, 3))
                text += f"[^{len(notes)}]"
            parts.append(text)
            if rng.random() < 0.12:
                parts.append("\n".join(f"- {prose(1, 2)}" for _ in range(rng.randint(2, 5))))
        if number % 4 == 1:
            rows = "\n".join(f"| {n} | {rng.choice(sentences)} | {rng.randint(1, 40)} |"
                             for n in range(1, rng.randint(25, 70)))
            parts.append(f"| No. | Topic | Participants |\n|---|---|---|\n{rows}")
        parts += [f"[^{n + 1}]: {note}" for n, note in enumerate(notes)]
        report = {"title": title(rng, 1 + number % 3), "kind": "report",
                  "date": f"{1 + number % 28} October 2022", "place": "Bangkok, Thailand",
                  "body": "\n\n".join(parts) + "\n"}
        if number % 10 == 0:
            groups.append({"group": f"Group {number // 10 + 1}: {title(rng, 1)}", "sections": []})
        groups[-1]["sections"].append(report)
    issue = {
        "schema": 1, "title": "Long Newsletter", "number": 979, "date": "2024-01-15",
        "period": "January – March 2024", "publisher": "Test Office", "sections": groups,
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder
