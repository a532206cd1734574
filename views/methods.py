"""The Methods and codebook page: generated from pipeline.schema and pipeline.codebook, never typed twice."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pipeline import codebook, project
from pipeline.citation import cite_view, permalink
from pipeline.filters import EventFilter
from pipeline.loading import Dataset
from pipeline.package import table_schemas
from pipeline.query import ViewState
from pipeline.schema import (
    CATEGORY_LABELS,
    DYAD_LABELS,
    QUAD_LABELS,
    Access,
    Category,
    Dyad,
    Precision,
    Quad,
    SourceKind,
)
from pipeline.text import markdown_literal

DATE_EXAMPLES = [
    ("in 1964", "1964", "1964 (the whole year)"),
    ("in June 2022", "2022-06", "Jun 2022"),
    ("on October 30, 1997", "1997-10-30", "30 Oct 1997"),
    ("from 1996 through to 2018", "1996/2018", "1996–2018"),
    ("around 1975", "1975~", "c. 1975"),
    ("probably May 2024", "2024-05?", "May 2024?"),
    ("one source says 1964, another 1965", "1964/1965 and a note", "1964–1965"),
    ("in the 1960s", "196X", "1960s"),
]


def _example(dataset: Dataset, column: str, value: str) -> str:
    """One event with this value, from a bilateral lane where there is one."""
    rows = dataset.events[dataset.events[column] == value]
    if rows.empty:
        return "(no event yet)"
    bilateral = rows[rows["dyad"] != Dyad.CONTEXT.value]
    first = (bilateral if not bilateral.empty else rows).iloc[0]
    return f"{first['date_label']}: {first['title']}"


def markdown_table(rows: list[dict[str, str]]) -> str:
    """A Markdown table whose cells show their text literally (it wraps, unlike a data grid)."""
    header = list(rows[0])
    lines = ["| " + " | ".join(markdown_literal(name) for name in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown_literal(row[name]) for name in header) + " |" for row in rows]
    return "\n".join(lines)


def _table(rows: list[dict[str, str]]) -> None:
    st.markdown(markdown_table(rows))


def render(dataset: Dataset, site: str) -> None:
    version = dataset.version
    st.title("Methods and codebook")
    st.markdown(markdown_literal(project.DESCRIPTION))
    st.caption(
        f"This page is generated from the schema the data is checked against, so its lists of values "
        f"are always the ones in use. Data version {markdown_literal(version.label)}."
    )

    st.header("Lanes")
    st.markdown(
        "Each event belongs to one lane. **Context** holds what is not between Cambodia and one Korea "
        "but explains both lanes."
    )
    _table([{"code": d.value, "lane": DYAD_LABELS[d], "what goes here": codebook.DYAD_MEANINGS[d]} for d in Dyad])

    st.header("Categories")
    _table(
        [
            {
                "code": c.value,
                "category": CATEGORY_LABELS[c],
                "meaning": codebook.CATEGORY_MEANINGS[c],
                "example": _example(dataset, "category", c.value),
            }
            for c in Category
        ]
    )

    st.header("Quad classes (PLOVER)")
    st.markdown(
        "Each event also gets one of PLOVER's quad classes, which say whether it is cooperation or "
        "conflict, in words or in deeds."
    )
    _table(
        [
            {
                "code": q.value,
                "quad class": QUAD_LABELS[q],
                "meaning": codebook.QUAD_MEANINGS[q],
                "example": _example(dataset, "quad", q.value),
            }
            for q in Quad
        ]
    )

    st.header("Dates")
    st.markdown(
        "A date is written in EDTF exactly as precisely as the sources support, and kept as written "
        "(`date`). `start` and `end` are the earliest and latest day that date allows: the bounds of "
        "what the sources support, **not** the date itself. A filter keeps an event whose span "
        'overlaps the chosen years. Relative dates ("last week") resolve against the article\'s '
        "publication date, only as precisely as that date is known."
    )
    _table([{"the source says": said, "written": written, "shown as": shown} for said, written, shown in DATE_EXAMPLES])
    _table([{"precision": p.value, "meaning": codebook.PRECISION_MEANINGS[p]} for p in Precision])
    st.markdown(
        "**Approximate** (`~`, shown as “c.”) and **uncertain** (`?`, shown with “?”) dates are "
        "flagged in the `approximate` and `uncertain` columns; `%` is both."
    )

    st.header("Inclusion and sources")
    st.markdown(
        "- An event is included only when it can be cited: every source entry carries a short verbatim quote "
        "from the cited page that supports the claim, the date and its precision.\n"
        "- Summaries and titles are the project's own words; article text is never copied beyond the quote.\n"
        "- Names in `actors` and `places` are canonical; every spelling met in the sources is kept as an alias, "
        "and quotes stay verbatim, misspellings included.\n"
        "- Reposts, mirrors and archive copies say so (`access`) and name the original where known."
    )
    _table([{"source kind": k.value, "meaning": codebook.SOURCE_KIND_MEANINGS[k]} for k in SourceKind])
    _table([{"access": a.value, "meaning": codebook.ACCESS_MEANINGS[a]} for a in Access])

    st.header("Disagreements and corrections")
    st.markdown(
        "Where sources disagree, each is cited, the date covers what they support together (for "
        "example `1964/1965`), and the event's `note` says who says what. Where a later source corrects "
        "an article, the note says so. Changes between data versions are listed in the changelog below."
    )

    st.header("Reporting an error")
    st.markdown(markdown_literal(project.REPORT_ERRORS))

    st.header("Licence")
    st.markdown("The code is under the MIT licence. " + markdown_literal(project.DATA_LICENSE_STATEMENT))

    st.header("How to cite")
    link = permalink(site, ViewState(flt=EventFilter()), version)
    citation = cite_view(EventFilter(), len(dataset.events), version=version, link=link, accessed=date.today())
    st.markdown("The whole dataset (for a filtered view, use “Cite this view” on the timeline page):")
    st.code(citation.text, language=None, wrap_lines=True)
    st.code(citation.bibtex, language="latex", wrap_lines=True)

    st.header("Versions")
    if version.release is None:
        st.markdown("This dataset has no release record.")
    else:
        _table(
            [
                {
                    "version": entry.version,
                    "released": entry.released.isoformat(),
                    "events": str(entry.events),
                    "added": str(len(entry.added)),
                    "changed": str(len(entry.changed)),
                    "removed": str(len(entry.removed)),
                    "summary": entry.summary,
                }
                for entry in version.release.history
            ]
        )

    st.header("Data dictionary")
    st.markdown(markdown_literal(codebook.LIST_RULE))
    st.markdown(markdown_literal(codebook.TEXT_RULE))
    for name, schema in table_schemas().items():
        st.subheader(f"{name}.csv")
        st.caption(markdown_literal(codebook.RESOURCE_MEANINGS[name]))
        _table(
            [
                {
                    "column": field["name"],
                    "type": field["type"],
                    "meaning": field["description"].replace(" " + codebook.LIST_RULE, " (list cell)"),
                }
                for field in schema["fields"]
            ]
        )
