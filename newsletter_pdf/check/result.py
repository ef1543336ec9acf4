"""One check's outcome, shared by every check module."""

from __future__ import annotations

from dataclasses import dataclass

MAX_SHOWN = 25  # failures listed per check


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    failures: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = f"{'ok  ' if self.ok else 'FAIL'} {self.name}" + (f": {self.detail}" if self.detail else "")
        shown = [f"     - {line}" for line in self.failures[:MAX_SHOWN]]
        if len(self.failures) > MAX_SHOWN:
            shown.append(f"     ... and {len(self.failures) - MAX_SHOWN} more")
        return "\n".join([head] + shown)
