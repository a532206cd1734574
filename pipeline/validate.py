"""Validation: plain data of every file -> typed records, or every problem at once.

Record shapes come from `pipeline.schema` and are checked by pydantic; this module adds
what a single record cannot know: duplicate ids and names, references between records
(sources, names, related events) and dates.

Two rules keep it small:
- a problem is made in one place, `Report.at(origin, inner path, …)`: the path inside the
  record is written once, and the field text and the line both come from it;
- the cross-record checks run once, over `Facts`: what every record (valid or not) says
  about ids, dates, citations, names and related events, read from the fields that passed
  their shape check. A record with a wrong category still has its sources checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pipeline.dates import FORMS, DateError, DateSpan, bounds_problems, parse_span
from pipeline.problems import Problem
from pipeline.provenance import citation_problems, host_problems, original_problems, source_problems
from pipeline.schema import (
    EARLIEST_YEAR,
    PATTERN_DESCRIPTIONS,
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
from pipeline.text import confusable_difference, name_key, quoted
from pipeline.yamlio import YamlPath

# Locates (file, path inside the file) -> line; may re-read the file to find out.
LineFinder = Callable[[str, YamlPath], int]

_ADAPTERS: dict[str, TypeAdapter[Any]] = {section: TypeAdapter(model) for section, model in SECTION_RECORDS.items()}
_LIST_ADAPTERS: dict[str, TypeAdapter[list[Any]]] = {
    section: TypeAdapter(list[model])  # type: ignore[valid-type]
    for section, model in SECTION_RECORDS.items()
}
# Fields whose values are dates, per section.
_DATE_FIELDS = {"events": ("date",), "periods": ("date",), "sources": ("published", "original_date")}
_NAME_FIELDS = ("actors", "places")


@dataclass(frozen=True, slots=True)
class Origin:
    file: str
    section: str
    index: int

    def path(self, *inner: str | int) -> YamlPath:
        return (self.section, self.index, *inner)


def field_name(inner: Iterable[str | int]) -> str:
    """('sources', 0, 'id') -> 'sources[0].id'; () -> '(record)'."""
    text = ""
    for part in inner:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(record)"


@dataclass(frozen=True, slots=True)
class Report:
    """Makes every problem of a record from its origin and the path inside it."""

    line_finder: LineFinder

    def at(self, origin: Origin, inner: YamlPath, message: str, expected: str = "") -> Problem:
        return Problem(
            origin.file, self.line_finder(origin.file, origin.path(*inner)), field_name(inner), message, expected
        )

    def line(self, origin: Origin, *inner: str | int) -> int:
        return self.line_finder(origin.file, origin.path(*inner))


@dataclass(frozen=True, slots=True)
class Facts:
    """What one record says that other records must agree with (its well-formed fields only)."""

    origin: Origin
    id: str | None = None
    dates: tuple[tuple[str, str], ...] = ()  # (field, EDTF text)
    citations: tuple[tuple[int, str], ...] = ()  # (position, source id)
    names: tuple[tuple[str, int, str], ...] = ()  # (field, position, name)
    related: tuple[tuple[int, str], ...] = ()  # (position, event id)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def facts_of(raw: Mapping[str, Any], origin: Origin, bad_fields: set[str]) -> Facts:
    """The facts of a record's plain mapping, leaving out the fields that failed their shape check."""
    values = raw if not bad_fields else {key: value for key, value in raw.items() if key not in bad_fields}
    section = origin.section
    dates = tuple((name, text) for name in _DATE_FIELDS.get(section, ()) if (text := _text(values.get(name))))
    if section == "sources" or section not in ("events", "periods"):
        own = _text(values.get("id")) if section == "sources" else None
        return Facts(origin, own, dates)
    cited = values.get("sources")
    citations = tuple(
        (position, source_id)
        for position, item in enumerate(cited if isinstance(cited, list) else ())
        if isinstance(item, dict) and (source_id := _text(item.get("id")))
    )
    names: tuple[tuple[str, int, str], ...] = ()
    related: tuple[tuple[int, str], ...] = ()
    if section == "events":
        names = tuple(
            (name_field, position, name)
            for name_field in _NAME_FIELDS
            if isinstance(listed := values.get(name_field), list)
            for position, value in enumerate(listed)
            if (name := _text(value))
        )
        linked = values.get("related")
        related = tuple(
            (position, text) for position, value in enumerate(linked if isinstance(linked, list) else ())
            if (text := _text(value))
        )  # fmt: skip
    return Facts(origin, _text(values.get("id")), dates, citations, names, related)


