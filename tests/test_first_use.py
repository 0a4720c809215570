"""What a new analyst meets first: compare, the Python API, names, output, and why a value moved.

One section per point of the first-use review; each test names what an analyst
would have seen before.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from detente.analysis.assess import Assessment, assess
from detente.analysis.compare import compare
from detente.analysis.display import signed, signed_change
from detente.data import load_posture
from detente.engine.exchange import run_exchange
from detente.errors import InvalidArgumentError, UnknownNameError
from detente.io import load_scenario
from detente.model.perspective import US_READING
from detente.stability import DEFINITIONS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GENEVA = EXAMPLES / "geneva-2021.yaml"


def _cli(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    """Run the command line in-process, output captured as a pipe would (not a terminal)."""
    from detente.cli import main

    monkeypatch.setattr(sys, "argv", ["detente", *args])
    monkeypatch.delenv("COLUMNS", raising=False)
    with pytest.raises(SystemExit) as info:
        main()
    captured = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), captured.out, captured.err


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MORE_ICBM = """\
name: more_icbm
sides:
  - posture: us-2021
  - posture: ru-2021
    override:
      systems:
        - {id: ru_rs20v, warheads_per_launcher: 10.0, warheads_stored: 0}
        - {id: ru_yars_silo, warheads_per_launcher: 4.0, warheads_stored: 0}
        - {id: ru_yars_mobile, warheads_per_launcher: 3.24, warheads_stored: 116}
