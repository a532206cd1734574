"""Dataset versions: the content hash of the data, `events/release.json`, `events/CHANGELOG.md`.

A release records the data's version (semantic: new events raise the minor part, corrections
the patch part, a changed schema or lane the major part), its date, the content hash of every
record and of each event, and per version the event ids added, changed and removed and why.
`CHANGELOG.md` is written from it. Validation checks that the three agree with the data, so
a change to the events without a new version is an error that says what changed and how to
release it (`python -m pipeline release`).

The hash is of the records as validated (not of the file bytes): reformatting a file, adding
a comment or moving an event to another file changes nothing; changing any value does.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Final, Literal

from pipeline.problems import Problem
from pipeline.schema import Record

RELEASE_FILE: Final = "release.json"
CHANGELOG_FILE: Final = "CHANGELOG.md"
HASH_PREFIX: Final = "sha256:"
MAX_RELEASE_BYTES: Final = 64 * 10**6  # ids and hashes of 100k events take about 10 MB
EVENT_HASH_LENGTH: Final = 16  # hex digits per event: plenty to tell edits apart
SEMVER: Final = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")
Bump = Literal["major", "minor", "patch"]
RELEASE_HINT: Final = (
    'a new version: run `python -m pipeline release --bump minor --summary "what and why"` '
    "(new events: minor; corrections: patch; a changed schema or lane: major)"
)


# ---------------------------------------------------------------- content hashes


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record_json(record: Record) -> str:
    # Unset optional fields are left out, so a new optional field in the schema changes no hash.
    return record.model_dump_json(exclude_none=True)


@dataclass(frozen=True)
class ContentHashes:
    """The hash of the whole dataset, of each kind of record, and of each event."""

    content_hash: str
    sections: Mapping[str, str]
    events: Mapping[str, str]


def content_hashes(sections: Mapping[str, Iterable[Record]], cited: Mapping[str, Record]) -> ContentHashes:
    """Hash every section's records (sorted, so file order does not matter).

    An event's hash covers the event and the registry entries of the sources it cites, so
    correcting a source's title or address counts as a change to each event citing it.
    """
    event_hashes: dict[str, str] = {}
    section_hashes: dict[str, str] = {}
    for section, records in sections.items():
        lines = []
        for record in records:
            text = _record_json(record)
            if section == "events":
                source_ids = [citation.id for citation in getattr(record, "sources", [])]
                cited_text = "\n".join(_record_json(cited[sid]) for sid in source_ids if sid in cited)
                event_hashes[str(getattr(record, "id", ""))] = _digest(text + "\n" + cited_text)[:EVENT_HASH_LENGTH]
            lines.append(text)
        section_hashes[section] = _digest("\n".join(sorted(lines)))
    whole = "\n".join(f"{section}\t{digest}" for section, digest in sorted(section_hashes.items()))
    return ContentHashes(HASH_PREFIX + _digest(whole), section_hashes, dict(sorted(event_hashes.items())))


# ---------------------------------------------------------------- versions


def parse_version(text: str) -> tuple[int, int, int] | None:
    match = SEMVER.match(text.strip()) if isinstance(text, str) else None
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def bumped(version: str, bump: Bump) -> str:
    parts = parse_version(version)
    if parts is None:
        raise ValueError(f"not a version: {version!r}")
    major, minor, patch = parts
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


@dataclass(frozen=True)
class Changes:
    """Event ids added, changed and removed between two states of the data."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)

    def in_words(self) -> str:
        return (
            f"{len(self.added)} event{'s' * (len(self.added) != 1)} added, "
            f"{len(self.changed)} changed, {len(self.removed)} removed"
        )


def compare(old: Mapping[str, str], new: Mapping[str, str]) -> Changes:
    """What changed from one set of event hashes to another."""
    return Changes(
        added=tuple(sorted(set(new) - set(old))),
        changed=tuple(sorted(key for key in set(new) & set(old) if new[key] != old[key])),
        removed=tuple(sorted(set(old) - set(new))),
    )


