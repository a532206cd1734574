"""Citations of a view (filters + data version) or of one event: APA-like text, BibTeX, CSL-JSON.

Also the permalink: the dashboard's address with the view's link parameters and `v=`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from pipeline import project
from pipeline.filters import EventFilter, describe_filter
from pipeline.query import ViewState, to_query
from pipeline.version import DataVersion

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
VERSION_KEY = "v"


def permalink(base_url: str, state: ViewState, version: DataVersion) -> str:
    """The link that reopens this view, pinned to this data version."""
    query = {**to_query(state), VERSION_KEY: version.label}
    base = base_url.split("?", 1)[0].split("#", 1)[0]
    return base + "?" + urlencode(query, quote_via=quote, safe=",")


def view_state_for(flt: EventFilter, event: str | None = None) -> ViewState:
    """The dashboard view nearest to a filter (the dashboard's date filter is by whole years)."""
    return ViewState(
        flt=flt,
        year_from=flt.date_from.year if flt.date_from else None,
        year_to=flt.date_to.year if flt.date_to else None,
        event=event,
    )


def _long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _date_parts(day: date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX specials escaped, whitespace collapsed."""
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(text.split()))


def _bibtex(entry_type: str, key: str, fields: Sequence[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


@dataclass(frozen=True)
class CitationSet:
    """One thing cited three ways."""

    text: str
    bibtex: str
    csl: dict[str, Any]

    @property
    def csl_json(self) -> str:
        return json.dumps([self.csl], ensure_ascii=False, indent=2) + "\n"

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "bibtex": self.bibtex, "csl": self.csl}


def _issued(version: DataVersion, accessed: date) -> date:
    return version.released if version.state == "released" and version.released else accessed


def _key(version: DataVersion, issued: date, suffix: str = "") -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"khmkorea{issued.year}_v{version.label}{suffix}")


def view_in_words(flt: EventFilter, count: int) -> str:
    described = describe_filter(flt)
    events = f"{count} event{'s' * (count != 1)}"
    return f"{described}; {events}" if described else f"all events; {events}"


def cite_view(flt: EventFilter, count: int, *, version: DataVersion, link: str, accessed: date) -> CitationSet:
    """A citation of the filtered view: project, data version, the filters in words, link, access date."""
    issued = _issued(version, accessed)
    view = view_in_words(flt, count)
    text = (
        f"{project.AUTHOR}. ({issued.year}). {project.TITLE} (Version {version.label}) [Data set; view: {view}]. "
        f"Retrieved {_long_date(accessed)}, from {link}"
    )
    note = f"Data set, {version.in_words()}. View: {view}"
    bibtex = _bibtex(
        "misc",
        _key(version, issued),
        [
            ("author", "{" + bibtex_escape(project.AUTHOR) + "}"),
            ("title", "{" + bibtex_escape(project.TITLE) + "}"),
            ("year", str(issued.year)),
            ("version", bibtex_escape(version.label)),
            ("note", bibtex_escape(note)),
            ("url", link),
            ("urldate", accessed.isoformat()),
        ],
    )
    csl: dict[str, Any] = {
        "id": _key(version, issued),
        "type": "dataset",
        "genre": "Data set",
        "title": project.TITLE,
        "author": [{"literal": project.AUTHOR}],
        "issued": _date_parts(issued),
        "accessed": _date_parts(accessed),
        "version": version.label,
        "URL": link,
        "note": f"View: {view}",
    }
    return CitationSet(text, bibtex, csl)


def _source_in_words(source: Mapping[str, str]) -> str:
    published = f" ({source['published']})" if source.get("published") else ""
    return f"{source['publisher']}{published}, “{source['title']}”, {source['url']}"


def cite_event(event: Mapping[str, Any], *, version: DataVersion, link: str, accessed: date) -> CitationSet:
    """A citation of one event: its title, date and sources, in the data version shown."""
    issued = _issued(version, accessed)
    sources = [_source_in_words(source) for source in event["sources"]]
    title = f"{event['title']} ({event['date_label']})"
    text = (
        f"{project.AUTHOR}. ({issued.year}). {title} [Data set entry {event['id']}]. In {project.TITLE} "
        f"(Version {version.label}). Retrieved {_long_date(accessed)}, from {link}. "
        f"Sources: {'; '.join(sources)}."
    )
    note = f"Event {event['id']}, dated {event['date']} (EDTF). Sources: {'; '.join(sources)}"
    bibtex = _bibtex(
        "misc",
        _key(version, issued, "_" + str(event["id"])),
        [
            ("author", "{" + bibtex_escape(project.AUTHOR) + "}"),
            ("title", "{" + bibtex_escape(title) + "}"),
            ("booktitle", "{" + bibtex_escape(project.TITLE) + "}"),
            ("year", str(issued.year)),
            ("version", bibtex_escape(version.label)),
            ("note", bibtex_escape(note)),
            ("url", link),
            ("urldate", accessed.isoformat()),
        ],
    )
    csl: dict[str, Any] = {
        "id": _key(version, issued, "_" + str(event["id"])),
        "type": "dataset",
        "genre": "Data set entry",
        "title": title,
        "container-title": project.TITLE,
        "author": [{"literal": project.AUTHOR}],
        "issued": _date_parts(issued),
        "accessed": _date_parts(accessed),
        "version": version.label,
        "URL": link,
        "note": note,
    }
    return CitationSet(text, bibtex, csl)
