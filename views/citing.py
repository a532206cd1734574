"""Version footer, link-version notice, copy-link, "Cite this view", event citations, data package button."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from pipeline import project
from pipeline.citation import CitationSet, cite_event, cite_view, permalink
from pipeline.filters import EventFilter
from pipeline.loading import Dataset
from pipeline.package import PackageInput, package_bytes, package_file_name
from pipeline.query import ViewState
from pipeline.text import markdown_literal
from pipeline.version import DataVersion, link_notice

LINK_VERSION_KEY = "link_version"


def base_url() -> str:
    """The address the reader uses (without query), else the configured site address."""
    url = st.context.url
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return project.site_url()
    return url if urlsplit(url).path else url + "/"


def remember_link_version() -> None:
    """On a session's first run, keep the `v=` the link came with (the page rewrites the URL)."""
    if LINK_VERSION_KEY not in st.session_state:
        values = st.query_params.get_all("v")
        st.session_state[LINK_VERSION_KEY] = values[0][:80] if values else None


def show_link_notice(version: DataVersion, shown_ids: Iterable[str]) -> None:
    notice = link_notice(st.session_state.get(LINK_VERSION_KEY), version, shown_ids)
    if notice is None:
        return
    if notice.kind == "unknown":
        st.warning(markdown_literal(notice.message), icon=":material/warning:")
    else:
        st.info(markdown_literal(notice.message), icon=":material/history:")


def _citation_tabs(citation: CitationSet) -> None:
    text, bibtex, csl = st.tabs(["Text (APA-like)", "BibTeX", "CSL-JSON"])
    text.code(citation.text, language=None, wrap_lines=True)
    bibtex.code(citation.bibtex, language="latex", wrap_lines=True)
    csl.code(citation.csl_json, language="json", wrap_lines=True)


def link_and_citation(state: ViewState, shown: pd.DataFrame, version: DataVersion) -> str:
    """The copy-link box and the "Cite this view" panel; returns the permalink."""
    link = permalink(base_url(), state, version)
    with st.expander("Link to this view · Cite this view", icon=":material/link:"):
        st.caption("Link to this view, pinned to this data version (copy it with the button at its right):")
        st.code(link, language=None, wrap_lines=True)
        st.markdown("**Cite this view**")
        _citation_tabs(cite_view(state.flt, len(shown), version=version, link=link, accessed=date.today()))
    return link


def event_citation(event: Mapping[str, Any], state: ViewState, version: DataVersion) -> None:
    """ "Cite this event" inside the event's detail card."""
    link = permalink(base_url(), ViewState(state.flt, state.year_from, state.year_to, str(event["id"])), version)
    with st.expander("Cite this event", icon=":material/format_quote:"):
        _citation_tabs(cite_event(event, version=version, link=link, accessed=date.today()))


def package_payload(dataset: Dataset, shown: pd.DataFrame, flt: EventFilter, link: str, events_csv: bytes) -> bytes:
    """The data package of a view; `events_csv` is the view's CSV download, reused as events.csv."""
    created = datetime.now().astimezone().replace(microsecond=0)
    return package_bytes(PackageInput(dataset, shown, flt, dataset.version, link, created, events_csv))


def package_button(dataset: Dataset, payload: bytes, slug: str) -> None:
    st.download_button(
        "Download data package",
        payload,
        file_name=package_file_name(dataset.version, slug),
        mime="application/zip",
        key="download-package",
        on_click="ignore",
        help="A Frictionless Data Package: the events, their sources (one row per event and source), "
        "the sources, periods and names, datapackage.json and a README with the citation.",
    )


def footer(version: DataVersion) -> None:
    st.divider()
    released = f", released {version.released.isoformat()}" if version.released else ""
    line = f"Data version **{markdown_literal(version.label)}**{released}"
    if version.state == "modified":
        line += f" (unreleased changes since {markdown_literal(version.base)}: {version.unreleased.in_words()})"
    elif version.state == "unversioned":
        line += " (no release record)"
    st.caption(
        line + f" · content hash `{version.content_hash.removeprefix('sha256:')[:12]}` · "
        "code: MIT licence · data: CC BY 4.0 for the project's own text; quotes are short excerpts "
        "under their publishers' copyright"
    )
