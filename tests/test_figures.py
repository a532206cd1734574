"""Figure builders: pure functions from the events table to Plotly figures."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from figures.layout import LEFT_MARGIN
from figures.style import (
    CATEGORY_COLOURS,
    DARK,
    LIGHT,
    PLOT_BACKGROUND,
    Palette,
    Theme,
    contrast_ratio,
    palette,
    theme_of,
)
from figures.timeline import (
    LANE_NAME_PX,
    LANE_SEPARATOR_AT,
    MARK_LIMIT,
    STRIP_HEIGHT,
    TimelineOptions,
    counts_figure,
    estimated_plot_px,
    lane_layout,
    timeline_figure,
)
from pipeline.loading import Dataset, load_dataset
from tests.conftest import VALID_FILES, write_files


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_files(tmp_path_factory.mktemp("data") / "events", dict(VALID_FILES)))


def lane_names(figure: go.Figure) -> list[str]:
    """The timeline's lane names, top to bottom (shape labels above the lanes)."""
    return [shape.label.text for shape in figure.layout.shapes if (shape.name or "").startswith("lane-name-")]


def shape_labels(figure: go.Figure) -> list[str]:
    return [shape.label.text for shape in figure.layout.shapes if shape.label and shape.label.text]


def test_lanes_are_labelled_and_can_be_hidden(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    assert lane_names(figure) == ["Cambodia–North Korea", "Cambodia–South Korea", "Context (both Koreas)"]
    hidden = timeline_figure(dataset.events, dataset.periods, TimelineOptions(lanes=("KHM-PRK", "KHM-KOR")))
    assert "Context (both Koreas)" not in lane_names(hidden)
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
    assert any("monthly counts" in text for text in shape_labels(figure))


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
    y, bands, _gap = lane_layout(events, ("KHM-PRK", "KHM-KOR"), pd.Timedelta(days=30))
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
    note = next(text for text in shape_labels(figure) if "monthly counts" in text)
    assert note.startswith(f"{MARK_LIMIT + 1:,} events")
    assert lane_names(figure) == ["Cambodia–North Korea", "Cambodia–South Korea", "Context (both Koreas)"]


def test_unknown_lanes_are_ignored(dataset: Dataset) -> None:
    figure = timeline_figure(dataset.events, dataset.periods, TimelineOptions(lanes=("KHM-PRK", "nowhere")))
    assert lane_names(figure) == ["Cambodia–North Korea"]
    assert list(figure.layout.xaxis.range) == [date(1964, 1, 1), date(2026, 12, 31)]


def test_the_timeline_zooms_only_through_the_years_filter(dataset: Dataset) -> None:
    """No client-side zoom that would leave the band labels behind: the Years filter zooms, and the
    labels are laid out again for its range (a short band labelled only once its years are shown)."""
    layout = timeline_figure(dataset.events, dataset.periods, TimelineOptions()).layout
    assert layout.xaxis.fixedrange is True and layout.yaxis.fixedrange is True
    assert layout.clickmode == "event+select"


# ---------------------------------------------------------------- theme, contrast and lane names


def _hex_colours(value: Any) -> list[str]:
    """The #RRGGBB colours in a colour property (one colour or a list of them)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    return [v for v in values if isinstance(v, str) and v.startswith("#") and len(v) == 7]


def mark_colours(figure: go.Figure) -> set[str]:
    """Every colour a mark, bar, whisker, net line, legend swatch or the selection is drawn in, read off
    the built figure (the translucent background bands excepted: their legend swatch colour counts)."""
    colours: set[str] = set()
    for trace in figure.data:
        marker = getattr(trace, "marker", None)
        if marker is not None:
            colours.update(_hex_colours(marker.color))
            if marker.line is not None:
                colours.update(_hex_colours(marker.line.color))
        if trace.type == "scatter" and trace.fill != "toself" and trace.line is not None:
            colours.update(_hex_colours(trace.line.color))
    for shape in figure.layout.shapes:
        if (shape.name or "").startswith(("selected-", "around-")):
            colours.update(_hex_colours(shape.line.color))
    return colours


def _figures(dataset: Dataset, theme: Theme) -> dict[str, go.Figure]:
    from figures.compare import quad_figure
    from pipeline.compare import left_out_of_counts, net_cooperation, quad_counts

    lanes = ("KHM-PRK", "KHM-KOR", "context")
    full = (date(1964, 1, 1), date(2026, 12, 31))
    counts = quad_counts(dataset.events, lanes)
    options = TimelineOptions(
        theme=theme,
        selected_id="khm-prk-1965-visit",
        rule=(date(1965, 1, 1), date(1965, 12, 31)),
        window=(date(1964, 1, 1), date(1966, 12, 31)),
        window_months=12,
    )
    row = dataset.events[dataset.events["id"] == "khm-prk-1965-visit"]
    many = pd.concat([row] * (MARK_LIMIT + 1), ignore_index=True).assign(id=lambda f: [f"e-{i}" for i in f.index])
    return {
        "timeline": timeline_figure(dataset.events, dataset.periods, options),
        "aggregated": timeline_figure(many, dataset.periods, options),
        "counts": counts_figure(dataset.events, lanes, full, theme=theme),
        "quads": quad_figure(
            counts,
            net_cooperation(counts),
            lanes,
            full,
            left_out=left_out_of_counts(dataset.events, lanes),
            theme=theme,
        ),
    }


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=lambda p: p.theme)
def test_every_mark_colour_reaches_3_to_1_on_its_themes_plot(palette: Palette) -> None:
    colours = palette.mark_colours()
    assert set(palette.categories) == set(LIGHT.categories) and set(palette.quads) == set(LIGHT.quads)
    assert len(colours) == len(LIGHT.mark_colours())
    for name, colour in colours.items():
        assert contrast_ratio(colour, palette.plot) >= 3.0, (palette.theme, name, colour)


def test_the_light_palette_is_the_colours_the_figures_always_had() -> None:
    assert LIGHT.plot == PLOT_BACKGROUND == "#FFFFFF" and LIGHT.categories is CATEGORY_COLOURS
    assert LIGHT.categories["multilateral"] == "#000000" and LIGHT.selection == "#0072B2"
    assert (LIGHT.precision, LIGHT.net, LIGHT.grid) == ("#444444", "#111111", "#EEEEEE")
    assert palette(None) is LIGHT and palette("light") is LIGHT and palette("dark") is DARK
    assert theme_of(None) == "light" and theme_of("dark") == "dark" and theme_of("sepia") == "light"
    assert contrast_ratio(DARK.plot, "#FFFFFF") > 15  # dark is dark


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_figures_follow_their_theme_and_no_drawn_mark_is_below_3_to_1(dataset: Dataset, theme: Theme) -> None:
    expected = palette(theme)
    for name, figure in _figures(dataset, theme).items():
        layout = figure.layout
        assert (layout.plot_bgcolor, layout.paper_bgcolor, layout.font.color) == (
            expected.plot,
            expected.paper,
            expected.font,
        ), name
        assert layout.legend.font.color == expected.font and layout.xaxis.gridcolor == expected.grid, name
        drawn = mark_colours(figure)
        assert drawn, name
        low = {c: round(contrast_ratio(c, layout.plot_bgcolor), 2) for c in drawn}
        assert all(ratio >= 3.0 for ratio in low.values()), (name, low)
        go.Figure(figure.to_dict())  # the themed layout is valid Plotly
    timeline = _figures(dataset, theme)["timeline"]
    notes = [n.font.color for n in timeline.layout.annotations]
    assert notes and set(notes) <= {expected.band_label, expected.status_label}
    rule = next(s for s in timeline.layout.shapes if s.name == "selected-rule")
    assert rule.line.color == expected.selection


def test_a_dark_figure_draws_no_light_palette_colour(dataset: Dataset) -> None:
    dark = _figures(dataset, "dark")
    light_only = set(LIGHT.mark_colours().values()) - set(DARK.mark_colours().values())
    for name, figure in dark.items():
        assert not mark_colours(figure) & light_only, name
        assert "#000000" not in mark_colours(figure), name  # the black hexagon would vanish on the dark plot


def _lane_marks(figure: go.Figure) -> list[float]:
    return [y for trace in figure.data if trace.mode == "markers" and trace.customdata for y in trace.y]


def test_lane_names_sit_above_their_lanes_at_the_plots_left_edge(dataset: Dataset) -> None:
    options = TimelineOptions()
    figure = timeline_figure(dataset.events, dataset.periods, options)
    names = [s for s in figure.layout.shapes if (s.name or "").startswith("lane-name-")]
    assert [s.label.text for s in names] == ["Cambodia–North Korea", "Cambodia–South Korea", "Context (both Koreas)"]
    assert figure.layout.yaxis.showticklabels is False and not figure.layout.yaxis.ticktext
    assert figure.layout.margin.l == LEFT_MARGIN <= 50
    tops = [s.y0 for s in names]
    marks = {
        lane: [y for trace in figure.data if trace.mode == "markers" and trace.customdata
               for y, event in zip(trace.y, trace.customdata, strict=True)
               if dataset.events.set_index("id").loc[event, "dyad"] == lane]
        for lane in ("KHM-PRK", "KHM-KOR", "context")
    }  # fmt: skip
    separators = [s.y0 for s in figure.layout.shapes if s.name == "lane-separator"]
    y_low, y_high = figure.layout.yaxis.range
    px_per_unit = estimated_plot_px(options, 14) / (y_high - y_low)
    for index, (shape, lane) in enumerate(zip(names, marks, strict=True)):
        assert (shape.xref, shape.x0, shape.yref, shape.y0, shape.y1) == ("paper", 0, "y", tops[index], tops[index])
        assert (shape.label.textposition, shape.label.xanchor, shape.label.yanchor) == ("start", "left", "bottom")
        assert shape.line.width == 0
        # Every mark of the lane is under its name; the name is under the lane above (and its separator).
        assert all(y <= shape.y0 - 0.5 for y in marks[lane]), lane
        above = min(marks[list(marks)[index - 1]]) if index else None
        ceiling = separators[index - 1] if index else y_high - STRIP_HEIGHT  # the regime strip's bottom
        assert shape.y0 < ceiling and (above is None or ceiling < above)
        assert (ceiling - shape.y0) * px_per_unit >= LANE_NAME_PX * LANE_SEPARATOR_AT - 1, lane  # room for the name


def test_the_timelines_only_annotations_are_band_labels(dataset: Dataset) -> None:
    """The phone CSS hides the timeline's annotations (views.compare.PAGE_CSS): they must be band labels."""
    for name in ("timeline", "aggregated"):
        figure = _figures(dataset, "light")[name]
        assert figure.layout.annotations, name
        assert {note.name for note in figure.layout.annotations} == {"band-label"}, name


def test_the_charts_under_the_timeline_name_their_lanes_above_rows_on_its_margin(dataset: Dataset) -> None:
    charts = _figures(dataset, "dark")
    for name in ("counts", "quads"):
        figure = charts[name]
        assert figure.layout.margin.l == charts["timeline"].layout.margin.l == LEFT_MARGIN, name
        notes = [n for n in figure.layout.annotations if n.name == "lane-name"]
        tops = [figure.layout[f"yaxis{'' if row == 1 else row}"].domain[1] for row in (1, 2, 3)]
        assert [n.y for n in notes] == tops, name
        assert all((n.xref, n.x, n.xanchor, n.yanchor) == ("paper", 0, "left", "bottom") for n in notes), name
        assert all(n.font.color == DARK.font for n in notes), name
        assert all(figure.layout[a].automargin is False for a in ("yaxis", "yaxis2", "yaxis3")), name


def test_subtitles_are_wrapped_to_fit_a_phones_chart(dataset: Dataset) -> None:
    """Plotly does not wrap text: a long subtitle is cut at a phone's chart edge, so it comes in lines."""
    charts = _figures(dataset, "light")
    long = "lanes: Cambodia–South Korea · categories: Visits and meetings, Agreements · search: restaurant"
    timeline = timeline_figure(dataset.events, dataset.periods, TimelineOptions(title="T", subtitle=long))
    for figure in (charts["counts"], charts["quads"], timeline):
        lines = figure.layout.title.subtitle.text.split("<br>")
        assert len(lines) >= 2 and all(len(line) <= 56 for line in lines), lines
        title = figure.layout.title  # at the top: further subtitle lines grow down into the taller margin
        assert (title.yref, title.y, title.yanchor) == ("container", 1, "top")
    assert (
        timeline.layout.margin.t
        > timeline_figure(
            dataset.events, dataset.periods, TimelineOptions(title="T", subtitle="3 events")
        ).layout.margin.t
    )
    assert charts["counts"].layout.margin.t > 85
