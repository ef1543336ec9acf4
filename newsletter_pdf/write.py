"""Stage 4: write the PDF so that a failed build never replaces a good one.

The PDF is laid out into a temporary file beside the target, checked, and only
then renamed over the target (an atomic step on one file system).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import model
from .check import CheckResult
from .layout import typeset


class CheckFailed(Exception):
    def __init__(self, results: list[CheckResult]) -> None:
        self.results = results
        super().__init__("\n".join(str(r) for r in results if not r.ok))


def write_pdf(issue: model.Issue, assets_dir: Path, output: Path,
              check: Callable[[Path], list[CheckResult]]) -> tuple[int, list[CheckResult]]:
    """Typeset, check and move into place; return the page count and the check results."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    os.close(handle)
    temp_path = Path(temporary)
    try:
        pages = typeset(issue, assets_dir, str(temp_path))
        results = check(temp_path)
        if not all(r.ok for r in results):
            raise CheckFailed(results)
        os.chmod(temp_path, 0o644)
        os.replace(temp_path, output)
        return pages, results
    finally:
        temp_path.unlink(missing_ok=True)
