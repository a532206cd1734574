"""Write a valid synthetic dataset in the events format: `python -m benchmarks.generate N DIR`.

A realistic mix: three lanes, every category and quad, day / month / year / range /
approximate / uncertain dates, 1–3 cited sources per event from a registry of N/10 sources,
and actors and places from a names registry with aliases. Files hold at most 2,000 events
each (the loader caps a file at 8 MB), as a large real dataset would be split.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from pipeline.schema import Category, Dyad, Quad

EVENTS_PER_FILE = 2000
FIRST_DAY = date(1964, 1, 1)
LAST_DAY = date(2025, 12, 31)
WORDS = (
    "visit",
    "delegation",
    "agreement",
    "loan",
    "grant",
    "embassy",
    "minister",
    "summit",
    "workers",
    "trade",
    "investment",
    "sanctions",
    "condolence",
    "statement",
    "friendship",
    "cooperation",
    "treaty",
    "mission",
    "museum",
    "restaurant",
    "airline",
    "festival",
    "students",
    "labour",
    "border",
    "election",
    "envoy",
    "aid",
    "road",
    "bridge",
    "school",
    "hospital",
)


def _edtf(rng: random.Random) -> str:
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    kind = rng.choices(("day", "month", "year", "range", "approx", "uncertain"), (40, 25, 20, 8, 4, 3))[0]
    if kind == "day":
        return day.isoformat()
    if kind == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if kind == "year":
        return f"{day.year:04d}"
    if kind == "range":
        return f"{day.year:04d}/{min(day.year + rng.randint(1, 6), LAST_DAY.year):04d}"
    return f"{day.year:04d}{'~' if kind == 'approx' else '?'}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def registry_text(source_count: int, name_count: int) -> str:
    lines = ["sources:"]
    for index in range(source_count):
        lines += [
            f"  - id: src-{index:06d}",
            f"    title: Synthetic source {index}",
            "    publisher: Benchmark Wire",
            f'    published: "{1964 + index % 62}"',
            f"    url: https://example.org/source/{index}",
            "    kind: news_report",
        ]
    lines.append("names:")
    for index in range(name_count):
        kind = "place" if index % 5 == 0 else "person"
        lines.append(f"  - {{name: Name {index:05d}, kind: {kind}, aliases: [Name-{index:05d}, N. {index:05d}]}}")
    return "\n".join(lines) + "\n"


def events_text(first: int, count: int, source_count: int, name_count: int, rng: random.Random) -> str:
    lanes = [Dyad.KHM_PRK.value, Dyad.KHM_KOR.value, Dyad.CONTEXT.value]
    categories = [c.value for c in Category]
    quads = [q.value for q in Quad]
    lines = ["events:"]
    for number in range(first, first + count):
        lane = rng.choices(lanes, (45, 45, 10))[0]
        title = " ".join(rng.choices(WORDS, k=5)).capitalize()
        actors = rng.sample(range(name_count), k=rng.randint(0, 3))
        lines += [
            f"  - id: {lane.lower()}-synthetic-{number:07d}",
            f"    dyad: {lane}",
            f'    date: "{_edtf(rng)}"',
            f"    category: {rng.choice(categories)}",
            f"    quad: {rng.choice(quads)}",
            f"    title: {_quoted(title)}",
            f"    summary: {_quoted(' '.join(rng.choices(WORDS, k=25)))}",
            "    actors: [" + ", ".join(f"Name {a:05d}" for a in actors) + "]",
            "    places: []",
            "    sources:",
        ]
        for source in rng.sample(range(source_count), k=rng.randint(1, 3)):
            lines += [f"      - id: src-{source:06d}", f"        quote: {_quoted(title + ' reported.')}"]
    return "\n".join(lines) + "\n"


def generate(event_count: int, target: Path, seed: int = 1964) -> Path:
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.yaml"):
        stale.unlink()
    source_count = max(10, event_count // 10)
    name_count = max(20, min(2000, event_count // 20))
    # The registries go in sources.yaml: the file that makes a folder a dataset folder.
    (target / "sources.yaml").write_text(registry_text(source_count, name_count))
    for first in range(0, event_count, EVENTS_PER_FILE):
        count = min(EVENTS_PER_FILE, event_count - first)
        (target / f"events-{first // EVENTS_PER_FILE:04d}.yaml").write_text(
            events_text(first, count, source_count, name_count, rng)
        )
    return target


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {sys.argv[1]} events to {sys.argv[2]}")
