"""EDTF → (start, end, precision, label): examples and properties."""

from __future__ import annotations

import contextlib
import re
import time
from datetime import date

import edtf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import DateError, bounds_problems, parse_span
from pipeline.schema import Precision
from tests.conftest import examples

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "label"),
    [
        ("1964", date(1964, 1, 1), date(1964, 12, 31), Precision.YEAR, "1964"),
        ("2022-06", date(2022, 6, 1), date(2022, 6, 30), Precision.MONTH, "Jun 2022"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), Precision.MONTH, "Feb 2024"),
        ("1997-10-30", date(1997, 10, 30), date(1997, 10, 30), Precision.DAY, "30 Oct 1997"),
        ("1996/2018", date(1996, 1, 1), date(2018, 12, 31), Precision.RANGE, "1996–2018"),
        ("1964/1965", date(1964, 1, 1), date(1965, 12, 31), Precision.RANGE, "1964–1965"),
        ("196X", date(1960, 1, 1), date(1969, 12, 31), Precision.DECADE, "1960s"),
    ],
)
def test_examples_from_the_format(text: str, start: date, end: date, precision: Precision, label: str) -> None:
    span = parse_span(text, TODAY)
    assert (span.start, span.end, span.precision, span.label) == (start, end, precision, label)
    assert not span.approximate and not span.uncertain


def test_approximate_and_uncertain_are_flagged_and_labelled() -> None:
    approx = parse_span("1975~", TODAY)
    assert approx.approximate and not approx.uncertain
    assert approx.label == "c. 1975"
    assert (approx.start, approx.end) == (date(1975, 1, 1), date(1975, 12, 31))
    doubtful = parse_span("2024-05?", TODAY)
    assert doubtful.uncertain and not doubtful.approximate
    assert doubtful.label == "May 2024?"
    both = parse_span("2024%", TODAY)
    assert both.uncertain and both.approximate


def test_open_interval_runs_to_today() -> None:
    span = parse_span("1997-10-30/..", TODAY)
    assert span.start == date(1997, 10, 30)
    assert span.end == TODAY
    assert "present" in span.label


def test_a_year_is_never_the_first_of_january() -> None:
    span = parse_span("1970", TODAY)
    assert span.end - span.start > (date(1970, 12, 31) - date(1970, 1, 2))


@pytest.mark.parametrize("text", ["", "1997-13", "1997-02-30", "70", "1997/1996", "next year", "1997-10-30T10:00"])
def test_invalid_dates_raise(text: str) -> None:
    with pytest.raises(DateError):
        parse_span(text, TODAY)


def test_bounds_problems_name_the_limit() -> None:
    assert bounds_problems(parse_span("1949", TODAY), TODAY)
    assert bounds_problems(parse_span("2027", TODAY), TODAY)
    assert bounds_problems(parse_span("1964", TODAY), TODAY) == []


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2026, 12, 1))
qualifiers = st.sampled_from(["", "~", "?", "%"])


@st.composite
def edtf_points(draw: st.DrawFn) -> str:
    day = draw(days)
    form = draw(st.sampled_from(["year", "month", "day"]))
    text = {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}", "day": day.isoformat()}[form]
    return text + draw(qualifiers)


@given(edtf_points())
def test_point_agrees_with_the_edtf_library(text: str) -> None:
    span = parse_span(text, TODAY)
    reference = edtf.parse_edtf(text)
    assert span.start == date(*reference.lower_strict()[:3])
    assert span.end == date(*reference.upper_strict()[:3])
    assert str(reference) == text  # EDTF round-trip: the stored string is what the library prints


@given(edtf_points())
def test_label_matches_precision(text: str) -> None:
    span = parse_span(text, TODAY)
    assert span.start <= span.end
    core = text.rstrip("~?%")
    if span.precision is Precision.DAY:
        assert span.start == span.end and str(span.start.day) in span.label
    elif span.precision is Precision.MONTH:
        assert span.start.day == 1 and span.label.split()[-1].rstrip("?") == core[:4]
    else:
        assert span.precision is Precision.YEAR and core in span.label
    assert span.label.startswith("c. ") == span.approximate
    assert span.label.endswith("?") == span.uncertain


