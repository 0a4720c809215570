"""Reading YAML with the line of every node, and the file-level failures."""

import pytest

from detente.errors import ScenarioError
from detente.io.yaml_source import load_yaml_file, parse_yaml_text

TEXT = """\
# a comment on line 1
name: x
sides:
  - posture: a
    factors: {early_warning_satellites: false}

  - posture:
      id: b
      systems:
        - id: s1
          cep_m: 150
"""


def test_lines_of_keys_and_items_are_one_based_and_exact():
    doc = parse_yaml_text(TEXT, "t.yaml")
    assert doc.lines[("name",)] == 2
    assert doc.lines[("sides",)] == 3
    assert doc.lines[("sides", 0)] == 4
    assert doc.lines[("sides", 0, "factors", "early_warning_satellites")] == 5
    assert doc.lines[("sides", 1)] == 7
    assert doc.lines[("sides", 1, "posture", "id")] == 8
    assert doc.lines[("sides", 1, "posture", "systems", 0)] == 10
    assert doc.lines[("sides", 1, "posture", "systems", 0, "cep_m")] == 11


def test_data_is_what_safe_load_gives():
    import yaml

    assert parse_yaml_text(TEXT, "t.yaml").data == yaml.safe_load(TEXT)


def test_line_of_a_missing_path_falls_back_to_its_nearest_ancestor():
    doc = parse_yaml_text(TEXT, "t.yaml")
    assert doc.line_of(("sides", 1, "posture", "systems", 0, "yield_kt")) == 10
    assert doc.line_of(("nowhere",)) == 2  # the root mapping starts on line 2


def test_a_key_written_twice_is_an_error_at_the_second_one():
    with pytest.raises(ScenarioError) as info:
        parse_yaml_text("a: 1\nb:\n  c: 1\n  c: 2\n", "t.yaml")
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == ("b.c", 4)
    assert "more than once (first on line 3)" in problem.message


def test_aliases_are_refused_at_their_line():
    with pytest.raises(ScenarioError) as info:
        parse_yaml_text("a: &x {k: 1}\nb: *x\n", "t.yaml")
    (problem,) = info.value.problems
    assert problem.line == 2
    assert "alias (*x)" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: [1, 2\nb: 3\n", 2, "YAML syntax error at column 2"),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed"),
        ("a: !!python/object:os.system x\n", 1, "is not allowed"),
        ("a: 1\n---\nb: 2\n", 2, "expected a single document"),
    ],
)
def test_yaml_errors_name_the_line(text, line, words):
    with pytest.raises(ScenarioError) as info:
        parse_yaml_text(text, "t.yaml")
    (problem,) = info.value.problems
    assert problem.line == line
    assert words in problem.message


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_yaml_file(tmp_path / "absent.yaml")


def test_directory(tmp_path):
    with pytest.raises(ScenarioError, match="is a directory"):
        load_yaml_file(tmp_path)


def test_binary_file_names_the_line_of_the_first_nul(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_bytes(b"a: 1\nb: 2\n\x00")
    with pytest.raises(ScenarioError, match="binary") as info:
        load_yaml_file(path)
    assert info.value.problems[0].line == 3


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "l1.yaml"
    path.write_bytes("a: 1\nlabel: café\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8") as info:
        load_yaml_file(path)
    assert info.value.problems[0].line == 2


def test_utf8_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: café\n".encode())
    assert load_yaml_file(path).data == {"name": "café"}