@dataclass(slots=True)
class Records:
    """Every valid record of a dataset with where it was written, and the facts of every record."""

    sources: list[tuple[SourceRecord, Origin]] = field(default_factory=list)
    hosts: list[tuple[HostRecord, Origin]] = field(default_factory=list)
    names: list[tuple[NameRecord, Origin]] = field(default_factory=list)
    periods: list[tuple[PeriodRecord, Origin]] = field(default_factory=list)
    events: list[tuple[EventRecord, Origin]] = field(default_factory=list)
    facts: list[Facts] = field(default_factory=list)


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


_TYPE_WORDS = {"string_type": "text", "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping"}


def describe_pydantic_error(error: Mapping[str, Any], model: type[Record]) -> tuple[str, str]:
    """(message, expected) in the project's words for one pydantic error."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    shown = type(value).__name__ if isinstance(value, (dict, list)) else quoted(value)
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
        what, expected = PATTERN_DESCRIPTIONS.get(str(ctx.get("pattern", "")), ("does not match its pattern", ""))
        return f"{what}: {shown}", expected
    if kind in _TYPE_WORDS:
        return f"wrong type: got {'nothing (null)' if value is None else shown}", _TYPE_WORDS[kind]
    return str(error["msg"]), ""


def _kind(value: Any) -> str:
    """What a YAML value is, in words: 'text', 'a list', 'a mapping', 'empty'."""
    if value is None:
        return "empty"
    return "text" if isinstance(value, str) else ("a list" if isinstance(value, list) else "a mapping")


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
            problems.append(Problem(file, line_of((key,)), key, "unknown top-level key", f"one of {expected_keys}"))
        elif not isinstance(value, list):
            problems.append(Problem(file, line_of((key,)), key, f"is {_kind(value)}", "a list"))
    return problems


def collect_records(
    file: str, data: dict[str, Any], records: Records, line_of: Callable[[YamlPath], int]
) -> list[Problem]:
    """Check each record's shape with pydantic; add the good ones and every record's facts to `records`."""
    report = Report(lambda _file, path: line_of(path))
    problems: list[Problem] = []
    for section, model in SECTION_RECORDS.items():
        items = data.get(section)
        if not isinstance(items, list):
            continue
        target: list[Any] = getattr(records, section)
        try:  # one call for a clean section (the usual case), record by record only when something is wrong
            valid: list[Any] | None = _LIST_ADAPTERS[section].validate_python(items)
        except ValidationError:
            valid = None
        for index, item in enumerate(items):
            origin = Origin(file, section, index)
            bad_fields: set[str] = set()
            if valid is not None:
                target.append((valid[index], origin))
            else:
                try:
                    target.append((_ADAPTERS[section].validate_python(item), origin))
                except ValidationError as error:
                    for detail in error.errors():
                        inner = tuple(detail["loc"])
                        bad_fields.add(str(inner[0]) if inner else "")
                        problems.append(report.at(origin, inner, *describe_pydantic_error(detail, model)))
            if isinstance(item, dict) and "" not in bad_fields:
                records.facts.append(facts_of(item, origin, bad_fields))
    return problems


# ---------------------------------------------------------------- cross-record checks


def _duplicates(facts: Iterable[Facts], section: str, what: str, report: Report) -> list[Problem]:
    first_seen: dict[str, Origin] = {}
    problems = []
    for fact in facts:
        if fact.origin.section != section or fact.id is None:
            continue
        first = first_seen.setdefault(fact.id, fact.origin)
        if first is not fact.origin:
            problems.append(
                report.at(
                    fact.origin,
                    ("id",),
                    f"duplicate {what} {quoted(fact.id)} (first at {first.file}:{report.line(first, 'id')})",
                    f"a unique {what}",
                )
            )
    return problems


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Canonical names and aliases, compared by `name_key` (NFKC, confusables, case)."""

    canonical: dict[str, NameRecord]
    by_key: dict[str, str]  # key of a canonical name -> the name
    alias_of: dict[str, str]  # key of an alias -> canonical name


