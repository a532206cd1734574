"""Name-aware search, shared by the command line and the dashboard.

A query is normalized (Unicode NFKC, case, hyphens and apostrophes, Latin diacritics) and
split into terms, all of which an event must match:

* a known name in any of its forms (canonical, alias, Khmer, Hangul, Hanja) matches the
  events whose actors or places hold that name, and the events whose text names it under
  any of its forms as a whole phrase — and nothing else ("Kim Jong Un" never matches a
  "Kim Jong Il" event, "Hun Sen" never matches "Hun Manet" alone);
* a "quoted phrase" matches as a phrase of whole words;
* any other word matches a word, or the start of a word, in the title, summary, note,
  quotes and translations, the category and quad labels, and the names of the event's
  actors and places in all their forms.

Korean and Khmer forms also match inside a longer word, since Korean attaches particles
(김일성은) and Khmer writes words without spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.schema import CATEGORY_LABELS, QUAD_LABELS, NameRecord

MAX_NAME_WORDS = 8
_JOINERS = re.compile(r"[\s\-‐-―_'’ʼ‘`´·.,;:!?()\[\]{}<>/\\|\"“”«»„*&+=~^%$#@]+")
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")
_LATIN_MARKS = re.compile(r"[\u0300-\u036f]")


def _is_spaceless_script(text: str) -> bool:
    """Hangul, Hanja (CJK) and Khmer: words are matched inside longer words."""
    return any(
        "\uac00" <= ch <= "\ud7a3"
        or "\u1100" <= ch <= "\u11ff"
        or "\u3130" <= ch <= "\u318f"
        or "\u1780" <= ch <= "\u17ff"
        or "\u19e0" <= ch <= "\u19ff"
        or "\u4e00" <= ch <= "\u9fff"
        for ch in text
    )


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; Latin diacritics dropped, other scripts kept as typed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # Decompose, drop only the Latin combining marks, recompose: Hangul and Khmer come back intact.
    text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text)))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Cs", "Co"))
    return " ".join(_JOINERS.sub(" ", text).split())


@dataclass(frozen=True, slots=True)
class Term:
    """One part of a query: a known name (`canonical` set), a quoted phrase, or a word."""

    text: str  # normalized
    canonical: str | None = None
    forms: tuple[str, ...] = ()  # normalized forms of the name
    phrase: bool = False

    def describe(self) -> str:
        if self.canonical:
            return f"name {self.canonical}"
        return f"phrase “{self.text}”" if self.phrase else f"word “{self.text}”"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)


def name_forms(record: NameRecord) -> tuple[str, ...]:
    """Every normalized spelling of a name, canonical first."""
    forms = [record.name, *record.aliases, record.khmer or "", record.hangul or "", record.hanja or ""]
    return tuple(dict.fromkeys(form for form in map(normalize, forms) if form))


def form_index(names: Mapping[str, NameRecord]) -> dict[str, str]:
    """Normalized form -> canonical name; the first registry entry wins a shared form."""
    index: dict[str, str] = {}
    for canonical, record in names.items():
        for form in name_forms(record):
            index.setdefault(form, canonical)
            if _is_spaceless_script(form):
                index.setdefault(form.replace(" ", ""), canonical)
    return index


def _name_terms(words: list[str], names: Mapping[str, NameRecord], index: Mapping[str, str]) -> list[Term]:
    """Greedy longest match of known names over the query's words; the rest become word terms."""
    terms: list[Term] = []
    position = 0
    while position < len(words):
        for width in range(min(MAX_NAME_WORDS, len(words) - position), 0, -1):
            candidate = " ".join(words[position : position + width])
            canonical = index.get(candidate) or (
                index.get(candidate.replace(" ", "")) if _is_spaceless_script(candidate) else None
            )
            if canonical is not None:
                terms.append(Term(candidate, canonical, name_forms(names[canonical])))
                position += width
                break
        else:
            terms.append(Term(words[position]))
            position += 1
    return terms


def parse_search(text: str, names: Mapping[str, NameRecord] | None = None) -> SearchQuery:
    """The terms of a query; names are recognized in any registered form."""
    if not text.strip():
        return SearchQuery()  # most reruns: no search, no index of the names to build
    names = names or {}
    index = form_index(names)
    terms: list[Term] = []
    rest = []
    last = 0
    for found in _QUOTED.finditer(text):
        rest.append(text[last : found.start()])
        phrase = normalize(found.group(1))
        if phrase:
            canonical = index.get(phrase)
            terms.append(
                Term(phrase, canonical, name_forms(names[canonical])) if canonical else Term(phrase, phrase=True)
            )
        last = found.end()
    rest.append(text[last:])
    terms += _name_terms(normalize(" ".join(rest)).split(), names, index)
    return SearchQuery(tuple(dict.fromkeys(terms)))


