"""Cross-field checks (after PyPSA's ``consistency.py``).

Field-level rules live in the pydantic models; rules that relate several
fields or objects are these ``check_*`` functions. Each returns the problems
found as :class:`~detente.errors.Problem` with a field path; with
``strict=True`` it raises :class:`~detente.errors.ScenarioError` instead.
"""

from __future__ import annotations

from detente.errors import Problem, ScenarioError
from detente.model.posture import Posture
from detente.model.scenario import Scenario


def _raise_if(problems: list[Problem], strict: bool) -> list[Problem]:
    if strict and problems:
        raise ScenarioError(None, problems)
    return problems


def check_home_targets(
    posture: Posture, prefix: str = "", *, strict: bool = False
) -> list[Problem]:
    """Every system's ``home_target`` names a target class of the same posture."""
    ids = [t.id for t in posture.targets]
    problems = [
        Problem(
            path=f"{prefix}systems.{i}.home_target",
            message=f"no target class with this id; expected one of {ids}",
            value=repr(s.home_target),
        )
        for i, s in enumerate(posture.systems)
        if s.home_target not in ids
    ]
    return _raise_if(problems, strict)


def check_unique_ids(posture: Posture, prefix: str = "", *, strict: bool = False) -> list[Problem]:
    """System, target-class and defence-layer ids are unique within the posture."""
    problems: list[Problem] = []
    for name in ("systems", "targets", "defenses"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(posture, name)):
            if item.id in seen:
                problems.append(
                    Problem(f"{prefix}{name}.{i}.id", "duplicate id", value=repr(item.id))
                )
            seen.add(item.id)
    return _raise_if(problems, strict)


def check_alert_order(posture: Posture, prefix: str = "", *, strict: bool = False) -> list[Problem]:
    """Generated alert fractions are at least the day-to-day fractions."""
    problems = [
        Problem(
            f"{prefix}systems.{i}.alert.generated",
            f"generated alert fraction is below day-to-day ({s.alert.day_to_day}); "
            "generating forces cannot lower readiness",
            value=str(s.alert.generated),
        )
        for i, s in enumerate(posture.systems)
        if s.alert.generated < s.alert.day_to_day
    ]
    return _raise_if(problems, strict)


def check_launcher_capacity(
    posture: Posture, prefix: str = "", *, strict: bool = False
) -> list[Problem]:
    """Loaded warheads do not exceed launchers times the largest load."""
    problems = [
        Problem(
            f"{prefix}systems.{i}.warheads_per_launcher",
            f"loaded warheads exceed launchers x max load "
            f"({s.launchers_deployed} x {s.max_warheads_per_launcher})",
            value=str(s.warheads_per_launcher),
        )
        for i, s in enumerate(posture.systems)
        if s.warheads_per_launcher > s.max_warheads_per_launcher
    ]
    return _raise_if(problems, strict)


def check_point_defenses(
    posture: Posture, prefix: str = "", *, strict: bool = False
) -> list[Problem]:
    """Point-defence layers name target classes that exist."""
    ids = {t.id for t in posture.targets}
    problems = [
        Problem(
            f"{prefix}defenses.{i}.defends",
            f"unknown target class; expected ids from {sorted(ids)}",
            value=repr(missing),
        )
        for i, d in enumerate(posture.defenses)
        for missing in d.defends
        if missing not in ids
    ]
    return _raise_if(problems, strict)


def check_value_class(posture: Posture, prefix: str = "", *, strict: bool = False) -> list[Problem]:
    """Exactly one target class is urban-industrial value, and no system is based in it.

    Without a value class retaliation on the posture has nothing to strike, and a
    system based in the value class could never be targeted: both would give
    confident but meaningless verdicts.
    """
    value = [i for i, t in enumerate(posture.targets) if t.kind == "value"]
    problems: list[Problem] = []
    if not value:
        problems.append(
            Problem(
                f"{prefix}targets",
                "no target class of kind 'value'; expected exactly one (urban-industrial "
                "value, the object of retaliation)",
            )
        )
    for extra in value[1:]:
        problems.append(
            Problem(
                f"{prefix}targets.{extra}.kind",
                "a second 'value' class; expected exactly one",
                value=repr(posture.targets[extra].id),
            )
        )
    value_ids = {posture.targets[i].id for i in value}
    problems += [
        Problem(
            f"{prefix}systems.{i}.home_target",
            "a system cannot be based in the value class; expected a military target class",
            value=repr(sys.home_target),
        )
        for i, sys in enumerate(posture.systems)
        if sys.home_target in value_ids
    ]
    return _raise_if(problems, strict)


def check_launch_from_home(
    posture: Posture, prefix: str = "", *, strict: bool = False
) -> list[Problem]:
    """``launch_from_home`` is set only on systems that leave home to be survivable."""
    kinds = {t.id: t.kind for t in posture.targets}
    problems = [
        Problem(
            f"{prefix}systems.{i}.launch_from_home",
            f"a system based in a {kinds[s.home_target]} has no home launch to model (silo "
            "missiles always launch from home, bombers must take off); expected 0, or a "
            "system based in a garrison or an SSBN port",
            value=str(s.launch_from_home),
        )
        for i, s in enumerate(posture.systems)
        if s.launch_from_home > 0 and kinds.get(s.home_target) in ("silo_field", "bomber_base")
    ]
    return _raise_if(problems, strict)


POSTURE_CHECKS = (
    check_unique_ids,
    check_home_targets,
    check_alert_order,
    check_launcher_capacity,
    check_point_defenses,
    check_value_class,
    check_launch_from_home,
)


def check_posture(posture: Posture, prefix: str = "", *, strict: bool = False) -> list[Problem]:
    """Run every posture check."""
    problems = [p for check in POSTURE_CHECKS for p in check(posture, prefix)]
    return _raise_if(problems, strict)


def check_scenario(scenario: Scenario, *, strict: bool = False) -> list[Problem]:
    """Run every posture check on every side of ``scenario``."""
    problems = [
        p
        for i, side in enumerate(scenario.sides)
        for p in check_posture(side.posture, f"sides.{i}.posture.")
    ]
    return _raise_if(problems, strict)
