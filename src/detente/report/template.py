"""HTML skeleton of the report: inline stylesheet, page frame and small builders.

Every piece of text that reaches the page passes through :func:`html.escape`
here; callers hand in plain strings, never markup, except for the already
built fragments of :func:`section` and :func:`table`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d8dee4; --panel: #f6f8fa;
  --accent: #0072B2; --stable: #0072B2; --fragile: #B07200; --unstable: #D55E00; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
header.page { background: #17324d; color: #fff; padding: 28px 0 22px; }
header.page p { color: #d7e3ef; margin: 6px 0 0; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
h1 { font-size: 28px; margin: 0; font-weight: 650; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 8px; border-top: 2px solid var(--rule); }
h3 { font-size: 16px; margin: 22px 0 6px; }
nav.toc { font-size: 14px; margin: 18px 0 0; display: flex; flex-wrap: wrap; gap: 2px 14px; }
nav.toc a { color: #cfe3f7; text-decoration: none; white-space: nowrap; }
nav.toc a:hover { text-decoration: underline; }
.question { font-size: 17px; font-style: italic; }
.lead { color: var(--muted); margin: 4px 0 12px; max-width: 860px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: 14px; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--rule);
  vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
th.num { text-align: right; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { font-weight: 600; padding: 1px 8px; border-radius: 10px; font-size: 13px;
  white-space: nowrap; }
.verdict.stable { color: #fff; background: var(--stable); }
.verdict.fragile { color: #fff; background: var(--fragile); }
.verdict.unstable { color: #fff; background: var(--unstable); }
.verdict.sufficient { color: #fff; background: var(--stable); }
.verdict.insufficient { color: #fff; background: var(--unstable); }
.yes { color: var(--stable); font-weight: 600; }
.no { color: var(--unstable); font-weight: 600; }
.figure { margin: 8px 0 20px; border: 1px solid var(--rule); border-radius: 6px;
  padding: 6px; overflow-x: auto; }
.muted { color: var(--muted); }
details { margin: 8px 0 16px; }
summary { cursor: pointer; color: var(--accent); }
code { background: var(--panel); padding: 1px 4px; border-radius: 3px; font-size: 13px; }
footer { color: var(--muted); font-size: 13px; margin: 48px 0 32px;
  border-top: 1px solid var(--rule); padding-top: 12px; }
h1, h2, p, summary { overflow-wrap: anywhere; }
@media (max-width: 600px) {
  .wrap { padding: 0 12px; }
  h1 { font-size: 22px; }
  th, td { padding: 4px 6px; }
}
"""


@dataclass(frozen=True)
class Cell:
    """A table cell: plain text, optionally numeric (right aligned) or pre-built markup."""

    text: str
    numeric: bool = False
    markup: bool = False

    def render(self, tag: str = "td") -> str:
        """The cell as HTML."""
        body = self.text if self.markup else html.escape(self.text)
        cls = ' class="num"' if self.numeric else ""
        return f"<{tag}{cls}>{body}</{tag}>"


CellLike = Cell | str | float | int | None


def _cell(value: CellLike) -> Cell:
    if isinstance(value, Cell):
        return value
    if value is None:
        return Cell("–", numeric=True)
    if isinstance(value, bool):
        return Cell("yes" if value else "no")
    if isinstance(value, int):
        return Cell(f"{value:,}", numeric=True)
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
        return Cell(text, numeric=True)
    return Cell(str(value))


def table(
    headers: Sequence[str], rows: Iterable[Sequence[CellLike]], numeric: Sequence[int] = ()
) -> str:
    """An HTML table; ``numeric`` lists header columns to right-align."""
    head = "".join(Cell(h, numeric=i in numeric).render("th") for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(_cell(v).render() for v in row) + "</tr>" for row in rows)
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def fixed(value: float, digits: int = 2) -> Cell:
    """A right-aligned number with a fixed count of decimals."""
    return Cell(f"{value:.{digits}f}", numeric=True)


def verdict_badge(word: str) -> Cell:
    """A coloured verdict label; a dash for a definition without verdict bands."""
    if not word:
        return Cell("–")
    safe = html.escape(word)
    return Cell(f'<span class="verdict {safe}">{safe}</span>', markup=True)


def link(text: str, url: str) -> Cell:
    """A hyperlink cell (plain text when ``url`` is not http(s))."""
    if not url.startswith(("http://", "https://")):
        return Cell(text)
    return Cell(f'<a href="{html.escape(url)}">{html.escape(text)}</a>', markup=True)


def paragraph(text: str, cls: str = "lead") -> str:
    """An escaped paragraph."""
    return f'<p class="{cls}">{html.escape(text)}</p>'


def section(anchor: str, title: str, *parts: str) -> str:
    """A titled section with an anchor for the table of contents."""
    head = f'<section id="{html.escape(anchor)}"><h2>{html.escape(title)}</h2>'
    return head + "".join(parts) + "</section>"


def figure(fragment: str) -> str:
    """Frame a plotly HTML fragment."""
    return f'<div class="figure">{fragment}</div>'


def page(
    title: str,
    subtitle: str,
    toc: Sequence[tuple[str, str]],
    body: str,
    plotly_js: str,
    footer: str,
    *,
    plotly_src: str | None = None,
) -> str:
    """The whole document: head with inline CSS and plotly.js, header, sections, footer.

    With ``plotly_src``, the page loads plotly.js from that relative file instead
    of carrying it (``plotly_js`` is then not used).
    """
    nav = "".join(f'<a href="#{html.escape(a)}">{html.escape(t)}</a>' for a, t in toc)
    if plotly_src is not None:
        loader = f'<script src="{html.escape(plotly_src)}" charset="utf-8"></script>'
    else:
        # A literal "</script>" inside the bundle would end the element early.
        script = plotly_js.replace("</script", "<\\/script")
        loader = f'<script type="text/javascript">{script}</script>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        f"<style>{CSS}</style>"
        '<script>window.PlotlyConfig = {MathJaxConfig: "local"};</script>'
        f"{loader}"
        "</head><body>"
        f'<header class="page"><div class="wrap"><h1>{html.escape(title)}</h1>'
        f'<p>{html.escape(subtitle)}</p><nav class="toc">{nav}</nav></div></header>'
        f'<main class="wrap">{body}</main>'
        f'<footer class="wrap">{html.escape(footer)}</footer>'
        "</body></html>\n"
    )