@dataclass(frozen=True)
class Version:
    """One entry of the history, newest first in the release file."""

    version: str
    released: date
    content_hash: str
    summary: str
    events: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    why: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "released": self.released.isoformat(),
            "content_hash": self.content_hash,
            "summary": self.summary,
            "events": self.events,
            "added": list(self.added),
            "changed": list(self.changed),
            "removed": list(self.removed),
            "why": dict(self.why),
        }


@dataclass(frozen=True)
class Release:
    """What `events/release.json` holds: the current version and the history leading to it."""

    history: tuple[Version, ...]  # newest first; history[0] is the current version
    event_hashes: Mapping[str, str]
    section_hashes: Mapping[str, str]

    @property
    def current(self) -> Version:
        return self.history[0]

    def find(self, version: str) -> Version | None:
        return next((entry for entry in self.history if entry.version == version), None)

    def changes_since(self, version: str) -> Changes | None:
        """Net changes from `version` to the current one (None if `version` is not in the history)."""
        position = next((i for i, entry in enumerate(self.history) if entry.version == version), None)
        if position is None:
            return None
        added: set[str] = set()
        changed: set[str] = set()
        removed: set[str] = set()
        for entry in reversed(self.history[:position]):  # oldest first
            for key in entry.added:
                if key in removed:
                    removed.discard(key)
                    changed.add(key)
                else:
                    added.add(key)
            for key in entry.changed:
                if key not in added:
                    changed.add(key)
            for key in entry.removed:
                if key in added:
                    added.discard(key)
                else:
                    changed.discard(key)
                    removed.add(key)
        return Changes(tuple(sorted(added)), tuple(sorted(changed)), tuple(sorted(removed)))

    def as_json(self) -> dict[str, Any]:
        return {
            "about": "Written by `python -m pipeline release` (see events/README.md); do not edit by hand. "
            "`python -m pipeline validate` checks it against the data and CHANGELOG.md.",
            "version": self.current.version,
            "released": self.current.released.isoformat(),
            "content_hash": self.current.content_hash,
            "section_hashes": dict(self.section_hashes),
            "history": [entry.as_json() for entry in self.history],
            "event_hashes": dict(sorted(self.event_hashes.items())),
        }


class ReleaseFileError(ValueError):
    def __init__(self, field_name: str, message: str, expected: str, line: int = 1) -> None:
        super().__init__(message)
        self.field_name, self.message, self.expected, self.line = field_name, message, expected, line


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ReleaseFileError(where, f"is {type(value).__name__}", "text")
    return value


