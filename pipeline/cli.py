"""Command line: `python -m pipeline validate|export|package|figure|release ...`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from figures.slides import slide_timeline
from pipeline import project
from pipeline.citation import permalink, view_state_for
from pipeline.export import OutputError, check_output_path, to_csv_bytes, to_json_bytes, write_atomically
from pipeline.filters import EventFilter, FilterError, filter_events, make_filter
from pipeline.loading import Dataset, events_dir_from_env, load_dataset
from pipeline.package import PackageInput, export_metadata, package_bytes
from pipeline.problems import DatasetError
from pipeline.release import release_command
from pipeline.schema import EVENTS_DIR_ENV, Category, Dyad, Quad
from pipeline.slides import DEFAULT_HEIGHT, DEFAULT_SCALE, DEFAULT_WIDTH, FORMATS, SlideText, render_image, slide_text
from pipeline.text import for_message
from pipeline.version import release_problems

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description="Validate and export the Cambodia–Korea events dataset."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    events_help = f"events directory (default: ${EVENTS_DIR_ENV}, else the shipped events/)"
    validate = commands.add_parser("validate", help="check every events file; exit 1 listing all problems")
    validate.add_argument("--events", metavar="DIR", help=events_help)
    export = commands.add_parser("export", help="write the (filtered) events as CSV or JSON")
    export.add_argument("--events", metavar="DIR", help=events_help)
    export.add_argument("--format", choices=("csv", "json"), required=True)
    _filter_arguments(export)
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to this regular file (atomically), or '-' for stdout (the default)",
    )
    package = commands.add_parser("package", help="write the (filtered) events as a Frictionless Data Package (zip)")
    package.add_argument("--events", metavar="DIR", help=events_help)
    _filter_arguments(package)
    package.add_argument("-o", "--output", metavar="FILE.zip", required=True, help="the zip to write (atomically)")
    figure = commands.add_parser("figure", help="write the (filtered) timeline as a slide-ready SVG or PNG")
    figure.add_argument("--events", metavar="DIR", help=events_help)
    figure.add_argument("--format", choices=FORMATS, required=True)
    _filter_arguments(figure)
    figure.add_argument("--width", type=int, default=DEFAULT_WIDTH, help=f"pixels (default {DEFAULT_WIDTH})")
    figure.add_argument("--height", type=int, default=DEFAULT_HEIGHT, help=f"pixels (default {DEFAULT_HEIGHT})")
    figure.add_argument(
        "--scale", type=float, default=DEFAULT_SCALE, help="PNG pixel ratio (default 1: a 1600 px wide image)"
    )
    figure.add_argument("-o", "--output", metavar="FILE", required=True, help="the image to write (atomically)")
    release = commands.add_parser("release", help="record a new data version: content hash, release.json, CHANGELOG.md")
    release.add_argument("--events", metavar="DIR", help=events_help)
    which = release.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--bump",
        choices=("major", "minor", "patch"),
        help="new events: minor; corrections: patch; a changed schema or lane: major",
    )
    which.add_argument("--version", dest="set_version", metavar="X.Y.Z", help="the new version, stated in full")
    which.add_argument("--changelog", action="store_true", help="only rewrite CHANGELOG.md from release.json")
    release.add_argument("--summary", metavar="TEXT", help="what changed and why (required for a new version)")
    release.add_argument(
        "--why",
        action="append",
        default=[],
        metavar="ID=TEXT",
        help="why one event was added, changed or removed (repeatable)",
    )
    release.add_argument("--date", metavar="YYYY-MM-DD", help="the release date (default: today)")
    return parser


def _filter_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--dyad", action="append", default=[], metavar="|".join(d.value for d in Dyad))
    command.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="CATEGORY",
        help="one of: " + ", ".join(c.value for c in Category),
    )
    command.add_argument(
        "--quad", action="append", default=[], metavar="QUAD", help="one of: " + ", ".join(q.value for q in Quad)
    )
    command.add_argument("--from", dest="date_from", metavar="YYYY[-MM[-DD]]")
    command.add_argument("--to", dest="date_to", metavar="YYYY[-MM[-DD]]")
    command.add_argument("--actor", action="append", default=[], metavar="NAME", help="a name or any alias")
    command.add_argument("--search", default="", metavar="TEXT", help='words, "a phrase", or a name in any spelling')
    command.add_argument(
        "--original-only",
        action="store_true",
        help="only events with at least one source that is an original publisher's own page",
    )


def _split(values: Sequence[str]) -> list[str]:
    """Repeated options and comma-separated lists both work: --dyad KHM-PRK,KHM-KOR."""
    return [part for value in values for part in value.split(",")]


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; every failure is a one-line message on stderr and an exit code, never a traceback."""
    try:
        return _run(_parser().parse_args(argv))
    except BrokenPipeError:
        # The reader of our stdout went away (`| head`): nothing more to say, and nowhere to say it.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: say so in one line rather than print a traceback at a reader
        print(f"python -m pipeline: internal error: {type(error).__name__}: {for_message(error)}", file=sys.stderr)
        return EXIT_INVALID


