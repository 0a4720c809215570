"""The one YAML reader: YAML 1.2 core types, no aliases or merge keys, bounded, regular files."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from detente.errors import ScenarioError
from detente.io import yaml_core, yaml_source
from detente.io.yaml_source import load_yaml_file, parse_yaml_text


@pytest.fixture(params=yaml_core.LOADERS, ids=lambda c: c.__name__, autouse=True)
def loader(request, monkeypatch):
    """Every test runs on each available loader (libyaml's and pure Python): they read alike."""
    monkeypatch.setattr(yaml_source, "CoreLoader", request.param)
    return request.param


def _value(text: str):
    return parse_yaml_text(f"a: {text}\n", "t.yaml").data["a"]


def _problem(text: str, name: str = "t.yaml"):
    with pytest.raises(ScenarioError) as info:
        parse_yaml_text(text, name)
    (problem,) = info.value.problems
    return problem


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4:30", "4:30"),  # YAML 1.1: the sexagesimal number 270
        ("1:20:00", "1:20:00"),
        ("yes", "yes"),  # YAML 1.1: true
        ("No", "No"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("2021-07-28", "2021-07-28"),  # YAML 1.1: a date object
        ("017", 17),  # YAML 1.1: octal 15
        ("0o17", 15),
        ("0x1F", 31),
        ("+12", 12),
        ("-3", -3),
        ("1e3", 1000.0),  # YAML 1.1 (PyYAML): the string '1e3'
        ("-2.5E-3", -0.0025),
        (".5", 0.5),
        ("3.", 3.0),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("", None),
        ("'400'", "400"),
        ("!!str 12", "12"),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(written, value):
    got = _value(written)
    assert got == value and type(got) is type(value)


def test_infinity_and_nan_are_numbers_the_model_can_refuse():
    assert _value(".inf") == math.inf and _value("-.Inf") == -math.inf
    assert math.isnan(_value(".nan"))


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {x}", "!!omap [a: 1]", "!foo x"])
def test_tags_outside_the_core_schema_are_refused_at_their_line(tag):
    problem = _problem(f"x: 1\na: {tag}\n")
    assert problem.line == 2
    assert "is not allowed" in problem.message


def test_a_wrongly_tagged_scalar_is_refused():
    problem = _problem("a: !!int x\n")
    assert (problem.line, "'x' is not a whole number") == (1, problem.message.split(": ", 1)[1])


def test_a_huge_integer_literal_is_refused_with_a_short_message():
    problem = _problem("a: " + "9" * 5000 + "\n")
    assert "at most 4,300 digits" in problem.message
    assert len(problem.message) < 200


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x [1, 2]\nb: *x\n", 2),
        ("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n", 3),  # a merge key pulls an alias in
        ("a: &x [1]\nb: [*x, *x, *x]\n", 2),
        ("a: &x\n  - *x\n", 2),  # a loop
    ],
)
def test_aliases_are_refused_before_anything_is_built(text, line):
    problem = _problem(text)
    assert problem.line == line
    assert "alias" in problem.message and "Write the value out" in problem.message


def test_merge_keys_without_aliases_are_refused_too():
    problem = _problem("a:\n  j: 1\n  <<: {k: 1}\n")
    assert (problem.path, problem.line) == ("a", 3)
    assert "merge key (<<) is not supported" in problem.message


def test_a_quoted_merge_key_is_an_ordinary_key():
    assert parse_yaml_text("'<<': 1\n", "t.yaml").data == {"<<": 1}


def test_every_key_written_twice_is_reported_at_its_line():
    with pytest.raises(ScenarioError) as info:
        parse_yaml_text("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "t.yaml")
    assert [(p.path, p.line) for p in info.value.problems] == [("b.c", 4), ("a", 5)]
    assert all("written more than once" in p.message for p in info.value.problems)


def test_node_limit(monkeypatch):
    monkeypatch.setattr(yaml_core, "MAX_NODES", 20)
    # the root mapping, the key, the list and its items
    parse_yaml_text("a: [" + ", ".join(["1"] * 17) + "]\n", "t.yaml")
    problem = _problem("a: [" + ", ".join(["1"] * 18) + "]\n")
    assert problem.line == 1
    assert "more than 20 YAML nodes" in problem.message and "MAX_NODES" in problem.message


def test_depth_limit():
    deep_ok = "a: " + "[" * (yaml_core.MAX_DEPTH - 1) + "1" + "]" * (yaml_core.MAX_DEPTH - 1)
    parse_yaml_text(deep_ok, "t.yaml")
    text = "a:\n  b: " + "[" * yaml_core.MAX_DEPTH + "]" * yaml_core.MAX_DEPTH + "\n"
    problem = _problem(text)
    assert problem.line == 2
    assert f"more than {yaml_core.MAX_DEPTH} levels" in problem.message


def test_very_deep_nesting_is_refused_without_recursion():
    problem = _problem("[" * 200_000)
    assert problem.line == 1
    assert "nest" in problem.message  # libyaml stops at its own depth limit first


def test_text_longer_than_the_file_limit_is_refused(monkeypatch):
    monkeypatch.setattr(yaml_source, "MAX_FILE_BYTES", 10)
    assert "longer than 10 characters" in _problem("a: 12345678\n").message


# --- the file itself --------------------------------------------------------------


def _file_problem(path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_yaml_file(path)
    (problem,) = info.value.problems
    return problem.message


@pytest.mark.parametrize(
    ("device", "words"),
    [("/dev/zero", "character device"), ("/dev/urandom", "character device"), ("/dev/null", "")],
)
def test_devices_are_refused_before_reading(device, words):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    message = _file_problem(device)
    assert words in message and "expected a regular YAML file" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "s.yaml"
    os.mkfifo(fifo)
    # in a child process: if the reader ever opened the FIFO it would block for good
    code = (
        "import sys\nfrom detente.errors import ScenarioError\n"
        "from detente.io.yaml_source import load_yaml_file\n"
        "try:\n    load_yaml_file(sys.argv[1])\nexcept ScenarioError as e:\n    print(e)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=30
    )
    assert "is a named pipe (FIFO); expected a regular YAML file" in proc.stdout


def test_a_file_larger_than_the_limit_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:  # sparse: no disk used
        fh.truncate(yaml_source.MAX_FILE_BYTES + 1)
    message = _file_problem(big)
    assert f"larger than {yaml_source.MAX_FILE_BYTES:,} bytes" in message
    assert "MAX_FILE_BYTES" in message


def test_no_more_than_the_limit_is_read_when_the_size_is_not_known(monkeypatch):
    # /proc files are regular but report size 0; the reader still stops at the limit
    monkeypatch.setattr(yaml_source, "MAX_FILE_BYTES", 16)
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc here")
    assert "larger than 16 bytes" in _file_problem(status)


def test_a_symlink_to_a_regular_file_is_read(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text("a: 1\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert load_yaml_file(link).data == {"a": 1}


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n", encoding="utf-8")
    locked.chmod(0)
    assert "cannot be read" in _file_problem(locked)
