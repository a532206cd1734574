"""The view never lies (AppTest): link notices last until the view changes, a hidden selection says
what hides it, an empty result offers one-click removal of each filter part with downloads off, and
the keyboard "Select event" box opens an event."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from pipeline.filters import filter_events, make_filter
from pipeline.loading import Dataset
from tests.conftest import run_app, shown_count

RESTORED = "khm-kor-1997-10-30-ties-restored"
pytestmark = pytest.mark.usefixtures("shipped_events_dir")


def warnings(app: AppTest) -> list[str]:
    return [w.value for w in app.warning]


def downloads_disabled(app: AppTest) -> dict[str, bool]:
    return {b.proto.label: b.proto.disabled for b in app.get("download_button")}


def test_link_notices_show_until_the_first_change_and_do_not_come_back() -> None:
    app = run_app({"category": "bogus", "actor": "Phnom Penh", "lane": "KHM-PRK"})
    first = warnings(app)
    assert len(first) == 2 and "bogus" in first[0] and "Phnom Penh" in first[1]
    app.run()  # a rerun with the same view keeps them
    assert warnings(app) == first
    app.text_input(key="search").input("visit").run()
    assert warnings(app) == []
    app.text_input(key="search").input("").run()  # back to the link's view: still cleared
    assert warnings(app) == []


def test_hidden_selection_names_the_hiding_filters_and_show_it_removes_only_those(shipped: Dataset) -> None:
    app = run_app({"event": RESTORED, "lane": "KHM-PRK", "q": "loan", "category": "diplomatic_status,aid_loans"})
    (notice,) = warnings(app)
    assert notice.startswith("This event is hidden by the current filters (lanes") and "loan" in notice
    assert "categories" not in notice  # diplomatic_status lets this event through
    assert any("restore diplomatic relations" in h.value for h in app.subheader)  # the card stays
    app.button(key="show-hidden").click().run()
    assert warnings(app) == []
    assert app.multiselect(key="lanes").value == ["KHM-PRK", "KHM-KOR", "context"]
    assert app.text_input(key="search").value == ""
    assert app.multiselect(key="categories").value == ["diplomatic_status", "aid_loans"]  # kept
    expected = filter_events(shipped.events, make_filter(categories=["diplomatic_status", "aid_loans"]))
    assert shown_count(app)[0] == len(expected) and RESTORED in set(expected["id"])
    assert app.query_params["event"] == RESTORED


def test_clear_selection_closes_the_hidden_event() -> None:
    app = run_app({"event": RESTORED, "lane": "KHM-PRK"})
    app.button(key="clear-selection").click().run()
    assert warnings(app) == [] and "event" not in app.query_params
    assert any("Select an event" in c.value for c in app.caption)


def test_no_results_offers_removal_of_each_part_and_turns_downloads_off(shipped: Dataset) -> None:
    app = run_app({"q": "zzzqqqx", "category": "agreements", "from": "1990"})
    assert shown_count(app)[0] == 0
    (notice,) = warnings(app)
    assert notice.startswith("No events match the current filters")
    removals = [b.label for b in app.button if b.key and b.key.startswith("remove-")]
    assert removals == [
        "✕ categories: Agreements",
        "✕ dates: 1990 to …",
        "✕ search: “zzzqqqx”",
        "Reset all filters",
    ]
    assert downloads_disabled(app) == {
        "Download CSV": True,
        "Download JSON": True,
        "Download data package": True,
        "Download printable chronology (HTML)": True,
    }
    assert next(b for b in app.button if b.key == "make-images").disabled
    for chart in app.get("plotly_chart"):  # empty charts, still whole-number axes with a finite range
        layout = json.loads(chart.proto.spec)["layout"]
        for name, axis in layout.items():
            if name.startswith("yaxis") and axis.get("showticklabels", True):  # the timeline's lanes have none
                low, high = axis["range"]
                assert high - low >= 1 and axis.get("dtick") == 1, (name, axis)
    app.button(key="remove-search").click().run()
    expected = filter_events(shipped.events, make_filter(categories=["agreements"], date_from="1990"))
    assert shown_count(app)[0] == len(expected) > 0
    assert warnings(app) == []
    assert not any(downloads_disabled(app).values())
    assert app.query_params["category"] == "agreements" and app.query_params["from"] == "1990"


def test_no_lane_selected_says_so_and_one_click_brings_them_back(shipped: Dataset) -> None:
    app = run_app()
    app.multiselect(key="lanes").set_value([]).run()
    assert shown_count(app)[0] == 0
    assert warnings(app) == ["No lane is selected, so no events are shown."]
    assert downloads_disabled(app)["Download CSV"]
    timeline = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]  # claims no events the page hides
    assert timeline["title"]["subtitle"]["text"].startswith("0 events")
    app.button(key="remove-lanes").click().run()
    assert shown_count(app)[0] == len(shipped.events)


def test_reset_all_filters_from_the_empty_result(shipped: Dataset) -> None:
    app = run_app({"q": "zzzqqqx", "lane": "KHM-KOR", "sources": "original"})
    app.button(key="remove-all").click().run()
    assert shown_count(app)[0] == len(shipped.events)
    assert all(key not in app.query_params for key in ("q", "lane", "sources"))


def test_keyboard_select_event_box_opens_the_event_and_empties_itself(shipped: Dataset) -> None:
    app = run_app({"lane": "KHM-KOR"})
    picker = app.selectbox(key="event-picker")
    assert picker.label == "Select event" and picker.value is None
    assert len(picker.options) == int((shipped.events["dyad"] == "KHM-KOR").sum())
    picker.set_value(RESTORED).run()
    assert app.query_params["event"] == RESTORED
    assert any("restore diplomatic relations" in h.value for h in app.subheader)
    assert app.selectbox(key="event-picker").value is None
