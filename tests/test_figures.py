"""Figure builders: pure functions from the events table to Plotly figures."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from figures.timeline import MARK_LIMIT, TimelineOptions, counts_figure, timeline_figure
from pipeline.loading import Dataset, load_dataset
from tests.conftest import VALID_FILES, write_files


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_files(tmp_path_factory.mktemp("data") / "events", dict(VALID_FILES)))


def test_lanes_are_labelled_and_can_be_hidden(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    assert [t.replace("–<br>", "–").replace("<br>", " ") for t in figure.layout.yaxis.ticktext] == [
        "Cambodia–North Korea", "Cambodia–South Korea", "Context (both Koreas)"]
    hidden = timeline_figure(dataset.events, dataset.periods, TimelineOptions(lanes=("KHM-PRK", "KHM-KOR")))
    assert "Context<br>(both Koreas)" not in hidden.layout.yaxis.ticktext
    assert all("ctx-1975-approx" not in (trace.customdata or ()) for trace in hidden.data)


def test_inexact_dates_are_drawn_as_spans_with_open_marks(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    markers = {event_id: (trace, i) for trace in figure.data if trace.mode == "markers" and trace.customdata
               for i, event_id in enumerate(trace.customdata)}
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
    for figure in (timeline_figure(dataset.events, dataset.periods, TimelineOptions()),
                   counts_figure(dataset.events, ("KHM-PRK", "KHM-KOR", "context"),
                                 (date(1964, 1, 1), date(2026, 12, 31)))):
        go.Figure(figure.to_dict())  # full validation of what was built without it
        json.loads(figure.to_json())


def test_counts_leave_out_multi_year_events_and_say_so(dataset: Dataset) -> None:
    events = dataset.events.copy()
    extra = events.iloc[[0]].assign(id="khm-prk-span", start=pd.Timestamp("1990-01-01"),
                                    end=pd.Timestamp("1995-12-31"))
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
