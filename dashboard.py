"""Cambodia–Korea relations timeline: layout and wiring only.

Data comes from `pipeline` (loading, filtering, exports, URL state) and figures from
`figures`; this file decides where things go on the page and how widgets connect.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from figures.timeline import TimelineOptions, counts_figure, timeline_figure
from pipeline.export import to_csv_bytes, to_json_bytes
from pipeline.filters import EventFilter, describe_filter, filter_events, filter_slug, make_filter
from pipeline.loading import Dataset, events_dir_from_env, fingerprint, load_dataset
from pipeline.problems import DatasetError
from pipeline.provenance import source_provenance_line
from pipeline.query import ViewState, parse_query, to_query
from pipeline.schema import CATEGORY_LABELS, DYAD_LABELS, QUAD_LABELS, READER_LANGUAGE, Category, Dyad, Quad
from pipeline.text import markdown_literal, safe_http_url
from views import compare

FIRST_YEAR, LAST_YEAR = 1964, date.today().year
ALL_LANES = [d.value for d in Dyad]
# Rows sent to the browser's table; more would cost seconds and megabytes at 100k events.
# Downloads always hold every filtered row.
TABLE_ROW_LIMIT = 2000
TIMELINE_HEIGHT = 720
COLUMNS = (2, 1)  # timeline | event details
TIMELINE_LABEL_WIDTH = 520  # the timeline's plot width at 1400 px (band labels that would not fit are left out)
TIMELINE_TITLE = "Cambodia and the two Koreas: events by lane"

st.set_page_config(page_title="Cambodia–Korea relations timeline", page_icon="🗓️", layout="wide")


@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def cached_dataset(events_dir: str, files_fingerprint: str) -> Dataset | DatasetError:
    """One validated dataset per process and per version of the files (the fingerprint).

    cache_resource, not cache_data: the table is read-only and shared by every session;
    cache_data would unpickle a fresh copy on every rerun of every session.
    """
    try:
        return load_dataset(Path(events_dir))
    except DatasetError as error:
        return error


@st.cache_resource(show_spinner=False, max_entries=64)  # shared, not copied: figures are never mutated
def cached_figures(files_fingerprint: str, flt: EventFilter, *, lanes: tuple[str, ...], x_range: tuple[date, date],
                   selected: str | None, events_dir: str,
                   overlay: tuple[tuple[str, Any], ...] = ()) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Timeline, counts and cooperation-vs-conflict figures; `overlay` holds the selected event's rule
    and "around" window (TimelineOptions fields)."""
    dataset = cached_dataset(events_dir, files_fingerprint)
    assert isinstance(dataset, Dataset)
    shown = filter_events(dataset.events, flt)
    described = describe_filter(flt)
    options = TimelineOptions(lanes=lanes, x_range=x_range, selected_id=selected, height=TIMELINE_HEIGHT,
                              label_width_px=TIMELINE_LABEL_WIDTH, title=TIMELINE_TITLE,
                              subtitle=f"{len(shown)} events · " + (described or "no filters"), **dict(overlay))
    return (timeline_figure(shown, dataset.periods, options), counts_figure(shown, lanes, x_range),
            compare.quad_chart(shown, lanes, x_range))


def show_problems(error: DatasetError, events_dir: Path) -> None:
    st.error(f"The events data in `{markdown_literal(str(events_dir))}` has {len(error.problems)} problem(s); "
             "nothing is shown until they are fixed.")
    st.code("\n".join(str(problem) for problem in error.problems), language=None)


def init_state_from_url(dataset: Dataset) -> None:
    """On a session's first run, set the widgets from the link (allow-listed)."""
    if "initialised" in st.session_state:
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state, notices = parse_query(params, dataset.names, dataset.event_ids,
                                   first_year=FIRST_YEAR, last_year=LAST_YEAR)
    st.session_state.update({
        "lanes": list(state.flt.dyads) or ALL_LANES,
        "categories": list(state.flt.categories),
        "quads": list(state.flt.quads),
        "years": (state.year_from or FIRST_YEAR, state.year_to or LAST_YEAR),
        "actors": list(state.flt.actors),
        "search": state.flt.search,
        "original_only": state.flt.original_only,
        "event": state.event,
        "notices": notices,
        "initialised": True,
    })
    compare.init_around_from_link(state.around)


