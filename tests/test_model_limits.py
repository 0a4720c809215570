"""The model refuses what the YAML reader would have coerced, and what the engine cannot compute."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import types
import typing

import pytest
from pydantic import BaseModel, Strict, ValidationError

import detente.model
from detente.model import limits
from detente.model.base import date_not_number
from detente.model.force import System
from detente.model.target import TargetClass
from detente.physics import lethality


def _models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(detente.model.__path__, "detente.model."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseModel) and obj.__module__ == info.name:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


_SCALARS = (int, float, bool)


def _lax_parts(annotation: object, metadata: list[object]) -> list[str]:
    """Scalar types inside ``annotation`` that pydantic would coerce (no ``Strict``)."""
    if annotation in _SCALARS:
        return [] if any(isinstance(m, Strict) for m in metadata) else [annotation.__name__]
    if annotation is dt.date:  # pydantic reads a number as seconds since 1970
        guarded = any(getattr(m, "func", None) is date_not_number for m in metadata)
        return [] if guarded else ["date"]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _lax_parts(args[0], [*metadata, *args[1:]])
    if origin in (typing.Union, types.UnionType, tuple, list, dict):
        return [part for arg in args if arg is not Ellipsis for part in _lax_parts(arg, [])]
    return []


MODELS = _models()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__qualname__)
def test_every_number_and_flag_of_the_model_is_strict(model):
    """YAML's ``true`` must not become 1, nor ``"400"`` become 400, nor 86400 a date: a
    field typed plain int, float, bool or date (rather than Int, Float, Flag, Count,
    Probability, Date) would allow it."""
    lax = {
        name: parts
        for name, info in model.model_fields.items()
        if (parts := _lax_parts(info.annotation, list(info.metadata)))
    }
    assert lax == {}


def test_the_walker_finds_lax_fields():
    class Lax(BaseModel):
        a: int
        b: float | None
        c: tuple[bool, ...]
        d: dt.date

    assert [_lax_parts(i.annotation, list(i.metadata)) for i in Lax.model_fields.values()] == [
        ["int"],
        ["float"],
        ["bool"],
        ["date"],
    ]


def test_model_ranges_are_the_physics_validity_ranges():
    assert limits.YIELD_RANGE_KT == lethality.YIELD_RANGE_KT
    assert limits.HARDNESS_RANGE_PSI == lethality.HARDNESS_RANGE_PSI
    assert (0.0, limits.CEP_MAX_M) == lethality.CEP_RANGE_M


SYSTEM = {
    "id": "s",
    "category": "icbm_silo",
    "delivery": "ballistic_rv",
    "launchers_deployed": 10,
    "warheads_per_launcher": 1,
    "max_warheads_per_launcher": 1,
    "yield_kt": 300,
    "cep_m": 100,
    "reliability": 0.9,
    "flight_time_min": 30,
    "range_km": 1000,
    "home_target": "t",
    "alert": {"day_to_day": 0.5, "generated": 0.9},
}


@pytest.mark.parametrize(
    ("change", "field", "kind"),
    [
        ({"launchers_deployed": True}, "launchers_deployed", "int_type"),
        ({"launchers_deployed": "400"}, "launchers_deployed", "int_type"),
        ({"launchers_deployed": 10**400}, "launchers_deployed", "less_than_equal"),
        ({"warheads_stored": limits.MAX_UNITS + 1}, "warheads_stored", "less_than_equal"),
        ({"nuclear": "yes"}, "nuclear", "bool_type"),
        ({"nuclear": 1}, "nuclear", "bool_type"),
        ({"cep_m": True}, "cep_m", "float_type"),
        ({"cep_m": float("inf")}, "cep_m", "finite_number"),
        ({"reliability": float("nan")}, "reliability", "finite_number"),
        ({"yield_kt": 0.005}, "yield_kt", "outside_validity"),
    ],
)
def test_system_refuses(change, field, kind):
    with pytest.raises(ValidationError) as info:
        System.model_validate({**SYSTEM, **change})
    (error,) = info.value.errors()
    assert (error["loc"], error["type"]) == ((field,), kind)


def test_a_number_is_not_a_date():
    from detente.model.posture import Posture

    with pytest.raises(ValidationError, match="expected a date written YYYY-MM-DD"):
        Posture.model_validate({"id": "p", "actor": "us", "date": 86400})
    assert str(Posture.model_validate({"id": "p", "actor": "us", "date": "2021-07-28"}).date)


def test_whole_numbers_are_fine_for_number_fields_and_conventional_yields_may_be_tiny():
    system = System.model_validate({**SYSTEM, "cep_m": 100, "warheads_per_launcher": 1})
    assert isinstance(system.cep_m, float)
    assert System.model_validate({**SYSTEM, "nuclear": False, "yield_kt": 0.0001}).yield_kt


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"hardness_psi": 1.5}, "greater_than_equal"),
        ({"hardness_psi": 20_000}, "less_than_equal"),
        ({"count": limits.MAX_AIM_POINTS + 1}, "less_than_equal"),
        ({"count": 10**9}, "less_than_equal"),
    ],
)
def test_target_class_refuses(change, kind):
    data = {"id": "t", "kind": "value", "count": 10, "hardness_psi": 5, **change}
    with pytest.raises(ValidationError) as info:
        TargetClass.model_validate(data)
    (error,) = info.value.errors()
    assert (error["loc"], error["type"]) == ((next(iter(change)),), kind)


def _posture_at_every_limit(actor: str) -> dict:
    kinds = ["silo_field", "mobile_garrison", "ssbn_port", "bomber_base", "c2_node"]
    low, high = limits.HARDNESS_RANGE_PSI
    n_military = limits.MAX_TARGET_CLASSES - 1
    targets = [
        {"id": f"t{j}", "kind": kinds[j % 5], "count": limits.MAX_AIM_POINTS,
         "hardness_psi": high if j % 5 == 0 else low}
        for j in range(n_military)
    ]  # fmt: skip
    targets.append({"id": "cities", "kind": "value", "count": limits.MAX_AIM_POINTS,
                    "hardness_psi": low})  # fmt: skip
    kinds_of_system = [
        ("icbm_silo", "ballistic_rv"), ("slbm", "ballistic_rv"), ("icbm_mobile", "ballistic_rv"),
        ("bomber", "gravity_bomb"), ("cruise", "cruise"), ("hypersonic_glide", "hgv"),
    ]  # fmt: skip
    systems = []
    for i in range(limits.MAX_SYSTEMS):
        category, delivery = kinds_of_system[i % len(kinds_of_system)]
        systems.append(
            {
                **SYSTEM,
                "id": f"s{i}",
                "category": category,
                "delivery": delivery,
                "launchers_deployed": limits.MAX_UNITS,
                "warheads_per_launcher": 32,
                "max_warheads_per_launcher": 32,
                "warheads_stored": limits.MAX_UNITS,
                "yield_kt": limits.YIELD_RANGE_KT[i % 2],
                "home_target": f"t{i % n_military}",
            }
        )
    defenses = [
        {"id": f"d{k}", "kind": "area", "interceptors": limits.MAX_UNITS,
         "pk": {"ballistic_rv": 0.5}}
        for k in range(limits.MAX_DEFENSE_LAYERS)
    ]  # fmt: skip
    return {
        "id": f"{actor}_max",
        "actor": actor,
        "date": "2021-07-28",
        "systems": systems,
        "targets": targets,
        "defenses": defenses,
        "reserve_unassigned": limits.MAX_UNITS,
    }


def test_a_scenario_at_every_limit_validates_and_is_assessed_within_a_gib(tmp_path):
    """What validate accepts, assess can compute: every size limit reached at once."""
    import json

    from hostile import detente

    path = tmp_path / "at-limits.yaml"
    scenario = {
        "name": "at_limits",
        "sides": [{"posture": _posture_at_every_limit(a)} for a in ("blue", "red")],
    }
    path.write_text(json.dumps(scenario), encoding="utf-8")  # JSON is YAML
    run = detente("validate", path, timeout=60)
    assert run.code == 0, run.text
    run = detente("assess", path, "--quiet", timeout=120)
    assert run.code == 0, run.text
