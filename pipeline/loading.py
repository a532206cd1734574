"""The loading boundary: an events directory -> a validated Dataset, or every problem."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd

from pipeline.problems import DatasetError, Problem
from pipeline.schema import (
    DATASET_MARKER,
    EVENTS_DIR_ENV,
    MAX_EVENT_FILES,
    MAX_TREE_DEPTH,
    MAX_TREE_ENTRIES,
    HostRecord,
    NameRecord,
    SourceRecord,
)
from pipeline.table import events_table, periods_table
from pipeline.validate import Records, ValidDataset, check_dataset, collect_records, structure_problems
from pipeline.version import CHANGELOG_FILE, RELEASE_FILE, ContentHashes, DataVersion, content_hashes, data_version
from pipeline.yamlio import ReadResult, YamlPath, read_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENTS_DIR = PROJECT_ROOT / "events"
EVENT_FILE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Dataset:
    events: pd.DataFrame
    periods: pd.DataFrame
    names: dict[str, NameRecord]
    sources: dict[str, SourceRecord]
    events_dir: Path
    hashes: ContentHashes = field(default_factory=lambda: ContentHashes("", {}, {}))
    hosts: dict[str, HostRecord] = field(default_factory=dict)  # the host registry (events/hosts.yaml)
    # Derived once at load, so a page rerun never walks every row for them.
    event_ids: frozenset[str] = field(init=False)
    actor_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "event_ids", frozenset(self.events["id"]))
        object.__setattr__(
            self, "actor_names", tuple(sorted({name for names in self.events["actors"] for name in names}))
        )

    @property
    def version(self) -> DataVersion:
        """The data version (from events/release.json beside the data, re-read when it changes)."""
        return data_version(self.events_dir, self.hashes)

    def aliases_of(self, name: str) -> tuple[str, ...]:
        """Every other spelling of a name: aliases, then its Khmer, Hangul and Hanja forms."""
        record = self.names.get(name)
        if record is None:
            return ()
        forms = (*record.aliases, record.khmer, record.hangul, record.hanja)
        return tuple(dict.fromkeys(form for form in forms if form))


def events_dir_from_env(explicit: str | Path | None = None) -> Path:
    """The directory to read: an explicit one, else $KHM_KOREA_EVENTS_DIR, else the shipped events/."""
    chosen = explicit or os.environ.get(EVENTS_DIR_ENV) or DEFAULT_EVENTS_DIR
    return Path(chosen).expanduser().resolve()


@dataclass(frozen=True, slots=True)
class Walk:
    """The events files under a dataset folder, and what was found wrong on the way."""

    files: list[Path]
    problems: list[Problem]


def _folder_problem(path: Path, message: str, expected: str) -> Problem:
    return Problem(str(path), 0, "(directory)", message, expected)


def _entry_problem(path: Path, message: str, expected: str = "") -> Problem:
    return Problem(str(path), 0, "(file)", message, expected)


def _kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def walk_events_dir(events_dir: Path) -> Walk:
    """Every `*.yaml` / `*.yml` file below a dataset folder, without recursion and within limits.

    Nothing is skipped silently: an unreadable folder or file, a broken or looping symbolic
    link, a special file where an events file should be, a tree too deep or too large and a
    folder that is not a dataset (no sources.yaml) are problems with their path."""
    try:
        top = os.stat(events_dir)
    except OSError as error:
        return Walk([], [_folder_problem(events_dir, f"cannot be opened: {error.strerror}", "a dataset folder")])
    if not stat.S_ISDIR(top.st_mode):
        return Walk([], [_folder_problem(events_dir, "not a directory", "a dataset folder holding sources.yaml")])
    if not (events_dir / DATASET_MARKER).is_file():
        return Walk(
            [],
            [
                _folder_problem(
                    events_dir,
                    f"not a dataset folder: no {DATASET_MARKER}",
                    f"a folder holding {DATASET_MARKER} (the sources registry) and the other "
                    "events files, as events/ does",
                )
            ],
        )
    files: list[Path] = []
    problems: list[Problem] = []
    visited = {(top.st_dev, top.st_ino)}
    pending: list[tuple[Path, int]] = [(events_dir, 0)]
    entries = 0
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as listing:
                children = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(_folder_problem(folder, f"cannot be read: {error.strerror}", "a readable folder"))
            continue
        for entry in children:
            entries += 1
            if entries > MAX_TREE_ENTRIES or len(files) > MAX_EVENT_FILES:
                problems.append(
                    _folder_problem(
                        events_dir,
                        f"more than {MAX_TREE_ENTRIES:,} entries or {MAX_EVENT_FILES:,} events files",
                        "a dataset folder, not a whole disk",
                    )
                )
                return Walk(sorted(files), problems)
            path = Path(entry.path)
            is_events_file = entry.name.endswith(EVENT_FILE_SUFFIXES)
            try:
                is_link = entry.is_symlink()
                info = path.stat()
            except OSError as error:
                if error.errno == errno.ELOOP:
                    problems.append(_entry_problem(path, "symbolic link loop", "a link to a file or folder"))
                elif error.errno == errno.ENOENT and is_link:
                    problems.append(
                        _entry_problem(
                            path,
                            "broken symbolic link (its target does not exist)",
                            "a link to an existing file or folder",
                        )
                    )
                else:
                    problems.append(_entry_problem(path, f"cannot be read: {error.strerror}", "a readable file"))
                continue
            if stat.S_ISDIR(info.st_mode):
                if (info.st_dev, info.st_ino) in visited:
                    problems.append(
                        _folder_problem(path, "symbolic link loop (this folder is already read)", "each folder once")
                    )
                elif depth + 1 > MAX_TREE_DEPTH:
                    problems.append(
                        _folder_problem(path, f"nested deeper than {MAX_TREE_DEPTH} folders", "a shallower tree")
                    )
                else:
                    visited.add((info.st_dev, info.st_ino))
                    pending.append((path, depth + 1))
            elif is_events_file:
                if stat.S_ISREG(info.st_mode):
                    files.append(path)
                else:
                    problems.append(_entry_problem(path, _kind_of(info.st_mode), "a plain YAML file"))
    return Walk(sorted(files), problems)


def event_files(events_dir: Path) -> list[Path]:
    return walk_events_dir(events_dir).files


def fingerprint(events_dir: Path) -> str:
    """Changes whenever a file is added, removed or edited: the cache key of the loader."""
    digest = hashlib.sha256(str(events_dir).encode())
    walk = walk_events_dir(events_dir)
    for path in walk.files:
        try:
            info = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    digest.update(f"{len(walk.problems)}".encode())
    for extra in (events_dir / RELEASE_FILE, events_dir / CHANGELOG_FILE):
        if extra.is_file():
            info = extra.stat()
            digest.update(f"{extra.name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Lines:
    """Finds the line of a path inside a file, re-reading it precisely only when asked."""

    def __init__(self, paths: dict[str, Path], results: dict[str, ReadResult]) -> None:
        self._paths = paths
        self._precise: dict[str, ReadResult] = {k: v for k, v in results.items() if v.lines}

    def precise(self, file: str) -> ReadResult:
        if file not in self._precise:
            self._precise[file] = read_file(self._paths[file], file, need_lines=True)
        return self._precise[file]

    def __call__(self, file: str, path: YamlPath) -> int:
        return self.precise(file).line_of(path)


def load_dataset(events_dir: Path, today: date | None = None) -> Dataset:
    """Read, validate and normalize every file under `events_dir`; raise DatasetError listing all problems."""
    today = today or date.today()
    walk = walk_events_dir(events_dir)
    if not walk.files and not walk.problems:
        raise DatasetError([_folder_problem(events_dir, "no .yaml files found", "at least one events file")])
    paths = {_display(path): path for path in walk.files}
    results = {display: read_file(path, display) for display, path in paths.items()}
    lines = _Lines(paths, results)
    problems: list[Problem] = list(walk.problems)
    records = Records()
    for display, result in results.items():
        if result.data is None and result.problems:
            problems += result.problems
            continue
        file_problems = structure_problems(display, result.data, partial(lines, display))
        if not file_problems:
            file_problems = collect_records(display, result.data, records, partial(lines, display))
        problems += file_problems
        # The records hold what is needed now; let the file's plain data go (memory at 100k events).
        results[display] = ReadResult(None, result.problems, result.lines)
    valid, cross_problems = check_dataset(records, today, lines)
    problems += cross_problems
    if problems or valid is None:
        raise DatasetError(problems)
    return Dataset(
        events=events_table(valid),
        periods=periods_table(valid.periods, valid.period_spans, valid.sources, valid.hosts),
        names=valid.names,
        sources=valid.sources,
        events_dir=events_dir,
        hashes=dataset_hashes(valid),
        hosts=valid.hosts,
    )


def dataset_hashes(valid: ValidDataset) -> ContentHashes:
    return content_hashes(
        {
            "sources": valid.sources.values(),
            "hosts": valid.hosts.values(),
            "names": valid.names.values(),
            "periods": valid.periods,
            "events": valid.events,
        },
        valid.sources,
    )
