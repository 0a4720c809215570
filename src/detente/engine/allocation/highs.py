"""One place that makes HiGHS solver instances."""

from __future__ import annotations

from typing import Any


def new_highs() -> Any:
    """A quiet HiGHS instance.

    The public ``highspy.Highs`` wrapper prints a banner on construction, which
    would pollute command output (``detente assess --json``); its core class
    is used where present.
    """
    import highspy

    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    h: Any = core() if core is not None else highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    return h
