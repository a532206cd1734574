"""Citations of a view and of one event: golden strings for a fixed dataset, access date and address."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.citation import bibtex_escape, cite_event, cite_view, permalink, view_state_for
from pipeline.filters import EventFilter, filter_events, make_filter
from pipeline.loading import Dataset, load_dataset
from pipeline.query import parse_query
from tests.versioned import write_versioned

ACCESSED = date(2026, 12, 1)
SITE = "https://example.org/timeline/"
VIEW_LINK = "https://example.org/timeline/?lane=KHM-PRK&from=2016&q=delegation&v=1.1.0"
EVENT_LINK = "https://example.org/timeline/?lane=KHM-PRK&from=2016&q=delegation&event=khm-prk-2016-05-visit&v=1.1.0"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_versioned(tmp_path_factory.mktemp("cite") / "events"), today=ACCESSED)


def view(dataset: Dataset) -> tuple[EventFilter, pd.DataFrame]:
    flt = make_filter(dyads=["KHM-PRK"], date_from="2016", search="delegation", names=dataset.names, today=ACCESSED)
    return flt, filter_events(dataset.events, flt)


def test_permalink_pins_the_version_and_reopens_the_view(dataset: Dataset) -> None:
    flt, _ = view(dataset)
    link = permalink(SITE + "?old=1#x", view_state_for(flt), dataset.version)
    assert link == VIEW_LINK
    query = {key: [value] for key, value in (part.split("=") for part in link.split("?")[1].split("&"))}
    state, notices = parse_query(
        query, dataset.names, dataset.event_ids, first_year=1964, last_year=2026, today=ACCESSED
    )
    assert notices == []  # v= is an allowed key, not a notice
    assert state.flt == make_filter(dyads=["KHM-PRK"], date_from="2016", search="delegation", today=ACCESSED)


def test_view_citation_golden(dataset: Dataset) -> None:
    flt, shown = view(dataset)
    cited = cite_view(flt, len(shown), version=dataset.version, link=VIEW_LINK, accessed=ACCESSED)
    assert cited.text == (
        "Cambodia–Korea Relations Timeline project. (2026). Cambodia and the two Koreas, 1964–2026: a cited "
        "timeline of events (Version 1.1.0) [Data set; view: lanes: Cambodia–North Korea; dates: 2016 to …; "
        "search: “delegation”; 1 event]. Retrieved December 1, 2026, from "
        "https://example.org/timeline/?lane=KHM-PRK&from=2016&q=delegation&v=1.1.0"
    )
    assert (
        cited.bibtex
        == """\
@misc{khmkorea2026_v1_1_0,
  author = {{Cambodia–Korea Relations Timeline project}},
  title = {{Cambodia and the two Koreas, 1964–2026: a cited timeline of events}},
  year = {2026},
  version = {1.1.0},
  note = {Data set, data version 1.1.0, released 2026-11-15. View: lanes: Cambodia–North Korea; dates: 2016 to …; \
search: “delegation”; 1 event},
  url = {https://example.org/timeline/?lane=KHM-PRK&from=2016&q=delegation&v=1.1.0},
  urldate = {2026-12-01}
}
"""
    )
    assert json.loads(cited.csl_json) == [
        {
            "id": "khmkorea2026_v1_1_0",
            "type": "dataset",
            "genre": "Data set",
            "title": "Cambodia and the two Koreas, 1964–2026: a cited timeline of events",
            "author": [{"literal": "Cambodia–Korea Relations Timeline project"}],
            "issued": {"date-parts": [[2026, 11, 15]]},
            "accessed": {"date-parts": [[2026, 12, 1]]},
            "version": "1.1.0",
            "URL": VIEW_LINK,
            "note": "View: lanes: Cambodia–North Korea; dates: 2016 to …; search: “delegation”; 1 event",
        }
    ]


def test_event_citation_golden(dataset: Dataset) -> None:
    event = dataset.events.set_index("id", drop=False).loc["khm-prk-2016-05-visit"]
    cited = cite_event(event, version=dataset.version, link=EVENT_LINK, accessed=ACCESSED)
    sources = (
        "Sources: Example News (2020-05), “First source”, https://example.org/one; Example Archive (1999), "
        "“Second source”, https://example.org/two"
    )
    assert cited.text == (
        "Cambodia–Korea Relations Timeline project. (2026). A delegation visits Phnom Penh; talks on {trade} & 100% "
        "of aid (May 2016) [Data set entry khm-prk-2016-05-visit]. In Cambodia and the two Koreas, 1964–2026: a cited "
        f"timeline of events (Version 1.1.0). Retrieved December 1, 2026, from {EVENT_LINK}. {sources}."
    )
    assert (
        cited.bibtex
        == f"""\
@misc{{khmkorea2026_v1_1_0_khm_prk_2016_05_visit,
  author = {{{{Cambodia–Korea Relations Timeline project}}}},
  title = {{{{A delegation visits Phnom Penh; talks on \\{{trade\\}} \\& 100\\% of aid (May 2016)}}}},
  booktitle = {{{{Cambodia and the two Koreas, 1964–2026: a cited timeline of events}}}},
  year = {{2026}},
  version = {{1.1.0}},
  note = {{Event khm-prk-2016-05-visit, dated 2016-05 (EDTF). {sources}}},
  url = {{{EVENT_LINK}}},
  urldate = {{2026-12-01}}
}}
"""
    )
    csl = json.loads(cited.csl_json)[0]
    assert csl["title"] == "A delegation visits Phnom Penh; talks on {trade} & 100% of aid (May 2016)"
    assert csl["container-title"].startswith("Cambodia and the two Koreas")
    assert csl["genre"] == "Data set entry" and csl["version"] == "1.1.0" and csl["URL"] == EVENT_LINK


def test_unfiltered_view_says_all_events(dataset: Dataset) -> None:
    cited = cite_view(
        make_filter(today=ACCESSED), 4, version=dataset.version, link=SITE + "?v=1.1.0", accessed=ACCESSED
    )
    assert "[Data set; view: all events; 4 events]" in cited.text


def test_unreleased_data_is_cited_as_such(tmp_path: Path) -> None:
    events_dir = write_versioned(tmp_path / "events")
    path = events_dir / "timeline" / "events.yaml"
    path.write_text(path.read_text().replace("He went in 1965.", "He went in 1965, by train."))
    changed = load_dataset(events_dir, today=ACCESSED)
    assert changed.version.state == "modified"
    cited = cite_view(make_filter(today=ACCESSED), 4, version=changed.version, link=SITE, accessed=ACCESSED)
    label = changed.version.label
    assert label.startswith("1.1.0+") and f"(Version {label})" in cited.text
    assert "unreleased changes since version 1.1.0" in cited.bibtex


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("100% & {x}", r"100\% \& \{x\}"),
        ("a_b#c$d", r"a\_b\#c\$d"),
        (
            "back\\slash ~^",
            r"back\textbackslash{}slash \textasciitilde{}"
            r"\textasciicircum{}",
        ),
        ("two\n lines", "two lines"),
    ],
)
def test_bibtex_fields_escape_latex(text: str, escaped: str) -> None:
    assert bibtex_escape(text) == escaped
