"""Hostile input and output paths: nothing destroyed, nothing hangs, nothing silently wrong.

One test per failure an adversarial probe found, numbered as in the issue. Runs
that could exhaust memory or hang go through :func:`hostile.detente`: a child
process bounded in memory and time, so a regression fails the test instead of
the machine.
"""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import pytest

from hostile import detente, detente_with_file_size_limit, start_stalled_write

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


def _refused(run, file: Path, line: int | None, *words: str) -> None:
    """Exit 2, no traceback, the file (and line) named, and ``words`` in the message."""
    assert run.code == 2, run.text
    assert "Traceback" not in run.text
    assert f"{file.name}:{'' if line is None else f'{line}:'}" in run.text, run.text
    for word in words:
        assert word in run.text, run.text


# --- 1: --html replaced whatever the path was ---------------------------------------


@pytest.mark.parametrize("kind", ["device", "link-to-stdout", "symlink", "read-only", "fifo"])
def test_1_html_never_replaces_a_device_a_link_a_read_only_file_or_a_fifo(tmp_path, kind):
    # Stand-ins in tmp_path, never the real /dev/null or /dev/stdout: a broken writer
    # must fail this test, not replace the machine's devices.
    kept = tmp_path / "kept.html"
    kept.write_text("an earlier report", encoding="utf-8")
    target = tmp_path / "r.html"
    if kind == "device":
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:
            pytest.skip("creating a device node needs privileges")
    elif kind == "link-to-stdout":
        target.symlink_to("/proc/self/fd/1")  # what /dev/stdout is
    elif kind == "symlink":
        target.symlink_to(kept)
    elif kind == "read-only":
        target.write_text("a report kept read-only", encoding="utf-8")
        target.chmod(0o444)
    else:
        os.mkfifo(target)
    before = target.lstat()
    run = detente("assess", GENEVA, "--quiet", "--html", target, timeout=BOUND)
    assert run.code == 2 and "Traceback" not in run.text, run.text
    assert f"cannot write the report to '{target}'" in run.err
    after = target.lstat()
    assert (after.st_ino, after.st_mode, after.st_mtime_ns) == (
        before.st_ino,
        before.st_mode,
        before.st_mtime_ns,
    )
    assert kept.read_text(encoding="utf-8") == "an earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.html", "r.html"]


# --- 2: an output over the input, over another output, or named like a folder --------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--html", "{dir}/s.yaml"], "it is the input file"),
        (["--html", "{dir}/./sub/../s.yaml"], "it is the input file"),
        (["--html", "{dir}/d/forces.png", "--plots", "{dir}/d"], "would write the same file"),
        (["--html", "{dir}/newdir/"], "it names a folder"),
        (["--html", "{dir}"], "it is a folder"),
        (["--plots", "{dir}/s.yaml"], "it is a file; expected a folder"),
    ],
    ids=[
        "input",
        "input-other-spelling",
        "plot-name",
        "trailing-slash",
        "folder",
        "plots-on-input",
    ],
)
def test_2_outputs_never_overwrite_the_input_each_other_or_become_a_folder_name(
    tmp_path, args, words
):
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes(GENEVA.read_bytes())
    (tmp_path / "sub").mkdir()
    args = [a.format(dir=tmp_path) for a in args]
    run = detente("assess", scenario, "--quiet", *args, timeout=BOUND)
    assert run.code == 2 and "Traceback" not in run.text, run.text
    assert words in run.err, run.err
    assert scenario.read_bytes() == GENEVA.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml", "sub"]


# --- 3: aliases in treaty files; aliases behind merge keys in scenarios ----------------


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


HEAD = "name: probe\nsides:\n  - posture: us-2021\n    override:\n"
TAIL = "  - posture: ru-2021\n"


def _scenario(tmp_path: Path, override: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + override + TAIL, encoding="utf-8")
    return path


def _system(i: int) -> str:
    return (
        f"        - {{id: extra_{i}, category: icbm_silo, delivery: ballistic_rv, "
        "launchers_deployed: 1, warheads_per_launcher: 1, max_warheads_per_launcher: 1, "
        "yield_kt: 300, cep_m: 150, reliability: 0.9, flight_time_min: 30, range_km: 13000, "
        "home_target: us_minuteman_silos, alert: {day_to_day: 0.9, generated: 0.9}}\n"
    )


