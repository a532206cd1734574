"""Validation: plain data of every file -> typed records, or every problem at once.

Record shapes come from `pipeline.schema` and are checked by pydantic; this module adds
what a single record cannot know: duplicate ids, references between records (sources,
names, related events) and dates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pipeline.dates import DateError, DateSpan, bounds_problems, parse_span
from pipeline.problems import Problem
from pipeline.schema import (
    SECTION_RECORDS,
    Dyad,
    EventRecord,
    HostRecord,
    NameRecord,
    PeriodKind,
    PeriodRecord,
    Record,
    SourceRecord,
)
from pipeline.yamlio import YamlPath

# Locates (file, path inside the file) -> line; may re-read the file to find out.
LineFinder = Callable[[str, YamlPath], int]

_ADAPTERS: dict[str, TypeAdapter[list[Any]]] = {
    section: TypeAdapter(list[model])  # type: ignore[valid-type]
    for section, model in SECTION_RECORDS.items()
}


@dataclass(frozen=True, slots=True)
class Origin:
    file: str
    section: str
    index: int

    def path(self, *inner: str | int) -> YamlPath:
        return (self.section, self.index, *inner)


@dataclass(slots=True)
class Records:
    """Every valid record of a dataset, each with where it was written."""

    sources: list[tuple[SourceRecord, Origin]] = field(default_factory=list)
    hosts: list[tuple[HostRecord, Origin]] = field(default_factory=list)
    names: list[tuple[NameRecord, Origin]] = field(default_factory=list)
    periods: list[tuple[PeriodRecord, Origin]] = field(default_factory=list)
    events: list[tuple[EventRecord, Origin]] = field(default_factory=list)
    # Records that failed their shape check: the raw mapping and the fields that were wrong,
    # so the cross-record checks can still report on the fields that were right.
    partial: list[tuple[dict[str, Any], Origin, set[str]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ValidDataset:
    """What the table builder needs: records that passed every check, and their dates."""

    sources: dict[str, SourceRecord]
    names: dict[str, NameRecord]
    events: list[EventRecord]
    hosts: dict[str, HostRecord]
    event_spans: list[DateSpan]
    periods: list[PeriodRecord]
    period_spans: list[DateSpan]


def _field_name(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(record)"


def _describe_pydantic_error(error: Mapping[str, Any], model: type[Record]) -> tuple[str, str]:
    """(message, expected) in the project's words for one pydantic error."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if kind == "missing":
        return "missing required field", "a value"
    if kind == "extra_forbidden":
        return "unknown key", "one of " + ", ".join(model.model_fields)
    if kind == "enum":
        return f"unknown value {shown}", f"one of {ctx.get('expected', '')}"
    if kind == "string_too_short":
        return "empty text", "non-empty text"
    if kind == "string_too_long":
        return f"text is {len(str(value))} characters long", f"at most {ctx.get('max_length')}"
    if kind == "too_short":
        return "empty list", "at least one entry"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^https?"):
            return f"not an http(s) URL: {shown}", "a URL starting with http:// or https://"
        return f"invalid id {shown}", "lower-case letters, digits and single '-' between them"
    if kind in ("string_type", "list_type", "dict_type", "model_type"):
        wanted = {"string_type": "text", "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping"}[
            kind
        ]
        return f"wrong type: got {shown}", wanted
    return str(error["msg"]), ""


def structure_problems(file: str, data: Any, line_of: Callable[[YamlPath], int]) -> list[Problem]:
    """Problems with the top level of one file (it must map section names to lists)."""
    expected_keys = ", ".join(SECTION_RECORDS)
    if data is None:
        return [Problem(file, 1, "(file)", "file is empty", f"a mapping with one or more of {expected_keys}")]
    if not isinstance(data, dict):
        return [
            Problem(
                file,
                1,
                "(file)",
                f"top level is {type(data).__name__}",
                f"a mapping with one or more of {expected_keys}",
            )
        ]
    problems = []
    for key, value in data.items():
        if key not in SECTION_RECORDS:
            problems.append(
                Problem(file, line_of((str(key),)), str(key), "unknown top-level key", f"one of {expected_keys}")
            )
        elif not isinstance(value, list):
            problems.append(Problem(file, line_of((key,)), key, f"is {type(value).__name__}", "a list"))
    return problems