def _ids(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ReleaseFileError(where, "is not a list of event ids", "a list of event ids")
    return tuple(value)


def _day(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(_text(value, where))
    except ValueError:
        raise ReleaseFileError(where, f"{value!r} is not a date", "YYYY-MM-DD") from None


def _version_entry(raw: Any, where: str) -> Version:
    if not isinstance(raw, dict):
        raise ReleaseFileError(where, "is not a mapping", "a version entry")
    version = _text(raw.get("version"), f"{where}.version")
    if parse_version(version) is None:
        raise ReleaseFileError(f"{where}.version", f"{version!r} is not a version", "MAJOR.MINOR.PATCH")
    why = raw.get("why", {})
    if not isinstance(why, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in why.items()):
        raise ReleaseFileError(f"{where}.why", "is not a mapping of event id to text", "event id: reason")
    events = raw.get("events")
    if not isinstance(events, int) or isinstance(events, bool) or events < 0:
        raise ReleaseFileError(f"{where}.events", f"{events!r} is not a count", "the number of events")
    return Version(
        version=version,
        released=_day(raw.get("released"), f"{where}.released"),
        content_hash=_text(raw.get("content_hash"), f"{where}.content_hash"),
        summary=_text(raw.get("summary"), f"{where}.summary"),
        events=events,
        added=_ids(raw.get("added", []), f"{where}.added"),
        changed=_ids(raw.get("changed", []), f"{where}.changed"),
        removed=_ids(raw.get("removed", []), f"{where}.removed"),
        why=why,
    )


def parse_release(data: Any) -> Release:
    """The release file's plain data -> a Release; ReleaseFileError names the first thing wrong."""
    if not isinstance(data, dict):
        raise ReleaseFileError("(file)", "is not a JSON object", "the object `python -m pipeline release` writes")
    history_raw = data.get("history")
    if not isinstance(history_raw, list) or not history_raw:
        raise ReleaseFileError("history", "missing or empty", "a list of versions, newest first")
    history = tuple(_version_entry(raw, f"history[{i}]") for i, raw in enumerate(history_raw))
    for i, (newer, older) in enumerate(pairwise(history)):
        if (parse_version(newer.version) or ()) <= (parse_version(older.version) or ()):
            raise ReleaseFileError(
                f"history[{i}].version",
                f"{newer.version} is not above {older.version}",
                "versions newest first, each higher than the one below",
            )
    for key in ("version", "released", "content_hash"):
        expected = history[0].as_json()[key]
        if data.get(key) != expected:
            raise ReleaseFileError(
                key,
                f"{data.get(key)!r} differs from the newest history entry's {expected!r}",
                "the newest version's value",
            )
    hashes = data.get("event_hashes")
    if not isinstance(hashes, dict) or not all(isinstance(v, str) for v in hashes.values()):
        raise ReleaseFileError("event_hashes", "missing or not a mapping", "event id: hash")
    sections = data.get("section_hashes", {})
    if not isinstance(sections, dict):
        raise ReleaseFileError("section_hashes", "is not a mapping", "section: hash")
    return Release(history=history, event_hashes=dict(hashes), section_hashes=dict(sections))


def release_path(events_dir: Path) -> Path:
    return events_dir / RELEASE_FILE


def changelog_path(events_dir: Path) -> Path:
    return events_dir / CHANGELOG_FILE


@lru_cache(maxsize=8)
def _read_cached(path: str, _mtime_ns: int, size: int) -> Release | ReleaseFileError:
    if size > MAX_RELEASE_BYTES:
        return ReleaseFileError("(file)", f"file is {size / 1e6:.1f} MB", f"at most {MAX_RELEASE_BYTES // 10**6} MB")
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return ReleaseFileError("(file)", f"cannot be read: {type(error).__name__}", "a readable UTF-8 file")
    except json.JSONDecodeError as error:
        return ReleaseFileError("(json)", f"not valid JSON: {error.msg}", "valid JSON", error.lineno)
    except RecursionError:
        return ReleaseFileError("(json)", "nested too deeply", "the flat object `python -m pipeline release` writes")
    try:
        return parse_release(data)
    except ReleaseFileError as error:
        return error


def read_release(events_dir: Path) -> Release | ReleaseFileError | None:
    """The dataset's release record; None when it has none (an unversioned dataset)."""
    path = release_path(events_dir)
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read_cached(str(path), stat.st_mtime_ns, stat.st_size)


# ---------------------------------------------------------------- the data's version, as shown


@dataclass(frozen=True)
class DataVersion:
    """What every page, export and citation says about the version of the data it shows."""

    label: str  # '1.2.0', or '1.2.0+a1b2c3d4' for unreleased changes, or 'unversioned+…'
    released: date | None  # the release date of the version named (None: unversioned)
    content_hash: str
    state: Literal["released", "modified", "unversioned"]
    release: Release | None = None
    unreleased: Changes = field(default_factory=Changes)

    @property
    def base(self) -> str:
        """The released version this data is, or starts from ('' when there is none)."""
        return self.release.current.version if self.release else ""

    def slug(self) -> str:
        return "v" + re.sub(r"[^A-Za-z0-9.-]+", "-", self.label)

    def in_words(self) -> str:
        if self.state == "released":
            assert self.released is not None
            return f"data version {self.label}, released {self.released.isoformat()}"
        if self.state == "modified":
            assert self.released is not None
            return (
                f"data version {self.label}: unreleased changes since version {self.base} "
                f"(released {self.released.isoformat()}; {self.unreleased.in_words()})"
            )
        return f"unversioned data ({self.label})"


def data_version(events_dir: Path, hashes: ContentHashes) -> DataVersion:
    """The version to show for data with these hashes, given the release file beside it."""
    short = hashes.content_hash.removeprefix(HASH_PREFIX)[:8]
    release = read_release(events_dir)
    if not isinstance(release, Release):
        return DataVersion(f"unversioned+{short}", None, hashes.content_hash, "unversioned")
    current = release.current
    if current.content_hash == hashes.content_hash:
        return DataVersion(current.version, current.released, hashes.content_hash, "released", release)
    return DataVersion(
        f"{current.version}+{short}",
        current.released,
        hashes.content_hash,
        "modified",
        release,
        compare(release.event_hashes, hashes.events),
    )


# ---------------------------------------------------------------- the changelog

CHANGELOG_HEADER: Final = """\
# Changelog of the event data

Every version of the data in this folder, newest first. Versions are semantic: new events
raise the minor number (1.1.0 → 1.2.0), corrections to existing records the patch number
(1.2.0 → 1.2.1), a changed schema or lane the major number (1.2.1 → 2.0.0). A link to the
dashboard carries the version it was made with (`v=`); a citation names it.

This file is written by `python -m pipeline release` from `release.json`, which also holds
the content hash of each version; `python -m pipeline validate` fails when the data, the
hash and this file disagree. Do not edit it by hand: see events/README.md, "Releasing a version".
"""


def _id_list(label: str, ids: Sequence[str], why: Mapping[str, str]) -> list[str]:
    if not ids:
        return [f"- {label}: none"]
    lines = [f"- {label} ({len(ids)}):"]
    for key in ids:
        reason = why.get(key)
        lines.append(f"  - `{key}`" + (f": {' '.join(reason.split())}" if reason else ""))
    return lines


def render_changelog(release: Release) -> str:
    parts = [CHANGELOG_HEADER]
    for position, entry in enumerate(release.history):
        first = position == len(release.history) - 1
        lines = [
            f"## {entry.version} — {entry.released.isoformat()}",
            "",
            " ".join(entry.summary.split()),
            "",
            f"- Events: {entry.events}; content hash `{entry.content_hash}`",
        ]
        if first:
            lines.append(f"- Added: all {len(entry.added)} events (the first versioned release)")
        else:
            lines += _id_list("Added", entry.added, entry.why)
            lines += _id_list("Changed", entry.changed, entry.why)
            lines += _id_list("Removed", entry.removed, entry.why)
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


# ---------------------------------------------------------------- validation


def _first_difference(actual: str, expected: str) -> int:
    for number, (left, right) in enumerate(zip(actual.splitlines(), expected.splitlines(), strict=False), start=1):
        if left != right:
            return number
    return min(len(actual.splitlines()), len(expected.splitlines())) + 1


def release_problems(events_dir: Path, hashes: ContentHashes, display_dir: str) -> list[Problem]:
    """Problems with the version record of a valid dataset (none for an unversioned dataset)."""
    release_display = f"{display_dir}/{RELEASE_FILE}"
    changelog_display = f"{display_dir}/{CHANGELOG_FILE}"
    release = read_release(events_dir)
    if release is None:
        if changelog_path(events_dir).exists():
            return [
                Problem(
                    release_display,
                    0,
                    "(file)",
                    f"missing, but {CHANGELOG_FILE} exists",
                    "the release record: run `python -m pipeline release`",
                )
            ]
        return []
    if isinstance(release, ReleaseFileError):
        return [Problem(release_display, release.line, release.field_name, release.message, release.expected)]
    problems = []
    current = release.current
    if current.content_hash != hashes.content_hash:
        changes = compare(release.event_hashes, hashes.events)
        other = [
            section
            for section, digest in hashes.sections.items()
            if section != "events" and release.section_hashes.get(section) not in (None, digest)
        ]
        listed = "; ".join(
            f"{what}: {', '.join(ids[:10])}{' …' * (len(ids) > 10)}"
            for what, ids in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed))
            if ids
        )
        detail = changes.in_words() + (f" ({listed})" if listed else "")
        if other:
            detail += f"; {', '.join(other)} changed too"
        problems.append(
            Problem(
                release_display,
                1,
                "content_hash",
                f"the data changed since version {current.version} (released "
                f"{current.released.isoformat()}) without a version bump: {detail}",
                RELEASE_HINT,
            )
        )
    try:
        changelog = changelog_path(events_dir).read_text(encoding="utf-8")
    except OSError:
        problems.append(
            Problem(
                changelog_display, 0, "(file)", "missing", "the changelog: run `python -m pipeline release --changelog`"
            )
        )
        return problems
    expected = render_changelog(release)
    if changelog != expected:
        problems.append(
            Problem(
                changelog_display,
                _first_difference(changelog, expected),
                "(file)",
                f"does not match {RELEASE_FILE} (edited by hand, or not rewritten)",
                "the text `python -m pipeline release --changelog` writes",
            )
        )
    return problems


