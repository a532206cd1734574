"""Colours and marker shapes: colour-blind-safe (Okabe–Ito) with a second cue (shape), one palette per
theme. Every figure builder takes its colours from a `Palette` here (`palette(theme)`), nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from pipeline.schema import Category, Quad, Status

Theme = Literal["light", "dark"]
FONT_FAMILY: Final = "Source Sans Pro, Arial, sans-serif"

CATEGORY_SYMBOLS: Final[dict[str, str]] = {
    Category.DIPLOMATIC_STATUS: "circle",
    Category.VISITS_MEETINGS: "square",
    Category.AGREEMENTS: "diamond",
    Category.TRADE_INVESTMENT: "triangle-up",
    Category.AID_LOANS: "triangle-down",
    Category.SECURITY_SANCTIONS: "x",
    Category.PEOPLE_CULTURE: "star",
    Category.MULTILATERAL: "hexagon",
    Category.STATEMENTS: "cross",
}


def _frozen(colours: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(colours))


@dataclass(frozen=True)
class Palette:
    """All the colours of one theme. `plot` is the plot area's background (#RRGGBB): every mark colour
    (categories, quads, net line, selection, precision grey, status legend swatches, aggregate bars)
    has at least 3:1 contrast against it (WCAG 2.1 non-text contrast; tests check it)."""

    theme: Theme
    paper: str  # behind the title, legend and axes
    plot: str
    font: str  # titles, legend, tick labels, lane names
    band_label: str  # the regime strip's labels
    status_label: str  # the status bands' labels
    grid: str
    zeroline: str
    separator: str  # lines between lanes, the regime strip's outline
    modebar: Mapping[str, str]
    categories: Mapping[str, str]
    status_fills: Mapping[str, str]  # translucent band fills
    status_legend: Mapping[str, str]  # the same, opaque, for legend swatches
    regime_shades: tuple[str, str]  # alternating full-height shading of Cambodia's regimes
    regime_strip: tuple[str, str]  # the hoverable strip above the lanes
    precision: str  # the legend entries that explain filled and open marks
    quads: Mapping[str, str]
    net: str
    selection: str  # the selected event's rule, the "around" window's outline and label
    selection_span: str  # fill of the selected event's date span
    selection_window: str  # fill of the "around" window
    aggregate: str  # monthly-count bars of the aggregated timeline

    def mark_colours(self) -> dict[str, str]:
        """Every colour a mark or legend swatch is drawn in, by name (for the contrast checks)."""
        return {
            **{f"category {key}": value for key, value in self.categories.items()},
            **{f"quad {key}": value for key, value in self.quads.items()},
            **{f"status {key}": value for key, value in self.status_legend.items()},
            "net": self.net,
            "selection": self.selection,
            "precision": self.precision,
            "aggregate": self.aggregate,
        }


# Light: the Okabe & Ito (2008) palette, plus a grey, one per category; the light ones (orange, sky
# blue, yellow, grey) darkened to at least 3:1 against the white plot.
LIGHT: Final = Palette(
    theme="light",
    paper="#FFFFFF",
    plot="#FFFFFF",
    font="#444444",
    band_label="#333333",
    status_label="#444444",
    grid="#EEEEEE",
    zeroline="#888888",
    separator="#BBBBBB",
    modebar=_frozen(
        {"bgcolor": "rgba(255,255,255,0.5)", "color": "rgba(68,68,68,0.3)", "activecolor": "rgba(68,68,68,0.7)"}
    ),
    categories=_frozen(
        {
            Category.DIPLOMATIC_STATUS: "#0072B2",
            Category.VISITS_MEETINGS: "#B07800",
            Category.AGREEMENTS: "#009E73",
            Category.TRADE_INVESTMENT: "#CC79A7",
            Category.AID_LOANS: "#2A8BC4",
            Category.SECURITY_SANCTIONS: "#D55E00",
            Category.PEOPLE_CULTURE: "#8C7E00",
            Category.MULTILATERAL: "#000000",
            Category.STATEMENTS: "#767676",
        }
    ),
    status_fills=_frozen(
        {
            Status.NO_RELATIONS: "rgba(160,160,160,0.10)",
            Status.RELATIONS: "rgba(0,158,115,0.09)",
            Status.MISSIONS: "rgba(86,180,233,0.14)",
            Status.EMBASSIES: "rgba(0,158,115,0.14)",
            Status.SEVERED: "rgba(213,94,0,0.14)",
            Status.RESTORED: "rgba(0,158,115,0.20)",
        }
    ),
    status_legend=_frozen(
        {
            Status.NO_RELATIONS: "#767676",
            Status.RELATIONS: "#009E73",
            Status.MISSIONS: "#2A8BC4",
            Status.EMBASSIES: "#009E73",
            Status.SEVERED: "#D55E00",
            Status.RESTORED: "#009E73",
        }
    ),
    regime_shades=("rgba(0,0,0,0.035)", "rgba(0,0,0,0.0)"),
    # Alternating greys, opaque enough to see where one regime ends.
    regime_strip=("rgba(0,0,0,0.10)", "rgba(0,0,0,0.03)"),
    precision="#444444",  # 9.7:1 on white
    # Cooperation greens, conflict reds/oranges, neutral grey.
    quads=_frozen(
        {
            Quad.VERBAL_COOPERATION: "#2E8B57",
            Quad.MATERIAL_COOPERATION: "#00572E",
            Quad.VERBAL_CONFLICT: "#C65300",
            Quad.MATERIAL_CONFLICT: "#8E1B1B",
            Quad.NEUTRAL: "#6B6B6B",
        }
    ),
    net="#111111",
    selection="#0072B2",
    selection_span="rgba(0,114,178,0.10)",
    selection_window="rgba(0,114,178,0.06)",
    aggregate="#0072B2",
)

# Dark: the original (lighter) Okabe–Ito hues, which the dark plot can carry; black (Multilateral)
# becomes near-white, and the greys, greens and reds are lightened to at least 3:1 on the dark plot.
DARK: Final = Palette(
    theme="dark",
    paper="#111111",
    plot="#111111",
    font="#E6E6E6",
    band_label="#D6D6D6",
    status_label="#C8C8C8",
    grid="#2E2E2E",
    zeroline="#8A8A8A",
    separator="#5A5A5A",
    modebar=_frozen(
        {"bgcolor": "rgba(17,17,17,0.5)", "color": "rgba(230,230,230,0.4)", "activecolor": "rgba(230,230,230,0.8)"}
    ),
    categories=_frozen(
        {
            Category.DIPLOMATIC_STATUS: "#3A9AD9",
            Category.VISITS_MEETINGS: "#E69F00",
            Category.AGREEMENTS: "#009E73",
            Category.TRADE_INVESTMENT: "#CC79A7",
            Category.AID_LOANS: "#8FD0F5",
            Category.SECURITY_SANCTIONS: "#E8622C",
            Category.PEOPLE_CULTURE: "#F0E442",
            Category.MULTILATERAL: "#F2F2F2",
            Category.STATEMENTS: "#A0A0A0",
        }
    ),
    status_fills=_frozen(
        {
            Status.NO_RELATIONS: "rgba(160,160,160,0.08)",
            Status.RELATIONS: "rgba(0,158,115,0.10)",
            Status.MISSIONS: "rgba(86,180,233,0.11)",
            Status.EMBASSIES: "rgba(0,158,115,0.14)",
            Status.SEVERED: "rgba(213,94,0,0.14)",
            Status.RESTORED: "rgba(0,158,115,0.19)",
        }
    ),
    status_legend=_frozen(
        {
            Status.NO_RELATIONS: "#A0A0A0",
            Status.RELATIONS: "#00B383",
            Status.MISSIONS: "#56B4E9",
            Status.EMBASSIES: "#00B383",
            Status.SEVERED: "#E8622C",
            Status.RESTORED: "#00B383",
        }
    ),
    regime_shades=("rgba(255,255,255,0.045)", "rgba(255,255,255,0.0)"),
    regime_strip=("rgba(255,255,255,0.16)", "rgba(255,255,255,0.05)"),
    precision="#C0C0C0",
    quads=_frozen(
        {
            Quad.VERBAL_COOPERATION: "#7FCF9F",
            Quad.MATERIAL_COOPERATION: "#1FA35B",
            Quad.VERBAL_CONFLICT: "#F08A3C",
            Quad.MATERIAL_CONFLICT: "#E5484D",
            Quad.NEUTRAL: "#9A9A9A",
        }
    ),
    net="#EEEEEE",
    selection="#56B4E9",
    selection_span="rgba(86,180,233,0.16)",
    selection_window="rgba(86,180,233,0.09)",
    aggregate="#56B4E9",
)


def palette(theme: object) -> Palette:
    """The palette of a theme; anything but "dark" (None included: theme unknown) is light."""
    return DARK if theme_of(theme) == "dark" else LIGHT


def theme_of(value: object) -> Theme:
    """A theme name from any value (Streamlit's `st.context.theme.type` may be None): light unless "dark"."""
    return "dark" if value == "dark" else "light"


# The light palette under its older names (print, slides and the tests that check them).
CATEGORY_COLOURS: Final = LIGHT.categories
QUAD_COLOURS: Final = LIGHT.quads
PLOT_BACKGROUND: Final = LIGHT.plot


def contrast_ratio(colour: str, background: str = PLOT_BACKGROUND) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
