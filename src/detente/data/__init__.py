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


def resolve_treaty(name: str) -> Treaty:
    """The built-in treaty named by its file name (``new-start``) or its id (``new_start``).

    The one place a treaty *name* becomes a :class:`~detente.model.treaty.Treaty`:
    scenarios, the CLI and reports all resolve names here (a treaty *file* is
    read by ``detente.io.load_treaty_file``).

    Raises
    ------
    UnknownNameError
        If no built-in treaty has that name; the message lists the valid ids.
    """
    for stem in treaty_names():
        if name in (stem, stem.replace("-", "_")):
            return load_treaty(stem)
    known = ", ".join(n.replace("-", "_") for n in treaty_names())
    raise UnknownNameError(f"unknown treaty {name!r}; expected one of: {known}")


def builtin_treaty_id(treaty: Treaty) -> str | None:
    """The id of the built-in treaty ``treaty`` equals, or ``None`` if it is not built in."""
    for stem in treaty_names():
        if load_treaty(stem) == treaty:
            return stem.replace("-", "_")
    return None


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
