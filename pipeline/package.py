"""A Frictionless Data Package of a (filtered) view: one zip with the data, its metadata and a README.

Contents: `datapackage.json` (name, title, version, created, licences, sources, the filters,
the permalink, a citation, and a Table Schema per resource, generated from `pipeline.schema`),
`events.csv` (the same bytes as `export --format csv`), `event_sources.csv` (one row per event
and source), `sources.csv`, `periods.csv`, `names.csv`, and `README.md`.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pandas as pd

from pipeline import codebook, project
from pipeline.citation import CitationSet, cite_view, view_in_words
from pipeline.export import EXPORT_COLUMNS, neutralize_cell, to_csv_bytes
from pipeline.filters import EventFilter, describe_filter, overlap_mask
from pipeline.lists import join_list
from pipeline.loading import Dataset
from pipeline.schema import (
    BOOL_DTYPE,
    CATEGORICAL_VALUES,
    CSV_SOURCE_COLUMNS,
    DYAD_LABELS,
    EVENT_COLUMNS,
    LABEL_COLUMNS,
    LIST_DTYPE,
    PERIOD_COLUMNS,
    SOURCE_DETAIL_KEYS,
    STATUS_LABELS,
    DtypeObj,
    NameRecord,
    Record,
    SourceRecord,
    Status,
    is_date_dtype,
)
from pipeline.version import DataVersion

RESOURCE_FILES = ("events.csv", "event_sources.csv", "sources.csv", "periods.csv", "names.csv")


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"  # a Table Schema type: string, date, boolean, integer
    enum: tuple[str, ...] | None = None
    is_list: bool = False
    description: str = ""

    def field(self) -> dict[str, Any]:
        described = self.description or codebook.COLUMN_MEANINGS[self.name]
        if self.is_list:
            described += " " + codebook.LIST_RULE
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": described}
        if self.enum:
            out["constraints"] = {"enum": list(self.enum)}
        return out


def _from_dtype(name: str, dtype: DtypeObj) -> Column:
    """A Table Schema field from a column's pandas dtype in pipeline.schema."""
    if dtype == LIST_DTYPE:
        return Column(name, is_list=True)
    if is_date_dtype(dtype):
        return Column(name, "date")
    if dtype == BOOL_DTYPE:
        return Column(name, "boolean")
    if isinstance(dtype, pd.CategoricalDtype):
        return Column(name, enum=tuple(str(value) for value in dtype.categories))
    return Column(name)


def _label(name: str) -> Column:
    return Column(name, enum=tuple(dict.fromkeys(LABEL_COLUMNS[name][1].values())))


def event_columns() -> list[Column]:
    columns = [
        _label(name) if name in LABEL_COLUMNS else _from_dtype(name, EVENT_COLUMNS[name]) for name in EXPORT_COLUMNS
    ]
    return columns + [Column(name, is_list=True) for name in CSV_SOURCE_COLUMNS]


def _enum_of(annotation: Any) -> type[StrEnum] | None:
    candidates = (
        typing.get_args(annotation)
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
        else (annotation,)
    )
    return next((c for c in candidates if isinstance(c, type) and issubclass(c, StrEnum)), None)


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


OVERRIDES: dict[tuple[str, str], str] = {
    ("sources", "title"): "Title of the source, as published.",
    ("sources", "note"): "Notes on the source.",
    ("sources", "kind"): "What the source is: "
    + ", ".join(f"{k} ({v})" for k, v in codebook.SOURCE_KIND_MEANINGS.items()),
    ("event_sources", "title"): "Title of the source, as published.",
    ("event_sources", "kind"): "What the source is (see sources.csv).",
    ("names", "kind"): "person, organisation or place.",
    ("names", "note"): "Notes on the name.",
    ("periods", "kind"): "status (a lane's diplomatic status) or regime (Cambodia's regimes, context lane).",
    ("periods", "date"): "The period as an EDTF interval (`..` as the end: ongoing).",
    ("periods", "start"): "First day of the period.",
    ("periods", "end"): "Last day of the period (today for an ongoing one).",
    ("periods", "date_label"): "The period in words.",
    ("periods", "source_ids"): "Ids of the sources for the period (see sources.csv). A list cell.",
}


