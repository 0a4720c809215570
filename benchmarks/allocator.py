"""Quality and speed of the weapon-target allocators: local search and greedy against exact."""

from __future__ import annotations

import time

import numpy as np

from benchmarks.common import Config, Section, Table, Target, fmt_pct, fmt_s, fmt_x, median
from benchmarks.wta_files import FloatArray, Instance, load_all, missing_files, wta_dir
from detente.engine.allocation import Method, WTASolution, solve_wta

TARGET_RATIO = 100.0
TARGET_GAP = 0.005
TARGET_SIZE = 100

VALUE_RANGE = (25.0, 100.0)
KILL_RANGE = (0.6, 0.9)


def generate(n: int, index: int, seed: int) -> tuple[FloatArray, FloatArray]:
    """Instance ``index`` of size ``n x n``: values U(25, 100), kill probabilities U(0.6, 0.9)."""
    rng = np.random.default_rng([seed, n, index])
    values = rng.uniform(*VALUE_RANGE, n)
    kill_prob = rng.uniform(*KILL_RANGE, (n, n))
    return kill_prob, values


def _timed(
    p: FloatArray, v: FloatArray, method: Method, repeats: int, limit: float | None
) -> tuple[WTASolution, float]:
    times = []
    sol = None
    for _ in range(repeats):
        started = time.perf_counter()
        sol = solve_wta(p, v, method=method, time_limit_s=limit)
        times.append(time.perf_counter() - started)
    assert sol is not None
    return sol, median(times)


def _generated(config: Config) -> tuple[Table, dict[str, float]]:
    rows = []
    figures: dict[str, float] = {}
    for n in config.wta_sizes:
        t: dict[str, list[float]] = {"greedy": [], "fast": [], "exact": []}
        gap_fast: list[float] = []
        gap_greedy: list[float] = []
        proven: list[float] = []
        limited = 0
        for k in range(config.wta_instances):
            p, v = generate(n, k, config.seed)
            greedy, t_g = _timed(p, v, "greedy", config.wta_repeats, None)
            fast, t_f = _timed(p, v, "local_search", config.wta_repeats, None)
            exact, t_e = _timed(p, v, "exact", 1, config.exact_time_limit_s)
            t["greedy"].append(t_g)
            t["fast"].append(t_f)
            t["exact"].append(t_e)
            ref = exact.surviving_value
            gap_fast.append((fast.surviving_value - ref) / ref)
            gap_greedy.append((greedy.surviving_value - ref) / ref)
            proven.append(exact.gap if exact.gap is not None else float("nan"))
            limited += exact.status == "time_limit"
        mean = {m: float(np.mean(x)) for m, x in t.items()}
        ratio = mean["exact"] / mean["fast"]
        figures |= {
            f"ratio.{n}": ratio,
            f"fast_gap_mean.{n}": float(np.mean(gap_fast)),
            f"fast_gap_max.{n}": float(np.max(gap_fast)),
            f"greedy_gap_mean.{n}": float(np.mean(gap_greedy)),
            f"exact_limited.{n}": float(limited),
        }
        rows.append(
            (
                f"{n}x{n}",
                str(config.wta_instances),
                fmt_s(mean["greedy"]),
                fmt_s(mean["fast"]),
                fmt_s(mean["exact"]),
                fmt_x(ratio),
                f"{fmt_pct(float(np.mean(gap_fast)))} / {fmt_pct(float(np.max(gap_fast)))}",
                f"{fmt_pct(float(np.mean(gap_greedy)))} / {fmt_pct(float(np.max(gap_greedy)))}",
                f"{limited} hit limit; max proven gap {fmt_pct(float(np.nanmax(proven)))}",
            )
        )
    table = Table(
        title="Generated square instances (weapons = targets = n)",
        columns=(
            "size",
            "instances",
            "greedy",
            "local search",
            "exact",
            "exact / local-search time",
            "local-search gap mean / max",
            "greedy gap mean / max",
            "exact status",
        ),
        rows=tuple(rows),
        note="Times are means per instance. Gap = (F_method - F_exact) / F_exact on the "
        "expected surviving value F. The exact solver is warm-started from the local-search "
        "solution, so its time includes the local search and it can never be worse. Where the "
        "exact solver hits its time limit, its time and the time ratio are lower bounds.",
    )
    return table, figures


