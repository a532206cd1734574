"""The command line: exit codes, filters, stdout vs -o, the events-directory setting."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from pipeline.export import to_csv_bytes
from pipeline.filters import filter_events, make_filter
from pipeline.loading import load_dataset
from tests.conftest import SHIPPED_EVENTS, DatasetWriter, run_cli


def test_validate_shipped_data_passes() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr.decode()
    assert b"ok:" in result.stdout


def test_validate_reports_every_problem_and_exits_1(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"timeline/bad.yaml": "events:\n  - id: x\n    dyad: KHM-JPN\n", "z.yaml": "a: ["})
    result = run_cli("validate", "--events", str(events_dir))
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    assert "timeline/bad.yaml:3: dyad: unknown value 'KHM-JPN'" in stderr
    assert "z.yaml:1:" in stderr
    assert result.stdout == b""


def test_environment_variable_points_at_another_dataset(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset()
    result = run_cli("validate", env={"KHM_KOREA_EVENTS_DIR": str(events_dir)})
    assert result.returncode == 0
    assert b"ok: 3 events" in result.stdout
    missing = run_cli("validate", env={"KHM_KOREA_EVENTS_DIR": str(events_dir / "nope")})
    assert missing.returncode == 1
    assert b"nope" in missing.stderr


def test_export_csv_with_filters_matches_the_shared_filter(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset()
    result = run_cli(
        "export",
        "--format",
        "csv",
        "--events",
        str(events_dir),
        "--dyad",
        "KHM-PRK,context",
        "--from",
        "1960",
        "--to",
        "1980",
    )
    assert result.returncode == 0, result.stderr
    dataset = load_dataset(events_dir)
    flt = make_filter(dyads=["KHM-PRK", "context"], date_from="1960", date_to="1980", names=dataset.names)
    assert result.stdout == to_csv_bytes(filter_events(dataset.events, flt))
    frame = pd.read_csv(io.BytesIO(result.stdout))
    assert sorted(frame["id"]) == ["ctx-1975-approx", "khm-prk-1965-visit"]


def test_export_json_to_file_with_actor_alias_and_search(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    events_dir = make_dataset()
    output = tmp_path / "out.json"
    result = run_cli(
        "export",
        "--format",
        "json",
        "--events",
        str(events_dir),
        "--actor",
        "Kim Il-sung",
        "--search",
        "pyongyang",
        "-o",
        str(output),
    )
    assert result.returncode == 0
    assert result.stdout == b""
    document = json.loads(output.read_text())
    records = document["events"]
    assert [r["id"] for r in records] == ["khm-prk-1965-visit"]
    metadata = document["metadata"]
    assert metadata["filters"]["actors"] == ["Kim Il Sung"] and metadata["filters"]["search"] == "pyongyang"
    assert metadata["data_version"]["state"] == "unversioned"
    assert "actor=Kim%20Il%20Sung" in metadata["permalink"] and "v=unversioned" in metadata["permalink"]
    assert metadata["version"] in metadata["citation"]["text"]
    assert records[0]["sources"][0]["url"] == "https://example.org/two"


def test_bad_filter_is_a_usage_error(make_dataset: DatasetWriter) -> None:
    result = run_cli("export", "--format", "csv", "--events", str(make_dataset()), "--category", "gossip")
    assert result.returncode == 2
    assert b"gossip" in result.stderr and b"expected one of" in result.stderr


def test_invalid_data_writes_nothing(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    events_dir = make_dataset({"bad.yaml": "events: 3\n"})
    output = tmp_path / "out.csv"
    result = run_cli("export", "--format", "csv", "--events", str(events_dir), "-o", str(output))
    assert result.returncode == 1
    assert not output.exists()
    assert list(tmp_path.glob(".out.csv*")) == []


def test_shipped_events_dir_is_the_default() -> None:
    result = run_cli("export", "--format", "json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    shipped = load_dataset(SHIPPED_EVENTS)
    assert len(document["events"]) == len(shipped.events)
    assert document["metadata"]["version"] == shipped.version.label
