"""Fuzzing every YAML reader with hostile files, bounded per read.

Files are generated (a fixed seed, so a failure reproduces): valid scenario,
treaty, sweep and negotiation files cut and spliced with hostile fragments,
alias and merge bombs, deep and wide nesting, huge scalars, broken encodings,
specs at and over their size limits or naming hostile scenario files. A child
process bounded to 1 GiB of address space reads each of them with each reader,
under a 10 s alarm per read. Every read must end in a value or a located
ScenarioError: no other exception, no MemoryError, no timeout. ``detente
validate``, which reads all four kinds, must agree, bounded the same way.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from detente.io.sweep_yaml import MAX_CHECKED_VALUES
from detente.model.sweep import MAX_LEVER_VALUES, MAX_LEVERS, MAX_SAMPLE_CELLS
from hostile import detente

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = (ROOT / "tests" / "scenarios" / "valid" / "toy-dyad.yaml").read_text(encoding="utf-8")
TREATY = (ROOT / "src" / "detente" / "data" / "treaties" / "new-start.yaml").read_text(
    encoding="utf-8"
)
SWEEP = (ROOT / "examples" / "bmd-alert-treaty-sweep.yaml").read_text(encoding="utf-8")
NEGOTIATION = (ROOT / "examples" / "geneva-2021-negotiation.yaml").read_text(encoding="utf-8")
PER_READ_S = 10
MEMORY = 1 << 30
SEED = 21

FRAGMENTS = [
    *("&a ", "*a", "<<: *a", "<<: {x: 1}", "- *a\n", "&a [*a, *a]"),  # aliases, merges
    *("!!python/object:os.system ", "!!binary aGk=", "!!set {x}", "!foo ", "? [a, b]\n: 1\n"),
    *("4:30", "1:20:00", "yes", "on", "0o777", "0x1F", "017", "1_000", "true", "True", "null"),
    *("1e400", "-.inf", ".nan", "9" * 5000, "~", "", "#"),
    *("'", '"', "{", "}", "[", "]", "- ", ": ", "|\n  ", ">-\n  ", "---\n", "...\n"),
    *("\t", "\x00", "\x1b[2J", "\x85", "\u2028", "\ufeff", '"\\x9b[31m[/]"'),
    *("%YAML 1.1\n", "%TAG !e! tag:e,2000:\n", "id: x\nid: y\n"),
    *("launchers_deployed: 1e400\n", "count: 1000000000\n", "hardness_psi: 1.5\n"),
    "ceiling: " + "9" * 400 + "\n",
]


SPEC_FRAGMENTS = [
    *("scenario: /dev/zero\n", "scenario: fifo.yaml\n", "scenario: f000.yaml\n"),
    *("scenario: bomb.yaml\n", "scenario: geneva_2021\n", "scenario: geneva-2021.yaml\n"),
    "scenario: {name: x, sides: [{posture: us-2021}, {posture: ru-2021}]}\n",
    *("design: latin_hypercube\n", "design: cases\n", "samples: 10000000\n", "samples: 0\n"),
    *("draws: 100000\n", "chunk_size: 0\n", "seed: -1\n", "steps: 10000", "steps: 1"),
    *("range: {low: 0, high: 1e300, steps: 10000}\n", "multiplier: ru.cep\n", "multiplier: x\n"),
    *("values: [1, 2.5, true, x, -1]\n", "path: sides[zz].systems[0]\n", "path: []\n"),
    *("options: {a: {}, b: {treaty: no_treaty}}\n", "cases: [{us_interceptors: 5}]\n"),
    *("keep: {definitions: [nope], sides: [us, us]}\n", "alert_cases: all\n"),
    *("- {kind: deployed_warheads, min: 0, max: 1e300, step: 1e-300}\n", "{kind: nope}"),
    *("min: -1", "max: 2", "step: 0", "population: 500\n", "generations: 100000\n"),
    *("workers: 64\n", "bargain: [us_stability]\n", "search: {algorithm: nsga2}\n"),
    *("parties: [cn]", "side: zz", "reading: nope", "case: all_generated"),
]


def _mutants(
    base: str, rng: random.Random, n: int, fragments: list[str] = FRAGMENTS
) -> list[bytes]:
    out = []
    lines = base.splitlines(keepends=True)
    for _ in range(n):
        text = list(lines)
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(text) + 1)
            action = rng.random()
            if action < 0.5:
                text.insert(i, rng.choice(fragments) + rng.choice(["", "\n"]))
            elif action < 0.7 and text:
                del text[min(i, len(text) - 1)]
            elif text:
                j = min(i, len(text) - 1)
                k = rng.randrange(len(text[j]) + 1)
                text[j] = text[j][:k] + rng.choice(fragments) + text[j][k:]
        data = "".join(text).encode("utf-8", "surrogatepass")
        if rng.random() < 0.1:  # a broken byte
            k = rng.randrange(len(data) + 1)
            data = data[:k] + bytes([rng.choice([0x80, 0xC3, 0xFF, 0x00])]) + data[k:]
        out.append(data)
    return out


def _laughs(levels: int, merge: bool = False) -> bytes:
    rows = ["z0: &b0 [x, x, x, x, x, x, x, x, x, x]\n"]
    for k in range(1, levels):
        if merge:
            rows.append(f"z{k}: &b{k} {{<<: *b{k - 1}, k{k}: 1}}\n")
        else:
            rows.append(f"z{k}: &b{k} [" + ", ".join([f"*b{k - 1}"] * 10) + "]\n")
    return ("id: bomb\nname: bomb\n" + "".join(rows)).encode()


def _generated() -> list[bytes]:
    mib = 1 << 20
    return [
        _laughs(12),
        _laughs(30, merge=True),
        b"a: &a [*a]\n",
        b"[" * 100_000,
        b"- " * 50_000 + b"x\n",
        b"a: [" + b"1, " * 60_000 + b"1]\n",  # more nodes than allowed
        b"a: " + b"x" * (mib - 10) + b"\n",  # one scalar, just under the size limit
        b"a: " + b"x" * mib + b"\n",  # just over
        b"".join(b"k%d: v\n" % i for i in range(20_000)),
        b"k: v\n" * 20_000,  # the same key 20,000 times
        b'a: "' + b"\\x41" * 100_000 + b'"\n',
        (SCENARIO + "\n" * 400_000).encode(),
    ]


WORKER = r"""
import json, resource, signal, sys, time, traceback
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
from detente.errors import ScenarioError
from detente.io import load_scenario, load_treaty_file
from detente.io.negotiation_yaml import load_negotiation_spec
from detente.io.sweep_yaml import load_sweep

