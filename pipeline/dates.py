"""EDTF date strings -> honest spans (start, end, precision, qualifiers, label).

A small, total reader of the EDTF forms this project accepts (ISO 8601-2 / EDTF levels 0
and 1): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`; unspecified digits written `X` (`196X`, `19XX`,
`2004-XX`, `2026-11-0X`); the seasons `YYYY-21` … `YYYY-24`; a qualifier `?`, `~` or `%`
on the whole date; `Y`-prefixed and negative years (read, then refused as out of range);
and intervals of two such dates, `A/B`, or `A/..` for "ongoing". Digits are ASCII only.

Every input either gives a span or raises DateError with a short reason; the year range is
checked before any date arithmetic, and no library is called (the `edtf` package, the
reference in the tests, prints debug output and raises on valid unspecified digits).
Each call is a regular-expression match and a few integer operations: linear in the input.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipeline.schema import EARLIEST_YEAR, MAX_EDTF_LENGTH, Precision

MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
OPEN_END = ".."
FORMS = "an EDTF date such as 1964, 2022-06, 1997-10-30, 196X, 1996/2018, 1975~ or 1997-10-30/.."

_POINT = re.compile(
    r"(?P<year>Y-?[0-9]+|-?[0-9X]{4})(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?)?(?P<qualifier>[?~%])?",
    re.ASCII,
)
# Seasons (EDTF level 1, northern meteorological): code -> (first month, months long).
SEASONS = {21: ("Spring", 3), 22: ("Summer", 6), 23: ("Autumn", 9), 24: ("Winter", 12)}
# What datetime can hold; years outside it are refused before any arithmetic.
_MIN_YEAR, _MAX_YEAR = 1, 9999


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
    season: str = ""


def _qualifier_flags(qualifier: str | None) -> tuple[bool, bool]:
    """(approximate, uncertain) for an EDTF qualifier character."""
    return qualifier in ("~", "%"), qualifier in ("?", "%")


def _digits_range(text: str) -> tuple[int, int]:
    """'19XX' -> (1900, 1999): the smallest and largest number the digits allow."""
    return int(text.replace("X", "0")), int(text.replace("X", "9"))


def _year_range(text: str) -> tuple[int, int]:
    digits = text[1:] if text.startswith("Y") else text
    if digits.startswith("-"):
        raise DateError(f"year {text} is before year 1 (this project covers {EARLIEST_YEAR} to today)")
    if len(digits) > 4:
        raise DateError(f"year {text} is after 9999 (this project covers {EARLIEST_YEAR} to today)")
    low, high = _digits_range(digits)
    if low < _MIN_YEAR:
        raise DateError(f"year {text} is not a year this project covers ({EARLIEST_YEAR} to today)")
    return low, min(high, _MAX_YEAR)


def _month_range(text: str, year: str) -> tuple[int, int]:
    low, high = _digits_range(text)
    low, high = max(low, 1), min(high, 12)
    if low > high:
        raise DateError(f"{year}-{text} has no month {text}")
    return low, high


def _season_point(year: int, code: int, qualifier: str | None) -> _Point:
    name, first_month = SEASONS[code]
    end_year, end_month = (year + 1, 2) if code == 24 else (year, first_month + 2)
    if end_year > _MAX_YEAR:
        raise DateError(f"year {end_year} is after 9999")
    approximate, uncertain = _qualifier_flags(qualifier)
    end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    return _Point(date(year, first_month, 1), end, Precision.RANGE, approximate, uncertain, name)


def _read_point(text: str) -> _Point:
    if not text:
        raise DateError("an interval end is empty (unknown); write a date, or '..' for ongoing")
    match = _POINT.fullmatch(text)
    if match is None:
        raise DateError("not an EDTF date this project reads")
    year_text, month_text, day_text, qualifier = match.group("year", "month", "day", "qualifier")
    year_low, year_high = _year_range(year_text)
    approximate, uncertain = _qualifier_flags(qualifier)
    if month_text is None:
        start, end = date(year_low, 1, 1), date(year_high, 12, 31)
        return _Point(start, end, _precision_of_bounds(start, end), approximate, uncertain)
    if "X" not in month_text and int(month_text) in SEASONS and day_text is None:
        if year_low != year_high:
            raise DateError("a season needs a whole year")
        return _season_point(year_low, int(month_text), qualifier)
    if "X" not in month_text and int(month_text) >= 13:
        raise DateError(f"{year_text}-{month_text} has no month {month_text} (seasons are 21-24, without a day)")
    month_low, month_high = _month_range(month_text, year_text)
    last_of_start = calendar.monthrange(year_low, month_low)[1]
    last_of_end = calendar.monthrange(year_high, month_high)[1]
    if day_text is None:
        start, end = date(year_low, month_low, 1), date(year_high, month_high, last_of_end)
        return _Point(start, end, _precision_of_bounds(start, end), approximate, uncertain)
    day_low, day_high = _digits_range(day_text)
    day_low = max(day_low, 1)
    if day_low > last_of_start or day_high < 1:
        raise DateError(f"{year_text}-{month_text} has no day {day_text}")
    start = date(year_low, month_low, day_low)
    end = date(year_high, month_high, min(day_high, last_of_end))
    if end < start:
        raise DateError(f"{year_text}-{month_text} has no day {day_text}")
    return _Point(start, end, _precision_of_bounds(start, end), approximate, uncertain)


def _precision_of_bounds(start: date, end: date) -> Precision:
    if start == end:
        return Precision.DAY
    if (start.year, start.month) == (end.year, end.month) and start.day == 1 and end.day == _last_day(end):
        return Precision.MONTH
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return Precision.YEAR
    if (
        start.year % 10 == 0
        and end.year == start.year + 9
        and (start.month, start.day, end.month, end.day)
        == (
            1,
            1,
            12,
            31,
        )
    ):
        return Precision.DECADE
    return Precision.RANGE


def _last_day(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


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


def _label(point: _Point) -> str:
    plain = (
        f"{point.season} {point.start.year}" if point.season else point_label(point.start, point.end, point.precision)
    )
    return _qualified(plain, point.approximate, point.uncertain)


def _point_span(point: _Point) -> DateSpan:
    return DateSpan(point.start, point.end, point.precision, point.approximate, point.uncertain, _label(point))


def _interval_span(first: _Point, last: _Point | None, today: date) -> DateSpan:
    first_label = _label(first)
    if last is None:
        if first.start > today:
            raise DateError(f"an ongoing interval cannot start after today ({today.isoformat()})")
        return DateSpan(
            first.start, today, Precision.RANGE, first.approximate, first.uncertain, f"{first_label} – present"
        )
    if last.end < first.start:
        raise DateError(f"the interval ends ({last.end.isoformat()}) before it starts ({first.start.isoformat()})")
    coarse = first.precision in (Precision.YEAR, Precision.DECADE) and last.precision is first.precision
    joiner = "–" if coarse else " – "
    return DateSpan(
        first.start,
        last.end,
        Precision.RANGE,
        first.approximate or last.approximate,
        first.uncertain or last.uncertain,
        f"{first_label}{joiner}{_label(last)}",
    )


@lru_cache(maxsize=65536)
def parse_span(text: str, today: date) -> DateSpan:
    """Read an EDTF string into a span; `..` as an interval end means 'ongoing' (today).

    Raises DateError with a short reason when the string is not usable; never anything else.
    """
    text = text.strip()
    if len(text) > MAX_EDTF_LENGTH:
        raise DateError(f"{len(text)} characters long, at most {MAX_EDTF_LENGTH}")
    if "/" not in text:
        return _point_span(_read_point(text))
    parts = text.split("/")
    if len(parts) != 2:
        raise DateError("an interval has exactly one '/' between its start and its end")
    first_text, last_text = parts
    if first_text == OPEN_END:
        raise DateError("an interval must have a known start")
    first = _read_point(first_text)
    last = None if last_text == OPEN_END else _read_point(last_text)
    return _interval_span(first, last, today)


def bounds_problems(span: DateSpan, today: date) -> list[str]:
    """Why a span is out of the range the project covers (empty when it is fine)."""
    problems = []
    if span.start.year < EARLIEST_YEAR:
        problems.append(f"starts in {span.start.year}, before {EARLIEST_YEAR}")
    if span.start > today:
        problems.append(f"starts on {span.start.isoformat()}, after today ({today.isoformat()})")
    return problems
