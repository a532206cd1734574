"""EDTF → (start, end, precision, label): examples and properties."""

from __future__ import annotations

from datetime import date

import edtf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dates import DateError, bounds_problems, parse_span
from pipeline.schema import Precision

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