def new_release(
    previous: Release | None,
    hashes: ContentHashes,
    *,
    version: str,
    released: date,
    summary: str,
    why: Mapping[str, str],
) -> Release:
    """The release record after cutting `version` of data with `hashes`."""
    changes = compare(previous.event_hashes if previous else {}, hashes.events)
    entry = Version(
        version=version,
        released=released,
        content_hash=hashes.content_hash,
        summary=summary,
        events=len(hashes.events),
        added=changes.added,
        changed=changes.changed,
        removed=changes.removed,
        why=dict(sorted(why.items())),
    )
    history = (entry, *(previous.history if previous else ()))
    return Release(history=history, event_hashes=hashes.events, section_hashes=hashes.sections)


def release_json(release: Release) -> bytes:
    return (json.dumps(release.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ---------------------------------------------------------------- links that name a version

MAX_LISTED_IDS: Final = 12


@dataclass(frozen=True)
class LinkNotice:
    """What to tell a reader whose link names another data version than the one shown."""

    kind: Literal["older", "unknown", "unreleased"]
    message: str
    changes: Changes = field(default_factory=Changes)


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:MAX_LISTED_IDS])
    return shown + (f" and {len(ids) - MAX_LISTED_IDS} more" if len(ids) > MAX_LISTED_IDS else "")


