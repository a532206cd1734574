"""Cambodia–Korea relations timeline: layout and wiring only.

Data comes from `pipeline` (loading, filtering, exports, URL state) and figures from
`figures`; this file decides where things go on the page and how widgets connect.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from figures.style import Theme
from figures.timeline import TimelineOptions, counts_figure, timeline_figure
from pipeline.compare import counts_summary
from pipeline.export import to_csv_bytes, to_json_bytes
from pipeline.filters import (
    EventFilter,
    Part,
    describe_filter,
    filter_events,
    filter_parts,
    filter_slug,
    make_filter,
    parts_hiding,
)
from pipeline.loading import Dataset, events_dir_from_env, fingerprint, load_dataset
from pipeline.package import export_metadata
from pipeline.problems import DatasetError
from pipeline.provenance import source_provenance_line
from pipeline.query import ViewState, parse_query, to_query
from pipeline.schema import READER_LANGUAGE, Category, Dyad, Quad, label
from pipeline.search import explain_rows
from pipeline.text import markdown_code, markdown_literal, safe_http_url
from views import citing, compare, methods

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


@st.cache_resource(show_spinner=False, max_entries=64)  # shared, not copied: callers never mutate it
def cached_shown(_dataset: Dataset, dataset_key: str, flt: EventFilter) -> pd.DataFrame:
    """The filtered events of one view, computed once and shared by the page, its figures and its
    downloads (the search alone costs ~10 ms per pass at the shipped size)."""
    return filter_events(_dataset.events, flt)


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_matched(_dataset: Dataset, dataset_key: str, flt: EventFilter, limit: int) -> list[str]:
    """Why each of the first `limit` shown events matched the search (the table's Matched column)."""
    shown = cached_shown(_dataset, dataset_key, flt).head(limit)
    return list(explain_rows(shown, flt.query, _dataset.names))


@st.cache_resource(show_spinner=False, max_entries=64)  # shared, not copied: figures are never mutated
def cached_figures(
    _dataset: Dataset,
    dataset_key: str,
    flt: EventFilter,
    *,
    lanes: tuple[str, ...],
    x_range: tuple[date, date],
    selected: str | None,
    overlay: tuple[tuple[str, Any], ...] = (),
    theme: Theme = "light",
) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Timeline, counts and cooperation-vs-conflict figures for one view; `overlay` holds the selected
    event's rule and "around" window (TimelineOptions fields); `dataset_key` stands for `_dataset`;
    `theme` ("light" or "dark", the reader's Streamlit theme) picks the charts' palette."""
    shown = cached_shown(_dataset, dataset_key, flt) if lanes else _dataset.events.iloc[:0]  # no lane chosen: none
    described = describe_filter(flt)
    options = TimelineOptions(
        lanes=lanes,
        x_range=x_range,
        selected_id=selected,
        height=TIMELINE_HEIGHT,
        label_width_px=TIMELINE_LABEL_WIDTH,
        title=TIMELINE_TITLE,
        subtitle=f"{len(shown)} events · " + (described or "no filters"),
        theme=theme,
        **dict(overlay),
    )
    return (
        timeline_figure(shown, _dataset.periods, options),
        counts_figure(shown, lanes, x_range, theme=theme),
        compare.quad_chart(shown, lanes, x_range, theme=theme),
    )


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
    shown = cached_shown(_dataset, dataset_key, flt)
    if export_format == "csv":
        return to_csv_bytes(shown)
    if export_format == "json":
        return to_json_bytes(shown, export_metadata(flt, len(shown), _dataset.version, link, accessed))
    events_csv = cached_export(_dataset, dataset_key, flt, "csv", "", accessed)
    return citing.package_payload(_dataset, shown, flt, link, events_csv)


class PageState:
    """The one owner of a session's view state: the link it started from, its notices and the
    selected event. Nothing else reads or writes `st.session_state` for these; widgets keep
    their own values under their keys.

    The URL follows the view (written at the end of every run; Streamlit adds a history entry
    when it changes), and Back/Forward bring the view back to the URL: a rerun that Streamlit marks
    as history navigation sets every filter, the selection and the window from the URL again."""

    WIDGET_KEYS = ("lanes", "categories", "quads", "years", "actors", "search", "original_only")
    # What removing a filter part (pipeline.filters.Part) sets its widget to.
    PART_WIDGETS: ClassVar[dict[Part, tuple[str, Any]]] = {
        Part.LANES: ("lanes", ALL_LANES),
        Part.CATEGORIES: ("categories", []),
        Part.QUADS: ("quads", []),
        Part.DATES: ("years", (FIRST_YEAR, LAST_YEAR)),
        Part.ACTORS: ("actors", []),
        Part.SEARCH: ("search", ""),
        Part.SOURCES: ("original_only", False),
    }

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._state = st.session_state

    def start_from_url(self) -> None:
        """On a session's first run, and after Back/Forward, set the widgets from the link
        (allow-listed). Later, restore from the link only the filters whose state Streamlit dropped
        (a run that did not draw them, such as one on the Methods page): the others keep the
        reader's values."""
        dropped = [key for key in self.WIDGET_KEYS if key not in self._state]
        back_or_forward = "initialised" in self._state and _is_history_navigation()
        if "initialised" in self._state and not dropped and not back_or_forward:
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
            "original_only": state.flt.original_only,
        }
        if "initialised" in self._state and not back_or_forward:
            self._state.update({key: widgets[key] for key in dropped})
            return
        self._state.update({**widgets, "event": state.event, "notices": notices, "initialised": True})
        self._state.pop("notices_for", None)
        compare.init_around_from_link(state.around, from_history=back_or_forward)

    def on_link_view(self, view_query: dict[str, str]) -> bool:
        """Whether the view is still the one the link opened (its notices show only then); the first
        change (a filter, a selection) ends that for good."""
        if self._state.setdefault("notices_for", view_query) == view_query:
            return True
        self._state["notices"] = []
        self._state["notices_for"] = None  # coming back to the link's view does not bring them back
        return False

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

    def select_from_table(self, chosen: str | None) -> bool:
        """A table row selects its event once; the selection persists, so only a new row counts.
        True when the selection changed (the card above the table then needs a rerun to show it)."""
        if chosen is not None and chosen != self._state.get("table_choice"):
            self._state["table_choice"] = chosen
            self.select(chosen)
            return True
        return False

    def select_from_picker(self) -> None:
        """on_change of the keyboard "Select event" box: open the chosen event, then empty the box
        (the card, not the box, shows what is selected)."""
        chosen = self._state.get("event-picker")
        if isinstance(chosen, str):
            self.select(chosen)
        self._state["event-picker"] = None

    def remove_parts(self, parts: tuple[Part, ...]) -> None:
        """Button callback: drop these filter parts (each widget back to "no restriction"; for the
        lanes, all of them, also when none was chosen)."""
        for part in parts:
            key, value = self.PART_WIDGETS[part]
            self._state[key] = list(value) if isinstance(value, list) else value

    def reset(self) -> None:
        for key in (*self.WIDGET_KEYS, "event", "initialised"):
            self._state.pop(key, None)
        st.query_params.clear()


def _is_history_navigation() -> bool:
    """Whether this run was started by the browser's Back or Forward (Streamlit then reruns with the
    URL of that history entry)."""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def show_problems(error: DatasetError, events_dir: Path) -> None:
    st.error(
        f"The events data in {markdown_code(str(events_dir))} has {len(error.problems)} problem(s); "
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
        # No "Select all"/"Select N matches" row (Enter picks the first match), and plain
        # substring matching on the name and all its spellings instead of fuzzy subsequences.
        actors = st.multiselect(
            "Actors",
            dataset.actor_names,
            key="actors",
            select_all=False,
            filter_mode="contains",
            placeholder="Any actor (type any spelling or script)",
            format_func=lambda n: n + (f" ({', '.join(dataset.aliases_of(n))})" if dataset.aliases_of(n) else ""),
        )
        search = st.text_input(
            "Search", key="search", max_chars=200, placeholder="title, summary, names, places, aliases"
        )
        original_only = st.toggle(
            "Original publishers only",
            key="original_only",
            help="Only events with at least one source that is the original publisher's own page "
            "(not a repost, mirror or reference work).",
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
        original_only=original_only,
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
            f"**{markdown_literal(event['date_label'])}** · EDTF {markdown_code(event['date'])} · "
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
        if event["provenance_note"]:
            st.warning("**No original publisher's page:** " + markdown_literal(event["provenance_note"]))
        st.markdown("**Sources**")
        for source in event["sources"]:
            source_card(source)
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


def source_card(source: dict[str, Any]) -> None:
    """One cited source: who published it, what kind of page it is, the quote and its translation."""
    published = f", {source['published']}" if source["published"] else ""
    st.markdown(
        f"- {markdown_literal(source['publisher'])}{markdown_literal(published)}: *{markdown_literal(source['title'])}*"
    )
    st.caption(markdown_literal(source_provenance_line(source)))
    language = f" ({source['language']})" if source["language"] != READER_LANGUAGE else ""
    st.markdown(f"  > {markdown_literal(source['quote'])}{markdown_literal(language)}")
    if source["translation"]:
        st.markdown(f"  > *Translation:* {markdown_literal(source['translation'])}")
    links = [
        ("Open source", safe_http_url(source["url"])),
        ("Archived copy", safe_http_url(source["archived_url"])),
        ("Original", safe_http_url(source["original_url"])),
    ]
    shown = [(text, url) for text, url in links if url]
    for column, (text, url) in zip(st.columns(len(shown)) if shown else [], shown, strict=True):
        column.link_button(text, url)


def _title_of(dataset: Dataset, event_id: str) -> str:
    rows = dataset.events[dataset.events["id"] == event_id]
    return f"{rows.iloc[0]['date_label']}: {rows.iloc[0]['title']}" if not rows.empty else event_id


def highlighted(rows: pd.DataFrame, ids: pd.Series, selected: str | None) -> Any:
    """The table with the selected event's row highlighted (a Styler), or as is when it is not listed."""
    if selected is None or selected not in set(ids):
        return rows
    position = list(ids).index(selected)
    return rows.style.apply(
        lambda row: ["background-color: #cfe8ff; font-weight: bold" if row.name == position else "" for _ in row],
        axis=1,
    )


def events_table(
    shown: pd.DataFrame,
    table_rows: pd.DataFrame,
    flt: EventFilter,
    dataset: Dataset,
    dataset_key: str,
    *,
    selected: str | None,
) -> str | None:
    """The table of events; the id of the row the reader selected, if any."""
    listed = shown.index[:TABLE_ROW_LIMIT]
    if len(shown) > TABLE_ROW_LIMIT:
        st.caption(
            f"Listing the first {TABLE_ROW_LIMIT:,} of {len(shown):,} events; narrow the filters, "
            "or download them all below."
        )
    rows_shown = table_rows.loc[listed]
    if flt.search and not shown.empty:  # shown is the view's cached_shown (or empty with no lane chosen)
        rows_shown = rows_shown.assign(Matched=cached_matched(dataset, dataset_key, flt, TABLE_ROW_LIMIT))
    selection = st.dataframe(
        highlighted(rows_shown.reset_index(drop=True), shown.loc[listed, "id"], selected),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="table",
        column_config={
            "Source": st.column_config.LinkColumn("First source", display_text="open"),
            "Sources": st.column_config.NumberColumn("# sources"),
            "Matched": st.column_config.TextColumn("Matched", help="why the search matched this event"),
        },
    )
    rows = selection.selection.get("rows", []) if selection else []
    if rows and rows[0] < len(listed):
        return str(shown.loc[listed[rows[0]], "id"])
    return None


def downloads(dataset: Dataset, dataset_key: str, flt: EventFilter, link: str, *, empty: bool) -> None:
    """CSV and JSON of the filtered rows. The bytes are sent with the page (not deferred): a deferred
    file is unreferenced once made, so any session's rerun could delete it before the reader's
    browser fetched it; these stay referenced by this session until its next rerun. With no rows,
    the buttons are off (a file of headers only helps nobody)."""
    if empty:
        st.caption("Nothing to download: no events match the current filters.")
        labels = ("Download CSV", "Download JSON", "Download data package")
        for column, text in zip(st.columns(len(labels)), labels, strict=True):
            column.download_button(text, b"", disabled=True, key=f"off-{text}", on_click="ignore")
        return
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
    notice_area = st.container()  # filled once the view is known: the link's notices last until it changes
    view, lanes = sidebar_filters(dataset, page)
    shown = cached_shown(dataset, dataset_key, view.flt) if lanes else dataset.events.iloc[:0]
    selected = page.event
    view_query = to_query(replace(view, event=selected, around=compare.around_months()))
    version = dataset.version
    if page.on_link_view(view_query):
        with notice_area:
            for notice in page.notices:
                st.warning(markdown_literal(notice))
            citing.show_link_notice(version, shown["id"])

    st.markdown(summary_line(shown, len(dataset.events), view.flt))
    if shown.empty:
        no_results_help(view.flt, lanes, page)
    link = citing.link_and_citation(view, shown, version)
    x_range = (date(view.year_from or FIRST_YEAR, 1, 1), date(view.year_to or LAST_YEAR, 12, 31))
    overlay = tuple(compare.selection_overlay(dataset, selected).items())
    timeline, counts, quads = cached_figures(
        dataset,
        dataset_key,
        view.flt,
        lanes=lanes,
        x_range=x_range,
        selected=selected,
        overlay=overlay,
        theme=compare.chart_theme(),
    )
    compare.page_styles()
    chart_column, detail_column = st.columns(COLUMNS)
    with chart_column:
        st.plotly_chart(
            timeline,
            key="timeline",
            on_select=page.select_from_chart,
            selection_mode="points",
            config=compare.camera_config(view.flt),
            alt=compare.timeline_alt(shown, lanes, view.flt),
        )
        st.caption(
            "Filled marks: dated to the day. Open marks with a bar: the whole span the date may fall in "
            "(month, year, range, approximate or uncertain). Background: relationship status and "
            "Cambodia's regimes (hover a band; all are listed under Relationship history). "
            "Click a mark for its sources; zoom with the Years filter (the labels follow, the link keeps it)."
        )
        compare.image_downloads(dataset, shown, view.flt, selected)
    with detail_column, st.container(border=False, key="detail-panel"):  # height capped in views.compare.PAGE_CSS
        if selected:
            if selected not in set(shown["id"]):
                hidden_selection_notice(dataset, selected, view.flt, lanes, page)
            compare.step_buttons(dataset, shown, selected, page.select)
            event_detail(dataset, selected, page, view)
        else:
            st.subheader("Event details")
            st.caption(
                "Select an event in the timeline or the table (or with the keyboard: the “Select event” "
                "box above the table): its details, sources and what happened in the other lanes around "
                "it show here."
            )
    # Same split as above, so the charts' years line up under the timeline's.
    charts_column, around_column = st.columns(COLUMNS)
    with charts_column:
        compare.show_quad_chart(quads, shown, lanes)
        st.plotly_chart(
            counts,
            key="counts",
            config=compare.camera_config(view.flt),
            alt=counts_summary(shown, lanes),
        )
    with around_column:
        if selected:
            compare.around_section(dataset, selected, page.select)

    events_tab, chronology_tab, history_tab = st.tabs(["Events", "Chronology", "Relationship history"])
    with events_tab:
        event_picker(shown, page)
        chosen = events_table(
            shown, cached_table_rows(dataset, dataset_key), view.flt, dataset, dataset_key, selected=selected
        )
        if page.select_from_table(chosen):
            st.rerun()
        downloads(dataset, dataset_key, view.flt, link, empty=shown.empty)
    with chronology_tab:
        texts = compare.image_texts(dataset, shown, view.flt, selected)
        compare.chronology_view(shown, *texts, filter_slug(view.flt), view_key=(dataset_key, view.flt))
    with history_tab:
        compare.relationship_history(dataset, lanes)
    selected = page.event
    citing.footer(version)
    st.page_link(METHODS_PAGE, label="Methods, codebook, licence and how to cite", icon=":material/menu_book:")
    # Last, so the link holds the selection made during this run too.
    st.query_params.from_dict(
        {**to_query(replace(view, event=selected, around=compare.around_months())), "v": version.label}
    )


def no_results_help(flt: EventFilter, lanes: tuple[str, ...], page: PageState) -> None:
    """No events match: say so, and offer to remove each filter part in one click."""
    parts = filter_parts(flt)
    if not lanes:
        st.warning("No lane is selected, so no events are shown.", icon=":material/filter_alt_off:")
        st.button("Show all lanes", key="remove-lanes", on_click=page.remove_parts, args=((Part.LANES,),))
        return
    st.warning(
        "No events match the current filters. Remove one of them (the charts below are empty and the "
        "downloads are off until something matches):",
        icon=":material/filter_alt_off:",
    )
    buttons = st.container(horizontal=True)
    for part, words in parts.items():
        buttons.button(
            f"✕ {words}", key=f"remove-{part.value}", on_click=page.remove_parts, args=((part,),), help="Remove"
        )
    buttons.button("Reset all filters", key="remove-all", on_click=page.remove_parts, args=((*parts, Part.LANES),))


def hidden_selection_notice(
    dataset: Dataset, selected: str, flt: EventFilter, lanes: tuple[str, ...], page: PageState
) -> None:
    """The selected event is not among the shown ones: say which filters hide it; show it or clear."""
    hiding = parts_hiding(dataset.events, selected, flt)
    reasons = [filter_parts(flt)[part] for part in hiding]
    lane = str(dataset.events.loc[dataset.events["id"] == selected, "dyad"].iloc[0])
    if lane not in lanes and Part.LANES not in hiding:  # no lane chosen: the filter itself has no lane part
        reasons.insert(0, f"lane {label('dyad', lane)} not selected")
        hiding = (Part.LANES, *hiding)
    st.warning(
        "This event is hidden by the current filters (" + markdown_literal("; ".join(reasons)) + ").",
        icon=":material/visibility_off:",
    )
    buttons = st.container(horizontal=True)
    buttons.button(
        "Show it",
        key="show-hidden",
        on_click=page.remove_parts,
        args=(hiding,),
        help="Remove just the filters that hide it",
    )
    buttons.button("Clear selection", key="clear-selection", on_click=page.select, args=(None,))


def event_picker(shown: pd.DataFrame, page: PageState) -> None:
    """Keyboard path to an event: Tab to the box, type part of a date or title, Enter opens it."""
    listed = shown.head(TABLE_ROW_LIMIT)
    titles = dict(zip(listed["id"], listed["date_label"] + ": " + listed["title"], strict=True))
    if not titles:  # nothing to pick (the no-results help above says why)
        return
    st.selectbox(
        "Select event",
        list(titles),
        index=None,
        key="event-picker",
        format_func=lambda event_id: titles.get(event_id, event_id),
        on_change=page.select_from_picker,
        placeholder="Type a date or words of a title, then Enter (or click a mark or a row)",
        filter_mode="contains",  # the typed text as written, not a fuzzy subsequence: Enter opens what it says
    )


def methods_page() -> None:
    for key in PageState.WIDGET_KEYS:  # keep the timeline's filters while the reader is on this page
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    events_dir = events_dir_from_env()
    loaded = cached_dataset(str(events_dir), fingerprint(events_dir))
    if isinstance(loaded, DatasetError):
        show_problems(loaded, events_dir)
        return
    compare.page_styles()  # the same contrast fixes as the timeline page
    methods.render(loaded, citing.base_url())
    citing.footer(loaded.version)


METHODS_PAGE = st.Page(methods_page, title="Methods and codebook", icon=":material/menu_book:", url_path="methods")
st.navigation(
    [st.Page(main, title="Timeline", icon=":material/timeline:", default=True), METHODS_PAGE], position="top"
).run()