def collect_records(
    file: str, data: dict[str, Any], records: Records, line_of: Callable[[YamlPath], int]
) -> list[Problem]:
    """Check each record's shape with pydantic; add the good ones to `records`."""
    problems: list[Problem] = []
    for section, model in SECTION_RECORDS.items():
        items = data.get(section)
        if not isinstance(items, list):
            continue
        bad_indexes: set[int] = set()
        try:
            valid = _ADAPTERS[section].validate_python(items)
        except ValidationError as error:
            valid = []
            bad_fields: dict[int, set[str]] = {}
            for detail in error.errors():
                index, *inner = detail["loc"]
                bad_indexes.add(int(index))
                bad_fields.setdefault(int(index), set()).add(str(inner[0]) if inner else "")
                message, expected = _describe_pydantic_error(detail, model)
                problems.append(Problem(file, line_of((section, index, *inner)), _field_name(inner), message, expected))
            # Validate the good ones one by one, so the rest of the checks still run.
            adapter = TypeAdapter(model)
            valid = [
                adapter.validate_python(item) if index not in bad_indexes else None for index, item in enumerate(items)
            ]
            records.partial.extend(
                (items[index], Origin(file, section, index), fields)
                for index, fields in bad_fields.items()
                if isinstance(items[index], dict) and "" not in fields
            )
        target: list[Any] = getattr(records, section)
        target.extend(
            (record, Origin(file, section, index)) for index, record in enumerate(valid) if record is not None
        )
    return problems


def _duplicates(
    keyed: Iterable[tuple[str, Origin]], field_name: str, what: str, line_finder: LineFinder
) -> list[Problem]:
    pairs = list(keyed)
    counts = Counter(key for key, _ in pairs)
    first_seen: dict[str, Origin] = {}
    problems = []
    for key, origin in pairs:
        if counts[key] < 2:
            continue
        if key not in first_seen:
            first_seen[key] = origin
            continue
        first = first_seen[key]
        first_line = line_finder(first.file, first.path(field_name))
        problems.append(
            Problem(
                origin.file,
                line_finder(origin.file, origin.path(field_name)),
                field_name,
                f"duplicate {what} {key!r} (first at {first.file}:{first_line})",
                f"a unique {what}",
            )
        )
    return problems


def _name_index(
    records: Records, line_finder: LineFinder
) -> tuple[dict[str, NameRecord], dict[str, str], list[Problem]]:
    """Canonical name -> record, alias -> canonical, and clashes between them."""
    problems = _duplicates(((r.name, o) for r, o in records.names), "name", "name", line_finder)
    canonical = {record.name: record for record, _ in records.names}
    alias_to_name: dict[str, str] = {}
    for record, origin in records.names:
        for position, alias in enumerate(record.aliases):
            other = alias_to_name.get(alias)
            if alias in canonical and alias != record.name:
                message = f"alias {alias!r} is itself a canonical name"
            elif other is not None and other != record.name:
                message = f"alias {alias!r} is also an alias of {other!r}"
            else:
                alias_to_name[alias] = record.name
                continue
            problems.append(
                Problem(
                    origin.file,
                    line_finder(origin.file, origin.path("aliases", position)),
                    f"aliases[{position}]",
                    message,
                    "each spelling to name one entry",
                )
            )
    return canonical, alias_to_name, problems


def _span_or_problem(
    text: str, today: date, origin: Origin, line_finder: LineFinder, problems: list[Problem]
) -> DateSpan | None:
    try:
        span = parse_span(text, today)
    except DateError as error:
        problems.append(
            Problem(
                origin.file,
                line_finder(origin.file, origin.path("date")),
                "date",
                f"{text!r}: {error}",
                "an EDTF date such as 1964, 2022-06, 1997-10-30, 1996/2018, 1975~",
            )
        )
        return None
    for reason in bounds_problems(span, today):
        problems.append(
            Problem(
                origin.file,
                line_finder(origin.file, origin.path("date")),
                "date",
                f"{text!r} {reason}",
                f"a date between 1950 and {today.isoformat()}",
            )
        )
    return span


def _citation_problems(
    source_ids: Iterable[Any], origin: Origin, sources: Mapping[str, SourceRecord], line_finder: LineFinder
) -> list[Problem]:
    problems = []
    for position, source_id in enumerate(source_ids):
        if source_id not in sources:
            problems.append(
                Problem(
                    origin.file,
                    line_finder(origin.file, origin.path("sources", position, "id")),
                    f"sources[{position}].id",
                    f"unknown source {source_id!r}",
                    "an id from the sources registry (sources.yaml)",
                )
            )
    return problems


