"""Figure builders: pure functions from the events table to Plotly figures."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from figures.timeline import MARK_LIMIT, TimelineOptions, counts_figure, lane_layout, timeline_figure
from pipeline.loading import Dataset, load_dataset
from tests.conftest import VALID_FILES, write_files


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_files(tmp_path_factory.mktemp("data") / "events", dict(VALID_FILES)))


def test_lanes_are_labelled_and_can_be_hidden(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    assert [t.replace("–<br>", "–").replace("<br>", " ") for t in figure.layout.yaxis.ticktext] == [
        "Cambodia–North Korea",
        "Cambodia–South Korea",
        "Context (both Koreas)",
    ]
    hidden = timeline_figure(dataset.events, dataset.periods, TimelineOptions(lanes=("KHM-PRK", "KHM-KOR")))
    assert "Context<br>(both Koreas)" not in hidden.layout.yaxis.ticktext
    assert all("ctx-1975-approx" not in (trace.customdata or ()) for trace in hidden.data)


def test_inexact_dates_are_drawn_as_spans_with_open_marks(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    markers = {
        event_id: (trace, i)
        for trace in figure.data
        if trace.mode == "markers" and trace.customdata
        for i, event_id in enumerate(trace.customdata)
    }
    year_trace, year_index = markers["khm-prk-1965-visit"]
    assert year_trace.marker.symbol[year_index].endswith("-open")
    day_trace, day_index = markers["khm-kor-1997-10-30-ties"]
    assert not day_trace.marker.symbol[day_index].endswith("-open")
    assert pd.Timestamp(day_trace.x[day_index]) == pd.Timestamp("1997-10-30")
    spans = [trace for trace in figure.data if trace.mode == "lines" and trace.fill != "toself"]  # not the bands
    span_x = [pd.Timestamp(x) for trace in spans for x in trace.x if x is not None]
    assert pd.Timestamp("1965-01-01") in span_x and pd.Timestamp("1966-01-01") in span_x  # the whole year
    assert pd.Timestamp("1997-10-30") not in span_x  # an exact day is a point, not a span


def test_hover_shows_literal_text_and_the_source(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    hover = " ".join(text for trace in figure.data if trace.hovertext for text in trace.hovertext)
    assert "Example News" in hover and "c. 1975" in hover
    assert "&lt;b&gt;" not in hover or "<b>bold" not in hover


def test_status_bands_are_drawn(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    labels = [note.text for note in figure.layout.annotations if note.name == "band-label"]
    assert "Restored" in labels
    bands = [trace for trace in figure.data if trace.fill == "toself"]
    assert any(trace.name == "Status: Restored" for trace in bands)


def test_figures_are_valid_plotly(dataset: Dataset) -> None:
    for figure in (
        timeline_figure(dataset.events, dataset.periods, TimelineOptions()),
        counts_figure(dataset.events, ("KHM-PRK", "KHM-KOR", "context"), (date(1964, 1, 1), date(2026, 12, 31))),
    ):
        go.Figure(figure.to_dict())  # full validation of what was built without it
        json.loads(figure.to_json())


def test_counts_leave_out_multi_year_events_and_say_so(dataset: Dataset) -> None:
    events = dataset.events.copy()
    extra = events.iloc[[0]].assign(id="khm-prk-span", start=pd.Timestamp("1990-01-01"), end=pd.Timestamp("1995-12-31"))
    events = pd.concat([events, extra], ignore_index=True)
    figure = counts_figure(events, ("KHM-PRK", "KHM-KOR", "context"), (date(1964, 1, 1), date(2026, 12, 31)))
    assert sum(sum(trace.y) for trace in figure.data) == 3
    assert "1 multi-year events not counted" in figure.layout.title.subtitle.text


def test_large_sets_are_aggregated_with_a_small_payload(dataset: Dataset) -> None:
    row = dataset.events[dataset.events["id"] == "khm-prk-1965-visit"]
    many = pd.concat([row] * (MARK_LIMIT + 1), ignore_index=True)
    many["id"] = [f"e-{i}" for i in range(len(many))]
    figure = timeline_figure(many, dataset.periods, TimelineOptions())
    assert all(trace.type == "bar" for trace in figure.data if trace.type != "scatter" or trace.fill != "toself")
    assert len(figure.to_json()) < 200_000
    assert any("monthly counts" in note.text for note in figure.layout.annotations)


# ---------------------------------------------------------------- exact behaviour (mutation testing)


def _marks(figure: go.Figure) -> dict[str, tuple[Any, int]]:
    return {event_id: (trace, i) for trace in figure.data if trace.mode == "markers" and trace.customdata
            for i, event_id in enumerate(trace.customdata)}  # fmt: skip


def test_hover_text_is_escaped_exactly(dataset: Dataset) -> None:
    events = dataset.events.copy()
    events.loc[events["id"] == "khm-kor-1997-10-30-ties", "title"] = "<b>A & B</b>"
    figure = timeline_figure(events, dataset.periods, TimelineOptions())
    trace, index = _marks(figure)["khm-kor-1997-10-30-ties"]
    assert trace.hovertext[index] == (
        "<b>&lt;b&gt;A &amp; B&lt;/b&gt;</b><br>30 Oct 1997 · Diplomatic status<br>Source: Example News (news report)"
    )
    assert trace.hoverinfo == "text"
    two_sources, position = _marks(figure)["ctx-1975-approx"]
    assert two_sources.hovertext[position].endswith("<br>Source: Example News (news report) (+1 more)")


def test_the_selected_event_is_drawn_larger(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions(selected_id="khm-prk-1965-visit"))
    marks = _marks(figure)
    chosen, index = marks["khm-prk-1965-visit"]
    other, other_index = marks["khm-kor-1997-10-30-ties"]
    assert chosen.marker.size[index] == 16 and other.marker.size[other_index] == 10


def test_marks_sit_in_the_middle_of_their_span_and_spans_end_after_the_last_day(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    trace, index = _marks(figure)["khm-prk-1965-visit"]
    assert (
        pd.Timestamp(trace.x[index])
        == pd.Timestamp("1965-01-01") + (pd.Timestamp("1965-12-31") - pd.Timestamp("1965-01-01")) / 2
    )
    spans = [t for t in figure.data if t.mode == "lines" and t.fill != "toself"]  # not the bands
    assert all(t.hoverinfo == "skip" and t.showlegend is False for t in spans)
    xs = [pd.Timestamp(x) if x is not None else None for t in spans for x in t.x]
    assert xs[:3] == [pd.Timestamp("1965-01-01"), pd.Timestamp("1966-01-01"), None]


def test_lanes_pack_overlapping_events_into_rows_top_to_bottom(dataset: Dataset) -> None:
    row = dataset.events[dataset.events["id"] == "khm-prk-1965-visit"]
    events = pd.concat([row] * 3, ignore_index=True)
    events["id"] = ["a", "b", "c"]
    events["start"] = pd.to_datetime(["1965-01-01", "1965-03-01", "1990-01-01"]).astype("datetime64[s]")
    events["end"] = pd.to_datetime(["1965-12-31", "1965-04-01", "1990-01-01"]).astype("datetime64[s]")
    y, bands = lane_layout(events, ("KHM-PRK", "KHM-KOR"), pd.Timedelta(days=30))
    assert list(y) == [-0.5, -1.5, -0.5]  # b overlaps a: second row; c is far later: back to the first
    assert bands == {"KHM-PRK": (-2.0, 0.0), "KHM-KOR": (-4.2, -3.2)}


def test_counts_have_one_row_per_lane_on_a_shared_axis(dataset: Dataset) -> None:
    lanes = ("KHM-PRK", "KHM-KOR", "context")
    figure = counts_figure(dataset.events, lanes, (date(1964, 1, 1), date(2026, 12, 31)))
    assert [note.text for note in figure.layout.annotations][:3] == [
        "Cambodia–North Korea",
        "Cambodia–South Korea",
        "Context (both Koreas)",
    ]
    assert figure.layout.xaxis.anchor == "y3"
    assert {trace.yaxis for trace in figure.data} == {"y", "y2", "y3"}
    assert [(trace.name, list(trace.x), list(trace.y)) for trace in figure.data if trace.yaxis == "y"] == [
        ("Visits and meetings", ["1965-07-01"], [1])
    ]
    domains = [figure.layout[f"yaxis{'' if row == 1 else row}"].domain for row in (1, 2, 3)]
    assert domains[0][1] == 1 and all(low < high for low, high in domains)
    assert domains[1][1] < domains[0][0] and domains[2][1] < domains[1][0]
    single = counts_figure(dataset.events, ("KHM-KOR",), (date(1964, 1, 1), date(2026, 12, 31)))
    assert single.layout.xaxis.anchor == "y" and "0 multi-year" in single.layout.title.subtitle.text
    assert [trace.hovertemplate for trace in single.data] == [
        "Cambodia–South Korea · Diplomatic status: %{y} events<extra></extra>"
    ]


def test_aggregated_timeline_counts_each_month_per_lane(dataset: Dataset) -> None:
    row = dataset.events[dataset.events["id"] == "khm-prk-1965-visit"]
    many = pd.concat([row] * (MARK_LIMIT + 1), ignore_index=True)
    many["id"] = [f"e-{i}" for i in range(len(many))]
    many.loc[:9, "start"] = pd.Timestamp("1970-05-01")
    figure = timeline_figure(many, dataset.periods, TimelineOptions())
    (bars,) = [trace for trace in figure.data if trace.type == "bar"]
    assert bars.name == "Cambodia–North Korea"
    assert list(bars.customdata) == [MARK_LIMIT + 1 - 10, 10]
    assert [pd.Timestamp(x) for x in bars.x] == [pd.Timestamp("1965-01-01"), pd.Timestamp("1970-05-01")]
    assert max(bars.y) == pytest.approx(4 * 0.95) and bars.base == -4.0
    note = next(n for n in figure.layout.annotations if "monthly counts" in n.text)
    assert note.text.startswith(f"{MARK_LIMIT + 1:,} events")
    assert [t.replace("–<br>", "–").replace("<br>", " ") for t in figure.layout.yaxis.ticktext] == [
        "Cambodia–North Korea",
        "Cambodia–South Korea",
        "Context (both Koreas)",
    ]


def test_unknown_lanes_are_ignored(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions(lanes=("KHM-PRK", "nowhere")))
    assert list(figure.layout.yaxis.ticktext) == ["Cambodia–<br>North Korea"]
    assert list(figure.layout.xaxis.range) == [date(1964, 1, 1), date(2026, 12, 31)]


def test_the_timeline_zooms_only_through_the_years_filter(dataset: Dataset) -> None:
    """A drag picks years (dashboard: Years filter, labels laid out again), never a client-side zoom
    that would leave the band labels behind."""
    layout = timeline_figure(dataset.events, dataset.periods, TimelineOptions()).layout
    assert layout.dragmode == "select" and layout.selectdirection == "h"
    assert layout.xaxis.fixedrange is True and layout.yaxis.fixedrange is True
