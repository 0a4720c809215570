"""`detente assess` and `detente compare`: summary, JSON, outputs, and bad input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detente.cli import app
from detente.cli.base import run
from detente.stability import DEFINITIONS

ROOT = Path(__file__).resolve().parents[1]
GENEVA = ROOT / "examples" / "geneva-2021.yaml"
INVALID = sorted((Path(__file__).parent / "scenarios" / "invalid").glob("*.yaml"))


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["detente", *args])
    code = run(app)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_assess_without_argument_runs_the_geneva_baseline(monkeypatch, capsys):
    code, out, err = _run(monkeypatch, capsys, "assess")
    assert code == 0, err
    assert "Geneva 2021 baseline" in out
    for label in ("First-strike stability", "Damage-limitation", "Use-or-lose", "Arms-race"):
        assert label in out
    assert "Where the US and Russian readings part most" in out
    assert "Counted under New START (2010); us and ru: in force" in out
    assert "Key flows" in out
    # both sides launch on warning by policy; the summary says what riding out would change
    assert "leans on launch on warning" in out and "if all ride out" in out
    assert (
        "Readings: full = everything counts; us = all nuclear weapons count; ru = missile "
        "defence and conventional strike count."
    ) in " ".join(out.split())


def test_the_footnote_explains_the_readings_the_assessment_holds():
    from detente.analysis.assess import assess
    from detente.cli.assess import _footnote
    from detente.examples import toy_dyad
    from detente.model.perspective import FULL, US_READING

    toy = toy_dyad(icbms=10, slbms=5, actors=("us", "cn"))
    note = _footnote(assess(toy))
    assert "us = all nuclear weapons count; cn = missile defence" in note
    assert "ru =" not in note
    mine = US_READING.model_copy(update={"label": "Mine", "include_novel": False})
    note = _footnote(assess(toy, perspectives=[FULL, mine]))
    assert "full = everything counts; us = Mine." in note


def test_assess_json_is_valid_with_every_definition(tmp_path):
    # Through a real process, as `detente assess --json | python -m json.tool` would see it.
    proc = subprocess.run(
        [sys.executable, "-m", "detente", "assess", "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data["definitions"]) == set(DEFINITIONS)
    for name, block in data["definitions"].items():
        assert 0.0 <= block["value"] <= 1.0, name
        assert set(block["components"]) == {"us", "ru"}
        # three readings x four alert cases x (each side's policy, all ride out)
        assert len(block["cases"]) == 3 * 4 * 2
    assert data["disagreement"]
    assert {t["actor"] for t in data["treaty"]} == {"us", "ru"}
    assert len(data["exchanges"]) == 2 * 4 * 2  # both directions of every headline-reading case


def test_assess_writes_report_and_plots(monkeypatch, capsys, tmp_path):
    report = tmp_path / "out" / "report.html"
    plots = tmp_path / "figs"
    code, out, err = _run(
        monkeypatch,
        capsys,
        "assess",
        str(GENEVA),
        "--quiet",
        "--html",
        str(report),
        "--plots",
        str(plots),
    )
    assert code == 0, err
    assert out == ""
    assert report.stat().st_size > 100_000
    assert len(list(plots.glob("*.png"))) >= 3


@pytest.mark.parametrize("path", INVALID[:8], ids=lambda p: p.stem)
def test_assess_bad_scenario_exits_2_with_a_clear_message(monkeypatch, capsys, path):
    code, out, err = _run(monkeypatch, capsys, "assess", str(path))
    assert code == 2
    assert str(path) in err
    assert "Traceback" not in out + err


def test_assess_missing_file_and_directory(monkeypatch, capsys, tmp_path):
    code, _, err = _run(monkeypatch, capsys, "assess", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "not found" in err
    code, _, err = _run(monkeypatch, capsys, "assess", str(tmp_path))
    assert code == 2
    assert "directory" in err


def test_compare_shows_changes_and_deltas(monkeypatch, capsys, tmp_path):
    variant = tmp_path / "generated.yaml"
    variant.write_text(
        "name: both_generated\n"
        "sides:\n"
        "  - posture: us-2021\n    override: {alert: generated}\n"
        "  - posture: ru-2021\n    override: {alert: generated}\n",
        encoding="utf-8",
    )
    code, out, err = _run(monkeypatch, capsys, "compare", str(GENEVA), str(variant))
    assert code == 0, err
    assert re.search(r"│ us\s+│ alert\s+│ day_to_day\s+│ generated\s+│", out)
    assert "First-strike stability" in out
    code, out, err = _run(monkeypatch, capsys, "compare", str(GENEVA), str(variant), "--json")
    data = json.loads(out)
    assert set(data["headline"]) == set(DEFINITIONS)


def test_compare_bad_input_exits_2(monkeypatch, capsys, tmp_path):
    bad = INVALID[0]
    code, out, err = _run(monkeypatch, capsys, "compare", str(GENEVA), str(bad))
    assert code == 2
    assert str(bad) in err
    assert "Traceback" not in out + err
    code, _, err = _run(monkeypatch, capsys, "compare", str(GENEVA))
    assert code == 2  # missing argument: click's usage error


def test_compare_different_actors_exits_2(monkeypatch, capsys, tmp_path):
    other = tmp_path / "china.yaml"
    other.write_text(
        "name: us_china\nsides:\n  - posture: us-2021\n  - posture: cn-2021\n", encoding="utf-8"
    )
    code, _, err = _run(monkeypatch, capsys, "compare", str(GENEVA), str(other))
    assert code == 2
    assert "same sides" in err


@pytest.mark.skipif(
    shutil.which("detente") is None and not (ROOT / ".venv/bin/detente").exists(),
    reason="console script not installed",
)
def test_console_script_quiet_run():
    exe = shutil.which("detente") or str(ROOT / ".venv/bin/detente")
    proc = subprocess.run([exe, "assess", "--quiet"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""


def test_three_sides_are_all_assessed_or_a_chosen_subset(monkeypatch, capsys, tmp_path):
    tri = tmp_path / "tri.yaml"
    tri.write_text(
        "name: tri\nsides:\n  - posture: us-2025\n  - posture: ru-2025\n  - posture: cn-2025\n",
        encoding="utf-8",
    )
    code, out, err = _run(monkeypatch, capsys, "assess", str(tri))
    assert code == 0, err
    assert "left out" not in err
    for title in ("Each pair on its own", "every alignment", "Aftermath", "Chinese reading"):
        assert title in out
    code, out, err = _run(monkeypatch, capsys, "assess", str(tri), "--pair", "us,cn", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["scenario"]["pair"] == ["us", "cn"]
    assert "triangle" not in data
    code, _, err = _run(monkeypatch, capsys, "assess", str(tri), "--pair", "us,cn")
    assert code == 0, err
    assert "ru stand by" in err
    code, _, err = _run(monkeypatch, capsys, "assess", str(tri), "--pair", "us,us")
    assert code == 2
    assert "two or more different actors" in err
