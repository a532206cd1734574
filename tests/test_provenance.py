"""Provenance rules: hosts as data, access vs host role, originals behind every event, translations."""

from __future__ import annotations

import json

import pytest

from figures.timeline import TimelineOptions, timeline_figure
from pipeline.filters import describe_filter, filter_events, filter_slug, make_filter
from pipeline.loading import Dataset, load_dataset
from pipeline.provenance import host_of, is_original, matching_host, source_provenance_line
from pipeline.query import parse_query, to_query
from pipeline.schema import HostRecord, SourceRecord
from tests.conftest import DatasetWriter, run_cli
from tests.test_validate import problems_of


def source_file(**fields: str) -> str:
    """A sources file with one source (raw YAML values) cited by one event of its own."""
    base = {
        "id": "src-x",
        "title": "T",
        "publisher": "P",
        "url": "https://example.org/x",
        "kind": "news_report",
        "access": "original",
        "language": "en",
    }
    base.update(fields)
    body = "".join(f"    {key}: {value}\n" for key, value in base.items() if value != "<omit>")
    return "sources:\n  - " + body.lstrip()


def citing_event(quote: str = '"q"', *, extra: str = "", translation: str | None = None) -> str:
    lines = [
        "events:",
        "  - id: khm-prk-1966-x",
        "    dyad: KHM-PRK",
        '    date: "1966"',
        "    category: agreements",
        "    quad: neutral",
        "    title: T",
        "    summary: S",
        "    sources:",
        "      - id: src-x",
        f"        quote: {quote}",
    ]
    if translation is not None:
        lines.append(f"        translation: {translation}")
    lines += [line for line in extra.splitlines() if line]
    return "\n".join(lines) + "\n"


HOSTS = {"example.org": "original", "news.example.org": "repost", "example.net": "weak"}


def hosts() -> dict[str, HostRecord]:
    return {host: HostRecord(host=host, role=role) for host, role in HOSTS.items()}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "example.org"),
        ("https://www.example.org/a", "example.org"),
        ("https://news.example.org/a", "news.example.org"),  # the longest match wins
        ("https://a.news.example.org/a", "news.example.org"),
        ("https://EXAMPLE.ORG./a", "example.org"),
        ("https://notexample.org/a", None),  # a suffix of the text, not of the labels
        ("https://org/a", None),
    ],
)
def test_matching_host_prefers_the_most_specific_entry(url: str, expected: str | None) -> None:
    entry = matching_host(url, hosts())
    assert (entry.host if entry else None) == expected


def test_host_of_is_lower_case_without_port_or_credentials() -> None:
    assert host_of("https://user:pw@Sub.Example.ORG:8443/x?y#z") == "sub.example.org"
    assert host_of("not a url") == ""


def test_is_original_needs_both_original_access_and_an_original_host() -> None:
    def source(url: str, access: str) -> SourceRecord:
        return SourceRecord(
            id="s",
            title="T",
            publisher="P",
            url=url,
            kind="news_report",
            access=access,  # type: ignore[arg-type]
            language="en",
            original_publisher="O",
            original_title="T",
            original_date="2000",
        )

    assert is_original(source("https://example.org/a", "original"), hosts())
    assert not is_original(source("https://news.example.org/a", "repost"), hosts())
    assert not is_original(source("https://news.example.org/a", "original"), hosts())
    assert not is_original(source("https://unlisted.example.com/a", "original"), hosts())


@pytest.mark.parametrize(
    ("fields", "line", "field", "fragment"),
    [
        ({"url": "https://blog.example.com/post"}, 5, "url", "weak host (a personal blog)"),
        ({"url": "https://unknown.example.info/x"}, 5, "url", "not in events/hosts.yaml"),
        (
            {
                "url": "https://reposts.example.net/x",
                "original_publisher": "O",
                "original_title": "T",
                "original_date": '"2001"',
            },
            7,
            "access",
            "contradicts 'reposts.example.net', a repost host",
        ),
        ({"access": "repost", "url": "https://reposts.example.net/x"}, 2, "(record)", "missing original_publisher"),
        (
            {
                "access": "mirror",
                "url": "https://example.org/x",
                "original_publisher": "O",
                "original_title": "T",
                "original_date": '"2001"',
            },
            7,
            "access",
            "contradicts 'example.org', a original host",
        ),
        ({"archived_url": "https://example.org/copy"}, 9, "archived_url", "original host"),
        ({"original_url": "https://blog.example.com/x"}, 9, "original_url", "weak host"),
        ({"language": "xx"}, 8, "language", "unknown language code 'xx'"),
        ({"language": "english"}, 8, "language", "invalid language code: 'english'"),
        ({"kind": "blog"}, 6, "kind", "unknown value 'blog'"),
        ({"access": "<omit>"}, 2, "access", "missing required field"),
    ],
)
def test_each_source_rule_gives_a_precise_line(
    make_dataset: DatasetWriter, fields: dict[str, str], line: int, field: str, fragment: str
) -> None:
    events_dir = make_dataset({"extra/src.yaml": source_file(**fields), "extra/event.yaml": citing_event()})
    problems = [p for p in problems_of(events_dir) if p.path.endswith("extra/src.yaml")]
    assert [(p.line, p.field) for p in problems] == [(line, field)], problems
    assert fragment in problems[0].message


