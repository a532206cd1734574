"""A validation problem, located in a file, and the error that carries a list of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    expected: str = ""

    def __str__(self) -> str:
        expected = f" (expected {self.expected})" if self.expected else ""
        return f"{self.path}:{self.line}: {self.field}: {self.message}{expected}"


class DatasetError(Exception):
    """The events directory holds problems; nothing was built from it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
