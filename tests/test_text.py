"""Safe text: forbidden characters, one-line messages, literal Markdown without autolinks, name keys."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.loading import load_dataset
from pipeline.problems import DatasetError, Problem
from pipeline.text import FORBIDDEN, confusable_difference, for_message, markdown_code, markdown_literal, name_key
from tests.conftest import EVENTS, NAMES, DatasetWriter

# The two patterns remark-gfm's autolink-literal applies to parsed text (Streamlit's bundle).
GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]))


def test_forbidden_covers_every_control_and_invisible_format_character() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        should = (category == "Cc" and char not in "\t\n\r") or category in ("Cf", "Zl", "Zp")
        # Beyond this Python's Unicode, only Unicode 15's new format controls (still unassigned here).
        assert bool(FORBIDDEN.fullmatch(char)) == should or (category == "Cn" and 0x13439 <= code <= 0x1343F), hex(code)


@given(ANY_TEXT)
def test_messages_are_one_line_without_controls(text: str) -> None:
    line = str(Problem(text, 3, text, text, text))
    assert "\n" not in line and "\r" not in line
    assert not FORBIDDEN.search(line)
    assert len(for_message(text)) <= 200


def _unescaped(markdown: str) -> str:
    """The text a Markdown parser sees after backslash escapes are resolved."""
    return re.sub(r"\\(.)", r"\1", markdown)


@given(st.lists(st.sampled_from(["https://evil.example/x", "http://a.b", "www.evil.example", "a@b.example",
                                 "WWW.X.ORG", "mail me: x.y+z@host.co.uk", " ", "(", "see", "HTTPS://A.B"]),
                max_size=6).map("".join) | ANY_TEXT)  # fmt: skip
def test_markdown_literal_leaves_nothing_to_autolink(text: str) -> None:
    seen = _unescaped(markdown_literal(text))
    assert not GFM_URL.search(seen), seen
    assert not GFM_EMAIL.search(seen), seen
    assert seen.replace("\u2060", "") == " ".join(text.split("\n"))  # only invisible joiners were added


def test_markdown_literal_escapes_every_active_character() -> None:
    escaped = markdown_literal("[a](javascript:x) <b> *c* `d` #e |f| ~g~ $h$ :i:")
    for char in "[]()<>*`#|~$:":
        assert f"\\{char}" in escaped


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Hun Sen", "Hun S\u0435n"),  # Cyrillic е
        ("Hun Sen", "\u041dun Sen"),  # Cyrillic Н
        ("Hun Sen", "Hun Sen"),  # fullwidth letters (NFKC)
        ("Phnom Penh", "phnom  penh"),
        ("Sihanouk", "Sih\u0430nouk"),
        ("Kim Il Sung", "Kim \u0399l Sung"),  # Greek Ι
        ("Rén", "Re\u0301n"),  # composed vs decomposed
    ],
)
def test_confusable_spellings_share_a_key(name: str, other: str) -> None:
    assert name_key(name) == name_key(other)
    assert confusable_difference(other, name)


def test_different_names_keep_different_keys() -> None:
    assert name_key("Kim Il Sung") != name_key("Kim Il-sung")
    assert name_key("Hun Sen") != name_key("Hun Manet")


def problems_of(events_dir: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(events_dir)
    return caught.value.problems


def test_a_confusable_duplicate_name_is_an_error(make_dataset: DatasetWriter) -> None:
    names = NAMES + "  - {name: Kim \u0399l Sung, kind: person}\n"
    problems = problems_of(make_dataset({"names.yaml": names}))
    assert [(p.line, p.field) for p in problems] == [(6, "name")]
    assert "confusable with 'Kim Il Sung'" in problems[0].message and "GREEK" in problems[0].message


def test_an_actor_that_only_looks_like_a_canonical_name_is_an_error(make_dataset: DatasetWriter) -> None:
    events = EVENTS.replace("actors: [Norodom Sihanouk, Kim Il Sung]", "actors: [Norodom Sihanouk, \u041aim Il Sung]")
    problems = problems_of(make_dataset({"timeline/events.yaml": events}))
    assert [p.field for p in problems] == ["actors[1]"]
    assert "looks like the canonical name 'Kim Il Sung'" in problems[0].message
    assert "CYRILLIC CAPITAL LETTER KA" in problems[0].message


@pytest.mark.parametrize(
    ("char", "where"),
    [("\u200b", "name"), ("\u202e", "summary"), ("\u2066", "quote"), ("\u00ad", "title"), ("\ufeff", "note")],
)
def test_invisible_format_characters_are_refused(make_dataset: DatasetWriter, char: str, where: str) -> None:
    replacements = {"name": ("Kim Il Sung, kind", f"Kim{char} Il Sung, kind", "names.yaml", NAMES),
                    "summary": ("Relations resume.", f"Relations {char}resume.", "timeline/events.yaml", EVENTS),
                    "quote": ("About 1975.", f"About{char} 1975.", "timeline/events.yaml", EVENTS),
                    "title": ("Ties restored", f"Ties{char} restored", "timeline/events.yaml", EVENTS),
                    "note": ("Sources differ.", f"Sources{char} differ.", "timeline/events.yaml", EVENTS)}  # fmt: skip
    old, new, file, content = replacements[where]
    changed = content.replace(old, new)
    problems = problems_of(make_dataset({file: changed}))
    line = next(i for i, text in enumerate(changed.split("\n"), start=1) if char in text)
    refused = [p for p in problems if p.field == "(file)"]
    assert [(Path(p.path).name, p.line) for p in refused] == [(Path(file).name, line)]
    assert f"U+{ord(char):04X}" in refused[0].message


@settings(deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40).filter(str.strip))
def test_code_span_shows_the_text_exactly(text: str) -> None:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt().parseInline(markdown_code(text))[0].children or []
    codes = [token for token in rendered if token.type == "code_inline"]
    assert [token.content for token in codes] == [text]


def test_edtf_in_a_code_span_has_no_escape_artefacts() -> None:
    assert markdown_code("1997-10-30") == "`1997-10-30`"
    assert markdown_code("1975~/1976?") == "`1975~/1976?`"
    assert markdown_code("a`b") == "``a`b``"


def test_message_helpers_are_exact() -> None:
    from pipeline.text import describe_char, quoted

    assert describe_char("\x1b") == "U+001B control character"
    assert describe_char("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert quoted("it's") == "'it\\'s'"
    assert quoted("a\nb") == "'a\\nb'"
    assert for_message("x" * 300) == "x" * 199 + "…"
    assert for_message("x" * 200) == "x" * 200
    assert confusable_difference("Re\u0301n", "Rén") == "they differ only in Unicode normalization"
    assert (
        confusable_difference("ab", "ac")
        == "U+0062 LATIN SMALL LETTER B where the other has U+0063 LATIN SMALL LETTER C"
    )
    assert (
        confusable_difference("Ab c", "ab  c")
        == "U+0041 LATIN CAPITAL LETTER A where the other has U+0061 LATIN SMALL LETTER A"
    )
    assert confusable_difference("ab", "ab ") == "they differ in spacing or case"
