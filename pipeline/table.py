"""Valid records -> the typed pandas tables every consumer reads (schema in pipeline.schema)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from pipeline.dates import DateSpan
from pipeline.provenance import is_original
from pipeline.schema import (
    CATEGORICAL_VALUES,
    COUNTERPARTS,
    EVENT_COLUMNS,
    INTERNAL_COLUMNS,
    PERIOD_COLUMNS,
    PERIOD_DETAIL_COLUMNS,
    EventRecord,
    HostRecord,
    NameRecord,
    PeriodRecord,
    SourceRecord,
)
from pipeline.validate import ValidDataset


def _typed_frame(columns: Mapping[str, list[Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(dict(columns), columns=list(dtypes))
    for name, dtype in dtypes.items():
        if dtype == "category" and name in CATEGORICAL_VALUES:
            frame[name] = pd.Categorical(frame[name], categories=CATEGORICAL_VALUES[name])
        elif dtype.startswith("datetime64"):
            frame[name] = pd.to_datetime(frame[name]).astype(pd.api.types.pandas_dtype(dtype))
        elif dtype != "object":
            frame[name] = frame[name].astype(pd.api.types.pandas_dtype(dtype))
    return frame


def _source_details(citations: Iterable[Any], registry: Mapping[str, SourceRecord],
                    hosts: Mapping[str, HostRecord]) -> tuple[dict[str, Any], ...]:
    """One dict per citation (keys EXPORT_SOURCE_KEYS); absent optional fields are ''."""
    details = []
    for citation in citations:
        source = registry[citation.id]
        details.append({
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "published": source.published or "",
            "url": source.url,
            "kind": source.kind.value,
            "access": source.access.value,
            "is_original": is_original(source, hosts),
            "language": source.language,
            "quote": citation.quote,
            "translation": citation.translation or "",
            "archived_url": source.archived_url or "",
            "original_publisher": source.original_publisher or "",
            "original_title": source.original_title or "",
            "original_date": source.original_date or "",
            "original_url": source.original_url or "",
        })
    return tuple(details)


def _search_text(event: EventRecord, names: Mapping[str, NameRecord]) -> str:
    """Lower-cased text that free-text search and the actor filter look in, aliases included."""
    parts = [event.id, event.title, event.summary, event.note or ""]
    for name in (*event.actors, *event.places):
        parts.append(name)
        record = names.get(name)
        if record is not None:
            parts.extend(record.aliases)
    return "\n".join(parts).casefold()


def events_table(valid: ValidDataset) -> pd.DataFrame:
    """One row per event, columns and dtypes as declared in EVENT_COLUMNS (+ internal ones)."""
    rows: dict[str, list[Any]] = {name: [] for name in (*EVENT_COLUMNS, *INTERNAL_COLUMNS)}
    for event, span in zip(valid.events, valid.event_spans, strict=True):
        rows["id"].append(event.id)
        rows["dyad"].append(event.dyad.value)
        rows["counterpart"].append(COUNTERPARTS[event.dyad])
        rows["date"].append(event.date)
        rows["start"].append(span.start)
        rows["end"].append(span.end)
        rows["precision"].append(span.precision.value)
        rows["approximate"].append(span.approximate)
        rows["uncertain"].append(span.uncertain)
        rows["date_label"].append(span.label)
        rows["category"].append(event.category.value)
        rows["quad"].append(event.quad.value)
        rows["title"].append(event.title)
        rows["summary"].append(event.summary)
        rows["actors"].append(tuple(event.actors))
        rows["places"].append(tuple(event.places))
        rows["related"].append(tuple(event.related))
        rows["note"].append(event.note or "")
        sources = _source_details(event.sources, valid.sources, valid.hosts)
        rows["provenance_note"].append(event.provenance_note or "")
        rows["has_original"].append(any(source["is_original"] for source in sources))
        rows["source_ids"].append(tuple(citation.id for citation in event.sources))
        rows["sources"].append(sources)
        rows["search_text"].append(_search_text(event, valid.names))
    frame = _typed_frame(rows, {**EVENT_COLUMNS, **INTERNAL_COLUMNS})
    return frame.sort_values(["start", "end", "id"], kind="stable").reset_index(drop=True)


def periods_table(periods: list[PeriodRecord], spans: list[DateSpan],
                  sources: Mapping[str, SourceRecord] | None = None,
                  hosts: Mapping[str, HostRecord] | None = None) -> pd.DataFrame:
    """Background bands: one row per status or regime period, with its description and sources."""
    rows: dict[str, list[Any]] = {name: [] for name in (*PERIOD_COLUMNS, *PERIOD_DETAIL_COLUMNS)}
    for period, span in zip(periods, spans, strict=True):
        rows["id"].append(period.id)
        rows["lane"].append(period.lane.value)
        rows["kind"].append(period.kind.value)
        rows["status"].append(period.status.value if period.status else "")
        rows["label"].append(period.label)
        rows["date"].append(period.date)
        rows["start"].append(span.start)
        rows["end"].append(span.end)
        rows["date_label"].append(span.label)
        rows["source_ids"].append(tuple(citation.id for citation in period.sources))
        rows["note"].append(period.note or "")
        cited = [citation for citation in period.sources if sources is not None and citation.id in sources]
        rows["sources"].append(_source_details(cited, sources or {}, hosts or {}))
    frame = _typed_frame(rows, {**PERIOD_COLUMNS, **PERIOD_DETAIL_COLUMNS})
    frame["lane"] = pd.Categorical(frame["lane"], categories=CATEGORICAL_VALUES["dyad"])
    return frame.sort_values(["lane", "kind", "start"]).reset_index(drop=True)