def sidebar_filters(dataset: Dataset) -> tuple[ViewState, tuple[str, ...]]:
    with st.sidebar:
        st.header("Filters")
        lanes = st.multiselect("Lanes", ALL_LANES, key="lanes", format_func=lambda d: DYAD_LABELS[Dyad(d)])
        years = cast(tuple[int, int], st.slider("Years", FIRST_YEAR, LAST_YEAR, key="years"))
        categories = st.multiselect("Categories", [c.value for c in Category], key="categories",
                                    format_func=lambda c: CATEGORY_LABELS[Category(c)], placeholder="All categories")
        quads = st.multiselect("Quad class (PLOVER)", [q.value for q in Quad], key="quads",
                               format_func=lambda q: QUAD_LABELS[Quad(q)], placeholder="All")
        actors = st.multiselect("Actors", dataset.actor_names, key="actors",
                                placeholder="Any actor (type any spelling)",
                                format_func=lambda n: n + (f" ({', '.join(dataset.aliases_of(n))})"
                                                           if dataset.aliases_of(n) else ""))
        search = st.text_input("Search", key="search", max_chars=200,
                               placeholder="title, summary, names, places, aliases")
        original_only = st.toggle("Original publishers only", key="original_only",
                                  help="Only events with at least one source that is the original publisher's own "
                                       "page (not a repost, mirror or reference work).")
        if st.button("Reset filters"):
            for key in ("lanes", "categories", "quads", "years", "actors", "search", "original_only", "event"):
                st.session_state.pop(key, None)
            st.session_state.pop("initialised", None)
            st.query_params.clear()
            st.rerun()
    year_from = years[0] if years[0] != FIRST_YEAR else None
    year_to = years[1] if years[1] != LAST_YEAR else None
    shown_lanes = tuple(lane for lane in ALL_LANES if lane in lanes)
    flt = make_filter(dyads=lanes if set(lanes) != set(ALL_LANES) else (), categories=categories, quads=quads,
                      date_from=str(year_from) if year_from else None, date_to=str(year_to) if year_to else None,
                      actors=actors, search=search, original_only=original_only, names=dataset.names)
    return ViewState(flt=flt, year_from=year_from, year_to=year_to, event=st.session_state.get("event")), shown_lanes


def select_from_chart() -> None:
    points = st.session_state["timeline"].selection.get("points", [])
    ids = [point.get("customdata") for point in points if isinstance(point.get("customdata"), str)]
    st.session_state["event"] = ids[0] if ids else st.session_state.get("event")


def summary_line(shown: pd.DataFrame, total: int, flt: EventFilter) -> str:
    span = "no dates" if shown.empty else f"{shown['start'].min().year}–{shown['end'].max().year}"
    described = describe_filter(flt)
    return f"**{len(shown)} of {total} events**, {span}" + (f" · filtered by {markdown_literal(described)}"
                                                              if described else " · no filters")


def event_detail(dataset: Dataset, event_id: str) -> None:
    rows = dataset.events[dataset.events["id"] == event_id]
    if rows.empty:
        return
    event: Any = rows.iloc[0]
    with st.container(border=True):
        st.subheader(markdown_literal(event["title"]))
        st.markdown(f"**{markdown_literal(event['date_label'])}** · EDTF `{markdown_literal(event['date'])}` · "
                    f"{DYAD_LABELS[Dyad(event['dyad'])]} · {CATEGORY_LABELS[Category(event['category'])]} · "
                    f"{QUAD_LABELS[Quad(event['quad'])]}")
        st.markdown(markdown_literal(event["summary"]))
        if event["actors"]:
            st.markdown("**Actors:** " + markdown_literal(", ".join(event["actors"])))
        if event["places"]:
            st.markdown("**Places:** " + markdown_literal(", ".join(event["places"])))
        if event["note"]:
            st.info("**Note:** " + markdown_literal(event["note"]))
        if event["provenance_note"]:
            st.warning("**No original publisher's page:** " + markdown_literal(event["provenance_note"]))
        st.markdown("**Sources**")
        for source in event["sources"]:
            source_card(source)
        if event["related"]:
            st.markdown("**Related events**")
            for related in event["related"]:
                if st.button(markdown_literal(_title_of(dataset, related)), key=f"related-{event_id}-{related}"):
                    st.session_state["event"] = related
                    st.rerun()


