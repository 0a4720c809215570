"""``detente serve``: the web dashboard on this machine."""

from __future__ import annotations

import importlib
import ipaddress
import socket
from pathlib import Path
from typing import Annotated, Any

import typer

from detente.cli.app import app
from detente.cli.console import err_console, styled
from detente.errors import DetenteError


class ServeError(DetenteError):
    """The dashboard cannot be started (missing extra, refused host, busy port, no store)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``127.0.0.1``, ``::1``, ``localhost``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def open_store(path: Path) -> Any:
    """The results store at ``path`` (created if missing) for the dashboard to read."""
    try:
        importlib.import_module("detente.store")
        from detente.web.runs import StoreAccess
    except ImportError:
        raise ServeError(
            f"--store {path}: this install of detente has no results store (the module "
            "detente.store); start the dashboard without --store"
        ) from None
    try:
        return StoreAccess(path)
    except (DetenteError, OSError) as exc:
        raise ServeError(f"--store {path}: cannot open the results store ({exc})") from None


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or a clear error (busy port, unknown host)."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ServeError(
            f"--host {host}: not an address of this machine ({exc.strerror})"
        ) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


@app.command("serve")
def serve_command(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Results store whose sweep runs the dashboard shows (created if missing).",
        ),
    ] = None,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote",
            help="Allow a --host other machines can reach. The dashboard has no login: anyone "
            "who reaches the port can run computations on this machine.",
        ),
    ] = False,
) -> None:
    """Serve the web dashboard: explore scenarios in the browser."""
    try:
        import uvicorn

        from detente.web.app import LOOPBACK_HOSTS, Settings, create_app
    except ImportError as exc:
        raise ServeError(
            f"detente serve needs the web extra ({exc.name} is missing): pip install 'detente[web]'"
        ) from None
    local = is_loopback(host)
    if not local and not allow_remote:
        raise ServeError(
            f"--host {host} can be reached from other machines, and the dashboard has no login; "
            "pass --allow-remote as well to serve on it anyway, or leave --host out to serve on "
            "127.0.0.1"
        )
    opened = open_store(store) if store is not None else None
    sock = _listen(host, port)
    if not local:
        err_console.print(
            styled(
                ("warning: ", "bold yellow"),
                f"serving on {host}:{port}, reachable from other machines; anyone who reaches "
                "it can run computations here (there is no login).",
            )
        )
    application = create_app(
        store=opened,
        allowed_hosts=LOOPBACK_HOSTS if local else None,
        settings=Settings(processes=True),
    )
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    err_console.print(styled("detente dashboard at ", (f"http://{shown}:{port}/", "bold")))
    err_console.print(styled(("press Ctrl+C to stop", "dim")))
    config = uvicorn.Config(application, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
