"""The command line: exit codes, filters, stdout vs -o, the events-directory setting."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.export import to_csv_bytes
from pipeline.filters import filter_events, make_filter
from pipeline.loading import load_dataset
from tests.conftest import EVENTS, PROJECT_ROOT, SHIPPED_EVENTS, DatasetWriter, run_cli


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
    records = json.loads(output.read_text())
    assert [r["id"] for r in records] == ["khm-prk-1965-visit"]
    assert records[0]["data_version"].startswith("unversioned+")
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
    records = json.loads(result.stdout)
    shipped = load_dataset(SHIPPED_EVENTS)
    assert len(records) == len(shipped.events)
    assert {record["data_version"] for record in records} == {shipped.version.label}


def _refused_output(events_dir: Path, output: str) -> str:
    result = run_cli("export", "--format", "csv", "--events", str(events_dir), "-o", output)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert result.stdout == b""
    return stderr


def test_output_to_a_folder_is_refused(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    assert "is a folder" in _refused_output(make_dataset(), str(tmp_path))
    assert not list(tmp_path.glob(".*tmp"))


def test_output_into_a_missing_folder_is_refused(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    assert "does not exist" in _refused_output(make_dataset(), str(tmp_path / "missing" / "out.csv"))


def test_output_to_a_named_pipe_is_refused_and_it_stays_a_pipe(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert "not a regular file" in _refused_output(make_dataset(), str(pipe))
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_output_to_a_device_is_refused_and_the_device_stays(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    # A private copy of /dev/null (never the system's own: a regression here would replace it).
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert "not a regular file" in _refused_output(make_dataset(), str(device))
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    link = tmp_path / "link-to-device"
    link.symlink_to(device)
    assert "not a regular file" in _refused_output(make_dataset(), str(link))
    assert stat.S_ISCHR(os.lstat(device).st_mode) and link.is_symlink()


def test_output_to_dev_stdout_in_a_pipe_is_refused(make_dataset: DatasetWriter) -> None:
    assert "-o -" in _refused_output(make_dataset(), "/dev/stdout")


def test_dash_writes_to_stdout(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset()
    dashed = run_cli("export", "--format", "csv", "--events", str(events_dir), "-o", "-")
    plain = run_cli("export", "--format", "csv", "--events", str(events_dir))
    assert dashed.returncode == 0 and dashed.stdout == plain.stdout and dashed.stdout.startswith(b"id,")


def test_output_through_a_link_replaces_the_regular_file_it_names(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = run_cli("export", "--format", "csv", "--events", str(make_dataset()), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and target.read_bytes().startswith(b"id,")


def test_a_closed_stdout_pipe_ends_quietly() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    writer = subprocess.Popen([sys.executable, "-m", "pipeline", "export", "--format", "json", "--events",
                               str(SHIPPED_EVENTS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT_ROOT,
                              env=env)  # fmt: skip
    assert writer.stdout is not None and writer.stderr is not None
    reader = subprocess.run(["head", "-c", "10"], stdin=writer.stdout, stdout=subprocess.DEVNULL, check=False)
    writer.stdout.close()  # only `head` holds the pipe now: it closes after 10 bytes
    stderr = writer.stderr.read()
    writer.wait(timeout=120)
    assert reader.returncode == 0
    assert b"Traceback" not in stderr and b"internal error" not in stderr


def test_filter_dates_that_are_not_plain_days_are_usage_errors(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset()
    for bound in ("0000", "1964-21", "1964-13", "١٩٦٤", "Y170000", "1964-02-30"):
        result = run_cli("export", "--format", "csv", "--events", str(events_dir), "--from", bound)
        assert result.returncode == 2, (bound, result.stderr)
        assert b"Traceback" not in result.stderr and b"expected" in result.stderr


def test_validate_writes_nothing_to_stdout_for_broken_dates(make_dataset: DatasetWriter) -> None:
    events = EVENTS.replace('date: "1965"', "date: Y170000").replace("date: 1975~", "date: 0000-01-01")
    result = run_cli("validate", "--events", str(make_dataset({"timeline/events.yaml": events})))
    assert result.returncode == 1 and result.stdout == b""
    assert b"Traceback" not in result.stderr and b"Y170000" in result.stderr and b"0000-01-01" in result.stderr


# In-process runs of the same command line (mutation testing sees these; the subprocess tests cannot).


def test_main_validate_in_process(make_dataset: DatasetWriter, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--events", str(make_dataset())]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert out.startswith("ok: 3 events, 1 periods, 2 sources, 4 names in ") and err == ""
    bad = make_dataset({"bad.yaml": "events: 3\n"})
    assert cli.main(["validate", "--events", str(bad)]) == cli.EXIT_INVALID
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("1 problem(s) in ") and "bad.yaml:1: events: is text (expected a list)" in err


def test_main_export_in_process(
    make_dataset: DatasetWriter, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    events_dir = make_dataset()
    assert cli.main(["export", "--format", "json", "--events", str(events_dir), "--dyad", "KHM-PRK,context",
                     "--category", "visits_meetings", "--quad", "verbal_cooperation", "--from", "1960", "--to", "1970",
                     "--actor", "Kim Il-sung", "--search", "prince"]) == cli.EXIT_OK  # fmt: skip
    out, err = capsysbinary.readouterr()
    assert [record["id"] for record in json.loads(out)] == ["khm-prk-1965-visit"] and err == b""
    target = tmp_path / "out.csv"
    assert cli.main(["export", "--format", "csv", "--events", str(events_dir), "-o", str(target)]) == cli.EXIT_OK
    assert target.read_bytes() == to_csv_bytes(load_dataset(events_dir).events)
    assert cli.main(["export", "--format", "csv", "--events", str(events_dir), "-o", "-"]) == cli.EXIT_OK
    assert capsysbinary.readouterr().out == target.read_bytes()


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--category", "gossip"], 2, "unknown category 'gossip'"),
        (["--from", "1964-21"], 2, "season"),
        (["--from", "2000", "--to", "1990"], 2, "before"),
        (["-o", "/"], 1, "is a folder"),
        (["-o", "/no/such/folder/x.csv"], 1, "does not exist"),
    ],
)
def test_main_export_failures_in_process(make_dataset: DatasetWriter, capsys: pytest.CaptureFixture[str],
                                         args: list[str], code: int, fragment: str) -> None:  # fmt: skip
    assert cli.main(["export", "--format", "csv", "--events", str(make_dataset()), *args]) == code
    out, err = capsys.readouterr()
    assert out == "" and fragment in err and len(err.strip().splitlines()) == 1


def test_main_turns_an_unexpected_error_into_one_line(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    def broken(_events_dir: Path) -> None:
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(cli, "load_dataset", broken)
    assert cli.main(["validate"]) == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert err == "python -m pipeline: internal error: ValueError: boom\\nsecond line\n"


def test_split_accepts_repeats_and_commas() -> None:
    assert cli._split(["KHM-PRK,KHM-KOR", "context"]) == ["KHM-PRK", "KHM-KOR", "context"]


def test_usage_text_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    for text in ("usage: python -m pipeline export", "--events DIR", "--format {csv,json}",
                 "--dyad KHM-PRK|KHM-KOR|context", "--category CATEGORY", "one of: diplomatic_status,",
                 "--quad QUAD", "one of: verbal_cooperation,", "--from YYYY[-MM[-DD]]", "--to YYYY[-MM[-DD]]",
                 "--actor NAME", "a name or any alias", "--search TEXT", "-o FILE, --output FILE",
                 "write to this regular file (atomically), or '-' for stdout (the default)",
                 "events directory (default: $KHM_KOREA_EVENTS_DIR, else the shipped events/)"):  # fmt: skip
        assert text in usage, text
    with pytest.raises(SystemExit) as exited:
        cli.main([])
    assert exited.value.code == cli.EXIT_USAGE
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    top = " ".join(capsys.readouterr().out.split())
    assert "Validate and export the Cambodia–Korea events dataset." in top
    assert "check every events file; exit 1 listing all problems" in top
