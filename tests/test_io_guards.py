"""Inputs that used to crash, stall or silently drop edits now give located problems."""

from __future__ import annotations

import pytest

from detente.errors import ScenarioError
from detente.io import load_scenario

HEAD = "name: g\nsides:\n  - posture: us-2021\n    override:\n"
TAIL = "  - posture: ru-2021\n"


def _problems(tmp_path, body: str, head: str = HEAD, tail: str = TAIL):
    path = tmp_path / "g.yaml"
    path.write_text(head + body + tail, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def test_self_referencing_alias_is_refused_not_a_recursion_error(tmp_path):
    body = "      systems: &s\n        - id: us_minuteman_iii\n          cite: *s\n"
    (p,) = _problems(tmp_path, body)
    assert p.line == 7
    assert "alias" in p.message


def test_alias_bomb_is_refused_quickly(tmp_path):
    levels = ["      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"]
    for k in range(1, 7):
        refs = ", ".join([f"*a{k - 1}"] * 10)
        levels.append(f"      a{k}: &a{k} [{refs}]\n")
    problems = _problems(tmp_path, "".join(levels))
    assert problems and all("alias" in p.message for p in problems)


def test_duplicate_override_ids_are_reported(tmp_path):
    body = (
        "      systems:\n"
        "        - id: us_minuteman_iii\n          launchers_deployed: 300\n"
        "        - id: us_minuteman_iii\n          remove: true\n"
    )
    (p,) = _problems(tmp_path, body)
    assert (p.path, p.line) == ("sides.0.override.systems.1.id", 8)
    assert "already given at item 0" in p.message


def test_an_item_without_id_says_why_the_list_was_replaced(tmp_path):
    body = (
        "      systems:\n        - id: us_minuteman_iii\n          cep_m: 90\n        - cep_m: 90\n"
    )
    problems = _problems(tmp_path, body)
    assert any(
        p.path == "sides.0.override.systems.1" and "has no `id`" in p.message for p in problems
    )


@pytest.mark.parametrize("written", ['"2021-7-28"', '"July 28"', "2021"])
def test_dates_must_be_iso(tmp_path, written):
    head = f"name: g\ndate: {written}\nsides:\n  - posture: us-2021\n"
    (p,) = _problems(tmp_path, "", head=head)
    assert (p.path, p.line) == ("date", 2)
    assert "YYYY-MM-DD" in p.message


def test_a_datetime_is_read_as_its_date(tmp_path):
    path = tmp_path / "dt.yaml"
    path.write_text(
        "name: g\ndate: 2021-07-28T10:00:00\nsides:\n  - posture: us-2021\n  - posture: ru-2021\n",
        encoding="utf-8",
    )
    assert load_scenario(path).date == "2021-07-28"
