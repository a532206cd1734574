"""Valid records -> the typed pandas tables every consumer reads (schema in pipeline.schema)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from pipeline.dates import DateSpan
from pipeline.provenance import is_original
from pipeline.schema import (
    CATEGORY_LABELS,
    COUNTERPARTS,
    EVENT_COLUMNS,
    INTERNAL_COLUMNS,
    PERIOD_COLUMNS,
    PERIOD_DETAIL_COLUMNS,
    QUAD_LABELS,
    SOURCE_DETAIL_KEYS,
    DtypeObj,
    EventRecord,
    HostRecord,
    NameRecord,
    PeriodRecord,
    SourceRecord,
)
from pipeline.search import joined, name_forms, normalize, searchable_fields
from pipeline.validate import ValidDataset


def _typed_frame(columns: Mapping[str, list[Any]], dtypes: Mapping[str, DtypeObj]) -> pd.DataFrame:
    """The columns as a frame with exactly the declared dtypes, in the declared order (one cast)."""
    frame = pd.DataFrame({name: pd.Series(columns[name], dtype=object) for name in dtypes}, columns=list(dtypes))
    return frame.astype(dict(dtypes))


def _source_details(
    citations: Iterable[Any], registry: Mapping[str, SourceRecord], hosts: Mapping[str, HostRecord]
) -> tuple[dict[str, Any], ...]:
    """One dict per citation (keys EXPORT_SOURCE_KEYS); absent optional fields are ''."""
    details = []
    for citation in citations:
        record = registry[citation.id]
        source = record.model_dump(mode="json") | {"quote": citation.quote, "translation": citation.translation}
        details.append(
            {
                key: is_original(record, hosts) if key == "is_original" else source.get(key) or ""
                for key in SOURCE_DETAIL_KEYS
            }
        )
    return tuple(details)


def _search_text(event: EventRecord) -> str:
    """Normalized text that word and phrase search look in (see pipeline.search)."""
    quotes = [part for citation in event.sources for part in (citation.quote, citation.translation or "")]
    return joined(
        searchable_fields(
            title=event.title,
            summary=event.summary,
            note=event.note or "",
            quotes=quotes,
            category_label=CATEGORY_LABELS[event.category],
            quad_label=QUAD_LABELS[event.quad],
        ).values()
    )


def _name_text(event: EventRecord, names: Mapping[str, NameRecord]) -> str:
    """Every normalized form of the event's actors and places, one name per line."""
    forms: list[str] = []
    for name in (*event.actors, *event.places):
        record = names.get(name)
        forms += name_forms(record) if record else (normalize(name),)
    return joined(forms)


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
        rows["search_text"].append(_search_text(event))
        rows["name_text"].append(_name_text(event, valid.names))
    frame = _typed_frame(rows, {**EVENT_COLUMNS, **INTERNAL_COLUMNS})
    return frame.sort_values(["start", "end", "id"], kind="stable").reset_index(drop=True)


def periods_table(
    periods: list[PeriodRecord],
    spans: list[DateSpan],
    sources: Mapping[str, SourceRecord] | None = None,
    hosts: Mapping[str, HostRecord] | None = None,
) -> pd.DataFrame:
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
    return frame.sort_values(["lane", "kind", "start"]).reset_index(drop=True)
