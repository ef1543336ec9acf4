"""The command as a person can type it again, for the hints the commands print.

After the README's set-up the command is ``.venv/bin/newsletter`` (the virtual environment is
not activated, so a bare ``newsletter`` is "command not found"); every hint that shows a
command to type (``new``'s "then run:", the nearest issue folder, the manifest to regenerate,
the template's comments) writes it through ``self_command``, so they all say the same.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

README_COMMAND = ".venv/bin/newsletter"  # as the README writes every command


def display_path(path: Path) -> str:
    """A path as the messages show it: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def self_command() -> str:
    """This command as it can be typed again here: ``newsletter`` when that is on the PATH (and
    is this one), else its path, as the README's set-up makes it: ``.venv/bin/newsletter``."""
    on_path = shutil.which("newsletter")
    script = Path(sys.argv[0])
    if script.name == "newsletter":
        if on_path and Path(on_path).resolve() == script.resolve():
            return "newsletter"
        return display_path(script)
    return "newsletter" if on_path else README_COMMAND
