"""`detente assess` and `detente compare`: summary, JSON, outputs, and bad input."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from detente.analysis.assess import Assessment, assess
from detente.analysis.triangle import pair_case
from detente.cli import app
from detente.cli.assess import render_summary
from detente.cli.base import run
from detente.examples import toy_dyad, toy_triad
from detente.io import load_scenario
from detente.stability import DEFINITIONS, LABELS, pair_definition
from detente.stability.verdicts import READINGS

ROOT = Path(__file__).resolve().parents[1]
GENEVA = ROOT / "examples" / "geneva-2021.yaml"
TRIANGLE_2030 = ROOT / "examples" / "triangle-2030.yaml"
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
    # each side's first-strike ratio before Kent & Thaler's bound at 1, under its bounded one
    assert re.search(r"│   raw ratio, before the bound at 1 +│ +│ \d\.\d\d │ \d\.\d\d │", out)
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


def _summary(a: Assessment) -> str:
    """The terminal summary on a console wide enough that no table is squeezed."""
    buf = io.StringIO()
    render_summary(a, Console(file=buf, width=200, color_system=None))
    return buf.getvalue()


def _headline_lines(out: str) -> list[str]:
    """The headline table of a summary, title to bottom border."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Stability ("))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    return [line.rstrip() for line in lines[start : end + 1]]


def test_summary_shows_the_raw_first_strike_ratio_where_the_bound_binds():
    # Both forces wholly at sea: going first gains nothing, so each side's ratio is bounded
    # at 1; the raw ratio (above 1) keeps visible how much dearer going first would be.
    a = assess(toy_dyad(icbms=0, slbms=100, at_sea=1.0))
    res = a.value("first_strike")
    raw = {side: res.details[f"{side}.ratio_raw"] for side in ("a", "b")}
    assert res.components == {"a": 1.0, "b": 1.0}
    assert all(value > 1.0 for value in raw.values())
    head = _headline_lines(_summary(a))
    first = next(i for i, line in enumerate(head) if "First-strike stability" in line)
    assert re.search(r"│ 1\.00 │ 1\.00 │$", head[first])
    assert "own cost striking first / being struck" in head[first + 1]
    row = head[first + 2]
    assert "raw ratio, before the bound at 1" in row
    assert row.endswith(f"│ {raw['a']:.2f} │ {raw['b']:.2f} │"), row
    assert max(len(line) for line in head) <= 80


def test_summary_raw_ratio_is_the_most_tempting_opponents_with_three_sides():
    # c holds fewer silos than a and b, so each side's ratio differs by opponent; the
    # component is the smallest bounded ratio, the raw row the smallest unbounded one.
    a = assess(toy_triad(icbms=100, slbms=40, parties={"c": {"icbms": 40}}))
    res = a.value("first_strike")
    head = _headline_lines(_summary(a))
    row = next(line for line in head if "raw ratio, before the bound at 1" in line)
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    assert cells[1] == ""  # nothing in the combined column
    for side, cell in zip(a.pair, cells[2:], strict=True):
        raw = min(res.details[f"{side}.{other}.ratio_raw"] for other in a.pair if other != side)
        assert cell == (f"{raw:.2f}" if raw < 10 else "> 10"), side


@pytest.mark.parametrize(
    "scenario",
    [toy_dyad(icbms=100, mirv=3.0, slbms=40), toy_triad(icbms=100, slbms=40)],
    ids=["two sides", "three sides"],
)
def test_summary_prints_what_each_definition_measures_under_its_number(scenario):
    a = assess(scenario)
    head = _headline_lines(_summary(a))
    assert len(a.definition_names) == (5 if len(a.pair) == 2 else 7)
    for name in a.definition_names:
        label = next(i for i, line in enumerate(head) if line.startswith(f"│ {LABELS[name]} "))
        assert head[label + 1].startswith(f"│   {READINGS[name].measures} "), name
    if len(a.pair) == 2:  # two sides: the table fits an 80-column terminal
        assert max(len(line) for line in head) <= 80


