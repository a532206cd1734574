"""List cells in CSV: lists of text written so that they split back exactly.

The rule (also in the data dictionary of every data package):

* items are joined with a semicolon and a space: `Hun Sen; Kim Jong Un`;
* inside an item, a backslash is written `\\\\` and a semicolon `\\;`;
* an item at the very start of the cell that begins with a character a spreadsheet would
  run as a formula (`=`, `+`, `-`, `@`, tab, CR, LF) has that character written after a
  backslash (`\\=SUM(1)`), so list cells never need the `'` prefix that text cells get;
* an empty cell is an empty list, and a lone backslash `\\` is a list of one empty item.

To read a cell back: an empty cell is `[]` and `\\` is `[""]`; otherwise read left to right,
a backslash means "the next character, literally", and any other semicolon ends an item (the
one space after it is dropped; readers that trim trailing spaces lose nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

SEPARATOR: Final = "; "
ESCAPE: Final = "\\"
SINGLE_EMPTY: Final = ESCAPE
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r", "\n")


class ListCellError(ValueError):
    """A cell that this encoding never writes."""


def _escape(item: str) -> str:
    return item.replace(ESCAPE, ESCAPE + ESCAPE).replace(";", ESCAPE + ";")


def join_list(items: Iterable[str]) -> str:
    """Encode a list of text as one cell (see the module's rule)."""
    values = list(items)
    if not values:
        return ""
    if values == [""]:
        return SINGLE_EMPTY
    cell = SEPARATOR.join(_escape(item) for item in values)
    return ESCAPE + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def split_list(cell: str) -> list[str]:
    """Decode a cell written by `join_list` back into exactly the list it came from."""
    if cell == "":
        return []
    if cell == SINGLE_EMPTY:
        return [""]
    items: list[str] = []
    current: list[str] = []
    position = 0
    while position < len(cell):
        char = cell[position]
        if char == ESCAPE:
            if position + 1 == len(cell):
                raise ListCellError("a list cell ends in a lone backslash")
            current.append(cell[position + 1])
            position += 2
            continue
        if char == ";":
            items.append("".join(current))
            current = []
            position += 2 if cell.startswith(" ", position + 1) else 1
            continue
        current.append(char)
        position += 1
    items.append("".join(current))
    return items
