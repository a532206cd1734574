"""Comparing the lanes: stepping through events, what happened elsewhere around an event,
cooperation versus conflict per year, and the relationship history of the periods.

Pure functions: tables in, tables (or ids) out. No Streamlit, no Plotly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from pipeline.schema import DYAD_LABELS, QUAD_LABELS, STATUS_LABELS, Dyad, Quad

# The window choices of "Around this event", in months either side; the URL key `around`.
AROUND_MONTHS: Final = (3, 6, 12, 24)
DEFAULT_AROUND: Final = 12

COOPERATION: Final = (Quad.VERBAL_COOPERATION.value, Quad.MATERIAL_COOPERATION.value)
CONFLICT: Final = (Quad.VERBAL_CONFLICT.value, Quad.MATERIAL_CONFLICT.value)
# Drawing order of the quad chart: cooperation up from zero, conflict down, neutral apart.
QUAD_ORDER: Final = (*COOPERATION, *CONFLICT, Quad.NEUTRAL.value)

QUAD_METHOD_NOTE: Final = (
    "Method: events counted per lane and calendar year by PLOVER quad class; net cooperation = cooperation − "
    "conflict (neutral not counted). An event whose date may fall in more than one year (e.g. 1996/2018) is left "
    "out, not guessed into a year; the title says how many."
)


# ---------------------------------------------------------------- Previous / Next


def _key(start: Any, end: Any, event_id: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    return pd.Timestamp(start), pd.Timestamp(end), str(event_id)


@dataclass(frozen=True)
class Neighbours:
    previous: str | None
    next: str | None


def neighbours(shown: pd.DataFrame, current: pd.Series, *, lane: str | None = None) -> Neighbours:
    """The events just before and after `current` among `shown`, in date order (start, end, id).

    `lane` restricts the steps to one lane. `current` need not be among `shown` (a filter may
    hide it): the steps are then the shown events on either side of where it would sort.
    """
    candidates = shown if lane is None else shown[shown["dyad"] == lane]
    keys = sorted(
        _key(s, e, i) for s, e, i in zip(candidates["start"], candidates["end"], candidates["id"], strict=True)
    )
    here = _key(current["start"], current["end"], current["id"])
    before = bisect_left(keys, here)
    after = bisect_right(keys, here)
    return Neighbours(
        previous=keys[before - 1][2] if before > 0 else None, next=keys[after][2] if after < len(keys) else None
    )


# ---------------------------------------------------------------- Around this event


def around_window(start: Any, end: Any, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The window ±`months` calendar months around an event's whole date span."""
    return (pd.Timestamp(start) - pd.DateOffset(months=months), pd.Timestamp(end) + pd.DateOffset(months=months))


def events_around(events: pd.DataFrame, current: pd.Series, months: int) -> pd.DataFrame:
    """The events of the *other* lanes whose date span overlaps ±`months` around `current`, in date
    order. `events` is every event: the lane filter does not apply here (the point is the lanes
    one is not looking at)."""
    if months not in AROUND_MONTHS:
        raise ValueError(f"around window {months!r} is not one of {AROUND_MONTHS}")
    low, high = around_window(current["start"], current["end"], months)
    mask = (events["dyad"] != current["dyad"]) & (events["end"] >= low) & (events["start"] <= high)
    around: pd.DataFrame = events[mask].sort_values(["start", "end", "id"], kind="stable")
    return around


# ---------------------------------------------------------------- cooperation vs conflict


def single_year(events: pd.DataFrame) -> pd.Series:
    """True for events whose whole possible span lies in one calendar year."""
    same: pd.Series = events["start"].dt.year == events["end"].dt.year
    return same


def quad_counts(events: pd.DataFrame, lanes: tuple[str, ...]) -> pd.DataFrame:
    """Events per lane, year and quad class: columns lane, year, quad, count (no zero rows).

    Events dated to more than one possible year are not counted (see QUAD_METHOD_NOTE)."""
    chosen = events[events["dyad"].isin(lanes) & single_year(events)]
    if chosen.empty:
        return pd.DataFrame(
            {
                "lane": pd.Series(dtype=str),
                "year": pd.Series(dtype=int),
                "quad": pd.Series(dtype=str),
                "count": pd.Series(dtype=int),
            }
        )
    frame = pd.DataFrame(
        {
            "lane": chosen["dyad"].astype(str),
            "year": chosen["start"].dt.year.astype(int),
            "quad": chosen["quad"].astype(str),
        }
    )
    counts = frame.groupby(["lane", "year", "quad"], observed=True).size().rename("count").reset_index()
    return counts.sort_values(["lane", "year", "quad"], kind="stable").reset_index(drop=True)