def _name_problems(
    names_by_field: Mapping[str, Iterable[str]],
    origin: Origin,
    canonical: Mapping[str, NameRecord],
    alias_to_name: Mapping[str, str],
    line_finder: LineFinder,
) -> list[Problem]:
    """`names_by_field` maps 'actors' / 'places' to the names written there."""
    problems = []
    for field_name, names in names_by_field.items():
        for position, name in enumerate(names):
            if name in canonical:
                continue
            hint = alias_to_name.get(name)
            message = f"{name!r} is an alias; use the canonical name {hint!r}" if hint else f"unknown name {name!r}"
            problems.append(
                Problem(
                    origin.file,
                    line_finder(origin.file, origin.path(field_name, position)),
                    f"{field_name}[{position}]",
                    message,
                    "a canonical name from names.yaml",
                )
            )
    return problems


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _partial_problems(
    raw: dict[str, Any], origin: Origin, bad_fields: set[str], context: _CrossContext, line_finder: LineFinder
) -> list[Problem]:
    """Cross-record checks on the well-formed fields of a record that failed its shape check."""
    problems: list[Problem] = []
    if "date" not in bad_fields and isinstance(raw.get("date"), str):
        _span_or_problem(raw["date"], context.today, origin, line_finder, problems)
    if "sources" not in bad_fields and isinstance(raw.get("sources"), list):
        source_ids = [item.get("id") for item in raw["sources"] if isinstance(item, dict)]
        if len(source_ids) == len(raw["sources"]):
            problems += _citation_problems(source_ids, origin, context.sources, line_finder)
    if origin.section == "events":
        names = {
            field_name: _strings(raw.get(field_name))
            for field_name in ("actors", "places")
            if field_name not in bad_fields
        }
        problems += _name_problems(names, origin, context.canonical, context.alias_to_name, line_finder)
        if "related" not in bad_fields:
            problems += _related_problems(
                raw.get("id"), _strings(raw.get("related")), origin, context.event_ids, line_finder
            )
    return problems


def _related_problems(
    own_id: Any, related_ids: Iterable[str], origin: Origin, event_ids: set[str], line_finder: LineFinder
) -> list[Problem]:
    problems = []
    for position, related in enumerate(related_ids):
        if related not in event_ids or related == own_id:
            problems.append(
                Problem(
                    origin.file,
                    line_finder(origin.file, origin.path("related", position)),
                    f"related[{position}]",
                    "an event cannot relate to itself" if related == own_id else f"unknown event id {related!r}",
                    "the id of another event",
                )
            )
    return problems


@dataclass(frozen=True, slots=True)
class _CrossContext:
    today: date
    sources: Mapping[str, SourceRecord]
    canonical: Mapping[str, NameRecord]
    alias_to_name: Mapping[str, str]
    event_ids: set[str]


def check_dataset(records: Records, today: date, line_finder: LineFinder) -> tuple[ValidDataset | None, list[Problem]]:
    """Cross-record checks; the valid dataset when there is nothing to report."""
    problems: list[Problem] = []
    problems += _duplicates(((r.id, o) for r, o in records.sources), "id", "source id", line_finder)
    problems += _duplicates(((r.id, o) for r, o in records.events), "id", "event id", line_finder)
    problems += _duplicates(((r.id, o) for r, o in records.periods), "id", "period id", line_finder)
    sources = {record.id: record for record, _ in records.sources}
    canonical, alias_to_name, name_problems = _name_index(records, line_finder)
    problems += name_problems
    event_ids = {record.id for record, _ in records.events}
    event_ids |= {
        raw["id"] for raw, origin, _ in records.partial if origin.section == "events" and isinstance(raw.get("id"), str)
    }

    for source, origin in records.sources:
        if source.published is not None:
            try:
                parse_span(source.published, today)
            except DateError as error:
                problems.append(
                    Problem(
                        origin.file,
                        line_finder(origin.file, origin.path("published")),
                        "published",
                        f"{source.published!r}: {error}",
                        "an EDTF date",
                    )
                )

    event_spans: list[DateSpan] = []
    for event, origin in records.events:
        span = _span_or_problem(event.date, today, origin, line_finder, problems)
        if span is not None:
            event_spans.append(span)
        problems += _citation_problems((citation.id for citation in event.sources), origin, sources, line_finder)
        problems += _name_problems(
            {"actors": event.actors, "places": event.places}, origin, canonical, alias_to_name, line_finder
        )
        problems += _related_problems(event.id, event.related, origin, event_ids, line_finder)

    period_spans: list[DateSpan] = []
    for period, origin in records.periods:
        span = _span_or_problem(period.date, today, origin, line_finder, problems)
        if span is not None:
            period_spans.append(span)
        problems += _citation_problems((citation.id for citation in period.sources), origin, sources, line_finder)
        if period.kind is PeriodKind.STATUS and period.status is None:
            problems.append(
                Problem(
                    origin.file,
                    line_finder(origin.file, origin.path()),
                    "status",
                    "a status period needs a status",
                    "one of the status values",
                )
            )
        if period.kind is PeriodKind.REGIME and period.lane is not Dyad.CONTEXT:
            problems.append(
                Problem(
                    origin.file,
                    line_finder(origin.file, origin.path("lane")),
                    "lane",
                    f"regime periods belong to the context lane, got {period.lane.value!r}",
                    "context",
                )
            )

    context = _CrossContext(today, sources, canonical, alias_to_name, event_ids)
    for raw, origin, bad_fields in records.partial:
        problems += _partial_problems(raw, origin, bad_fields, context, line_finder)

    if problems:
        return None, problems
    return ValidDataset(
        sources=sources,
        names=canonical,
        hosts={record.host: record for record, _ in records.hosts},
        events=[event for event, _ in records.events],
        event_spans=event_spans,
        periods=[period for period, _ in records.periods],
        period_spans=period_spans,
    ), []