def source_card(source: dict[str, Any]) -> None:
    """One cited source: who published it, what kind of page it is, the quote and its translation."""
    published = f", {source['published']}" if source["published"] else ""
    st.markdown(f"- {markdown_literal(source['publisher'])}{markdown_literal(published)}: "
                f"*{markdown_literal(source['title'])}*")
    st.caption(markdown_literal(source_provenance_line(source)))
    language = f" ({source['language']})" if source["language"] != READER_LANGUAGE else ""
    st.markdown(f"  > {markdown_literal(source['quote'])}{markdown_literal(language)}")
    if source["translation"]:
        st.markdown(f"  > *Translation:* {markdown_literal(source['translation'])}")
    links = [("Open source", safe_http_url(source["url"])), ("Archived copy", safe_http_url(source["archived_url"])),
             ("Original", safe_http_url(source["original_url"]))]
    shown = [(label, url) for label, url in links if url]
    for column, (label, url) in zip(st.columns(len(shown)) if shown else [], shown, strict=True):
        column.link_button(label, url)


def _title_of(dataset: Dataset, event_id: str) -> str:
    rows = dataset.events[dataset.events["id"] == event_id]
    return f"{rows.iloc[0]['date_label']}: {rows.iloc[0]['title']}" if not rows.empty else event_id


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_table_rows(events_dir: str, files_fingerprint: str) -> pd.DataFrame:
    """The table view's columns for every event, built once per dataset version."""
    dataset = cached_dataset(events_dir, files_fingerprint)
    assert isinstance(dataset, Dataset)
    events = dataset.events
    return pd.DataFrame({
        "Date": events["date_label"],
        "Lane": events["dyad"].map(lambda d: DYAD_LABELS[Dyad(d)]).astype(str),
        "Title": events["title"],
        "Category": events["category"].map(lambda c: CATEGORY_LABELS[Category(c)]).astype(str),
        "Source": events["sources"].map(lambda s: safe_http_url(s[0]["url"]) if s else None),
        "Sources": events["sources"].map(len),
        "EDTF": events["date"],
    }, index=events.index)


def highlighted(rows: pd.DataFrame, ids: pd.Series, selected: str | None) -> Any:
    """The table with the selected event's row highlighted (a Styler), or as is when it is not listed."""
    if selected is None or selected not in set(ids):
        return rows
    position = list(ids).index(selected)
    return rows.style.apply(lambda row: ["background-color: #cfe8ff; font-weight: bold"
                                         if row.name == position else "" for _ in row], axis=1)


def events_table(shown: pd.DataFrame, table_rows: pd.DataFrame, selected: str | None = None) -> None:
    listed = shown.index[:TABLE_ROW_LIMIT]
    if len(shown) > TABLE_ROW_LIMIT:
        st.caption(f"Listing the first {TABLE_ROW_LIMIT:,} of {len(shown):,} events; narrow the filters, "
                   "or download them all below.")
    selection = st.dataframe(
        highlighted(table_rows.loc[listed].reset_index(drop=True), shown.loc[listed, "id"], selected),
        hide_index=True, width="stretch", on_select="rerun",
        selection_mode="single-row", key="table",
        column_config={"Source": st.column_config.LinkColumn("First source", display_text="open"),
                       "Sources": st.column_config.NumberColumn("# sources")})
    rows = selection.selection.get("rows", []) if selection else []
    if rows and rows[0] < len(listed):
        chosen = str(shown.loc[listed[rows[0]], "id"])
        if chosen != st.session_state.get("table_choice"):
            st.session_state["table_choice"] = chosen
            st.session_state["event"] = chosen
            st.rerun()  # the details beside the timeline are drawn above the table: draw them again


