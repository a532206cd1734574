"""The Streamlit app through AppTest: renders, filters change the count, URL state, notices,
event details, bad data, and markup shown literally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from pipeline.filters import filter_events, make_filter
from pipeline.loading import Dataset
from pipeline.schema import EVENTS_DIR_ENV
from pipeline.text import markdown_literal
from tests.conftest import APP, SUMMARY_COUNT, VALID_FILES, run_app, shown_count, write_files

pytestmark = pytest.mark.usefixtures("shipped_events_dir")


def expected_count(dataset: Dataset, **kwargs: object) -> int:
    return len(filter_events(dataset.events, make_filter(**kwargs, names=dataset.names)))  # type: ignore[arg-type]


def test_page_renders_both_lanes_and_all_events(shipped: Dataset) -> None:
    app = run_app()
    assert shown_count(app) == (len(shipped.events), len(shipped.events))
    assert app.title[0].value.startswith("Cambodia")
    assert len(app.get("plotly_chart")) == 3  # timeline, cooperation vs conflict, counts
    assert not app.warning


@pytest.mark.parametrize(
    ("widget", "value", "kwargs"),
    [
        ("lanes", ["KHM-PRK"], {"dyads": ["KHM-PRK"]}),
        ("lanes", ["KHM-KOR", "context"], {"dyads": ["KHM-KOR", "context"]}),
        ("categories", ["aid_loans"], {"categories": ["aid_loans"]}),
        ("quads", ["material_conflict"], {"quads": ["material_conflict"]}),
        ("actors", ["Kim Il Sung"], {"actors": ["Kim Il Sung"]}),
    ],
)
def test_each_multiselect_filter_changes_the_count(
    shipped: Dataset, widget: str, value: list[str], kwargs: dict[str, object]
) -> None:
    app = run_app()
    app.multiselect(key=widget).set_value(value).run()
    expected = expected_count(shipped, **kwargs)
    assert 0 < expected < len(shipped.events)
    assert shown_count(app) == (expected, len(shipped.events))
    assert app.query_params[
        {"lanes": "lane", "categories": "category", "quads": "quad", "actors": "actor"}[widget]
    ] == ",".join(value)


def test_year_slider_and_search_change_the_count(shipped: Dataset) -> None:
    app = run_app()
    app.slider(key="years").set_range(1990, 1999).run()
    expected = expected_count(shipped, date_from="1990", date_to="1999")
    assert shown_count(app)[0] == expected
    app.text_input(key="search").input("pyongyang").run()
    assert shown_count(app)[0] == expected_count(shipped, date_from="1990", date_to="1999", search="pyongyang")
    assert app.query_params["from"] == "1990" and app.query_params["q"] == "pyongyang"


def test_alias_search_finds_the_canonical_name(shipped: Dataset) -> None:
    app = run_app()
    app.text_input(key="search").input("Kim Il-sung").run()
    with_actor = expected_count(shipped, actors=["Kim Il Sung"])
    assert with_actor > 0
    # Every event naming him is found by an alias spelling the events themselves never use as actor.
    assert shown_count(app)[0] == expected_count(shipped, search="Kim Il-sung") >= with_actor


def test_query_parameters_restore_the_view(shipped: Dataset) -> None:
    query = {
        "lane": "KHM-KOR",
        "category": "agreements,aid_loans",
        "from": "2000",
        "to": "2020",
        "q": "loan",
        "event": "khm-kor-1997-10-30-ties-restored",
    }
    app = run_app(query)
    expected = expected_count(
        shipped,
        dyads=["KHM-KOR"],
        categories=["agreements", "aid_loans"],
        date_from="2000",
        date_to="2020",
        search="loan",
    )
    assert shown_count(app)[0] == expected
    assert app.multiselect(key="lanes").value == ["KHM-KOR"]
    assert app.slider(key="years").value == (2000, 2020)
    assert {k: app.query_params[k] for k in query} == query
    # the 1997 ties event is none of these categories, outside 2000–2020 and no loan: the one notice says so
    assert [w.value for w in app.warning] == [
        "This event is hidden by the current filters (categories\\: Agreements, Aid and loans; "
        "dates\\: 2000 to 2020; search\\: “loan”)."
    ]


def test_selected_event_shows_its_detail(shipped: Dataset) -> None:
    event = shipped.events.set_index("id").loc["khm-kor-1997-10-30-ties-restored"]
    app = run_app({"event": "khm-kor-1997-10-30-ties-restored"})
    texts = " ".join(m.value for m in app.markdown)
    assert any("restore diplomatic relations" in h.value for h in app.subheader)
    assert event["date_label"].replace(" ", "") in texts.replace("\\", "").replace(" ", "")
    assert "EDTF `1997-10-30`" in texts  # the EDTF code exactly, no escape artefacts
    for source in event["sources"]:  # source ids are not shown raw; publishers are
        assert markdown_literal(source["id"]) not in texts
        assert markdown_literal(source["publisher"]) in texts
    opened = [b.proto.url for b in app.get("link_button") if b.proto.label == "Open source"]
    assert opened == [source["url"] for source in event["sources"]]


@pytest.mark.parametrize(
    "query",
    [
        {"lane": "KHM-JPN"},
        {"from": "1900"},
        {"utm_source": "mail"},
        {"event": "no-such-event"},
        {"category": "<script>alert(1)</script>"},
        {"from": "2010", "to": "2000"},
    ],
)
def test_malformed_parameters_give_a_notice_and_defaults(shipped: Dataset, query: dict[str, str]) -> None:
    app = run_app(query)
    assert app.warning, "no notice shown"
    assert shown_count(app) == (len(shipped.events), len(shipped.events))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    st.dictionaries(
        st.sampled_from(["lane", "category", "quad", "from", "to", "actor", "q", "event", "x", "embed", "__proto__"]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
        min_size=1,
        max_size=4,
    )
)
def test_fuzzed_query_strings_never_break_the_app(query: dict[str, str]) -> None:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert SUMMARY_COUNT.search(" ".join(m.value for m in app.markdown))


def test_bad_dataset_shows_problems_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events_dir = write_files(tmp_path / "events", {**VALID_FILES, "broken.yaml": "events:\n  - id: x\n    dyad: KHM\n"})
    monkeypatch.setenv(EVENTS_DIR_ENV, str(events_dir))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert app.error and "problem" in app.error[0].value
    assert "broken.yaml:3: dyad" in app.code[0].value
    assert not app.get("plotly_chart")


HOSTILE = sorted(p for p in (Path(__file__).parent / "hostile").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", HOSTILE[::4], ids=[p.name for p in HOSTILE[::4]])
def test_hostile_datasets_show_their_problems(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EVENTS_DIR_ENV, str(case))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert app.error and re.search(r"events\.yaml:\d+: ", app.code[0].value)


def test_markup_in_event_text_is_shown_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile_text = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold** ![i](http://x/i.png)"
    events = VALID_FILES["timeline/events.yaml"].replace("summary: Relations resume.", f"summary: {hostile_text!r}")
    events_dir = write_files(tmp_path / "events", {**VALID_FILES, "timeline/events.yaml": events})
    monkeypatch.setenv(EVENTS_DIR_ENV, str(events_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["event"] = "khm-kor-1997-10-30-ties"
    app.run()
    assert not app.exception
    rendered = [m for m in app.markdown if "onerror" in m.value]
    assert rendered, "summary not shown"
    for markdown in rendered:
        assert not markdown.proto.allow_html
        assert "\\<img" in markdown.value and "\\[click\\]\\(javascript" in markdown.value
        assert "\\*\\*bold\\*\\*" in markdown.value and "\\!\\[i\\]" in markdown.value
    assert all(not m.proto.allow_html for m in app.markdown)


def test_detail_card_shows_each_sources_kind_access_translation_and_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_provenance import REPOST_EVENT, REPOST_SOURCE

    events_dir = write_files(
        tmp_path / "events", {**VALID_FILES, "extra/src.yaml": REPOST_SOURCE, "extra/event.yaml": REPOST_EVENT}
    )
    monkeypatch.setenv(EVENTS_DIR_ENV, str(events_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["event"] = "khm-prk-2001-repost-only"
    app.run()
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "repost of “Wire story”, Wire Agency, 2001\\-02\\-03" in captions
    texts = " ".join(m.value for m in app.markdown)
    assert "*Translation:* North Korea" in texts
    assert any("original publisher" in w.value and "2001" in w.value for w in app.warning)
    labels = [button.proto.label for button in app.get("link_button")]
    assert labels == ["Open source", "Archived copy"]

    app.sidebar.toggle(key="original_only").set_value(True).run()
    assert shown_count(app) == (3, 4)
    assert app.query_params["sources"] == "original"


def test_downloads_are_sent_with_the_page_not_deferred() -> None:
    # A deferred file is unreferenced once made, so another session's rerun deletes it before the
    # reader's browser fetches it (404 under load); bytes sent with the page stay referenced.
    app = run_app({"q": "loan"})
    app.button(key="make-images").click().run()  # slide images are made on request, then sent with the page
    buttons = {button.proto.label: button.proto for button in app.get("download_button")}
    assert {
        "Download CSV",
        "Download JSON",
        "Download data package",
        "Download printable chronology (HTML)",
        "Image for slides (PNG)",
        "Image for print (SVG)",
    } == set(buttons)
    for proto in buttons.values():
        assert proto.url and not proto.deferred_file_id
        assert proto.ignore_rerun
    assert buttons["Download CSV"].url.endswith(".csv")


def test_selection_from_the_link_survives_a_filter_change_and_is_dropped_when_unknown(shipped: Dataset) -> None:
    app = run_app({"event": "khm-kor-1997-10-30-ties-restored"})
    app.text_input(key="search").input("loan").run()
    assert app.query_params["event"] == "khm-kor-1997-10-30-ties-restored"
    assert any("restore diplomatic relations" in h.value for h in app.subheader)
    app.session_state["event"] = "not-an-event"
    app.run()
    assert not app.exception
    assert "event" not in app.query_params
    assert any("Select an event" in c.value for c in app.caption)


def test_addresses_in_event_text_are_not_turned_into_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_text import GFM_EMAIL, GFM_URL

    events = (
        VALID_FILES["timeline/events.yaml"]
        .replace("title: Ties restored", "title: Ties restored, see www.evil.example")
        .replace("summary: Relations resume.", "summary: Mail press@evil.example or visit https://evil.example/x")
        .replace('quote: "On October 30, 1997, relations resumed."', 'quote: "Resumed (http://evil.example)."')
    )
    events_dir = write_files(tmp_path / "events", {**VALID_FILES, "timeline/events.yaml": events})
    monkeypatch.setenv(EVENTS_DIR_ENV, str(events_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["event"] = "khm-kor-1997-10-30-ties"
    app.run()
    assert not app.exception
    texts = [m.value for m in app.markdown] + [h.value for h in app.subheader]
    assert any("evil" in text for text in texts)
    for text in texts:
        seen = re.sub(r"\\(.)", r"\1", text)
        assert not GFM_URL.search(seen) and not GFM_EMAIL.search(seen), text
    assert [button.proto.url for button in app.get("link_button")] == ["https://example.org/one"]