treaty: new_start
"""
"""About 300 more Russian ICBM warheads, uploaded from storage (138 + 32 + 128.5)."""


@pytest.fixture(scope="module")
def geneva() -> Assessment:
    return assess(load_scenario(GENEVA))


@pytest.fixture(scope="module")
def more_icbm(tmp_path_factory) -> Assessment:
    path = tmp_path_factory.mktemp("icbm") / "more-icbm.yaml"
    path.write_text(MORE_ICBM, encoding="utf-8")
    return assess(load_scenario(path))


# 1. compare shows the change made, by system id, and says why a table is empty


def test_compare_lists_the_real_edit_first_by_system_id(capsys, monkeypatch):
    variant = EXAMPLES / "hypersonic-deployment.yaml"
    code, out, err = _cli(capsys, monkeypatch, "compare", str(GENEVA), str(variant))
    assert code == 0, err
    changes = out.split("headline definitions")[0]
    rows = [line for line in changes.splitlines() if line.startswith("│")]
    # the model's inputs, and nothing else: no citation entries, no labels
    assert len(rows) == 3, changes
    assert re.search(r"│ ru\s+│ systems\[ru_avangard\]\.launchers_deployed\s+│ 4\s+│ 12\s+│", out)
    assert "exchange.hgv_warning_fraction" in rows[0]
    assert "cite" not in changes and "citation and label change(s) hidden" in changes
    code, out, _ = _cli(capsys, monkeypatch, "compare", str(GENEVA), str(variant), "--all")
    assert "cite[launchers_deployed].source" in out and "citation" in out


def test_compare_on_every_example_puts_inputs_first_and_names_items_by_id():
    from detente.analysis.compare import input_changes

    base = load_scenario(GENEVA)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        if "sweep" in path.name or "negotiat" in path.name:
            continue  # sweep and negotiation specifications, not scenarios
        variant = load_scenario(path)
        if [s.actor for s in variant.sides[:2]] != ["us", "ru"]:
            continue
        changes = input_changes(base, variant)
        kinds = [c.kind for c in changes]
        assert kinds == sorted(kinds, key=["input", "citation", "label"].index), path.name
        for c in changes:
            if c.kind == "input":
                assert ".cite" not in c.path and not c.path.startswith("sources"), c
                # items of a list are named by their id, never by their position
                assert not re.search(r"(systems|defenses|targets)\.\d", c.path), c
            if ".cite" in c.path:
                assert c.kind == "citation", c


def test_compare_of_generated_alert_says_why_no_case_changed(capsys, monkeypatch):
    variant = EXAMPLES / "generated-alert.yaml"
    code, out, err = _cli(capsys, monkeypatch, "compare", str(GENEVA), str(variant))
    assert code == 0, err
    assert "only moves the headline case" in out
    assert "(changes only)" not in out  # no heading over an empty table


def test_compare_prints_whole_flows_and_no_signed_zero(capsys, monkeypatch):
    variant = EXAMPLES / "hypersonic-deployment.yaml"
    code, out, _ = _cli(capsys, monkeypatch, "compare", str(GENEVA), str(variant))
    assert code == 0
    assert not re.search(r"\de[+-]\d", out), "no scientific notation"
    assert "+0.000" not in out and "-0.000" not in out
    flows = out.split("Key flows")[1].split("Every reading")[0]
    assert re.search(r"warheads destroyed\s+│\s+[\d,]+\s+│\s+[\d,]+\s+│", flows)


def test_scenario_library_lists_no_citation_entries():
    page = (ROOT / "docs" / "scenario-library.md").read_text(encoding="utf-8")
    for section in page.split("Changed inputs:")[1:]:
        listed = section.split("\n\n<a id=")[0]
        assert ".cite" not in listed and "cite[" not in listed
    assert "`ru: systems[ru_avangard].launchers_deployed`: 4 → 12" in page


# 2. the Python API refuses nonsense and names the valid choices


def test_run_exchange_alert_and_perspective_are_checked(geneva):
    s = geneva.scenario
    for alert in ("banana", "gen", {"us": "generated"}):
        with pytest.raises(InvalidArgumentError, match="alert must be one of day_to_day"):
            run_exchange(s, "ru", "us", alert=alert)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="did you mean 'generated'"):
        run_exchange(s, "ru", "us", alert="gen")
    with pytest.raises(InvalidArgumentError, match="expected one of: full, us, ru"):
        run_exchange(s, "ru", "us", perspective="usa")
    # the id of a built-in reading is the reading itself
    by_id = run_exchange(s, "ru", "us", perspective="us")
    by_object = run_exchange(s, "ru", "us", perspective=US_READING)
    assert by_id == by_object and by_id.perspective == "us"


def test_value_suggests_the_definition_and_compare_takes_assessments(geneva):
    with pytest.raises(InvalidArgumentError, match=r"did you mean 'first_strike'\?"):
        geneva.value("first_strke")
    same = compare(geneva, geneva)
    assert same.edits == ()
    assert all(abs(d) < 1e-15 for d in same.to_frame()["delta"])
    with pytest.raises(InvalidArgumentError, match="two Scenarios or two Assessments"):
        compare(geneva, "examples/geneva-2021.yaml")  # type: ignore[arg-type]


def test_assess_takes_reading_ids_and_refuses_unknown_ones():
    from detente.examples import toy_dyad

    a = assess(toy_dyad(), perspectives=["us", "full"])
    assert [p.id for p in a.perspectives] == ["us", "full"]
    with pytest.raises(InvalidArgumentError, match="unknown perspective 'rus'"):
        assess(toy_dyad(), perspectives=["rus"])


# 3. notebooks: short reprs, compact HTML


def test_results_and_scenarios_have_short_reprs(geneva):
    s = geneva.scenario
    outcome = geneva.outcomes()[0]
    for obj, longest in ((geneva, 400), (s, 300), (s.sides[0].posture, 150), (outcome, 250)):
        text = repr(obj)
        assert len(text) <= longest and "\n" not in text, text
    assert "first_strike" in repr(geneva) and f"{geneva.value('first_strike').value:.3f}" in repr(
        geneva
    )
    assert s.name in repr(s) and "us_2021" in repr(s)
    for obj in (geneva, s, s.sides[0].posture, outcome, compare(geneva, geneva)):
        page = obj._repr_html_()
        assert page.startswith("<div") and len(page) < 20_000
    assert f"{geneva.value('arms_race').value:,.3f}" in geneva._repr_html_()


# 4. names: either spelling, suggestions on unknown ones


def test_scenarios_take_either_spelling_of_built_in_names(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nsides:\n  - posture: us_2021\n  - posture: RU-2021\ntreaty: new-start\n",
        encoding="utf-8",
    )
    s = load_scenario(path)
    assert [side.posture.id for side in s.sides] == ["us_2021", "ru_2021"]
    assert s.treaty is not None and s.treaty.id == "new_start"  # a Treaty, either spelling
    assert load_posture("ru_2021") == load_posture("ru-2021")


def test_cli_takes_either_spelling_and_suggests(capsys, monkeypatch):
    code, out, err = _cli(capsys, monkeypatch, "data", "show", "ru_2021", "--json")
    assert code == 0, err
    assert json.loads(out)["id"] == "ru_2021"
    code, out, err = _cli(
        capsys, monkeypatch, "treaty", "count", "us_2021", "--treaty", "new_start"
    )
    assert code == 0, err
    code, _, err = _cli(capsys, monkeypatch, "treaty", "count", "us-2012")
    assert code == 2 and "did you mean 'us-20" in err and "or a scenario file" in err
    code, _, err = _cli(capsys, monkeypatch, "treaty", "count", "us-2021", "-t", "new-strat")
    assert code == 2 and "did you mean 'new-start'?" in err
    with pytest.raises(UnknownNameError, match="did you mean 'cn-2025'"):
        load_posture("cn_2O25")


# 5. treaty tools on scenario files; the upload written out; the example generated


def test_treaty_count_and_reduce_take_a_scenario_file(capsys, monkeypatch):
    code, out, err = _cli(
        capsys, monkeypatch, "treaty", "count", str(GENEVA), "--side", "ru", "--json"
    )
    assert code == 0, err
    (ru,) = json.loads(out)
    assert ru["side"] == "ru" and ru["compliance"]["treaty"] == "new_start"
    code, out, err = _cli(
        capsys, monkeypatch, "treaty", "reduce", str(GENEVA), "-t", "all-warheads"
    )
    assert code == 0, err
    assert out.count("reduced to meet") == 2
    code, _, err = _cli(capsys, monkeypatch, "treaty", "count", str(GENEVA), "--side", "cn")
    assert code == 2 and "unknown side 'cn'" in err


def test_upload_writes_a_scenario_that_moves_warheads_and_creates_none(
    capsys, monkeypatch, tmp_path
):
    base = tmp_path / "base.yaml"
    base.write_text(
        "name: upload_base\nsides:\n  - posture: us-2025\n  - posture: ru-2025\n"
        "treaty: no_treaty\n",
        encoding="utf-8",
    )
    out_file = tmp_path / "uploaded.yaml"
    code, _, err = _cli(
        capsys, monkeypatch, "treaty", "upload", str(base), "-m", "36", "--out", str(out_file)
    )
    assert code == 0, err
    uploaded = load_scenario(out_file)
    for side in uploaded.sides:
        before = load_posture(side.posture.id)
        raised = 0
        for s in side.posture.systems:
            b = before.system(s.id)
            assert s.warheads_total == pytest.approx(b.warheads_total)  # moved, not made
            assert s.launchers_deployed == b.launchers_deployed
            assert s.warheads_per_launcher <= s.max_warheads_per_launcher + 1e-12
            raised += s.warheads_per_launcher > b.warheads_per_launcher
        assert raised >= 4
    # a built-in posture is written out as a posture mapping
    posture_file = tmp_path / "ru.yaml"
    code, _, err = _cli(
        capsys, monkeypatch, "treaty", "upload", "ru-2025", "--out", str(posture_file)
    )
    assert code == 0, err
    data = yaml.safe_load(posture_file.read_text(encoding="utf-8"))
    assert data["id"] == "ru_2025" and data["systems"][0]["id"] == "ru_rs20v"


def test_new_start_expired_example_is_generated_and_conserves_warheads(
    capsys, monkeypatch, tmp_path
):
    path = EXAMPLES / "new-start-expired-2026.yaml"
    gen = _load_module("gen_upload_example", ROOT / "docs" / "gen_upload_example.py")
    assert path.read_text(encoding="utf-8") == gen.render(), "run docs/gen_upload_example.py"
    example = load_scenario(path)
    for side in example.sides:
        built_in = load_posture(side.posture.id)
        for s in side.posture.systems:
            # every warhead of the built-in is still there, on a launcher or in storage
            assert s.warheads_total == pytest.approx(built_in.system(s.id).warheads_total), s.id
    tu95 = example.side("ru").posture.system("ru_tu95ms")
    assert tu95.warheads_deployed == pytest.approx(38 * 4 + 351)
    # the tool writes the same forces from the base the generator names
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(gen.BASE), encoding="utf-8")
    out_file = tmp_path / "out.yaml"
    code, _, err = _cli(
        capsys, monkeypatch, "treaty", "upload", str(base), "-m", "36", "--out", str(out_file)
    )
    assert code == 0, err
    by_tool = load_scenario(out_file)
    for a, b in zip(by_tool.sides, example.sides, strict=True):
        strip = {"cite": True}
        assert [s.model_dump(exclude=strip) for s in a.posture.systems] == [
            s.model_dump(exclude=strip) for s in b.posture.systems
        ]


# 6. output: whole warheads, whole tables, no heading over an empty table, plain words


def test_counts_are_whole_in_tables_and_exact_in_json(capsys, monkeypatch):
    codes = []
    code, out, _ = _cli(capsys, monkeypatch, "data", "show", "ru-2025", "--json")
    codes.append(code)
    exact = json.loads(out)["summary"]["deployed_strategic"]
    assert exact != round(exact)
    code, out, _ = _cli(capsys, monkeypatch, "data", "show", "ru-2025")
    codes.append(code)
    row = next(line for line in out.splitlines() if line.startswith("│ Deployed strategic"))
    assert f" {round(exact):,} " in row and f"{exact:,.1f}" not in row
    code, out, _ = _cli(capsys, monkeypatch, "treaty", "upload", "ru-2025")
    assert [*codes, code] == [0, 0, 0]
    assert not re.search(r"\d\.\d", out.split("Upload potential")[1])


def test_piped_tables_are_not_cut(capsys, monkeypatch):
    code, out, _ = _cli(capsys, monkeypatch, "data", "show", "ru-2025")
    assert code == 0
    assert "…" not in out
    for word in ("ru_topol_m_mobile", "icbm_mobile", "ballistic_rv", "Category"):
        assert word in out
    code, out, _ = _cli(capsys, monkeypatch, "compare", str(GENEVA), str(GENEVA))
    assert "…" not in out


def test_a_treaty_without_limits_gets_a_sentence_not_an_empty_table(capsys, monkeypatch):
    code, out, _ = _cli(
        capsys, monkeypatch, "assess", str(EXAMPLES / "new-start-expired-2026.yaml")
    )
    assert code == 0
    assert "It sets no limits." in out and "Counted under" not in out


def test_an_undated_design_is_called_a_proposal(tmp_path, capsys, monkeypatch):
    path = tmp_path / "tri.yaml"
    path.write_text(
        "name: tri\ndate: '2021-07-28'\nsides:\n  - posture: us-2021\n  - posture: cn-2021\n"
        "treaty: trilateral\n",
        encoding="utf-8",
    )
    code, out, _ = _cli(capsys, monkeypatch, "assess", str(path))
    assert code == 0
    words = " ".join(out.split())
    assert "us and cn: a proposal with no entry-into-force date" in words
    assert "design with no dates" not in words


def test_shared_script_reports_are_small_and_share_one_file(geneva, tmp_path):
    from detente.report.html import plotly_file_name, write_report

    one = write_report(geneva, tmp_path / "one.html", shared_js=True)
    script = tmp_path / plotly_file_name()
    stamp = script.stat().st_mtime_ns
    two = write_report(geneva, tmp_path / "two.html", shared_js=True)
    assert script.stat().st_mtime_ns == stamp  # an identical copy is left alone
    inline = write_report(geneva, tmp_path / "inline.html")
    assert one.stat().st_size < 500_000 and two.stat().st_size < 500_000
    assert inline.stat().st_size > script.stat().st_size > 1_000_000
    page = one.read_text(encoding="utf-8")
    assert f'<script src="{plotly_file_name()}"' in page and "http" not in page.split("<body")[0]


# 7. why a value moved, read from the exchanges


def test_why_names_launch_on_warning_when_more_warheads_raise_stability(geneva, more_icbm):
    head, ride = geneva.headline_case, geneva.headline_case.riding_out()
    # the facts, from the two assessments: up by policy, down if every side rides out
    up = more_icbm.value("first_strike").value - geneva.value("first_strike").value
    down = (
        more_icbm.value("first_strike", case=ride).value
        - geneva.value("first_strike", case=ride).value
    )
    assert up > 0.005 and down < 0
    us_first = next(o for o in more_icbm.outcomes() if o.attacker == "us")
    us_first_base = next(o for o in geneva.outcomes() if o.attacker == "us")
    more_launched = us_first.defender_total("launched_on_warning") - us_first_base.defender_total(
        "launched_on_warning"
    )
    assert more_launched > 100 and head == more_icbm.headline_case

    why = {w.definition: w for w in compare(geneva, more_icbm).why().definitions}
    first = why["first_strike"]
    assert first.driver == "launch_on_warning"
    assert first.delta == pytest.approx(up) and first.ride_out_delta == pytest.approx(down)
    assert "turns the other way without launch on warning" in first.text
    assert f"ru launches {more_launched:,.0f} more warheads on warning" in first.text
    assert "90% of its threatened alert ICBMs" in first.text


def test_why_does_not_blame_launch_on_warning_when_the_move_survives_riding_out(geneva):
    variant = assess(load_scenario(EXAMPLES / "bmd-expansion.yaml"))
    explanation = compare(geneva, variant).why()
    first = {w.definition: w for w in explanation.definitions}["first_strike"]
    assert first.driver == "flows" and "launch on warning" not in first.text
    assert first.ride_out_delta is not None and first.ride_out_delta < 0 and first.delta < 0
    assert explanation.exchanges and "arriving in retaliation" in " ".join(explanation.exchanges)
    assert compare(geneva, geneva).why().lines() == []


def test_compare_prints_why_it_moved(capsys, monkeypatch, tmp_path):
    path = tmp_path / "more-icbm.yaml"
    path.write_text(MORE_ICBM, encoding="utf-8")
    code, out, err = _cli(capsys, monkeypatch, "compare", str(GENEVA), str(path))
    assert code == 0, err
    why = out.split("Why it moved")[1].split("Key flows")[0]
    assert "First-strike stability" in why and "without launch on warning" in why
    # no signed zero anywhere (the why lines' side parts included), and no change that
    # reads as none between two flows that differ as printed
    assert "+0.000" not in out and "-0.000" not in out and " -0 " not in out and " +0 " not in out
    flows = out.split("Key flows")[1].split("Every reading")[0]
    for line in flows.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) >= 6 and cells[3] and cells[3] != cells[4] and cells[3][0].isdigit():
            assert not cells[5].startswith("±0"), line


def test_signed_changes_never_read_as_none_between_values_that_differ():
    assert signed(-0.0001) == "±0.000" and signed(0.02) == "+0.020"
    assert signed_change(577.4, 577.6, ",.0f") == "+0.2"  # shown 577 -> 578
    assert signed_change(577.2, 577.3, ",.0f") == "±0"  # shown 577 -> 577
    assert signed_change(0.1234, 0.1236, ".1%") == "+0.02%"
    assert signed_change(1000.0, 1300.0, ",.0f") == "+300"
    assert signed_change(0.5, 0.2) == "-0.300"


# 8. small things


def test_readme_writes_the_schema_where_the_examples_look_for_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    wanted = GENEVA.read_text(encoding="utf-8").splitlines()[0].split("$schema=../")[1]
    assert f"schema > {wanted}" in readme


def test_literature_benchmark_skip_says_where_the_files_come_from(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.wta_files import missing_files
    finally:
        sys.path.remove(str(ROOT))
    text = missing_files(tmp_path)
    for part in ("not shipped", "doi:10.1007/s10479-022-04525-6", "DETENTE_WTA_DIR", "Sonuc"):
        assert part in text
    source = (ROOT / "tests" / "test_allocation_benchmarks.py").read_text(encoding="utf-8")
    assert "reason=missing_files(" in source


def test_to_frame_has_a_verdict_and_the_case_split_up(geneva):
    frame = geneva.to_frame()
    assert {"verdict", "us_alert", "ru_alert", "ride_out"} <= set(frame.columns)
    combined = frame[(frame.part == "combined") & (frame.definition == "first_strike")]
    head = combined[(combined.perspective == "full") & (combined.case == str(geneva.headline_case))]
    assert list(head.verdict) == ["stable"] and head.value.iloc[0] >= 0.75
    assert set(frame[frame.part != "combined"].verdict) == {""}
    assert set(frame.ride_out) == {False, True}
    generated = frame[(frame.us_alert == "generated") & (frame.ru_alert == "day_to_day")]
    assert set(generated.case.str.replace("/ride_out", "")) == {"us:generated/ru:day_to_day"}
    assert len(frame) == len(DEFINITIONS) * 3 * 8 * 3
