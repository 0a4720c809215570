"""Interactive plotly figures built from the tidy frames of :mod:`detente.viz.frames`.

Every function takes frames and returns a :class:`plotly.graph_objects.Figure`;
none of them runs the engine. plotly is imported lazily so that the rest of
the package works without the ``viz`` extra.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from detente.viz.frames import (
    COUNT_COLUMNS,
    FORCE_TITLE,
    OUTCOME_LABELS,
    ROLE_LABELS,
    STOCK_LABELS,
    flow_axis_label,
)
from detente.viz.style import (
    FONT,
    OKABE_ITO,
    OUTCOME_COLOURS,
    PERSPECTIVE_COLOURS,
    STOCK_COLOURS,
    VALUE_SCALE,
    VERDICT_COLOURS,
)

_LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0}
_LEGEND_BOTTOM = {"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0.0}
_LEGEND_RIGHT = {
    "orientation": "v",
    "yanchor": "top",
    "y": 1.0,
    "x": 1.02,
    "traceorder": "reversed",
}


def _layout(fig: Any, title: str, height: int, legend: dict[str, Any] | None = None) -> Any:
    bottom = legend is _LEGEND_BOTTOM
    fig.update_layout(
        # From the figure's left edge, not the plot area's: on a narrow page only the
        # end of a long title can be cut.
        title={
            "text": title,
            "x": 0.01,
            "xref": "container",
            "xanchor": "left",
            "font": {"size": 17},
        },
        template="plotly_white",
        font={"family": FONT, "size": 13, "color": "#222"},
        height=height,
        margin={"l": 10, "r": 20, "t": 80, "b": 110 if bottom else 40},
        legend=legend or _LEGEND_TOP,
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def force_figure(by_category: pd.DataFrame, actors: Sequence[str]) -> Any:
    """Nuclear warheads per force category, one panel per side.

    Each bar stacks the deployed and stored warheads of a category; the
    posture's unassigned reserve is a bar of its own, so that a side's bars
    add up to its stockpile (``posture.warheads_total``). Conventional
    systems are left out: pass the nuclear rows only.

    Parameters
    ----------
    by_category
        Output of :func:`detente.viz.frames.force_by_category` (nuclear rows).
    actors
        Sides to draw, in panel order.

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal stacked bars sharing the category axis and the warhead scale.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=len(actors),
        shared_yaxes=True,
        shared_xaxes=True,
        subplot_titles=[a.upper() for a in actors],
        horizontal_spacing=0.04,
    )
    stocks = {
        k: v
        for k, v in STOCK_LABELS.items()
        if k != "warheads_reserve" or float(by_category[k].sum()) > 0
    }
    held = by_category[list(STOCK_LABELS)].sum(axis=1)
    categories = list(dict.fromkeys(by_category.loc[held > 0, "category_label"]))
    for col, actor in enumerate(actors, start=1):
        side = by_category[by_category["actor"] == actor].set_index("category_label")[
            list(COUNT_COLUMNS)
        ]
        side = side.reindex(categories).fillna(0.0)
        for stock, label in stocks.items():
            fig.add_trace(
                go.Bar(
                    x=side[stock],
                    y=categories,
                    orientation="h",
                    name=label,
                    legendgroup=stock,
                    showlegend=col == 1,
                    marker={"color": STOCK_COLOURS[stock]},
                    customdata=side[["launchers_deployed"]].to_numpy(),
                    hovertemplate=f"{actor.upper()} %{{y}}<br>{label}: %{{x:,.0f}} warheads"
                    + (
                        ""
                        if stock == "warheads_reserve"
                        else "<br>Deployed launchers: %{customdata[0]:,.0f}"
                    )
                    + "<extra></extra>",
                ),
                row=1,
                col=col,
            )
        fig.update_xaxes(title_text="nuclear warheads", row=1, col=col)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    height = 220 + 40 * max(len(categories), 2)
    return _layout(fig, FORCE_TITLE, height, _LEGEND_BOTTOM)


