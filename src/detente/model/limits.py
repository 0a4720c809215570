"""Size limits and validity ranges of the domain model (``docs/limits.md`` explains each).

A scenario that passes validation must be one the engine can compute on an
ordinary machine, and a number the physics cannot use must be refused where a
person wrote it (file, line, field), not deep inside an exchange. The limits
are generous for real forces: each says how far it is above the largest
shipped figure. To raise one, change it here; ``docs/limits.md`` says what
grows with it.
"""

from __future__ import annotations

MAX_UNITS = 1_000_000
"""Largest count of launchers, stored warheads, interceptors, reserve warheads,
published totals or a treaty ceiling. The largest shipped figure is 6,255 (a total
inventory); the largest stockpile ever held by one state was about 40,000. Counts
are turned into floats by the engine: 10**400 launchers would overflow."""

MAX_AIM_POINTS = 100_000
"""Most aim points in one target class. The engine holds one number per value aim
point (and per draw); the shipped postures have at most 3,000."""

MAX_SYSTEMS = 200
"""Most weapon systems in one posture. Exchange work and memory grow with the square
of the number of systems (about 4.5 s and 370 MB for two postures of 200 systems,
100 target classes and 20 layers); the shipped postures have at most 22."""

MAX_TARGET_CLASSES = 100
"""Most target classes in one posture (the shipped postures have at most 10)."""

MAX_DEFENSE_LAYERS = 20
"""Most defence layers in one posture (the shipped postures have at most 6)."""

MAX_TREATY_RULES = 100
"""Most counting rules, and most limits, in one treaty (the shipped treaties have at
most 9 rules and 5 limits)."""

MAX_UNCERTAINTIES = 50
"""Most uncertain parameters in one scenario (five multipliers for each of three sides
is 15)."""

YIELD_RANGE_KT = (0.01, 100_000.0)
"""Yields of nuclear warheads (kt) the blast scaling is valid for; the same range as
``detente.physics.lethality.YIELD_RANGE_KT`` (a test keeps them equal). Conventional
systems carry a nominal yield above 0 that the physics never uses."""

HARDNESS_RANGE_PSI = (2.0, 10_000.0)
"""Target hardness (psi) the lethal-radius fit is valid for; the same range as
``detente.physics.lethality.HARDNESS_RANGE_PSI``. Every target class, value included,
is struck with nuclear weapons, so every class must lie in it."""

CEP_MAX_M = 100_000.0
"""Largest CEP (m) of ``detente.physics.lethality.CEP_RANGE_M`` (which excludes 0)."""

DISTANCE_MAX_KM = 100_000.0
"""Largest range or stand-off distance (km): more than twice round the Earth."""

MINUTES_MAX = 1440.0
"""Largest flight or decision time (min): one day."""
