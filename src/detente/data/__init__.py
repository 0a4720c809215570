"""Shipped, cited public data: built-in postures, treaties, sources, New START data.

Files are read-only package data under this folder. Built-in names are file
stems (``us-2021``); loading validates them with the domain model.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from detente.errors import UnknownNameError, unknown
from detente.model.posture import Posture, TotalsOnly
from detente.model.treaty import Treaty

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it; the pure-Python one otherwise."""


def _read_yaml(*parts: str) -> Any:
    node = resources.files(__name__).joinpath(*parts)
    with node.open("r", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)


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


def _fold(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def find_name(name: object, known: tuple[str, ...]) -> str | None:
    """The built-in name ``name`` stands for, or None.

    Built-in names are file stems written with hyphens (``ru-2021``,
    ``new-start``); the ids inside the files use underscores (``ru_2021``,
    ``new_start``). Either spelling, in any case, finds the built-in.
    """
    if not isinstance(name, str):
        return None
    if name in known:
        return name
    folded = {_fold(k): k for k in known}
    return folded.get(_fold(name))


def canonical_name(name: object, known: tuple[str, ...], what: str) -> str:
    """The built-in name ``name`` stands for (see :func:`find_name`).

    Raises
    ------
    UnknownNameError
        Naming the closest built-in name and every valid one.
    """
    found = find_name(name, known)
    if found is None:
        raise UnknownNameError(unknown(f"built-in {what}", name, known))
    return found


def posture_name(name: str) -> str:
    """The built-in posture ``name`` stands for: ``ru_2021`` and ``RU-2021`` are ``ru-2021``."""
    return canonical_name(name, posture_names(), "posture")


def treaty_name(name: str) -> str:
    """The built-in treaty ``name`` stands for: ``new_start`` is ``new-start``."""
    return canonical_name(name, treaty_names(), "treaty")


def posture_raw(name: str) -> dict[str, Any]:
    """The built-in posture ``name`` as plain data (for deep-merge overrides)."""
    data: dict[str, Any] = _read_yaml("postures", f"{posture_name(name)}.yaml")
    return data


def load_posture(name: str) -> Posture:
    """The built-in posture ``name`` (either spelling), validated."""
    return _load_posture(posture_name(name))


@functools.cache
def _load_posture(name: str) -> Posture:
    return Posture.model_validate(posture_raw(name))


def load_totals(name: str) -> TotalsOnly:
    """The built-in totals-only entry ``name`` (either spelling), validated."""
    return _load_totals(canonical_name(name, totals_names(), "totals entry"))


@functools.cache
def _load_totals(name: str) -> TotalsOnly:
    return TotalsOnly.model_validate(_read_yaml("totals", f"{name}.yaml"))


def treaty_raw(name: str) -> dict[str, Any]:
    """The built-in treaty ``name`` (either spelling) as plain data."""
    data: dict[str, Any] = _read_yaml("treaties", f"{treaty_name(name)}.yaml")
    return data


def load_treaty(name: str) -> Treaty:
    """The built-in treaty ``name`` (``new-start`` or ``new_start``), validated."""
    return _load_treaty(treaty_name(name))


@functools.cache
def _load_treaty(name: str) -> Treaty:
    return Treaty.model_validate(treaty_raw(name))


@functools.cache
def _sources() -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    entries = _read_yaml("sources.yaml") or []
    return tuple((e["key"], tuple(e.items())) for e in entries)


def sources() -> dict[str, dict[str, Any]]:
    """The sources registry: key -> {title, author, year, url, ...} (a fresh copy)."""
    return {key: dict(items) for key, items in _sources()}


@functools.cache
def new_start_exchanges() -> tuple[dict[str, Any], ...]:
    """Published New START aggregate data, one record per data date and party."""
    return tuple(_read_yaml("new_start_exchanges.yaml") or ())


WARHEAD_CATEGORIES = (
    "deployed_strategic",
    "strategic_reserve",
    "nonstrategic",
    "unassigned",
)
"""Disjoint stockpile categories of :func:`warhead_summary`; they add up to ``stockpile``."""


def warhead_summary(posture: Posture) -> dict[str, float]:
    """Nuclear warheads of ``posture`` by category, as published estimates group them.

    Parameters
    ----------
    posture
        A validated posture.

    Returns
    -------
    dict
        ``deployed_strategic``: warheads loaded on deployed launchers of every nuclear
        system that is not ``nonstrategic`` (bomber loads are the weapons physically at
        bomber bases); ``strategic_reserve``: stored warheads of those systems;
        ``nonstrategic``: all warheads of ``nonstrategic`` systems; ``unassigned``:
        ``reserve_unassigned``; ``stockpile``: the sum of the four. Also
        ``deployed_forward``: non-strategic warheads kept at ``forward_base`` classes
        (counted as deployed by FAS, e.g. US B61 in Europe); ``deployed``: every loaded
        warhead plus ``deployed_forward``; ``retired`` and ``total_inventory`` (stockpile
        plus retired, from ``posture.totals``). Conventional systems are left out.
    """
    kinds = {t.id: t.kind for t in posture.targets}
    nuclear = [s for s in posture.systems if s.nuclear]
    strategic = [s for s in nuclear if s.category != "nonstrategic"]
    nonstrategic = [s for s in nuclear if s.category == "nonstrategic"]
    out: dict[str, float] = {
        "deployed_strategic": sum(s.warheads_deployed for s in strategic),
        "strategic_reserve": float(sum(s.warheads_stored for s in strategic)),
        "nonstrategic": sum(s.warheads_total for s in nonstrategic),
        "unassigned": float(posture.reserve_unassigned),
    }
    out["stockpile"] = sum(out[k] for k in WARHEAD_CATEGORIES)
    out["deployed_forward"] = float(
        sum(s.warheads_stored for s in nonstrategic if kinds.get(s.home_target) == "forward_base")
    )
    out["deployed"] = sum(s.warheads_deployed for s in nuclear) + out["deployed_forward"]
    retired = float(posture.totals.retired) if posture.totals is not None else 0.0
    out["retired"] = retired
    out["total_inventory"] = out["stockpile"] + retired
    return out
