"""The dataset-folder walk: every file it cannot use is a problem with its path, never skipped."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline import loading
from pipeline.loading import load_dataset, walk_events_dir
from pipeline.problems import DatasetError, Problem
from pipeline.schema import MAX_TREE_DEPTH
from tests.conftest import DatasetWriter, run_cli


def problems_of(events_dir: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(events_dir)
    return caught.value.problems


def test_a_folder_without_sources_yaml_is_not_a_dataset(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset(drop=("sources.yaml",))
    problems = problems_of(events_dir)
    assert [(p.path, p.field) for p in problems] == [(str(events_dir), "(directory)")]
    assert "sources.yaml" in problems[0].message


def test_the_root_folder_is_refused_at_once() -> None:
    started = time.perf_counter()
    walk = walk_events_dir(Path("/"))
    assert time.perf_counter() - started < 1  # refused before any walk (it was a 10 s walk into a RecursionError)
    assert walk.files == [] and [p.field for p in walk.problems] == ["(directory)"]
    result = run_cli("validate", "--events", "/")
    assert result.returncode == 1
    assert b"not a dataset folder" in result.stderr and b"Traceback" not in result.stderr


def test_broken_and_looping_links_are_reported(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset()
    (events_dir / "gone.yaml").symlink_to(events_dir / "nowhere.yaml")
    (events_dir / "a.yaml").symlink_to(events_dir / "b.yaml")
    (events_dir / "b.yaml").symlink_to(events_dir / "a.yaml")
    (events_dir / "timeline" / "up").symlink_to(events_dir)
    problems = {Path(p.path).name: p.message for p in problems_of(events_dir)}
    assert "broken symbolic link" in problems["gone.yaml"]
    assert "loop" in problems["a.yaml"] and "loop" in problems["b.yaml"]
    assert "loop" in problems["up"]


def test_a_link_to_a_file_is_read(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    events_dir = make_dataset()
    outside = tmp_path / "outside.yaml"
    (events_dir / "periods.yaml").rename(outside)
    (events_dir / "periods.yaml").symlink_to(outside)
    assert len(load_dataset(events_dir).periods) == 1


def test_a_named_pipe_in_place_of_an_events_file_is_refused_without_hanging(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset()
    os.mkfifo(events_dir / "timeline" / "pipe.yaml")
    started = time.perf_counter()
    problems = problems_of(events_dir)
    assert time.perf_counter() - started < 10
    assert [(Path(p.path).name, p.message) for p in problems] == [("pipe.yaml", "a named pipe")]


def test_a_too_deep_tree_is_reported(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset()
    deep = events_dir.joinpath(*[f"d{i}" for i in range(MAX_TREE_DEPTH + 1)])
    deep.mkdir(parents=True)
    problems = problems_of(events_dir)
    assert len(problems) == 1 and "deeper than" in problems[0].message
    assert problems[0].path.endswith(f"d{MAX_TREE_DEPTH}")


def test_a_too_large_tree_is_reported(make_dataset: DatasetWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    events_dir = make_dataset()
    monkeypatch.setattr(loading, "MAX_TREE_ENTRIES", 3)
    walk = walk_events_dir(events_dir)
    assert any("more than 3 entries" in p.message for p in walk.problems)


def test_an_unreadable_folder_is_reported(make_dataset: DatasetWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom permissions do not apply: the refusal is simulated.
    events_dir = make_dataset()
    real_scandir = os.scandir

    def scandir(path: str | Path) -> object:
        if Path(path).name == "timeline":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(loading.os, "scandir", scandir)
    problems = problems_of(events_dir)
    assert [(Path(p.path).name, p.message) for p in problems if p.field == "(directory)"] == [
        ("timeline", "cannot be read: Permission denied")
    ]


def test_an_unreadable_file_is_reported(make_dataset: DatasetWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    events_dir = make_dataset()
    real_open = os.open

    def refusing_open(path: str | Path, flags: int, *args: int) -> int:
        if str(path).endswith("periods.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr("pipeline.yamlio.os.open", refusing_open)
    problems = problems_of(events_dir)
    assert [(Path(p.path).name, p.message) for p in problems] == [("periods.yaml", "cannot be read: Permission denied")]


def test_a_newline_in_a_file_name_cannot_forge_a_message_line(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"bad\nfake.yaml:1: id: all good\x1b[2J.yaml": "events: 3\n"})
    result = run_cli("validate", "--events", str(events_dir))
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 2, lines  # the count line and one problem
    assert "\x1b" not in result.stderr.decode()
    assert "bad\\nfake.yaml" in lines[1]


def test_walk_problems_are_exact(make_dataset: DatasetWriter, tmp_path: Path) -> None:
    events_dir = make_dataset()
    (events_dir / "gone.yaml").symlink_to(events_dir / "nowhere.yaml")
    os.mkfifo(events_dir / "pipe.yaml")
    os.mkfifo(events_dir / "notes.txt")  # not an events file: not read, not reported
    walk = walk_events_dir(events_dir)
    assert sorted(map(str, walk.problems)) == [
        f"{events_dir}/gone.yaml:0: (file): broken symbolic link (its target does not exist) "
        "(expected a link to an existing file or folder)",
        f"{events_dir}/pipe.yaml:0: (file): a named pipe (expected a plain YAML file)",
    ]
    assert [p.name for p in walk.files] == ["hosts.yaml", "names.yaml", "periods.yaml", "sources.yaml", "events.yaml"]
    missing = walk_events_dir(tmp_path / "nowhere")
    assert list(map(str, missing.problems)) == [
        f"{tmp_path}/nowhere:0: (directory): cannot be opened: No such file or directory (expected a dataset folder)"
    ]
    a_file = walk_events_dir(events_dir / "names.yaml")
    assert [p.message for p in a_file.problems] == ["not a directory"]


def test_special_files_are_named_by_kind(make_dataset: DatasetWriter) -> None:
    import socket
    import stat

    events_dir = make_dataset()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(events_dir / "s.yaml"))
        kinds = {Path(p.path).name: p.message for p in walk_events_dir(events_dir).problems}
    assert kinds == {"s.yaml": "a socket"}
    assert loading._kind_of(stat.S_IFCHR) == "a device" and loading._kind_of(stat.S_IFBLK) == "a device"
    assert loading._kind_of(stat.S_IFIFO) == "a named pipe" and loading._kind_of(0) == "not a regular file"
