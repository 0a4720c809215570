"""The HTML report: sections, self-containment, escaping and atomic writing."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from detente.analysis.assess import Assessment, assess
from detente.data import resolve_treaty
from detente.examples import toy_dyad, toy_triad
from detente.report.html import ReportError, build_report, write_report
from detente.stability import LABELS
from detente.stability.verdicts import READINGS

GENEVA = Path(__file__).resolve().parent.parent / "examples" / "geneva-2021.yaml"
SECTIONS = (
    "scenario",
    "headline",
    "forces",
    "exchanges",
    "definitions",
    "perspectives",
    "treaty",
    "assumptions",
    "sources",
)


@pytest.fixture(scope="module")
def treaty_toy() -> Assessment:
    scenario = toy_dyad(
        icbms=100, mirv=3, slbms=50, interceptors=40, actors=("us", "ru")
    ).model_copy(
        update={
            "treaty": resolve_treaty("new_start"),
            "date": "2021-07-28",
            "question": "Is the toy balance stable?",
        }
    )
    return assess(scenario)


@pytest.fixture(scope="module")
def page(treaty_toy: Assessment) -> str:
    return build_report(treaty_toy)


def test_report_has_every_section(page):
    for anchor in SECTIONS:
        assert f'<section id="{anchor}">' in page
        assert f'href="#{anchor}"' in page
    assert "Is the toy balance stable?" in page


def test_report_inlines_plotly_once_and_loads_nothing(page):
    assert len(re.findall(r"plotly\.js v\d+\.\d+\.\d+", page)) == 1
    assert not re.search(r"""<script[^>]+src=""", page)
    assert not re.search(r"""<link[^>]+href=""", page)
    assert not re.search(r"""<img[^>]+src=["']https?:""", page)


def test_report_draws_five_figures(page):
    # Headline, forces, exchanges, all definitions, and the US/Russian split
    # (the toy has a missile defence only the Russian reading counts).
    ids = re.findall(r'Plotly\.newPlot\(\s*"(fig-[a-z]+)"', page)
    assert ids == [
        "fig-headline",
        "fig-forces",
        "fig-exchanges",
        "fig-definitions",
        "fig-disagreement",
    ]


def test_report_treaty_table_shows_hand_counted_new_start_numbers(page):
    # Each toy side: 100 ICBMs + 50 SLBMs = 150 deployed launchers, 300 + 200 = 500
    # deployed warheads, against 700 and 1,550.
    treaty = page[page.index('<section id="treaty">') :]
    treaty = treaty[: treaty.index("</section>")]
    assert "counted under New START (2010)" in treaty
    assert re.search(
        r"Deployed warheads</td><td class=\"num\">500</td>"
        r"<td class=\"num\">1,550</td><td class=\"num\">1,050</td>",
        treaty,
    )
    assert treaty.count(">within<") == 6


def test_report_lists_settings_and_assumed_numbers(page):
    assumptions = page[page.index('<section id="assumptions">') :]
    assert "survivable_share_used" in assumptions and ">0.9<" in assumptions
    assert "unacceptable_damage" in assumptions
    # The toy postures are all assumption-sourced, so their CEP is listed as assumed.
    assert "cep_m" in assumptions


def test_report_sources_name_registry_titles(page):
    sources = page[page.index('<section id="sources">') :]
    assert "Modelling assumption" in sources


def test_report_escapes_scenario_text():
    hostile = '<script>alert("x")</script> & co'
    scenario = toy_dyad(icbms=10).model_copy(update={"label": hostile, "question": hostile})
    text = build_report(assess(scenario))
    assert hostile not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in text


def test_write_report_creates_folders_and_replaces_old_file(treaty_toy, tmp_path):
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    target.write_text("old")
    written = write_report(treaty_toy, target)
    assert written == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_write_report_to_a_folder_is_a_user_error(treaty_toy, tmp_path):
    with pytest.raises(ReportError, match="it is a folder"):
        write_report(treaty_toy, tmp_path)


