"""Help an officer can read: no `<bool>` after a flag, no `{path}` in a usage line (issue 16, item 8)."""

from __future__ import annotations

import re

import pytest

from newsletter_pdf.cli import app
from typer.main import get_command

from .conftest import run_cli

COMMANDS = sorted(get_command(app).commands)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_flags_without_a_value_and_arguments_in_capitals(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, stdout, _ = run_cli(*([command] if command else []), "--help")
    assert code == 0
    assert "<bool>" not in stdout
    usage = next(line for line in stdout.splitlines() if "Usage:" in line)
    arguments = usage.split("[OPTIONS]")[-1].strip()
    assert "{" not in usage and arguments == arguments.upper(), usage


def test_the_usage_line_names_each_argument(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert re.search(r"Usage: \S+ build \[OPTIONS\] PATH\s*\n", run_cli("build", "--help")[1])
    assert re.search(r"Usage: \S+ build-all \[OPTIONS\] \[ISSUES_DIR\]\s*\n", run_cli("build-all", "--help")[1])
    assert re.search(r"--strict +Refuse to build", run_cli("build", "--help")[1])
