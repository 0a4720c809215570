"""Running ``detente`` the way a user does, with a memory and time bound on the process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 1 << 30
"""Address space a bounded run may use (1 GiB; a normal run needs a few hundred MB)."""

TIME_LIMIT = 60.0
"""Seconds before a bounded run counts as hung."""

_PRELUDE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from detente.cli import main
sys.argv = ["detente", *sys.argv[1:]]
main()
"""


@dataclass(frozen=True)
class Run:
    """Exit code and both streams of one process."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        """Both streams together."""
        return self.out + self.err


def detente(
    *args: str | Path,
    cwd: Path | None = None,
    memory: int = MEMORY_LIMIT,
    timeout: float = TIME_LIMIT,
    stdout: int | None = subprocess.PIPE,
) -> Run:
    """Run ``detente ARGS`` in a child process bounded in memory and time."""
    env = {**os.environ, "COLUMNS": "200", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _PRELUDE.format(limit=memory), *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
    )
    return Run(proc.returncode, proc.stdout or "", proc.stderr)
