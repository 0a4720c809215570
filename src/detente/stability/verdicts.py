"""What each definition's number measures, and the words its values earn, with the basis.

A verdict word needs a stated basis: a published criterion, or a calibration on
constructed cases documented in ``docs/methodology.md``. Definitions whose
literature gives no threshold show their number and what it measures, and no
word.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Reading:
    """How to read one definition's combined value."""

    measures: str
    """The quantity the number is, in at most 40 characters (one terminal line)."""
    explains: str
    """The same, in full."""
    bands: tuple[tuple[float, str], ...] = ()
    """(lowest value, word) from the top band down; empty: no verdict word."""
    basis: str = ""
    """Why these bands, or why there are none."""

    def verdict(self, value: float) -> str | None:
        """The word for ``value``, or None when the definition has no bands."""
        for bound, word in self.bands:
            if value >= bound:
                return word
        return None


READINGS: MappingProxyType[str, Reading] = MappingProxyType(
    {
        "first_strike": Reading(
            measures="own cost striking first / being struck",
            explains="product over the sides of each one's cost of striking first over its "
            "cost of being struck first (each bounded at 1); 1 = no side gains by going first",
            bands=((0.75, "stable"), (0.45, "fragile"), (0.0, "unstable")),
            basis="0.75: Kent & Thaler judged the 1989 forces 'robust' at an index of about "
            "0.76 (R-3765, pp. 36-37, as cited); 0.45: two forces of MIRVed silo missiles with "
            "nothing survivable score below it, forces with 40% of their warheads survivable "
            "at sea above (calibration on constructed cases, docs/methodology.md section 4)",
        ),
        "second_strike": Reading(
            measures="retaliation vs unacceptable damage",
            explains="damage each side's retaliation does after absorbing a first strike, over "
            "the unacceptable-damage threshold, the weaker side's; 1 = threshold reached",
            bands=((1.0 - 1e-9, "sufficient"), (0.0, "insufficient")),
            basis="the assured-destruction criterion (Enthoven & Smith 1971, p. 207): "
            "sufficient when the retaliation reaches the stated share of the attacker's value",
        ),
        "damage_limitation": Reading(
            measures="1 - damage avoided by striking first",
            explains="one minus the share of the damage an all-out retaliation would do that "
            "a side avoids by striking first; 1 = striking first spares nothing",
            basis="no published threshold: damage limitation is a matter of degree "
            "(Kroenig 2017); read the share avoided",
        ),
        "use_or_lose": Reading(
            measures="1 - alert forces lost or launched",
            explains="one minus the share of a side's alert forces a first strike would "
            "destroy or force to launch on warning; 1 = every alert warhead rides it out",
            basis="no published threshold; read the share under pressure",
        ),
        "first_strike_alignments": Reading(
            measures="weakest alignment's first-strike index",
            explains="the smallest Kent-Thaler index over every alignment of the parties: "
            "each pair with the others standing by, and each party against all the others "
            "together; 1 = no camp gains by going first",
            bands=((0.75, "stable"), (0.45, "fragile"), (0.0, "unstable")),
            basis="each alignment's index is Kent & Thaler's index of two camps, so the "
            "first-strike bands apply to it (0.75 after R-3765, pp. 36-37, as cited; 0.45 by "
            "calibration); the weakest-link rule is detente's (docs/methodology.md section 8)",
        ),
        "second_strike_coalitions": Reading(
            measures="retaliation vs each and vs all others",
            explains="damage each party's answer does after a first strike by each other "
            "party alone and by all of them together, over the unacceptable-damage "
            "threshold, the weakest case; 1 = threshold reached in every case",
            bands=((1.0 - 1e-9, "sufficient"), (0.0, "insufficient")),
            basis="the assured-destruction criterion (Enthoven & Smith 1971, p. 207) applied "
            "to each attacker and to the coalition of all of them",
        ),
        "arms_race": Reading(
            measures="1/(1 + threat elasticity to build-up)",
            explains="1 / (1 + the largest elasticity of a side's first-strike ratio to its "
            "own 10% build-up); 1 = no build-up adds to the threat the other faces",
            basis="no published threshold; read the elasticities in the details",
        ),
    }
)


def verdict(definition: str, value: float) -> str | None:
    """The verdict word of ``definition`` at ``value``, or None where it has none."""
    reading = READINGS.get(definition)
    return None if reading is None else reading.verdict(value)
