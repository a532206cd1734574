"""The comparison pieces of the app through AppTest, on the synthetic dataset: Previous/Next,
"Around this event" with the lane filter on, the quad chart's numbers, the relationship history,
the chronology and the link's `around`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipeline.compare import events_around, quad_counts
from pipeline.filters import filter_events, make_filter
from pipeline.loading import Dataset, load_dataset
from pipeline.schema import EVENTS_DIR_ENV, QUAD_LABELS, Quad
from tests.conftest import run_app
from tests.synthetic import write_synthetic

EVENT = "syn-khm-kor-004"


@pytest.fixture(scope="module")
def events_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("syn-app") / "events")


@pytest.fixture(scope="module")
def synthetic(events_dir: Path) -> Dataset:
    return load_dataset(events_dir)


@pytest.fixture(autouse=True)
def use_synthetic(events_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(EVENTS_DIR_ENV, str(events_dir))
    yield


def around_buttons(app: AppTest) -> list[str]:
    return [b.key.removeprefix("around-") for b in app.button if b.key and b.key.startswith("around-")]


def test_around_lists_other_lanes_even_when_the_lane_filter_hides_them(synthetic: Dataset) -> None:
    app = run_app({"event": EVENT, "lane": "KHM-KOR", "around": "24"})
    assert app.multiselect(key="lanes").value == ["KHM-KOR"]
    current = synthetic.events.set_index("id", drop=False).loc[EVENT]
    expected = list(events_around(synthetic.events, current, 24)["id"])
    assert expected and all(not e.startswith("syn-khm-kor") for e in expected)
    assert around_buttons(app) == expected
    assert app.query_params["around"] == "24"

    app.button_group(key="around").set_value(3).run()
    assert around_buttons(app) == list(events_around(synthetic.events, current, 3)["id"])
    assert app.query_params["around"] == "3"

    # An item is clickable: it selects that event (in another lane).
    app.button_group(key="around").set_value(24).run()
    target = expected[0]
    app.button(key=f"around-{target}").click().run()
    assert app.query_params["event"] == target


def test_around_window_is_drawn_on_the_timeline() -> None:
    app = run_app({"event": EVENT, "around": "6"})
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    names = {shape.get("name") for shape in spec["layout"]["shapes"]}
    assert {"selected-rule", "around-window"} <= names


def test_previous_and_next_follow_the_shown_events_in_date_order(synthetic: Dataset) -> None:
    app = run_app({"event": EVENT, "lane": "KHM-KOR,KHM-PRK"})
    shown = filter_events(synthetic.events, make_filter(dyads=["KHM-KOR", "KHM-PRK"]))
    order = list(shown.sort_values(["start", "end", "id"])["id"])
    at = order.index(EVENT)
    visited = [EVENT]
    for _ in range(4):
        app.button(key="next-all").click().run()
        visited.append(app.query_params["event"])
    assert visited == order[at : at + 5]
    app.button(key="prev-all").click().run()
    assert app.query_params["event"] == order[at + 3]

    lane_order = [i for i in order if i.startswith("syn-khm-kor")]
    app.button(key="next-lane").click().run()
    assert app.query_params["event"] == lane_order[lane_order.index(order[at + 3]) + 1]


def test_first_event_has_no_previous(synthetic: Dataset) -> None:
    first = synthetic.events.sort_values(["start", "end", "id"]).iloc[0]["id"]
    app = run_app({"event": str(first)})
    assert app.button(key="prev-all").disabled and not app.button(key="next-all").disabled


def test_quad_chart_counts_equal_the_pipeline_counts(synthetic: Dataset) -> None:
    app = run_app({"lane": "KHM-PRK,KHM-KOR"})
    spec = next(
        json.loads(c.proto.spec)
        for c in app.get("plotly_chart")
        if "Cooperation" in json.loads(c.proto.spec)["layout"]["title"]["text"]
    )
    axes = {"y": "KHM-PRK", "y2": "KHM-KOR"}
    label_to_quad = {label: quad.value for quad, label in QUAD_LABELS.items()}
    drawn = {}
    for trace in spec["data"]:
        if trace["name"] not in label_to_quad:
            continue
        for x, n in zip(trace["x"], trace["customdata"], strict=True):
            drawn[(axes[trace.get("yaxis", "y")], int(x[:4]), label_to_quad[trace["name"]])] = n
    shown = filter_events(synthetic.events, make_filter(dyads=["KHM-PRK", "KHM-KOR"]))
    counts = quad_counts(shown, ("KHM-PRK", "KHM-KOR"))
    assert drawn == {(lane, year, quad): n for lane, year, quad, n in counts.itertuples(index=False)}
    assert {t["name"] for t in spec["data"]} >= {
        QUAD_LABELS[Quad.VERBAL_COOPERATION],
        "Net cooperation (cooperation − conflict)",
    }
    assert any("Method" in c.value and "more than one year" in c.value.replace("\\", "") for c in app.caption)


def test_relationship_history_lists_every_period_with_description_and_sources(synthetic: Dataset) -> None:
    app = run_app({})
    table = next(d.value for d in app.dataframe if "Description" in d.value.columns)
    assert len(table) == len(synthetic.periods)
    assert list(table.columns) == ["Lane", "Dates", "Period", "Status", "Description", "Sources"]
    row = table[table["Period"] == "DPRK recognises the exile CGDK, not the PRK/SOC"].iloc[0]
    assert row["Description"].startswith("DPRK recognises exile CGDK") and "Example Archive" in row["Sources"]
    short = table[table["Period"] == "UNTAC transitional period"]
    assert len(short) == 1  # a band too short to label is still listed


def test_chronology_tab_and_image_downloads_are_offered() -> None:
    app = run_app({"lane": "KHM-KOR"})
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Download printable chronology (HTML)" in labels and "Image for slides (PNG)" not in labels
    app.button(key="make-images").click().run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert {"Image for slides (PNG)", "Image for print (SVG)", "Download printable chronology (HTML)"} <= set(labels)
    headings = [m.value for m in app.markdown if m.value.startswith("#### ")]
    assert headings and headings == sorted(headings)


def test_selected_row_is_highlighted_in_the_table() -> None:
    app = run_app({"event": EVENT})
    table = app.dataframe[0]
    styled = table.proto.arrow_data.styler
    assert "cfe8ff" in styled.styles


def test_charts_have_text_equivalents_and_a_titled_camera(synthetic: Dataset) -> None:
    app = run_app({"lane": "KHM-KOR"})
    timeline, quads, counts = app.get("plotly_chart")
    shown = int((synthetic.events["dyad"] == "KHM-KOR").sum())
    assert timeline.proto.alt.startswith(f"Timeline of {shown} events") and "Cambodia–South Korea" in timeline.proto.alt
    assert "cooperation" in quads.proto.alt and counts.proto.alt
    spec = json.loads(timeline.proto.spec)
    assert spec["layout"]["title"]["text"] and "Cambodia–South Korea" in spec["layout"]["title"]["subtitle"]["text"]
    config = json.loads(timeline.proto.config)
    assert config["toImageButtonOptions"]["scale"] == 2


def test_selecting_a_table_row_shows_its_card_beside_the_timeline(synthetic: Dataset) -> None:
    app = run_app({})
    assert "next-all" not in [b.key for b in app.button]  # nothing selected yet
    listed = synthetic.events  # no filters: the table lists every event in table order
    # AppTest cannot click a dataframe row; set the selection as the browser would.
    app.session_state["table"] = {"selection": {"rows": [3], "columns": []}}
    app.run()
    assert not app.exception
    assert app.query_params["event"] == str(listed.iloc[3]["id"])
    assert any(str(listed.iloc[3]["title"]) in h.value.replace("\\", "") for h in app.subheader)
