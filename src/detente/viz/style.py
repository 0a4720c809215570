"""Colours shared by the interactive and the print figures.

The palette is Okabe and Ito's (2008) set of eight colours that stay distinct
under the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Mapping

OKABE_ITO: Mapping[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

GREY = "#B8B8B8"

OUTCOME_COLOURS: Mapping[str, str] = {
    "destroyed": OKABE_ITO["vermillion"],
    "arrived_military": OKABE_ITO["green"],
    "arrived_value": OKABE_ITO["blue"],
    "intercepted": OKABE_ITO["sky_blue"],
    "failed": OKABE_ITO["orange"],
    "withheld": GREY,
    "unused": "#E2E2E2",
}
"""One colour per warhead outcome (see :data:`detente.viz.frames.OUTCOME_LABELS`)."""

STOCK_COLOURS: Mapping[str, str] = {
    "warheads_deployed": OKABE_ITO["blue"],
    "warheads_stored": OKABE_ITO["sky_blue"],
    "warheads_reserve": OKABE_ITO["orange"],
}

VERDICT_COLOURS: Mapping[str, str] = {
    "stable": OKABE_ITO["blue"],
    "sufficient": OKABE_ITO["blue"],
    "fragile": OKABE_ITO["orange"],
    "unstable": OKABE_ITO["vermillion"],
    "insufficient": OKABE_ITO["vermillion"],
    "": "#8C8C8C",
}
"""Bar colours by verdict word; ``""`` for a definition with no verdict bands."""

PERSPECTIVE_COLOURS: tuple[str, ...] = (
    OKABE_ITO["black"],
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["green"],
    OKABE_ITO["purple"],
)
"""Colours of readings, in the assessment's order (``full``, ``us``, ``ru`` ...)."""

VALUE_SCALE: tuple[tuple[float, str], ...] = (
    (0.0, "#B2182B"),
    (0.45, "#F4A582"),
    (0.6, "#F7F7F7"),
    (0.75, "#92C5DE"),
    (1.0, "#2166AC"),
)
"""Diverging red-blue scale for values in [0, 1] (ColorBrewer RdBu, safe for
red-green colour blindness), bending at the first-strike bands 0.45 and 0.75."""

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
