"""The Typer application object; command modules register on it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="detente",
    help="Strategic stability made computable: postures, treaties, exchanges, stability.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
