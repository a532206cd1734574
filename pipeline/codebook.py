"""The codebook: what every value and column means, in words.

The values themselves come from `pipeline.schema`; this module only says what they mean, and
a test checks that every value and every exported column has its description here, so the
Methods page, the data dictionary and the data package README cannot drift from the schema.
"""

from __future__ import annotations

from typing import Final

from pipeline.schema import Access, Category, Dyad, Precision, Quad, SourceKind

DYAD_MEANINGS: Final[dict[str, str]] = {
    Dyad.KHM_PRK: "Relations between Cambodia (under each of its regimes) and North Korea (the DPRK): visits, "
    "agreements, aid, statements and status changes between the two.",
    Dyad.KHM_KOR: "Relations between Cambodia and South Korea (the ROK), including the years of no or severed "
    "relations.",
    Dyad.CONTEXT: "Events that are not bilateral but explain the two lanes: Cambodia's regime changes, Korean and "
    "regional events, UN and ASEAN decisions, sanctions regimes touching both Koreas.",
}
CATEGORY_MEANINGS: Final[dict[str, str]] = {
    Category.DIPLOMATIC_STATUS: "Recognition, establishing, severing or restoring relations; embassies and missions.",
    Category.VISITS_MEETINGS: "Visits by leaders, ministers and delegations, and meetings between them.",
    Category.AGREEMENTS: "Treaties, agreements, memoranda and protocols signed or in force.",
    Category.TRADE_INVESTMENT: "Trade, investment, business ventures, restaurants and other commerce.",
    Category.AID_LOANS: "Grants, loans, development aid, food and technical assistance.",
    Category.SECURITY_SANCTIONS: "Military and security cooperation, arms, sanctions and their enforcement.",
    Category.PEOPLE_CULTURE: "People-to-people ties: workers, students, migration, culture, sport, religion.",
    Category.MULTILATERAL: "Positions and events in the UN, ASEAN, the Non-Aligned Movement and other forums.",
    Category.STATEMENTS: "Congratulations, condolences, condemnations and other messages between governments.",
}
QUAD_MEANINGS: Final[dict[str, str]] = {
    Quad.VERBAL_COOPERATION: "Words that cooperate: praise, support, agreements in principle, congratulations.",
    Quad.MATERIAL_COOPERATION: "Deeds that cooperate: aid delivered, trade, visits with substance, help given.",
    Quad.VERBAL_CONFLICT: "Words in conflict: criticism, protest, denunciation, threats.",
    Quad.MATERIAL_CONFLICT: "Deeds in conflict: severing relations, expulsions, sanctions applied, seizures.",
    Quad.NEUTRAL: "Neither cooperation nor conflict between the two, such as context events.",
}
PRECISION_MEANINGS: Final[dict[str, str]] = {
    Precision.DAY: "The sources give the day.",
    Precision.MONTH: "The sources give the month only; start and end are its first and last day.",
    Precision.YEAR: "The sources give the year only; start and end are 1 January and 31 December.",
    Precision.DECADE: "The sources give the decade only (EDTF `196X`).",
    Precision.RANGE: "An interval, or a date the sources disagree on: any day from start to end.",
}
SOURCE_KIND_MEANINGS: Final[dict[str, str]] = {
    SourceKind.NEWS_REPORT: "A news report.",
    SourceKind.OPINION: "An opinion or analysis piece.",
    SourceKind.OFFICIAL_STATEMENT: "A government's or an organisation's own statement or record.",
    SourceKind.STATE_MEDIA: "A state news agency or state-run outlet (KCNA, AKP and the like).",
    SourceKind.REFERENCE_WORK: "A reference work; cited beside an original publisher, never alone.",
    SourceKind.ARCHIVAL_DOCUMENT: "A document held in an archive.",
    SourceKind.SCHOLARSHIP: "A book or article of scholarship.",
}
ACCESS_MEANINGS: Final[dict[str, str]] = {
    Access.ORIGINAL: "The publisher's own page.",
    Access.REPOST: "A third party republishing the work (the original_* fields name the original).",
    Access.MIRROR: "A copy of a site.",
    Access.ARCHIVE_COPY: "A web-archive snapshot or a library scan.",
}

LIST_RULE: Final = (
    "List cells hold the items joined by a semicolon and a space (`a; b`). Inside an item a backslash is "
    "written `\\\\` and a semicolon `\\;`; a first item starting with `=`, `+`, `-`, `@`, a tab, CR or LF "
    "has that character after a backslash (`\\=`). An empty cell is an empty list and a lone `\\` a list of "
    "one empty item. To split a cell: read left to right, a backslash means the next character literally, "
    "and any other semicolon ends an item (drop the one space after it)."
)
TEXT_RULE: Final = (
    "Text cells (not list cells) that start with `=`, `+`, `-`, `@`, a tab, CR or LF have a `'` put in front, "
    "so spreadsheets show them as text instead of running them as formulas (OWASP's advice on CSV injection)."
)

