"""Facts about the machine and software a benchmark run measured."""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

import detente

ROOT = Path(__file__).resolve().parents[1]


def cpu_model() -> str:
    """CPU model name from ``/proc/cpuinfo`` (``unknown`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total() -> str:
    """Total memory from ``/proc/meminfo``."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def blas() -> str:
    """BLAS numpy uses: from ``threadpoolctl`` when installed, else numpy's build config."""
    if importlib.util.find_spec("threadpoolctl") is not None:
        from threadpoolctl import threadpool_info  # type: ignore[import-not-found]

        libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if libs:
            return ", ".join(
                f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads)"
                for i in libs
            )
    try:
        config: Any = np.show_config(mode="dicts")
        info = config["Build Dependencies"]["blas"]
        return f"{info.get('name')} {info.get('version')} (numpy build config)"
    except (TypeError, KeyError):
        return "unknown"


def git_commit() -> str:
    """Short commit of the working tree, with ``+changes`` when it differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" +changes" if dirty.strip() else "")


def facts() -> dict[str, str]:
    """Machine and software facts as display strings."""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    load_text = " / ".join(f"{x:.2f}" for x in load) if load else "n/a"
    return {
        "CPU": cpu_model(),
        "logical cores": f"{os.cpu_count()}" + (f" ({affinity} usable)" if affinity else ""),
        "memory": memory_total(),
        "load average (1/5/15 min) at start": load_text,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": np.__version__,
        "BLAS": blas(),
        "detente": f"{detente.__version__} (commit {git_commit()})",
    }