def _model_columns(resource: str, model: type[Record]) -> list[Column]:
    columns = []
    for name, info in model.model_fields.items():
        enum = _enum_of(info.annotation)
        column = Column(
            name,
            enum=tuple(e.value for e in enum) if enum else None,
            is_list=_is_list(info.annotation),
            description=OVERRIDES.get((resource, name), ""),
        )
        columns.append(column)
    return columns


def event_source_columns() -> list[Column]:
    by_name = {c.name: c for c in _model_columns("event_sources", SourceRecord)}
    columns = [Column("event_id"), Column("position", "integer"), Column("source_id")]
    for key in SOURCE_DETAIL_KEYS:
        if key == "id":
            continue
        columns.append(by_name.get(key, Column(key, description=OVERRIDES.get(("event_sources", key), ""))))
    return columns


def period_columns() -> list[Column]:
    columns = []
    for name, dtype in PERIOD_COLUMNS.items():
        column = _from_dtype(name, dtype)
        if name == "lane":
            column = Column("lane", enum=tuple(CATEGORICAL_VALUES["dyad"]))
        elif name == "kind":
            column = Column("kind", enum=("status", "regime"))
        elif name == "status":
            column = Column("status", enum=tuple(s.value for s in Status))
        columns.append(
            Column(column.name, column.type, column.enum, column.is_list, OVERRIDES.get(("periods", name), ""))
        )
        if name == "lane":
            columns.append(Column("lane_label", enum=tuple(DYAD_LABELS.values())))
        if name == "status":
            columns.append(Column("status_label", enum=tuple(STATUS_LABELS.values())))
    return columns


def table_schemas() -> dict[str, dict[str, Any]]:
    """resource name -> Table Schema, generated from pipeline.schema."""

    def schema(
        columns: Sequence[Column], key: str | None = None, foreign: Sequence[tuple[str, str, str]] = ()
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"fields": [c.field() for c in columns], "missingValues": [""]}
        if key:
            out["primaryKey"] = [key]
        if foreign:
            out["foreignKeys"] = [
                {"fields": [own], "reference": {"resource": resource, "fields": [other]}}
                for own, resource, other in foreign
            ]
        return out

    return {
        "events": schema(event_columns(), "id"),
        "event_sources": schema(
            event_source_columns(), None, [("event_id", "events", "id"), ("source_id", "sources", "id")]
        ),
        "sources": schema(_model_columns("sources", SourceRecord), "id"),
        "periods": schema(period_columns(), "id"),
        "names": schema(_model_columns("names", NameRecord), "name"),
    }


# ---------------------------------------------------------------- the tables' bytes


def _cell(value: Any, column: Column) -> str:
    if isinstance(value, str) and column.type == "string" and not column.is_list:
        return neutralize_cell(value)  # the common case, first
    if column.is_list:
        return join_list(str(item) for item in (value or ()))
    if column.type == "boolean":
        return "True" if value else "False"
    if column.type == "date":
        return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()
    if column.type == "integer":
        return str(int(value))
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return neutralize_cell(text)


def _csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c.name), c) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _selected_periods(periods: pd.DataFrame, flt: EventFilter) -> pd.DataFrame:
    mask = overlap_mask(periods, flt.date_from, flt.date_to)
    if flt.dyads:
        mask &= periods["lane"].isin(flt.dyads)
    return periods[mask]


