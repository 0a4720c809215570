"""Rows of a batch that hold the same numbers, found so that each is computed once.

Every step of the exchange works row by row: a row's numbers never depend on the
other rows of its batch (that is what makes results independent of chunking).
So a costly step may run on the distinct rows of its inputs only and hand each
row the result of its first twin; the numbers are the same as computing every row.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def distinct_rows(table: FloatArray) -> tuple[IntArray, IntArray]:
    """Indices of the first of each distinct row, and each row's distinct index.

    Rows are grouped by a fingerprint (a fixed weighted sum, computed the same way
    for every row) and the grouping is then checked cell by cell; should two
    different rows share a fingerprint, the rows are compared exactly instead.
    """
    nb = table.shape[0]
    if nb <= 1:
        return np.zeros(nb, dtype=np.int64), np.zeros(nb, dtype=np.int64)
    weights: FloatArray = np.asarray(
        np.random.default_rng(20210728).uniform(0.5, 1.5, table.shape[1]), dtype=np.float64
    )
    cells: FloatArray = np.nan_to_num(table, posinf=1e300)
    fingerprint = (cells * weights[None, :]).sum(axis=1)
    _, first, inverse = np.unique(fingerprint, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if np.array_equal(table[first[inverse]], table):
        order = np.argsort(first, kind="stable")  # distinct rows in order of first sight
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        return np.asarray(first[order], dtype=np.int64), np.asarray(rank[inverse], dtype=np.int64)
    seen: dict[bytes, int] = {}
    firsts: list[int] = []
    exact = np.empty(nb, dtype=np.int64)
    for i, row in enumerate(np.ascontiguousarray(table)):
        key = row.tobytes()
        if key not in seen:
            seen[key] = len(firsts)
            firsts.append(i)
        exact[i] = seen[key]
    return np.asarray(firsts, dtype=np.int64), exact