READERS = {{
    "scenario": load_scenario,
    "treaty": load_treaty_file,
    "sweep": load_sweep,
    "negotiation": load_negotiation_spec,
}}

class Late(Exception):
    pass

def late(signum, frame):
    raise Late()

signal.signal(signal.SIGALRM, late)
names = sys.argv[1].split(",")
for path in sys.argv[2:]:
    for name in names:
        read = READERS[name]
        start = time.perf_counter()
        signal.alarm({per_read})
        try:
            read(path)
            outcome = "value"
        except ScenarioError as exc:
            bad = [p for p in exc.problems if not p.message or (p.line is not None and p.line < 1)]
            outcome = "error" if exc.problems and not bad else f"unlocated: {{exc}}"
        except Late:
            outcome = "timeout"
        except BaseException:
            outcome = "crash: " + traceback.format_exc(limit=3)[-600:]
        finally:
            signal.alarm(0)
        print(json.dumps([path, name, outcome, time.perf_counter() - start]), flush=True)
"""


def _read_bounded(readers: list[str], paths: list[str]) -> list[list[Any]]:
    """``[path, reader, outcome, seconds]`` of each file read by each reader, in a bounded child."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            WORKER.format(memory=MEMORY, per_read=PER_READ_S),
            ",".join(readers),
            *paths,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_every_reader_survives_hostile_files_within_time_and_memory(tmp_path):
    rng = random.Random(SEED)
    files = [
        *_mutants(SCENARIO, rng, 150),
        *_mutants(TREATY, rng, 150),
        *_generated(),
    ]
    paths = []
    for i, data in enumerate(files):
        path = tmp_path / f"f{i:03d}.yaml"
        path.write_bytes(data)
        paths.append(str(path))
    results = _read_bounded(["scenario", "treaty"], paths)
    assert len(results) == 2 * len(paths)
    failures = [r for r in results if r[2] not in ("value", "error")]
    assert failures == []
    slowest = max(r[3] for r in results)
    assert slowest < PER_READ_S
    # the generator reaches both outcomes for both readers
    for reader in ("scenario", "treaty"):
        assert {r[2] for r in results if r[1] == reader} == {"value", "error"}


def _lever(name: str, body: str) -> str:
    return f"  - name: {name}\n    path: sides[us].defenses[us_gmd].interceptors\n{body}"


def _sweep(design: str, levers: str, tail: str = "", scenario: str = "geneva_2021") -> bytes:
    return f"name: s\nscenario: {scenario}\ndesign: {design}\n{tail}levers:\n{levers}".encode()


