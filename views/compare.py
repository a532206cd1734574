"""Streamlit page parts for comparing and reading (issue 13): stepping through events, "Around this
event", the cooperation-vs-conflict chart, the relationship history, the parallel chronology and
slide-ready image downloads. Layout and wiring only: the logic is in pipeline.compare,
pipeline.chronology and pipeline.slides, the figures in figures/."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from figures.compare import quad_figure
from figures.slides import slide_timeline
from figures.style import Theme, theme_of
from pipeline.chronology import Entry, chronology, chronology_html
from pipeline.citation import permalink, view_state_for
from pipeline.compare import (
    AROUND_MONTHS,
    DEFAULT_AROUND,
    QUAD_METHOD_NOTE,
    around_window,
    events_around,
    left_out_of_counts,
    neighbours,
    net_cooperation,
    period_history,
    quad_counts,
    quad_summary,
    timeline_summary,
)
from pipeline.filters import EventFilter, describe_filter, filter_events, filter_slug
from pipeline.loading import Dataset
from pipeline.schema import DYAD_LABELS, Dyad
from pipeline.slides import SlideText, render_image, slide_text
from pipeline.text import markdown_literal
from views import citing

AROUND_KEY = "around"
IMAGE_WIDTH, IMAGE_HEIGHT = 1600, 900
# Events listed in the Chronology tab; more cost seconds per rerun (the download holds them all).
CHRONOLOGY_LIMIT = 1000
AROUND_LIMIT = 50  # buttons per lane in "Around this event"


IMAGES_KEY = "images-for"  # the view whose slide images were asked for


# The page's selection setter (dashboard.PageState.select, the one owner of the selected event).
Select = Callable[[str | None], None]


def event_row(dataset: Dataset, event_id: str | None) -> pd.Series | None:
    if not event_id:
        return None
    rows = dataset.events[dataset.events["id"] == event_id]
    return rows.iloc[0] if not rows.empty else None


def around_months() -> int:
    """The "Around this event" window chosen (widget key `around`, from the link's `around=`)."""
    value = st.session_state.get(AROUND_KEY)
    return int(value) if value in AROUND_MONTHS else DEFAULT_AROUND


def init_around_from_link(around: int | None, *, from_history: bool = False) -> None:
    """The window from the link on a session's first run, and again after Back/Forward."""
    if AROUND_KEY not in st.session_state or from_history:
        st.session_state[AROUND_KEY] = around if around in AROUND_MONTHS else DEFAULT_AROUND


def selection_overlay(dataset: Dataset, event_id: str | None) -> dict[str, Any]:
    """TimelineOptions fields for the selected event: the rule at its date and the around window."""
    row = event_row(dataset, event_id)
    if row is None:
        return {}
    months = around_months()
    low, high = around_window(row["start"], row["end"], months)
    return {
        "rule": (row["start"].date(), row["end"].date()),
        "window": (low.date(), high.date()),
        "window_months": months,
    }


def step_buttons(dataset: Dataset, shown: pd.DataFrame, event_id: str, select: Select) -> None:
    """Previous/Next through the shown events in date order: within the lane, and across lanes."""
    row = event_row(dataset, event_id)
    if row is None:
        return
    lane = str(row["dyad"])
    steps = [
        ("lane", neighbours(shown, row, lane=lane), "in lane", f"in {DYAD_LABELS[Dyad(lane)]}"),
        ("all", neighbours(shown, row), "any lane", "in any lane"),
    ]
    for scope, found, words, helping in steps:
        buttons = st.container(horizontal=True)
        buttons.button(
            f"◀ Previous {words}",
            key=f"prev-{scope}",
            disabled=found.previous is None,
            on_click=select,
            args=(found.previous,),
            help=f"The shown event just before this one {helping}, in date order",
        )
        buttons.button(
            f"Next {words} ▶",
            key=f"next-{scope}",
            disabled=found.next is None,
            on_click=select,
            args=(found.next,),
            help=f"The shown event just after this one {helping}, in date order",
        )


def around_section(dataset: Dataset, event_id: str, select: Select) -> None:
    """The other lanes' events within ±N months of the selected one, whatever the filters."""
    row = event_row(dataset, event_id)
    if row is None:
        return
    st.markdown("**Around this event** — the other lanes")
    st.segmented_control(
        "Window (months either side)",
        AROUND_MONTHS,
        key=AROUND_KEY,
        format_func=lambda months: f"±{months}",
        selection_mode="single",
        required=True,
    )
    months = around_months()
    found = events_around(dataset.events, row, months)
    low, high = around_window(row["start"], row["end"], months)
    st.caption(
        f"{len(found)} events in the other lanes from {low.date().isoformat()} to {high.date().isoformat()}, "
        "from all events whatever the filters (the window is drawn on the timeline)."
    )
    for lane in (d.value for d in Dyad):
        in_lane = found[found["dyad"] == lane]
        if in_lane.empty:
            continue
        st.markdown(f"*{DYAD_LABELS[Dyad(lane)]}*")
        if len(in_lane) > AROUND_LIMIT:
            st.caption(f"The first {AROUND_LIMIT} of {len(in_lane):,}; a narrower window lists fewer.")
            in_lane = in_lane.head(AROUND_LIMIT)
        for other_id, label, title in zip(in_lane["id"], in_lane["date_label"], in_lane["title"], strict=True):
            st.button(
                f"{label}: {title}", key=f"around-{other_id}", on_click=select, args=(str(other_id),), type="tertiary"
            )


def chart_theme() -> Theme:
    """The reader's Streamlit theme for the charts: "dark" or "light" (also when not known yet: Streamlit
    may report none on a session's first run)."""
    return theme_of(st.context.theme.type)


def quad_chart(
    shown: pd.DataFrame, lanes: tuple[str, ...], x_range: tuple[date, date], *, theme: Theme = "light"
) -> go.Figure:
    counts = quad_counts(shown, lanes)
    return quad_figure(
        counts, net_cooperation(counts), lanes, x_range, left_out=left_out_of_counts(shown, lanes), theme=theme
    )


def show_quad_chart(figure: go.Figure, shown: pd.DataFrame, lanes: tuple[str, ...]) -> None:
    st.plotly_chart(
        figure, key="quads-chart", config={"displaylogo": False}, alt=quad_summary(quad_counts(shown, lanes), lanes)
    )
    st.caption(markdown_literal(QUAD_METHOD_NOTE))


def relationship_history(dataset: Dataset, lanes: tuple[str, ...]) -> None:
    """Every band of the timeline, short ones included, with its description and sources."""
    st.caption(
        "Every background band of the timeline: each lane's diplomatic status and Cambodia's regimes, "
        "with the period's description and its sources."
    )
    history = period_history(dataset.periods, (*lanes, Dyad.CONTEXT.value))
    st.dataframe(
        history.drop(columns=["id"]),
        hide_index=True,
        width="stretch",
        key="period-history",
        column_config={
            "Description": st.column_config.TextColumn(width="large"),
            "Sources": st.column_config.TextColumn(width="large"),
        },
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_chronology(_shown: pd.DataFrame, view_key: Hashable, title: str, subtitle: str, credit: str) -> bytes:
    """The printable chronology of one view, made once; `view_key` (data and filter) stands for `_shown`,
    so a rerun never hashes the table."""
    return chronology_html(_shown, title=title, subtitle=subtitle, credit=credit).encode("utf-8")


def chronology_view(
    shown: pd.DataFrame, title: str, subtitle: str, credit: str, slug: str, *, view_key: Hashable
) -> None:
    """The filtered events year by year: North Korea | South Korea, Context spanning both."""
    st.download_button(
        "Download printable chronology (HTML)",
        # Sent with the page, not deferred: a deferred file can be deleted by another session's rerun
        # before the reader's browser fetches it. Made once per view and shared (cache).
        _cached_chronology(shown, view_key, title, subtitle, credit) if not shown.empty else b"",
        file_name=f"khm-korea-chronology_{slug}.html",
        mime="text/html",
        key="download-chronology",
        on_click="ignore",
        disabled=shown.empty,
    )
    if shown.empty:
        st.caption("No events match the current filters: nothing to list.")
        return
    st.caption(
        "The timeline as text: each event's date and its first source. Open the download and print it "
        "(or save it as PDF) for a clean document."
    )
    listed = shown
    if len(shown) > CHRONOLOGY_LIMIT:
        listed = shown.sort_values(["start", "end", "id"], kind="stable").head(CHRONOLOGY_LIMIT)
        st.caption(
            f"Listing the first {CHRONOLOGY_LIMIT:,} of {len(shown):,} events; narrow the filters, or "
            "download the chronology for all of them."
        )
    header = st.columns(2)
    header[0].markdown(f"**{DYAD_LABELS[Dyad.KHM_PRK]}**")
    header[1].markdown(f"**{DYAD_LABELS[Dyad.KHM_KOR]}**")
    for year in chronology(listed):
        st.markdown(f"#### {year.year}")
        if year.context:
            st.markdown("  \n".join(f"Context · {_entry_markdown(entry)}" for entry in year.context))
        if any(year.lanes.values()):
            columns = st.columns(2)
            for column, lane in zip(columns, (Dyad.KHM_PRK.value, Dyad.KHM_KOR.value), strict=True):
                if year.lanes[lane]:
                    column.markdown("  \n".join(_entry_markdown(entry) for entry in year.lanes[lane]))


def _entry_markdown(entry: Entry) -> str:
    """One chronology line, every data text shown literally: date label (bold), title, first source."""
    source = f" ({markdown_literal(entry.source)})" if entry.source else ""
    return f"**{markdown_literal(entry.date_label)}** {markdown_literal(entry.title)}{source}"


def image_text(dataset: Dataset, shown: pd.DataFrame, flt: EventFilter, event: str | None) -> SlideText:
    """Title, filters in words, the open/filled note and the credit (data version, date, permalink)."""
    return slide_text(
        flt,
        len(shown),
        version_words=dataset.version.in_words(),
        link=permalink(citing.base_url(), view_state_for(flt, event), dataset.version),
        today=date.today(),
    )


def image_texts(dataset: Dataset, shown: pd.DataFrame, flt: EventFilter, event: str | None) -> tuple[str, str, str]:
    text = image_text(dataset, shown, flt, event)
    return text.title, text.subtitle, text.credit


def image_bytes(dataset: Dataset, shown: pd.DataFrame, flt: EventFilter, event: str | None, fmt: str) -> bytes:
    """The slide image of the filtered timeline (made when the reader clicks the download)."""
    figure = slide_timeline(
        shown,
        dataset.periods,
        flt,
        image_text(dataset, shown, flt, event),
        width=IMAGE_WIDTH,
        height=IMAGE_HEIGHT,
        event=event,
    )
    return render_image(figure, fmt, width=IMAGE_WIDTH, height=IMAGE_HEIGHT)


@st.cache_resource(show_spinner="Making the image…", max_entries=16)
def _cached_image(_dataset: Dataset, dataset_key: str, flt: EventFilter, event: str | None, fmt: str) -> bytes:
    """One image per view and format, shared by every session (so a download is never re-rendered)."""
    shown = filter_events(_dataset.events, flt)
    return image_bytes(_dataset, shown, flt, event, fmt)


def image_downloads(dataset: Dataset, shown: pd.DataFrame, flt: EventFilter, event: str | None) -> None:
    """Slide-ready PNG (1600 px) and SVG of the timeline: title, filters, the open/filled note, credit.

    Images take seconds to make, so they are made only when asked for ("Make slide images"); the
    download buttons then carry the bytes with the page (not deferred), so another session's rerun
    can never delete a file a reader was just handed."""
    if shown.empty:
        st.button("Make slide images (PNG and SVG)", key="make-images", disabled=True, help="No events match.")
        return
    slug = filter_slug(flt)
    key = (str(dataset.events_dir), dataset.hashes.content_hash, flt, event)
    if st.session_state.get(IMAGES_KEY) != key:
        if st.button(
            "Make slide images (PNG and SVG)",
            key="make-images",
            help="The timeline as shown, with title, filters, legend and credit; takes about ten seconds.",
        ):
            st.session_state[IMAGES_KEY] = key
            st.rerun()
        return
    left, right = st.columns(2)
    for column, fmt, label, mime in (
        (left, "png", "Image for slides (PNG)", "image/png"),
        (right, "svg", "Image for print (SVG)", "image/svg+xml"),
    ):
        column.download_button(
            label,
            _cached_image(dataset, dataset.hashes.content_hash, flt, event, fmt),
            file_name=f"khm-korea-timeline_{slug}.{fmt}",
            mime=mime,
            key=f"download-{fmt}",
            on_click="ignore",
            width="stretch",
        )


# On a phone the band labels would crowd each other: they are hidden there (the bands stay in the
# legend, on hover and in the relationship history). They are the timeline's only annotations: its lane
# names and other notes are shape labels (figures.timeline), which this rule leaves. On a touch screen
# (no hover) the modebar is hidden: a tap would show it over the charts' titles. Beside the timeline the
# details scroll within its height; on a phone they follow it at their own height. In print, the page's
# controls are left out, so printing the Chronology tab gives a clean document.
# Contrast (WCAG AA, 4.5:1 for small text): Streamlit draws captions and quotes as the text colour at
# 60 % opacity, 3.9:1 on white; at 80 % they are 7.2:1 on white and 6.7:1 on the sidebar's grey, in either
# theme. The selected option of a segmented control is in the primary red on a 10 % tint of it (4.47:1): it
# keeps the tint and takes the text colour, bold. The Years slider's end values, primary red on the dark
# sidebar (3.5:1), take the text colour too. Static CSS, no data in it.
PAGE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] blockquote { opacity: 0.8; }
[data-testid="stSliderThumbValue"] { color: inherit; }
[data-variant="segmented_control"][data-selected][aria-checked="true"]:not([data-disabled]) {
  color: inherit; font-weight: 600;
}
@media (max-width: 640px) { .st-key-timeline .infolayer .annotation { display: none; } }
@media (hover: none) { [data-testid="stPlotlyChart"] .modebar-container { display: none !important; } }
@media (min-width: 641px) { .st-key-detail-panel { max-height: 720px; overflow-y: auto; } }
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .stButton, .stDownloadButton,
  [data-testid="stBaseButton-secondary"] { display: none !important; }
}
</style>"""


def page_styles() -> None:
    st.html(PAGE_CSS)


def timeline_alt(shown: pd.DataFrame, lanes: tuple[str, ...], flt: EventFilter) -> str:
    return timeline_summary(shown, lanes, describe_filter(flt))


def camera_config(flt: EventFilter) -> dict[str, Any]:
    """The modebar camera: the same titled image, at 2× scale."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": f"khm-korea-timeline_{filter_slug(flt)}"},
    }
