"""The loading boundary: an events directory -> a validated Dataset, or every problem."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd

from pipeline.problems import DatasetError, Problem
from pipeline.schema import EVENTS_DIR_ENV, NameRecord, SourceRecord
from pipeline.table import events_table, periods_table
from pipeline.validate import Records, check_dataset, collect_records, structure_problems
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
    # Derived once at load, so a page rerun never walks every row for them.
    event_ids: frozenset[str] = field(init=False)
    actor_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "event_ids", frozenset(self.events["id"]))
        object.__setattr__(self, "actor_names",
                           tuple(sorted({name for names in self.events["actors"] for name in names})))

    def aliases_of(self, name: str) -> tuple[str, ...]:
        record = self.names.get(name)
        return tuple(record.aliases) if record else ()


def events_dir_from_env(explicit: str | Path | None = None) -> Path:
    """The directory to read: an explicit one, else $KHM_KOREA_EVENTS_DIR, else the shipped events/."""
    chosen = explicit or os.environ.get(EVENTS_DIR_ENV) or DEFAULT_EVENTS_DIR
    return Path(chosen).expanduser().resolve()


def event_files(events_dir: Path) -> list[Path]:
    return sorted(path for path in events_dir.rglob("*") if path.suffix in EVENT_FILE_SUFFIXES and path.is_file())


def fingerprint(events_dir: Path) -> str:
    """Changes whenever a file is added, removed or edited: the cache key of the loader."""
    digest = hashlib.sha256(str(events_dir).encode())
    if events_dir.is_dir():
        for path in event_files(events_dir):
            stat = path.stat()
            digest.update(f"{path.relative_to(events_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _display(path: Path, events_dir: Path) -> str:
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
    if not events_dir.is_dir():
        raise DatasetError([Problem(str(events_dir), 0, "(directory)", "not a directory",
                                    "a folder of YAML event files")])
    paths = {_display(path, events_dir): path for path in event_files(events_dir)}
    if not paths:
        raise DatasetError([Problem(str(events_dir), 0, "(directory)", "no .yaml files found",
                                    "at least one events file")])
    results = {display: read_file(path, display) for display, path in paths.items()}
    lines = _Lines(paths, results)
    problems: list[Problem] = []
    records = Records()
    for display, result in results.items():
        if result.data is None and result.problems:
            problems += result.problems
            continue
        file_problems = structure_problems(display, result.data, partial(lines, display))
        if not file_problems:
            file_records = Records()
            file_problems = collect_records(display, result.data, file_records, partial(lines, display))
            if file_problems and not result.lines:
                # Found by the fast reader: report from the precise reading, which names lines
                # and refuses what the fast reader lets through (tags, aliases, duplicate keys).
                precise = lines.precise(display)
                if precise.problems:
                    problems += precise.problems
                    continue
                file_records = Records()
                file_problems = collect_records(display, precise.data, file_records,
                                                partial(lines, display))
            for section in ("sources", "hosts", "names", "periods", "events", "partial"):
                getattr(records, section).extend(getattr(file_records, section))
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
    )
