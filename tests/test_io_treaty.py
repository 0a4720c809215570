"""Treaty files are read by the strict YAML reader, with located problems."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import ScenarioError
from detente.io import load_treaty_file
from detente.treaty import count
from test_treaty_counting import toy


def _problems(tmp_path, text: str):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_treaty_file(path)
    assert info.value.file == str(path)
    return info.value.problems


def test_a_valid_treaty_file_counts(tmp_path) -> None:
    good = tmp_path / "t.yaml"
    good.write_text(
        "id: mine\nin_force_from: 2011-02-05\ncounting:\n"
        "  - {quantity: w, measure: loaded_warheads}\n"
        "limits:\n  - {id: w, quantity: w, ceiling: 10}\n",
        encoding="utf-8",
    )
    treaty = load_treaty_file(good)
    assert count(toy(), treaty).total("w") == 32
    assert str(treaty.in_force_from) == "2011-02-05"


def test_a_field_error_names_line_path_value_and_expectation(tmp_path) -> None:
    (p,) = _problems(tmp_path, "id: mine\ncounting:\n  - {quantity: w, measure: bananas}\n")
    assert (p.line, p.path, p.value) == (3, "counting.0.measure", "'bananas'")
    assert "expected one of" in p.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "the file is empty"),
        ("- 1\n", "a list, not a mapping"),
        ("id: x\nlabel: &a y\nnotes: *a\n", "alias"),
    ],
)
def test_file_level_problems(tmp_path, text, words) -> None:
    (p,) = _problems(tmp_path, text)
    assert words in p.message


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_is_a_treaty_or_a_located_error(text) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_treaty_file(path)
        except ScenarioError as exc:
            assert exc.problems
            assert all(p.message and (p.line is None or p.line >= 1) for p in exc.problems)
