"""The parallel chronology: the filtered events year by year, Cambodia–North Korea beside
Cambodia–South Korea, Context events spanning both; and a printable HTML document of it.

This is also the timeline's text equivalent. Pure: a table in, rows or a string out.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from pipeline.schema import DYAD_LABELS, Dyad

COLUMNS: Final = (Dyad.KHM_PRK.value, Dyad.KHM_KOR.value)


@dataclass(frozen=True)
class Entry:
    id: str
    date_label: str
    title: str
    source: str  # the first source: 'Publisher, published'


@dataclass(frozen=True)
class Year:
    year: int
    context: list[Entry] = field(default_factory=list)
    lanes: dict[str, list[Entry]] = field(default_factory=dict)  # KHM-PRK / KHM-KOR -> entries


def first_source(sources: Sequence[Mapping[str, Any]]) -> str:
    if not sources:
        return ""
    source = sources[0]
    return str(source["publisher"]) + (f", {source['published']}" if source["published"] else "")


def chronology(events: pd.DataFrame) -> list[Year]:
    """Years in order, each with its events by lane in date order. An event is listed under the
    first year its date may fall in; its date label says how far it may reach."""
    years: dict[int, Year] = {}
    ordered = events.sort_values(["start", "end", "id"], kind="stable")
    for event_id, dyad, start, label, title, sources in zip(
        ordered["id"],
        ordered["dyad"],
        ordered["start"],
        ordered["date_label"],
        ordered["title"],
        ordered["sources"],
        strict=True,
    ):
        year = years.setdefault(int(start.year), Year(int(start.year), [], {lane: [] for lane in COLUMNS}))
        entry = Entry(str(event_id), str(label), str(title), first_source(sources))
        if dyad in COLUMNS:
            year.lanes[str(dyad)].append(entry)
        else:
            year.context.append(entry)
    return [years[year] for year in sorted(years)]


_STYLE = """
body { font-family: "Noto Sans", "Source Sans Pro", Arial, sans-serif; color: #111; margin: 2em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } p.sub { color: #333; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border-top: 1px solid #999; padding: 0.35em 0.5em; vertical-align: top; text-align: left; width: 45%; }
th.year, td.year { width: 10%; font-weight: bold; }
td.context { background: #f3f3f3; }
.date { font-weight: bold; } .src { color: #444; font-size: 0.9em; }
ul { margin: 0; padding-left: 1.1em; } li { margin-bottom: 0.3em; }
footer { margin-top: 2em; font-size: 0.85em; color: #333; }
@media print { body { margin: 0; } tr { break-inside: avoid; } a { color: inherit; } }
"""


def _items(entries: Sequence[Entry]) -> str:
    if not entries:
        return ""
    rows = "".join(
        f'<li><span class="date">{html.escape(e.date_label)}</span> {html.escape(e.title)}'
        + (f' <span class="src">({html.escape(e.source)})</span>' if e.source else "")
        + "</li>"
        for e in entries
    )
    return f"<ul>{rows}</ul>"


def chronology_html(events: pd.DataFrame, *, title: str, subtitle: str, credit: str) -> str:
    """A standalone, printable HTML document of the chronology; every data text is escaped."""
    body = []
    for year in chronology(events):
        if year.context:
            body.append(
                f'<tr><td class="year">{year.year}</td><td class="context" colspan="2">'
                f"<em>Context:</em> {_items(year.context)}</td></tr>"
            )
        if any(year.lanes.values()):
            first = "" if year.context else str(year.year)
            body.append(
                f'<tr><td class="year">{first}</td>'
                + "".join(f"<td>{_items(year.lanes[lane])}</td>" for lane in COLUMNS)
                + "</tr>"
            )
    head = "".join(f"<th>{html.escape(DYAD_LABELS[Dyad(lane)])}</th>" for lane in COLUMNS)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="sub">{html.escape(subtitle)}</p>'
        f'<table><thead><tr><th class="year">Year</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        f"<footer>{html.escape(credit)}</footer></body></html>\n"
    )