def _record_row(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")


@dataclass(frozen=True)
class PackageInput:
    dataset: Dataset
    events: pd.DataFrame  # the filtered rows
    flt: EventFilter
    version: DataVersion
    permalink: str
    created: datetime
    events_csv: bytes | None = None  # `to_csv_bytes(events)` when the caller has it already


def _tables(given: PackageInput) -> dict[str, bytes]:
    dataset, events = given.dataset, given.events
    schemas_columns = {
        "event_sources": event_source_columns(),
        "periods": period_columns(),
        "sources": _model_columns("sources", SourceRecord),
        "names": _model_columns("names", NameRecord),
    }
    event_sources = []
    for event_id, sources in zip(events["id"], events["sources"], strict=True):
        for position, source in enumerate(sources, start=1):
            event_sources.append({"event_id": event_id, "position": position, "source_id": source["id"], **source})
    periods = _selected_periods(dataset.periods, given.flt)
    period_rows: list[dict[str, Any]] = []
    for raw in periods.to_dict("records"):
        row = {str(key): value for key, value in raw.items()}
        row["lane_label"] = DYAD_LABELS.get(str(row["lane"]), str(row["lane"]))
        row["status_label"] = STATUS_LABELS.get(row["status"], "") if row["status"] else ""
        period_rows.append(row)
    cited = dict.fromkeys(
        [
            *(s["id"] for sources in events["sources"] for s in sources),
            *(sid for ids in periods["source_ids"] for sid in ids),
        ]
    )
    named = dict.fromkeys(name for column in ("actors", "places") for names in events[column] for name in names)
    return {
        "events.csv": given.events_csv if given.events_csv is not None else to_csv_bytes(events),
        "event_sources.csv": _csv(schemas_columns["event_sources"], event_sources),
        "sources.csv": _csv(
            schemas_columns["sources"],
            (_record_row(dataset.sources[sid]) for sid in sorted(cited) if sid in dataset.sources),
        ),
        "periods.csv": _csv(schemas_columns["periods"], period_rows),
        "names.csv": _csv(
            schemas_columns["names"],
            (_record_row(dataset.names[name]) for name in sorted(named) if name in dataset.names),
        ),
    }


def filters_metadata(flt: EventFilter, count: int) -> dict[str, Any]:
    return {
        "in_words": describe_filter(flt) or "none (every event)",
        "lanes": list(flt.dyads),
        "categories": list(flt.categories),
        "quads": list(flt.quads),
        "from": flt.date_from.isoformat() if flt.date_from else None,
        "to": flt.date_to.isoformat() if flt.date_to else None,
        "actors": list(flt.actors),
        "search": flt.search,
        "events": count,
    }


def version_metadata(version: DataVersion) -> dict[str, Any]:
    return {
        "version": version.label,
        "released": version.released.isoformat() if version.released else None,
        "state": version.state,
        "content_hash": version.content_hash,
        "in_words": version.in_words(),
    }


def export_metadata(flt: EventFilter, count: int, version: DataVersion, link: str, accessed: date) -> dict[str, Any]:
    """What every JSON export and data package says about itself."""
    citation = cite_view(flt, count, version=version, link=link, accessed=accessed)
    return {
        "name": project.PACKAGE_NAME,
        "title": project.TITLE,
        "version": version.label,
        "data_version": version_metadata(version),
        "filters": filters_metadata(flt, count),
        "permalink": link,
        "citation": citation.as_json(),
        "licenses": [project.DATA_LICENSE],
        "license_statement": project.DATA_LICENSE_STATEMENT,
    }


def descriptor(given: PackageInput, citation: CitationSet) -> dict[str, Any]:
    schemas = table_schemas()
    events = given.events
    cited: dict[str, dict[str, str]] = {}
    for sources in events["sources"]:
        for source in sources:
            cited.setdefault(source["id"], source)
    resources = []
    for name in ("events", "event_sources", "sources", "periods", "names"):
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "description": codebook.RESOURCE_MEANINGS[name],
                "schema": schemas[name],
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": project.PACKAGE_NAME,
        "title": project.TITLE,
        "description": f"{project.DESCRIPTION} This package holds the view: {view_in_words(given.flt, len(events))}.",
        "version": given.version.label,
        "created": given.created.isoformat(timespec="seconds"),
        "homepage": given.permalink.split("?", 1)[0],
        "licenses": [project.DATA_LICENSE],
        "license_statement": project.DATA_LICENSE_STATEMENT,
        "contributors": [{"title": project.AUTHOR, "role": "author"}],
        "sources": [{"title": f"{s['publisher']}: {s['title']}", "path": s["url"]} for s in cited.values()],
        "keywords": ["Cambodia", "North Korea", "South Korea", "diplomatic history", "events data"],
        "data_version": version_metadata(given.version),
        "filters": filters_metadata(given.flt, len(events)),
        "permalink": given.permalink,
        "citation": citation.as_json(),
        "resources": resources,
    }