def _generated_specs() -> list[tuple[str, bytes, str]]:
    """Sweep and negotiation files at and over their size limits, or naming hostile files:
    (reader, contents, what that reader must give)."""
    cells, checked = MAX_SAMPLE_CELLS, MAX_CHECKED_VALUES
    ranges = [_lever(f"l{i}", "    range: {low: 0, high: 1000}\n") for i in range(MAX_LEVERS)]
    one_value = _lever("a", "    values: [1]\n")
    merge_bomb = _laughs(30, merge=True).decode().replace("\n", "\n  ")
    cases = [f"  - {{a: {i}}}\n" for i in range(MAX_LEVER_VALUES)]
    many_levers = NEGOTIATION.replace(  # twelve levers, the most a spec may have
        "  - {kind: icbm_day_to_day_alert",
        "".join(
            f"  - {{kind: deployed_warheads, id: w{i}, min: 0, max: 1e300}}\n" for i in range(5)
        )
        + "  - {kind: icbm_day_to_day_alert",
    )
    return [
        ("sweep", _sweep("latin_hypercube", ranges[0], f"samples: {cells}\n"), "value"),
        ("sweep", _sweep("latin_hypercube", "".join(ranges), f"samples: {cells}\n"), "error"),
        ("sweep", _sweep("grid", _lever("a", f"    values: {list(range(checked))}\n")), "value"),
        (
            "sweep",
            _sweep("grid", _lever("a", f"    values: {list(range(MAX_LEVER_VALUES))}\n")),
            "error",
        ),
        ("sweep", _sweep("cases", one_value) + ("cases:\n" + "".join(cases)).encode(), "error"),
        (
            "sweep",
            _sweep(
                "grid", "".join(r.replace("}", f", steps: {MAX_LEVER_VALUES}}}") for r in ranges)
            ),
            "error",
        ),
        *(
            ("sweep", _sweep("grid", one_value, scenario=name), "error")
            for name in ("bomb.yaml", "fifo.yaml", "/dev/zero", "self.yaml", "\n  " + merge_bomb)
        ),
        *(
            ("negotiation", NEGOTIATION.replace("geneva-2021.yaml", name).encode(), "error")
            for name in ("bomb.yaml", "fifo.yaml", "self.yaml", "missing.yaml", "/dev/zero")
        ),
        ("negotiation", many_levers.encode(), "value"),
        ("negotiation", many_levers.replace("id: w1", "id: w0").encode(), "error"),  # same id
        ("negotiation", many_levers.replace("id: w0,", "id: w0, parties: [cn],").encode(), "error"),
        *(("sweep", data, "error") for data in (b"", b"- a\n", b"42\n", b"levers: 1\n")),
        *(("negotiation", data, "error") for data in (b"", b"- a\n", b"objectives: []\n")),
    ]


def test_sweep_and_negotiation_readers_survive_hostile_files_within_time_and_memory(tmp_path):
    rng = random.Random(SEED)
    fragments = FRAGMENTS + SPEC_FRAGMENTS
    files = [
        *(("sweep", m) for m in _mutants(SWEEP, rng, 60, fragments)),
        *(("negotiation", m) for m in _mutants(NEGOTIATION, rng, 60, fragments)),
    ]
    generated = _generated_specs()
    scenario = (ROOT / "examples" / "geneva-2021.yaml").read_bytes()
    (tmp_path / "geneva-2021.yaml").write_bytes(scenario)
    (tmp_path / "bomb.yaml").write_bytes(_laughs(12))
    os.mkfifo(tmp_path / "fifo.yaml")
    kinds: dict[str, str] = {}
    for i, (kind, data) in enumerate([*files, *((k, d) for k, d, _ in generated)]):
        path = tmp_path / f"f{i:03d}.yaml"
        path.write_bytes(data.replace(b"self.yaml", path.name.encode()))
        kinds[str(path)] = kind
    results = _read_bounded(["sweep", "negotiation"], list(kinds))
    assert len(results) == 2 * len(kinds)
    failures = [r for r in results if r[2] not in ("value", "error")]
    assert failures == []
    assert max(r[3] for r in results) < PER_READ_S
    own = {r[0]: r[2] for r in results if r[1] == kinds[r[0]]}
    assert [own[p] for p in list(kinds)[len(files) :]] == [want for _, _, want in generated]
    valid = {p for p, outcome in own.items() if outcome == "value"}
    for reader in ("sweep", "negotiation"):
        assert {r[2] for r in results if r[1] == reader == kinds[r[0]]} == {"value", "error"}

    # detente validate tells the kinds apart and agrees with the readers: exit 2, no
    # traceback, every problem at its file (the two sweeps at their limits, seconds each, left out)
    heavy = {
        p
        for p, g in zip(list(kinds)[len(files) :], generated, strict=True)
        if g[::2] == ("sweep", "value")
    }
    checked = [p for p in kinds if p not in heavy]
    run = detente("validate", *checked, timeout=240)
    assert run.code == 2 and "Traceback" not in run.text, run.text[-3000:]
    lines = run.out.splitlines()
    shown = {line.split(" ")[1].rstrip(":"): line[0] for line in lines if line[:2] in ("✓ ", "✗ ")}
    assert shown == {p: "✓" if p in valid else "✗" for p in checked}
    problems = [line for line in lines if line.startswith("  ")]
    assert problems and all(re.match(r"  (/|<)\S*: ", line) for line in problems), problems
