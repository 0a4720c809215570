"""``detente serve``: loopback by default, a flag and a warning for anything else, clear errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from detente.cli import app
from detente.cli.base import run
from detente.cli.serve import is_loopback


def _serve(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["detente", "serve", *args])
    code = run(app)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
def test_a_host_others_can_reach_needs_the_flag(monkeypatch, capsys, host):
    code, out = _serve(monkeypatch, capsys, "--host", host, "--port", "8999")
    assert code == 2
    assert "--allow-remote" in out and host in out
    assert "Traceback" not in out


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_bad_port_is_a_usage_error(monkeypatch, capsys, port):
    code, out = _serve(monkeypatch, capsys, "--port", port)
    assert code == 2
    assert "--port" in out


def test_busy_port_is_a_clear_error(monkeypatch, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code, out = _serve(monkeypatch, capsys, "--port", str(port))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in out


def test_store_without_a_store_module_is_a_clear_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "detente.store", None)  # import fails
    code, out = _serve(monkeypatch, capsys, "--store", str(tmp_path / "r.duckdb"))
    assert code == 2
    assert "no results store" in out
    assert not (tmp_path / "r.duckdb").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "detente", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parent,
    )


def _wait_up(proc: subprocess.Popen[str], port: int, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.communicate()}")
        try:
            if _get(f"http://{host}:{port}/api/health")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


def test_serve_answers_on_loopback_and_refuses_other_host_names():
    port = _free_port()
    proc = _start("--port", str(port))
    try:
        _wait_up(proc, port)
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"detente" in page
        assert _get(f"http://127.0.0.1:{port}/api/health", host="attacker.example")[0] == 400
    finally:
        err = _stop(proc)
    assert f"http://127.0.0.1:{port}/" in err
    assert "warning" not in err
    assert "Traceback" not in err


def test_serve_on_a_reachable_host_warns():
    port = _free_port()
    proc = _start("--host", "0.0.0.0", "--allow-remote", "--port", str(port))
    try:
        _wait_up(proc, port)
    finally:
        err = _stop(proc)
    assert "warning: serving on 0.0.0.0" in err
    assert "no login" in err