def name_index(records: Records, report: Report) -> tuple[NameIndex, list[Problem]]:
    """The names registry, and every duplicate, confusable or clashing spelling in it."""
    problems: list[Problem] = []
    canonical: dict[str, NameRecord] = {}
    by_key: dict[str, tuple[str, Origin]] = {}
    for record, origin in records.names:
        key = name_key(record.name)
        seen = by_key.get(key)
        if seen is None:
            by_key[key] = (record.name, origin)
            canonical[record.name] = record
            continue
        where = f"{seen[1].file}:{report.line(seen[1], 'name')}"
        message = (
            f"duplicate name {quoted(record.name)} (first at {where})"
            if seen[0] == record.name
            else f"name {quoted(record.name)} is confusable with {quoted(seen[0])} (first at {where}): "
            f"{confusable_difference(record.name, seen[0])}"
        )
        problems.append(report.at(origin, ("name",), message, "a unique name"))
    alias_of: dict[str, str] = {}
    for record, origin in records.names:
        if canonical.get(record.name) is not record:
            continue
        for position, alias in enumerate(record.aliases):
            key = name_key(alias)
            owner = by_key.get(key)
            other = alias_of.get(key)
            if owner is not None and owner[0] != record.name:
                message = f"alias {quoted(alias)} is (or looks like) the canonical name {quoted(owner[0])}"
            elif other is not None and other != record.name:
                message = f"alias {quoted(alias)} is (or looks like) an alias of {quoted(other)}"
            else:
                alias_of.setdefault(key, record.name)
                continue
            problems.append(report.at(origin, ("aliases", position), message, "each spelling to name one entry"))
    return NameIndex(canonical, {key: name for key, (name, _) in by_key.items()}, alias_of), problems


def _name_problem(name: str, names: NameIndex) -> str | None:
    """Why `name` may not stand in an event's actors or places (None when it is canonical)."""
    if name in names.canonical:
        return None
    key = name_key(name)
    look_alike = names.by_key.get(key)
    if look_alike is not None:
        return (
            f"{quoted(name)} looks like the canonical name {quoted(look_alike)} but is spelled differently: "
            f"{confusable_difference(name, look_alike)}"
        )
    hint = names.alias_of.get(key)
    if hint is not None:
        return f"{quoted(name)} is an alias; use the canonical name {quoted(hint)}"
    return f"unknown name {quoted(name)}"


@dataclass(frozen=True, slots=True)
class _Context:
    today: date
    source_ids: set[str]
    event_ids: set[str]
    names: NameIndex


def _date_span(
    fact: Facts, date_field: str, text: str, context: _Context, report: Report
) -> tuple[DateSpan | None, list[Problem]]:
    try:
        span = parse_span(text, context.today)
    except DateError as error:
        return None, [report.at(fact.origin, (date_field,), f"{quoted(text)}: {error}", FORMS)]
    if date_field != "date":
        return span, []
    expected = f"a date between {EARLIEST_YEAR} and {context.today.isoformat()}"
    return span, [
        report.at(fact.origin, ("date",), f"{quoted(text)} {reason}", expected)
        for reason in bounds_problems(span, context.today)
    ]


