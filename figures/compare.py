"""Cooperation versus conflict per lane and year: a pure builder from the pipeline's counts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from figures.layout import axis_name, lane_rows_layout
from figures.style import Theme, palette
from figures.timeline import Trace, assembled
from pipeline.compare import CONFLICT, COOPERATION, QUAD_ORDER, quad_label
from pipeline.schema import DYAD_LABELS, Quad

NET_NAME = "Net cooperation (cooperation − conflict)"


def quad_figure(
    counts: pd.DataFrame,
    net: pd.DataFrame,
    lanes: tuple[str, ...],
    x_range: tuple[date, date],
    *,
    left_out: int,
    theme: Theme = "light",
) -> go.Figure:
    """One row per lane on the timeline's date axis: cooperation stacked up from zero, conflict down,
    neutral apart (a grey line), and the net-cooperation line. `counts` (lane, year, quad, count) and
    `net` (lane, year, net) come from pipeline.compare; the bars are exactly those numbers. Colours are
    `theme`'s palette."""
    colours = palette(theme)
    lanes = tuple(lane for lane in lanes if lane in DYAD_LABELS)
    signed = counts.assign(
        signed=[
            (-1 if quad in CONFLICT else 1) * int(n) for quad, n in zip(counts["quad"], counts["count"], strict=True)
        ]
    )
    bars = signed[signed["quad"] != Quad.NEUTRAL.value]
    up = bars[bars["signed"] > 0].groupby(["lane", "year"])["signed"].sum()
    down = bars[bars["signed"] < 0].groupby(["lane", "year"])["signed"].sum()
    neutral_max = counts.loc[counts["quad"] == Quad.NEUTRAL.value, "count"]
    y_max = max([float(up.max()) if len(up) else 0.0, float(neutral_max.max()) if len(neutral_max) else 0.0, 1.0])
    y_min = float(down.min()) if len(down) else 0.0
    layout = lane_rows_layout(
        lanes,
        x_range,
        colours,
        y_max=y_max,
        y_min=min(y_min, -1.0),
        y_title="events",
        title="Cooperation (up) vs conflict (down), events per year",
        subtitle=f"PLOVER quad classes · same scale in every lane · {left_out} multi-year events not counted",
    )
    layout["barmode"] = "relative"
    traces: list[Trace] = []
    shown: set[str] = set()
    for row, lane in enumerate(lanes, start=1):
        in_lane = signed[signed["lane"] == lane]
        for quad in QUAD_ORDER:
            part = in_lane[in_lane["quad"] == quad]
            if part.empty:
                continue
            name = quad_label(quad)
            common = {
                "name": name,
                "legendgroup": quad,
                "showlegend": quad not in shown,
                "xaxis": "x",
                "yaxis": axis_name(row),
                "x": [f"{year}-07-01" for year in part["year"]],
                "legendrank": QUAD_ORDER.index(quad),
                "customdata": [int(n) for n in part["count"]],
                "hovertemplate": f"{DYAD_LABELS[lane]} · {name}: %{{customdata}}<extra></extra>",
            }
            if quad == Quad.NEUTRAL.value:
                traces.append(
                    {
                        **common,
                        "type": "scatter",
                        "mode": "markers",
                        "y": [int(n) for n in part["count"]],
                        "marker": {
                            "symbol": "line-ew-open",
                            "size": 10,
                            "color": colours.quads[quad],
                            "line": {"width": 2, "color": colours.quads[quad]},
                        },
                    }
                )
            else:
                traces.append(
                    {
                        **common,
                        "type": "bar",
                        "y": [int(n) for n in part["signed"]],
                        "width": 300 * 86_400_000,
                        "marker": {"color": colours.quads[quad], "line": {"width": 0}},
                    }
                )
            shown.add(quad)
        lane_net = net[net["lane"] == lane].sort_values("year")
        if len(lane_net):
            # A year without events has net 0, but the line is broken there rather than drawn across.
            xs: list[str | None] = []
            ys: list[int | None] = []
            previous: int | None = None
            for year, value in zip(lane_net["year"], lane_net["net"], strict=True):
                if previous is not None and int(year) != previous + 1:
                    xs.append(None)
                    ys.append(None)
                xs.append(f"{int(year)}-07-01")
                ys.append(int(value))
                previous = int(year)
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": NET_NAME,
                    "legendgroup": "net",
                    "showlegend": "net" not in shown,
                    "legendrank": 10,
                    "xaxis": "x",
                    "yaxis": axis_name(row),
                    "x": xs,
                    "y": ys,
                    "connectgaps": False,
                    "line": {"color": colours.net, "width": 1.5},
                    "marker": {"size": 4, "color": colours.net},
                    "hovertemplate": f"{DYAD_LABELS[lane]} · net: %{{y}}<extra></extra>",
                }
            )
            shown.add("net")
    return assembled(traces, layout)


__all__ = ["COOPERATION", "NET_NAME", "quad_figure"]
