"""Hostile data: every broken dataset under tests/hostile/ (and a few generated at test time)
fails validation with exit 1 and a precise path:line message, quickly, with no traceback,
and nothing is written."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(path for path in HOSTILE.iterdir() if path.is_dir())
TIME_LIMIT_S = 10.0
PROBLEM_LINE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$", re.MULTILINE)


def assert_refused(events_dir: Path, file: str, line: int | None, fragment: str, tmp_path: Path) -> str:
    output = tmp_path / "export.csv"
    started = time.perf_counter()
    result = run_cli("validate", "--events", str(events_dir), timeout=60)
    elapsed = time.perf_counter() - started
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, stderr
    assert elapsed < TIME_LIMIT_S, f"took {elapsed:.1f} s"
    assert "Traceback" not in stderr
    located = [m for m in PROBLEM_LINE.finditer(stderr) if m["path"].endswith(file)]
    assert located, stderr
    if line is not None:
        assert any(int(m["line"]) == line for m in located), stderr
    assert fragment.lower() in stderr.lower()
    export = run_cli("export", "--format", "csv", "--events", str(events_dir), "-o", str(output), timeout=60)
    assert export.returncode == 1
    assert not output.exists()
    assert list(tmp_path.glob(".export.csv*")) == []
    return stderr


def dataset_dir(tmp_path: Path) -> Path:
    """An empty dataset folder: the sources.yaml marker and nothing else."""
    events_dir = tmp_path / "events"
    events_dir.mkdir()
    (events_dir / "sources.yaml").write_text("sources: []\n")
    return events_dir


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_dataset_is_refused_precisely(case: Path, tmp_path: Path) -> None:
    expected = json.loads((case / "EXPECTED.json").read_text())
    assert_refused(case, expected["file"], expected["line"], expected["fragment"], tmp_path)


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    events_dir = dataset_dir(tmp_path)
    with (events_dir / "huge.yaml").open("w") as stream:
        stream.write("events:\n")
        chunk = "  - {id: a, dyad: KHM-PRK, date: '1965', title: " + "x" * 200 + "}\n"
        for _ in range(50_000_000 // len(chunk) + 1):
            stream.write(chunk)
    assert (events_dir / "huge.yaml").stat().st_size >= 50_000_000
    assert_refused(events_dir, "huge.yaml", 1, "MB", tmp_path)


def test_deeply_nested_yaml(tmp_path: Path) -> None:
    events_dir = dataset_dir(tmp_path)
    depth = 100_000
    (events_dir / "deep.yaml").write_text("events: " + "[" * depth + "]" * depth + "\n")
    assert_refused(events_dir, "deep.yaml", 1, "", tmp_path)


def test_deeply_nested_block_yaml(tmp_path: Path) -> None:
    events_dir = dataset_dir(tmp_path)
    lines = ["events:"] + [" " * (2 * i) + f"  - k{i}:" for i in range(2000)]
    (events_dir / "deep.yaml").write_text("\n".join(lines) + " x\n")
    assert_refused(events_dir, "deep.yaml", None, "", tmp_path)


def test_alias_expansion_bomb(tmp_path: Path) -> None:
    events_dir = dataset_dir(tmp_path)
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    lines.append("events: *a9")
    (events_dir / "bomb.yaml").write_text("\n".join(lines) + "\n")
    assert_refused(events_dir, "bomb.yaml", None, "alias", tmp_path)


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    result = run_cli("validate", "--events", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert b"nowhere" in result.stderr and b"Traceback" not in result.stderr


def test_a_one_megabyte_flow_list(tmp_path: Path) -> None:
    events_dir = dataset_dir(tmp_path)
    (events_dir / "flow.yaml").write_text("events: [" + "a, " * 350_000 + "a]\n")
    assert (events_dir / "flow.yaml").stat().st_size >= 1_000_000
    assert_refused(events_dir, "flow.yaml", 1, "items", tmp_path)


def test_thousands_of_distinct_bad_dates(tmp_path: Path) -> None:
    events_dir = dataset_dir(tmp_path)
    lines = ["events:"]
    for number in range(5000):
        lines += [f"  - id: e-{number}", "    dyad: KHM-PRK", f'    date: "{number:04d}-{number % 50:02d}-3X?"',
                  "    category: agreements", "    quad: neutral", "    title: T", "    summary: S",
                  "    sources: [{id: nowhere, quote: q}]"]  # fmt: skip
    (events_dir / "dates.yaml").write_text("\n".join(lines) + "\n")
    stderr = assert_refused(events_dir, "dates.yaml", 4, "date", tmp_path)
    assert stderr.count("\n") >= 5000
