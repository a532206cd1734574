"""Validation: every problem at once, each as path:line: field: message (expected …)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.loading import load_dataset
from pipeline.problems import DatasetError, Problem
from tests.conftest import EVENTS, DatasetWriter

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$")


def problems_of(events_dir: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(events_dir)
    return caught.value.problems


def one_event(**fields: str) -> str:
    """An events file with one event whose fields are the defaults overridden by `fields` (raw YAML)."""
    base = {
        "id": "khm-prk-1966-x",
        "dyad": "KHM-PRK",
        "date": '"1966"',
        "category": "agreements",
        "quad": "material_cooperation",
        "title": "T",
        "summary": "S",
        "sources": '\n      - id: src-one\n        quote: "q"',
    }
    base.update(fields)
    body = "".join(f"    {key}: {value}\n" for key, value in base.items() if value != "<omit>")
    return "events:\n  - " + body.lstrip()


def test_valid_dataset_loads(make_dataset: DatasetWriter) -> None:
    dataset = load_dataset(make_dataset())
    assert len(dataset.events) == 3
    assert len(dataset.periods) == 1


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"colour": "red"}, "colour", "unknown key"),
        ({"title": "<omit>"}, "title", "missing required field"),
        ({"date": '"1966-13"'}, "date", "1966-13"),
        ({"date": '"1970/1969"'}, "date", "1970/1969"),
        ({"date": '"1949"'}, "date", "1950"),
        ({"date": '"2031"'}, "date", "after"),
        ({"dyad": "KHM-JPN"}, "dyad", "unknown value 'KHM-JPN'"),
        ({"category": "gossip"}, "category", "unknown value 'gossip'"),
        ({"quad": "friendly"}, "quad", "unknown value 'friendly'"),
        ({"sources": '\n      - id: nowhere\n        quote: "q"'}, "sources[0].id", "unknown source"),
        ({"sources": '\n      - id: src-one\n        quote: ""'}, "sources[0].quote", "empty"),
        ({"sources": "[]"}, "sources", "empty list"),
        ({"actors": "[Kim Il-sung]"}, "actors[0]", "Kim Il Sung"),
        ({"actors": "[Nobody Known]"}, "actors[0]", "unknown name"),
        ({"related": "[no-such-event]"}, "related[0]", "unknown event id"),
        ({"id": "Bad Id!"}, "id", "invalid id"),
        ({"title": "[a, list]"}, "title", "wrong type"),
    ],
)
def test_each_problem_is_reported_precisely(
    make_dataset: DatasetWriter, fields: dict[str, str], field: str, fragment: str
) -> None:
    events_dir = make_dataset({"timeline/bad.yaml": one_event(**fields)})
    problems = problems_of(events_dir)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.path.endswith("events/timeline/bad.yaml")
    assert problem.field == field
    assert fragment.lower() in str(problem).lower()
    text = (events_dir / "timeline/bad.yaml").read_text().splitlines()
    assert 1 <= problem.line <= len(text)
    key = field.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    if key in fields and fields[key] != "<omit>":
        assert key in text[problem.line - 1] or "id:" in text[problem.line - 1] or "quote" in text[problem.line - 1]
    assert LINE.match(str(problem)), str(problem)


def test_duplicate_ids_are_reported_at_the_second_occurrence(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"timeline/copy.yaml": EVENTS})
    problems = problems_of(events_dir)
    assert {p.field for p in problems} == {"id"}
    assert len(problems) == 3
    assert all("duplicate" in p.message for p in problems)


def test_source_without_url_and_with_bad_url(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset(
        {
            "more-sources.yaml": """\
        sources:
          - id: no-url
            title: T
            publisher: P
            kind: archive
          - id: bad-url
            title: T
            publisher: P
            url: javascript:alert(1)
            kind: archive
        """
        }
    )
    problems = problems_of(events_dir)
    assert [(p.line, p.field) for p in problems] == [(2, "url"), (9, "url")]


def test_ten_planted_problems_give_ten_lines(make_dataset: DatasetWriter) -> None:
    broken = """\
        events:
          - id: khm-prk-1966-a
            dyad: KHM-PRK
            date: "1966-13"
            category: agreements
            quad: neutral
            title: A
            summary: S
            sources: [{id: src-one, quote: "q"}]
          - id: khm-prk-1966-b
            dyad: KHM-XXX
            date: "1966"
            category: gossip
            quad: neutral
            title: B
            summary: S
            sources: [{id: src-zzz, quote: "q"}]
          - id: khm-prk-1966-c
            dyad: KHM-PRK
            date: "2099"
            category: agreements
            quad: hostile
            summary: S
            colour: red
            sources: [{id: src-one, quote: ""}]
            related: [khm-prk-1900-none]
        """
    problems = problems_of(make_dataset({"timeline/broken.yaml": broken}))
    assert len(problems) == 10, "\n".join(map(str, problems))
    assert sorted(p.line for p in problems) == [4, 11, 13, 17, 18, 20, 22, 24, 25, 26]
    assert all(p.path.endswith("timeline/broken.yaml") for p in problems)


def test_problems_from_several_files_come_together(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"a.yaml": "events: [\n", "b.yaml": "names: {}\n", "c.yaml": "stuff: []\n"})
    problems = problems_of(events_dir)
    assert {Path(p.path).name for p in problems} == {"a.yaml", "b.yaml", "c.yaml"}


def test_period_rules(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset(
        {
            "periods.yaml": """\
        periods:
          - id: p-one
            lane: KHM-KOR
            kind: regime
            label: L
            date: "1970/1975"
            sources: [{id: src-one, quote: "q"}]
          - id: p-two
            lane: KHM-KOR
            kind: status
            label: L
            date: "1970/1975"
            sources: [{id: src-one, quote: "q"}]
        """
        }
    )
    problems = problems_of(events_dir)
    assert [(p.line, p.field) for p in problems] == [(3, "lane"), (8, "status")]
