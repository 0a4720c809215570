"""Suite-wide settings."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("reproducible", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("DETENTE_HYPOTHESIS", "reproducible"))
"""Property tests draw the same examples on every run and machine, so that the suite passes
or fails the same way in CI as here; ``DETENTE_HYPOTHESIS=explore`` searches afresh (with
the local example database) to look for new counterexamples."""
