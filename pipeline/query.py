"""Shareable view state <-> URL query parameters, through an allow-list.

Unknown keys, unknown values and malformed dates are dropped with a notice; the rest of
the link still applies. Nothing in a URL reaches the data or the page unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date

from pipeline.compare import AROUND_MONTHS
from pipeline.filters import EventFilter, FilterError, make_filter
from pipeline.schema import ID_PATTERN, NameKind, NameRecord

# URL key -> what it holds. Nothing else is read.
QUERY_KEYS: dict[str, str] = {
    "lane": "lanes (KHM-PRK, KHM-KOR, context)",
    "category": "categories",
    "quad": "quad classes",
    "from": "first year (YYYY)",
    "to": "last year (YYYY)",
    "actor": "actors (names or aliases)",
    "q": "search text",
    "sources": "which sources count: 'original' (original publishers only) or 'any'",
    "event": "selected event id",
    "v": "the data version the link was made with (read by pipeline.version.link_notice)",
    "around": "months either side of the selected event for “Around this event” (3, 6, 12 or 24)",
}
_YEAR = re.compile(r"^[0-9]{4}$", re.ASCII)
MAX_VALUES_PER_KEY = 50
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class ViewState:
    flt: EventFilter = field(default_factory=EventFilter)
    year_from: int | None = None
    year_to: int | None = None
    event: str | None = None
    around: int | None = None  # months; None: the default window (AROUND_MONTHS in pipeline.compare)


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_query(
    params: Mapping[str, Sequence[str]],
    names: Mapping[str, NameRecord],
    known_ids: Set[str],
    *,
    first_year: int,
    last_year: int,
    today: date | None = None,
) -> tuple[ViewState, list[str]]:
    """The view a link asks for, and a notice for every part of it that was ignored."""
    notices: list[str] = []
    clean: dict[str, list[str]] = {}
    for key, raw_values in params.items():
        if key not in QUERY_KEYS:
            notices.append(f"Ignored unknown link parameter “{key[:40]}”.")
            continue
        if key == "v":
            continue  # not view state: the page compares it with the data it shows
        values = [v for v in raw_values if isinstance(v, str)]
        if len(values) > MAX_VALUES_PER_KEY or any(len(v) > MAX_VALUE_LENGTH for v in values):
            notices.append(f"Ignored link parameter “{key}”: too long.")
            continue
        clean[key] = _split(values) if key != "q" else [" ".join(values)]

    def checked(key: str, build: dict[str, object]) -> dict[str, object]:
        try:
            make_filter(**build, names=names, today=today)  # type: ignore[arg-type]
        except FilterError as error:
            notices.append(f"Ignored link parameter “{key}”: {error}.")
            return {}
        return build

    parts: dict[str, object] = {}
    parts |= checked("lane", {"dyads": clean.get("lane", [])})
    parts |= checked("category", {"categories": clean.get("category", [])})
    parts |= checked("quad", {"quads": clean.get("quad", [])})
    parts |= checked("actor", {"actors": clean.get("actor", [])})
    actors = [name for name in parts.get("actors", ()) if isinstance(name, str)]  # type: ignore[attr-defined]
    places = [name for name in actors if name in names and names[name].kind is NameKind.PLACE]
    if places:
        notices.append(
            f"Ignored link parameter “actor”: {', '.join(places)} is a place, not an actor (search for it instead)."
        )
        parts["actors"] = [name for name in actors if name not in places]
    parts |= checked("q", {"search": clean.get("q", [""])[0]})
    source_values = clean.get("sources", [])
    if source_values == ["original"]:
        parts["original_only"] = True
    elif source_values and source_values != ["any"]:
        notices.append("Ignored link parameter “sources”: expected “original” or “any”.")

    years: dict[str, int | None] = {"from": None, "to": None}
    for key in years:
        values = clean.get(key, [])
        if not values:
            continue
        if len(values) == 1 and _YEAR.match(values[0]) and first_year <= int(values[0]) <= last_year:
            years[key] = int(values[0])
        else:
            notices.append(f"Ignored link parameter “{key}”: expected a year from {first_year} to {last_year}.")
    if years["from"] and years["to"] and years["from"] > years["to"]:
        notices.append("Ignored link parameters “from”/“to”: the range is reversed.")
        years = {"from": None, "to": None}

    flt = make_filter(
        **parts,  # type: ignore[arg-type]
        date_from=str(years["from"]) if years["from"] else None,
        date_to=str(years["to"]) if years["to"] else None,
        names=names,
        today=today,
    )
    event = None
    event_values = clean.get("event", [])
    if event_values:
        candidate = event_values[0]
        if ID_PATTERN.match(candidate) and candidate in known_ids:
            event = candidate
        else:
            notices.append("Ignored link parameter “event”: no such event.")
    around = None
    around_values = clean.get("around", [])
    if around_values:
        if len(around_values) == 1 and around_values[0] in {str(months) for months in AROUND_MONTHS}:
            around = int(around_values[0])
        else:
            notices.append("Ignored link parameter “around”: expected 3, 6, 12 or 24 (months).")
    return ViewState(flt=flt, year_from=years["from"], year_to=years["to"], event=event, around=around), notices


def to_query(state: ViewState) -> dict[str, str]:
    """URL parameters for a view; defaults are left out so links stay short."""
    query: dict[str, str] = {}
    if state.flt.dyads:
        query["lane"] = ",".join(state.flt.dyads)
    if state.flt.categories:
        query["category"] = ",".join(state.flt.categories)
    if state.flt.quads:
        query["quad"] = ",".join(state.flt.quads)
    if state.year_from is not None:
        query["from"] = str(state.year_from)
    if state.year_to is not None:
        query["to"] = str(state.year_to)
    if state.flt.actors:
        query["actor"] = ",".join(state.flt.actors)
    if state.flt.search:
        query["q"] = state.flt.search
    if state.flt.original_only:
        query["sources"] = "original"
    if state.event:
        query["event"] = state.event
        if state.around is not None:
            query["around"] = str(state.around)
    return query
