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
from pipeline.package import export_metadata
from pipeline.problems import DatasetError
from pipeline.query import ViewState, parse_query, to_query
from pipeline.schema import Category, Dyad, Quad, label
from pipeline.text import markdown_literal, safe_http_url
from views import citing, methods

FIRST_YEAR, LAST_YEAR = 1964, date.today().year
ALL_LANES = [d.value for d in Dyad]
# Rows sent to the browser's table; more would cost seconds and megabytes at 100k events.
# Downloads always hold every filtered row.
TABLE_ROW_LIMIT = 2000

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
def cached_figures(
    _dataset: Dataset,
    dataset_key: str,
    flt: EventFilter,
    *,
    lanes: tuple[str, ...],
    x_range: tuple[date, date],
    selected: str | None,
) -> tuple[go.Figure, go.Figure]:
    """Both figures for one view; `dataset_key` (the files' fingerprint) stands for `_dataset` in the cache key."""
    shown = filter_events(_dataset.events, flt)
    options = TimelineOptions(lanes=lanes, x_range=x_range, selected_id=selected)
    return timeline_figure(shown, _dataset.periods, options), counts_figure(shown, lanes, x_range)


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_table_rows(_dataset: Dataset, dataset_key: str) -> pd.DataFrame:
    """The table view's columns for every event, built once per dataset version."""
    events = _dataset.events
    return pd.DataFrame(
        {
            "Date": events["date_label"],
            "Lane": events["dyad"].map(lambda d: label("dyad", d)).astype(str),
            "Title": events["title"],
            "Category": events["category"].map(lambda c: label("category", c)).astype(str),
            "Source": events["sources"].map(lambda s: safe_http_url(s[0]["url"]) if s else None),
            "Sources": events["sources"].map(len),
            "EDTF": events["date"],
        },
        index=events.index,
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_export(
    _dataset: Dataset, dataset_key: str, flt: EventFilter, export_format: str, link: str, accessed: date
) -> bytes:
    """The download's bytes for one filter, made once and shared by every session asking for it."""
    shown = filter_events(_dataset.events, flt)
    if export_format == "csv":
        return to_csv_bytes(shown)
    if export_format == "json":
        return to_json_bytes(shown, export_metadata(flt, len(shown), _dataset.version, link, accessed))
    events_csv = cached_export(_dataset, dataset_key, flt, "csv", "", accessed)
    return citing.package_payload(_dataset, shown, flt, link, events_csv)


class PageState:
    """The one owner of a session's view state: the link it started from, its notices and the
    selected event. Nothing else reads or writes `st.session_state` for these; widgets keep
    their own values under their keys."""

    WIDGET_KEYS = ("lanes", "categories", "quads", "years", "actors", "search")

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._state = st.session_state

    def start_from_url(self) -> None:
        """On a session's first run, set the widgets from the link (allow-listed). Later, restore
        from the link only the filters whose state Streamlit dropped (a run that did not draw them,
        such as one on the Methods page): the others keep the reader's values."""
        dropped = [key for key in self.WIDGET_KEYS if key not in self._state]
        if "initialised" in self._state and not dropped:
            return
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        state, notices = parse_query(
            params, self._dataset.names, self._dataset.event_ids, first_year=FIRST_YEAR, last_year=LAST_YEAR
        )
        widgets = {
            "lanes": list(state.flt.dyads) or ALL_LANES,
            "categories": list(state.flt.categories),
            "quads": list(state.flt.quads),
            "years": (state.year_from or FIRST_YEAR, state.year_to or LAST_YEAR),
            "actors": list(state.flt.actors),
            "search": state.flt.search,
        }
        if "initialised" in self._state:
            self._state.update({key: widgets[key] for key in dropped})
            return
        self._state.update({**widgets, "event": state.event, "notices": notices, "initialised": True})

    @property
    def notices(self) -> list[str]:
        return list(self._state.get("notices", []))

    @property
    def event(self) -> str | None:
        """The selected event, if it is one of this dataset's."""
        chosen = self._state.get("event")
        return chosen if isinstance(chosen, str) and chosen in self._dataset.event_ids else None

    def select(self, event_id: str | None) -> None:
        self._state["event"] = event_id

    def select_from_chart(self) -> None:
        """on_select callback of the timeline: the clicked mark's event, or the current one."""
        points = self._state["timeline"].selection.get("points", [])
        ids = [point.get("customdata") for point in points if isinstance(point.get("customdata"), str)]
        if ids:
            self.select(ids[0])

    def select_from_table(self, chosen: str | None) -> None:
        """A table row selects its event once; the selection persists, so only a new row counts."""
        if chosen is not None and chosen != self._state.get("table_choice"):
            self._state["table_choice"] = chosen
            self.select(chosen)

    def reset(self) -> None:
        for key in (*self.WIDGET_KEYS, "event", "initialised"):
            self._state.pop(key, None)
        st.query_params.clear()


def show_problems(error: DatasetError, events_dir: Path) -> None:
    st.error(
        f"The events data in `{markdown_literal(str(events_dir))}` has {len(error.problems)} problem(s); "
        "nothing is shown until they are fixed."
    )
    st.code("\n".join(str(problem) for problem in error.problems), language=None)


def sidebar_filters(dataset: Dataset, page: PageState) -> tuple[ViewState, tuple[str, ...]]:
    """The filter widgets; the view they describe, without the selection (the page owns that)."""
    with st.sidebar:
        st.header("Filters")
        lanes = st.multiselect("Lanes", ALL_LANES, key="lanes", format_func=lambda d: label("dyad", d))
        years = cast(tuple[int, int], st.slider("Years", FIRST_YEAR, LAST_YEAR, key="years"))
        categories = st.multiselect(
            "Categories",
            [c.value for c in Category],
            key="categories",
            format_func=lambda c: label("category", c),
            placeholder="All categories",
        )
        quads = st.multiselect(
            "Quad class (PLOVER)",
            [q.value for q in Quad],
            key="quads",
            format_func=lambda q: label("quad", q),
            placeholder="All",
        )
        actors = st.multiselect(
            "Actors",
            dataset.actor_names,
            key="actors",
            placeholder="Any actor (type any spelling)",
            format_func=lambda n: n + (f" ({', '.join(dataset.aliases_of(n))})" if dataset.aliases_of(n) else ""),
        )
        search = st.text_input(
            "Search", key="search", max_chars=200, placeholder="title, summary, names, places, aliases"
        )
        if st.button("Reset filters"):
            page.reset()
            st.rerun()
    year_from = years[0] if years[0] != FIRST_YEAR else None
    year_to = years[1] if years[1] != LAST_YEAR else None
    shown_lanes = tuple(lane for lane in ALL_LANES if lane in lanes)
    flt = make_filter(
        dyads=lanes if set(lanes) != set(ALL_LANES) else (),
        categories=categories,
        quads=quads,
        date_from=str(year_from) if year_from else None,
        date_to=str(year_to) if year_to else None,
        actors=actors,
        search=search,
        names=dataset.names,
    )
    return ViewState(flt=flt, year_from=year_from, year_to=year_to), shown_lanes


def summary_line(shown: pd.DataFrame, total: int, flt: EventFilter) -> str:
    span = "no dates" if shown.empty else f"{shown['start'].min().year}–{shown['end'].max().year}"
    described = describe_filter(flt)
    return f"**{len(shown)} of {total} events**, {span}" + (
        f" · filtered by {markdown_literal(described)}" if described else " · no filters"
    )


def event_detail(dataset: Dataset, event_id: str, page: PageState, view: ViewState) -> None:
    rows = dataset.events[dataset.events["id"] == event_id]
    if rows.empty:
        return
    event: Any = rows.iloc[0]
    with st.container(border=True):
        st.subheader(markdown_literal(event["title"]))
        st.markdown(
            f"**{markdown_literal(event['date_label'])}** · EDTF `{markdown_literal(event['date'])}` · "
            f"{label('dyad', event['dyad'])} · {label('category', event['category'])} · "
            f"{label('quad', event['quad'])}"
        )
        st.markdown(markdown_literal(event["summary"]))
        if event["actors"]:
            st.markdown("**Actors:** " + markdown_literal(", ".join(event["actors"])))
        if event["places"]:
            st.markdown("**Places:** " + markdown_literal(", ".join(event["places"])))
        if event["note"]:
            st.info("**Note:** " + markdown_literal(event["note"]))
        st.markdown("**Sources**")
        for source in event["sources"]:
            published = f", {source['published']}" if source["published"] else ""
            st.markdown(
                f"- {markdown_literal(source['publisher'])}{markdown_literal(published)}: "
                f"*{markdown_literal(source['title'])}*"
            )
            st.markdown(f"  > {markdown_literal(source['quote'])}")
            url = safe_http_url(source["url"])
            if url:
                st.link_button("Open source", url)
        if event["related"]:
            st.markdown("**Related events**")
            for related in event["related"]:
                st.button(
                    markdown_literal(_title_of(dataset, related)),
                    key=f"related-{event_id}-{related}",
                    on_click=page.select,
                    args=(related,),
                )
        citing.event_citation(event, view, dataset.version)


def _title_of(dataset: Dataset, event_id: str) -> str:
    rows = dataset.events[dataset.events["id"] == event_id]
    return f"{rows.iloc[0]['date_label']}: {rows.iloc[0]['title']}" if not rows.empty else event_id


def events_table(shown: pd.DataFrame, table_rows: pd.DataFrame) -> str | None:
    """The table of events; the id of the row the reader selected, if any."""
    listed = shown.index[:TABLE_ROW_LIMIT]
    if len(shown) > TABLE_ROW_LIMIT:
        st.caption(
            f"Listing the first {TABLE_ROW_LIMIT:,} of {len(shown):,} events; narrow the filters, "
            "or download them all below."
        )
    selection = st.dataframe(
        table_rows.loc[listed].reset_index(drop=True),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="table",
        column_config={
            "Source": st.column_config.LinkColumn("First source", display_text="open"),
            "Sources": st.column_config.NumberColumn("# sources"),
        },
    )
    rows = selection.selection.get("rows", []) if selection else []
    if rows and rows[0] < len(listed):
        return str(shown.loc[listed[rows[0]], "id"])
    return None


def downloads(dataset: Dataset, dataset_key: str, flt: EventFilter, link: str) -> None:
    """CSV and JSON of the filtered rows. The bytes are sent with the page (not deferred): a deferred
    file is unreferenced once made, so any session's rerun could delete it before the reader's
    browser fetched it; these stay referenced by this session until its next rerun."""
    slug = filter_slug(flt)
    name = f"khm-korea-events_{dataset.version.slug()}_{slug}"
    left, middle, right = st.columns(3)
    left.download_button(
        "Download CSV",
        cached_export(dataset, dataset_key, flt, "csv", "", date.today()),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="download-csv",
        on_click="ignore",
    )
    middle.download_button(
        "Download JSON",
        cached_export(dataset, dataset_key, flt, "json", link, date.today()),
        file_name=f"{name}.json",
        mime="application/json",
        key="download-json",
        on_click="ignore",
    )
    with right:
        citing.package_button(dataset, cached_export(dataset, dataset_key, flt, "zip", link, date.today()), slug)


def main() -> None:
    events_dir = events_dir_from_env()
    dataset_key = fingerprint(events_dir)
    loaded = cached_dataset(str(events_dir), dataset_key)
    st.title("Cambodia and the two Koreas, 1964–2026")
    if isinstance(loaded, DatasetError):
        show_problems(loaded, events_dir)
        return
    dataset = loaded
    page = PageState(dataset)
    page.start_from_url()
    citing.remember_link_version()
    for notice in page.notices:
        st.warning(markdown_literal(notice))
    view, lanes = sidebar_filters(dataset, page)
    shown = filter_events(dataset.events, view.flt)

    st.markdown(summary_line(shown, len(dataset.events), view.flt))
    version = dataset.version
    citing.show_link_notice(version, shown["id"])
    link = citing.link_and_citation(view, shown, version)
    x_range = (date(view.year_from or FIRST_YEAR, 1, 1), date(view.year_to or LAST_YEAR, 12, 31))
    timeline, counts = cached_figures(dataset, dataset_key, view.flt, lanes=lanes, x_range=x_range, selected=page.event)
    st.caption(
        "Filled marks: dated to the day. Open marks with a bar: the whole span the date may fall in "
        "(month, year, range, approximate or uncertain). Background: relationship status and "
        "Cambodia's regimes. Click a mark for its sources."
    )
    st.plotly_chart(
        timeline,
        key="timeline",
        on_select=page.select_from_chart,
        selection_mode="points",
        config={"displaylogo": False},
    )
    st.plotly_chart(counts, key="counts", config={"displaylogo": False})

    detail_column, table_column = st.columns([2, 3])
    with table_column:
        st.subheader("Events")
        page.select_from_table(events_table(shown, cached_table_rows(dataset, dataset_key)))
        downloads(dataset, dataset_key, view.flt, link)
    selected = page.event
    with detail_column:
        st.subheader("Event details")
        if selected:
            event_detail(dataset, selected, page, view)
        else:
            st.caption("Select an event in the timeline or the table.")
    citing.footer(version)
    st.page_link(METHODS_PAGE, label="Methods, codebook, licence and how to cite", icon=":material/menu_book:")
    # Last, so the link holds the selection made during this run too.
    st.query_params.from_dict({**to_query(replace(view, event=selected)), "v": version.label})


def methods_page() -> None:
    for key in PageState.WIDGET_KEYS:  # keep the timeline's filters while the reader is on this page
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    events_dir = events_dir_from_env()
    loaded = cached_dataset(str(events_dir), fingerprint(events_dir))
    if isinstance(loaded, DatasetError):
        show_problems(loaded, events_dir)
        return
    methods.render(loaded, citing.base_url())
    citing.footer(loaded.version)


METHODS_PAGE = st.Page(methods_page, title="Methods and codebook", icon=":material/menu_book:", url_path="methods")
st.navigation(
    [st.Page(main, title="Timeline", icon=":material/timeline:", default=True), METHODS_PAGE], position="top"
).run()
