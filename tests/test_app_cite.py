"""The page's versions and citations through AppTest: footer version, `v=` in the link, the notice for an
old or unknown version, Cite this view, Cite this event, the data package button, the Methods page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from pipeline.schema import EVENTS_DIR_ENV, Category
from tests.conftest import APP, run_app
from tests.versioned import write_versioned


@pytest.fixture(scope="module")
def events_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_versioned(tmp_path_factory.mktemp("app") / "events")


@pytest.fixture(autouse=True)
def versioned_data(events_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EVENTS_DIR_ENV, str(events_dir))


def captions(app: AppTest) -> str:
    return "\n".join(c.value for c in app.caption)


def test_footer_and_link_carry_the_version() -> None:
    app = run_app()
    assert "Data version **1\\.1\\.0**, released 2026-11-15" in captions(app)
    assert app.query_params["v"] == "1.1.0"
    assert not app.info and not app.warning


def test_old_version_link_shows_what_changed_since() -> None:
    app = run_app({"v": "1.0.0", "lane": "KHM-PRK"})
    (notice,) = app.info
    text = notice.value.replace("\\", "")
    assert text.startswith(
        "This link was made with data version 1.0.0 (released 2026-01-15); since then 1 event "
        "added, 1 changed, 0 removed, up to version 1.1.0."
    )
    assert "In this view, added: khm-prk-2016-05-visit." in text  # the changed event is not in this view
    assert app.query_params["v"] == "1.1.0"  # the page's own link names the data it shows


def test_unknown_version_link_gives_a_notice_not_an_error() -> None:
    app = run_app({"v": "0.1.0-beta<script>"})
    assert not app.error
    (warning,) = app.warning
    assert "which this site does not know" in warning.value and "<script>" not in warning.value


def test_cite_this_view_and_copy_link() -> None:
    app = run_app({"lane": "KHM-PRK", "from": "2016"})
    codes = [c.value for c in app.code]
    link = next(c for c in codes if c.startswith("http"))
    assert link.endswith("?lane=KHM-PRK&from=2016&v=1.1.0")
    text = next(c for c in codes if c.startswith("Cambodia–Korea Relations Timeline project. ("))
    assert "(Version 1.1.0) [Data set; view: lanes: Cambodia–North Korea; dates: 2016 to …; 1 event]" in text
    assert text.endswith(link)
    assert any(c.startswith("@misc{khmkorea2026_v1_1_0,") for c in codes)
    assert json.loads(next(c for c in codes if c.startswith("[")))[0]["URL"] == link


def test_cite_this_event_from_the_detail_card() -> None:
    app = run_app({"event": "khm-prk-2016-05-visit"})
    codes = [c.value for c in app.code]
    event_text = next(c for c in codes if "[Data set entry khm-prk-2016-05-visit]" in c)
    assert "event=khm-prk-2016-05-visit&v=1.1.0" in event_text and "Example Archive (1999)" in event_text


def test_the_data_package_is_offered_beside_the_csv_and_json() -> None:
    app = run_app({"lane": "KHM-PRK"})
    buttons = {b.proto.label: b.proto for b in app.get("download_button")}
    assert {"Download CSV", "Download JSON", "Download data package"} <= set(buttons)
    package = buttons["Download data package"]
    assert package.url.endswith(".zip") and not package.deferred_file_id


def methods_script(events_dir: str) -> None:
    from pathlib import Path

    from pipeline.loading import load_dataset
    from views import methods

    methods.render(load_dataset(Path(events_dir)), "https://example.org/")


def test_methods_page_is_generated_from_the_schema(events_dir: Path) -> None:
    app = AppTest.from_function(methods_script, args=(str(events_dir),), default_timeout=60).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Methods and codebook"
    headers = [h.value for h in app.header]
    assert headers == [
        "Lanes",
        "Categories",
        "Quad classes (PLOVER)",
        "Dates",
        "Inclusion and sources",
        "Disagreements and corrections",
        "Reporting an error",
        "Licence",
        "How to cite",
        "Versions",
        "Data dictionary",
    ]
    tables = [m.value.replace("\\", "") for m in app.markdown if m.value.startswith("| ")]
    categories = next(t for t in tables if t.startswith("| code | category |"))
    codes = [line.split(" | ")[0].removeprefix("| ") for line in categories.splitlines()[2:]]
    assert codes == [c.value for c in Category]
    assert "| visits_meetings | Visits and meetings |" in categories
    assert "| 1965: Sihanouk visits Pyongyang |" in categories  # an example from the data
    assert (
        "| aid_loans | Aid and loans | Grants, loans, development aid, food and technical assistance. "
        "| (no event yet) |" in categories
    )
    versions = next(t for t in tables if t.startswith("| version |"))
    assert [line.split(" | ")[0] for line in versions.splitlines()[2:]] == ["| 1.1.0", "| 1.0.0"]
    assert any("CC BY 4.0" in m.value.replace("\\", "") for m in app.markdown)
    assert any(c.value.startswith("@misc{khmkorea2026_v1_1_0,") for c in app.code)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=120))
def test_any_version_in_the_link_gives_at_most_a_notice(version: str) -> None:
    app = run_app({"v": version})
    assert not app.error
    assert len(app.info) + len(app.warning) <= 1
    assert app.query_params["v"] == "1.1.0"


def test_filters_survive_widget_state_being_dropped() -> None:
    # Streamlit drops a widget's state when a run does not draw it (the reader was on the Methods
    # page): a session that is initialised but has no filter state restores the view from its link.
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["initialised"] = True
    app.query_params["lane"] = "KHM-PRK"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.multiselect(key="lanes").value == ["KHM-PRK"]
    assert app.slider(key="years").value == (1964, app.slider(key="years").max)
