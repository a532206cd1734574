"""Colours and marker shapes: colour-blind-safe (Okabe–Ito) with a second cue (shape)."""

from __future__ import annotations

from typing import Final

from pipeline.schema import Category, Status

# Okabe & Ito (2008) palette, plus a grey, one per category.
CATEGORY_COLOURS: Final[dict[str, str]] = {
    Category.DIPLOMATIC_STATUS: "#0072B2",
    Category.VISITS_MEETINGS: "#E69F00",
    Category.AGREEMENTS: "#009E73",
    Category.TRADE_INVESTMENT: "#CC79A7",
    Category.AID_LOANS: "#56B4E9",
    Category.SECURITY_SANCTIONS: "#D55E00",
    Category.PEOPLE_CULTURE: "#F0E442",
    Category.MULTILATERAL: "#000000",
    Category.STATEMENTS: "#999999",
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