def left_out_of_counts(events: pd.DataFrame, lanes: tuple[str, ...]) -> int:
    """How many events of `lanes` the yearly counts leave out (dated to more than one year)."""
    in_lanes = events["dyad"].isin(lanes)
    return int((in_lanes & ~single_year(events)).sum())


def net_cooperation(counts: pd.DataFrame) -> pd.DataFrame:
    """Per lane and year: cooperation − conflict (neutral does not count). Columns lane, year, net."""
    sign = counts["quad"].map(lambda q: 1 if q in COOPERATION else -1 if q in CONFLICT else 0)
    frame = counts.assign(net=counts["count"] * sign)
    net = frame.groupby(["lane", "year"], observed=True)["net"].sum().reset_index()
    return net.astype({"net": int})


# ---------------------------------------------------------------- relationship history


def first_publishers(sources: Any) -> str:
    """'Publisher, published: title; …' for a band's or event's sources."""
    parts = []
    for source in sources:
        published = f", {source['published']}" if source["published"] else ""
        parts.append(f"{source['publisher']}{published}: {source['title']}")
    return "; ".join(parts)


def period_history(periods: pd.DataFrame, lanes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The relationship history: one row per period (status bands and regimes), lane by lane in
    date order, with its dates, description and sources — every band listed, short ones included."""
    chosen = periods if lanes is None else periods[periods["lane"].isin(lanes)]
    chosen = chosen.sort_values(["lane", "kind", "start"], kind="stable")
    return pd.DataFrame(
        {
            "Lane": [
                DYAD_LABELS[Dyad(str(lane))] if lane != Dyad.CONTEXT else "Cambodia (regimes)"
                for lane in chosen["lane"]
            ],
            "Dates": list(chosen["date_label"]),
            "Period": list(chosen["label"]),
            "Status": [
                STATUS_LABELS.get(status, "") if kind == "status" else "Regime"
                for kind, status in zip(chosen["kind"], chosen["status"], strict=True)
            ],
            "Description": [str(note) if isinstance(note, str) else "" for note in chosen["note"]],
            "Sources": [first_publishers(sources) for sources in chosen["sources"]],
            "id": list(chosen["id"]),
        }
    )


def quad_label(quad: str) -> str:
    return QUAD_LABELS[Quad(quad)]


# ---------------------------------------------------------------- text equivalents


def timeline_summary(events: pd.DataFrame, lanes: tuple[str, ...], described: str) -> str:
    """The timeline in one sentence, for screen readers (the chart's accessible name)."""
    shown = events[events["dyad"].isin(lanes)]
    span = "" if shown.empty else f", {shown['start'].min().year}–{shown['end'].max().year}"
    per_lane = "; ".join(f"{DYAD_LABELS[Dyad(lane)]}: {int((shown['dyad'] == lane).sum())}" for lane in lanes)
    filters = f" Filtered by {described}." if described else ""
    return (
        f"Timeline of {len(shown)} events{span}, one lane per relationship ({per_lane}).{filters} "
        "The Chronology tab lists the same events as text."
    )


def quad_summary(counts: pd.DataFrame, lanes: tuple[str, ...]) -> str:
    """Cooperation and conflict totals per lane, for screen readers."""
    parts = []
    for lane in lanes:
        in_lane = counts[counts["lane"] == lane]
        cooperation = int(in_lane.loc[in_lane["quad"].isin(COOPERATION), "count"].sum())
        conflict = int(in_lane.loc[in_lane["quad"].isin(CONFLICT), "count"].sum())
        parts.append(f"{DYAD_LABELS[Dyad(lane)]}: {cooperation} cooperation, {conflict} conflict events")
    return "Cooperation versus conflict per year. " + "; ".join(parts) + "."


def counts_summary(events: pd.DataFrame, lanes: tuple[str, ...]) -> str:
    """The events-per-year chart in words, for screen readers: per lane, how many single-year events
    it counts and its busiest year (the earliest, when years tie)."""
    chosen = events[events["dyad"].isin(lanes) & single_year(events)]
    parts = []
    for lane in lanes:
        years = chosen.loc[chosen["dyad"] == lane, "start"].dt.year.value_counts()
        if years.empty:
            parts.append(f"{DYAD_LABELS[Dyad(lane)]}: none")
            continue
        busiest = int(years[years == years.max()].index.min())
        parts.append(f"{DYAD_LABELS[Dyad(lane)]}: {int(years.sum())}, most in {busiest} ({int(years.max())})")
    left_out = int(events["dyad"].isin(lanes).sum()) - len(chosen)
    return (
        "Events per year by category, one row per lane on the same scale; single-year events counted. "
        + "; ".join(parts)
        + f". {left_out} multi-year events not counted. The Events tab lists them."
    )