def _phrase_pattern(phrase: str, *, prefix: bool) -> str:
    """A regex for `phrase` as whole words in normalized text (the last word may be a prefix).
    Fields and name forms are separated by newlines, so a phrase never spans two of them."""
    if _is_spaceless_script(phrase):
        return re.escape(phrase)
    return r"(?<!\S)" + re.escape(phrase) + ("" if prefix else r"(?!\S)")


def _pattern(term: Term) -> str:
    if term.canonical:
        return "|".join(_phrase_pattern(form, prefix=False) for form in term.forms)
    return _phrase_pattern(term.text, prefix=not term.phrase)


def search_mask(events: pd.DataFrame, query: SearchQuery) -> pd.Series:
    """Rows matching every term. Needs the table's `search_text` and `name_text` columns."""
    mask = pd.Series(True, index=events.index)
    for term in query.terms:
        pattern = re.compile(_pattern(term))
        in_text = events["search_text"].map(lambda text, p=pattern: p.search(text) is not None).astype(bool)
        if term.canonical:
            wanted = term.canonical
            named = (
                events["actors"].map(lambda names, n=wanted: n in names)
                | events["places"].map(lambda names, n=wanted: n in names)
            ).astype(bool)
            mask &= in_text | named
        else:
            in_names = events["name_text"].map(lambda text, p=pattern: p.search(text) is not None).astype(bool)
            mask &= in_text | in_names
    return mask


def searchable_fields(
    *, title: str, summary: str, note: str, quotes: Iterable[str], category_label: str, quad_label: str
) -> dict[str, str]:
    """Field name -> normalized text, as search and its explanations see an event."""
    return {
        "title": normalize(title),
        "summary": normalize(summary),
        "note": normalize(note),
        "quotes": "\n".join(normalize(quote) for quote in quotes),
        "category": normalize(category_label),
        "quad": normalize(quad_label),
    }


def joined(parts: Iterable[str]) -> str:
    """One string for the table's search columns; newlines keep the parts from running into each other."""
    return "\n".join(part for part in parts if part)


def explain_match(
    query: SearchQuery,
    *,
    fields: Mapping[str, str],
    actors: Iterable[str],
    places: Iterable[str],
    name_texts: Mapping[str, str],
) -> str:
    """Why an event matched: 'actor Kim Il Sung; word “sanctions” in category'."""
    reasons = []
    actors, places = tuple(actors), tuple(places)
    for term in query.terms:
        pattern = re.compile(_pattern(term))
        where = [name for name, text in fields.items() if pattern.search(text)]
        if term.canonical and term.canonical in actors:
            reasons.append(f"actor {term.canonical}")
        elif term.canonical and term.canonical in places:
            reasons.append(f"place {term.canonical}")
        elif where:
            reasons.append(f"{term.describe()} in {', '.join(where)}")
        else:
            named = [name for name, text in name_texts.items() if pattern.search(text)]
            reasons.append(f"{term.describe()} in the name {', '.join(named)}" if named else term.describe())
    return "; ".join(reasons)


def explain_rows(events: pd.DataFrame, query: SearchQuery, names: Mapping[str, NameRecord]) -> pd.Series:
    """For each row, why it matched `query` (for the few rows a page lists, not the whole table)."""
    labels = {str(category): label for category, label in CATEGORY_LABELS.items()}
    quads = {str(quad): label for quad, label in QUAD_LABELS.items()}
    reasons = []
    columns = [
        events[name].tolist()
        for name in ("title", "summary", "note", "sources", "category", "quad", "actors", "places")
    ]
    for title, summary, note, sources, category, quad, actors, places in zip(*columns, strict=True):
        quotes = [text for source in sources for text in (source["quote"], source["translation"]) if text]
        fields = searchable_fields(
            title=str(title),
            summary=str(summary),
            note=str(note or ""),
            quotes=quotes,
            category_label=labels[str(category)],
            quad_label=quads[str(quad)],
        )
        name_texts = {
            name: joined(name_forms(names[name])) if name in names else normalize(name) for name in (*actors, *places)
        }
        reasons.append(explain_match(query, fields=fields, actors=actors, places=places, name_texts=name_texts))
    return pd.Series(reasons, index=events.index, dtype="object")
