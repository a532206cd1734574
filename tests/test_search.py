"""Name-aware search: any spelling or script of a name finds the same events, words match whole
words or word prefixes, phrases match as phrases, and nothing raises on arbitrary text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.filters import filter_events, make_filter
from pipeline.loading import Dataset, load_dataset
from pipeline.query import parse_query
from pipeline.search import explain_match, explain_rows, name_forms, normalize, parse_search, searchable_fields
from tests.conftest import HOSTS, SOURCES, run_cli, write_files

NAMES = """\
names:
  - name: Kim Il Sung
    kind: person
    aliases: [Kim Il-sung, Gim Il-seong]
    hangul: 김일성
    hanja: 金日成
  - name: Kim Jong Il
    kind: person
    aliases: [Kim Jong-il]
    hangul: 김정일
  - name: Kim Jong Un
    kind: person
    aliases: [Kim Jong-un]
    hangul: 김정은
  - name: Hun Sen
    kind: person
    aliases: [Samdech Hun Sen]
    khmer: ហ៊ុន សែន
    hangul: 훈센
  - name: Hun Manet
    kind: person
    khmer: ហ៊ុន ម៉ាណែត
    hangul: 훈 마넷
  - name: Norodom Sihanouk
    kind: person
    aliases: [Sihanouk, Prince Sihanouk]
    hangul: 시아누크
  - name: Phnom Penh
    kind: place
    khmer: ភ្នំពេញ
"""


def event(
    event_id: str,
    title: str,
    summary: str,
    *,
    actors: str = "[]",
    category: str = "visits_meetings",
    quote: str = "q",
    note: str | None = None,
) -> str:
    text = f"""\
  - id: {event_id}
    dyad: KHM-PRK
    date: "2000"
    category: {category}
    quad: neutral
    title: {title!r}
    summary: {summary!r}
    actors: {actors}
    sources:
      - id: src-one
        quote: {quote!r}
