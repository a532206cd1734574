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
