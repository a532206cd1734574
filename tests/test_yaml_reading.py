"""One reading path: the fast reader (yaml-rs) and the precise reader (libyaml events) agree on
every document they both read, scalars stay the text written, and every refusal has its line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.loading import load_dataset
from pipeline.problems import DatasetError, Problem
from pipeline.yamlio import fast_read, precise_read, read_string
from tests.conftest import EVENTS, DatasetWriter, examples

# ---------------------------------------------------------------- generated documents

PLAIN_SCALARS = [
    "x", "Hun Sen", "1964", "1997-10-30", "0x1F", "1e3", ".inf", "-.inf", ".nan", "true", "False", "yes", "on",
    "~", "null", "Null", "NULL", "nULL", "1_000", "+12", "0o17", "012", "2024-05?", "1975~", "a: b", "a #b",
    "2001-12-14t21:59:43.10-05:00", "=1+1", "é한", "@x", "%x", "`x",
]  # fmt: skip
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


scalars = st.one_of(
    st.sampled_from(PLAIN_SCALARS),
    TEXT.map(_quoted),
    TEXT.map(_double),
    st.sampled_from(['"\\e"', '"\\0"', '"\\a"', '"\\u202e"', '"\\x41"', '"\\N"', '"\\L"', "!!str 1", "!x y", "&a b",
                     "*a", "! z", "''", '""']),
)  # fmt: skip
keys = st.one_of(st.sampled_from(["id", "title", "date", "a", "~", "null", "1", "true", "'k'", '"k"', "? x"]), scalars)


def block(depth: int) -> st.SearchStrategy[str]:
    """A YAML value written in block or flow style, as text indented for `depth`."""
    pad = "  " * depth
    leaf = scalars.map(lambda s: " " + s)
    if depth >= 3:
        return leaf
    mapping = st.lists(st.tuples(keys, st.deferred(lambda: block(depth + 1))), min_size=1, max_size=3).map(
        lambda items: "".join(f"\n{pad}{k}:{v}" for k, v in items)
    )
    sequence = st.lists(st.deferred(lambda: block(depth + 1)), min_size=1, max_size=3).map(
        lambda items: "".join(f"\n{pad}-{v}" for v in items)
    )
    flow = st.lists(scalars, max_size=3).map(lambda items: " [" + ", ".join(items) + "]")
    return st.one_of(leaf, mapping, sequence, flow)


@st.composite
def documents(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.tuples(keys, block(1)), min_size=1, max_size=4))
    text = "".join(f"{k}:{v}\n" for k, v in body)
    # Sometimes break it: comments, markers, tabs, stray characters, a second document.
    if draw(st.booleans()):
        lines = text.split("\n")
        where = draw(st.integers(0, len(lines) - 1))
        extra = draw(
            st.sampled_from(
                [
                    "# c",
                    "---",
                    "...",
                    "%YAML 1.2",
                    "\t",
                    "  x: [",
                    "}",
                    "- y",
                    "a: b: c",
                    "k: !!python/object x",
                    "k: # c",
                    "  !tag",
                    "\u2028",
                    "x: 'a\nb'",
                ]
            )
        )
        lines.insert(where, extra)
        text = "\n".join(lines)
    for _ in range(draw(st.integers(0, 3))):  # stray YAML-significant characters anywhere
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(st.sampled_from(list(":- \t#'\"[]{},?|>\n%@`"))) + text[where:]
    return text


@settings(
    max_examples=examples(int(os.environ.get("YAML_EXAMPLES", "400"))),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(documents())
def test_fast_and_precise_readers_agree(text: str) -> None:
    accepted, fast = fast_read(text)
    precise = precise_read(text, "doc.yaml")
    if accepted:
        assert precise.problems == [], text
        assert precise.data == fast, text
        assert _types(precise.data) == _types(fast)
    combined = read_string(text, "doc.yaml")
    assert combined.problems == precise.problems
    assert combined.data == precise.data


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


VALID_PLAIN = [value for value in PLAIN_SCALARS if value[0] not in "@%`" and ": " not in value]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(VALID_PLAIN)), max_size=6))
def test_every_scalar_is_text_or_null(pairs: list[tuple[str, str]]) -> None:
    text = "".join(f"k{index}: {value}\n" for index, (_, value) in enumerate(pairs))
    result = read_string(text, "doc.yaml")
    assert not result.problems, result.problems
    for index, (_, value) in enumerate(pairs):
        read = (result.data or {})[f"k{index}"]
        if value in ("~", "null", "Null", "NULL"):
            assert read is None
        elif ": " not in value and " #" not in value:
            assert read == value  # 0x1F, 1e3, .inf, true, 1997-10-30 stay the text written


# ---------------------------------------------------------------- refusals, at their lines


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: # a comment\n  !!python/object:os.system x\n", 3, "tag"),
        ("a: 1\nb: !local x\n", 2, "tag"),
        ("a: 1\nb: &x y\nc: *x\n", 2, "anchors"),
        ('a: 1\nb: "\\0"\n', 2, "U+0000"),
        ('a: 1\nb: "\\e[31m"\n', 2, "U+001B"),
        ('a: 1\nb: "\\a"\n', 2, "U+0007"),
        ('a: 1\nb: "\\u202e"\n', 2, "RIGHT-TO-LEFT OVERRIDE"),
        ("a: 1\n---\nb: 2\n", 2, "second YAML document"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key"),
        ("a: 1\n~: 2\n", 2, "not text"),
        ("a: 1\n[x]: 2\n", 2, "not text"),
    ],
)
def test_refusals_name_their_line(text: str, line: int, fragment: str) -> None:
    result = read_string(text, "doc.yaml")
    assert result.data is None
    assert [p.line for p in result.problems] == [line], result.problems
    assert fragment.lower() in str(result.problems[0]).lower()


def test_a_line_separator_does_not_shift_later_lines(make_dataset: DatasetWriter) -> None:
    events = EVENTS.replace("summary: Relations resume.", "summary: Relations\u2028resume.")
    problems = _problems(make_dataset({"timeline/events.yaml": events}))
    line = next(i for i, text in enumerate(events.split("\n"), start=1) if "\u2028" in text)
    assert [(p.line, p.field) for p in problems] == [(line, "(file)")]
    assert "U+2028" in problems[0].message


def _problems(events_dir: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(events_dir)
    return caught.value.problems


def test_unquoted_dates_and_one_typo_give_one_problem_at_its_line(make_dataset: DatasetWriter) -> None:
    # events/README.md writes dates unquoted; a typo elsewhere must not make the file vanish.
    events = EVENTS.replace('date: "1965"', "date: 1965-05-01").replace(
        "category: multilateral", "category: multilaterl"
    )
    problems = _problems(make_dataset({"timeline/events.yaml": events}))
    line = next(i for i, text in enumerate(events.splitlines(), start=1) if "multilaterl" in text)
    assert [(p.line, p.field) for p in problems] == [(line, "category")], problems


def test_cross_record_problems_in_a_file_with_unquoted_dates_have_their_lines(make_dataset: DatasetWriter) -> None:
    events = EVENTS.replace("related: [khm-prk-1965-visit]", "related: [no-such-event]")
    problems = _problems(make_dataset({"timeline/events.yaml": events}))
    line = next(i for i, text in enumerate(events.splitlines(), start=1) if "no-such-event" in text)
    assert [(p.line, p.field) for p in problems] == [(line, "related[0]")]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("~", "got nothing (null)"), ("", "got nothing (null)"), ("null", "got nothing (null)")],
)
def test_a_null_title_is_an_expected_text_error(make_dataset: DatasetWriter, value: str, fragment: str) -> None:
    events = EVENTS.replace("title: Ties restored", f"title: {value}")
    problems = _problems(make_dataset({"timeline/events.yaml": events}))
    assert [(p.field, p.expected) for p in problems] == [("title", "text")]
    assert fragment in problems[0].message


@pytest.mark.parametrize("value", ["0x1F", "1e3", ".inf", "true", "1_000"])
def test_number_like_text_stays_the_text_written(make_dataset: DatasetWriter, value: str) -> None:
    events = EVENTS.replace("title: Ties restored", f"title: {value}")
    dataset = load_dataset(make_dataset({"timeline/events.yaml": events}))
    assert dataset.events.set_index("id").loc["khm-kor-1997-10-30-ties", "title"] == value


@pytest.mark.parametrize("year", ["0x7B2", "1_965", "1965.0", "+1965"])
def test_a_number_written_another_way_is_not_a_year(make_dataset: DatasetWriter, year: str) -> None:
    events = EVENTS.replace('date: "1965"', f"date: {year}")
    problems = _problems(make_dataset({"timeline/events.yaml": events}))
    assert [p.field for p in problems] == ["date"]
    assert year in problems[0].message
