"""Tidy frames, plotly figures and PNG files drawn from an assessment."""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

import pytest

from detente.analysis.assess import Assessment, assess
from detente.errors import InvalidArgumentError
from detente.examples import toy_dyad
from detente.model.force import AlertFractions, System
from detente.model.posture import Posture
from detente.viz import figures, frames, png
from detente.viz.png import PLOTS, PlotError, write_plots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def toy() -> Assessment:
    # Each side: 100 silo ICBMs x 3 warheads = 300, 50 SLBMs x 4 warheads = 200.
    return assess(toy_dyad(icbms=100, mirv=3, slbms=50))


@pytest.fixture(scope="module")
def defended() -> Assessment:
    return assess(toy_dyad(icbms=100, mirv=3, slbms=50, interceptors=40))


def mixed_scenario():
    """Side a adds 40 unassigned reserve warheads and a conventional cruise missile
    (10 launchers x 20 missiles deployed, 50 stored); side b is the plain toy."""
    base = toy_dyad(icbms=100, mirv=3, slbms=50)
    cruise = System(
        id="tlam",
        label="Toy cruise missile",
        category="conventional_strike",
        delivery="cruise",
        nuclear=False,
        launchers_deployed=10,
        warheads_per_launcher=20,
        max_warheads_per_launcher=20,
        warheads_stored=50,
        yield_kt=0.0005,
        cep_m=10.0,
        reliability=0.9,
        flight_time_min=90.0,
        range_km=1600.0,
        home_target="port",
        alert=AlertFractions(day_to_day=0.5, generated=0.9),
    )
    first = base.sides[0].posture
    first = Posture.model_validate(
        {
            **first.model_dump(),
            "systems": [*(s.model_dump() for s in first.systems), cruise.model_dump()],
            "reserve_unassigned": 40,
        }
    )
    side = base.sides[0].model_copy(update={"posture": first})
    return base.model_copy(update={"sides": (side, base.sides[1])})


# Nuclear warheads by hand: a holds 100 x 3 + 50 x 4 = 500 on systems and 40 in the
# unassigned reserve, 540 in all; b holds 500. The 10 x 20 + 50 = 250 conventional
# missiles of a are not warheads.
NUCLEAR = {"a": 540.0, "b": 500.0}


@pytest.fixture(scope="module")
def mixed() -> Assessment:
    return assess(mixed_scenario())


def test_case_label_reads_actor_and_alert():
    assert frames.case_label("us:day_to_day/ru:generated") == "us day-to-day · ru generated"


def test_force_frame_counts_launchers_and_warheads_per_system(toy):
    forces = frames.force_frame(toy)
    a = forces[forces["actor"] == "a"].set_index("system")
    assert a.loc["icbm", "launchers_deployed"] == 100
    assert a.loc["icbm", "warheads_deployed"] == pytest.approx(300.0)
    assert a.loc["slbm", "launchers_deployed"] == 50
    assert a.loc["slbm", "warheads_deployed"] == pytest.approx(200.0)
    assert set(forces["actor"]) == {"a", "b"}


def test_force_by_category_sums_and_orders_categories(toy):
    by_cat = frames.force_by_category(frames.force_frame(toy))
    a = by_cat[by_cat["actor"] == "a"]
    assert list(a["category_label"]) == ["Silo ICBMs", "SLBMs"]
    assert list(a["warheads_deployed"]) == pytest.approx([300.0, 200.0])


def test_flow_outcomes_add_up_to_each_sides_warheads(toy):
    totals = frames.flow_totals(frames.flow_frame(toy))
    sums = totals.groupby(["exchange", "role"])["warheads"].sum()
    # Two exchanges, two roles each; every side holds 300 + 200 = 500 warheads.
    assert len(sums) == 4
    assert list(sums) == pytest.approx([500.0] * 4)


def test_flow_frame_port_strike_matches_hand_count():
    # Day to day 40 % of the victim's 200 SLBM warheads are in port; two reliable (0.9)
    # warheads on each soft port (a fixed doctrine of two per aim point) kill it with
    # probability 1 - 0.1**2 = 0.99: 80 * 0.99.
    flows = frames.flow_frame(assess(toy_dyad(icbms=100, mirv=3, slbms=50).with_fixed_doctrine()))
    row = flows[
        (flows["exchange"] == "A strikes B first")
        & (flows["role"] == "defender")
        & (flows["system"] == "slbm")
        & (flows["outcome"] == "destroyed")
    ]
    assert float(row["warheads"].iloc[0]) == pytest.approx(79.2, rel=1e-6)


