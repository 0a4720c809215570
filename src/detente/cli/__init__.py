"""Layer 4: the ``detente`` command line (thin: parse, call the API, render)."""

from __future__ import annotations

import importlib
import sys

from detente.cli.app import app

COMMAND_MODULES = (
    "detente.cli.base",
    "detente.cli.assess",
    "detente.cli.treaty",
    "detente.cli.validate",
    "detente.cli.data",
    "detente.cli.explore",
    "detente.cli.sweep",
    "detente.cli.runs",
    "detente.cli.race",
    "detente.cli.negotiate",
    "detente.cli.serve",
)
for _module in COMMAND_MODULES:
    importlib.import_module(_module)


def main() -> None:
    """Console-script entry point."""
    from detente.analysis.executors import tune_allocator
    from detente.cli.base import run

    # this process is the command's own: give it the allocator settings of detente's workers
    tune_allocator()

    sys.exit(run(app))


__all__ = ["app", "main"]