def test_assess_json_triangle_has_the_python_assessments_numbers(monkeypatch, capsys):
    code, out, err = _run(monkeypatch, capsys, "assess", str(TRIANGLE_2030), "--json")
    assert code == 0, err
    data = json.loads(out)
    scenario = load_scenario(TRIANGLE_2030)
    api = assess(scenario)
    tri, three = data["triangle"], api.triangle
    assert three is not None
    assert set(tri) == {"parties", "third_party_reserve", "pairs", "pairs_by_case", "aftermath"}
    assert tri["parties"] == list(three.parties) == ["us", "ru", "cn"]
    assert tri["third_party_reserve"] == {"rule": "threshold", "damage": 0.5}
    assert (three.reserve_rule, three.reserve_damage) == ("threshold", 0.5)
    persp, case = api.headline_perspective, api.headline_case
    assert data["headline"] == {"perspective": persp, "case": str(case)}

    # Headline reading and case, each pair: on its own, with the third, and the change.
    # "with_others" is the assessment's own value of the pair's definition; "alone" is
    # what assess gives for the scenario with the third side taken out.
    assert [p["pair"] for p in tri["pairs"]] == [["us", "ru"], ["us", "cn"], ["ru", "cn"]]
    for entry in tri["pairs"]:
        pair = (entry["pair"][0], entry["pair"][1])
        assert set(entry) == {"pair", "perspective", "case", "definitions"}
        assert entry["perspective"] == persp
        assert entry["case"] == str(pair_case(case, pair))
        on_its_own = assess(
            scenario.model_copy(
                update={"sides": tuple(s for s in scenario.sides if s.actor in pair)}
            )
        )
        assert set(entry["definitions"]) == set(DEFINITIONS)
        for name, block in entry["definitions"].items():
            assert set(block) == {"alone", "with_others", "change"}
            with_others = api.value(pair_definition(name, pair)).value
            alone = on_its_own.value(name).value
            assert block["with_others"] == with_others, (pair, name)
            assert block["alone"] == alone, (pair, name)
            assert block["change"] == with_others - alone, (pair, name)

    # Every reading and alert case of each pair: 3 pairs x 5 definitions x 4 readings x
    # (4 alert cases of the pair x each side's policy or all riding out).
    assert len(tri["pairs_by_case"]) == 3 * len(DEFINITIONS) * len(api.perspectives) * 8
    seen = set()
    for row in tri["pairs_by_case"]:
        pair = (row["pair"][0], row["pair"][1])
        key = (row["definition"], row["perspective"], row["case"])
        seen.add((pair, *key))
        full_cases = [c for c in api.case_keys if str(pair_case(c, pair)) == row["case"]]
        assert full_cases, row
        for c in full_cases:  # the same whatever the party standing by's alert level
            value = api.value(pair_definition(row["definition"], pair), row["perspective"], c)
            assert row["with_others"] == value.value, row
            assert row["components_with_others"] == dict(value.components), row
        key_alone = (row["definition"], row["perspective"], pair_case(full_cases[0], pair))
        assert row["alone"] == three.alone[pair][key_alone].value, row
    assert len(seen) == len(tri["pairs_by_case"])

    # The aftermath of every exchange of the headline case: six bilateral, six coalition.
    assert len(tri["aftermath"]) == len(three.aftermath) == 12
    for got, m in zip(tri["aftermath"], three.aftermath, strict=True):
        assert set(got) == {
            "strikers",
            "victims",
            "bystanders",
            "damage",
            "warheads_left",
            "reserved_for_others",
            "threat",
        }
        assert (got["strikers"], got["victims"], got["bystanders"]) == (
            list(m.strikers),
            list(m.victims),
            list(m.bystanders),
        )
        assert got["damage"] == m.damage
        assert got["warheads_left"] == m.left
        assert got["reserved_for_others"] == m.reserved
        # a lone striker keeps a reserve for the party standing by (each can reach the
        # others' value); with no one standing by there is nothing to keep back
        assert (got["reserved_for_others"] > 0) == bool(m.bystanders), m.label
        assert {(t["holder"], t["over"]): t["damage"] for t in got["threat"]} == m.threat
