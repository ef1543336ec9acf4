"""docs/issue-format.md, the JSON Schema and the `newsletter new` template say the same thing."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import yaml
from PIL import Image

from .conftest import ROOT, run_cli

DOC = ROOT / "docs" / "issue-format.md"


def schema_keys() -> dict[str, set[str]]:
    """Each object of the format (IssueFile for the top level) with its keys, from `newsletter schema`."""
    code, stdout, _ = run_cli("schema")
    assert code == 0
    schema = json.loads(stdout)
    objects = {"IssueFile": schema["properties"]}
    objects.update({name: definition["properties"] for name, definition in schema["$defs"].items()})
    return {name: set(properties) for name, properties in objects.items()}


def documented_keys() -> dict[str, set[str]]:
    """Each ``<!-- keys: Name -->`` table of the document with the keys of its first column."""
    found: dict[str, set[str]] = {}
    for match in re.finditer(r"<!-- keys: (\w+) -->\n((?:\|.*\n)+)", DOC.read_text(encoding="utf-8")):
        rows = match.group(2).splitlines()
        assert rows[0].startswith("| key | type | required | default | example |"), rows[0]
        found[match.group(1)] = {re.match(r"\| `(\w+)` \|", row).group(1) for row in rows[2:]}
    return found


def test_every_schema_key_is_documented_and_every_documented_key_is_in_the_schema():
    assert documented_keys() == schema_keys()


def test_every_documented_key_has_type_required_default_and_example():
    text = DOC.read_text(encoding="utf-8")
    for table in re.findall(r"<!-- keys: \w+ -->\n((?:\|.*\n)+)", text):
        for row in table.splitlines()[2:]:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
            assert len(cells) == 6 and all(cells), row


def test_every_schema_key_has_a_description_for_editors():
    code, stdout, _ = run_cli("schema")
    schema = json.loads(stdout)
    objects = {"top level": schema["properties"], **{n: d["properties"] for n, d in schema["$defs"].items()}}
    undescribed = [f"{name}.{key}" for name, properties in objects.items()
                   for key, spec in properties.items() if not spec.get("description")]
    assert undescribed == []


def yaml_examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_documents_examples_make_an_issue_that_validates(tmp_path):
    """Every example of the page, put together, is an issue that builds: the page shows nothing
    that the format refuses."""
    parts = {"cover": "", "foreword": "", "back_cover": ""}
    entries = []
    for example in yaml_examples():
        first = example.lstrip().split(":")[0]
        if first in parts:
            parts[first] = example
        elif example.startswith("  - "):
            entries.append(example)
        elif example.startswith("    body: |"):
            entries.append("  - title: Every Markdown feature\n" + example)
        else:
            pytest.fail(f"an example the test does not place: {example[:60]!r}")
    assert all(parts.values()) and len(entries) >= 5
    text = ("schema: 1\ntitle: Doc Newsletter\nnumber: 80\ndate: 2023-04-14\npublisher: Office\n"
            + parts["cover"] + parts["foreword"] + "sections:\n" + "".join(entries) + parts["back_cover"])
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    for picture in set(re.findall(r"images/[\w.-]+\.jpg", text)):
        (folder / picture).parent.mkdir(exist_ok=True)
        Image.new("RGB", (400, 300), (90, 120, 150)).save(folder / picture, "JPEG")
    code, stdout, stderr = run_cli("validate", folder)
    assert code == 0, stderr
    assert "valid (7 sections)" in stdout


def all_keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys_of(v)}
    return set()


def test_the_template_shows_every_key_and_points_to_the_format_page(tmp_path):
    assert run_cli("new", "80", "--issues-dir", tmp_path)[0] == 0
    text = (tmp_path / "080" / "issue.yaml").read_text(encoding="utf-8")
    assert "docs/issue-format.md" in text and DOC.is_file()
    # Uncommenting every optional key gives a file that uses every key of the format.
    uncommented = re.sub(r"^(\s*)# ?(?=\s*(?:[-\w]+:|- ))", r"\1", text, flags=re.M)
    used = all_keys_of(yaml.safe_load(uncommented))
    assert used >= set().union(*schema_keys().values())


def test_the_templates_dates_agree(tmp_path):
    assert run_cli("new", "80", "--issues-dir", tmp_path)[0] == 0
    issue = yaml.safe_load((tmp_path / "080" / "issue.yaml").read_text(encoding="utf-8"))
    published = issue["date"]
    assert published == datetime.date.today()
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    first, last, year = re.fullmatch(r"(\w+) – (\w+) (\d{4})", issue["period"]).groups()
    start = datetime.date(int(year), months.index(first) + 1, 1)
    after = datetime.date(int(year) + (last == "December"), months.index(last) % 12 + 2 if last != "December" else 1, 1)
    assert start < after <= published, "the period ends before the issue is published"
    report = issue["sections"][1]["sections"][0]["date"]
    day, month, report_year = report.split(" ")
    assert start <= datetime.date(int(report_year), months.index(month) + 1, int(day)) < after, \
        f"the report's date {report} lies outside the period {issue['period']}"
