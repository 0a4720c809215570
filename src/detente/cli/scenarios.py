"""The scenario a command works on: a file, or the built-in Geneva 2021 baseline."""

from __future__ import annotations

from pathlib import Path

from detente.model.scenario import Scenario


def load_or_default(path: Path | None) -> Scenario:
    """The scenario at ``path``; without one, the built-in 2021 US-Russia baseline."""
    if path is None:
        from detente.examples import geneva_2021

        return geneva_2021()
    from detente.io import load_scenario

    return load_scenario(path)
