"""Validation: every problem at once, each as path:line: field: message (expected …)."""

from __future__ import annotations

import re
from datetime import date
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
            kind: archival_document
            access: original
            language: en
          - id: bad-url
            title: T
            publisher: P
            url: javascript:alert(1)
            kind: archival_document
            access: original
            language: en
        """
        }
    )
    problems = problems_of(events_dir)
    assert [(p.line, p.field) for p in problems] == [(2, "url"), (11, "url")]


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


def test_duplicate_ids_name_both_lines(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"timeline/copy.yaml": EVENTS})
    problems = problems_of(events_dir)
    original = (events_dir / "timeline/events.yaml").read_text().splitlines()
    first_lines = [i for i, text in enumerate(original, start=1) if text.startswith("  - id: ")]
    # Files are read in path order: copy.yaml comes first, so events.yaml holds the duplicates.
    assert [(Path(p.path).name, p.line, p.field) for p in problems] == [
        ("events.yaml", line, "id") for line in first_lines
    ]
    for problem, line in zip(problems, first_lines, strict=True):
        assert problem.message.endswith(f"(first at {problem.path.replace('events.yaml', 'copy.yaml')}:{line})")
        assert problem.expected == "a unique event id"


def test_duplicate_source_and_period_ids(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"more.yaml": """\
        sources:
          - {id: src-one, title: T, publisher: P, url: "https://example.org/x", kind: archival_document,
             access: original, language: en}
        periods:
          - {id: khm-kor-status-1997, lane: KHM-KOR, kind: status, status: restored, label: L,
             date: "1998", sources: [{id: src-one, quote: q}]}
        """})  # fmt: skip
    problems = problems_of(events_dir)
    # more.yaml is read before periods.yaml and sources.yaml: the shipped-style files hold the duplicates.
    assert sorted((Path(p.path).name, p.line, p.field, p.message.split(" (")[0]) for p in problems) == [
        ("periods.yaml", 2, "id", "duplicate period id 'khm-kor-status-1997'"),
        ("sources.yaml", 2, "id", "duplicate source id 'src-one'"),
    ]
    assert all("(first at " in p.message and "more.yaml:" in p.message for p in problems), problems


def test_aliases_that_clash(make_dataset: DatasetWriter) -> None:
    names = """\
        names:
          - {name: Kim Il Sung, kind: person, aliases: [Kim Il-sung, Seoul]}
          - {name: Norodom Sihanouk, kind: person, aliases: [Sihanouk, KIM IL-SUNG]}
          - {name: Phnom Penh, kind: place, aliases: []}
          - {name: Seoul, kind: place, aliases: []}
          - {name: Phnom Penh, kind: place}
        """
    problems = problems_of(make_dataset({"names.yaml": names}))
    assert [(p.line, p.field, p.message.split(" (")[0]) for p in problems] == [
        (2, "aliases[1]", "alias 'Seoul' is"),
        (3, "aliases[1]", "alias 'KIM IL-SUNG' is"),
        (6, "name", "duplicate name 'Phnom Penh'"),
    ]
    assert "the canonical name 'Seoul'" in problems[0].message
    assert "an alias of 'Kim Il Sung'" in problems[1].message
    assert problems[2].message.endswith("(first at " + problems[2].path + ":4)")


def test_a_record_with_a_bad_field_still_has_its_references_checked(make_dataset: DatasetWriter) -> None:
    events = one_event(category="gossip", sources='\n      - id: nowhere\n        quote: "q"',
                       actors="[Nobody]", related="[khm-prk-1966-x, no-such]", date='"1949"')  # fmt: skip
    problems = problems_of(make_dataset({"timeline/bad.yaml": events}))
    assert sorted((p.field, p.message.split(" (")[0]) for p in problems) == sorted([
        ("category", "unknown value 'gossip'"),
        ("sources[0].id", "unknown source 'nowhere'"),
        ("actors[0]", "unknown name 'Nobody'"),
        ("related[0]", "an event cannot relate to itself"),
        ("related[1]", "unknown event id 'no-such'"),
        ("date", "'1949' starts in 1949, before 1950"),
    ])  # fmt: skip
    by_field = {p.field: p for p in problems}
    assert by_field["date"].expected == "a date between 1950 and " + date.today().isoformat()


def test_source_dates_are_checked(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"more.yaml": """\
        sources:
          - {id: src-three, title: T, publisher: P, url: "https://example.org/3", kind: archival_document,
             access: original, language: en, published: "2020-13"}
          - {id: src-four, title: T, publisher: P, url: "https://example.org/4", kind: archival_document,
             access: original, language: en, original_date: "x"}
        """})  # fmt: skip
    problems = problems_of(events_dir)
    assert [(p.line, p.field) for p in problems] == [(3, "published"), (5, "original_date")]


@pytest.mark.parametrize(
    ("value", "message", "expected"),
    [
        ("{a: b}", "wrong type: got dict", "text"),
        ("~", "wrong type: got nothing (null)", "text"),
        ('"' + "x" * 301 + '"', "text is 301 characters long", "at most 300"),
        ('"  "', "empty text", "non-empty text"),
    ],
)
def test_shape_messages(make_dataset: DatasetWriter, value: str, message: str, expected: str) -> None:
    problems = problems_of(make_dataset({"timeline/bad.yaml": one_event(title=value)}))
    assert [(p.field, p.message, p.expected) for p in problems] == [("title", message, expected)]


def test_pattern_messages_come_from_the_schema(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"more.yaml": """\
        sources:
          - {id: Bad_Id, title: T, publisher: P, url: "ftp://e.org", kind: archival_document, access: original,
             language: khm}
        hosts:
          - {host: "Not A Host", role: original}
        """})  # fmt: skip
    problems = problems_of(events_dir)
    assert sorted((p.field, p.message, p.expected) for p in problems) == sorted([
        ("id", "invalid id: 'Bad_Id'", "lower-case letters, digits and single '-' between them"),
        ("url", "not an http(s) URL: 'ftp://e.org'", "a URL starting with http:// or https://"),
        ("language", "invalid language code: 'khm'", "a two-letter ISO 639-1 code such as km"),
        ("host", "invalid host name: 'Not A Host'", "a lower-case host name such as example.org"),
    ])  # fmt: skip
