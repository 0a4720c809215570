"""Imports point downward only; the inner layers stay free of I/O and presentation libraries;
no code outside the shipped data and the built-in readings names a party by its code.

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
    "negotiation": 2,
    "io": 3,
    "viz": 3,
    "report": 3,
    "store": 3,
    "scale": 3,
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


def _graph() -> dict[str, set[str]]:
    """Module -> the detente modules it imports (nested and type-checking imports included)."""
    names = {module_name(p) for p in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = imported_modules(tree, module, path.name == "__init__.py")
        graph[module] = {t for _, t in targets if t in names and t != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_anywhere():
    # a package's __init__ importing its own modules is not a cycle unless a module
    # imports the package back; both directions are in the graph, so it shows
    assert _cycles(_graph()) == []


def test_the_cycle_finder_itself():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_engine_functions_stay_short():
    long = []
    for path in sorted((PACKAGE / "engine").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long.append(f"{module_name(path)}.{node.name}: {length} lines")
    assert long == []


SIDE_CODES = {"us", "ru", "cn"}
"""Actor codes of the built-in parties: code that works for any sides takes them from the
scenario (its sides, ``readings_for`` its actors), never from a literal."""

SIDE_LITERALS_ALLOWED = {
    # the shipped, cited postures and treaties are the built-in parties' own
    "detente.data": "shipped data",
    # example scenarios are built for named parties, as a user's would be
    "detente.examples": "example scenarios",
    # the built-in readings are each one party's (US_READING.actor == "us", ...)
    "detente.model.perspective": "built-in readings",
    # example requests shown in the OpenAPI page: data a user would send, not logic
    "detente.web.jobs.negotiate": "example request",
    "detente.web.schemas": "example requests",
}
"""Modules (or packages) that may name a built-in party by its code, and why."""


def side_literals(source: str) -> list[int]:
    """Lines where ``source`` names a built-in party by a literal outside a docstring or
    other bare string: a comparison, a default, a key, an argument."""
    tree = ast.parse(source)
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in SIDE_CODES and id(node) not in bare
    )


def _side_literals_allowed(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in SIDE_LITERALS_ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_side_literals_outside_data_and_built_in_readings(path):
    module = module_name(path)
    if _side_literals_allowed(module):
        return
    lines = side_literals(path.read_text(encoding="utf-8"))
    assert lines == [], f"{module} names a party by its code on lines {lines}"


def test_the_allowed_modules_exist():
    names = {module_name(p) for p in MODULES}
    stale = [
        m for m in SIDE_LITERALS_ALLOWED if not any(n == m or n.startswith(m + ".") for n in names)
    ]
    assert stale == []


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('if actor == "us":\n    pass\n', True),
        ('def f(a="us", b="ru"):\n    pass\n', True),
        ('def f(*, side="cn"):\n    pass\n', True),
        ('x = actor in ("us", "ru")\n', True),
        ('RATES = {"cn": 100.0}\n', True),
        ('order = ["full", "us", "ru"]\n', True),
        ('"""Readings ``"us"`` and ``"ru"``."""\n', False),
        ('def f():\n    """us"""\n', False),
        ('x = 1\n"""Default ``"us"``."""\n', False),
        ('x = "usa" + "r" + "full"\n', False),
        ('x = f"{actor}:us"\n', False),
    ],
)
def test_the_side_literal_checker_itself(source, flagged):
    assert bool(side_literals(source)) is flagged


EXCHANGE_STEPS = {
    "weapons": "ready_weapons",
    "targets": "victim_targets",
    "counterforce": "counterforce_strike",
    "warning": "launch_on_warning",
    "retaliation": "retaliation",
    "reserve": "reserve_strike",
    "value": "strike_on_value",
}
"""The exchange's steps (``docs/architecture.md``), module -> function."""


@pytest.mark.parametrize(("module", "name"), EXCHANGE_STEPS.items())
def test_each_exchange_step_cites_its_source(module, name):
    tree = ast.parse((PACKAGE / "engine" / f"{module}.py").read_text(encoding="utf-8"))
    (node,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    doc = ast.get_docstring(node) or ""
    assert "References\n----------\n" in doc, f"engine.{module}.{name} names no source"
