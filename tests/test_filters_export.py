"""Filters, CSV/JSON exports, formula neutralization, atomic writes, text safety."""

from __future__ import annotations

import io
import json
import os
import string
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export import (
    FORMULA_TRIGGERS,
    OutputError,
    check_output_path,
    csv_frame,
    neutralize_cell,
    to_csv_bytes,
    to_json_bytes,
    write_atomically,
)
from pipeline.filters import (
    FilterError,
    Part,
    describe_filter,
    filter_events,
    filter_parts,
    filter_slug,
    make_filter,
    only,
    parts_hiding,
    without,
)
from pipeline.loading import Dataset, load_dataset
from pipeline.schema import EVENT_COLUMNS, EXPORT_SOURCE_KEYS, INTERNAL_COLUMNS, PERIOD_COLUMNS, PERIOD_DETAIL_COLUMNS
from pipeline.text import markdown_literal, safe_http_url
from tests.conftest import VALID_FILES, examples, write_files

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_files(tmp_path_factory.mktemp("data") / "events", dict(VALID_FILES)))


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["id"])


def test_table_has_the_declared_columns_and_dtypes(dataset: Dataset) -> None:
    events = dataset.events
    assert list(events.columns) == [*EVENT_COLUMNS, *INTERNAL_COLUMNS]
    for name, dtype in {**EVENT_COLUMNS, **INTERNAL_COLUMNS}.items():
        assert events[name].dtype == dtype, name  # exactly the declared dtype, categories included
    assert list(events["dyad"].cat.categories) == ["KHM-PRK", "KHM-KOR", "context"]
    assert list(dataset.periods.columns) == [*PERIOD_COLUMNS, *PERIOD_DETAIL_COLUMNS]
    for name, dtype in {**PERIOD_COLUMNS, **PERIOD_DETAIL_COLUMNS}.items():
        assert dataset.periods[name].dtype == dtype, name
    row = events.set_index("id").loc["khm-prk-1965-visit"]
    assert row["date"] == "1965" and row["precision"] == "year" and row["date_label"] == "1965"
    assert row["start"] == pd.Timestamp("1965-01-01") and row["end"] == pd.Timestamp("1965-12-31")
    assert row["counterpart"] == "North Korea"
    assert row["sources"][0]["publisher"] == "Example Archive"
    approx = events.set_index("id").loc["ctx-1975-approx"]
    assert approx["approximate"] and approx["date_label"] == "c. 1975"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"dyads": ["KHM-PRK"]}, ["khm-prk-1965-visit"]),
        ({"dyads": ["KHM-KOR", "context"]}, ["ctx-1975-approx", "khm-kor-1997-10-30-ties"]),
        ({"categories": ["multilateral"]}, ["ctx-1975-approx"]),
        ({"quads": ["verbal_cooperation"]}, ["khm-kor-1997-10-30-ties", "khm-prk-1965-visit"]),
        ({"date_from": "1965-06", "date_to": "1965-06"}, ["khm-prk-1965-visit"]),  # a year overlaps its months
        ({"date_from": "1997-10-31"}, []),
        ({"date_to": "1964"}, []),
        ({"actors": ["Kim Il-sung"]}, ["khm-prk-1965-visit"]),  # an alias finds the canonical name
        ({"search": "PYONGYANG prince"}, ["khm-prk-1965-visit"]),
        ({"search": "il-sung"}, ["khm-prk-1965-visit"]),  # aliases are searchable
        ({"search": "seoul"}, ["khm-kor-1997-10-30-ties"]),  # places are searchable
    ],
)
def test_filters_select_the_expected_rows(dataset: Dataset, kwargs: dict[str, object], expected: list[str]) -> None:
    flt = make_filter(**kwargs, names=dataset.names, today=TODAY)  # type: ignore[arg-type]
    assert ids(filter_events(dataset.events, flt)) == expected
    assert describe_filter(flt)
    assert filter_slug(flt)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"dyads": ["KHM-JPN"]},
        {"categories": ["x"]},
        {"quads": ["y"]},
        {"date_from": "1997-13"},
        {"date_from": "2000", "date_to": "1990"},
        {"actors": ["Nobody"]},
        {"search": "x" * 201},
    ],
)
def test_bad_filter_values_are_refused_with_a_reason(dataset: Dataset, kwargs: dict[str, object]) -> None:
    with pytest.raises(FilterError, match=r"expected|before|not"):
        make_filter(**kwargs, names=dataset.names, today=TODAY)  # type: ignore[arg-type]