# --- 4: sizes the engine cannot compute; endless or blocking inputs --------------------


def test_4_validate_refuses_what_assess_could_not_compute_and_never_reads_devices(tmp_path):
    from detente.model.limits import MAX_AIM_POINTS, MAX_SYSTEMS

    aim = _scenario(tmp_path, "      targets:\n        - {id: us_value, count: 1000000000}\n")
    for command in ("validate", "assess"):
        run = detente(command, aim, timeout=BOUND)
        _refused(run, aim, 6, "sides.0.override.targets.0.count", f"{MAX_AIM_POINTS:,}")

    many = _scenario(
        tmp_path, "      systems:\n" + "".join(_system(i) for i in range(MAX_SYSTEMS)), "many.yaml"
    )
    for command in ("validate", "assess"):
        run = detente(command, many, timeout=BOUND)
        _refused(run, many, 3, "sides.0.posture.systems", f"at most {MAX_SYSTEMS} item(s)")

    huge = _scenario(
        tmp_path, "      systems:\n" + "".join(_system(i) for i in range(10_000)), "huge.yaml"
    )
    assert huge.stat().st_size > 1 << 20
    _refused(detente("assess", huge, timeout=BOUND), huge, None, "MAX_FILE_BYTES")

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for command, path, words in (
        ("validate", "/dev/zero", "character device"),
        ("assess", "/dev/urandom", "character device"),
        ("assess", fifo, "named pipe (FIFO)"),
        ("validate", fifo, "named pipe (FIFO)"),
    ):
        run = detente(command, path, timeout=BOUND)
        assert run.code == 2 and "Traceback" not in run.text, run.text
        assert words in run.text and "expected a regular YAML file" in run.text


def test_4_draw_counts_beyond_memory_are_refused_before_anything_is_allocated():
    for args, words in (
        (("explore", GENEVA, "--draws", "10000000"), "above the limit of 1,000,000 (MAX_DRAWS"),
        (("assess", "--uncertainty", "100000000", "--quiet"), "above the limit of 1,000,000"),
        (("explore", GENEVA, "--draws", "900000"), "MAX_DRAW_CELLS"),
        (
            ("explore", GENEVA, "--draws", "100", "--sobol-samples", "1048576"),
            "Sobol' samples",
        ),
    ):
        run = detente(*args, timeout=BOUND)
        assert run.code == 2 and "Traceback" not in run.text, run.text
        assert words in run.text, run.text


def test_4_a_batch_of_a_billion_draws_is_refused_with_its_limit():
    from detente.engine.exchange import MAX_BATCH_ROWS, run_exchange_batch
    from detente.errors import InvalidArgumentError
    from detente.examples import geneva_2021

    for size in (10**9, MAX_BATCH_ROWS + 1, 0, 2.5):
        with pytest.raises(InvalidArgumentError, match="MAX_BATCH_ROWS"):
            run_exchange_batch(geneva_2021(), "us", "ru", size=size)  # type: ignore[arg-type]


# --- 5: the exact allocator ran for hours on an allowed setting ----------------------------


def test_5_exact_allocation_of_a_batch_too_large_is_refused_before_it_is_built():
    import numpy as np

    from detente.engine.allocation.classes import (
        MAX_BATCH_PATTERN_COLUMNS,
        allocate_exact_patterns,
    )
    from detente.errors import AllocationTooLargeError

    rows, types, classes = 200, 10, 4  # 4 x C(16, 6) - 4 = 32,028 patterns a row at six shots
    kill = np.full((rows, types, classes), 0.3)
    weapons, aim, value = (
        np.full((rows, types), 50.0),
        np.full((rows, classes), 20.0),
        np.ones((rows, classes)),
    )
    with pytest.raises(AllocationTooLargeError, match=f"{MAX_BATCH_PATTERN_COLUMNS:,} shot"):
        allocate_exact_patterns(kill, weapons, aim, value, 6)
    # the same rows at two shots per aim point (4 x C(12, 2) - 4 = 260 patterns a row) are solved
    solved = allocate_exact_patterns(kill[:20], weapons[:20], aim[:20], value[:20], 2)
    assert solved.gap < 1e-6 and (solved.destroyed_value > 0).all()


