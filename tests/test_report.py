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
from detente.io import load_scenario
from detente.report.html import ReportError, build_report, write_report
from detente.stability import DEFINITIONS, LABELS, pair_definition
from detente.stability.verdicts import READINGS, verdict

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GENEVA = EXAMPLES / "geneva-2021.yaml"
TRIANGLE_2030 = EXAMPLES / "triangle-2030.yaml"
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


# --------------------------------------------------------------------------------------------
# Three parties: the section a scenario of three sides adds


@pytest.fixture(scope="module")
def triangle_2030() -> Assessment:
    return assess(load_scenario(TRIANGLE_2030))


@pytest.fixture(scope="module")
def parties(triangle_2030: Assessment) -> tuple[str, str]:
    """The whole page (plotly.js by reference) and its parties section."""
    text = build_report(triangle_2030, plotly_src="plotly.js")
    start = text.index('<section id="parties">')
    return text, text[start : text.index("</section>", start)]


def _tables(section: str) -> list[list[list[str]]]:
    """Each table's body rows, each row's cells as plain text."""
    out = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", section, flags=re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        out.append(
            [
                [
                    html.unescape(re.sub(r"<[^>]+>", "", c))
                    for c in re.findall(r"<td[^>]*>(.*?)</td>", r)
                ]
                for r in rows
            ]
        )
    return out


def test_a_two_sided_report_has_no_parties_section(page):
    assert 'id="parties"' not in page and 'href="#parties"' not in page


def test_three_party_report_lists_the_parties_section_after_the_perspectives(parties):
    text, section = parties
    anchors = re.findall(r'href="#([a-z]+)"', text)
    assert anchors.index("parties") == anchors.index("perspectives") + 1
    assert "<h2>Three parties: pairs, alignments and the aftermath</h2>" in section
    assert "destroy 50% of that party&#x27;s value (threshold rule)" in section
    assert re.findall(r'id="(fig-[a-z]+)"', section) == ["fig-pairs", "fig-alignments"]
    assert len(_tables(section)) == 3


def test_parties_section_shows_each_pair_alone_and_with_the_third(parties, triangle_2030):
    a = triangle_2030
    rows = _tables(parties[1])[0]
    expected = []
    for pair in (("us", "ru"), ("us", "cn"), ("ru", "cn")):
        on_its_own = assess(
            a.scenario.model_copy(
                update={"sides": tuple(s for s in a.scenario.sides if s.actor in pair)}
            )
        )
        for name in DEFINITIONS:
            alone = on_its_own.value(name).value
            there = a.value(pair_definition(name, pair)).value
            expected.append(
                [
                    f"{pair[0].upper()}-{pair[1].upper()}",
                    LABELS[name],
                    f"{alone:.3f}",
                    f"{there:.3f}",
                    f"{there - alone:.3f}",
                ]
            )
    assert rows == expected
    # the 2030 row docs/three-parties.md reads: China standing by raises US-RU first-strike
    # stability from 0.844 to 0.873
    assert rows[0] == ["US-RU", LABELS["first_strike"], "0.844", "0.873", "0.029"]


def test_parties_section_ranks_the_six_alignments_weakest_first(parties, triangle_2030):
    rows = _tables(parties[1])[1]
    value = triangle_2030.value("first_strike_alignments")
    indices = {k[: -len(".index")]: v for k, v in value.details.items() if k.endswith(".index")}
    assert len(indices) == 6
    ranked = sorted(indices.items(), key=lambda kv: kv[1])
    assert rows == [
        [k.upper().replace("|", " vs "), f"{v:.3f}", verdict("first_strike_alignments", v)]
        for k, v in ranked
    ]
    # the three-party index is the weakest link
    assert value.value == ranked[0][1]
    assert rows[0][:2] == ["RU vs US+CN", "0.838"]


def test_parties_section_gives_the_aftermath_of_every_exchange(parties, triangle_2030):
    rows = _tables(parties[1])[2]
    tri = triangle_2030.triangle
    assert tri is not None and len(tri.aftermath) == 12
    assert [r[0] for r in rows] == [m.label for m in tri.aftermath]
    # China standing by is untouched and keeps what it holds day to day: 6 DF-5A + 42 DF-5B
    # x 5 + 320 silo missiles x 1 = 536 mated warheads (cn-2030)
    assert (rows[0][0], rows[0][3]) == ("us strikes ru (cn stands by)", "0% / 536")
    assert {"us+ru strike cn", "cn strikes us+ru"} <= {r[0] for r in rows}
    for row, m in zip(rows, tri.aftermath, strict=True):
        assert row[1:4] == [
            f"{m.damage.get(p, 0.0):.0%} / {m.left.get(p, 0.0):,.0f}" for p in ("us", "ru", "cn")
        ]
        shown = [
            f"{x.upper()} over {y.upper()} {v:.0%}" for (x, y), v in m.threat.items() if v >= 0.005
        ]
        assert row[4] == ("; ".join(shown) or "none")