def test_empty_filter_keeps_everything(dataset: Dataset) -> None:
    flt = make_filter(names=dataset.names, today=TODAY)
    assert len(filter_events(dataset.events, flt)) == len(dataset.events)
    assert describe_filter(flt) == ""


def test_csv_contract(dataset: Dataset) -> None:
    payload = to_csv_bytes(dataset.events)
    frame = pd.read_csv(io.BytesIO(payload), dtype=str, keep_default_na=False)
    assert len(frame) == len(dataset.events)
    row = frame.set_index("id").loc["khm-prk-1965-visit"]
    assert row["actors"] == "Norodom Sihanouk; Kim Il Sung"
    assert row["start"] == "1965-01-01" and row["end"] == "1965-12-31" and row["precision"] == "year"
    assert row["source_urls"] == "https://example.org/two"
    evil = frame.set_index("id").loc["ctx-1975-approx"]
    assert evil["title"].startswith("'=HYPERLINK")
    assert evil["source_ids"] == "src-one; src-two"


def test_json_contract(dataset: Dataset) -> None:
    records = json.loads(to_json_bytes(dataset.events))
    assert [r["id"] for r in records] == list(dataset.events["id"])
    record = next(r for r in records if r["id"] == "khm-kor-1997-10-30-ties")
    assert set(record) >= set(EVENT_COLUMNS) - {"search_text"}
    assert record["start"] == record["end"] == "1997-10-30"
    assert record["places"] == ["Seoul", "Phnom Penh"]
    assert record["sources"] == [
        {
            "id": "src-one",
            "title": "First source",
            "publisher": "Example News",
            "author": "",
            "published": "2020-05",
            "url": "https://example.org/one",
            "kind": "news_report",
            "access": "original",
            "is_original": True,
            "language": "en",
            "archived_url": "",
            "original_publisher": "",
            "original_title": "",
            "original_date": "",
            "original_url": "",
            "quote": "On October 30, 1997, relations resumed.",
            "translation": "",
        }
    ]
    assert (record["dyad"], record["dyad_label"]) == ("KHM-KOR", "Cambodia–South Korea")
    assert record["category_label"] == "Diplomatic status" and record["quad_label"] == "Verbal cooperation"
    assert record["has_original"] is True
    assert record["provenance_note"] == ""
    assert list(record["sources"][0]) == list(EXPORT_SOURCE_KEYS)
    assert record["title"] == "Ties restored"


@given(st.text())
def test_neutralized_cells_never_start_a_formula(text: str) -> None:
    cell = neutralize_cell(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert cell == text or (cell == "'" + text and text.startswith(FORMULA_TRIGGERS))


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.text(alphabet=string.printable + "=+-@\t\r\n é한", min_size=1, max_size=30), min_size=1, max_size=5))
def test_csv_round_trips_apart_from_neutralization(dataset: Dataset, titles: list[str]) -> None:
    events = pd.concat([dataset.events.iloc[[0]]] * len(titles), ignore_index=True)
    events["title"] = titles
    events["summary"] = [t[::-1] for t in titles]
    payload = to_csv_bytes(events)
    back = pd.read_csv(io.BytesIO(payload), dtype=str, keep_default_na=False)
    expected = csv_frame(events)
    assert list(back.columns) == list(expected.columns)
    for column in ("title", "summary", "id", "date", "start"):
        assert list(back[column]) == [neutralize_cell(v) for v in expected[column].map(str)]
    for column in back.columns:
        for cell in back[column]:
            if cell not in ("True", "False"):
                assert not cell.startswith(FORMULA_TRIGGERS)
    assert list(back["title"]) == [neutralize_cell(t) for t in titles]


def test_boolean_columns_stay_untouched(dataset: Dataset) -> None:
    back = pd.read_csv(io.BytesIO(to_csv_bytes(dataset.events)))
    assert back["approximate"].dtype == bool
    assert back["approximate"].sum() == 1


def test_write_atomically_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    write_atomically(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.org/a?b=c", True),
        ("http://x.y", True),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("HTTPS://EXAMPLE.ORG", True),
        ("https://", False),
        ("https://a.b/\nc", False),
        ("//evil.com", False),
        (None, False),
    ],
)
def test_only_plain_http_links_are_kept(url: object, allowed: bool) -> None:
    assert (safe_http_url(url) is not None) == allowed


@given(st.text(max_size=80))
def test_markdown_literal_escapes_every_active_character(text: str) -> None:
    escaped = markdown_literal(text)
    assert "\n" not in escaped
    for char in "[]()<>*_`#!|":
        assert escaped.count("\\" + char) >= text.count(char) or char not in text


