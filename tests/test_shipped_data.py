"""The shipped dataset: valid, the golden counts per lane, every decade, every quote."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.loading import Dataset, load_dataset
from tests.conftest import PROJECT_ROOT, SHIPPED_EVENTS

# Update these when events are added or removed on purpose (and say why in the commit).
GOLDEN_EVENTS_PER_LANE = {"KHM-PRK": 68, "KHM-KOR": 83, "context": 26}
GOLDEN_PERIODS_PER_LANE = {"KHM-PRK": 5, "KHM-KOR": 5, "context": 6}
CHECK_QUOTES = PROJECT_ROOT.parent / "shared" / "tools" / "check_quotes"


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(SHIPPED_EVENTS)


def test_golden_counts_per_lane(shipped: Dataset) -> None:
    assert shipped.events["dyad"].value_counts().to_dict() == GOLDEN_EVENTS_PER_LANE
    assert shipped.periods["lane"].value_counts().to_dict() == GOLDEN_PERIODS_PER_LANE


def test_at_least_150_events_in_every_decade_of_both_lanes(shipped: Dataset) -> None:
    assert len(shipped.events) >= 150
    # Cambodia–South Korea relations were severed 1975–1996 and no cited event of the 1980s was
    # found; the lane's status band covers that decade instead.
    expected_decades = {"KHM-PRK": set(range(1960, 2030, 10)), "KHM-KOR": set(range(1960, 2030, 10)) - {1980}}
    for lane, expected in expected_decades.items():
        in_lane = shipped.events[shipped.events["dyad"] == lane]
        decades = {year // 10 * 10 for year in in_lane["start"].dt.year}
        assert expected <= decades, (lane, sorted(expected - decades))
    all_decades = {year // 10 * 10 for year in shipped.events["start"].dt.year}
    assert set(range(1960, 2030, 10)) <= all_decades


def test_every_event_cites_a_source_with_a_quote_and_a_link(shipped: Dataset) -> None:
    for sources in shipped.events["sources"]:
        assert sources
        for source in sources:
            assert source["quote"].strip()
            assert source["url"].startswith(("http://", "https://"))


def test_dates_are_honest_spans(shipped: Dataset) -> None:
    events = shipped.events
    assert (events["start"] <= events["end"]).all()
    years = events[events["precision"] == "year"]
    assert (years["start"].dt.strftime("%m-%d") == "01-01").all()
    assert (years["end"].dt.strftime("%m-%d") == "12-31").all()


def test_source_disagreement_is_recorded() -> None:
    dataset = load_dataset(SHIPPED_EVENTS)
    ties = dataset.events.set_index("id").loc["khm-prk-1964-ties-established"]
    assert ties["date"] == "1964/1965" and "1965" in ties["note"]


@pytest.mark.skipif(not CHECK_QUOTES.exists(), reason="../shared/tools/check_quotes is not beside this checkout")
def test_every_article_quote_is_verbatim() -> None:
    bin_dir = str(Path(sys.executable).parent)
    result = subprocess.run(
        [sys.executable, str(CHECK_QUOTES)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PATH": bin_dir + ":" + (shutil.which("python3") or "/usr/bin").rsplit("/", 1)[0]},
    )
    assert result.returncode == 0, result.stdout + result.stderr
