"""Rewrite the golden fixtures from the code as it stands.

Run only in a commit that changes a number on purpose, and say in
``docs/methodology.md`` what moved and why::

    .venv/bin/python tests/golden/regenerate.py
"""

from __future__ import annotations

import json
from pathlib import Path

from detente.analysis.assess import assess
from detente.examples import geneva_2021

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "geneva-2021-assess.json"


def baseline_json() -> str:
    """``detente assess --json`` of the built-in baseline, as the CLI prints it."""
    return json.dumps(assess(geneva_2021()).to_dict(), indent=2, allow_nan=False, default=str)


if __name__ == "__main__":
    BASELINE.write_text(baseline_json() + "\n", encoding="utf-8")
    print(f"wrote {BASELINE}")  # noqa: T201
