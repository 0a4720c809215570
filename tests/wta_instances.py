"""Readers for the public weapon-target assignment benchmark files (read at run time)."""

from __future__ import annotations

import csv
import gzip
import os
from pathlib import Path

import numpy as np


def wta_dir() -> Path:
    """Folder of the benchmark files: ``$DETENTE_WTA_DIR`` or ``../shared/benchmarks/wta``."""
    override = os.environ.get("DETENTE_WTA_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "wta"


def read_sonuc(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read a square Sonuc instance: ``N``, N values, N*N probabilities (row = weapon)."""
    tokens = Path(path).read_text().split()
    n = int(tokens[0])
    values = np.array(tokens[1 : 1 + n], dtype=float)
    kill_prob = np.array(tokens[1 + n : 1 + n + n * n], dtype=float).reshape(n, n)
    return kill_prob, values


def read_apt(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read an Andersen-Pavlikov-Toffolo instance, one row per weapon unit.

    Header ``m n mu``; ``n`` target values; ``m*n`` lines ``i j p_ij`` (type first).
    Each of the ``m`` types is expanded to ``mu`` identical rows.
    """
    with gzip.open(path, "rt") as fh:
        tokens = fh.read().split()
    m, n, mu = (int(t) for t in tokens[:3])
    values = np.array(tokens[3 : 3 + n], dtype=float)
    triples = np.array(tokens[3 + n : 3 + n + 3 * m * n], dtype=float).reshape(-1, 3)
    by_type = np.zeros((m, n))
    by_type[triples[:, 0].astype(int), triples[:, 1].astype(int)] = triples[:, 2]
    return np.repeat(by_type, mu, axis=0), values


def best_known(folder: Path) -> dict[str, dict[str, str]]:
    """Rows of ``best_known.csv`` keyed by instance path."""
    with (folder / "best_known.csv").open(newline="") as fh:
        return {row["instance"]: row for row in csv.DictReader(fh)}
