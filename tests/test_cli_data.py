"""``detente data`` through the CLI entry point: list, show (text and JSON), sources."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from detente.cli import main


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.setattr(sys, "argv", ["detente", *args])
    monkeypatch.setenv("COLUMNS", "220")
    with pytest.raises(SystemExit) as info:
        main()
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


def test_list_shows_postures_and_totals(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "data", "list")
    assert code == 0
    for name in ("us-2021", "ru-2025", "cn-2025", "uk-2021", "kp-2025"):
        assert name in out
    code, out, _ = run(capsys, monkeypatch, "data", "list", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["uk-2021"]["kind"] == "totals"
    assert rows["uk-2021"]["total_inventory"] == 225
    assert rows["us-2021"]["kind"] == "posture"
    assert rows["us-2021"]["actor"] == "us"
    assert rows["cn-2021"]["total_inventory"] == 350


@pytest.mark.parametrize("name", ["us-2021", "us-2025", "ru-2021", "ru-2025", "cn-2021", "cn-2025"])
def test_show_json_is_a_posture_with_summary(capsys, monkeypatch, name) -> None:
    code, out, _ = run(capsys, monkeypatch, "data", "show", name, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["id"] == name.replace("-", "_")
    assert len(doc["systems"]) >= 7
    assert {"deployed_strategic", "nonstrategic", "stockpile"} <= set(doc["summary"])
    assert doc["summary"]["stockpile"] > 0


def test_show_text_has_the_three_tables(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "data", "show", "ru-2021")
    assert code == 0
    assert "systems" in out and "By leg / category" in out and "Military stockpile" in out
    assert "ru_rs20v" in out and "4,495" in out


def test_show_totals_only_entry(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "data", "show", "fr-2025", "--json")
    assert code == 0
    assert json.loads(out)["totals"]["total_inventory"] == 290


def test_sources_text_and_json(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "data", "sources")
    assert code == 0 and "fas-ru-2021" in out
    code, out, _ = run(capsys, monkeypatch, "data", "sources", "--json")
    keys = {e["key"] for e in json.loads(out)}
    assert {"fas-us-2021", "sipri-yb-2025", "act-2021-12"} <= keys


def test_unknown_name_exits_2_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from detente.cli import main; main()", "data", "show", "xx-1999"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "unknown built-in posture 'xx-1999'" in proc.stderr
    assert "us-2021" in proc.stderr
    assert "Traceback" not in proc.stderr
