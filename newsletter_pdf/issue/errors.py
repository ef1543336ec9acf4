"""Input problems, reported as ``FILE:LINE:COLUMN: where: what``.

Every stage that reads user input collects its problems and raises them together,
so an officer fixes a file in one round instead of one error per build.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 1-based
    column: int  # 1-based
    where: str  # a path into the issue file, such as "sections[3].images[0].file"
    what: str

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.what}"


class IssueError(Exception):
    """One or more problems with the input; the CLI prints them and exits with status 2."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemList:
    """Collects problems during a stage; ``raise_if_any`` ends the stage if there were some."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        if problem not in self.items:
            self.items.append(problem)

    def raise_if_any(self) -> None:
        if self.items:
            raise IssueError(self.items)
