"""The one filter shared by the command line and the dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

import pandas as pd

from pipeline.dates import DateError, parse_span
from pipeline.schema import Category, Dyad, NameRecord, Precision, Quad, label
from pipeline.search import SearchQuery, parse_search, search_mask
from pipeline.text import name_key, quoted

_PLAIN_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?", re.ASCII)
MAX_SEARCH_LENGTH = 200


class FilterError(ValueError):
    """A filter value that is not allowed; the message says what was expected."""


@dataclass(frozen=True)
class EventFilter:
    """Empty tuples and None mean 'no restriction'."""

    dyads: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    quads: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    actors: tuple[str, ...] = ()  # canonical names
    search: str = ""
    # `search` parsed against the names registry; make_filter fills it in.
    query: SearchQuery = field(default_factory=SearchQuery)
    original_only: bool = False  # only events resting on at least one original publisher's page

    def is_empty(self) -> bool:
        return self == EventFilter()


def parse_bound(text: str, *, end: bool, today: date) -> date:
    """'1997', '1997-10' or '1997-10-30' -> the first (or, for `end`, the last) day it covers."""
    text = text.strip()
    if not _PLAIN_DATE.fullmatch(text):
        raise FilterError(f"date {quoted(text)} is not a plain date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    try:
        span = parse_span(text, today)
    except DateError as error:
        raise FilterError(f"date {quoted(text)}: {error} (expected YYYY, YYYY-MM or YYYY-MM-DD)") from error
    if span.precision not in (Precision.YEAR, Precision.MONTH, Precision.DAY):
        raise FilterError(f"date {quoted(text)} is a season or a range (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return span.end if end else span.start


def _checked(values: Iterable[str], allowed: Iterable[str], what: str) -> tuple[str, ...]:
    allowed_list = list(allowed)
    chosen = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    unknown = [v for v in chosen if v not in allowed_list]
    if unknown:
        shown = ", ".join(quoted(value) for value in unknown)
        raise FilterError(f"unknown {what} {shown} (expected one of {', '.join(allowed_list)})")
    return chosen


def alias_index(names: Mapping[str, NameRecord]) -> dict[str, str]:
    """Canonical name or alias, in comparison form (`name_key`) -> canonical name."""
    index: dict[str, str] = {}
    for canonical, record in names.items():
        index[name_key(canonical)] = canonical
        for alias in (*record.aliases, record.khmer, record.hangul, record.hanja):
            if alias:
                index.setdefault(name_key(alias), canonical)
    return index


def resolve_actors(values: Iterable[str], names: Mapping[str, NameRecord]) -> tuple[str, ...]:
    """Names or aliases (any case or Unicode form) -> canonical names; unknown ones raise FilterError."""
    index = alias_index(names)
    resolved, unknown = [], []
    for value in values:
        canonical = index.get(name_key(value))
        (resolved.append(canonical) if canonical else unknown.append(value))
    if unknown:
        shown = ", ".join(quoted(value) for value in unknown)
        raise FilterError(f"unknown name {shown} (expected a name or alias from names.yaml)")
    return tuple(dict.fromkeys(resolved))


def make_filter(
    *,
    dyads: Iterable[str] = (),
    categories: Iterable[str] = (),
    quads: Iterable[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    actors: Iterable[str] = (),
    search: str = "",
    original_only: bool = False,
    names: Mapping[str, NameRecord] | None = None,
    today: date | None = None,
) -> EventFilter:
    """Build a filter from text values (command line, URL), checking each against the schema."""
    today = today or date.today()
    if len(search) > MAX_SEARCH_LENGTH:
        raise FilterError(f"search text is {len(search)} characters (expected at most {MAX_SEARCH_LENGTH})")
    flt = EventFilter(
        dyads=_checked(dyads, (d.value for d in Dyad), "lane"),
        categories=_checked(categories, (c.value for c in Category), "category"),
        quads=_checked(quads, (q.value for q in Quad), "quad"),
        date_from=parse_bound(date_from, end=False, today=today) if date_from else None,
        date_to=parse_bound(date_to, end=True, today=today) if date_to else None,
        actors=resolve_actors(actors, names or {}) if actors else (),
        search=" ".join(search.split()),
        query=parse_search(search, names),
        original_only=original_only,
    )
    if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
        raise FilterError(f"--to {date_to} is before --from {date_from}")
    return flt


def overlap_mask(frame: pd.DataFrame, date_from: date | None, date_to: date | None) -> pd.Series:
    """Rows whose [start, end] span overlaps the range (an open end is no bound): events and periods alike."""
    mask = pd.Series(True, index=frame.index)
    if date_from is not None:
        mask &= frame["end"] >= pd.Timestamp(date_from)
    if date_to is not None:
        mask &= frame["start"] <= pd.Timestamp(date_to)
    return mask


def filter_mask(events: pd.DataFrame, flt: EventFilter) -> pd.Series:
    """Boolean mask of the rows that pass `flt`. Dates overlap-match: an event dated
    '1970' passes a filter from 1970-06 because it may fall inside it."""
    mask = pd.Series(True, index=events.index)
    if flt.dyads:
        mask &= events["dyad"].isin(flt.dyads)
    if flt.categories:
        mask &= events["category"].isin(flt.categories)
    if flt.quads:
        mask &= events["quad"].isin(flt.quads)
    mask &= overlap_mask(events, flt.date_from, flt.date_to)
    if flt.actors:
        wanted = set(flt.actors)
        mask &= events["actors"].map(lambda names: not wanted.isdisjoint(names)).astype(bool)
    if flt.original_only:
        mask &= events["has_original"]
    if flt.search:
        mask &= search_mask(events, flt.query if flt.query else parse_search(flt.search))
    return mask


def filter_events(events: pd.DataFrame, flt: EventFilter) -> pd.DataFrame:
    return events[filter_mask(events, flt)] if not flt.is_empty() else events


class Part(StrEnum):
    """The independent parts of a filter, each removable on its own (the filter is their conjunction)."""

    LANES = "lanes"
    CATEGORIES = "categories"
    QUADS = "quads"
    DATES = "dates"
    ACTORS = "actors"
    SEARCH = "search"
    SOURCES = "sources"


# What removing a part resets it to: EventFilter field -> its "no restriction" value.
_PART_FIELDS: dict[Part, dict[str, object]] = {
    Part.LANES: {"dyads": ()},
    Part.CATEGORIES: {"categories": ()},
    Part.QUADS: {"quads": ()},
    Part.DATES: {"date_from": None, "date_to": None},
    Part.ACTORS: {"actors": ()},
    Part.SEARCH: {"search": "", "query": SearchQuery()},
    Part.SOURCES: {"original_only": False},
}


def bound_words(bound: date | None, *, end: bool) -> str:
    """A filter bound as the reader gave it: a year stays a year ('1990', not '1990-01-01'), a month a
    month; '…' for no bound. From-bounds fall on a first day, to-bounds on a last day."""
    if bound is None:
        return "…"
    next_day = bound + timedelta(days=1)
    month_edge = next_day.day == 1 if end else bound.day == 1
    year_edge = month_edge and (bound.month == 12 if end else bound.month == 1)
    if year_edge:
        return f"{bound.year:04d}"
    if month_edge:
        return f"{bound.year:04d}-{bound.month:02d}"
    return bound.isoformat()


def filter_parts(flt: EventFilter) -> dict[Part, str]:
    """The parts in use, in a fixed order, each in words ('lanes: Cambodia–North Korea')."""
    parts: dict[Part, str] = {}
    if flt.dyads:
        parts[Part.LANES] = "lanes: " + ", ".join(label("dyad", d) for d in flt.dyads)
    if flt.categories:
        parts[Part.CATEGORIES] = "categories: " + ", ".join(label("category", c) for c in flt.categories)
    if flt.quads:
        parts[Part.QUADS] = "quad: " + ", ".join(label("quad", q) for q in flt.quads)
    if flt.date_from or flt.date_to:
        parts[Part.DATES] = f"dates: {bound_words(flt.date_from, end=False)} to {bound_words(flt.date_to, end=True)}"
    if flt.actors:
        parts[Part.ACTORS] = "actors: " + ", ".join(flt.actors)
    if flt.search:
        parts[Part.SEARCH] = f"search: “{flt.search}”"
    if flt.original_only:
        parts[Part.SOURCES] = "sources: original publishers only"
    return parts


def without(flt: EventFilter, parts: Iterable[Part]) -> EventFilter:
    """The filter with these parts removed and the others kept."""
    changes: dict[str, object] = {}
    for part in parts:
        changes.update(_PART_FIELDS[part])
    return replace(flt, **changes)  # type: ignore[arg-type]


def parts_hiding(events: pd.DataFrame, event_id: str, flt: EventFilter) -> tuple[Part, ...]:
    """The parts of `flt` that each exclude the event on their own; removing all of them shows it
    (the filter is a conjunction). Empty when the event passes or is not in `events`."""
    row = events[events["id"] == event_id]
    if row.empty:
        return ()
    return tuple(part for part in filter_parts(flt) if not filter_mask(row, only(flt, part)).all())


def only(flt: EventFilter, part: Part) -> EventFilter:
    """The filter reduced to one of its parts."""
    return without(flt, (other for other in Part if other != part))


def describe_filter(flt: EventFilter) -> str:
    """What is filtered, in words ('' when nothing is)."""
    return "; ".join(filter_parts(flt).values())


def filter_slug(flt: EventFilter) -> str:
    """A file-name-safe summary of the filter: 'KHM-PRK_1990-2000_search-restaurant'."""
    parts: list[str] = []
    parts += flt.dyads
    parts += flt.categories
    parts += flt.quads
    if flt.date_from or flt.date_to:
        start = bound_words(flt.date_from, end=False) if flt.date_from else "start"
        parts.append(f"{start}-to-{bound_words(flt.date_to, end=True) if flt.date_to else 'end'}")
    parts += [f"actor-{a}" for a in flt.actors]
    if flt.search:
        parts.append(f"search-{flt.search}")
    if flt.original_only:
        parts.append("original-sources")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(parts)).strip("-_")
    return slug[:120] or "all"
