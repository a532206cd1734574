"""A small versioned dataset for version, citation and package tests: two releases, fixed dates."""

from __future__ import annotations

from pathlib import Path

from pipeline.cli import main as cli
from tests.conftest import EVENTS, VALID_FILES, write_files

NEW_EVENT = """\
  - id: khm-prk-2016-05-visit
    dyad: KHM-PRK
    date: 2016-05
    category: visits_meetings
    quad: verbal_cooperation
    title: "A delegation visits Phnom Penh; talks on {trade} & 100% of aid"
    summary: A test event added in the second release.
    actors: [Kim Il Sung]
    sources:
      - id: src-one
        quote: "In May 2016 a delegation came."
      - id: src-two
        quote: "Talks; more talks."
"""


def write_versioned(root: Path) -> Path:
    """Release 1.0.0 of the shared fixture, then 1.1.0 adding one event and correcting another."""
    events_dir = write_files(root, dict(VALID_FILES))
    assert (
        cli(
            [
                "release",
                "--events",
                str(events_dir),
                "--version",
                "1.0.0",
                "--date",
                "2026-01-15",
                "--summary",
                "First release.",
            ]
        )
        == 0
    )
    changed = EVENTS.replace("summary: Relations resume.", "summary: Relations resume after 22 years.")
    (events_dir / "timeline" / "events.yaml").write_text(changed + NEW_EVENT, encoding="utf-8")
    assert (
        cli(
            [
                "release",
                "--events",
                str(events_dir),
                "--bump",
                "minor",
                "--date",
                "2026-11-15",
                "--summary",
                "One new event; one summary corrected.",
                "--why",
                "khm-kor-1997-10-30-ties=the summary now says how long relations were severed",
            ]
        )
        == 0
    )
    return events_dir