def test_5_an_exact_assessment_at_six_shots_per_aim_point_ends_with_a_message(tmp_path):
    path = tmp_path / "exact6.yaml"
    path.write_text(
        "name: exact6\nsides:\n  - posture: us-2021\n  - posture: ru-2021\ntreaty: new_start\n"
        "exchange: {allocator: exact, max_shots_per_aim_point: 6}\n",
        encoding="utf-8",
    )
    run = detente("assess", path, "--quiet", timeout=180)  # hours before the limit
    assert run.code == 2 and "Traceback" not in run.text, run.text
    assert "exact allocator would build more than 500,000 shot patterns" in run.text
    assert "exchange.allocator: greedy" in run.text


# --- 6: more survivable warheads lowered the side's own retaliation ----------------------


def test_6_five_hundred_survivable_1_kt_slbm_warheads_never_lower_russias_retaliation():
    """The probe's instance: the 2021 baseline with 500 one-kiloton SLBM warheads added to
    Russia, all at sea. Value damage once took the mean kill probability of whatever arrived,
    so the small warheads diluted the large ones: 360 more warheads arrived and damage to the
    US fell (0.5992 to 0.5988 day to day, 0.736 to 0.724 generated). It now adds up the
    lethal area of each burst, and both the damage and Russia's second-strike sufficiency
    (where below 1: riding out at its day-to-day alert) rise."""
    from detente.analysis.assess import assess
    from detente.engine.exchange import run_exchange
    from detente.examples import geneva_2021
    from detente.io import load_scenario

    base = geneva_2021()
    data = base.model_dump()
    (ru,) = (side for side in data["sides"] if side["posture"]["actor"] == "ru")
    (bulava,) = (x for x in ru["posture"]["systems"] if x["id"] == "ru_bulava")
    added = {
        **bulava,
        "id": "ru_slbm_1kt",
        "label": "1-kt SLBM warheads, all at sea",
        "launchers_deployed": 500,
        "launchers_nondeployed": 0,
        "warheads_per_launcher": 1.0,
        "max_warheads_per_launcher": 1.0,
        "warheads_stored": 0,
        "yield_kt": 1.0,
        "alert": {"day_to_day": 1.0, "generated": 1.0},
        "cite": (),
    }
    ru["posture"]["systems"] = (*ru["posture"]["systems"], added)
    more = load_scenario(data)

    for alert in ("day_to_day", "generated"):
        before = run_exchange(base, "us", "ru", alert=alert)
        after = run_exchange(more, "us", "ru", alert=alert)
        assert after.retaliation_arrived >= before.retaliation_arrived + 300, alert
        assert after.damage_to_attacker >= before.damage_to_attacker, alert

    before_all, after_all = assess(base).results, assess(more).results
    sufficiency = [key for key in before_all if key[0] == "second_strike"]
    assert len(sufficiency) == 24  # three readings x four alert levels x riding out or not
    for key in sufficiency:
        assert after_all[key].components["ru"] >= before_all[key].components["ru"], key
    assert any(after_all[k].components["ru"] > before_all[k].components["ru"] for k in sufficiency)


# --- 7: treaty files that counted silently wrong ----------------------------------------

TREATY = (
    "id: probe\nin_force_from: 2011-02-05\nin_force_until: 2026-02-05\ncounting:\n"
    "  - {quantity: warheads, measure: loaded_warheads}\n"
    "limits:\n  - {id: warheads, quantity: warheads, ceiling: 1550}\n"
)


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("ceiling: 1550}", "ceiling: 1550, ceiling: 100}", 7, "written more than once"),
        (
            "in_force_until: 2026-02-05\n",
            "in_force_until: 2026-02-05\nid: other\n",
            4,
            "more than once",
        ),
        (
            "ceiling: 1550}\n",
            "ceiling: 1550}\n  - {id: launchers, quantity: launchers, ceiling: 700}\n",
            8,
            "limits.1.quantity: limit 'launchers' is on a quantity no counting rule counts",
        ),
        (
            "ceiling: 1550}\n",
            "ceiling: 1550}\n  - {id: warheads, quantity: warheads, ceiling: 1000}\n",
            8,
            "limits.1.id: limit id already used by limits.0",
        ),
        ("in_force_until: 2026-02-05", "in_force_until: 2001-01-01", 3, "expiry must be after"),
    ],
    ids=["duplicate-key", "duplicate-top-key", "uncounted-quantity", "duplicate-limit-id", "dates"],
)
def test_7_treaty_files_with_duplicates_uncounted_limits_or_reversed_dates_are_refused(
    tmp_path, old, new, line, words
):
    assert old in TREATY
    path = tmp_path / "probe-treaty.yaml"
    path.write_text(TREATY.replace(old, new, 1), encoding="utf-8")
    for command in ("count", "reduce"):
        run = detente("treaty", command, "us-2021", "--treaty", path, timeout=BOUND)
        _refused(run, path, line, words)


