"""Layer 1: treaty accounting — count a posture, check limits, reduce, upload.

>>> from detente.treaty import count, compliance  # doctest: +SKIP
>>> compliance(count(posture, treaty)).complies  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import yaml

from detente.model.treaty import Treaty
from detente.treaty.compliance import Compliance, LimitStatus, compliance
from detente.treaty.counting import Contribution, Ledger, QuantityTotal, count
from detente.treaty.reduction import (
    POLICIES,
    VULNERABILITY_ORDER,
    Cut,
    Reduction,
    ReductionError,
    reduce_to_comply,
)
from detente.treaty.upload import SystemUpload, Upload, UploadRates, upload_potential


def load_treaty_file(path: str | Path) -> Treaty:
    """Read a treaty YAML file written with the built-in treaties' schema.

    Parameters
    ----------
    path
        Path of the YAML file.

    Returns
    -------
    Treaty
        The validated treaty. Errors are pydantic's; ``detente.io`` reports
        them with line numbers.
    """
    with Path(path).open("r", encoding="utf-8") as fh:
        return Treaty.model_validate(yaml.safe_load(fh))


__all__ = [
    "POLICIES",
    "VULNERABILITY_ORDER",
    "Compliance",
    "Contribution",
    "Cut",
    "Ledger",
    "LimitStatus",
    "QuantityTotal",
    "Reduction",
    "ReductionError",
    "SystemUpload",
    "Upload",
    "UploadRates",
    "compliance",
    "count",
    "load_treaty_file",
    "reduce_to_comply",
    "upload_potential",
]
