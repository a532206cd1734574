"""Exports of a (filtered) events table: CSV and JSON bytes, and atomic file writing."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.schema import (
    BOOL_DTYPE,
    CSV_SOURCE_COLUMNS,
    EVENT_COLUMNS,
    EXPORT_SOURCE_KEYS,
    LIST_DTYPE,
    LIST_SEPARATOR,
    is_date_dtype,
)
from pipeline.text import for_message

# OWASP "CSV injection": a cell starting with one of these is run as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
EXPORT_COLUMNS = [name for name in EVENT_COLUMNS if name != "sources"]


def neutralize_cell(text: str) -> str:
    """Prefix a formula-like cell with a single quote so spreadsheets show it as text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _iso(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The CSV's columns: lists joined with '; ', dates as ISO days, sources flattened, text neutralized."""
    out = pd.DataFrame(index=events.index)
    for name in EXPORT_COLUMNS:
        dtype = EVENT_COLUMNS[name]
        column = events[name]
        if dtype == LIST_DTYPE:
            out[name] = column.map(LIST_SEPARATOR.join)
        elif is_date_dtype(dtype):
            out[name] = column.map(_iso)
        elif dtype == BOOL_DTYPE:
            out[name] = column.astype(bool)
        else:
            out[name] = column.astype("string").fillna("")
    for csv_name, key in CSV_SOURCE_COLUMNS.items():
        out[csv_name] = events["sources"].map(lambda sources, k=key: LIST_SEPARATOR.join(s[k] for s in sources))
    text_columns = [name for name in out.columns if out[name].dtype != bool]
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
            if name == "sources":
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


def to_json_bytes(events: pd.DataFrame) -> bytes:
    return (json.dumps(json_records(events), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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
