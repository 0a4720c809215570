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
    """Each workload on the reference and on today's tree, alternating, ratio of medians."""
    rows, figures, targets = [], {}, []
    with tempfile.TemporaryDirectory() as tmp:
        ref = extract(REFERENCE, Path(tmp))
        if ref is None:
            note = f"revision {REFERENCE} is not in this clone; nothing compared"
            table = Table(title="Today against the reference", columns=("note",), rows=((note,),))
            return Section(
                key="versus",
                title="Against the reference revision",
                method=note,
                tables=(table,),
                figures={},
            )
        for key, (name, (setup, call, reps, per)) in enumerate(workloads(config).items()):
            ref_t, new_t, ratios = [], [], []
            for _ in range(config.versus_rounds):
                r = median(_times(ref, setup, call, reps))
                t = median(_times(ROOT / "src", setup, call, reps))
                ref_t.append(r)
                new_t.append(t)
                ratios.append(r / t)
            ratio = median(ratios)
            figures[f"ratio.{key}"] = ratio
            rows.append(
                (
                    name,
                    fmt_s(median(ref_t) / per),
                    fmt_s(median(new_t) / per),
                    fmt_x(ratio),
                )
            )
        targets.append(
            Target(
                name="full assessment vs before the re-cut",
                goal="no slower (ratio >= 1x within noise, 0.9x)",
                measured=fmt_x(figures["ratio.0"]),
                met=figures["ratio.0"] >= 0.9,
            )
        )
    return Section(
        key="versus",
        title="Against the reference revision",
        method=(
            f"The same calls on revision `{REFERENCE}` (the last commit before the engine "
            "re-cut, whose numbers the golden fixture pins; extracted with `git archive`) and "
            f"on this tree, each in a fresh interpreter, alternating, {config.versus_rounds} "
            "round(s); each round times several calls after a warm-up and keeps the median. "
            "Ratio = reference time / today's time (above 1: today is faster), the median "
            "over rounds. Per-call times are per draw for the draws workload."
        ),
        tables=(
            Table(
                title="Today against the reference",
                columns=("workload", "reference", "today", "reference / today"),
                rows=tuple(rows),
            ),
        ),
        targets=tuple(targets),
        figures=figures,
    )
