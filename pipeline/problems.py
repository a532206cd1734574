"""A validation problem, located in a file, and the error that carries a list of them."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.text import for_message


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    expected: str = ""

    def __str__(self) -> str:
        """One line, whatever the data held: line breaks, controls and invisible characters in
        file names, keys and values are shown as escapes, so no message can forge another line
        or send terminal escapes."""
        expected = f" (expected {for_message(self.expected, 400)})" if self.expected else ""
        return (
            f"{for_message(self.path, 400)}:{self.line}: {for_message(self.field)}: "
            f"{for_message(self.message, 400)}{expected}"
        )


class DatasetError(Exception):
    """The events directory holds problems; nothing was built from it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