def _literature(config: Config) -> tuple[tuple[Table, ...], dict[str, float], str]:
    folder = wta_dir()
    if not (folder / "best_known.csv").is_file():
        return (), {}, missing_files(folder).capitalize() + "; skipped."
    instances = load_all(folder, config.literature_limit)
    detail = []
    per_family: dict[str, list[tuple[float, float, float, float]]] = {}
    below_bound = 0
    for inst in instances:
        row = _solve_known(inst, config)
        per_family.setdefault(inst.family, []).append(row[:4])
        below_bound += int(row[4])
        detail.append(
            (
                inst.name,
                f"{inst.kill_prob.shape[0]}x{inst.kill_prob.shape[1]}",
                f"{inst.best_known:.6g}",
                inst.proven.split(" (")[0],
                fmt_pct(row[0]),
                fmt_s(row[1]),
                fmt_pct(row[2]),
                fmt_s(row[3]),
            )
        )
    summary = []
    figures: dict[str, float] = {"literature_below_bound": float(below_bound)}
    for family, rows in per_family.items():
        a = np.asarray(rows)
        figures[f"lit_fast_gap_max.{family}"] = float(a[:, 0].max())
        summary.append(
            (
                family,
                str(len(rows)),
                f"{fmt_pct(float(a[:, 0].mean()))} / {fmt_pct(float(a[:, 0].max()))}",
                f"{fmt_s(float(a[:, 1].mean()))} / {fmt_s(float(a[:, 1].max()))}",
                f"{fmt_pct(float(a[:, 2].mean()))} / {fmt_pct(float(a[:, 2].max()))}",
                f"{fmt_s(float(a[:, 3].mean()))}",
            )
        )
    tables = (
        Table(
            title="Public instances: gap to the best-known value, per family",
            columns=(
                "family",
                "instances",
                "local-search gap mean / max",
                "local-search time mean / max",
                "greedy gap mean / max",
                "greedy time mean",
            ),
            rows=tuple(summary),
            note=f"Values below a published lower bound (a bug if any): {below_bound}.",
        ),
        Table(
            title="Public instances, one by one",
            columns=(
                "instance",
                "weapons x targets",
                "best known",
                "proven",
                "local-search gap",
                "local-search time",
                "greedy gap",
                "greedy time",
            ),
            rows=tuple(detail),
        ),
    )
    note = (
        f"Public instances read at run time from `{folder.name}` beside the repository "
        "(`shared/benchmarks/wta`): Sonuc et al. square instances and Andersen, Pavlikov "
        "& Toffolo (2022) typed instances, with `best_known.csv`."
    )
    return tables, figures, note


def _solve_known(inst: Instance, config: Config) -> tuple[float, float, float, float, bool]:
    fast, t_f = _timed(inst.kill_prob, inst.values, "local_search", config.wta_repeats, None)
    greedy, t_g = _timed(inst.kill_prob, inst.values, "greedy", config.wta_repeats, None)
    best = inst.best_known
    below = min(fast.surviving_value, greedy.surviving_value) < inst.lower_bound * (1 - 1e-7)
    return (
        (fast.surviving_value - best) / best,
        t_f,
        (greedy.surviving_value - best) / best,
        t_g,
        below,
    )


def run(config: Config) -> Section:
    """Fast, greedy and exact allocators on generated and public WTA instances."""
    solve_wta([[0.5]], [1.0], method="exact")  # warm-up: import HiGHS
    generated, figures = _generated(config)
    literature, lit_figures, lit_note = _literature(config)
    size = TARGET_SIZE if TARGET_SIZE in config.wta_sizes else max(config.wta_sizes)
    ratio, gap = figures[f"ratio.{size}"], figures[f"fast_gap_mean.{size}"]
    return Section(
        key="allocator",
        title="Allocator quality and speed",
        method=(
            "`detente.engine.allocation.solve_wta(kill_prob, values, method=...)` for "
            "`greedy`, `local_search` and `exact` (HiGHS, time limit "
            f"{config.exact_time_limit_s:g} s). Generated instances: values "
            f"U{VALUE_RANGE}, kill probabilities U{KILL_RANGE} as in the literature, "
            f"{config.wta_instances} instance(s) per size from seed {config.seed}; greedy and "
            f"local search timed as the median of {config.wta_repeats} calls, exact once. "
            + lit_note
        ),
        tables=(generated, *literature),
        targets=(
            Target(
                name=f"local search vs exact time, {size}x{size}",
                goal=f">= {TARGET_RATIO:.0f}x",
                measured=fmt_x(ratio),
                met=ratio >= TARGET_RATIO,
            ),
            Target(
                name=f"local-search mean gap to exact, {size}x{size}",
                goal=f"< {fmt_pct(TARGET_GAP)}",
                measured=fmt_pct(gap),
                met=gap < TARGET_GAP,
            ),
        ),
        figures=figures | lit_figures,
    )
