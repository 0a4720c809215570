"""Today's code against a reference revision of it, timed side by side in the same run.

The reference tree is extracted with ``git archive`` into a temporary folder
and both trees run the same snippet in fresh interpreters of this environment,
alternating, so that a busy machine slows both alike; figures are ratios of
medians (reference / today: above 1 means today is faster).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from benchmarks.common import Config, Section, Table, Target, fmt_s, fmt_x, median

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "619948f"
"""The last commit before the engine re-cut: the golden fixture pins its numbers."""
RECUT = "c25ed62"
"""The last commit of the engine re-cut (its numbers are the reference's, to 1e-9): the
re-cut's own cost is this tree against the reference. The trees after it add model work
on purpose (each striker choosing among 31 strikes, every case also with all riding out,
yield-dependent value damage), which today's row shows."""

_RUNNER = """
import json, sys, time
setup, call, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = {}
exec(setup, env)
exec(call, env)  # warm-up
times = []
for _ in range(reps):
    started = time.perf_counter()
    exec(call, env)
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""

_SCENARIO = "from detente.examples import geneva_2021\nscenario = geneva_2021()\n"
_DRAWS = (
    "import numpy as np\n"
    "from detente.analysis.batch import assess_draws\n"
    "rng = np.random.default_rng(20210616)\n"
    "n = {n}\n"
    "draws = {{a: {{'cep': rng.uniform(0.7, 1.3, n), 'reliability': rng.uniform(0.85, 1.1, n),"
    " 'interceptor_pk': rng.uniform(0.5, 1.5, n)}} for a in ('us', 'ru')}}\n"
)


def workloads(config: Config) -> dict[str, tuple[str, str, int, int]]:
    """Name -> (setup, call, timed calls per round, draws per call or 1)."""
    return {
        "full assessment (assess)": (
            _SCENARIO + "from detente.analysis.assess import assess\n",
            "assess(scenario)",
            config.versus_assess_reps,
            1,
        ),
        f"{config.versus_draws:,} draws (assess_draws)": (
            _SCENARIO + _DRAWS.format(n=config.versus_draws),
            "assess_draws(scenario, draws)",
            config.versus_draw_reps,
            config.versus_draws,
        ),
    }


def extract(revision: str, into: Path) -> Path | None:
    """``src/`` of ``revision`` under ``into``; None when this clone lacks the revision."""
    archive = into / "ref.tar"
    with archive.open("wb") as fh:
        done = subprocess.run(
            ["git", "archive", revision, "src"], cwd=ROOT, stdout=fh, stderr=subprocess.DEVNULL
        )
    if done.returncode != 0:
        return None
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _times(src: Path, setup: str, call: str, reps: int) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", _RUNNER, setup, call, str(reps)],
        cwd=ROOT,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    )
    return [float(t) for t in json.loads(out.stdout)]


def run(config: Config) -> Section:
    """Each workload on the reference, the re-cut and today's tree, alternating, ratios of
    medians."""
    rows, figures, targets = [], {}, []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "ref").mkdir()
        (Path(tmp) / "recut").mkdir()
        ref = extract(REFERENCE, Path(tmp) / "ref")
        recut = extract(RECUT, Path(tmp) / "recut")
        if ref is None or recut is None:
            note = f"revision {REFERENCE} or {RECUT} is not in this clone; nothing compared"
            table = Table(title="Today against the reference", columns=("note",), rows=((note,),))
            return Section(
                key="versus",
                title="Against the reference revision",
                method=note,
                tables=(table,),
                figures={},
            )
        for key, (name, (setup, call, reps, per)) in enumerate(workloads(config).items()):
            got: dict[str, list[float]] = {"ref": [], "recut": [], "today": []}
            ratios: dict[str, list[float]] = {"recut": [], "today": []}
            for _ in range(config.versus_rounds):
                r = median(_times(ref, setup, call, reps))
                c = median(_times(recut, setup, call, reps))
                t = median(_times(ROOT / "src", setup, call, reps))
                for label, value in (("ref", r), ("recut", c), ("today", t)):
                    got[label].append(value)
                ratios["recut"].append(r / c)
                ratios["today"].append(r / t)
            figures[f"ratio.{key}"] = median(ratios["today"])
            figures[f"recut_ratio.{key}"] = median(ratios["recut"])
            rows.append(
                (
                    name,
                    fmt_s(median(got["ref"]) / per),
                    fmt_s(median(got["recut"]) / per),
                    fmt_x(figures[f"recut_ratio.{key}"]),
                    fmt_s(median(got["today"]) / per),
                    fmt_x(figures[f"ratio.{key}"]),
                )
            )
        targets.append(
            Target(
                name="full assessment: the re-cut against before it",
                goal="no slower (ratio >= 1x within noise, 0.9x)",
                measured=fmt_x(figures["recut_ratio.0"]),
                met=figures["recut_ratio.0"] >= 0.9,
            )
        )
    return Section(
        key="versus",
        title="Against the reference revision",
        method=(
            f"The same calls on revision `{REFERENCE}` (the last commit before the engine "
            f"re-cut, whose numbers the golden fixture pins), on `{RECUT}` (the re-cut as it "
            "landed, the same numbers to 1e-9) and on this tree, each extracted with `git "
            f"archive` and run in a fresh interpreter, alternating, {config.versus_rounds} "
            "round(s); each round times several calls after a warm-up and keeps the median. "
            "Ratio = reference time / that tree's time (above 1: faster than the reference), "
            "the median over rounds. Per-call times are per draw for the draws workload. The "
            "re-cut's ratio is its own cost; this tree's also holds the model work added on "
            "purpose since (each striker choosing among 31 strikes, every alert case also with "
            "all riding out, yield-dependent damage to value: docs/methodology.md section 7)."
        ),
        tables=(
            Table(
                title="The re-cut and today against the reference",
                columns=(
                    "workload",
                    "reference",
                    "re-cut",
                    "reference / re-cut",
                    "today",
                    "reference / today",
                ),
                rows=tuple(rows),
            ),
        ),
        targets=tuple(targets),
        figures=figures,
    )
