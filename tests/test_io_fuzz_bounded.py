"""Fuzzing every YAML reader (scenarios, treaty files) with hostile files, bounded per read.

Files are generated (a fixed seed, so a failure reproduces): valid scenario and
treaty files cut and spliced with hostile fragments, alias and merge bombs,
deep and wide nesting, huge scalars, broken encodings. A child process bounded
to 1 GiB of address space reads each of them with each reader, under a 10 s
alarm per read. Every read must end in a value or a located ScenarioError:
no other exception, no MemoryError, no timeout.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = (ROOT / "tests" / "scenarios" / "valid" / "toy-dyad.yaml").read_text(encoding="utf-8")
TREATY = (ROOT / "src" / "detente" / "data" / "treaties" / "new-start.yaml").read_text(
    encoding="utf-8"
)
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


def _mutants(base: str, rng: random.Random, n: int) -> list[bytes]:
    out = []
    lines = base.splitlines(keepends=True)
    for _ in range(n):
        text = list(lines)
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(text) + 1)
            action = rng.random()
            if action < 0.5:
                text.insert(i, rng.choice(FRAGMENTS) + rng.choice(["", "\n"]))
            elif action < 0.7 and text:
                del text[min(i, len(text) - 1)]
            elif text:
                j = min(i, len(text) - 1)
                k = rng.randrange(len(text[j]) + 1)
                text[j] = text[j][:k] + rng.choice(FRAGMENTS) + text[j][k:]
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

class Late(Exception):
    pass

def late(signum, frame):
    raise Late()

signal.signal(signal.SIGALRM, late)
for path in sys.argv[1:]:
    for name, read in (("scenario", load_scenario), ("treaty", load_treaty_file)):
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
    proc = subprocess.run(
        [sys.executable, "-c", WORKER.format(memory=MEMORY, per_read=PER_READ_S), *paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(results) == 2 * len(paths)
    failures = [r for r in results if r[2] not in ("value", "error")]
    assert failures == []
    slowest = max(r[3] for r in results)
    assert slowest < PER_READ_S
    # the generator reaches both outcomes for both readers
    for reader in ("scenario", "treaty"):
        assert {r[2] for r in results if r[1] == reader} == {"value", "error"}
