"""Shipped YAML (built-in data, examples) reads the same in the strict dialect of user files."""

from pathlib import Path

import pytest
import yaml

from detente.io.yaml_source import load_yaml_file

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(
    [
        *(ROOT / "src" / "detente" / "data").rglob("*.yaml"),
        *(ROOT / "examples").glob("*.yaml"),
    ]
)


def _iso(data):
    if isinstance(data, dict):
        return {k: _iso(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_iso(v) for v in data]
    return data.isoformat() if hasattr(data, "isoformat") else data


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_files_read_the_same_in_the_strict_dialect(path):
    """Built-in data is read by the package's own YAML 1.1 loader; a user who copies it
    into a scenario must get the same values (dates become ISO text, which the model reads)."""
    as_shipped = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert load_yaml_file(path).data == _iso(as_shipped)
