"""Exports of a (filtered) events table: CSV and JSON bytes, and atomic file writing.

CSV list cells follow the rule in `pipeline.lists` (they split back exactly); other text
cells that a spreadsheet would run as a formula get a leading `'`. Code columns have a
readable label column beside them (`dyad_label`, `category_label`, `quad_label`).
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.lists import FORMULA_TRIGGERS, join_list
from pipeline.schema import (
    BOOL_DTYPE,
    CSV_SOURCE_COLUMNS,
    EVENT_COLUMNS,
    EXPORT_SOURCE_KEYS,
    LABEL_COLUMNS,
    LIST_DTYPE,
    is_date_dtype,
)
from pipeline.text import for_message

__all__ = [
    "FORMULA_TRIGGERS",
    "csv_frame",
    "json_records",
    "neutralize_cell",
    "to_csv_bytes",
    "to_json_bytes",
    "write_atomically",
]


def _with_labels(names: list[str]) -> list[str]:
    """Column names with each code column's label column right after it."""
    out: list[str] = []
    for name in names:
        out.append(name)
        out += [label for label, (code, _) in LABEL_COLUMNS.items() if code == name]
    return out


EXPORT_COLUMNS = _with_labels([name for name in EVENT_COLUMNS if name != "sources"])
CSV_LIST_COLUMNS = frozenset(
    [name for name, dtype in EVENT_COLUMNS.items() if dtype == LIST_DTYPE] + list(CSV_SOURCE_COLUMNS)
)


def neutralize_cell(text: str) -> str:
    """Prefix a formula-like cell with a single quote so spreadsheets show it as text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _iso(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def _label_column(events: pd.DataFrame, label: str) -> pd.Series:
    code, labels = LABEL_COLUMNS[label]
    return events[code].astype(str).map(lambda value: labels.get(value, value))


def csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The CSV's columns: lists encoded by `pipeline.lists`, dates as ISO days, sources flattened,
    labels beside codes, text neutralized."""
    out = pd.DataFrame(index=events.index)
    for name in EXPORT_COLUMNS:
        if name in LABEL_COLUMNS:
            out[name] = _label_column(events, name)
            continue
        dtype = EVENT_COLUMNS[name]
        column = events[name]
        if dtype == LIST_DTYPE:
            out[name] = column.map(join_list)
        elif is_date_dtype(dtype):
            out[name] = column.map(_iso)
        elif dtype == BOOL_DTYPE:
            out[name] = column.astype(bool)
        else:
            out[name] = column.astype("string").fillna("")
    for csv_name, key in CSV_SOURCE_COLUMNS.items():
        out[csv_name] = events["sources"].map(lambda sources, k=key: join_list(str(s[k]) for s in sources))
    text_columns = [name for name in out.columns if out[name].dtype != bool and name not in CSV_LIST_COLUMNS]
    for name in text_columns:
        out[name] = out[name].astype(str).map(neutralize_cell)
    return out


def to_csv_bytes(events: pd.DataFrame) -> bytes:
    # RFC 4180 line ends (CRLF); with them a lone CR inside a cell is quoted and reads back intact.
    return csv_frame(events).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def json_records(events: pd.DataFrame) -> list[dict[str, Any]]:
    records = []
    for row in events[list(EVENT_COLUMNS)].itertuples(index=False):
        record: dict[str, Any] = {}
        for name, value in zip(EVENT_COLUMNS, row, strict=True):
            if name in {code for code, _ in LABEL_COLUMNS.values()}:
                record[name] = str(value)
                label = next(label for label, (code, _) in LABEL_COLUMNS.items() if code == name)
                record[label] = LABEL_COLUMNS[label][1].get(str(value), str(value))
            elif name == "sources":
                record[name] = [{key: source[key] for key in EXPORT_SOURCE_KEYS} for source in value]
            elif EVENT_COLUMNS[name] == LIST_DTYPE:
                record[name] = list(value)
            elif is_date_dtype(EVENT_COLUMNS[name]):
                record[name] = _iso(value)
            elif EVENT_COLUMNS[name] == BOOL_DTYPE:
                record[name] = bool(value)
            else:
                record[name] = "" if pd.isna(value) else str(value)
        records.append(record)
    return records


def to_json_bytes(events: pd.DataFrame, metadata: dict[str, Any] | None = None) -> bytes:
    """The events as a JSON array (the format readers and ../shared/tools/check_quotes rely on). With
    `metadata`, every record also names the data version it was exported from (`data_version`); the
    filters, permalink and citation travel in the data package's datapackage.json."""
    records = json_records(events)
    if metadata is not None:
        records = [{**record, "data_version": metadata["version"]} for record in records]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class OutputError(OSError):
    """The output path cannot take the export; the message says why, in one line."""


def check_output_path(path: Path) -> Path:
    """The regular file `path` names (following links), or OutputError: only a regular file, or a
    new file in an existing folder, may be written; a device, pipe, socket or folder never is."""
    shown = for_message(path)
    try:
        info: os.stat_result | None = os.stat(path)  # follows links: /dev/stdout is the pipe or terminal itself
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"{shown}: {error.strerror}") from error
    try:
        target = path.resolve(strict=False)
    except (OSError, RuntimeError) as error:  # RuntimeError: a symbolic link loop
        raise OutputError(f"{shown}: cannot be resolved ({error})") from error
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{shown} is a folder; name a file inside it")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{shown} is not a regular file (a device, pipe or socket); use -o - for standard output")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{shown}: the folder {for_message(parent)} does not exist")
    return target


def write_atomically(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place: never half-written.

    Only a regular file is ever replaced (see `check_output_path`); OutputError otherwise, and
    when the folder cannot be written."""
    target = check_output_path(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(
            f"{for_message(path)}: cannot write in {for_message(target.parent)}: {error.strerror}"
        ) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        check_output_path(target)  # still a regular file (or still absent) just before the rename
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OutputError):
            raise
        raise OutputError(f"{for_message(path)}: {error.strerror}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