def test_warning_launches_are_zero_without_a_launch_on_warning_policy(toy):
    launches = frames.warning_launches(toy)
    assert list(launches["warheads"]) == [0.0, 0.0]


def test_definition_frame_has_every_definition_reading_and_case(toy):
    defs = frames.definition_frame(toy)
    # 5 definitions x 3 readings x 4 alert cases x 2 responses (policy, all ride out).
    assert len(defs) == 120
    assert defs["headline"].sum() == 5
    assert set(defs["verdict"]) <= {
        "stable",
        "fragile",
        "unstable",
        "sufficient",
        "insufficient",
        "",
    }
    # only first-strike stability and second-strike sufficiency have verdict words
    worded = set(defs.loc[defs["verdict"] != "", "definition"])
    assert worded <= {"first_strike", "second_strike"}


def test_readings_agree_when_nothing_is_read_differently(toy):
    # No defences, conventional, non-strategic or novel systems: the US and Russian
    # readings see the same forces, so every value is the same.
    dis = frames.disagreement_frame(toy)
    assert len(dis) == 40
    assert dis["difference"].max() == pytest.approx(0.0, abs=1e-12)


def test_readings_part_once_missile_defence_counts(defended):
    dis = frames.disagreement_frame(defended)
    assert dis["difference"].max() > 0.005
    # Documented order: cases whose verdicts differ first, then by the size of the gap.
    keys = [(-int(v), -d) for v, d in zip(dis["verdicts_differ"], dis["difference"], strict=True)]
    assert keys == sorted(keys)


def test_the_readings_compared_by_default_are_the_parties_own():
    # Parties "us" and "cn": their own readings are compared, not a fixed US-Russian pair.
    a = assess(toy_dyad(icbms=20, slbms=10, interceptors=20, actors=("us", "cn")))
    assert a.reading_pairs() == [("us", "cn")]
    dis = frames.disagreement_frame(a)
    assert len(dis) and dis.equals(frames.disagreement_frame(a, "us", "cn"))
    with pytest.raises(InvalidArgumentError, match="both readings"):
        frames.disagreement_frame(a, "us")


def test_force_figure_draws_deployed_and_stored_for_each_side(toy):
    by_cat = frames.force_by_category(frames.force_frame(toy))
    fig = figures.force_figure(by_cat, ["a", "b"])
    # No reserve in the toy: deployed and stored for each side.
    assert [t.type for t in fig.data] == ["bar"] * 4
    assert sum(sum(t.x) for t in fig.data) == pytest.approx(1000.0)
    assert "Nuclear warheads" in fig.layout.title.text


def test_force_frame_nuclear_rows_add_up_to_the_stockpile(mixed):
    forces = frames.force_frame(mixed)
    nuclear = forces[forces["nuclear"]]
    held = nuclear[["warheads_deployed", "warheads_stored", "warheads_reserve"]].sum(axis=1)
    assert held.groupby(nuclear["actor"]).sum().to_dict() == pytest.approx(NUCLEAR)
    reserve = forces[forces["system"] == frames.RESERVE]
    assert list(reserve["actor"]) == ["a"]
    assert float(reserve["warheads_reserve"].iloc[0]) == 40.0
    cruise = forces[~forces["nuclear"]]
    assert list(cruise["system"]) == ["tlam"]


def test_force_by_category_leaves_conventional_out_and_adds_the_reserve(mixed):
    forces = frames.force_frame(mixed)
    a = frames.force_by_category(forces).query("actor == 'a'")
    assert list(a["category_label"]) == ["Silo ICBMs", "SLBMs", "Unassigned reserve"]
    assert list(a["warheads_reserve"]) == pytest.approx([0.0, 0.0, 40.0])
    conventional = frames.force_by_category(forces, nuclear=False)
    assert list(conventional["category_label"]) == ["Conventional strike"]
    assert float(conventional["warheads_deployed"].iloc[0]) == 200.0
    assert float(conventional["warheads_stored"].iloc[0]) == 50.0