def test_filter_description_and_slug_are_exact(dataset: Dataset) -> None:
    flt = make_filter(dyads=["KHM-PRK", "context"], categories=["aid_loans"], quads=["neutral", "verbal_conflict"],
                      date_from="1990", date_to="2000-06", actors=["Kim Il-sung"], search="  rice   loan ",
                      names=dataset.names, today=TODAY)  # fmt: skip
    assert describe_filter(flt) == (
        "lanes: Cambodia–North Korea, Context (both Koreas); categories: Aid and loans; "
        "quad: Neutral, Verbal conflict; dates: 1990 to 2000-06; actors: Kim Il Sung; search: “rice loan”"
    )
    assert filter_slug(flt) == (
        "KHM-PRK_context_aid_loans_neutral_verbal_conflict_1990-to-2000-06_actor-Kim-Il-Sung_search-rice-loan"
    )
    only_end = make_filter(date_to="1970", today=TODAY)
    assert describe_filter(only_end) == "dates: … to 1970"
    assert filter_slug(only_end) == "start-to-1970"
    assert describe_filter(make_filter(date_from="1970-05", today=TODAY)) == "dates: 1970-05 to …"
    assert filter_slug(make_filter(date_from="1970-05", today=TODAY)) == "1970-05-to-end"
    assert filter_slug(make_filter(today=TODAY)) == "all"
    days = make_filter(date_from="1970-05-02", date_to="1971-02-27", today=TODAY)
    assert describe_filter(days) == "dates: 1970-05-02 to 1971-02-27"
    assert describe_filter(make_filter(date_to="1972-02", today=TODAY)) == "dates: … to 1972-02"  # leap day ends it
    assert describe_filter(make_filter(date_from="1972-12-01", today=TODAY)) == "dates: 1972-12 to …"
    assert filter_slug(make_filter(search="../../etc/passwd <x>", today=TODAY)) == "search-..-..-etc-passwd-x"
    assert len(filter_slug(make_filter(search="y" * 200, today=TODAY))) == 120


def test_filters_combine_with_and_and_search_words_with_and(dataset: Dataset) -> None:
    def chosen(**kwargs: object) -> list[str]:
        return ids(filter_events(dataset.events, make_filter(**kwargs, names=dataset.names, today=TODAY)))  # type: ignore[arg-type]

    assert chosen(dyads=["KHM-PRK"], categories=["multilateral"]) == []
    assert chosen(search="prince pyongyang") == ["khm-prk-1965-visit"]
    assert chosen(search="prince seoul") == []
    assert chosen(date_from="1965-12-31", date_to="1965-12-31") == ["khm-prk-1965-visit"]
    assert chosen(date_from="1966-01-01", date_to="1974-12-31") == []
    assert chosen(date_from="1997-10-30", date_to="1997-10-30") == ["ctx-1975-approx", "khm-kor-1997-10-30-ties"] or \
        chosen(date_from="1997-10-30", date_to="1997-10-30") == ["khm-kor-1997-10-30-ties"]  # fmt: skip
    assert chosen(actors=["Norodom Sihanouk", "Kim Il Sung"]) == ["khm-prk-1965-visit"]
    assert chosen(actors=["sihanouk"]) == ["khm-prk-1965-visit"]  # an alias, in any case
    assert chosen(dyads=["KHM-PRK", "KHM-PRK"]) == ["khm-prk-1965-visit"]


def test_bad_filter_messages_name_the_value_and_the_choices(dataset: Dataset) -> None:
    with pytest.raises(FilterError) as caught:
        make_filter(dyads=["KHM-PRK", "KHM-JPN", "x"], today=TODAY)
    assert str(caught.value) == "unknown lane 'KHM-JPN', 'x' (expected one of KHM-PRK, KHM-KOR, context)"
    with pytest.raises(FilterError) as caught:
        make_filter(actors=["Nobody", "Kim Il Sung"], names=dataset.names, today=TODAY)
    assert str(caught.value) == "unknown name 'Nobody' (expected a name or alias from names.yaml)"
    with pytest.raises(FilterError) as caught:
        make_filter(date_from="2000", date_to="1999", today=TODAY)
    assert str(caught.value) == "--to 1999 is before --from 2000"
    with pytest.raises(FilterError) as caught:
        make_filter(search="x" * 201, today=TODAY)
    assert str(caught.value) == "search text is 201 characters (expected at most 200)"
    assert make_filter(search="x" * 200, today=TODAY).search == "x" * 200


