"""Benchmark: wall time, CPU time, peak memory, pages and PDF size of whole builds.

Builds (each a fresh `newsletter build` process, measured by /usr/bin/time -v):
  * the sample issue No. 79 with its 31 pictures replaced by camera-sized JPEGs
    (3000 x 2000, seeded, generated into bench/out/ and not committed), in each profile;
  * a ten-times-longer issue (the sample's sections repeated ten times, ~450 pages)
    with the same photos, e-mail profile;
cold (empty picture cache) and warm, median of N runs. Not part of the test suite.

    bench/run            # all cases, 5 runs each
    bench/run --runs 3 --only sample-email
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.synthetic import photo_heavy_copy  # noqa: E402

OUT = ROOT / "bench" / "out"
NEWSLETTER = Path(sys.executable).parent / "newsletter"


def prepare() -> tuple[Path, Path, int]:
    sample = OUT / "079-photos"
    stamp = sample / ".complete"
    if not stamp.exists():
        photo_heavy_copy(ROOT / "issues" / "079", sample)
        stamp.write_text("ok\n")
    picture_bytes = sum(p.stat().st_size for p in (sample / "images").glob("*.jpg"))
    large = OUT / "079-photos-x10"
    (large / "images").mkdir(parents=True, exist_ok=True)
    for picture in (sample / "images").iterdir():  # hard links: the same photos, inside the issue folder
        if not (large / "images" / picture.name).exists():
            (large / "images" / picture.name).hardlink_to(picture)
    issue = yaml.safe_load((sample / "issue.yaml").read_text(encoding="utf-8"))
    sections = []
    for part in range(1, 11):
        for entry in copy.deepcopy(issue["sections"]):
            for section in entry.get("sections", [entry]):
                section["title"] = f"{section['title']} (part {part})"
            if "group" in entry:
                entry["group"] = f"{entry['group']} (part {part})"
            sections.append(entry)
    issue["sections"] = sections
    issue["number"] = 790
    (large / "issue.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sample, large, picture_bytes


def measure(folder: Path, profile: str, output: Path) -> dict:
    command = ["/usr/bin/time", "-v", str(NEWSLETTER), "build", str(folder), "-o", str(output), "--profile", profile]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    report = done.stderr

    def field(name: str) -> str:
        return re.search(rf"{re.escape(name)}: (.+)", report).group(1).strip()

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
    seconds = float(wall[-1]) + 60 * float(wall[-2]) + (3600 * float(wall[0]) if len(wall) == 3 else 0)
    pages = int(re.search(r": (\d+) pages", done.stdout).group(1))
    return {
        "wall": seconds,
        "cpu": float(field("User time (seconds)")) + float(field("System time (seconds)")),
        "peak_mb": int(field("Maximum resident set size (kbytes)")) / 1024,
        "pages": pages,
        "bytes": output.stat().st_size,
    }


def run_case(name: str, folder: Path, profile: str, runs: int) -> list[tuple]:
    output = OUT / f"{name}.pdf"
    cache = OUT / ".cache"
    rows = []
    for state in ("cold", "warm"):
        results = []
        for _ in range(runs):
            if state == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            results.append(measure(folder, profile, output))
        median = {key: statistics.median(r[key] for r in results) for key in results[0]}
        rows.append((name, state, median))
        print(f"  {name:<16} {state:<5} wall {median['wall']:.2f} s  cpu {median['cpu']:.2f} s  "
              f"peak {median['peak_mb']:.0f} MB  {median['pages']:.0f} pages  {median['bytes'] / 1024:,.0f} kB",
              flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per case and cache state (median reported)")
    parser.add_argument("--only", action="append", help="case names to run (default: all)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sample, large, picture_bytes = prepare()
    print(f"input pictures: 31 JPEGs, {picture_bytes / 1024 / 1024:.1f} MB")
    cases = [("sample-email", sample, "email"), ("sample-print", sample, "print"),
             ("sample-archive", sample, "archive"), ("x10-email", large, "email")]
    rows = []
    for name, folder, profile in cases:
        if args.only and name not in args.only:
            continue
        rows += run_case(name, folder, profile, args.runs)
    print()
    print("| case | cache | wall (s) | CPU (s) | peak (MB) | pages | PDF (kB) | ms/page |")
    print("|---|---|---|---|---|---|---|---|")
    for name, state, m in rows:
        print(f"| {name} | {state} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['peak_mb']:.0f} | {m['pages']:.0f} | "
              f"{m['bytes'] / 1024:,.0f} | {1000 * m['wall'] / m['pages']:.1f} |")


if __name__ == "__main__":
    main()
