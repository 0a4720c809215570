"""Imports point downward only; the inner layers stay free of I/O and presentation libraries.

L0 model, data, errors, rng, units, examples -> L1 physics, engine, stability, treaty
-> L2 analysis -> L3 io, viz, report, store -> L4 cli, web.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src"
PACKAGE = SRC / "detente"

LAYERS = {
    "model": 0,
    "data": 0,
    "errors": 0,
    "rng": 0,
    "units": 0,
    "examples": 0,
    "physics": 1,
    "engine": 1,
    "stability": 1,
    "treaty": 1,
    "analysis": 2,
    "io": 3,
    "viz": 3,
    "report": 3,
    "store": 3,
    "cli": 4,
    "web": 4,
    "__main__": 4,
}
HEAVY = {"typer", "rich", "click", "duckdb", "dask", "matplotlib", "plotly", "fastapi", "uvicorn"}
"""Libraries L0-L2 must not import (presentation, storage, parallel back ends)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    """Layer of a ``detente`` module; None for the top package; KeyError if unassigned."""
    parts = module.split(".")
    return None if len(parts) == 1 else LAYERS[parts[1]]


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in ``tree``, nested ones included."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from detente import io` imports the subpackage
            found.extend((node.lineno, f"{target}.{a.name}") for a in node.names)
    return found


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Upward imports and heavy libraries in ``source`` of ``module``."""
    here = layer_of(module)
    out = []
    for line, target in imported_modules(ast.parse(source), module, is_package):
        top, _, rest = target.partition(".")
        if top == "detente":
            sub = rest.split(".")[0]
            if sub not in LAYERS:
                continue  # a name imported from the top package, not a module
            there = LAYERS[sub]
            # the top package runs on every import, so it may not pull in L4
            if there == 4 if here is None else there > here:
                out.append(f"{module}:{line}: L{here} imports {target} (L{there})")
        elif top in HEAVY and (here is None or here <= 2):
            out.append(f"{module}:{line}: L{here} imports {top}")
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    unassigned = []
    for path in MODULES:
        try:
            layer_of(module_name(path))
        except KeyError:
            unassigned.append(module_name(path))
    assert unassigned == [], "add these to LAYERS in tests/test_layers.py"


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_upward_imports(path):
    module = module_name(path)
    source = path.read_text(encoding="utf-8")
    assert violations(source, module, path.name == "__init__.py") == []


@pytest.mark.parametrize(
    ("source", "module", "flagged"),
    [
        ("from detente.io import load_scenario", "detente.model.scenario", True),
        ("import detente.cli", "detente.analysis.compare", True),
        ("from detente import viz", "detente.engine.exchange", True),
        ("from ..io import merge", "detente.model.scenario", True),
        ("def f():\n    import rich\n", "detente.physics.lethality", True),
        ("import matplotlib.pyplot as plt", "detente.stability.base", True),
        ("from detente.cli import app", "detente", True),
        ("from detente.model import Scenario", "detente.io.scenario_yaml", False),
        ("from detente.engine import run_exchange", "detente.analysis.compare", False),
        ("import rich", "detente.cli.base", False),
        ("from detente.errors import Problem", "detente.model.checks", False),
        ("from . import base", "detente.model", False),
    ],
)
def test_the_checker_itself(source, module, flagged):
    is_package = module.count(".") <= 1 and module in ("detente", "detente.model")
    assert bool(violations(source, module, is_package)) is flagged
