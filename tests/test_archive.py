"""Archives: byte-identical rebuilds, build-all over many issues, and the manifest that guards them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from newsletter_pdf import __version__

from .conftest import ROOT, SAMPLE, make_issue, run_cli
from .synthetic import make_synthetic_issue

SYNTHETIC = range(1, 21)  # seeds; issue numbers 901..920, folders named after them
REGENERATE = (".venv/bin/newsletter build-all issues -o build/all && cp build/all/manifest.json issues/manifest.json")


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the same bytes whoever builds, wherever, whenever -------------------------------------------

# Everything a machine or a shell can differ in that has no business in the PDF.
VARYING = ("TZ", "LANG", "LC_ALL", "LC_CTYPE", "LC_TIME", "LANGUAGE", "PYTHONHASHSEED", "SOURCE_DATE_EPOCH")


def environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in VARYING}
    # The code under test, whatever the working directory and whatever the venv points at.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.update(settings)
    return env


def start_build(issue, output, cwd, env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsletter_pdf", "build", str(issue), "-o", str(output)],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(*processes: subprocess.Popen) -> None:
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stdout + stderr


def test_builds_are_byte_identical_across_directories_and_environments(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    # The second build reads a copy of the issue at another place, as on another machine
    # whose checkout lives elsewhere.
    shutil.copytree(SAMPLE, second / "elsewhere" / "079")
    a = start_build(SAMPLE, "newsletter.pdf", first,
                    environment(TZ="Pacific/Auckland", LC_ALL="C", PYTHONHASHSEED="1"))
    b = start_build("elsewhere/079/issue.yaml", second / "newsletter.pdf", second,
                    environment(TZ="UTC", LANG="C.UTF-8", PYTHONHASHSEED="4242"))
    finish(a, b)
    # Again into the first folder: its pictures now come from the cache build keeps beside the PDF.
    c = start_build(SAMPLE, first / "again.pdf", ROOT,
                    environment(TZ="America/St_Johns", LANG="en_US.UTF-8", LC_TIME="de_DE.UTF-8"))
    finish(c)
    digests = {sha256(path) for path in (first / "newsletter.pdf", second / "newsletter.pdf", first / "again.pdf")}
    assert len(digests) == 1, "the same issue built to different bytes"


class DifferentBytes(AssertionError):
    pass


def test_source_date_epoch_does_not_change_the_bytes(tmp_path):
    plain = start_build(SAMPLE, tmp_path / "plain.pdf", tmp_path, environment())
    epoch = start_build(SAMPLE, tmp_path / "epoch.pdf", tmp_path, environment(SOURCE_DATE_EPOCH="1700000000"))
    finish(plain, epoch)
    if sha256(tmp_path / "plain.pdf") != sha256(tmp_path / "epoch.pdf"):
        raise DifferentBytes("SOURCE_DATE_EPOCH changed the bytes")


# --- build-all ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def archive_tree(tmp_path_factory):
    """A copy of the sample issue and twenty small generated issues."""
    tree = tmp_path_factory.mktemp("archive") / "issues"
    shutil.copytree(SAMPLE, tree / "079")
    for seed in SYNTHETIC:
        make_synthetic_issue(tree / f"{900 + seed}", groups=1, sections_per_group=2, seed=seed, paragraphs=2,
                             articles=1)
    return tree


@pytest.fixture(scope="module")
def built_archive(archive_tree):
    out = archive_tree.parent / "out"
    code, stdout, stderr = run_cli("build-all", archive_tree, "-o", out, "--jobs", "2")
    return out, code, stdout, stderr


def test_build_all_builds_every_issue_and_records_its_bytes(archive_tree, built_archive):
    out, code, stdout, stderr = built_archive
    assert code == 0, stdout + stderr
    manifest_file = out / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    assert manifest["generator"] == f"newsletter-pdf {__version__}"
    assert manifest["profile"] == "email"
    names = ["079"] + [f"{900 + seed}" for seed in SYNTHETIC]
    assert [entry["issue"] for entry in manifest["issues"]] == names
    for entry in manifest["issues"]:
        pdf = out / entry["file"]
        assert entry["file"] == f"newsletter-{entry['issue']}.pdf"
        assert entry["sha256"] == sha256(pdf)
        assert entry["bytes"] == pdf.stat().st_size
        assert entry["pages"] == len(PdfReader(str(pdf)).pages)
    # Deterministic text: the same archive gives the same manifest, byte for byte.
    assert manifest_file.read_text(encoding="utf-8") == json.dumps(manifest, sort_keys=True, indent=2) + "\n"
    rows = [line.split() for line in stdout.splitlines()]
    assert ["issue", "pages", "size", "seconds", "status"] in rows
    # Sizes in kB, as `build` prints them; then "ok" (or "ok, N warnings")
    built = {row[0]: row for row in rows if len(row) >= 6 and row[3] == "kB" and row[5].rstrip(",") == "ok"}
    assert set(built) == set(names)
    for entry in manifest["issues"]:
        assert built[entry["issue"]][2] == f"{entry['bytes'] / 1024:,.0f}"
    assert not list(out.glob("*.part")) and not list(out.glob("**/unfinished.pdf"))


def test_a_failing_issue_does_not_stop_the_others(archive_tree, tmp_path):
    tree = tmp_path / "issues"
    for seed in SYNTHETIC:
        shutil.copytree(archive_tree / f"{900 + seed}", tree / f"{900 + seed}")
    text = (tree / "910" / "issue.yaml").read_text(encoding="utf-8")
    (tree / "910" / "issue.yaml").write_text(text.replace("title: Synthetic Newsletter", "title: [Synthetic"),
                                             encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("build-all", tree, "-o", out, "--jobs", "2")
    assert code == 1
    assert "Traceback" not in stdout + stderr
    failed = [line for line in stdout.splitlines() if line.startswith("910 ")]
    assert len(failed) == 1 and "YAML syntax error" in failed[0], stdout
    assert "910/issue.yaml:" in stderr and "YAML syntax error" in stderr
    assert stderr.splitlines()[-1] == "Failed, not in the manifest: 910"
    built = sorted(p.name for p in out.glob("newsletter-*.pdf"))
    assert built == [f"newsletter-{900 + seed}.pdf" for seed in SYNTHETIC if seed != 10]
    listed = [e["issue"] for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["issues"]]
    assert listed == [f"{900 + seed}" for seed in SYNTHETIC if seed != 10]


def test_two_folders_with_one_issue_number_do_not_overwrite_each_other(archive_tree, tmp_path):
    tree = tmp_path / "issues"
    shutil.copytree(archive_tree / "901", tree / "a")
    shutil.copytree(archive_tree / "901", tree / "b")
    code, stdout, _ = run_cli("build-all", tree, "-o", tmp_path / "out", "--jobs", "2")
    assert code == 1
    assert "same issue number as folder a: both would write newsletter-901.pdf" in stdout
    assert [e["issue"] for e in json.loads((tmp_path / "out" / "manifest.json").read_text())["issues"]] == ["a"]


def test_verify_passes_when_nothing_changed(archive_tree, built_archive):
    out, *_ = built_archive
    code, stdout, stderr = run_cli("build-all", archive_tree, "--verify", out / "manifest.json", "--jobs", "2")
    assert code == 0, stdout + stderr
    assert stdout.count("identical") == 21
    assert "rebuilds to the recorded bytes" in stdout


def test_verify_names_every_changed_missing_and_added_issue(archive_tree, built_archive, tmp_path):
    out, *_ = built_archive
    tree = tmp_path / "issues"
    shutil.copytree(archive_tree, tree)
    issue_file = tree / "905" / "issue.yaml"
    text = issue_file.read_text(encoding="utf-8")
    at = text.index(" the ", text.index("sections:")) + 3  # one letter of running text: "the" -> "tha"
    issue_file.write_text(text[:at] + "a" + text[at + 1:], encoding="utf-8")
    shutil.rmtree(tree / "920")
    make_issue(tree / "930")
    code, stdout, stderr = run_cli("build-all", tree, "--verify", out / "manifest.json", "--jobs", "2")
    assert code == 1
    differences = stdout[stdout.index("differences from"):]
    assert "905: bytes changed" in differences
    assert "920: listed in the manifest" in differences
    assert "930: has an issue folder, but is not in the manifest" in differences
    assert stdout.count("identical") == 19  # the others still match
    assert "update the manifest in the same commit" in stderr


def test_build_all_rejects_what_it_cannot_use(tmp_path):
    assert run_cli("build-all", tmp_path / "nowhere")[0] == 2
    (tmp_path / "empty").mkdir()
    code, _, stderr = run_cli("build-all", tmp_path / "empty", "-o", tmp_path / "out")
    assert code == 2 and "no issue folders" in stderr
    make_issue(tmp_path / "issues" / "005")
    for text, message in (("{not json", "not JSON"), ('{"issues": [{"issue": "005"}]}', "issues[0] needs"),
                          ('{"generator": "newsletter-pdf 0.1.0", "profile": "email", "issues": []}', None)):
        (tmp_path / "manifest.json").write_text(text)
        code, stdout, stderr = run_cli("build-all", tmp_path / "issues", "--verify", tmp_path / "manifest.json")
        if message:
            assert code == 2 and message in stderr and "Traceback" not in stderr
        else:  # a well-formed manifest that lacks an issue: a difference, not bad input
            assert code == 1 and "005: has an issue folder, but is not in the manifest" in stdout
    code, _, stderr = run_cli("build-all", tmp_path / "issues", "--verify", tmp_path / "manifest.json",
                              "--profile", "print")
    assert code == 2 and "email-profile builds" in stderr


# --- the repository's own archive ------------------------------------------------------------------

def test_archived_issues_rebuild_identically():
    manifest = ROOT / "issues" / "manifest.json"
    code, stdout, stderr = run_cli("build-all", ROOT / "issues", "--verify", manifest)
    assert code == 0, (
        f"An archived issue no longer rebuilds to the bytes recorded in issues/manifest.json:\n{stdout}{stderr}\n"
        "If the change to the output is deliberate, regenerate the manifest and commit it together with the "
        f"change:\n    {REGENERATE}\nIf it is not, the change broke reproducibility of old issues.")
