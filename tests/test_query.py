"""URL state: allow-listed keys, notices for the rest, round-trips."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.filters import make_filter
from pipeline.loading import Dataset, load_dataset
from pipeline.query import QUERY_KEYS, ViewState, parse_query, to_query
from tests.conftest import VALID_FILES, write_files

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_files(tmp_path_factory.mktemp("data") / "events", dict(VALID_FILES)))


def parse(dataset: Dataset, params: dict[str, list[str]]) -> tuple[ViewState, list[str]]:
    return parse_query(params, dataset.names, set(dataset.events["id"]), first_year=1964, last_year=2026, today=TODAY)


def test_a_full_view_round_trips(dataset: Dataset) -> None:
    flt = make_filter(
        dyads=["KHM-PRK"],
        categories=["agreements", "aid_loans"],
        quads=["neutral"],
        date_from="1970",
        date_to="1990",
        actors=["Kim Il Sung"],
        search="a b",
        names=dataset.names,
        today=TODAY,
    )
    state = ViewState(flt=flt, year_from=1970, year_to=1990, event="khm-prk-1965-visit")
    query = to_query(state)
    assert set(query) <= set(QUERY_KEYS)
    back, notices = parse(dataset, {k: [v] for k, v in query.items()})
    assert notices == []
    assert back == state


def test_defaults_give_an_empty_query(dataset: Dataset) -> None:
    assert to_query(ViewState()) == {}
    state, notices = parse(dataset, {})
    assert state == ViewState(flt=make_filter(today=TODAY)) and notices == []


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"utm_source": ["x"]}, "unknown link parameter"),
        ({"lane": ["KHM-JPN"]}, "lane"),
        ({"category": ["gossip"]}, "category"),
        ({"from": ["1900"]}, "from"),
        ({"to": ["soon"]}, "to"),
        ({"from": ["2000"], "to": ["1990"]}, "reversed"),
        ({"actor": ["Nobody"]}, "actor"),
        ({"event": ["<script>"]}, "event"),
        ({"q": ["x" * 500]}, "too long"),
    ],
)
def test_bad_parameters_are_ignored_with_a_notice(
    dataset: Dataset, params: dict[str, list[str]], fragment: str
) -> None:
    state, notices = parse(dataset, params)
    assert len(notices) == 1 and fragment in notices[0]
    assert state == ViewState(flt=make_filter(today=TODAY))


def test_good_parts_survive_beside_bad_ones(dataset: Dataset) -> None:
    state, notices = parse(dataset, {"lane": ["KHM-KOR"], "category": ["nope"], "actor": ["Kim Il-sung"]})
    assert state.flt.dyads == ("KHM-KOR",)
    assert state.flt.actors == ("Kim Il Sung",)
    assert len(notices) == 1


@given(st.dictionaries(st.text(max_size=12), st.lists(st.text(max_size=60), max_size=3), max_size=5))
def test_arbitrary_queries_never_raise(params: dict[str, list[str]]) -> None:
    names: dict[str, object] = {}
    state, notices = parse_query(params, names, {"a-b"}, first_year=1964, last_year=2026, today=TODAY)  # type: ignore[arg-type]
    assert isinstance(state, ViewState)
    assert all(isinstance(n, str) for n in notices)
    assert set(to_query(state)) <= set(QUERY_KEYS)


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"lane": ["KHM-JPN"]}, "Ignored link parameter “lane”: unknown lane 'KHM-JPN' (expected one of KHM-PRK, "
                                "KHM-KOR, context)."),
        ({"category": ["x"]}, "Ignored link parameter “category”: unknown category 'x' (expected one of "
                              "diplomatic_status, visits_meetings, agreements, trade_investment, aid_loans, "
                              "security_sanctions, people_culture, multilateral, statements)."),
        ({"quad": ["x"]}, "Ignored link parameter “quad”: unknown quad 'x' (expected one of verbal_cooperation, "
                          "material_cooperation, verbal_conflict, material_conflict, neutral)."),
        ({"actor": ["Nobody"]}, "Ignored link parameter “actor”: unknown name 'Nobody' (expected a name or alias "
                                "from names.yaml)."),
        ({"q": ["x" * 150, "y" * 60]}, "Ignored link parameter “q”: search text is 211 characters (expected at "
                                       "most 200)."),
        ({"from": ["1963"]}, "Ignored link parameter “from”: expected a year from 1964 to 2026."),
        ({"to": ["2027"]}, "Ignored link parameter “to”: expected a year from 1964 to 2026."),
        ({"from": ["1990", "1991"]}, "Ignored link parameter “from”: expected a year from 1964 to 2026."),
        ({"from": ["2001"], "to": ["2000"]}, "Ignored link parameters “from”/“to”: the range is reversed."),
        ({"event": ["nope"]}, "Ignored link parameter “event”: no such event."),
        ({"k" * 50: ["1"]}, f"Ignored unknown link parameter “{'k' * 40}”."),
        ({"lane": ["KHM-PRK"] * 51}, "Ignored link parameter “lane”: too long."),
        ({"q": ["x" * 201]}, "Ignored link parameter “q”: too long."),
    ],
)  # fmt: skip
def test_notices_are_exact(dataset: Dataset, params: dict[str, list[str]], notice: str) -> None:
    assert parse(dataset, params)[1] == [notice]


def test_limits_and_bounds_are_inclusive(dataset: Dataset) -> None:
    state, notices = parse(dataset, {"lane": ["KHM-PRK"] * 50, "q": ["x" * 200], "from": ["1964"], "to": ["2026"]})
    assert notices == [] and state.flt.dyads == ("KHM-PRK",) and state.flt.search == "x" * 200
    assert (state.year_from, state.year_to) == (1964, 2026)
    same, notices = parse(dataset, {"from": ["1990"], "to": ["1990"]})
    assert notices == [] and (same.year_from, same.year_to) == (1990, 1990)
    assert same.flt.date_from == date(1990, 1, 1) and same.flt.date_to == date(1990, 12, 31)


def test_every_parameter_after_an_unknown_one_still_counts(dataset: Dataset) -> None:
    params = {"utm": ["x"], "lane": ["KHM-KOR"], "other": ["y"], "category": ["agreements"], "q": ["a", "b"],
              "event": ["khm-prk-1965-visit"], "actor": ["Sihanouk"], "quad": ["neutral"]}  # fmt: skip
    state, notices = parse(dataset, params)
    assert len(notices) == 2
    assert state.flt.dyads == ("KHM-KOR",) and state.flt.categories == ("agreements",)
    assert state.flt.quads == ("neutral",) and state.flt.actors == ("Norodom Sihanouk",)
    assert state.flt.search == "a b"  # repeated q values are one search, joined by a space
    assert state.event == "khm-prk-1965-visit"


def test_comma_lists_are_split_and_trimmed(dataset: Dataset) -> None:
    state, notices = parse(dataset, {"lane": ["KHM-PRK, context", ""], "category": ["aid_loans,,agreements"]})
    assert notices == [] and state.flt.dyads == ("KHM-PRK", "context")
    assert state.flt.categories == ("aid_loans", "agreements")
    assert to_query(state) == {"lane": "KHM-PRK,context", "category": "aid_loans,agreements"}
