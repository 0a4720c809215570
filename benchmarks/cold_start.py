"""Cold start: wall time of ``detente assess --quiet`` as a whole process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Config, Section, Table, Target, fmt_s, median

TARGET_S = 1.5
"""Goal for ``detente assess --quiet``, wall time."""

ROOT = Path(__file__).resolve().parents[1]


def commands() -> dict[str, list[str]]:
    """The processes timed: the CLI, its imports alone, the bare package, an empty interpreter."""
    python = sys.executable
    return {
        "detente assess --quiet": [str(Path(python).parent / "detente"), "assess", "--quiet"],
        'python -c "import detente.cli"': [python, "-c", "import detente.cli"],
        'python -c "import detente"': [python, "-c", "import detente"],
        'python -c "pass"': [python, "-c", "pass"],
    }


def wall_time(argv: list[str]) -> float:
    """Wall seconds of one process run to completion (it must exit 0)."""
    started = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(config: Config) -> Section:
    """Median wall time of each command, runs interleaved so load affects all alike."""
    cmds = commands()
    times: dict[str, list[float]] = {name: [] for name in cmds}
    if config.cold_warmup:
        for argv in cmds.values():
            wall_time(argv)  # warm the file cache
    for _ in range(config.cold_runs):
        for name, argv in cmds.items():
            times[name].append(wall_time(argv))
    med = {name: median(t) for name, t in times.items()}
    cli, cli_imports, imp, bare = (med[name] for name in cmds)
    rows = tuple(
        (name, fmt_s(med[name]), fmt_s(min(times[name])), fmt_s(med[name] - bare)) for name in cmds
    )
    return Section(
        key="cold_start",
        title="Cold start",
        method=(
            f"Each command run {config.cold_runs} time(s) as a separate process"
            + (" (after one untimed run to warm the file cache)" if config.cold_warmup else "")
            + ", interleaved, from the repository root; median wall time."
        ),
        tables=(
            Table(
                title="Whole-process wall time",
                columns=("command", "median", "min", "above empty interpreter"),
                rows=rows,
                note=f"Importing the `detente` package alone costs {fmt_s(imp - bare)} over "
                f"an empty interpreter; importing the CLI (and all it loads) "
                f"{fmt_s(cli_imports - bare)}, which is "
                f"{(cli_imports - bare) / (cli - bare):.0%} of the CLI's time above an empty "
                f"interpreter; the assessment and the rest take {fmt_s(cli - cli_imports)}.",
            ),
        ),
        targets=(
            Target(
                name="`detente assess --quiet` wall time",
                goal=f"< {fmt_s(TARGET_S)}",
                measured=fmt_s(cli),
                met=cli < TARGET_S,
            ),
        ),
        figures={"cli_s": cli, "cli_imports_s": cli_imports, "import_s": imp, "bare_s": bare},
    )
