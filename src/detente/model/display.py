"""Short text and HTML views of domain objects, for notebooks and the interpreter.

Scenarios, postures and results hold a lot (a scenario's full repr runs to about
100 KB); their ``repr`` is one line and their ``_repr_html_`` a small card. Every
piece of text is escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

CARD = (
    '<div style="font:13px/1.4 system-ui,sans-serif;max-width:46em">'
    '<div style="font-weight:600">{title}</div>{body}</div>'
)
CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:{align}"


def text_cut(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to ``width`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def html_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A small escaped HTML table; numbers are right-aligned."""

    def cell(value: object, tag: str) -> str:
        align = "right" if isinstance(value, int | float) else "left"
        text = f"{value:,.3f}" if isinstance(value, float) else str(value)
        return f'<{tag} style="{CELL.format(align=align)}">{html.escape(text)}</{tag}>'

    head = "".join(cell(h, "th") for h in headers)
    body = "".join("<tr>" + "".join(cell(v, "td") for v in row) + "</tr>" for row in rows)
    return f'<table style="border-collapse:collapse">{head and f"<tr>{head}</tr>"}{body}</table>'


def card(title: str, *parts: str, lines: Iterable[str] = ()) -> str:
    """A titled card: escaped ``lines`` as paragraphs, then ready-made ``parts`` (tables)."""
    text = "".join(f'<div style="color:#555">{html.escape(line)}</div>' for line in lines if line)
    return CARD.format(title=html.escape(title), body=text + "".join(parts))