def test_failed_write_keeps_old_report_and_leaves_no_temporary(treaty_toy, tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("previous report")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ReportError, match="No space left"):
        write_report(treaty_toy, target)
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.skipif(not GENEVA.exists(), reason="examples/geneva-2021.yaml not present")
def test_geneva_report_cites_the_posture_sources(tmp_path):
    from detente.io import load_scenario

    text = write_report(assess(load_scenario(GENEVA)), tmp_path / "r.html").read_text()
    sources = text[text.index('<section id="sources">') :]
    for key in ("fas-us-2021", "fas-ru-2021"):
        assert f"<td>{key}</td>" in sources
    assert "Nuclear Notebook: United States nuclear weapons, 2021" in sources
    assert "not in the sources registry" not in sources


def _section(text: str, anchor: str) -> str:
    part = text[text.index(f'<section id="{anchor}">') :]
    return part[: part.index("</section>")]


def _rows(fragment: str) -> list[list[str]]:
    """Each table row of ``fragment`` as its cells' text (tags dropped)."""
    rows = [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", fragment)
    ]
    return [row for row in rows if row]  # header rows have no <td>


@pytest.mark.parametrize(
    "scenario",
    [toy_dyad(icbms=100, mirv=3.0, slbms=40), toy_triad(icbms=100, slbms=40)],
    ids=["two sides", "three sides"],
)
def test_report_headline_says_what_each_definition_measures(scenario):
    a = assess(scenario)
    rows = {row[0]: row for row in _rows(_section(build_report(a), "headline"))}
    for name in a.definition_names:
        row = rows[html.escape(LABELS[name])]
        assert row[1] == html.escape(READINGS[name].explains), name
        assert row[2] == f"{a.value(name).value:.3f}", name


def test_report_shows_the_raw_first_strike_ratio_where_the_bound_binds():
    # Both forces wholly at sea: each bounded ratio is 1, the raw ratio above it.
    a = assess(toy_dyad(icbms=0, slbms=100, at_sea=1.0))
    text = build_report(a)
    res = a.value("first_strike")
    raw = {side: res.details[f"{side}.ratio_raw"] for side in ("a", "b")}
    assert all(value > 1.0 for value in raw.values())
    rows = _rows(_section(text, "headline"))
    labels = [row[0] for row in rows]
    first = labels.index(LABELS["first_strike"])
    assert rows[first][4:] == ["1.00", "1.00"]
    assert rows[first + 1][0] == "First-strike raw ratio"  # right under it
    assert rows[first + 1][2:] == ["–", "–", f"{raw['a']:.2f}", f"{raw['b']:.2f}"]
    # every reading and alert case: the raw ratios beside each first-strike value
    every = _rows(_section(text, "definitions"))
    first_strike = [row for row in every if row[0] == LABELS["first_strike"]]
    assert len(first_strike) == 3 * 8
    for row in first_strike:
        assert row[5] == f"a {raw['a']:.2f}, b {raw['b']:.2f}", row
    assert all(row[5] == "" for row in every if row[0] != LABELS["first_strike"])


def test_report_raw_ratios_follow_each_case(treaty_toy, page):
    rows = _rows(_section(page, "definitions"))
    names = {p.label or p.id: p.id for p in treaty_toy.perspectives}
    checked = 0
    for row in rows:
        if row[0] != LABELS["first_strike"]:
            continue
        case = next(k for k in treaty_toy.case_keys if _case_label(k) == row[2])
        res = treaty_toy.value("first_strike", names[html.unescape(row[1])], case)
        want = ", ".join(f"{s} {res.details[f'{s}.ratio_raw']:.2f}" for s in ("us", "ru"))
        assert row[5] == want, row
        checked += 1
    assert checked == 3 * 8


def _case_label(key):
    from detente.viz.frames import case_label

    return html.escape(case_label(key))
