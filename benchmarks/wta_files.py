"""Reader for the public weapon-target assignment instances, read where they lie (never copied).

The folder is ``$DETENTE_WTA_DIR`` or ``shared/benchmarks/wta`` beside the
repository. Formats (see the folder's README): the square *Sonuc* files hold
``N``, ``N`` target values and an ``N x N`` kill-probability matrix with one row
per weapon; the gzipped Andersen-Pavlikov-Toffolo files hold ``m n mu``, ``n``
target values and ``m * n`` triples ``type target p`` for ``m`` weapon types of
``mu`` identical units each.
"""

from __future__ import annotations

import csv
import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Instance:
    """One instance: kill probabilities (one row per weapon unit), values and reference values."""

    name: str
    family: str
    kill_prob: FloatArray
    values: FloatArray
    best_known: float
    lower_bound: float
    proven: str


def wta_dir() -> Path:
    """The instance folder: ``$DETENTE_WTA_DIR`` or ``../shared/benchmarks/wta`` beside the repo."""
    override = os.environ.get("DETENTE_WTA_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "wta"


def missing_files(folder: Path) -> str:
    """Why the literature instances are not here, where they come from, how to point at them."""
    return (
        f"public WTA benchmark files not found at {folder}. They are not shipped with detente: "
        "the square instances of E. Sonuc et al. (sonuc/wtaN.txt) and the typed instances of "
        "A. C. Andersen, K. Pavlikov and T. A. M. Toffolo, Annals of Operations Research "
        "(2022), doi:10.1007/s10479-022-04525-6 (andersen-pavlikov-toffolo/*.txt.gz), with a "
        "best_known.csv of best-known values, are read at run time from shared/benchmarks/wta "
        "beside the repository; set DETENTE_WTA_DIR to use another folder"
    )


def read_square(path: Path) -> tuple[FloatArray, FloatArray]:
    """Kill probabilities (row = weapon) and values of a square Sonuc instance."""
    numbers = path.read_text().split()
    n = int(numbers[0])
    values = np.asarray(numbers[1 : 1 + n], dtype=np.float64)
    p = np.asarray(numbers[1 + n : 1 + n + n * n], dtype=np.float64)
    if p.size != n * n:
        raise ValueError(f"{path}: expected {n * n} probabilities, found {p.size}")
    return p.reshape(n, n), values


def read_typed(path: Path) -> tuple[FloatArray, FloatArray]:
    """Kill probabilities (one row per weapon unit) and values of a typed instance."""
    with gzip.open(path, "rt") as handle:
        numbers = handle.read().split()
    types, targets, units = (int(x) for x in numbers[:3])
    values = np.asarray(numbers[3 : 3 + targets], dtype=np.float64)
    triples = np.asarray(numbers[3 + targets :], dtype=np.float64).reshape(-1, 3)
    if triples.shape[0] != types * targets:
        raise ValueError(f"{path}: expected {types * targets} (type, target, p) lines")
    per_type = np.zeros((types, targets))
    per_type[triples[:, 0].astype(np.int64), triples[:, 1].astype(np.int64)] = triples[:, 2]
    return np.repeat(per_type, units, axis=0), values


def family_of(name: str, units: str) -> str:
    """Family label: ``sonuc`` or ``apt mu=<units>``."""
    return "sonuc" if name.startswith("sonuc/") else f"apt mu={units}"


def load_all(folder: Path, limit_per_family: int | None = None) -> list[Instance]:
    """Every instance listed in ``best_known.csv`` (optionally the first few of each family)."""
    with (folder / "best_known.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    out: list[Instance] = []
    taken: dict[str, int] = {}
    for row in rows:
        name = row["instance"]
        family = family_of(name, row["units_per_type"])
        if limit_per_family is not None and taken.get(family, 0) >= limit_per_family:
            continue
        taken[family] = taken.get(family, 0) + 1
        reader = read_square if row["format"] == "square" else read_typed
        p, v = reader(folder / name)
        out.append(
            Instance(
                name=name,
                family=family,
                kill_prob=p,
                values=v,
                best_known=float(row["best_known_surviving_value"]),
                lower_bound=float(row["lower_bound"]),
                proven=row["proven_optimal"],
            )
        )
    return out
