"""A synthetic, valid dataset of about 60 events with the shipped schema: regimes, status bands
with descriptions, every lane, category, quad class and date precision. For the comparison
tests and for screenshots (`python -m tests.synthetic DIR` writes it)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from pipeline.schema import Category, Quad
from tests.conftest import HOSTS, NAMES, SOURCES, write_files

REGIMES = [
    ("ctx-regime-1955-1970", "Kingdom of Cambodia (Sangkum, Sihanouk)", "1955/1970-03-18"),
    ("ctx-regime-1970-1975", "Lon Nol government / Khmer Republic (proclaimed 9 Oct 1970)", "1970-03-18/1975-04-17"),
    ("ctx-regime-1975-1979", "Democratic Kampuchea (Khmer Rouge)", "1975-04-17/1979-01-07"),
    ("ctx-regime-1979-1992", "People's Republic of Kampuchea / State of Cambodia (from 1989)", "1979-01-07/1992-03-15"),
    ("ctx-regime-1992-1993", "UNTAC transitional period", "1992-03-15/1993-09-24"),
    ("ctx-regime-1993", "Kingdom of Cambodia (constitutional monarchy)", "1993-09-24/.."),
]
STATUSES = [
    (
        "khm-prk-status-1964",
        "KHM-PRK",
        "relations",
        "Diplomatic relations with Sihanouk's Cambodia",
        "1964/1970-03",
        "Sources differ on when relations began: 1964 or 1965.",
    ),
    (
        "khm-prk-status-1970",
        "KHM-PRK",
        "severed",
        "Severed with the Lon Nol government",
        "1970-03/1975-04",
        "North Korea kept relations with Sihanouk's government in exile, not with Phnom Penh.",
    ),
    ("khm-prk-status-1975", "KHM-PRK", "embassies", "Embassies (Democratic Kampuchea)", "1975-04/1979-01", None),
    (
        "khm-prk-status-1979",
        "KHM-PRK",
        "severed",
        "DPRK recognises the exile CGDK, not the PRK/SOC",
        "1979-01/1991-10",
        "DPRK recognises exile CGDK, not the PRK/SOC government in Phnom Penh.",
    ),
    ("khm-prk-status-1991", "KHM-PRK", "restored", "Relations restored", "1991-10/..", None),
    (
        "khm-kor-status-1970",
        "KHM-KOR",
        "embassies",
        "Diplomatic relations (Khmer Republic)",
        "1970-05/1975-04",
        "South Korea upgraded its Phnom Penh mission to an embassy on 15 Aug 1970.",
    ),
    ("khm-kor-status-1975", "KHM-KOR", "no_relations", "No relations", "1975-04/1996-01", None),
    ("khm-kor-status-1996", "KHM-KOR", "missions", "Representative offices", "1996-01/1997-10-30", None),
    ("khm-kor-status-1997", "KHM-KOR", "restored", "Relations restored", "1997-10-30/..", None),
]
LANES = ("KHM-PRK", "KHM-KOR", "context")


def _period(
    pid: str, lane: str, kind: str, label: str, date: str, *, status: str | None = None, note: str | None = None
) -> str:
    lines = [f"  - id: {pid}", f"    lane: {lane}", f"    kind: {kind}"]
    if status:
        lines.append(f"    status: {status}")
    lines += [f"    label: {label!r}", f"    date: {date!r}"]
    if note:
        lines.append(f"    note: {note!r}")
    lines += ["    sources:", "      - id: src-two", '        quote: "A period."']
    return "\n".join(lines)


def _date(rng: random.Random, year: int) -> str:
    kind = rng.choice(["day", "day", "day", "month", "year", "range", "approx"])
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    return {
        "day": f"{year}-{month:02d}-{day:02d}",
        "month": f"{year}-{month:02d}",
        "year": str(year),
        "range": f"{year}/{min(year + rng.randint(1, 3), 2025)}",
        "approx": f"{year}~",
    }[kind]


def events_yaml(count: int = 60, seed: int = 13) -> str:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    categories = [c.value for c in Category]
    quads = [q.value for q in Quad]
    lines = ["events:"]
    for index in range(count):
        lane = LANES[index % 3]
        year = rng.randint(1964, 2025)
        lines += [
            f"  - id: syn-{lane.lower()}-{index:03d}",
            f"    dyad: {lane}",
            f"    date: {_date(rng, year)!r}",
            f"    category: {categories[index % len(categories)]}",
            f"    quad: {rng.choice(quads)}",
            f"    title: 'Synthetic {lane} event {index} in {year}'",
            f"    summary: 'A made-up event number {index}.'",
            "    sources:",
            f"      - id: {'src-one' if index % 2 else 'src-two'}",
            f"        quote: 'Event {index}.'",
        ]
    return "\n".join(lines) + "\n"


def synthetic_files(count: int = 60, seed: int = 13) -> dict[str, str | bytes]:
    periods = ["periods:"]
    periods += [_period(pid, "context", "regime", label, date) for pid, label, date in REGIMES]
    periods += [
        _period(pid, lane, "status", label, date, status=status, note=note)
        for pid, lane, status, label, date, note in STATUSES
    ]
    return {
        "sources.yaml": SOURCES,
        "hosts.yaml": HOSTS,
        "names.yaml": NAMES,
        "periods.yaml": "\n".join(periods) + "\n",
        "timeline/synthetic.yaml": events_yaml(count, seed),
    }


def write_synthetic(root: Path, count: int = 60, seed: int = 13) -> Path:
    return write_files(root, synthetic_files(count, seed))


if __name__ == "__main__":
    print(write_synthetic(Path(sys.argv[1])))
