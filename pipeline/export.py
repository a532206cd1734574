"""Exports of a (filtered) events table: CSV and JSON bytes, and atomic file writing."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.schema import CSV_SOURCE_COLUMNS, EVENT_COLUMNS, EXPORT_SOURCE_KEYS, LIST_DTYPE, LIST_SEPARATOR

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
        elif dtype.startswith("datetime64"):
            out[name] = column.map(_iso)
        elif dtype == "bool":
            out[name] = column.astype(bool)
        else:
            out[name] = column.astype("string").fillna("")
    for csv_name, key in CSV_SOURCE_COLUMNS.items():
        out[csv_name] = events["sources"].map(lambda sources, k=key: LIST_SEPARATOR.join(str(s[k]) for s in sources))
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
            elif EVENT_COLUMNS[name].startswith("datetime64"):
                record[name] = _iso(value)
            elif EVENT_COLUMNS[name] == "bool":
                record[name] = bool(value)
            else:
                record[name] = "" if pd.isna(value) else str(value)
        records.append(record)
    return records


def to_json_bytes(events: pd.DataFrame) -> bytes:
    return (json.dumps(json_records(events), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_atomically(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place: never half-written."""
    path = path.resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