# --- 8: YAML 1.1 coercions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "line", "words"),
    [
        (
            "      c2: {decision_time_min: 4:30}\n",
            5,
            "c2.decision_time_min: expected a number (got '4:30')",
        ),
        (
            "      launch_on_warning: {enabled: yes}\n",
            5,
            "enabled: expected true or false; text such as 'yes' is not read as a truth value",
        ),
        (
            "      systems:\n        - {id: us_minuteman_iii, launchers_deployed: true}\n",
            6,
            "launchers_deployed: expected a whole number, not true/false",
        ),
        (
            '      systems:\n        - {id: us_minuteman_iii, launchers_deployed: "400"}\n',
            6,
            "launchers_deployed: expected a whole number, not text: write it without quotes",
        ),
    ],
    ids=["sexagesimal", "yes", "true-as-count", "quoted-count"],
)
def test_8_yaml_1_1_coercions_are_refused_not_silently_applied(tmp_path, override, line, words):
    path = _scenario(tmp_path, override)
    for command in ("validate", "assess"):
        _refused(detente(command, path, timeout=BOUND), path, line, words)


# --- 11 (parts): overflow, physics ranges, NaN months, unwritable stdout ----------------


def test_11_overflow_physics_ranges_nan_months_and_a_full_stdout_are_clean_errors(tmp_path):
    from detente.data import load_posture
    from detente.errors import OutsideValidityError
    from detente.treaty import upload_potential

    huge = _scenario(
        tmp_path,
        "      systems:\n        - {id: us_minuteman_iii, launchers_deployed: " + "9" * 400 + "}\n",
    )
    for command in ("validate", "assess"):
        _refused(
            detente(command, huge, timeout=BOUND),
            huge,
            6,
            "launchers_deployed: must be between 0 and 1,000,000",
        )

    ceiling = tmp_path / "ceiling.yaml"
    ceiling.write_text(TREATY.replace("ceiling: 1550", "ceiling: 1" + "0" * 400), encoding="utf-8")
    run = detente("treaty", "count", "us-2021", "--treaty", ceiling, timeout=BOUND)
    _refused(run, ceiling, 7, "limits.0.ceiling: must be between 0 and 1,000,000")

    soft = _scenario(tmp_path, "      targets:\n        - {id: us_value, hardness_psi: 1.5}\n")
    for command in ("validate", "assess"):
        run = detente(command, soft, timeout=BOUND)
        _refused(
            run,
            soft,
            6,
            "sides.0.override.targets.0.hardness_psi: must be between 2 and 10,000 (got 1.5)",
        )

    for months in (float("nan"), float("inf"), -1.0):
        with pytest.raises(OutsideValidityError, match="finite number >= 0"):
            upload_potential(load_posture("us-2021"), months=months)
    for months in ("nan", "inf"):
        run = detente("treaty", "upload", "us-2021", "--months", months, timeout=BOUND)
        assert run.code == 2 and "Traceback" not in run.text and "--months must be" in run.err

    # a reader that went away (its end of the pipe closed): silent, exit 1
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = detente("data", "show", "ru-2021", "--json", stdout=write_end, timeout=BOUND)
    finally:
        os.close(write_end)
    assert (run.code, run.err) == (1, "")

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (
        ("treaty", "count", "us-2021"),
        ("treaty", "count", "us-2021", "--json"),
        ("data", "list"),
        ("validate", GENEVA),
        ("assess", GENEVA, "--json"),
    ):
        with open("/dev/full", "w") as full:
            run = detente(*args, stdout=full, timeout=BOUND)
        assert run.code == 2, run.err
        assert run.err.strip() == "error: cannot write to standard output: No space left on device"


