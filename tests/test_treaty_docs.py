"""docs/treaties.md is generated from the code and must match the generator."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_treaties_doc_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_treaty_doc", DOCS / "gen_treaty_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (DOCS / "treaties.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run: python docs/gen_treaty_doc.py"