def flow_figure(totals: pd.DataFrame, launches: pd.DataFrame, *, conventional: bool = True) -> Any:
    """Where each side's warheads go when one side strikes first, for both directions.

    Parameters
    ----------
    totals
        Output of :func:`detente.viz.frames.flow_totals`.
    launches
        Output of :func:`detente.viz.frames.warning_launches`.
    conventional
        Whether the flows include conventional missiles
        (:func:`detente.viz.frames.has_conventional`); the axis and hover text
        then say "warheads and conventional missiles".

    Returns
    -------
    plotly.graph_objects.Figure
        Stacked bars, two per exchange (first striker, then victim), by outcome.
    """
    import plotly.graph_objects as go

    low = {
        (str(e), str(a)): float(w)
        for e, a, w in zip(
            launches["exchange"], launches["actor"], launches["warheads"], strict=True
        )
    }
    bars = list(
        dict.fromkeys(zip(totals["exchange"], totals["role"], totals["actor"], strict=True))
    )
    names = {}
    for exchange, role, actor in bars:
        name = f"{actor.upper()} {ROLE_LABELS[role]}"
        if role == "defender" and low.get((exchange, actor), 0.0) >= 0.5:
            name += f"<br>({low[(exchange, actor)]:,.0f} on warning)"
        names[(exchange, role, actor)] = name
    unit = "warheads and missiles" if conventional else "warheads"
    fig = go.Figure()
    # An empty first trace fixes the bar order: each first strike, then its answer.
    first = {k[0]: i for i, k in reversed(list(enumerate(bars)))}
    order = sorted(bars, key=lambda k: (first[k[0]], k[1] != "attacker"))
    fig.add_trace(
        go.Bar(
            x=[[k[0] for k in order], [names[k] for k in order]],
            y=[0.0] * len(order),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    for outcome, label in OUTCOME_LABELS.items():
        part = totals[totals["outcome"] == outcome]
        if part.empty or float(part["warheads"].sum()) == 0.0:
            continue
        keys = list(zip(part["exchange"], part["role"], part["actor"], strict=True))
        fig.add_trace(
            go.Bar(
                x=[part["exchange"].tolist(), [names[k] for k in keys]],
                y=part["warheads"],
                name=label,
                marker={"color": OUTCOME_COLOURS[outcome], "line": {"width": 0}},
                hovertemplate=f"{label}: %{{y:,.0f}} {unit}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(tickangle=0)
    fig.update_yaxes(title_text=flow_axis_label(conventional))
    title = "Exchange flows: where the weapons go when each side strikes first"
    return _layout(fig, title, 540, _LEGEND_RIGHT)


def headline_figure(headline: pd.DataFrame, actors: Sequence[str], subtitle: str) -> Any:
    """Headline value of each definition, coloured by its verdict word, with each side's part.

    Parameters
    ----------
    headline
        Output of :func:`detente.viz.frames.headline_frame`.
    actors
        Sides whose components are drawn as markers.
    subtitle
        Which reading and alert case the values are for.

    Returns
    -------
    plotly.graph_objects.Figure
        Horizontal bars on [0, 1]; grey where a definition has no verdict bands
        (each definition's bands and their basis are in ``docs/methodology.md``).
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=headline["value"],
            y=headline["label"],
            orientation="h",
            name="combined",
            marker={"color": [VERDICT_COLOURS[v] for v in headline["verdict"]]},
            text=[
                f"{v:.3f} {w}".strip()
                for v, w in zip(headline["value"], headline["verdict"], strict=True)
            ],
            textposition="inside",
            insidetextanchor="start",
            textfont={"color": "white"},
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    )
    symbols = ("diamond", "circle", "square")
    for i, actor in enumerate(actors):
        fig.add_trace(
            go.Scatter(
                x=headline[actor],
                y=headline["label"],
                mode="markers",
                name=f"{actor.upper()} part",
                marker={
                    "symbol": symbols[i % 3],
                    "size": 11,
                    "color": "white",
                    "line": {"color": OKABE_ITO["black"], "width": 1.5},
                },
                hovertemplate=f"{actor.upper()}: %{{x:.3f}}<extra></extra>",
            )
        )
    fig.update_xaxes(
        range=[0, 1.03], title_text="value (1 = most stable)", tickvals=[0, 0.25, 0.5, 0.75, 1]
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(bargap=0.3)
    title = f"Headline: the definitions side by side ({subtitle})"
    return _layout(fig, title, 430, _LEGEND_BOTTOM)


def definitions_heatmap(definitions: pd.DataFrame, perspectives: Sequence[tuple[str, str]]) -> Any:
    """Every definition under every reading and alert case, as one heatmap per reading.

    Parameters
    ----------
    definitions
        Output of :func:`detente.viz.frames.definition_frame`.
    perspectives
        ``(id, label)`` of the readings, in panel order.

    Returns
    -------
    plotly.graph_objects.Figure
        Stacked heatmaps on a shared [0, 1] red-blue scale with values written in.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    labels = list(dict.fromkeys(definitions["label"]))
    cases = list(dict.fromkeys(definitions["case_label"]))
    ticks = [c.replace(" · ", "<br>") for c in cases]
    fig = make_subplots(
        rows=len(perspectives),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[label for _, label in perspectives],
        vertical_spacing=0.08,
    )
    for row, (pid, _) in enumerate(perspectives, start=1):
        table = definitions[definitions["perspective"] == pid].pivot(
            index="label", columns="case_label", values="value"
        )
        table = table.reindex(index=labels, columns=cases)
        fig.add_trace(
            go.Heatmap(
                z=table.to_numpy(),
                x=ticks,
                y=labels,
                zmin=0.0,
                zmax=1.0,
                colorscale=[list(p) for p in VALUE_SCALE],
                showscale=row == 1,
                colorbar={"title": {"text": "value"}, "len": 0.5, "y": 1.0, "yanchor": "top"},
                text=[[f"{v:.2f}" for v in r] for r in table.to_numpy()],
                texttemplate="%{text}",
                textfont={"size": 13},
                xgap=2,
                ygap=2,
                hovertemplate="%{y}<br>%{x}<br>value %{z:.3f}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(autorange="reversed", row=row, col=1)
    title = "All definitions under every reading and alert case (1 = most stable)"
    return _layout(fig, title, 140 + 230 * len(perspectives))


def disagreement_figure(
    disagreement: pd.DataFrame,
    labels: tuple[str, str],
    top: int = 10,
    min_difference: float = 0.005,
) -> Any:
    """The cases where two readings part most, as a dumbbell chart.

    Parameters
    ----------
    disagreement
        Output of :func:`detente.viz.frames.disagreement_frame`.
    labels
        Display names of the two readings.
    top
        How many rows to draw (largest split first).
    min_difference
        Rows whose values differ by less than this are left out (they would
        draw as one dot).

    Returns
    -------
    plotly.graph_objects.Figure
        One row per (definition, case): a line between the two readings' values.
    """
    import plotly.graph_objects as go

    rows = disagreement[disagreement["difference"] >= min_difference].head(top)
    names = [f"{lab} · {case}" for lab, case in zip(rows["label"], rows["case_label"], strict=True)]
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[str | None] = []
    for name, va, vb in zip(names, rows["value_a"], rows["value_b"], strict=True):
        xs += [va, vb, None]
        ys += [name, name, None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#999", "width": 3},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    for column, label, colour, symbol in (
        ("value_a", labels[0], PERSPECTIVE_COLOURS[1], "circle"),
        ("value_b", labels[1], PERSPECTIVE_COLOURS[2], "diamond"),
    ):
        fig.add_trace(
            go.Scatter(
                x=rows[column],
                y=names,
                mode="markers",
                name=label,
                marker={"color": colour, "size": 13, "symbol": symbol},
                hovertemplate=f"{label}: %{{x:.3f}}<extra></extra>",
            )
        )
    fig.update_xaxes(range=[-0.02, 1.02], title_text="value (1 = most stable)")
    fig.update_yaxes(autorange="reversed")
    title = f"Where the {labels[0]} and the {labels[1]} part most"
    return _layout(fig, title, 160 + 34 * max(len(names), 3))