def main() -> None:
    events_dir = events_dir_from_env()
    files_fingerprint = fingerprint(events_dir)
    loaded = cached_dataset(str(events_dir), files_fingerprint)
    st.title("Cambodia and the two Koreas, 1964–2026")
    if isinstance(loaded, DatasetError):
        show_problems(loaded, events_dir)
        return
    dataset = loaded
    init_state_from_url(dataset)
    for notice in st.session_state.get("notices", []):
        st.warning(markdown_literal(notice))
    state, lanes = sidebar_filters(dataset)
    shown = filter_events(dataset.events, state.flt)
    if state.event is not None and state.event not in dataset.event_ids:
        state = ViewState(state.flt, state.year_from, state.year_to, None)

    st.markdown(summary_line(shown, len(dataset.events), state.flt))
    x_range = (date(state.year_from or FIRST_YEAR, 1, 1), date(state.year_to or LAST_YEAR, 12, 31))
    selected = st.session_state.get("event")
    overlay = tuple(compare.selection_overlay(dataset, selected).items())
    timeline, counts, quads = cached_figures(files_fingerprint, state.flt, lanes=lanes, x_range=x_range,
                                             selected=selected, events_dir=str(events_dir), overlay=overlay)
    compare.page_styles()
    chart_column, detail_column = st.columns(COLUMNS)
    with chart_column:
        st.plotly_chart(timeline, key="timeline", on_select=select_from_chart, selection_mode="points",
                        config=compare.camera_config(state.flt),
                        alt=compare.timeline_alt(shown, lanes, state.flt))
        st.caption("Filled marks: dated to the day. Open marks with a bar: the whole span the date may fall in "
                   "(month, year, range, approximate or uncertain). Background: relationship status and "
                   "Cambodia's regimes (hover a band; all are listed under Relationship history). "
                   "Click a mark for its sources.")
        compare.image_downloads(dataset, shown, state.flt, selected)
    with detail_column, st.container(border=False, key="detail-panel"):  # height capped in views.compare.PAGE_CSS
        selected = st.session_state.get("event")
        if selected:
            compare.step_buttons(dataset, shown, selected)
            event_detail(dataset, selected)
        else:
            st.subheader("Event details")
            st.caption("Select an event in the timeline or the table: its details, sources and what happened "
                       "in the other lanes around it show here.")
    # Same split as above, so the charts' years line up under the timeline's.
    charts_column, around_column = st.columns(COLUMNS)
    with charts_column:
        compare.show_quad_chart(quads, shown, lanes)
        st.plotly_chart(counts, key="counts", config=compare.camera_config(state.flt),
                        alt="Events per year by category, one row per lane; the Events tab lists them.")
    with around_column:
        if selected:
            compare.around_section(dataset, selected)

    events_tab, chronology_tab, history_tab = st.tabs(["Events", "Chronology", "Relationship history"])
    with events_tab:
        events_table(shown, cached_table_rows(str(events_dir), files_fingerprint), st.session_state.get("event"))
        slug = filter_slug(state.flt)
        left, right = st.columns(2)
        # Deferred: the bytes are made when a reader clicks, not on every rerun.
        left.download_button("Download CSV", lambda: to_csv_bytes(shown), file_name=f"khm-korea-events_{slug}.csv",
                             mime="text/csv", key="download-csv", on_click="ignore")
        right.download_button("Download JSON", lambda: to_json_bytes(shown),
                              file_name=f"khm-korea-events_{slug}.json", mime="application/json",
                              key="download-json", on_click="ignore")
    with chronology_tab:
        texts = compare.image_texts(dataset, shown, state.flt, selected)
        compare.chronology_view(shown, *texts, filter_slug(state.flt))
    with history_tab:
        compare.relationship_history(dataset, lanes)
    # Last, so the link holds the selection made during this run too.
    st.query_params.from_dict(to_query(replace(state, event=st.session_state.get("event"),
                                               around=compare.around_months())))


main()
