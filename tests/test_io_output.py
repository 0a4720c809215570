"""The one output writer: what it refuses to replace, atomicity, and no temporary left behind."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys

import pytest

from detente.io import output
from detente.io.output import (
    OutputError,
    OutputPlan,
    check_file,
    check_folder,
    remove_stale_temporaries,
    write_file,
    write_files,
)


def _text(data: str):
    return lambda fh: fh.write(data.encode())


def test_writes_a_new_file_with_plain_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        path = write_file(tmp_path / "a" / "b.txt", _text("hello"))
    finally:
        os.umask(old)
    assert path.read_text() == "hello"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["b.txt"]


def test_replaces_a_regular_file(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("old")
    write_file(target, _text("new"))
    assert target.read_text() == "new"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "it is a folder"),
        (lambda p: os.mkfifo(p), r"named pipe \(FIFO\)"),
        (lambda p: p.symlink_to(p.parent / "elsewhere.html"), "symbolic link"),
        (lambda p: (p.write_text("keep"), p.chmod(0o444)), "read-only"),
    ],
    ids=["folder", "fifo", "symlink", "read-only"],
)
def test_refuses_to_replace_anything_but_a_writable_regular_file(tmp_path, make, words):
    (tmp_path / "elsewhere.html").write_text("target of the link")
    target = tmp_path / "r.html"
    make(target)
    before = target.lstat()
    with pytest.raises(OutputError, match=words):
        write_file(target, _text("new"))
    after = target.lstat()
    assert (after.st_ino, after.st_mode, after.st_mtime_ns) == (
        before.st_ino,
        before.st_mode,
        before.st_mtime_ns,
    )
    assert (tmp_path / "elsewhere.html").read_text() == "target of the link"
    assert not [p for p in tmp_path.iterdir() if ".detente-" in p.name]


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/stdout"])
def test_refuses_devices_and_links_to_them(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    with pytest.raises(OutputError, match=r"device|symbolic link"):
        check_file(device)


@pytest.mark.parametrize("path", ["newdir/", "a/b/", ""])
def test_a_path_naming_a_folder_is_refused(tmp_path, path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="names a folder"):
        write_file(path, _text("x"))
    assert list(tmp_path.iterdir()) == []


def test_a_parent_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="is not a folder"):
        check_file(tmp_path / "f" / "r.html")


def test_an_input_is_never_overwritten_by_path_link_or_hard_link(tmp_path, monkeypatch):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\n")
    hard = tmp_path / "hard.yaml"
    os.link(scenario, hard)
    monkeypatch.chdir(tmp_path)
    for written, given in [
        ("s.yaml", scenario),
        (str(scenario), "s.yaml"),
        ("./sub/../s.yaml", "s.yaml"),
        ("hard.yaml", "s.yaml"),
    ]:
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputError, match="input file"):
            write_file(written, _text("<html>"), inputs=[given])
    assert scenario.read_text() == "name: s\n"


def test_folder_check(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="it is a file; expected a folder"):
        check_folder(tmp_path / "file", ["a.png"])
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.png").mkdir()
    with pytest.raises(OutputError, match="it is a folder"):
        check_folder(tmp_path / "d", ["a.png"])


@pytest.mark.parametrize(
    ("html", "plots", "words"),
    [
        ("d/forces.png", "d", "would write the same file"),
        ("x", "x", "writes it as a file"),
        ("x", "x/sub", "writes it as a file"),
        ("d/./forces.png", "d/../d", "would write the same file"),
    ],
)
def test_a_plan_refuses_outputs_that_collide(tmp_path, monkeypatch, html, plots, words):
    monkeypatch.chdir(tmp_path)
    plan = OutputPlan()
    plan.file(html, "--html", "the report")
    with pytest.raises(OutputError, match=words):
        plan.folder(plots, ["forces.png", "flows.png"], "--plots", "plots")
    assert list(tmp_path.iterdir()) == []


def test_a_plan_with_distinct_outputs_passes(tmp_path):
    plan = OutputPlan(inputs=(tmp_path / "s.yaml",))
    plan.file(tmp_path / "d" / "report.html", "--html", "the report")
    plan.folder(tmp_path / "d", ["forces.png"], "--plots", "plots")


def test_several_files_are_replaced_only_when_all_are_written(tmp_path):
    (tmp_path / "a.png").write_text("old a")

    def broken(fh):
        raise RuntimeError("drawing failed")

    with pytest.raises(RuntimeError):
        write_files({tmp_path / "a.png": _text("new a"), tmp_path / "b.png": broken})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]
    assert (tmp_path / "a.png").read_text() == "old a"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EIO])
def test_a_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch, code):
    target = tmp_path / "r.html"
    target.write_text("previous")

    def full(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.os, "fsync", full)
    with pytest.raises(OutputError, match=os.strerror(code)):
        write_file(target, _text("new"), what="the report")
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_an_interrupt_leaves_nothing(tmp_path):
    def interrupted(fh):
        fh.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "r.html", interrupted)
    assert list(tmp_path.iterdir()) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temporaries_of_killed_writers_are_removed_by_the_next_write(tmp_path):
    stale = tmp_path / f".r.html.detente-{_dead_pid()}-abc123.tmp"
    stale.write_text("left by kill -9")
    live = tmp_path / f".r.html.detente-{os.getppid()}-abc123.tmp"  # a process that runs
    live.write_text("being written")
    mine = tmp_path / ".notes.tmp"
    mine.write_text("not ours")
    write_file(tmp_path / "other.html", _text("x"))
    assert not stale.exists()
    assert live.exists() and mine.exists()
    assert remove_stale_temporaries(tmp_path) == []


def test_a_writer_that_opens_the_file_itself_gets_the_same_rules(tmp_path):
    # As a database's COPY ... TO does: it is given a temporary path, never the target.
    seen = []

    def by_path(tmp):
        seen.append(tmp)
        tmp.write_text("exported")

    old = os.umask(0o027)
    try:
        path = output.write_file_at(tmp_path / "out" / "run.csv", by_path)
    finally:
        os.umask(old)
    assert path.read_text() == "exported" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert seen[0].parent == path.parent and ".detente-" in seen[0].name
    assert sorted(p.name for p in path.parent.iterdir()) == ["run.csv"]

    def broken(tmp):
        tmp.write_text("half")
        raise RuntimeError("copy failed")

    with pytest.raises(RuntimeError):
        output.write_file_at(path, broken)
    assert path.read_text() == "exported"
    assert sorted(p.name for p in path.parent.iterdir()) == ["run.csv"]
    (tmp_path / "link.csv").symlink_to(path)
    with pytest.raises(OutputError, match="symbolic link"):
        output.write_file_at(tmp_path / "link.csv", by_path)
    assert len(seen) == 1
