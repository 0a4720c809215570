"""Tables of a stored run for summaries, figures and reports: one value per point.

A sweep keeps every definition under every reading and alert case; a figure
shows one of them over the levers. :func:`headline_table` picks one series
(by default the first reading kept, each point's own alert levels, each side
following its launch-on-warning policy) and returns it with one column per
lever, draws averaged per point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detente.errors import InvalidArgumentError
from detente.model.cases import AlertCase
from detente.model.perspective import readings_for
from detente.store.results import ResultsStore

if TYPE_CHECKING:
    import pandas as pd


def _actors(info_scenario: dict[str, Any]) -> list[str]:
    return [str(s["posture"]["actor"]) for s in info_scenario.get("sides") or []]


def _readings(store: ResultsStore, run_id: str, actors: list[str]) -> list[str]:
    """The readings a run keeps: the scenario's own in their order, then any other."""
    rows = store.con.execute(
        "SELECT DISTINCT reading FROM outcomes WHERE run_id = ? AND definition <> 'strike'",
        [run_id],
    ).fetchall()
    found = {str(r[0]) for r in rows}
    order = [p.id for p in readings_for(actors)]
    return [r for r in order if r in found] + sorted(found - set(order))


def _own_case(info_scenario: dict[str, Any]) -> str:
    sides = info_scenario.get("sides") or []
    return str(AlertCase.of({s["posture"]["actor"]: s["posture"]["alert"] for s in sides}))


def _policy_cases(store: ResultsStore, run_id: str) -> list[str]:
    """The alert cases a run keeps in which each side follows its launch-on-warning policy."""
    rows = store.con.execute(
        'SELECT DISTINCT "case" FROM outcomes WHERE run_id = ?', [run_id]
    ).fetchall()
    return sorted(str(c) for (c,) in rows if not AlertCase.parse(str(c)).ride_out)


def headline_table(
    store: ResultsStore,
    run_id: str,
    definition: str,
    *,
    reading: str | None = None,
    case: str | None = None,
    side: str = "combined",
    quantity: str = "value",
) -> tuple[pd.DataFrame, str]:
    """One value per point of a stored run, with the point's lever values.

    Parameters
    ----------
    store, run_id
        The store and the run (id or a unique start of it).
    definition
        The definition shown.
    reading
        The reading (default: ``full`` if kept, else the first kept).
    case
        The alert case as text (``us:day_to_day/ru:generated``); by default each
        point's own alert levels with each side's launch-on-warning policy.
    side, quantity
        Which number of the definition (default: the combined value).

    Returns
    -------
    tuple
        The table (point, one column per lever, value: the mean over the
        point's draws) and a label naming the reading and case shown.

    Raises
    ------
    InvalidArgumentError
        If the run keeps no such definition or reading.
    """
    info = store.run(run_id)
    kept = _readings(store, info.run_id, _actors(info.scenario))
    if not kept:
        raise InvalidArgumentError(f"run {info.short_id} holds no outcomes yet")
    chosen = reading or kept[0]  # the full reading comes first when kept
    if chosen not in kept:
        raise InvalidArgumentError(
            f"run {info.short_id} keeps no reading {chosen!r}; expected one of: {', '.join(kept)}"
        )
    own = (info.spec.get("keep") or {}).get("alert_cases", "own") == "own"
    where = "definition = ? AND reading = ? AND side = ? AND quantity = ?"
    args: list[Any] = [info.run_id, definition, chosen, side, quantity]
    if case is not None:
        where += ' AND "case" = ?'
        args.append(case)
        label = f"{chosen} reading, {case}"
    elif own:
        cases = _policy_cases(store, info.run_id)
        where += f' AND "case" IN ({", ".join("?" * len(cases))})' if cases else " AND FALSE"
        args.extend(cases)
        label = f"{chosen} reading, own alert levels, by policy"
    else:
        where += ' AND "case" = ?'
        args.append(_own_case(info.scenario))
        label = f"{chosen} reading, {_own_case(info.scenario)}"
    levers = [lv["name"] for lv in info.levers]
    frame = store.con.execute(
        f"SELECT experiment, value FROM outcomes WHERE run_id = ? AND {where} ORDER BY experiment",
        args,
    ).df()
    experiments = store.experiments(info.run_id)
    table = frame.merge(experiments, on="experiment", how="left")
    if table.empty:
        import pandas as pd

        return pd.DataFrame(columns=["point", *levers, "value"]), label
    grouped = table.groupby(["point", *levers], sort=False, as_index=False)["value"].mean()
    return grouped.sort_values("point").reset_index(drop=True), label


__all__ = ["headline_table"]