def _fact_problems(fact: Facts, context: _Context, report: Report, spans: dict[Origin, DateSpan]) -> list[Problem]:
    """Every cross-record check of one record."""
    problems: list[Problem] = []
    for date_field, text in fact.dates:
        span, date_problems = _date_span(fact, date_field, text, context, report)
        problems += date_problems
        if span is not None and date_field == "date":
            spans[fact.origin] = span
    for position, source_id in fact.citations:
        if source_id not in context.source_ids:
            problems.append(
                report.at(
                    fact.origin,
                    ("sources", position, "id"),
                    f"unknown source {quoted(source_id)}",
                    "an id from the sources registry (sources.yaml)",
                )
            )
    for name_field, position, name in fact.names:
        message = _name_problem(name, context.names)
        if message is not None:
            problems.append(report.at(fact.origin, (name_field, position), message, "a canonical name from names.yaml"))
    for position, related in fact.related:
        if related == fact.id:
            problems.append(
                report.at(
                    fact.origin, ("related", position), "an event cannot relate to itself", "the id of another event"
                )
            )
        elif related not in context.event_ids:
            problems.append(
                report.at(
                    fact.origin, ("related", position), f"unknown event id {quoted(related)}", "the id of another event"
                )
            )
    return problems


def _period_problems(records: Records, report: Report) -> list[Problem]:
    problems = []
    for period, origin in records.periods:
        if period.kind is PeriodKind.STATUS and period.status is None:
            problems.append(
                report.at(origin, ("status",), "a status period needs a status", "one of the status values")
            )
        if period.kind is PeriodKind.REGIME and period.lane is not Dyad.CONTEXT:
            problems.append(
                report.at(
                    origin,
                    ("lane",),
                    f"regime periods belong to the context lane, got {quoted(period.lane.value)}",
                    "context",
                )
            )
    return problems


def _provenance_problems(records: Records, report: Report) -> tuple[dict[str, HostRecord], list[Problem]]:
    """The host registry (first entry of each host), and the provenance rules (pipeline.provenance)."""
    hosts: dict[str, HostRecord] = {}
    for host, _ in records.hosts:
        hosts.setdefault(host.host, host)
    problems = host_problems(records.hosts, report)
    sources = {record.id: record for record, _ in records.sources}
    for source, origin in records.sources:
        problems += source_problems(source, origin, hosts, report)
    for event, origin in records.events:
        problems += citation_problems(event.sources, origin, sources, report)
        problems += original_problems(
            event.sources, event.provenance_note, origin, sources=sources, hosts=hosts, report=report
        )
    for period, origin in records.periods:
        problems += citation_problems(period.sources, origin, sources, report)
    return hosts, problems


def check_dataset(records: Records, today: date, line_finder: LineFinder) -> tuple[ValidDataset | None, list[Problem]]:
    """Cross-record checks; the valid dataset when there is nothing to report."""
    report = Report(line_finder)
    problems: list[Problem] = []
    for section, what in (("sources", "source id"), ("events", "event id"), ("periods", "period id")):
        problems += _duplicates(records.facts, section, what, report)
    names, name_problems = name_index(records, report)
    problems += name_problems
    context = _Context(
        today,
        source_ids={record.id for record, _ in records.sources},
        event_ids={fact.id for fact in records.facts if fact.origin.section == "events" and fact.id is not None},
        names=names,
    )
    spans: dict[Origin, DateSpan] = {}
    for fact in records.facts:
        problems += _fact_problems(fact, context, report, spans)
    problems += _period_problems(records, report)
    hosts, provenance = _provenance_problems(records, report)
    problems += provenance
    if problems:
        return None, problems
    return ValidDataset(
        sources={record.id: record for record, _ in records.sources},
        names=names.canonical,
        hosts=hosts,
        events=[event for event, _ in records.events],
        event_spans=[spans[origin] for _, origin in records.events],
        periods=[period for period, _ in records.periods],
        period_spans=[spans[origin] for _, origin in records.periods],
    ), []
