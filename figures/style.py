"""Colours and marker shapes: colour-blind-safe (Okabe–Ito) with a second cue (shape)."""

from __future__ import annotations

from typing import Final

from pipeline.schema import Category, Quad, Status

# Okabe & Ito (2008) palette, plus a grey, one per category; the light ones (orange, sky blue, yellow,
# grey) darkened to at least 3:1 against the white plot (WCAG 2.1 non-text contrast).
CATEGORY_COLOURS: Final[dict[str, str]] = {
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
STATUS_COLOURS: Final[dict[str, str]] = {
    Status.NO_RELATIONS: "rgba(160,160,160,0.10)",
    Status.RELATIONS: "rgba(0,158,115,0.09)",
    Status.MISSIONS: "rgba(86,180,233,0.14)",
    Status.EMBASSIES: "rgba(0,158,115,0.14)",
    Status.SEVERED: "rgba(213,94,0,0.14)",
    Status.RESTORED: "rgba(0,158,115,0.20)",
}
REGIME_SHADES: Final = ("rgba(0,0,0,0.035)", "rgba(0,0,0,0.0)")
FONT_FAMILY: Final = "Source Sans Pro, Arial, sans-serif"
# The same status colours, opaque, for legend swatches and text (the bands themselves are translucent).
STATUS_LEGEND_COLOURS: Final[dict[str, str]] = {
    Status.NO_RELATIONS: "#767676",
    Status.RELATIONS: "#009E73",
    Status.MISSIONS: "#2A8BC4",
    Status.EMBASSIES: "#009E73",
    Status.SEVERED: "#D55E00",
    Status.RESTORED: "#009E73",
}
# The regime strip above the lanes: alternating greys, opaque enough to see where one regime ends.
REGIME_HOVER_FILL: Final = ("rgba(0,0,0,0.10)", "rgba(0,0,0,0.03)")
# Neutral grey for the legend entries that explain filled and open marks (7:1 on white).
PRECISION_GREY: Final = "#444444"
# Quad classes: cooperation greens, conflict reds/oranges, neutral grey; each at least 3:1 on white.
QUAD_COLOURS: Final[dict[str, str]] = {
    Quad.VERBAL_COOPERATION: "#2E8B57",
    Quad.MATERIAL_COOPERATION: "#00572E",
    Quad.VERBAL_CONFLICT: "#C65300",
    Quad.MATERIAL_CONFLICT: "#8E1B1B",
    Quad.NEUTRAL: "#6B6B6B",
}
NET_COLOUR: Final = "#111111"
PLOT_BACKGROUND: Final = "#FFFFFF"


def contrast_ratio(colour: str, background: str = PLOT_BACKGROUND) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
