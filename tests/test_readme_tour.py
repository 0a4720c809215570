"""The README's tour, run as a reader would run it in a fresh clone.

The files of the repository (as a clone would have them) are copied to a new
folder with ``.venv`` pointing at the running environment; then every command of
the tour runs there in order and must exit 0 without a traceback, the scenario
shown in YAML must validate, and every line of the Python example must run
(expressions are shown as a notebook would show them). Whatever the tour writes
must be ignored by git, so that a reader's ``git status`` stays clean. The
method names the README gives for allocation must be the package's.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detente.engine.allocation import METHODS
from detente.model.scenario import ExchangeSettings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.prefix) / "bin"


def _section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def _commands(tour: str) -> list[str]:
    out = []
    for block in _blocks(tour, "sh"):
        for line in block.splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command:
                out.append(command)
    return out


def _fresh_clone(target: Path) -> set[Path]:
    """Copy the files a clone would have (tracked, or new and not ignored); return them."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = {Path(name) for name in listed.split("\0") if name and (ROOT / name).is_file()}
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    (target / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return files


DRIVER = """\
import ast, sys
source = open(sys.argv[1], encoding="utf-8").read()
namespace = {}
for node in ast.parse(source).body:
    if isinstance(node, ast.Expr):
        value = eval(compile(ast.Expression(node.value), "<readme>", "eval"), namespace)
        shown = repr(value)
        print(shown if len(shown) < 2000 else shown[:2000] + "...")
    else:
        exec(compile(ast.Module([node], []), "<readme>", "exec"), namespace)
"""


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Path]]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout to know what a clone holds")
    if not (BIN / "detente").exists():
        pytest.skip(f"run from the project's environment (no {BIN / 'detente'})")
    target = tmp_path_factory.mktemp("clone")
    return target, _fresh_clone(target)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "PYTHONPATH")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_every_command_of_the_tour_runs_and_leaves_git_clean(clone):
    repo, files = clone
    tour = _section(README.read_text(encoding="utf-8"), "A short tour")
    commands = _commands(tour)
    assert len(commands) >= 10
    for command in commands:
        assert command.startswith(".venv/bin/detente "), command
        done = _run(["bash", "-c", command], repo)
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command
    scenario = repo / "build" / "readme-scenario.yaml"
    (scenario_text,) = _blocks(tour, "yaml")
    scenario.write_text(scenario_text, encoding="utf-8")
    done = _run([str(BIN / "detente"), "validate", str(scenario)], repo)
    assert done.returncode == 0, done.stdout + done.stderr
    written = {
        p.relative_to(repo)
        for p in repo.rglob("*")
        if p.is_file() and ".git" not in p.parts and p.parts[len(repo.parts)] != ".venv"
    } - files
    assert written, "the tour writes files"
    check = subprocess.run(
        ["git", "check-ignore", "--stdin"],
        cwd=repo,
        input="\n".join(str(p) for p in sorted(written)),
        capture_output=True,
        text=True,
    )
    assert check.returncode in (0, 1), check.stderr
    assert set(check.stdout.split()) == {str(p) for p in written}, "not ignored: " + ", ".join(
        sorted(str(p) for p in written if str(p) not in check.stdout.split())
    )


def test_every_line_of_the_python_example_runs(clone):
    repo, _ = clone
    tour = _section(README.read_text(encoding="utf-8"), "A short tour")
    (code,) = _blocks(tour, "python")
    lines = [line for line in code.splitlines() if line.strip() and not line.startswith("#")]
    assert len(ast.parse(code).body) == len(lines)  # one statement a line: each one runs
    script = repo / "readme_example.py"
    script.write_text(code, encoding="utf-8")
    driver = repo / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    done = _run([str(BIN / "python"), str(driver), str(script)], repo)
    assert done.returncode == 0, done.stderr
    shown = done.stdout
    assert "<Assessment geneva_2021" in shown
    assert "Traceback" not in done.stderr


def test_the_allocation_methods_the_readme_names_exist():
    readme = README.read_text(encoding="utf-8")
    named = set(re.findall(r'method="(\w+)"', readme)) | set(
        re.findall(r'`"(\w+)"`', _section(readme, "What is computed"))
    )
    assert named and named <= set(METHODS)
    allocators = ExchangeSettings.model_fields["allocator"].annotation
    line = next(x for x in readme.splitlines() if "exchange.allocator" in x)
    for name in re.findall(r"`(\w+)`", line.split("exchange.allocator")[1].split(")")[0]):
        assert name in allocators.__args__, name  # type: ignore[union-attr]
