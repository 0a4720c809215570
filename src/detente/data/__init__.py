"""Shipped, cited public data: built-in postures, treaties, sources, New START data.

Files are read-only package data under this folder. Built-in names are file
stems (``us-2021``); loading validates them with the domain model.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from detente.errors import UnknownNameError
from detente.model.posture import Posture, TotalsOnly
from detente.model.treaty import Treaty


def _read_yaml(*parts: str) -> Any:
    node = resources.files(__name__).joinpath(*parts)
    with node.open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _stems(folder: str) -> tuple[str, ...]:
    base = resources.files(__name__).joinpath(folder)
    if not base.is_dir():
        return ()
    return tuple(sorted(p.name[:-5] for p in base.iterdir() if p.name.endswith(".yaml")))


def posture_names() -> tuple[str, ...]:
    """Names of the built-in full postures (``us-2021``, ``ru-2025`` ...)."""
    return _stems("postures")


def totals_names() -> tuple[str, ...]:
    """Names of the built-in totals-only entries (``uk-2021`` ...)."""
    return _stems("totals")


def treaty_names() -> tuple[str, ...]:
    """Names of the built-in treaties (``new-start`` ...)."""
    return _stems("treaties")


def _check_name(name: str, known: tuple[str, ...], what: str) -> None:
    if name not in known:
        raise UnknownNameError(
            f"unknown built-in {what} {name!r}; expected one of: {', '.join(known)}"
        )


def posture_raw(name: str) -> dict[str, Any]:
    """The built-in posture ``name`` as plain data (for deep-merge overrides)."""
    _check_name(name, posture_names(), "posture")
    data: dict[str, Any] = _read_yaml("postures", f"{name}.yaml")
    return data


@functools.cache
def load_posture(name: str) -> Posture:
    """The built-in posture ``name``, validated."""
    return Posture.model_validate(posture_raw(name))


@functools.cache
def load_totals(name: str) -> TotalsOnly:
    """The built-in totals-only entry ``name``, validated."""
    _check_name(name, totals_names(), "totals entry")
    return TotalsOnly.model_validate(_read_yaml("totals", f"{name}.yaml"))


def treaty_raw(name: str) -> dict[str, Any]:
    """The built-in treaty ``name`` as plain data."""
    _check_name(name, treaty_names(), "treaty")
    data: dict[str, Any] = _read_yaml("treaties", f"{name}.yaml")
    return data


@functools.cache
def load_treaty(name: str) -> Treaty:
    """The built-in treaty ``name``, validated."""
    return Treaty.model_validate(treaty_raw(name))


@functools.cache
def sources() -> dict[str, dict[str, Any]]:
    """The sources registry: key -> {title, author, year, url, ...}."""
    entries = _read_yaml("sources.yaml") or []
    return {e["key"]: e for e in entries}


@functools.cache
def new_start_exchanges() -> tuple[dict[str, Any], ...]:
    """Published New START aggregate data, one record per data date and party."""
    return tuple(_read_yaml("new_start_exchanges.yaml") or ())