@given(edtf_points(), edtf_points())
def test_intervals_cover_both_ends(first: str, second: str) -> None:
    texts = sorted([first.rstrip("~?%"), second.rstrip("~?%")], key=lambda t: parse_span(t, TODAY).start)
    a, b = (parse_span(t, TODAY) for t in texts)
    if a.end > b.end or a.start == b.start:
        return
    text = f"{texts[0]}/{texts[1]}"
    span = parse_span(text, TODAY)
    assert (span.start, span.end) == (a.start, b.end)
    assert span.precision is Precision.RANGE
    assert str(edtf.parse_edtf(text)) == text


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-11-0X", date(2026, 11, 1), date(2026, 11, 9), "1 Nov 2026–9 Nov 2026"),
        ("2026-11-XX", date(2026, 11, 1), date(2026, 11, 30), "Nov 2026"),
        ("2004-XX", date(2004, 1, 1), date(2004, 12, 31), "2004"),
        ("2004-1X", date(2004, 10, 1), date(2004, 12, 31), "1 Oct 2004–31 Dec 2004"),
        ("19XX", date(1900, 1, 1), date(1999, 12, 31), "1 Jan 1900–31 Dec 1999"),
        ("2024-02-2X", date(2024, 2, 20), date(2024, 2, 29), "20 Feb 2024–29 Feb 2024"),
        ("2020-21", date(2020, 3, 1), date(2020, 5, 31), "Spring 2020"),
        ("2020-24", date(2020, 12, 1), date(2021, 2, 28), "Winter 2020"),
        ("2020-23~", date(2020, 9, 1), date(2020, 11, 30), "c. Autumn 2020"),
    ],
)
def test_unspecified_digits_and_seasons(text: str, start: date, end: date, label: str) -> None:
    span = parse_span(text, TODAY)
    assert (span.start, span.end, span.label) == (start, end, label)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("0000", "not a year"),
        ("-0100", "before year 1"),
        ("Y170000", "after 9999"),
        ("Y-170000", "before year 1"),
        ("0000-01-01/1964", "not a year"),
        ("1964/1965/1966", "exactly one '/'"),
        ("1964//1966", "exactly one '/'"),
        ("١٩٦٤", "not an EDTF date"),  # Arabic-Indic digits
        ("１９６４", "not an EDTF date"),  # fullwidth digits
        ("1964-13", "no month 13"),
        ("1964-25", "no month 25"),
        ("1964-21-01", "no month 21"),
        ("2023-02-29", "no day 29"),
        ("2026-02-3X", "no day 3X"),
        ("2004-?06-11", "not an EDTF date"),
        ("../1990", "known start"),
        ("1990/", "empty"),
        ("x" * 61, "at most 60"),
    ],
)
def test_hostile_dates_give_a_reason_never_a_crash(text: str, fragment: str) -> None:
    with pytest.raises(DateError, match=re.escape(fragment)):
        parse_span(text, TODAY)


@given(st.text(alphabet="0123456789X-/.?~%Y ١" + "\u0660", max_size=25))
def test_any_date_text_parses_or_raises_date_error(text: str) -> None:
    try:
        span = parse_span(text, TODAY)
    except DateError:
        return
    assert span.start <= span.end
    assert span.label


SHAPED = r"Y?-?[0-9X]{4,5}(-[0-9X]{2}(-[0-9X]{2})?)?[?~%]?(/([0-9X]{4}(-[0-9X]{2}(-[0-9X]{2})?)?[?~%]?|\.\.))?"


@settings(max_examples=examples(500))
@given(st.from_regex(SHAPED, fullmatch=True))
def test_any_date_shaped_text_parses_or_raises_date_error(text: str) -> None:
    try:
        span = parse_span(text, TODAY)
    except DateError:
        return
    assert span.start <= span.end


def test_date_reading_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    for text in ("196X", "2026-11-0X", "2020-21", "1964/1965", "nonsense", "Y170000", "1997-10-30/.."):
        with contextlib.suppress(DateError):
            parse_span(text, TODAY)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_thousands_of_distinct_bad_dates_are_fast() -> None:
    started = time.perf_counter()
    for number in range(5000):
        with contextlib.suppress(DateError):
            parse_span(f"{number:04d}-{number % 97:02d}-{number % 41:02d}?/{number}X", TODAY)
    assert time.perf_counter() - started < 5  # the old reader took ~10 ms per distinct bad date: 50 s
