"""Command line: `python -m pipeline validate|export|figure ...`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from figures.slides import slide_timeline
from pipeline.export import to_csv_bytes, to_json_bytes, write_atomically
from pipeline.filters import EventFilter, FilterError, filter_events, make_filter
from pipeline.loading import Dataset, events_dir_from_env, load_dataset
from pipeline.problems import DatasetError
from pipeline.schema import EVENTS_DIR_ENV, Category, Dyad, Quad
from pipeline.slides import (
    DEFAULT_HEIGHT,
    DEFAULT_SCALE,
    DEFAULT_WIDTH,
    FORMATS,
    SlideText,
    data_version_words,
    permalink,
    render_image,
    slide_text,
    view_for,
)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def slide_texts(dataset: Dataset, shown: pd.DataFrame, flt: EventFilter, today: date,
                event: str | None = None) -> SlideText:
    """Title, filters, note and credit (with the data version and the view's permalink) for an image."""
    return slide_text(flt, len(shown), version_words=data_version_words(dataset),
                      link=permalink(view_for(flt, event)), today=today)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline",
                                     description="Validate and export the Cambodia–Korea events dataset.")
    commands = parser.add_subparsers(dest="command", required=True)
    events_help = f"events directory (default: ${EVENTS_DIR_ENV}, else the shipped events/)"
    validate = commands.add_parser("validate", help="check every events file; exit 1 listing all problems")
    validate.add_argument("--events", metavar="DIR", help=events_help)
    export = commands.add_parser("export", help="write the (filtered) events as CSV or JSON")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    _filter_arguments(export, events_help)
    export.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    figure = commands.add_parser("figure", help="write the (filtered) timeline as a slide-ready SVG or PNG")
    figure.add_argument("--format", choices=FORMATS, required=True)
    _filter_arguments(figure, events_help)
    figure.add_argument("--width", type=int, default=DEFAULT_WIDTH, help=f"pixels (default {DEFAULT_WIDTH})")
    figure.add_argument("--height", type=int, default=DEFAULT_HEIGHT, help=f"pixels (default {DEFAULT_HEIGHT})")
    figure.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                        help="PNG pixel ratio (default 1: a 1600 px wide image)")
    figure.add_argument("-o", "--output", metavar="FILE", required=True, help="write here (atomically)")
    return parser


def _filter_arguments(export: argparse.ArgumentParser, events_help: str) -> None:
    export.add_argument("--events", metavar="DIR", help=events_help)
    export.add_argument("--dyad", action="append", default=[], metavar="|".join(d.value for d in Dyad))
    export.add_argument("--category", action="append", default=[], metavar="CATEGORY",
                        help="one of: " + ", ".join(c.value for c in Category))
    export.add_argument("--quad", action="append", default=[], metavar="QUAD",
                        help="one of: " + ", ".join(q.value for q in Quad))
    export.add_argument("--from", dest="date_from", metavar="YYYY[-MM[-DD]]")
    export.add_argument("--to", dest="date_to", metavar="YYYY[-MM[-DD]]")
    export.add_argument("--actor", action="append", default=[], metavar="NAME", help="a name or any alias")
    export.add_argument("--search", default="", metavar="TEXT")
    export.add_argument("--original-only", action="store_true",
                        help="only events with at least one source that is an original publisher's own page")


def _split(values: Sequence[str]) -> list[str]:
    """Repeated options and comma-separated lists both work: --dyad KHM-PRK,KHM-KOR."""
    return [part for value in values for part in value.split(",")]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    events_dir = events_dir_from_env(args.events)
    try:
        dataset = load_dataset(events_dir)
    except DatasetError as error:
        print(f"{len(error.problems)} problem(s) in {events_dir}:", file=sys.stderr)
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    if args.command == "validate":
        print(f"ok: {len(dataset.events)} events, {len(dataset.periods)} periods, "
              f"{len(dataset.sources)} sources, {len(dataset.names)} names in {events_dir}")
        return EXIT_OK
    try:
        flt = make_filter(dyads=_split(args.dyad), categories=_split(args.category), quads=_split(args.quad),
                          date_from=args.date_from, date_to=args.date_to, actors=args.actor,
                          search=args.search, original_only=args.original_only, names=dataset.names)
    except FilterError as error:
        print(f"python -m pipeline {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    selected = filter_events(dataset.events, flt)
    if args.command == "figure":
        if not (200 <= args.width <= 8000 and 200 <= args.height <= 8000 and 0.25 <= args.scale <= 8):
            print("python -m pipeline figure: --width/--height must be 200-8000 px and --scale 0.25-8", file=sys.stderr)
            return EXIT_USAGE
        figure = slide_timeline(selected, dataset.periods, flt, slide_texts(dataset, selected, flt, date.today()),
                                width=args.width, height=args.height)
        write_atomically(Path(args.output), render_image(figure, args.format, width=args.width, height=args.height,
                                                         scale=args.scale))
        return EXIT_OK
    payload = to_csv_bytes(selected) if args.format == "csv" else to_json_bytes(selected)
    if args.output:
        write_atomically(Path(args.output), payload)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return EXIT_OK