def test_force_figure_totals_match_the_stockpile(mixed):
    by_cat = frames.force_by_category(frames.force_frame(mixed))
    fig = figures.force_figure(by_cat, ["a", "b"])
    per_side = {"a": 0.0, "b": 0.0}
    for trace in fig.data:
        actor = "a" if trace.xaxis in (None, "x") else "b"
        per_side[actor] += sum(trace.x)
    assert per_side == pytest.approx(NUCLEAR)
    assert {t.name for t in fig.data} == {"Deployed", "In storage", "Unassigned reserve"}
    categories = {c for t in fig.data for c in t.y}
    assert "Conventional strike" not in categories
    assert "Unassigned reserve" in categories
    for side in mixed.scenario.sides:
        assert side.posture.warheads_total == NUCLEAR[side.actor]


def test_force_png_totals_match_the_stockpile(mixed):
    fig = png.force_png(mixed)
    widths = [sum(p.get_width() for p in ax.patches) for ax in fig.axes]
    assert widths == pytest.approx([NUCLEAR["a"], NUCLEAR["b"]])
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels == ["Deployed", "In storage", "Unassigned reserve"]
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["Silo ICBMs", "SLBMs", "Unassigned reserve"]


def test_flow_axis_names_conventional_missiles_when_there_are_some(toy, mixed):
    for assessment, label in (
        (toy, "warheads (expected)"),
        (mixed, "warheads and conventional missiles (expected)"),
    ):
        flows = frames.flow_frame(assessment)
        conventional = frames.has_conventional(flows)
        fig = figures.flow_figure(
            frames.flow_totals(flows),
            frames.warning_launches(assessment),
            conventional=conventional,
        )
        assert fig.layout.yaxis.title.text == label
        assert png.flows_png(assessment).axes[0].get_ylabel() == label


def test_flow_figure_bars_stack_to_each_sides_warheads(toy):
    totals = frames.flow_totals(frames.flow_frame(toy))
    fig = figures.flow_figure(totals, frames.warning_launches(toy))
    stacked: dict[tuple[str, str], float] = {}
    for trace in fig.data:
        for outer, inner, y in zip(trace.x[0], trace.x[1], trace.y, strict=True):
            stacked[(outer, inner)] = stacked.get((outer, inner), 0.0) + y
    assert len(stacked) == 4
    assert list(stacked.values()) == pytest.approx([500.0] * 4)


def test_definitions_heatmap_has_one_panel_per_reading_on_a_fixed_scale(toy):
    persps = [(p.id, p.label) for p in toy.perspectives]
    fig = figures.definitions_heatmap(frames.definition_frame(toy), persps)
    assert [t.type for t in fig.data] == ["heatmap"] * 3
    for trace in fig.data:
        assert (trace.zmin, trace.zmax) == (0.0, 1.0)
        assert len(trace.z) == 5 and len(trace.z[0]) == 8


def test_disagreement_figure_leaves_out_rows_that_agree(toy, defended):
    labels = ("US reading", "Russian reading")
    empty = figures.disagreement_figure(frames.disagreement_frame(toy), labels)
    assert all(len(t.x) == 0 for t in empty.data)
    drawn = figures.disagreement_figure(frames.disagreement_frame(defended), labels)
    assert len(drawn.data[1].x) > 0


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_write_plots_writes_every_png(toy, tmp_path):
    folder = tmp_path / "plots" / "nested"
    written = write_plots(toy, folder)
    assert [p.name for p in written] == list(PLOTS)
    for path in written:
        width, height = _png_size(path)
        assert width >= 600 and height >= 300
    assert sorted(p.name for p in folder.iterdir()) == sorted(PLOTS)


def test_write_plots_replaces_files_and_leaves_no_temporaries(toy, tmp_path):
    (tmp_path / "forces.png").write_bytes(b"old")
    write_plots(toy, tmp_path)
    assert (tmp_path / "forces.png").read_bytes()[:8] == PNG_SIGNATURE
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(PLOTS)


def test_write_plots_into_a_file_is_a_user_error(toy, tmp_path):
    target = tmp_path / "plots"
    target.write_text("not a folder")
    with pytest.raises(PlotError, match="it is a file"):
        write_plots(toy, target)


def test_write_plots_respects_the_umask_and_syncs(toy, tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = png.os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(png.os, "fsync", fsync)
    old = os.umask(0o027)
    try:
        written = write_plots(toy, tmp_path)
    finally:
        os.umask(old)
    assert len(synced) == len(PLOTS)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