def _in_view(changes: Changes, shown_ids: Iterable[str] | None) -> str:
    """The affected ids of the current view (removed ones are no longer in any view: all listed)."""
    if changes.count() == 0:
        return ""
    shown = set(shown_ids) if shown_ids is not None else None
    added = [key for key in changes.added if shown is None or key in shown]
    changed = [key for key in changes.changed if shown is None or key in shown]
    parts = [
        f"{what}: {_listed(ids)}"
        for what, ids in (("added", added), ("changed", changed), ("removed", list(changes.removed)))
        if ids
    ]
    scope = "In this view" if shown is not None else "Affected"
    return f" {scope}, {'; '.join(parts)}." if parts else " None of them is in this view."


def _unknown(linked: str, version: DataVersion) -> LinkNotice:
    shown = f"“{linked}”" if re.fullmatch(r"[0-9A-Za-z.+-]{1,40}", linked) else "(not a version number)"
    return LinkNotice(
        "unknown",
        f"This link names data version {shown}, which this site does not know; showing {version.in_words()}. "
        "The view may differ from the one the link was made with.",
    )


def link_notice(linked: str | None, version: DataVersion, shown_ids: Iterable[str] | None = None) -> LinkNotice | None:
    """The notice for a link made with data version `linked` (None when there is nothing to say)."""
    if linked is None:
        return None
    linked = linked.strip()
    if linked == version.label:
        return None
    if version.release is None:
        return _unknown(linked, version)
    current = version.release.current
    if linked == current.version and version.state == "modified":
        changes = version.unreleased
        return LinkNotice(
            "unreleased",
            f"This link was made with data version {linked}; the data shown has "
            f"unreleased changes since then: {changes.in_words()}." + _in_view(changes, shown_ids),
            changes,
        )
    changes_since = version.release.changes_since(linked) if parse_version(linked) else None
    if changes_since is None:
        return _unknown(linked, version)
    entry = version.release.find(linked)
    assert entry is not None
    unreleased = (
        f" The data shown also has unreleased changes since {current.version}: {version.unreleased.in_words()}."
        if version.state == "modified"
        else ""
    )
    return LinkNotice(
        "older",
        f"This link was made with data version {linked} (released "
        f"{entry.released.isoformat()}); since then {changes_since.in_words()}, up to version "
        f"{current.version}." + _in_view(changes_since, shown_ids) + unreleased,
        changes_since,
    )
