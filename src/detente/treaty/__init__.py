"""Layer 1: treaty accounting — count a posture, check limits, reduce, upload.

>>> from detente.treaty import count, compliance  # doctest: +SKIP
>>> compliance(count(posture, treaty)).complies  # doctest: +SKIP

Treaty files are read by ``detente.io.load_treaty_file`` (reading files is the
job of the ``io`` layer, with located errors).
"""

from __future__ import annotations

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
from detente.treaty.upload import (
    SystemLoad,
    SystemUpload,
    Upload,
    Uploaded,
    UploadRates,
    upload_potential,
    uploaded_posture,
)

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
    "SystemLoad",
    "SystemUpload",
    "Upload",
    "UploadRates",
    "Uploaded",
    "compliance",
    "count",
    "reduce_to_comply",
    "upload_potential",
    "uploaded_posture",
]