"""
    return text + (f"    note: {note!r}\n" if note else "")


EVENTS = "events:\n" + "".join(
    [
        event(
            "khm-prk-2000-kis", "Sihanouk meets the Great Leader", "A visit.", actors="[Norodom Sihanouk, Kim Il Sung]"
        ),
        event("khm-prk-2000-kis-text", "Condolences", "Cambodia mourns Kim Il-sung.", quote="김일성은 사망했다"),
        event("khm-prk-2000-kji", "Kim Jong Il receives an envoy", "Talks.", actors="[Kim Jong Il]"),
        event("khm-prk-2000-kju", "Message to the new leader", "Cambodia writes.", actors="[Kim Jong Un]"),
        event("khm-prk-2000-hs", "Hun Sen speaks", "A speech.", actors="[Hun Sen]"),
        event("khm-prk-2000-hm", "Hun Manet visits", "A trip.", actors="[Hun Manet]"),
        event(
            "khm-prk-2000-un",
            "Council acts",
            "The UN Security Council resolution passes.",
            category="security_sanctions",
        ),
        event(
            "khm-prk-2000-restaurant",
            "Restaurants close",
            "Pyongyang restaurants in Phnom Penh shut.",
            note="Two of them reopened.",
        ),
    ]
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    root = tmp_path_factory.mktemp("search") / "events"
    return load_dataset(
        write_files(
            root, {"sources.yaml": SOURCES, "hosts.yaml": HOSTS, "names.yaml": NAMES, "timeline/events.yaml": EVENTS}
        )
    )


def found(dataset: Dataset, text: str) -> set[str]:
    return set(filter_events(dataset.events, make_filter(search=text, names=dataset.names))["id"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kim Il Sung", {"khm-prk-2000-kis", "khm-prk-2000-kis-text"}),
        ("Kim Jong Un", {"khm-prk-2000-kju"}),  # never the Kim Jong Il event
        ("Kim Jong Il", {"khm-prk-2000-kji"}),
        ("Hun Sen", {"khm-prk-2000-hs"}),  # never Hun Manet
        ("sanctions", {"khm-prk-2000-un"}),  # the category label "Security and sanctions"
        ("resolution", {"khm-prk-2000-un"}),
        ("restaur", {"khm-prk-2000-restaurant"}),  # a word prefix
        ("estaurant", set()),  # not the middle of a word
        ('"restaurants in phnom"', {"khm-prk-2000-restaurant"}),
        ('"in restaurants"', set()),
        ("reopened", {"khm-prk-2000-restaurant"}),  # notes are searched
        ("sihanouk leader", {"khm-prk-2000-kis"}),  # every word required
        ("sihanouk envoy", set()),
    ],
)
def test_search_matches_names_words_and_phrases(dataset: Dataset, query: str, expected: set[str]) -> None:
    assert found(dataset, query) == expected


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        (
            "Kim Il Sung",
            ["Kim Il-sung", "kim il sung", "KIM IL-SUNG", "Gim Il-seong", "김일성", "金日成", "Kim  Il‐Sung"],
        ),
        ("Hun Sen", ["ហ៊ុន សែន", "훈센", "Samdech Hun Sen", "hun-sen"]),
        ("Kim Jong Un", ["Kim Jong-un", "김정은"]),
        ("Norodom Sihanouk", ["Sihanouk", "시아누크", "Prince Sihanouk"]),
    ],
)
def test_every_form_of_a_name_finds_the_same_events(dataset: Dataset, name: str, forms: list[str]) -> None:
    expected = found(dataset, name)
    assert expected
    for form in forms:
        assert found(dataset, form) == expected, form


def test_hangul_name_matches_inside_a_word_with_a_particle(dataset: Dataset) -> None:
    # 김일성은: the name with the topic particle, as Korean text writes it.
    assert "khm-prk-2000-kis-text" in found(dataset, "김일성")


def test_query_terms_recognise_names_in_any_script(dataset: Dataset) -> None:
    query = parse_search('김일성 "pyongyang restaurants" sanctions', dataset.names)
    assert [(t.canonical, t.phrase, t.text) for t in query.terms] == [
        (None, True, "pyongyang restaurants"),
        ("Kim Il Sung", False, "김일성"),
        (None, False, "sanctions"),
    ]


def test_explanations_say_why_a_row_matched(dataset: Dataset) -> None:
    query = parse_search("Kim Il Sung resolution", dataset.names)
    fields = searchable_fields(
        title="T",
        summary="The resolution passes",
        note="",
        quotes=[],
        category_label="Security and sanctions",
        quad_label="Neutral",
    )
    text = explain_match(query, fields=fields, actors=["Kim Il Sung"], places=[], name_texts={})
    assert text == "actor Kim Il Sung; word “resolution” in summary"


def test_normalize_keeps_hangul_and_khmer_and_drops_latin_accents() -> None:
    assert normalize("Nörodom  Sihanóuk") == "norodom sihanouk"
    assert normalize("김일성") == "김일성"
    assert normalize("ហ៊ុន សែន") == "ហ៊ុន សែន"
    assert normalize("Kim Il\u200b-sung") == "kim il sung"  # zero-width space dropped


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_search_never_raises_on_arbitrary_text(text: str) -> None:
    dataset = _DATASET_FOR_PROPERTIES[0]
    make_filter(search=text[:200], names=dataset.names)
    filter_events(dataset.events, make_filter(search=text[:200], names=dataset.names))


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["Kim Il Sung", "Kim Jong Il", "Kim Jong Un", "Hun Sen", "Hun Manet", "Norodom Sihanouk"]),
    st.data(),
)
def test_property_every_alias_gives_the_canonical_result(name: str, data: st.DataObject) -> None:
    dataset = _DATASET_FOR_PROPERTIES[0]
    form = data.draw(st.sampled_from(name_forms(dataset.names[name])))
    styled = data.draw(st.sampled_from([form, form.upper(), form.replace(" ", "-"), f"  {form} "]))
    assert found(dataset, styled) == found(dataset, name)


_DATASET_FOR_PROPERTIES: list[Dataset] = []


@pytest.fixture(autouse=True)
def _share_dataset(dataset: Dataset) -> None:
    if not _DATASET_FOR_PROPERTIES:
        _DATASET_FOR_PROPERTIES.append(dataset)


def test_a_place_named_as_actor_in_a_link_gives_a_notice(dataset: Dataset) -> None:
    state, notices = parse_query(
        {"actor": ["Phnom Penh,Hun Sen"]}, dataset.names, dataset.event_ids, first_year=1964, last_year=2026
    )
    assert state.flt.actors == ("Hun Sen",)
    assert notices == ["Ignored link parameter “actor”: Phnom Penh is a place, not an actor (search for it instead)."]


def test_the_table_explains_each_match(dataset: Dataset) -> None:
    flt = make_filter(search="김일성 mourns", names=dataset.names)
    shown = filter_events(dataset.events, flt)
    reasons = explain_rows(shown, flt.query, dataset.names)
    assert reasons.tolist() == ["name Kim Il Sung in summary, quotes; word “mourns” in summary"]


def test_cli_finds_the_same_events_for_every_script(dataset: Dataset, tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "events",
        {"sources.yaml": SOURCES, "hosts.yaml": HOSTS, "names.yaml": NAMES, "timeline/events.yaml": EVENTS},
    )
    results = []
    for query in ("김일성", "Kim Il Sung", "Kim Il-sung"):
        out = run_cli("export", "--format", "json", "--search", query, "--events", str(root))
        assert out.returncode == 0, out.stderr
        results.append(sorted(record["id"] for record in json.loads(out.stdout)))
    assert results[0] == results[1] == results[2] == ["khm-prk-2000-kis", "khm-prk-2000-kis-text"]
