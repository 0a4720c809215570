"""``detente treaty`` commands through the CLI entry point, text and JSON."""

from __future__ import annotations

import json
import sys

import pytest

from detente.cli import main


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.setattr(sys, "argv", ["detente", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


def test_list_text_and_json(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "treaty", "list")
    assert code == 0
    assert "new-start" in out and "trilateral" in out and "1,550" in out
    code, out, _ = run(capsys, monkeypatch, "treaty", "list", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["new-start"]["limits"] == {
        "deployed_launchers": 700,
        "deployed_warheads": 1550,
        "total_launchers": 800,
    }
    assert rows["no-treaty"]["limits"] == {}


def test_count_text(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "treaty", "count", "us-2021", "--treaty", "new-start")
    assert code == 0
    assert "Deployed warheads" in out and "1,550" in out and "total" in out


def test_count_json_has_the_central_limits(capsys, monkeypatch) -> None:
    code, out, _ = run(
        capsys, monkeypatch, "treaty", "count", "ru-2021", "--treaty", "new_start", "--json"
    )
    assert code == 0
    data = json.loads(out)
    for key in ("deployed_launchers", "deployed_warheads", "total_launchers"):
        assert data[key] > 0
    assert data["compliance"]["party"] is True
    assert {c["item"] for c in data["contributions"]}


def test_count_with_a_treaty_file(capsys, monkeypatch, tmp_path) -> None:
    path = tmp_path / "bombers.yaml"
    path.write_text(
        "id: bombers_only\nlabel: Bombers only\ncounting:\n"
        "  - {quantity: bombers, measure: launchers_deployed, accountability: [heavy_bomber]}\n"
        "limits:\n  - {id: bombers, quantity: bombers, ceiling: 0}\n"
    )
    code, out, _ = run(capsys, monkeypatch, "treaty", "count", "us-2021", "-t", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["bombers"] > 0
    assert data["compliance"]["complies"] is False


def test_reduce_text_and_json(capsys, monkeypatch) -> None:
    args = ("treaty", "reduce", "ru-2021", "--treaty", "all-warheads")
    code, out, _ = run(capsys, monkeypatch, *args, "--policy", "proportional")
    assert code == 0
    assert "Cuts" in out and "After" in out
    code, out, _ = run(capsys, monkeypatch, *args, "--policy", "retire_vulnerable_first", "--json")
    data = json.loads(out)
    assert data["complies"] is True
    assert data["totals_before"]["all_warheads"] > 2500 >= data["totals_after"]["all_warheads"]
    assert data["posture_after"]["actor"] == "ru"


def test_upload_text_and_json(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "treaty", "upload", "us-2021", "--months", "6")
    assert code == 0 and "Upload potential" in out and "In 6 months" in out
    code, out, _ = run(capsys, monkeypatch, "treaty", "upload", "us-2021", "--json")
    data = json.loads(out)
    assert data["months"] == 12
    assert 0 < data["by_months"] <= data["potential"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("treaty", "count", "us-1999"), "unknown built-in posture 'us-1999'"),
        (("treaty", "count", "us-2021", "--treaty", "salt-9"), "unknown treaty 'salt-9'"),
        (
            ("treaty", "reduce", "us-2021", "--policy", "cut_everything"),
            "unknown reduction policy 'cut_everything'",
        ),
        (("treaty", "count", "us-2021", "--treaty", "missing.yaml"), "file not found"),
        (("treaty", "upload", "us-2021", "--months", "-3"), "-3"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(capsys, monkeypatch, args, expected) -> None:
    code, out, err = run(capsys, monkeypatch, *args)
    assert code == 2
    assert expected in err + out
    assert "Traceback" not in err + out


def test_invalid_treaty_file_names_the_line(capsys, monkeypatch, tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nlimits:\n  - {id: a, quantity: a, ceiling: -5}\n")
    code, _, err = run(capsys, monkeypatch, "treaty", "count", "us-2021", "-t", str(path))
    assert code == 2
    assert "bad.yaml:3" in err and "ceiling" in err
    assert "Traceback" not in err
