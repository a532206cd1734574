"""The one place that declares the data model: allowed values, record shapes, table columns.

Every other module imports from here; nothing else spells out a column, a dtype or an
allowed value.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Final

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# ---------------------------------------------------------------- allowed values


class Dyad(StrEnum):
    KHM_PRK = "KHM-PRK"
    KHM_KOR = "KHM-KOR"
    CONTEXT = "context"


class Category(StrEnum):
    DIPLOMATIC_STATUS = "diplomatic_status"
    VISITS_MEETINGS = "visits_meetings"
    AGREEMENTS = "agreements"
    TRADE_INVESTMENT = "trade_investment"
    AID_LOANS = "aid_loans"
    SECURITY_SANCTIONS = "security_sanctions"
    PEOPLE_CULTURE = "people_culture"
    MULTILATERAL = "multilateral"
    STATEMENTS = "statements"


class Quad(StrEnum):
    VERBAL_COOPERATION = "verbal_cooperation"
    MATERIAL_COOPERATION = "material_cooperation"
    VERBAL_CONFLICT = "verbal_conflict"
    MATERIAL_CONFLICT = "material_conflict"
    NEUTRAL = "neutral"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    DECADE = "decade"
    RANGE = "range"


class SourceKind(StrEnum):
    NEWS_REPORT = "news_report"
    OPINION = "opinion"
    OFFICIAL_STATEMENT = "official_statement"
    STATE_MEDIA = "state_media"
    REFERENCE_WORK = "reference_work"
    ARCHIVAL_DOCUMENT = "archival_document"
    SCHOLARSHIP = "scholarship"


class Access(StrEnum):
    """How the cited page relates to the work it carries."""

    ORIGINAL = "original"  # the publisher's own page
    REPOST = "repost"  # a third party republishing the work
    MIRROR = "mirror"  # a copy of a site
    ARCHIVE_COPY = "archive_copy"  # a web-archive snapshot, a library scan


class HostRole(StrEnum):
    """What a host is, as declared in events/hosts.yaml."""

    ORIGINAL = "original"  # publishes its own work: newspapers, agencies, ministries, archives, journals
    REFERENCE = "reference"  # tertiary references: may be cited beside, never counts as an original publisher
    REPOST = "repost"  # republishes others' articles
    MIRROR = "mirror"  # archives, scans and copies of others' pages
    WEAK = "weak"  # may never be cited: blogs, tour operators, scrapers, partisan and AI-generated sites


class NameKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"


class PeriodKind(StrEnum):
    STATUS = "status"
    REGIME = "regime"


class Status(StrEnum):
    NO_RELATIONS = "no_relations"
    RELATIONS = "relations"  # recognition / diplomatic relations, resident embassies not attested
    MISSIONS = "missions"
    EMBASSIES = "embassies"
    SEVERED = "severed"
    RESTORED = "restored"


DYAD_LABELS: Final[dict[str, str]] = {
    Dyad.KHM_PRK: "Cambodia–North Korea",
    Dyad.KHM_KOR: "Cambodia–South Korea",
    Dyad.CONTEXT: "Context (both Koreas)",
}
COUNTERPARTS: Final[dict[str, str]] = {
    Dyad.KHM_PRK: "North Korea",
    Dyad.KHM_KOR: "South Korea",
    Dyad.CONTEXT: "Both Koreas",
}
CATEGORY_LABELS: Final[dict[str, str]] = {
    Category.DIPLOMATIC_STATUS: "Diplomatic status",
    Category.VISITS_MEETINGS: "Visits and meetings",
    Category.AGREEMENTS: "Agreements",
    Category.TRADE_INVESTMENT: "Trade and investment",
    Category.AID_LOANS: "Aid and loans",
    Category.SECURITY_SANCTIONS: "Security and sanctions",
    Category.PEOPLE_CULTURE: "People and culture",
    Category.MULTILATERAL: "Multilateral",
    Category.STATEMENTS: "Statements and messages",
}
QUAD_LABELS: Final[dict[str, str]] = {
    Quad.VERBAL_COOPERATION: "Verbal cooperation",
    Quad.MATERIAL_COOPERATION: "Material cooperation",
    Quad.VERBAL_CONFLICT: "Verbal conflict",
    Quad.MATERIAL_CONFLICT: "Material conflict",
    Quad.NEUTRAL: "Neutral",
}
STATUS_LABELS: Final[dict[str, str]] = {
    Status.NO_RELATIONS: "No relations",
    Status.RELATIONS: "Diplomatic relations",
    Status.MISSIONS: "Missions / offices",
    Status.EMBASSIES: "Embassies",
    Status.SEVERED: "Severed",
    Status.RESTORED: "Restored",
}
# One word each, for bands too short for the full label.
STATUS_SHORT_LABELS: Final[dict[str, str]] = {
    Status.NO_RELATIONS: "None",
    Status.RELATIONS: "Relations",
    Status.MISSIONS: "Offices",
    Status.EMBASSIES: "Embassies",
    Status.SEVERED: "Severed",
    Status.RESTORED: "Restored",
}

# ISO 639-1 language codes a source's `language` may take.
_ISO_639_1: Final = (
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el "
    "en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it "
    "iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt "
    "my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl "
    "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo "
    "za zh zu"
)
LANGUAGE_CODES: Final = frozenset(_ISO_639_1.split())
# The language whose quotes need no translation beside them.
READER_LANGUAGE: Final = "en"
# Host roles a page may be cited from, and the access values each allows.
ACCESS_FOR_ROLE: Final[dict[str, tuple[str, ...]]] = {
    HostRole.ORIGINAL: (Access.ORIGINAL,),
    HostRole.REFERENCE: (Access.ORIGINAL,),
    HostRole.REPOST: (Access.REPOST,),
    HostRole.MIRROR: (Access.MIRROR, Access.ARCHIVE_COPY),
}
# Fields a source needs when its page is not the publisher's own.
ORIGINAL_FIELDS: Final = ("original_publisher", "original_title", "original_date")
# Quotes are single verbatim passages: an ellipsis would hide what was left out.
ELLIPSES: Final = ("…", "...")

# Earliest date an event may carry; the latest is "today".
EARLIEST_YEAR: Final = 1950
MAX_EDTF_LENGTH: Final = 60

# ---------------------------------------------------------------- record shapes (YAML)

# Lengths, in characters.
MAX_ID_LENGTH: Final = 120
MAX_TEXT_LENGTH: Final = 5000  # titles of sources, summaries, notes
MAX_SHORT_TEXT_LENGTH: Final = 300  # event titles, names, publishers, labels
MAX_QUOTE_LENGTH: Final = 2000
MAX_TRANSLATION_LENGTH: Final = 4000
MAX_URL_LENGTH: Final = 2000
MAX_HOST_LENGTH: Final = 253

ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_PATTERN: Final = r"^https?://[^\s<>\"']+$"
HOST_PATTERN: Final = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
LANGUAGE_PATTERN: Final = r"^[a-z]{2}$"
# What each pattern means to a person: (what is wrong, what is expected).
PATTERN_DESCRIPTIONS: Final[dict[str, tuple[str, str]]] = {
    ID_PATTERN.pattern: ("invalid id", "lower-case letters, digits and single '-' between them"),
    URL_PATTERN: ("not an http(s) URL", "a URL starting with http:// or https://"),
    HOST_PATTERN: ("invalid host name", "a lower-case host name such as example.org"),
    LANGUAGE_PATTERN: ("invalid language code", "a two-letter ISO 639-1 code such as km"),
}

Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern, max_length=MAX_ID_LENGTH)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SHORT_TEXT_LENGTH)]
QuoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUOTE_LENGTH)]
TranslationText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TRANSLATION_LENGTH)
]
EdtfText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_EDTF_LENGTH)]
HttpUrl = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=MAX_URL_LENGTH)]
HostName = Annotated[str, StringConstraints(pattern=HOST_PATTERN, max_length=MAX_HOST_LENGTH)]
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True)


class SourceRecord(Record):
    id: Slug
    title: Text
    publisher: ShortText
    author: ShortText | None = None
    published: EdtfText | None = None
    url: HttpUrl
    kind: SourceKind
    access: Access
    language: LanguageCode
    archived_url: HttpUrl | None = None
    original_publisher: ShortText | None = None
    original_title: Text | None = None
    original_date: EdtfText | None = None
    original_url: HttpUrl | None = None
    note: Text | None = None


class HostRecord(Record):
    host: HostName
    role: HostRole
    note: Text | None = None


class NameRecord(Record):
    name: ShortText
    kind: NameKind
    aliases: list[ShortText] = Field(default_factory=list)
    khmer: ShortText | None = None  # the name in Khmer script, as Cambodian media or official sites write it
    hangul: ShortText | None = None  # the name in Hangul, as Korean media or official sites write it
    hanja: ShortText | None = None  # Korean names in Chinese characters, where documented
    note: Text | None = None


class Citation(Record):
    id: Slug
    quote: QuoteText
    translation: TranslationText | None = None


class EventRecord(Record):
    id: Slug
    dyad: Dyad
    date: EdtfText
    category: Category
    quad: Quad
    title: ShortText
    summary: Text
    actors: list[ShortText] = Field(default_factory=list)
    places: list[ShortText] = Field(default_factory=list)
    sources: list[Citation] = Field(min_length=1)
    related: list[Slug] = Field(default_factory=list)
    note: Text | None = None
    provenance_note: Text | None = None


class PeriodRecord(Record):
    id: Slug
    lane: Dyad
    kind: PeriodKind
    status: Status | None = None
    label: ShortText
    date: EdtfText
    sources: list[Citation] = Field(min_length=1)
    note: Text | None = None


# Top-level keys of an events file and the record each list holds.
SECTION_RECORDS: Final[dict[str, type[Record]]] = {
    "sources": SourceRecord,
    "hosts": HostRecord,
    "names": NameRecord,
    "periods": PeriodRecord,
    "events": EventRecord,
}

# ---------------------------------------------------------------- the table

DtypeObj = np.dtype[Any] | ExtensionDtype

# Every column's pandas dtype, declared once; `pipeline.table` builds the tables with exactly these.
DATE_DTYPE: Final = np.dtype("datetime64[s]")
LIST_DTYPE: Final = np.dtype(object)  # tuples of str (or of dicts, for `sources`)
BOOL_DTYPE: Final = np.dtype(bool)
TEXT_DTYPE: Final = pd.StringDtype()
DYAD_DTYPE: Final = pd.CategoricalDtype([d.value for d in Dyad])

# Column name -> dtype of the normalized events table, in display order.
EVENT_COLUMNS: Final[dict[str, DtypeObj]] = {
    "id": TEXT_DTYPE,
    "dyad": DYAD_DTYPE,
    "counterpart": pd.CategoricalDtype([COUNTERPARTS[d] for d in Dyad]),
    "date": TEXT_DTYPE,
    "start": DATE_DTYPE,
    "end": DATE_DTYPE,
    "precision": pd.CategoricalDtype([p.value for p in Precision]),
    "approximate": BOOL_DTYPE,
    "uncertain": BOOL_DTYPE,
    "date_label": TEXT_DTYPE,
    "category": pd.CategoricalDtype([c.value for c in Category]),
    "quad": pd.CategoricalDtype([q.value for q in Quad]),
    "title": TEXT_DTYPE,
    "summary": TEXT_DTYPE,
    "actors": LIST_DTYPE,
    "places": LIST_DTYPE,
    "related": LIST_DTYPE,
    "note": TEXT_DTYPE,
    "provenance_note": TEXT_DTYPE,
    "has_original": BOOL_DTYPE,  # at least one source is an original publisher's own page
    "source_ids": LIST_DTYPE,
    "sources": LIST_DTYPE,  # tuples of dicts: SOURCE_DETAIL_KEYS
}
# Each entry of an event's `sources`: the registry's fields ('' when unset) and the citation's.
SOURCE_DETAIL_KEYS: Final = (
    "id",
    "title",
    "publisher",
    "author",
    "published",
    "url",
    "kind",
    "access",
    "is_original",  # bool: access original on an original publisher's host (pipeline.provenance)
    "language",
    "archived_url",
    "original_publisher",
    "original_title",
    "original_date",
    "original_url",
    "quote",
    "translation",
)
# Derived columns used for filtering only; never exported.
INTERNAL_COLUMNS: Final[dict[str, DtypeObj]] = {
    "search_text": TEXT_DTYPE,  # normalized title, summary, note, quotes, labels (pipeline.search)
    "name_text": TEXT_DTYPE,  # normalized forms of the actors' and places' names, one per line
}
CATEGORICAL_VALUES: Final[dict[str, list[str]]] = {
    name: list(dtype.categories) for name, dtype in EVENT_COLUMNS.items() if isinstance(dtype, pd.CategoricalDtype)
}

PERIOD_COLUMNS: Final[dict[str, DtypeObj]] = {
    "id": TEXT_DTYPE,
    "lane": DYAD_DTYPE,
    "kind": pd.CategoricalDtype([k.value for k in PeriodKind]),
    "status": TEXT_DTYPE,
    "label": TEXT_DTYPE,
    "date": TEXT_DTYPE,
    "start": DATE_DTYPE,
    "end": DATE_DTYPE,
    "date_label": TEXT_DTYPE,
    "source_ids": LIST_DTYPE,
}
# Shown with the bands (hover, relationship history), not part of the period export's columns.
PERIOD_DETAIL_COLUMNS: Final[dict[str, DtypeObj]] = {
    "note": TEXT_DTYPE,  # the period's description
    "sources": LIST_DTYPE,  # tuples of dicts, keys EXPORT_SOURCE_KEYS
}

# The readable label of a value of a coded column: label("category", "aid_loans") == "Aid and loans".
LABELS: Final[dict[str, dict[str, str]]] = {
    "dyad": DYAD_LABELS,
    "lane": DYAD_LABELS,
    "category": CATEGORY_LABELS,
    "quad": QUAD_LABELS,
    "status": STATUS_LABELS,
}


def label(column: str, value: object) -> str:
    """The label of `value` in `column` (the value itself when it has none)."""
    return LABELS[column].get(str(value), str(value))


def is_date_dtype(dtype: DtypeObj) -> bool:
    return dtype == DATE_DTYPE


# Keys of each source object in the JSON export, in order.
SOURCE_KIND_LABELS: Final[dict[str, str]] = {
    SourceKind.NEWS_REPORT: "news report",
    SourceKind.OPINION: "opinion",
    SourceKind.OFFICIAL_STATEMENT: "official statement",
    SourceKind.STATE_MEDIA: "state media",
    SourceKind.REFERENCE_WORK: "reference work",
    SourceKind.ARCHIVAL_DOCUMENT: "archival document",
    SourceKind.SCHOLARSHIP: "scholarship",
}
ACCESS_LABELS: Final[dict[str, str]] = {
    Access.ORIGINAL: "publisher's own page",
    Access.REPOST: "repost",
    Access.MIRROR: "mirror",
    Access.ARCHIVE_COPY: "archive copy",
}
EXPORT_SOURCE_KEYS: Final = SOURCE_DETAIL_KEYS
# Readable labels exported beside the codes: label column -> (code column, labels).
LABEL_COLUMNS: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "dyad_label": ("dyad", DYAD_LABELS),
    "category_label": ("category", CATEGORY_LABELS),
    "quad_label": ("quad", QUAD_LABELS),
}

# CSV: list columns are joined with this separator; `sources` is flattened into these.
LIST_SEPARATOR: Final = "; "
CSV_SOURCE_COLUMNS: Final[dict[str, str]] = {
    "source_titles": "title",
    "source_publishers": "publisher",
    "source_published": "published",
    "source_urls": "url",
    "source_kinds": "kind",
    "source_access": "access",
    "source_languages": "language",
    "source_quotes": "quote",
    "source_translations": "translation",
    "source_archived_urls": "archived_url",
    "source_original_publishers": "original_publisher",
}

# Environment variable that points the CLI and the dashboard at another dataset.
EVENTS_DIR_ENV: Final = "KHM_KOREA_EVENTS_DIR"

# Hard limits on input, so hostile files fail fast with a message instead of hanging.
MAX_FILE_BYTES: Final = 8 * 1024 * 1024
MAX_NESTING_DEPTH: Final = 12
MAX_LIST_ITEMS: Final = 20_000  # records in one section of one file
MAX_NODES_PER_FILE: Final = 1_000_000  # keys and values in one file
# A dataset folder holds this file; anything else given as --events is refused before any walk.
DATASET_MARKER: Final = "sources.yaml"
MAX_TREE_DEPTH: Final = 8  # folders below the dataset folder
MAX_TREE_ENTRIES: Final = 20_000  # files and folders looked at
MAX_EVENT_FILES: Final = 2_000