def test_json_bytes_are_exact(dataset: Dataset) -> None:
    payload = to_json_bytes(dataset.events[dataset.events["id"] == "ctx-1975-approx"])
    assert payload.startswith(b'[\n  {\n    "id": "ctx-1975-approx",\n    "dyad": "context",\n')
    assert payload.endswith(b"\n  }\n]\n")
    record = json.loads(payload)[0]
    assert record["approximate"] is True and record["uncertain"] is False
    assert record["note"] == "Sources differ." and record["related"] == []
    korean = dataset.events.copy()
    korean["title"] = "한국 é"
    assert "한국 é".encode() in to_json_bytes(korean.iloc[[0]])  # UTF-8, not \\u escapes
    empty_note = dataset.events[dataset.events["id"] == "khm-prk-1965-visit"]
    assert json.loads(to_json_bytes(empty_note))[0]["note"] == ""


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda tmp: tmp, " is a folder; name a file inside it"),
        (lambda tmp: tmp / "missing" / "x.csv", ": the folder {tmp}/missing does not exist"),
    ],
)
def test_output_path_errors_are_exact(tmp_path: Path, make: Any, fragment: str) -> None:
    target = make(tmp_path)
    with pytest.raises(OutputError) as caught:
        check_output_path(target)
    assert str(caught.value) == f"{target}" + fragment.format(tmp=tmp_path)


def test_output_path_refuses_a_pipe_and_accepts_new_and_regular_files(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OutputError) as caught:
        write_atomically(pipe, b"x")
    assert str(caught.value) == f"{pipe} is not a regular file (a device, pipe or socket); use -o - for standard output"
    assert check_output_path(tmp_path / "new.csv") == (tmp_path / "new.csv").resolve()
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "real.csv")
    write_atomically(link, b"data")
    assert (tmp_path / "real.csv").read_bytes() == b"data" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "pipe", "real.csv"]


SHIPPED = load_dataset(Path(__file__).resolve().parent.parent / "events")
FILTER_CHOICES = st.fixed_dictionaries(
    {},
    optional={
        "dyads": st.lists(st.sampled_from(["KHM-PRK", "KHM-KOR", "context"]), min_size=1, max_size=2, unique=True),
        "categories": st.lists(st.sampled_from(sorted(SHIPPED.events["category"].unique())), min_size=1, max_size=3),
        "quads": st.lists(st.sampled_from(sorted(SHIPPED.events["quad"].unique())), min_size=1, max_size=2),
        "date_from": st.integers(1964, 2026).map(str),
        "actors": st.lists(st.sampled_from(["Kim Il Sung", "Hun Sen", "Norodom Sihanouk"]), min_size=1, max_size=2),
        "search": st.sampled_from(["visit", "sanctions", "embassy", "loan"]),
        "original_only": st.booleans(),
    },
)


@settings(max_examples=examples(60), deadline=None)
@given(FILTER_CHOICES, st.integers(0, len(SHIPPED.events) - 1))
def test_removing_the_hiding_parts_shows_the_event_and_each_part_hides_it_alone(
    choice: dict[str, Any], position: int
) -> None:
    flt = make_filter(**choice, names=SHIPPED.names)
    event_id = str(SHIPPED.events["id"].iloc[position])
    hiding = parts_hiding(SHIPPED.events, event_id, flt)
    passes = event_id in set(filter_events(SHIPPED.events, flt)["id"])
    assert passes == (hiding == ())
    assert event_id in set(filter_events(SHIPPED.events, without(flt, hiding))["id"])
    for part in hiding:  # each named part excludes it alone; removing one shows it only if it was the only one
        shown_without_it = event_id in set(filter_events(SHIPPED.events, without(flt, [part]))["id"])
        assert shown_without_it == (len(hiding) == 1)
        assert event_id not in set(filter_events(SHIPPED.events, only(flt, part))["id"])
    assert set(hiding) <= set(filter_parts(flt))


def test_filter_parts_are_removed_one_at_a_time(dataset: Dataset) -> None:
    flt = make_filter(
        dyads=["KHM-KOR"], categories=["agreements"], date_from="1990", search="loan", original_only=True, today=TODAY
    )
    assert list(filter_parts(flt)) == [Part.LANES, Part.CATEGORIES, Part.DATES, Part.SEARCH, Part.SOURCES]
    assert describe_filter(flt) == "; ".join(filter_parts(flt).values())
    no_dates = without(flt, [Part.DATES])
    assert no_dates.date_from is None and no_dates.date_to is None and no_dates.dyads == ("KHM-KOR",)
    no_search = without(flt, [Part.SEARCH])
    assert no_search.search == "" and not no_search.query and no_search.original_only
    assert without(flt, list(Part)).is_empty()
    assert parts_hiding(dataset.events, "not-an-event", flt) == ()
