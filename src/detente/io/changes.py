"""``with_changes``: a scenario changed in memory by field path, checked like a file.

The paths and their rules are those of :mod:`detente.model.paths`
(``sides[us].defenses[us_gmd].interceptors``); this module words the errors
as the scenario reader does ("must be between 0 and 1", "did you mean ...")
and, when the changes come from a file (a sweep specification), points each
problem at the line where its change is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from detente.errors import Problem, ScenarioError
from detente.io.errors import explain, is_consequence, short_repr
from detente.model.checks import check_scenario
from detente.model.paths import (
    CHANGES_FILE,
    PathError,
    changed_data,
    readable_problems,
    shown_path,
)
from detente.model.scenario import Scenario

LineOf = Callable[[str], int | None]
"""Line of the change to a field path, in the file the changes come from."""


def _relocate(problems: list[Problem], file: str, line_of: LineOf | None) -> ScenarioError:
    out = []
    for p in problems:
        line = p.line
        if line_of is not None:
            line = line_of(p.path.split(" ")[0])
        out.append(Problem(p.path, p.message, line, p.value))
    return ScenarioError(file, out)


def with_changes(
    scenario: Scenario,
    changes: Mapping[str, Any],
    *,
    file: str = CHANGES_FILE,
    line_of: LineOf | None = None,
) -> Scenario:
    """``scenario`` with the value at each field path replaced, validated as a whole.

    Parameters
    ----------
    scenario
        The scenario to start from (not modified).
    changes
        ``{field path: new value}``, e.g.
        ``{"sides[us].defenses[us_gmd].interceptors": 500}``; paths as in
        :mod:`detente.model.paths` (``sides[actor]``, ``[id]`` or ``[position]``
        for items; posture fields directly after ``sides[actor]``).
    file, line_of
        Where the changes are written, for the error message: the file name
        and a function giving the line of each path's change.

    Returns
    -------
    Scenario
        The changed scenario, checked like a scenario file (field types and
        ranges, the model's rules and the cross-field checks).

    Raises
    ------
    ScenarioError
        With every problem at the path as written: a path that names nothing
        (with the nearest valid field, id or actor), a value of the wrong type
        or out of range, a cross-field problem.

    Examples
    --------
    >>> from detente.examples import geneva_2021
    >>> s = with_changes(geneva_2021(), {"sides[us].defenses[us_gmd].interceptors": 500})
    >>> s.side("us").posture.defenses[0].interceptors
    500
    """
    if not changes:
        return scenario
    try:
        data, landed = changed_data(scenario, changes)
    except PathError as exc:
        raise _relocate(list(exc.problems), file, line_of) from None
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            if is_consequence(error):
                continue
            message, show = explain(Scenario, error)
            value = short_repr(error.get("input")) if show else None
            problems.append(
                Problem(shown_path(tuple(error["loc"]), landed, data), message, None, value)
            )
        raise _relocate(problems, file, line_of) from None
    cross = check_scenario(changed)
    if cross:
        raise _relocate(readable_problems(cross, data, landed), file, line_of)
    return changed


__all__ = ["with_changes"]
