"""Hostile input and output paths: nothing destroyed, nothing hangs, nothing silently wrong.

One test per failure an adversarial probe found, numbered as in the issue. Runs
that could exhaust memory or hang go through :func:`hostile.detente`: a child
process bounded in memory and time, so a regression fails the test instead of
the machine.
"""

from __future__ import annotations

from pathlib import Path

from hostile import detente

ROOT = Path(__file__).resolve().parents[1]
GENEVA = ROOT / "examples" / "geneva-2021.yaml"
BOUND = 20.0
"""Seconds a hostile run may take before it counts as hung (a refusal takes about one)."""


def _laughs(indent: str = "", levels: int = 9) -> str:
    """An alias bomb: list ``k`` holds ten aliases of list ``k-1`` (10**levels leaves)."""
    rows = [f"{indent}z0: &b0 [x, x, x, x, x, x, x, x, x, x]\n"]
    for k in range(1, levels):
        rows.append(f"{indent}z{k}: &b{k} [" + ", ".join([f"*b{k - 1}"] * 10) + "]\n")
    return "".join(rows)


def _refused(run, file: Path, line: int, *words: str) -> None:
    assert run.code == 2, run.text
    assert "Traceback" not in run.text
    assert f"{file.name}:{line}:" in run.text, run.text
    for word in words:
        assert word in run.text, run.text


def test_3_aliases_are_refused_in_treaty_files_and_behind_merge_keys(tmp_path):
    treaty = tmp_path / "bomb-treaty.yaml"
    treaty.write_text("id: bomb\n" + _laughs(), encoding="utf-8")
    run = detente("treaty", "count", "us-2021", "--treaty", treaty, timeout=BOUND)
    _refused(run, treaty, 3, "alias (*b0)")

    merged = tmp_path / "bomb-merge.yaml"
    merged.write_text(
        "name: m\nsides:\n  - posture: us-2021\n  - posture: ru-2021\n<<:\n" + _laughs("  "),
        encoding="utf-8",
    )
    _refused(detente("validate", merged, timeout=BOUND), merged, 7, "alias (*b0)")
    _refused(detente("assess", merged, timeout=BOUND), merged, 7, "alias (*b0)")

    plain_merge = tmp_path / "merge.yaml"
    plain_merge.write_text(
        "name: m\nsides:\n  - posture: us-2021\n    override:\n      <<: {alert: generated}\n"
        "  - posture: ru-2021\n",
        encoding="utf-8",
    )
    _refused(detente("validate", plain_merge, timeout=BOUND), plain_merge, 5, "merge key (<<)")
