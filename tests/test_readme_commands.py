"""Every command the README shows works as written, from a fresh clone after its set-up.

The commands are read from the README itself: each line of a ```sh block from
``.venv/bin/newsletter`` on (its ``# comment`` dropped), and each inline code span that starts
with ``.venv/bin/newsletter``. They run in the README's order, each in ``bash`` as written, in
a temporary copy of the project (its issues, assets and docs) where ``.venv/bin/newsletter`` is
the command as ``pip install -e .`` makes it, with the virtual environment not on the PATH.
Only the commands in ``NOT_RUN`` are left out, each for a stated reason; any other command
must exit 0, and without a traceback.

The officer's editing is the one step not typed: after ``new 80`` has made its template,
issue 80 becomes No. 79 renumbered, a finished issue, so that the later steps (the archive
profile, ``send``, which refuse template text) run on what an officer would have written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
COMMAND = ".venv/bin/newsletter"

# Commands that cannot run in a test, and why. Each must still be in the README.
NOT_RUN = {
    ".venv/bin/newsletter watch issues/080 --serve": "runs until Ctrl-C (tests/test_watch_serve.py covers it)",
    ".venv/bin/newsletter send issues/080 --test you@example.org": "sends real mail (tests/test_send.py covers it)",
    ".venv/bin/newsletter send issues/079 --test you@example.org": "sends real mail",
    ".venv/bin/newsletter send issues/079 --recipients readers.csv": "sends real mail to the readers",
}


def readme_commands(text: str) -> list[str]:
    """The ``.venv/bin/newsletter`` commands of the README, in order, each once."""
    commands: list[str] = []
    in_sh = in_other = False
    for line in text.splitlines():
        fence = line.strip()
        if fence.startswith("```"):
            if in_sh or in_other:
                in_sh = in_other = False
            else:
                in_sh, in_other = fence == "```sh", fence != "```sh"
            continue
        if in_other:
            continue
        if in_sh:
            if COMMAND in line:
                found = line[line.index(COMMAND):]
                commands.append(re.sub(r"\s+#.*$", "", found).strip())
            continue
        commands += [span.strip() for span in re.findall(r"`([^`]+)`", line)
                     if span.startswith(COMMAND + " ")]  # the name alone is no command
    return list(dict.fromkeys(commands))


def bare_commands(text: str) -> list[str]:
    """Commands written with a bare ``newsletter`` and arguments, which a fresh clone cannot run."""
    spans = re.findall(r"`(newsletter [a-z-]+ [^`]*)`", text)
    lines = re.findall(r"^\s*(newsletter [a-z-]+.*)$", text, flags=re.M)
    return spans + lines


def recipients_example(text: str) -> str:
    """The README's example recipients file (its indented block that starts with the header)."""
    block = re.search(r"^    email,name,language\n(?:    \S.*\n)+", text, flags=re.M)
    assert block, "the README shows no example recipients file"
    return textwrap.dedent(block.group(0))


def distribution_example(text: str) -> str:
    """The README's example distribution.yaml."""
    block = re.search(r"^```yaml\n(schema: 1\nsmtp:.*?)^```", text, flags=re.M | re.S)
    assert block, "the README shows no example distribution.yaml"
    return block.group(1)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project as a clone has it, with ``.venv/bin/newsletter`` as pip makes it."""
    project = tmp_path_factory.mktemp("clone")
    for folder in ("issues", "assets", "docs"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("build", ".work"))
    script = project / ".venv" / "bin" / "newsletter"
    script.parent.mkdir(parents=True)
    # The code under test, not whatever is installed; the console script pip writes, otherwise.
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                      "from newsletter_pdf.cli import app\nif __name__ == '__main__':\n    sys.exit(app())\n")
    script.chmod(0o755)
    text = README.read_text(encoding="utf-8")
    (project / "readers.csv").write_text(recipients_example(text), encoding="utf-8")
    (project / "issues" / "distribution.yaml").write_text(distribution_example(text), encoding="utf-8")
    return project


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "NEWSLETTER_SMTP_USER", "NEWSLETTER_SMTP_PASSWORD", "VIRTUAL_ENV")}
    env["PATH"] = "/usr/bin:/bin"  # as after the README's set-up: the virtual environment not activated
    return env


def write_the_issue(project) -> None:
    """What the officer does by hand between ``new 80`` and the build: a finished issue 80."""
    folder = project / "issues" / "080"
    shutil.rmtree(folder)
    shutil.copytree(project / "issues" / "079", folder)
    issue = folder / "issue.yaml"
    text, count = re.subn(r"^number: 79$", "number: 80", issue.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1
    issue.write_text(text, encoding="utf-8")


def test_the_readme_writes_every_command_as_a_fresh_clone_runs_it():
    text = README.read_text(encoding="utf-8")
    assert not bare_commands(text), f"commands with a bare `newsletter` (not on the PATH): {bare_commands(text)}"
    commands = readme_commands(text)
    assert f"{COMMAND} new 80" in commands and f"{COMMAND} build issues/079" in commands
    stale = set(NOT_RUN) - set(commands)
    assert not stale, f"NOT_RUN names commands the README no longer shows: {sorted(stale)}"


def test_every_readme_command_runs(project):
    started = time.perf_counter()
    ran = []
    for command in readme_commands(README.read_text(encoding="utf-8")):
        if command in NOT_RUN:
            continue
        result = subprocess.run(["bash", "-c", command], cwd=project, env=environment(), capture_output=True,
                                text=True, timeout=180)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"README command failed (exit {result.returncode}): {command}\n{output}"
        assert "Traceback" not in output, f"{command}\n{output}"
        ran.append(command)
        if command == f"{COMMAND} new 80":
            # the hint it prints is a command written as the README writes them
            assert result.stdout.strip().endswith(f"then run: {COMMAND} build issues/080"), result.stdout
            write_the_issue(project)
    assert len(ran) >= 15, ran
    assert (project / "build" / "newsletter-080-print.pdf").is_file()
    assert len(list((project / "build" / "outbox").glob("*.eml"))) >= 2
    assert time.perf_counter() - started < 120