# --- 12: temporary files left after a kill or a full disk -----------------------------


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_12_no_temporary_survives_termination_interruption_kill_or_a_full_disk(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    report = out / "r.html"
    report.write_text("the previous report", encoding="utf-8")
    args = ("assess", GENEVA, "--quiet", "--html", report, "--plots", out / "figures")

    for sig in (signal.SIGTERM, signal.SIGINT):
        proc = start_stalled_write(*args)
        assert [n for n in _temporaries(out) if n.startswith(".r.html.detente-")]
        proc.send_signal(sig)
        assert proc.wait(timeout=BOUND) == 128 + sig
        assert proc.stderr is not None
        with proc.stderr:
            assert "Traceback" not in proc.stderr.read()
        assert _temporaries(out) == []
        assert report.read_text(encoding="utf-8") == "the previous report"
        assert not (out / "figures").exists() or list((out / "figures").iterdir()) == []

    # kill -9 cannot be caught: the temporary stays until the next write into the folder
    proc = start_stalled_write(*args)
    proc.kill()
    proc.wait(timeout=BOUND)
    assert proc.stderr is not None
    proc.stderr.close()
    (left,) = _temporaries(out)
    assert left.startswith(".r.html.detente-")
    run = detente(*args, timeout=60)
    assert run.code == 0, run.text
    assert _temporaries(out) == [] and _temporaries(out / "figures") == []
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    # a disk that fills up mid-write (files may not grow past 64 KiB; the report is larger)
    report.write_text("the previous report", encoding="utf-8")
    run = detente_with_file_size_limit(1 << 16, *args)
    assert run.code == 2 and "Traceback" not in run.text, run.text
    assert f"cannot write the report to '{report}': File too large" in run.err
    assert _temporaries(out) == []
    assert report.read_text(encoding="utf-8") == "the previous report"


# --- 10: markup and terminal escapes in labels, names and paths ------------------------

HOSTILE = r"[/] [bold]x \e[2J\e]0;pwned\a \x9b31m"
"""Rich markup that used to crash, an ESC clear-screen, an OSC title, a C1 CSI (YAML escapes)."""


def _no_raw_controls(run) -> None:
    assert run.code == 0, run.text
    for raw in ("\x1b", "\x9b", "\x07"):
        assert raw not in run.text, run.text
    assert "[/] [bold]x" in run.text
    assert r"\x1b[2J" in run.text  # shown, escaped, not obeyed


def test_10_labels_names_and_paths_print_as_written_without_markup_or_escapes(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        f'name: base\nlabel: "{HOSTILE}"\nquestion: "{HOSTILE}"\nsides:\n'
        f'  - posture: us-2021\n    override: {{label: "{HOSTILE}"}}\n  - posture: ru-2021\n',
        encoding="utf-8",
    )
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        base.read_text(encoding="utf-8")
        .replace("name: base", "name: variant")
        .replace('override: {label: "', 'override: {label: "v2 '),
        encoding="utf-8",
    )
    report = tmp_path / "[bold]" / "[/].html"
    _no_raw_controls(detente("assess", base, "--html", report, timeout=60))
    assert report.exists()
    _no_raw_controls(detente("compare", base, variant, "--all", timeout=60))  # labels shown

    treaty = tmp_path / "[bold]treaty.yaml"
    treaty.write_text(
        f'id: probe\nlabel: "{HOSTILE}"\ncounting:\n'
        "  - {quantity: warheads, measure: loaded_warheads}\n"
        f'limits:\n  - {{id: warheads, label: "{HOSTILE}", quantity: warheads, ceiling: 1}}\n',
        encoding="utf-8",
    )
    for command in ("count", "reduce"):
        _no_raw_controls(detente("treaty", command, "us-2021", "--treaty", treaty, timeout=60))

    bad = tmp_path / "\x1b[31mred[bold].yaml"
    bad.write_text(f'name: "{HOSTILE}"\nsides: []\n', encoding="utf-8")
    run = detente("validate", bad, timeout=BOUND)
    assert run.code == 2 and "\x1b" not in run.text and r"\x1b[31mred[bold].yaml" in run.text
