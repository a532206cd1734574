"""`python -m pipeline release`: record a new data version (or rewrite the changelog)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from pipeline.export import write_atomically
from pipeline.loading import Dataset
from pipeline.version import (
    Release,
    ReleaseFileError,
    bumped,
    changelog_path,
    compare,
    new_release,
    parse_version,
    read_release,
    release_json,
    release_path,
    render_changelog,
)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"python -m pipeline release: {message}", file=sys.stderr)
    return code


def _reasons(values: list[str]) -> dict[str, str] | str:
    reasons: dict[str, str] = {}
    for value in values:
        key, separator, text = value.partition("=")
        if not separator or not key.strip() or not text.strip():
            return f"--why {value!r}: expected EVENT-ID=TEXT"
        reasons[key.strip()] = " ".join(text.split())
    return reasons


def release_command(dataset: Dataset, args: argparse.Namespace) -> int:
    events_dir = dataset.events_dir
    previous = read_release(events_dir)
    if isinstance(previous, ReleaseFileError):
        return _fail(
            f"{release_path(events_dir)}: {previous.field_name}: {previous.message} "
            f"(expected {previous.expected}); fix it or restore it from version control",
            EXIT_INVALID,
        )
    if args.changelog:
        if previous is None:
            return _fail(f"no {release_path(events_dir).name} yet: make the first release with --version or --bump")
        write_atomically(changelog_path(events_dir), render_changelog(previous).encode("utf-8"))
        print(f"wrote {changelog_path(events_dir)} from {release_path(events_dir)}", file=sys.stderr)
        return EXIT_OK
    if not args.summary or not args.summary.strip():
        return _fail("--summary TEXT is required: say what changed and why")
    try:
        released = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        return _fail(f"--date {args.date!r}: expected YYYY-MM-DD")
    reasons = _reasons(args.why)
    if isinstance(reasons, str):
        return _fail(reasons)
    current = previous.current.version if isinstance(previous, Release) else "0.0.0"
    version = args.set_version.strip() if args.set_version else bumped(current, args.bump)
    if parse_version(version) is None:
        return _fail(f"--version {version!r}: expected MAJOR.MINOR.PATCH, such as 1.2.0")
    if (parse_version(version) or ()) <= (parse_version(current) or ()):
        return _fail(f"version {version} is not above the current version {current}")
    if isinstance(previous, Release):
        if previous.current.content_hash == dataset.hashes.content_hash:
            return _fail(f"nothing changed since version {current}: no release made", EXIT_INVALID)
        if released < previous.current.released:
            return _fail(f"--date {released} is before the release of {current} ({previous.current.released})")
    changes = compare(previous.event_hashes if isinstance(previous, Release) else {}, dataset.hashes.events)
    unknown = sorted(set(reasons) - {*changes.added, *changes.changed, *changes.removed})
    if unknown:
        return _fail(f"--why names events that did not change: {', '.join(unknown)}")
    if isinstance(previous, Release) and version == bumped(current, "patch") and (changes.added or changes.removed):
        print(
            f"python -m pipeline release: note: events were added or removed ({changes.in_words()}); "
            "new events usually raise the minor version (--bump minor)",
            file=sys.stderr,
        )
    release = new_release(
        previous if isinstance(previous, Release) else None,
        dataset.hashes,
        version=version,
        released=released,
        summary=" ".join(args.summary.split()),
        why=reasons,
    )
    write_atomically(release_path(events_dir), release_json(release))
    write_atomically(changelog_path(events_dir), render_changelog(release).encode("utf-8"))
    print(
        f"released data version {version} ({released.isoformat()}): {changes.in_words()}; wrote "
        f"{release_path(events_dir)} and {changelog_path(events_dir)}",
        file=sys.stderr,
    )
    return EXIT_OK