def readme(given: PackageInput, citation: CitationSet) -> str:
    schemas = table_schemas()
    lines = [
        f"# {project.TITLE}",
        "",
        f"{project.DESCRIPTION}",
        "",
        "This is a [Frictionless Data Package](https://datapackage.org/): the tables below as CSV (UTF-8, "
        "comma-separated, CRLF line ends), described in `datapackage.json`.",
        "",
        "## This package",
        "",
        f"- Data version: {given.version.in_words()}",
        f"- Content hash of the data version: `{given.version.content_hash}`",
        f"- Filters: {describe_filter(given.flt) or 'none (every event)'}",
        f"- Events: {len(given.events)}",
        f"- Made: {given.created.isoformat(timespec='seconds')}",
        f"- Open this view: {given.permalink}",
        "",
        "## How to cite",
        "",
        citation.text,
        "",
        "BibTeX:",
        "",
        "```bibtex",
        citation.bibtex.rstrip(),
        "```",
        "",
        "CSL-JSON is in `datapackage.json` under `citation.csl`.",
        "",
        "## Licence",
        "",
        project.DATA_LICENSE_STATEMENT,
        "",
        f"Licence text: {project.DATA_LICENSE['path']}",
        "",
        "## Reading the CSV files",
        "",
        f"- {codebook.LIST_RULE}",
        f"- {codebook.TEXT_RULE}",
        "- Dates are EDTF as written (`date`); `start` and `end` are the earliest and latest day the date "
        "allows, not the date.",
        "",
        "## Data dictionary",
        "",
    ]
    for name, schema in schemas.items():
        lines += [
            f"### {name}.csv",
            "",
            codebook.RESOURCE_MEANINGS[name],
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        for field_info in schema["fields"]:
            allowed = field_info.get("constraints", {}).get("enum")
            meaning = field_info["description"] + (
                f" Values: {', '.join(allowed)}." if allowed and len(allowed) <= 12 else ""
            )
            escaped = meaning.replace("|", "\\|")
            lines.append(f"| `{field_info['name']}` | {field_info['type']} | {escaped} |")
        lines.append("")
    lines += ["## Reporting an error", "", project.REPORT_ERRORS, ""]
    return "\n".join(lines)


def package_bytes(given: PackageInput) -> bytes:
    """The zip, deterministic for the same inputs (entries in a fixed order, stamped `created`)."""
    citation = cite_view(
        given.flt, len(given.events), version=given.version, link=given.permalink, accessed=given.created.date()
    )
    files = {
        "datapackage.json": (json.dumps(descriptor(given, citation), ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        ),
        **_tables(given),
        "README.md": readme(given, citation).encode("utf-8"),
    }
    stamp = given.created.timetuple()[:6]
    buffer = io.BytesIO()
    # Level 1: a quarter of the default's time for a few per cent more bytes (text compresses well anyway).
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, payload in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp if stamp[0] >= 1980 else (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload, compresslevel=1)
    return buffer.getvalue()


def package_file_name(version: DataVersion, slug: str) -> str:
    return f"{project.PACKAGE_NAME}_{version.slug()}_{slug}.zip"


__all__ = ["PackageInput", "package_bytes", "package_file_name", "table_schemas"]