def test_an_event_without_an_original_needs_a_provenance_note(make_dataset: DatasetWriter) -> None:
    repost = source_file(
        access="repost",
        url="https://reposts.example.net/x",
        original_publisher="Wire",
        original_title="Story",
        original_date='"2001"',
    )
    problems = problems_of(make_dataset({"extra/src.yaml": repost, "extra/event.yaml": citing_event()}))
    assert [(p.path.split("/")[-1], p.line, p.field) for p in problems] == [("event.yaml", 9, "sources")]
    assert "no source is an original publisher's own page" in problems[0].message

    noted = citing_event(extra="    provenance_note: Only the repost survives; searched the wire's archive.")
    dataset = load_dataset(make_dataset({"extra/src.yaml": repost, "extra/event.yaml": noted}))
    assert "khm-prk-1966-x" in set(dataset.events["id"])


def test_a_reference_work_alone_is_not_an_original(make_dataset: DatasetWriter) -> None:
    reference = source_file(url="https://wiki.example.com/Page", kind="reference_work")
    problems = problems_of(make_dataset({"extra/src.yaml": reference, "extra/event.yaml": citing_event()}))
    assert [p.field for p in problems] == ["sources"]


def test_non_english_quotes_need_a_translation(make_dataset: DatasetWriter) -> None:
    korean = source_file(language="ko")
    problems = problems_of(make_dataset({"extra/src.yaml": korean, "extra/event.yaml": citing_event('"북한"')}))
    assert [(p.line, p.field) for p in problems] == [(10, "sources[0]")]
    assert "'ko' source has no translation" in problems[0].message
    translated = citing_event('"북한"', translation='"North Korea"')
    dataset = load_dataset(make_dataset({"extra/src.yaml": korean, "extra/event.yaml": translated}))
    assert "khm-prk-1966-x" in set(dataset.events["id"])


def test_a_quote_with_an_ellipsis_is_refused(make_dataset: DatasetWriter) -> None:
    problems = problems_of(
        make_dataset({"extra/src.yaml": source_file(), "extra/event.yaml": citing_event('"first part … second part"')})
    )
    assert [(p.line, p.field) for p in problems] == [(11, "sources[0].quote")]


def test_a_host_listed_twice_is_reported_at_the_second(make_dataset: DatasetWriter) -> None:
    problems = problems_of(make_dataset({"more-hosts.yaml": "hosts:\n  - {host: example.org, role: weak}\n"}))
    assert [(p.path.split("/")[-1], p.line, p.field) for p in problems] == [("more-hosts.yaml", 2, "host")]
    assert "duplicate host 'example.org'" in problems[0].message


REPOST_SOURCE = source_file(
    id="src-repost",
    access="repost",
    url="https://reposts.example.net/x",
    original_publisher="Wire Agency",
    original_title='"Wire story"',
    original_date='"2001-02-03"',
    language="ko",
    archived_url="https://web.archive.org/web/x",
)
REPOST_EVENT = """\
events:
  - id: khm-prk-2001-repost-only
    dyad: KHM-PRK
    date: "2001"
    category: statements
    quad: neutral
    title: Only a repost
    summary: S
    sources:
      - id: src-repost
        quote: "북한"
        translation: North Korea
    provenance_note: The agency's own archive does not reach back to 2001.
"""


@pytest.fixture
def mixed(make_dataset: DatasetWriter) -> Dataset:
    return load_dataset(make_dataset({"extra/src.yaml": REPOST_SOURCE, "extra/event.yaml": REPOST_EVENT}))


def test_the_table_carries_provenance_and_the_original_only_filter_uses_it(mixed: Dataset) -> None:
    events = mixed.events.set_index("id")
    assert not events.loc["khm-prk-2001-repost-only", "has_original"]
    assert events.loc["khm-kor-1997-10-30-ties", "has_original"]
    kept = filter_events(mixed.events, make_filter(original_only=True))
    assert "khm-prk-2001-repost-only" not in set(kept["id"])
    assert len(kept) == len(mixed.events) - 1
    source = events.loc["khm-prk-2001-repost-only", "sources"][0]
    assert (source["access"], source["language"], source["translation"]) == ("repost", "ko", "North Korea")
    expected = "news report · repost of “Wire story”, Wire Agency, 2001-02-03 · language: ko"
    assert source_provenance_line(source) == expected


def test_original_only_travels_through_the_link_the_cli_and_the_words(mixed: Dataset) -> None:
    state, notices = parse_query(
        {"sources": ["original"]}, mixed.names, mixed.event_ids, first_year=1964, last_year=2026
    )
    assert state.flt.original_only and not notices
    assert to_query(state) == {"sources": "original"}
    assert "original publishers only" in describe_filter(state.flt)
    assert "original-sources" in filter_slug(state.flt)
    _, notices = parse_query({"sources": ["blogs"]}, mixed.names, mixed.event_ids, first_year=1964, last_year=2026)
    assert notices == ["Ignored link parameter “sources”: expected “original” or “any”."]


def test_cli_original_only_drops_events_without_an_original(make_dataset: DatasetWriter) -> None:
    events_dir = make_dataset({"extra/src.yaml": REPOST_SOURCE, "extra/event.yaml": REPOST_EVENT})
    every = json.loads(run_cli("export", "--format", "json", "--events", str(events_dir)).stdout)
    result = run_cli("export", "--format", "json", "--original-only", "--events", str(events_dir))
    assert result.returncode == 0, result.stderr
    kept = json.loads(result.stdout)
    assert {r["id"] for r in every} - {r["id"] for r in kept} == {"khm-prk-2001-repost-only"}
    assert all(r["has_original"] for r in kept)


def test_hover_names_the_best_source_and_its_kind(mixed: Dataset) -> None:
    figure = timeline_figure(mixed.events, mixed.periods, TimelineOptions())
    hovers = [text for trace in figure.data for text in (trace.hovertext or ()) if text]
    repost = next(text for text in hovers if "Only a repost" in text)
    assert "Source: P (news report, repost)" in repost
    original = next(text for text in hovers if "Ties restored" in text)
    assert "Source: P" not in original and "(news report)" in original
