"""Running ``detente`` the way a user does, with a memory and time bound on the process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    stdout: Any = subprocess.PIPE,
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


_SLOW_WRITE = """
import os, sys, time
def slow_fsync(fd):
    sys.stderr.write("temporary written\\n")
    sys.stderr.flush()
    time.sleep(120)
os.fsync = slow_fsync
from detente.cli import main
sys.argv = ["detente", *sys.argv[1:]]
main()
"""


def start_stalled_write(*args: str | Path) -> subprocess.Popen[str]:
    """Start ``detente ARGS`` whose first output write stalls once its temporary exists.

    Returns when the temporary file is on disk, so a test can interrupt the writer
    at that moment.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITE, *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    if "temporary written" not in line:
        proc.kill()
        raise AssertionError(f"the writer did not start: {line}{proc.stderr.read()}")
    return proc


_FILE_SIZE_LIMIT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from detente.cli import main
sys.argv = ["detente", *sys.argv[1:]]
main()
"""


def detente_with_file_size_limit(limit: int, *args: str | Path) -> Run:
    """Run ``detente ARGS`` unable to write any file larger than ``limit`` bytes."""
    proc = subprocess.run(
        [sys.executable, "-c", _FILE_SIZE_LIMIT.format(limit=limit), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
