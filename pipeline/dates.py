"""EDTF date strings -> honest spans (start, end, precision, qualifiers, label).

The `edtf` package is the reference parser. Its parser is slow (about 10 ms a call), so
the plain forms that make up almost all real data (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, each
optionally qualified with `?`, `~` or `%`, and intervals of two of them or `A/..`) are
read by a small fast path; a property test checks that fast path against `edtf` itself.
Everything else (`196X`, seasons, qualifiers on parts) goes through `edtf`.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import edtf

from pipeline.schema import EARLIEST_YEAR, Precision

MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
OPEN_END = ".."

_SIMPLE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%])?$")


class DateError(ValueError):
    """An EDTF string that cannot be read or does not describe a usable span."""


@dataclass(frozen=True, slots=True)
class DateSpan:
    start: date
    end: date
    precision: Precision
    approximate: bool
    uncertain: bool
    label: str


@dataclass(frozen=True, slots=True)
class _Point:
    start: date
    end: date
    precision: Precision
    approximate: bool
    uncertain: bool


def _qualifier_flags(qualifier: str | None) -> tuple[bool, bool]:
    """(approximate, uncertain) for an EDTF qualifier character."""
    return qualifier in ("~", "%"), qualifier in ("?", "%")


def _simple_point(text: str) -> _Point | None:
    match = _SIMPLE.match(text)
    if match is None:
        return None
    year_text, month_text, day_text, qualifier = match.groups()
    year = int(year_text)
    approximate, uncertain = _qualifier_flags(qualifier)
    if month_text is None:
        return _Point(date(year, 1, 1), date(year, 12, 31), Precision.YEAR, approximate, uncertain)
    month = int(month_text)
    if not 1 <= month <= 12:
        return None  # seasons (21–41) and invalid months: left to the edtf package
    last_day = calendar.monthrange(year, month)[1]
    if day_text is None:
        return _Point(date(year, month, 1), date(year, month, last_day), Precision.MONTH, approximate, uncertain)
    day = int(day_text)
    if not 1 <= day <= last_day:
        raise DateError(f"{year_text}-{month_text} has no day {day_text}")
    return _Point(date(year, month, day), date(year, month, day), Precision.DAY, approximate, uncertain)


def _struct_to_date(value: object) -> date:
    if not isinstance(value, time.struct_time):
        raise DateError("the date has an open or unknown bound")
    return date(value.tm_year, value.tm_mon, value.tm_mday)


def _precision_of_bounds(start: date, end: date) -> Precision:
    if start == end:
        return Precision.DAY
    if (start.year, start.month) == (end.year, end.month) and start.day == 1:
        return Precision.MONTH
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return Precision.YEAR
    if start.year % 10 == 0 and end.year == start.year + 9 and (start.month, start.day) == (1, 1):
        return Precision.DECADE
    return Precision.RANGE


@lru_cache(maxsize=4096)
def _edtf_point(text: str) -> _Point:
    """Any EDTF expression the fast path does not cover, read with the `edtf` package."""
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as error:  # edtf raises its own exception types, and ValueError
        raise DateError("not a valid EDTF date") from error
    start = _struct_to_date(parsed.lower_strict())
    end = _struct_to_date(parsed.upper_strict())
    approximate = bool(getattr(parsed, "is_approximate", False)) or "~" in text or "%" in text
    uncertain = bool(getattr(parsed, "is_uncertain", False)) or "?" in text or "%" in text
    return _Point(start, end, _precision_of_bounds(start, end), approximate, uncertain)


def _point(text: str) -> _Point:
    if not text:
        raise DateError("an interval end is empty (unknown); write a date, or '..' for ongoing")
    return _simple_point(text) or _edtf_point(text)


def point_label(start: date, end: date, precision: Precision) -> str:
    """Human label of one date at its precision: '1997', 'Oct 1997', '30 Oct 1997', '1960s'."""
    if precision is Precision.DAY:
        return f"{start.day} {MONTH_ABBR[start.month]} {start.year}"
    if precision is Precision.MONTH:
        return f"{MONTH_ABBR[start.month]} {start.year}"
    if precision is Precision.YEAR:
        return str(start.year)
    if precision is Precision.DECADE:
        return f"{start.year}s"
    return f"{point_label(start, start, Precision.DAY)}–{point_label(end, end, Precision.DAY)}"


def _qualified(label: str, approximate: bool, uncertain: bool) -> str:
    return f"{'c. ' if approximate else ''}{label}{'?' if uncertain else ''}"


def _point_span(point: _Point) -> DateSpan:
    label = _qualified(point_label(point.start, point.end, point.precision), point.approximate, point.uncertain)
    return DateSpan(point.start, point.end, point.precision, point.approximate, point.uncertain, label)


def _interval_span(first: _Point, last: _Point | None, today: date) -> DateSpan:
    first_label = _qualified(point_label(first.start, first.end, first.precision), first.approximate, first.uncertain)
    if last is None:
        return DateSpan(
            first.start, today, Precision.RANGE, first.approximate, first.uncertain, f"{first_label} – present"
        )
    if last.end < first.start:
        raise DateError(f"the interval ends ({last.end.isoformat()}) before it starts ({first.start.isoformat()})")
    last_label = _qualified(point_label(last.start, last.end, last.precision), last.approximate, last.uncertain)
    coarse = first.precision in (Precision.YEAR, Precision.DECADE) and last.precision is first.precision
    joiner = "–" if coarse else " – "
    return DateSpan(
        first.start,
        last.end,
        Precision.RANGE,
        first.approximate or last.approximate,
        first.uncertain or last.uncertain,
        f"{first_label}{joiner}{last_label}",
    )


@lru_cache(maxsize=65536)
def parse_span(text: str, today: date) -> DateSpan:
    """Read an EDTF string into a span; `..` as an interval end means 'ongoing' (today).

    Raises DateError with a short reason when the string is not usable.
    """
    text = text.strip()
    if "/" in text:
        first_text, _, last_text = text.partition("/")
        if first_text == OPEN_END:
            raise DateError("an interval must have a known start")
        first = _point(first_text)
        last = None if last_text == OPEN_END else _point(last_text)
        return _interval_span(first, last, today)
    return _point_span(_point(text))


def bounds_problems(span: DateSpan, today: date) -> list[str]:
    """Why a span is out of the range the project covers (empty when it is fine)."""
    problems = []
    if span.start.year < EARLIEST_YEAR:
        problems.append(f"starts in {span.start.year}, before {EARLIEST_YEAR}")
    if span.start > today:
        problems.append(f"starts on {span.start.isoformat()}, after today ({today.isoformat()})")
    return problems