def slide_texts(
    dataset: Dataset, shown: pd.DataFrame, flt: EventFilter, today: date, event: str | None = None
) -> SlideText:
    """Title, filters, note and credit (with the data version and the view's permalink) for an image."""
    link = permalink(project.site_url(), view_state_for(flt, event), dataset.version)
    return slide_text(flt, len(shown), version_words=dataset.version.in_words(), link=link, today=today)


def _run(args: argparse.Namespace) -> int:
    events_dir = events_dir_from_env(args.events)
    output = args.output if getattr(args, "output", None) not in (None, "-") else None
    if args.command == "package" and (output is None or Path(output).suffix.lower() != ".zip"):
        print(
            f"python -m pipeline package: -o {for_message(args.output)}: expected a file name ending in .zip",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if output is not None:
        try:
            check_output_path(Path(output))  # before the work: a bad -o fails fast, and nothing is written
        except OutputError as error:
            print(f"python -m pipeline {args.command}: cannot write {error}", file=sys.stderr)
            return EXIT_INVALID
    try:
        dataset = load_dataset(events_dir)
    except DatasetError as error:
        print(f"{len(error.problems)} problem(s) in {for_message(events_dir)}:", file=sys.stderr)
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    if args.command == "validate":
        return _validate(dataset, events_dir)
    if args.command == "release":
        return release_command(dataset, args)
    try:
        flt = make_filter(
            dyads=_split(args.dyad),
            categories=_split(args.category),
            quads=_split(args.quad),
            date_from=args.date_from,
            date_to=args.date_to,
            actors=args.actor,
            search=args.search,
            original_only=args.original_only,
            names=dataset.names,
        )
    except FilterError as error:
        print(f"python -m pipeline {args.command}: {for_message(error)}", file=sys.stderr)
        return EXIT_USAGE
    selected = filter_events(dataset.events, flt)
    link = permalink(project.site_url(), view_state_for(flt), dataset.version)
    if args.command == "figure":
        if not (200 <= args.width <= 8000 and 200 <= args.height <= 8000 and 0.25 <= args.scale <= 8):
            print("python -m pipeline figure: --width/--height must be 200-8000 px and --scale 0.25-8", file=sys.stderr)
            return EXIT_USAGE
        texts = slide_texts(dataset, selected, flt, date.today())
        image = slide_timeline(selected, dataset.periods, flt, texts, width=args.width, height=args.height)
        payload = render_image(image, args.format, width=args.width, height=args.height, scale=args.scale)
    elif args.command == "package":
        created = datetime.now().astimezone().replace(microsecond=0)
        payload = package_bytes(PackageInput(dataset, selected, flt, dataset.version, link, created))
    elif args.format == "csv":
        payload = to_csv_bytes(selected)
    else:
        payload = to_json_bytes(selected, export_metadata(flt, len(selected), dataset.version, link, date.today()))
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomically(Path(output), payload)
    except OutputError as error:
        print(f"python -m pipeline {args.command}: cannot write {error}", file=sys.stderr)
        return EXIT_INVALID
    if args.command == "package":
        print(f"wrote {for_message(output)}: {_summary(selected, flt)}; {dataset.version.in_words()}", file=sys.stderr)
    return EXIT_OK


def _summary(selected: pd.DataFrame, flt: EventFilter) -> str:
    return f"{len(selected)} event{'s' * (len(selected) != 1)}" + (" (every event)" if flt.is_empty() else "")


def _validate(dataset: Dataset, events_dir: Path) -> int:
    problems = release_problems(events_dir, dataset.hashes, _display_dir(events_dir))
    if problems:
        print(f"{len(problems)} problem(s) in {for_message(events_dir)}:", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    print(
        f"ok: {len(dataset.events)} events, {len(dataset.periods)} periods, "
        f"{len(dataset.sources)} sources, {len(dataset.names)} names in {for_message(events_dir)}; "
        f"{dataset.version.in_words()}"
    )
    return EXIT_OK


def _display_dir(events_dir: Path) -> str:
    try:
        return str(events_dir.relative_to(Path.cwd()))
    except ValueError:
        return str(events_dir)
