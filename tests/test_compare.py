"""Comparison logic (pipeline.compare, pipeline.chronology, pipeline.slides) and its figures:
unit and property tests on the synthetic dataset and on generated tables."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figures.compare import NET_NAME, quad_figure
from figures.style import CATEGORY_COLOURS, PLOT_BACKGROUND, QUAD_COLOURS, contrast_ratio
from figures.timeline import DEFAULT_RANGE, TimelineOptions, counts_figure, timeline_figure
from pipeline.chronology import chronology, chronology_html
from pipeline.citation import permalink, view_state_for
from pipeline.compare import (
    AROUND_MONTHS,
    QUAD_ORDER,
    around_window,
    counts_summary,
    events_around,
    left_out_of_counts,
    neighbours,
    net_cooperation,
    period_history,
    quad_counts,
    quad_summary,
    timeline_summary,
)
from pipeline.filters import make_filter
from pipeline.loading import Dataset, load_dataset
from pipeline.query import ViewState, parse_query, to_query
from pipeline.schema import QUAD_LABELS, Quad
from pipeline.slides import slide_text
from pipeline.version import DataVersion
from tests.synthetic import write_synthetic

LANES = ("KHM-PRK", "KHM-KOR", "context")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_synthetic(tmp_path_factory.mktemp("syn") / "events"))


def by_id(dataset: Dataset, event_id: str) -> pd.Series:
    return dataset.events.set_index("id", drop=False).loc[event_id]


# ---------------------------------------------------------------- Previous / Next


def test_next_and_previous_walk_the_shown_events_in_date_order(synthetic: Dataset) -> None:
    shown = synthetic.events
    order = list(shown.sort_values(["start", "end", "id"])["id"])
    walked = [order[0]]
    while (step := neighbours(shown, by_id(synthetic, walked[-1])).next) is not None:
        walked.append(step)
    assert walked == order
    back = [order[-1]]
    while (step := neighbours(shown, by_id(synthetic, back[-1])).previous) is not None:
        back.append(step)
    assert back == order[::-1]


def test_steps_within_a_lane_stay_in_the_lane(synthetic: Dataset) -> None:
    lane = synthetic.events[synthetic.events["dyad"] == "KHM-KOR"]
    order = list(lane.sort_values(["start", "end", "id"])["id"])
    middle = by_id(synthetic, order[5])
    found = neighbours(synthetic.events, middle, lane="KHM-KOR")
    assert (found.previous, found.next) == (order[4], order[6])
    assert neighbours(synthetic.events, by_id(synthetic, order[0]), lane="KHM-KOR").previous is None
    assert neighbours(synthetic.events, by_id(synthetic, order[-1]), lane="KHM-KOR").next is None


def test_a_hidden_event_steps_to_its_shown_neighbours(synthetic: Dataset) -> None:
    order = list(synthetic.events.sort_values(["start", "end", "id"])["id"])
    hidden = order[10]
    shown = synthetic.events[synthetic.events["id"] != hidden]
    found = neighbours(shown, by_id(synthetic, hidden))
    assert (found.previous, found.next) == (order[9], order[11])


days = st.integers(min_value=0, max_value=20_000)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(days, st.integers(min_value=0, max_value=800), st.sampled_from(LANES)),
        min_size=1,
        max_size=30,
        unique_by=lambda t: t,
    ),
    st.data(),
)
def test_neighbours_are_adjacent_in_sorted_order(rows: list[tuple[int, int, str]], data: st.DataObject) -> None:
    base = pd.Timestamp("1964-01-01")
    events = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(len(rows))],
            "start": [base + pd.Timedelta(days=s) for s, _, _ in rows],
            "end": [base + pd.Timedelta(days=s + n) for s, n, _ in rows],
            "dyad": [lane for _, _, lane in rows],
        }
    )
    lane = data.draw(st.sampled_from([None, *LANES]))
    current = events.iloc[data.draw(st.integers(0, len(events) - 1))]
    pool = events if lane is None else events[events["dyad"] == lane]
    order = list(pool.sort_values(["start", "end", "id"])["id"])
    found = neighbours(events, current, lane=lane)
    if current["id"] in order:
        at = order.index(current["id"])
        assert found.previous == (order[at - 1] if at > 0 else None)
        assert found.next == (order[at + 1] if at + 1 < len(order) else None)
    assert current["id"] not in (found.previous, found.next)


# ---------------------------------------------------------------- Around this event


def test_around_lists_the_other_lanes_within_the_window(synthetic: Dataset) -> None:
    current = by_id(synthetic, "syn-khm-kor-004")
    for months in AROUND_MONTHS:
        found = events_around(synthetic.events, current, months)
        low, high = around_window(current["start"], current["end"], months)
        expected = synthetic.events[
            (synthetic.events["dyad"] != "KHM-KOR")
            & (synthetic.events["end"] >= low)
            & (synthetic.events["start"] <= high)
        ]
        assert set(found["id"]) == set(expected["id"])
        assert "KHM-KOR" not in set(found["dyad"])
    sizes = [len(events_around(synthetic.events, current, m)) for m in AROUND_MONTHS]
    assert sizes == sorted(sizes) and sizes[-1] > 0


def test_around_window_is_calendar_months_either_side() -> None:
    low, high = around_window(pd.Timestamp("1997-10-30"), pd.Timestamp("1997-10-30"), 6)
    assert (low, high) == (pd.Timestamp("1997-04-30"), pd.Timestamp("1998-04-30"))
    with pytest.raises(ValueError, match="around window"):
        events_around(pd.DataFrame(), pd.Series({"start": low, "end": high, "dyad": "KHM-KOR"}), 5)


def test_around_key_in_links_is_allow_listed() -> None:
    state, notices = parse_query({"around": ["24"]}, {}, frozenset(), first_year=1964, last_year=2026)
    assert state.around == 24 and not notices
    for bad in ("5", "12,24", "x", "-3"):
        state, notices = parse_query({"around": [bad]}, {}, frozenset(), first_year=1964, last_year=2026)
        assert state.around is None and any("around" in n for n in notices)
    assert to_query(ViewState(event="a-b", around=6)) == {"event": "a-b", "around": "6"}
    assert "around" not in to_query(ViewState(around=6))  # only meaningful with a selected event


# ---------------------------------------------------------------- cooperation vs conflict


def test_quad_counts_count_single_year_events_per_lane_year_and_quad(synthetic: Dataset) -> None:
    counts = quad_counts(synthetic.events, LANES)
    events = synthetic.events
    single = events[events["start"].dt.year == events["end"].dt.year]
    for lane, year, quad, count in counts.itertuples(index=False):
        expected = ((single["dyad"] == lane) & (single["start"].dt.year == year) & (single["quad"] == quad)).sum()
        assert count == expected
    assert counts["count"].sum() + left_out_of_counts(events, LANES) == len(events)
    assert left_out_of_counts(events, LANES) > 0  # the synthetic data has multi-year events


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(LANES),
            st.integers(1964, 2025),
            st.sampled_from([q.value for q in Quad]),
            st.integers(0, 900),
        ),
        max_size=40,
    )
)
def test_net_cooperation_is_cooperation_minus_conflict(rows: list[tuple[str, int, str, int]]) -> None:
    events = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(len(rows))],
            "dyad": [r[0] for r in rows],
            "quad": [r[2] for r in rows],
            "start": pd.to_datetime([f"{r[1]}-01-01" for r in rows]),
            "end": pd.to_datetime([pd.Timestamp(f"{r[1]}-01-01") + pd.Timedelta(days=r[3]) for r in rows]),
        }
    )
    counts = quad_counts(events, LANES)
    assert int(counts["count"].sum()) + left_out_of_counts(events, LANES) == len(rows)
    net = net_cooperation(counts)
    for lane, year, value in net.itertuples(index=False):
        these = [r for r in rows if r[0] == lane and r[1] == year and r[3] < _days_left_in_year(year)]
        coop = sum(r[2].endswith("cooperation") for r in these)
        conflict = sum(r[2].endswith("conflict") for r in these)
        assert value == coop - conflict


def _days_left_in_year(year: int) -> int:
    return (pd.Timestamp(f"{year}-12-31") - pd.Timestamp(f"{year}-01-01")).days + 1


def test_quad_figure_draws_exactly_the_pipeline_counts(synthetic: Dataset) -> None:
    counts = quad_counts(synthetic.events, LANES)
    figure = quad_figure(
        counts, net_cooperation(counts), LANES, DEFAULT_RANGE, left_out=left_out_of_counts(synthetic.events, LANES)
    )
    go.Figure(figure.to_dict())
    axes = {"y": "KHM-PRK", "y2": "KHM-KOR", "y3": "context"}
    drawn = {}
    for trace in figure.data:
        if trace.name == NET_NAME:
            continue
        quad = {QUAD_LABELS[q]: q.value for q in Quad}[trace.name]
        for x, n in zip(trace.x, trace.customdata, strict=True):
            drawn[(axes[trace.yaxis], int(x[:4]), quad)] = n
    assert drawn == {(lane, year, quad): n for lane, year, quad, n in counts.itertuples(index=False)}
    names = {trace.name for trace in figure.data}
    assert names <= {*QUAD_LABELS.values(), NET_NAME} and NET_NAME in names
    conflict = [
        t for t in figure.data if t.name in (QUAD_LABELS[Quad.VERBAL_CONFLICT], QUAD_LABELS[Quad.MATERIAL_CONFLICT])
    ]
    assert conflict and all(y < 0 for t in conflict for y in t.y)  # conflict drawn downwards
    assert figure.layout.xaxis.range == DEFAULT_RANGE  # the timeline's date axis
    assert "multi-year events not counted" in figure.layout.title.subtitle.text
    assert list(QUAD_ORDER)[-1] == Quad.NEUTRAL.value


def test_marks_and_quad_colours_reach_3_to_1_on_the_plot() -> None:
    for colour in (*CATEGORY_COLOURS.values(), *QUAD_COLOURS.values()):
        assert contrast_ratio(colour, PLOT_BACKGROUND) >= 3.0, colour


def test_counts_chart_has_its_own_legend_whole_ticks_and_one_scale(synthetic: Dataset) -> None:
    figure = counts_figure(synthetic.events, LANES, DEFAULT_RANGE)
    go.Figure(figure.to_dict())
    assert figure.layout.showlegend is not False
    legend_names = [t.name for t in figure.data if t.showlegend]
    assert len(legend_names) == len(set(legend_names)) > 0
    assert all(getattr(t.marker, "pattern", None) is None or not t.marker.pattern.shape for t in figure.data)
    ranges = {tuple(figure.layout[axis].range) for axis in ("yaxis", "yaxis2", "yaxis3")}
    assert len(ranges) == 1  # the same scale in every lane
    assert all(
        figure.layout[axis].tickformat == "d" and figure.layout[axis].dtick >= 1
        for axis in ("yaxis", "yaxis2", "yaxis3")
    )
    assert "Same scale" in figure.layout.title.subtitle.text


# ---------------------------------------------------------------- timeline: legend, bands, selection


def test_legend_shows_one_filled_icon_per_category_and_explains_open_marks(synthetic: Dataset) -> None:
    figure = timeline_figure(synthetic.events, synthetic.periods, TimelineOptions())
    entries = [t for t in figure.data if t.showlegend and t.mode == "markers"]
    by_name = {t.name: t for t in entries}
    assert "Filled: exact day" in by_name
    assert any(name.startswith("Open") for name in by_name)
    categories = [t for t in entries if t.legendgroup in CATEGORY_COLOURS]
    assert categories and all(not str(t.marker.symbol).endswith("-open") for t in categories)
    marks = [t for t in figure.data if t.mode == "markers" and t.customdata]
    assert all(t.showlegend is False for t in marks)  # mixed open/filled marks never reach the legend


def test_bands_have_hover_legend_and_history(synthetic: Dataset) -> None:
    figure = timeline_figure(synthetic.events, synthetic.periods, TimelineOptions())
    bands = [t for t in figure.data if t.type == "scatter" and t.fill == "toself"]
    assert len(bands) == len(synthetic.periods)
    hover = " ".join(t.text for t in bands)
    assert "DPRK recognises exile CGDK" in hover and "Example Archive" in hover and "Jan 1979" in hover
    assert {t.name for t in bands if t.showlegend} >= {
        "Status: Severed",
        "Status: Restored",
        "Cambodia's regimes (top strip)",
    }
    history = period_history(synthetic.periods)
    assert len(history) == len(synthetic.periods)
    row = history[history["id"] == "khm-prk-status-1979"].iloc[0]
    assert row["Description"].startswith("DPRK recognises") and "Example Archive" in row["Sources"]
    assert row["Dates"] == "Jan 1979 – Oct 1991"


@pytest.mark.parametrize("width", [1100, 520, 330])
def test_band_labels_never_overlap(synthetic: Dataset, width: int) -> None:
    figure = timeline_figure(synthetic.events, synthetic.periods, TimelineOptions(label_width_px=width))
    low, high = (pd.Timestamp(d) for d in DEFAULT_RANGE)
    px = width / (high - low).days
    spans: dict[float, list[tuple[float, float]]] = {}
    for note in figure.layout.annotations:
        if note.name != "band-label":
            continue
        left = (pd.Timestamp(note.x) - low).days * px
        spans.setdefault(round(note.y, 3), []).append((left, left + len(note.text) * 6.0))
    for row in spans.values():
        row.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(row))


def test_selection_draws_a_rule_and_the_around_window(synthetic: Dataset) -> None:
    event = by_id(synthetic, "syn-khm-kor-004")
    low, high = around_window(event["start"], event["end"], 12)
    options = TimelineOptions(
        rule=(event["start"].date(), event["end"].date()),
        window=(low.date(), high.date()),
        window_months=12,
        selected_id="syn-khm-kor-004",
    )
    figure = timeline_figure(synthetic.events, synthetic.periods, options)
    shapes = {shape.name: shape for shape in figure.layout.shapes if shape.name}
    assert pd.Timestamp(shapes["selected-rule"].x0) == event["start"]
    assert pd.Timestamp(shapes["around-window"].x0) == low and pd.Timestamp(shapes["around-window"].x1) == high
    assert shapes["around-window"].label.text == "±12 months"


# ---------------------------------------------------------------- chronology and slide texts


def test_chronology_puts_lanes_side_by_side_and_context_across(synthetic: Dataset) -> None:
    years = chronology(synthetic.events)
    assert [y.year for y in years] == sorted({int(s.year) for s in synthetic.events["start"]})
    listed = {e.id for y in years for e in (*y.context, *y.lanes["KHM-PRK"], *y.lanes["KHM-KOR"])}
    assert listed == set(synthetic.events["id"])
    for year in years:
        assert all(e.id.startswith("syn-khm-prk") for e in year.lanes["KHM-PRK"])
        assert all(e.id.startswith("syn-context") for e in year.context)
        assert all(e.source for e in (*year.context, *year.lanes["KHM-KOR"]))


def test_chronology_html_is_escaped_and_printable(synthetic: Dataset) -> None:
    events = synthetic.events.copy()
    events.loc[0, "title"] = "<script>alert(1)</script> & co"
    page = chronology_html(events, title="T <b>", subtitle="all events", credit="credit line")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "@media print" in page and 'colspan="2"' in page and "credit line" in page
    assert page.count("<tr>") >= len({int(s.year) for s in events["start"]})


def test_slide_text_states_filters_credit_and_permalink() -> None:
    flt = make_filter(dyads=["KHM-KOR"], date_from="1990")
    version = DataVersion("1.2.0", date(2026, 1, 1), "sha256:x", "released")
    link = permalink("https://example.org/app/?x=1", view_state_for(flt), version)
    assert link == "https://example.org/app/?lane=KHM-KOR&from=1990&v=1.2.0"
    text = slide_text(flt, 7, version_words="data version 1.2.0", link=link, today=date(2026, 1, 2))
    assert "lanes: Cambodia–South Korea" in text.subtitle and "1990" in text.subtitle and "7 events" in text.subtitle
    assert "data version 1.2.0" in text.credit and "2026-01-02" in text.credit and link in text.credit
    assert "Filled" in text.note and "Open" in text.note


def test_figures_serialise(synthetic: Dataset) -> None:
    figure = timeline_figure(synthetic.events, synthetic.periods, TimelineOptions(title="T"))
    go.Figure(figure.to_dict())
    json.loads(figure.to_json())


def test_synthetic_writer_is_valid(tmp_path: Path) -> None:
    dataset = load_dataset(write_synthetic(tmp_path / "events", count=30, seed=2))
    assert len(dataset.events) == 30 and len(dataset.periods) == 15


def test_short_bands_get_a_shorter_form_of_their_own_label(synthetic: Dataset) -> None:
    from figures.timeline import label_candidates

    assert label_candidates("Lon Nol government / Khmer Republic (proclaimed 9 Oct 1970)") == (
        "Lon Nol government",
        "Khmer Republic",
    )
    assert label_candidates("UNTAC transitional period")[-1] == "UNTAC"
    wide = timeline_figure(synthetic.events, synthetic.periods, TimelineOptions(label_width_px=1400))
    narrow = timeline_figure(synthetic.events, synthetic.periods, TimelineOptions(label_width_px=1000))
    wide_labels = {n.text for n in wide.layout.annotations if n.name == "band-label"}
    narrow_labels = {n.text for n in narrow.layout.annotations if n.name == "band-label"}
    assert {"Kingdom of Cambodia", "Khmer Republic", "Khmer Rouge"} <= wide_labels  # 1964-70 labelled too
    assert "Sangkum" in narrow_labels and "Relations" in narrow_labels  # shorter forms where space is short


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(days, st.integers(min_value=0, max_value=900), st.sampled_from(LANES)),
        min_size=1,
        max_size=30,
    ),
    st.data(),
)
def test_around_is_the_other_lanes_overlapping_the_window(
    rows: list[tuple[int, int, str]], data: st.DataObject
) -> None:
    base = pd.Timestamp("1964-01-01")
    events = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(len(rows))],
            "start": pd.to_datetime([base + pd.Timedelta(days=s) for s, _, _ in rows]),
            "end": pd.to_datetime([base + pd.Timedelta(days=s + n) for s, n, _ in rows]),
            "dyad": [lane for _, _, lane in rows],
        }
    )
    current = events.iloc[data.draw(st.integers(0, len(events) - 1))]
    previous: set[str] = set()
    for months in AROUND_MONTHS:
        found = events_around(events, current, months)
        low = current["start"] - pd.DateOffset(months=months)
        high = current["end"] + pd.DateOffset(months=months)
        expected = {
            event_id
            for event_id, start, end, lane in zip(
                events["id"], events["start"], events["end"], events["dyad"], strict=True
            )
            if lane != current["dyad"] and end >= low and start <= high
        }
        assert set(found["id"]) == expected
        assert list(found["start"]) == sorted(found["start"])
        assert previous <= expected  # a wider window never loses an event
        previous = expected


# ---------------------------------------------------------------- text equivalents of the charts


def test_chart_summaries_count_what_the_charts_draw(synthetic: Dataset) -> None:
    events = synthetic.events
    lanes = ("KHM-PRK", "KHM-KOR")
    one_year = events[events["start"].dt.year == events["end"].dt.year]
    words = counts_summary(events, lanes)
    for lane, name in (("KHM-PRK", "Cambodia–North Korea"), ("KHM-KOR", "Cambodia–South Korea")):
        years = one_year.loc[one_year["dyad"] == lane, "start"].dt.year.value_counts()
        busiest = min(year for year, n in years.items() if n == years.max())
        assert f"{name}: {years.sum()}, most in {busiest} ({years.max()})" in words
    left_out = int(events["dyad"].isin(lanes).sum() - one_year["dyad"].isin(lanes).sum())
    assert f"{left_out} multi-year events not counted" in words
    assert "Context" not in words

    timeline_words = timeline_summary(events, lanes, "lanes: both")
    in_lanes = events[events["dyad"].isin(lanes)]
    assert timeline_words.startswith(
        f"Timeline of {len(in_lanes)} events, {in_lanes['start'].min().year}–{in_lanes['end'].max().year}"
    )
    assert "Filtered by lanes: both." in timeline_words

    counts = quad_counts(events, lanes)
    cooperation = int(
        counts.loc[(counts["lane"] == "KHM-PRK") & counts["quad"].str.endswith("cooperation"), "count"].sum()
    )
    assert f"Cambodia–North Korea: {cooperation} cooperation" in quad_summary(counts, lanes)


def test_chart_summaries_of_nothing_say_none(synthetic: Dataset) -> None:
    empty = synthetic.events.iloc[:0]
    assert counts_summary(empty, ("KHM-PRK",)).count("Cambodia–North Korea: none") == 1
    assert timeline_summary(empty, ("KHM-PRK",), "").startswith("Timeline of 0 events, one lane")