COLUMN_MEANINGS: Final[dict[str, str]] = {
    # events.csv
    "id": "Stable identifier of the record: lower-case letters, digits and '-'.",
    "dyad": "The lane: " + ", ".join(d.value for d in Dyad) + ".",
    "dyad_label": "The lane in words.",
    "counterpart": "The Korean side of the lane in words.",
    "date": "The date as the sources support it, written in EDTF (1964, 2022-06, 1997-10-30, 1996/2018, "
    "1975~, 2024-05?).",
    "start": "Earliest day the date allows (not the date itself).",
    "end": "Latest day the date allows (not the date itself).",
    "precision": "How precise the date is: " + ", ".join(p.value for p in Precision) + ".",
    "approximate": "True when the date is approximate (EDTF `~` or `%`).",
    "uncertain": "True when the date is uncertain (EDTF `?` or `%`).",
    "date_label": "The date in words, as the dashboard shows it.",
    "category": "What kind of event: " + ", ".join(c.value for c in Category) + ".",
    "category_label": "The category in words.",
    "quad": "PLOVER quad class: " + ", ".join(q.value for q in Quad) + ".",
    "quad_label": "The quad class in words.",
    "title": "One-line title, in the project's words.",
    "summary": "One or two sentences in the project's words (never the sources' text).",
    "actors": "People and organisations involved, by canonical name (see names.csv). A list cell.",
    "places": "Places involved, by canonical name. A list cell.",
    "related": "Ids of related events. A list cell.",
    "note": "Disagreements between sources, corrections, caveats.",
    "provenance_note": "Why none of the event's sources is an original publisher's own page, and what was searched "
    "(empty when one is).",
    "has_original": "true when at least one source is an original publisher's own page (access original on a host "
    "listed as an original publisher); the 'original publishers only' filter keeps these.",
    "source_ids": "Ids of the cited sources, in order (see sources.csv). A list cell.",
    "source_titles": "Titles of the cited sources, in the order of source_ids. A list cell.",
    "source_publishers": "Publishers of the cited sources, in the order of source_ids. A list cell.",
    "source_published": "Publication dates (EDTF, empty when unknown), in the order of source_ids. A list cell.",
    "source_urls": "Addresses of the cited sources, in the order of source_ids. A list cell.",
    "source_quotes": "The verbatim supporting quote from each source, in the order of source_ids. A list cell.",
    "source_kinds": "Kind of each cited source, in the order of source_ids. A list cell.",
    "source_access": "Access of each cited source (original, repost, mirror, archive_copy), in the order of "
    "source_ids. A list cell.",
    "source_languages": "Language (ISO 639-1) of each cited source, in the order of source_ids. A list cell.",
    "source_translations": "English translation of each quote (empty for English sources), in the order of "
    "source_ids. A list cell.",
    "source_archived_urls": "Web-archive copy of each cited page (empty when none), in the order of source_ids. "
    "A list cell.",
    "source_original_publishers": "For reposts and copies, who published the original (empty for originals), in "
    "the order of source_ids. A list cell.",
    # event_sources.csv
    "event_id": "The event (events.csv id).",
    "position": "The source's place in the event's list of sources, from 1.",
    "source_id": "The source (sources.csv id).",
    "quote": "The verbatim quote from the source that supports the event: a short excerpt under the "
    "publisher's copyright.",
    "translation": "The project's English translation of the quote, when the source is not in English.",
    # sources.csv
    "publisher": "Who published the source.",
    "author": "The author, when named.",
    "published": "Publication date (EDTF), when known.",
    "url": "The address cited.",
    "kind": "For sources: " + ", ".join(k.value for k in SourceKind) + ". For periods: status or regime.",
    "access": "How the cited page relates to the work: " + ", ".join(a.value for a in Access) + ".",
    "language": "Language of the source (ISO 639-1).",
    "archived_url": "A web-archive copy of the page.",
    "original_publisher": "For a repost or copy: who published the original.",
    "original_title": "For a repost or copy: the original's title.",
    "original_date": "For a repost or copy: the original's date (EDTF).",
    "original_url": "For a repost or copy: the original's address.",
    "is_original": "true when this source is an original publisher's own page.",
    # periods.csv
    "lane": "The lane the band is drawn in (context: Cambodia's regimes).",
    "lane_label": "The lane in words.",
    "status": "For status bands: the diplomatic status.",
    "status_label": "The status in words.",
    "label": "The band's label.",
    # names.csv
    "name": "The canonical name used in events.",
    "aliases": "Every other spelling met in the sources, and common romanizations. A list cell.",
    "khmer": "The name in Khmer script, as Cambodian media or official sites write it (the note says where).",
    "hangul": "The name in Hangul, as Korean media or official sites write it (the note says where).",
    "hanja": "A Korean name in Chinese characters, where documented.",
}

RESOURCE_MEANINGS: Final[dict[str, str]] = {
    "events": "One row per event of the view: the same columns and bytes as `python -m pipeline export --format csv`.",
    "event_sources": "One row per event and cited source (long format), in each event's order of sources, with "
    "the source's details, the supporting quote and its translation.",
    "sources": "The registry entry of every source cited by the events and periods in this package.",
    "periods": "Background bands of the lanes in this package's dates: diplomatic status and Cambodia's regimes.",
    "names": "Every person, organisation and place named by the events in this package, with aliases.",
}
