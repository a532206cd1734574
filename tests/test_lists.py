"""CSV list cells split back exactly into the lists they came from, whatever the text holds."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export import FORMULA_TRIGGERS, to_csv_bytes
from pipeline.lists import ListCellError, join_list, split_list
from pipeline.loading import Dataset, load_dataset
from tests.conftest import VALID_FILES, write_files

# Any text, "; ", quotes, backslashes, empty items, line breaks and formula characters included.
ITEMS = st.lists(
    st.one_of(st.text(), st.sampled_from(["", "; ", ";", "\\", '"', "=1+1", "-", " a ", "\\;", "\r\n"])), max_size=6
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(write_files(tmp_path_factory.mktemp("lists") / "events", dict(VALID_FILES)))


@given(ITEMS)
def test_a_list_splits_back_exactly(items: list[str]) -> None:
    cell = join_list(items)
    assert split_list(cell) == items
    assert not cell.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize(
    ("items", "cell"),
    [
        ([], ""),
        ([""], "\\"),
        (["Hun Sen", "Kim Jong Un"], "Hun Sen; Kim Jong Un"),
        (["2020-05", ""], "2020-05; "),
        (["", ""], "; "),
        (["He said; then left", "ok"], "He said\\; then left; ok"),
        (["C:\\path"], "C:\\\\path"),
        (["=SUM(A1)", "x"], "\\=SUM(A1); x"),
        (["- a quote"], "\\- a quote"),
    ],
)
def test_the_documented_rule(items: list[str], cell: str) -> None:
    assert join_list(items) == cell
    assert split_list(cell) == items


def test_trimmed_trailing_space_loses_nothing() -> None:
    assert split_list("2020-05;") == ["2020-05", ""]


def test_a_dangling_backslash_is_refused() -> None:
    with pytest.raises(ListCellError):
        split_list("abc\\")


@settings(max_examples=40, deadline=None)
@given(st.lists(ITEMS, min_size=1, max_size=4), st.lists(st.text(min_size=1), min_size=1, max_size=3))
def test_csv_export_list_cells_round_trip(dataset: Dataset, actor_lists: list[list[str]], quotes: list[str]) -> None:
    events = pd.concat([dataset.events.iloc[[0]]] * len(actor_lists), ignore_index=True)
    events["actors"] = [tuple(items) for items in actor_lists]
    template = events["sources"].iloc[0][0]
    sources = tuple({**template, "quote": quote, "published": ""} for quote in quotes)
    events["sources"] = [sources] * len(actor_lists)
    back = pd.read_csv(io.BytesIO(to_csv_bytes(events)), dtype=str, keep_default_na=False)
    assert [split_list(cell) for cell in back["actors"]] == actor_lists
    for cell in back["source_quotes"]:
        assert split_list(cell) == quotes
    for cell in back["source_published"]:
        assert split_list(cell) == [""] * len(quotes)  # undated sources stay aligned with source_ids
