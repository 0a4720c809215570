"""`detente validate`: one line per problem, exit 2 on any invalid file, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

from detente.cli import app
from detente.cli.base import run

HERE = Path(__file__).parent / "scenarios"
VALID = sorted((HERE / "valid").glob("*.yaml"))
INVALID = sorted((HERE / "invalid").glob("*.yaml"))


def _validate(monkeypatch, capsys, *files: Path | str) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["detente", "validate", *map(str, files)])
    code = run(app)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _expected(path: Path) -> tuple[str, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    _, line, field = (part.strip() for part in first.split("|"))
    return line.removeprefix("line "), field


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_exits_2_with_file_line_and_field(monkeypatch, capsys, path):
    code, out = _validate(monkeypatch, capsys, path)
    line, field = _expected(path)
    assert code == 2
    assert "Traceback" not in out
    expected = f"{path}:{line}:" + ("" if field == "-" else f" {field}:")
    assert any(row.strip().startswith(expected) for row in out.splitlines()), out


def test_valid_files_get_a_tick_and_a_summary(monkeypatch, capsys):
    code, out = _validate(monkeypatch, capsys, *VALID)
    assert code == 0
    assert f"✓ {HERE / 'valid' / 'toy-dyad.yaml'}" in out
    assert "toy_dyad: blue (inline, 2 systems) vs red (inline, 1 system); no treaty" in out


def test_one_invalid_file_among_valid_ones_fails_the_run(monkeypatch, capsys):
    bad = HERE / "invalid" / "negative-count.yaml"
    code, out = _validate(monkeypatch, capsys, VALID[0], bad, VALID[1])
    assert code == 2
    assert out.count("✓") == 2
    assert "1 of 3 file(s) invalid" in out


@pytest.mark.parametrize("what", ["missing", "directory"])
def test_missing_file_and_directory(monkeypatch, capsys, tmp_path, what):
    target = tmp_path / "absent.yaml" if what == "missing" else tmp_path
    code, out = _validate(monkeypatch, capsys, target)
    assert code == 2
    assert str(target) in out
    assert ("file not found" if what == "missing" else "is a directory") in out


@pytest.mark.parametrize(
    "text",
    [
        "\x1f",
        "name: [\n",
        "sides: 3\nname: 7\n",
        "name: x\nsides: [{posture: {id: a}}, {posture: " + "[" * 40 + "]" * 40 + "}]\n",
        "name: x\nsides:\n  - posture: {id: a, actor: b, date: 2021-13-45}\n",
        "name: x\nsides:\n  - {posture: 1e999}\n  - {posture: null, override: [1]}\n",
        "? [a, b]\n: 1\n",
    ],
)
def test_odd_files_through_the_cli(monkeypatch, capsys, tmp_path, text):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    code, out = _validate(monkeypatch, capsys, path)
    assert code == 2
    assert "Traceback" not in out
    assert f"{path}:" in out


def test_console_script_reports_without_traceback(tmp_path):
    bad = HERE / "invalid" / "reliability-out-of-range.yaml"
    result = subprocess.run(
        [sys.executable, "-c", "from detente.cli import main; main()", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        f"{bad}:17: sides.0.posture.systems.0.reliability: must be between 0 and 1 (got 1.4)"
        in result.stdout
    )


def test_a_sweep_specification_is_checked_as_a_sweep(monkeypatch, capsys, tmp_path):
    root = Path(__file__).resolve().parents[1]
    code, out = _validate(monkeypatch, capsys, root / "examples" / "bmd-alert-treaty-sweep.yaml")
    assert code == 0, out
    assert "sweep bmd_alert_treaty: 88 point(s) over us_interceptors, ru_alert, treaty" in out
    bad = tmp_path / "bad-sweep.yaml"
    bad.write_text(
        "name: x\nscenario: geneva_2021\nlevers:\n"
        "  - {name: a, path: exchange.reserve_fractio, values: [0.1]}\n",
        encoding="utf-8",
    )
    code, out = _validate(monkeypatch, capsys, bad)
    assert code == 2
    assert f"{bad}:4: levers.0.path:" in out and "did you mean 'reserve_fraction'" in out
