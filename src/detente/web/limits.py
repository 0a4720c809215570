"""Limits of the dashboard's API (``docs/web.md`` explains each).

The model's own limits (:mod:`detente.model.limits`, the YAML reader's size,
node and depth limits) bound what one scenario may hold; these bound what one
request, and the server as a whole, may take on.
"""

from __future__ import annotations

from detente.io.yaml_source import MAX_FILE_BYTES

MAX_BODY_BYTES = 2 * MAX_FILE_BYTES + 64 * 1024
"""Largest request body (bytes). A posted scenario is at most ``MAX_FILE_BYTES``
characters of YAML; written as a JSON string its line breaks and quotes are escaped,
which can double its length."""

MAX_YAML_CHARS = MAX_FILE_BYTES
"""Longest posted scenario text (characters), the same as a scenario file's limit."""

ASSESS_WORKERS = 2
"""Assessments computed at once; more requests wait their turn. Each assessment of a
shipped scenario takes a fraction of a second and little memory; the largest valid
scenario takes seconds and several hundred MB, so the number is kept small."""

CACHE_ENTRIES = 32
"""Responses of recent assessments kept, keyed by the exact request: moving a slider
back to where it was costs nothing."""

MAX_LINE_POINTS = 101
"""Most values of a lever in one background line job."""

MAX_EXPLORE_DRAWS = 10_000
"""Most draws in one background uncertainty job (about a minute of one core for a
shipped scenario, and a few MB of results)."""

MAX_NEGOTIATION_PACKAGES = 1_200
"""Most packages (population x generations) in one background negotiation job: the
shipped 2021 example searches 36 x 24 = 864 (a few minutes of one core)."""

MAX_SWEEP_EXPERIMENTS = 2_000
"""Most experiments (points x draws) in one background sweep job: the 88-point worked
example of docs/sweeps.md takes about a second of one core; longer sweeps are for
``detente sweep``."""

MAX_QUEUED_JOBS = 4
"""Background jobs queued or running at once; a further one is refused (429)."""

MAX_KEPT_JOBS = 50
"""Finished jobs kept for polling; the oldest finished job is forgotten first."""

JOB_WORKERS = 1
"""Background jobs running at once (the others wait in the queue)."""

__all__ = [
    "ASSESS_WORKERS",
    "CACHE_ENTRIES",
    "JOB_WORKERS",
    "MAX_BODY_BYTES",
    "MAX_EXPLORE_DRAWS",
    "MAX_KEPT_JOBS",
    "MAX_LINE_POINTS",
    "MAX_NEGOTIATION_PACKAGES",
    "MAX_QUEUED_JOBS",
    "MAX_SWEEP_EXPERIMENTS",
    "MAX_YAML_CHARS",
]
