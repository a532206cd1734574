"""Command line: `python -m pipeline validate|export ...`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.export import OutputError, check_output_path, to_csv_bytes, to_json_bytes, write_atomically
from pipeline.filters import FilterError, filter_events, make_filter
from pipeline.loading import events_dir_from_env, load_dataset
from pipeline.problems import DatasetError
from pipeline.schema import EVENTS_DIR_ENV, Category, Dyad, Quad
from pipeline.text import for_message

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
    export.add_argument("--dyad", action="append", default=[], metavar="|".join(d.value for d in Dyad))
    export.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="CATEGORY",
        help="one of: " + ", ".join(c.value for c in Category),
    )
    export.add_argument(
        "--quad", action="append", default=[], metavar="QUAD", help="one of: " + ", ".join(q.value for q in Quad)
    )
    export.add_argument("--from", dest="date_from", metavar="YYYY[-MM[-DD]]")
    export.add_argument("--to", dest="date_to", metavar="YYYY[-MM[-DD]]")
    export.add_argument("--actor", action="append", default=[], metavar="NAME", help="a name or any alias")
    export.add_argument("--search", default="", metavar="TEXT")
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to this regular file (atomically), or '-' for stdout (the default)",
    )
    return parser


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


def _run(args: argparse.Namespace) -> int:
    events_dir = events_dir_from_env(args.events)
    output = args.output if getattr(args, "output", None) not in (None, "-") else None
    if output is not None:
        try:
            check_output_path(Path(output))  # before the work: a bad -o fails fast, and nothing is written
        except OutputError as error:
            print(f"python -m pipeline export: cannot write {error}", file=sys.stderr)
            return EXIT_INVALID
    try:
        dataset = load_dataset(events_dir)
    except DatasetError as error:
        print(f"{len(error.problems)} problem(s) in {for_message(events_dir)}:", file=sys.stderr)
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    if args.command == "validate":
        print(
            f"ok: {len(dataset.events)} events, {len(dataset.periods)} periods, "
            f"{len(dataset.sources)} sources, {len(dataset.names)} names in {for_message(events_dir)}"
        )
        return EXIT_OK
    try:
        flt = make_filter(
            dyads=_split(args.dyad),
            categories=_split(args.category),
            quads=_split(args.quad),
            date_from=args.date_from,
            date_to=args.date_to,
            actors=args.actor,
            search=args.search,
            names=dataset.names,
        )
    except FilterError as error:
        print(f"python -m pipeline export: {for_message(error)}", file=sys.stderr)
        return EXIT_USAGE
    selected = filter_events(dataset.events, flt)
    payload = to_csv_bytes(selected) if args.format == "csv" else to_json_bytes(selected)
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomically(Path(output), payload)
    except OutputError as error:
        print(f"python -m pipeline export: cannot write {error}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK
