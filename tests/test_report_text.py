"""What the report says in words: escaping of user text, treaty standing, provenance."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from detente.analysis.assess import Assessment, assess
from detente.analysis.treaty_view import resolve_treaty
from detente.examples import toy_dyad, toy_posture
from detente.model.base import Citation
from detente.model.perspective import BUILT_IN_PERSPECTIVES
from detente.model.scenario import Scenario, Side
from detente.report import appendix
from detente.report.html import build_report

HOSTILE = "</script><script>alert(1)</script> <b>bold</b> & co"
ESCAPED = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; &amp; co"


def _section(page: str, anchor: str) -> str:
    part = page[page.index(f'<section id="{anchor}">') :]
    return part[: part.index("</section>")]


def _text(page: str) -> str:
    """Visible text of a fragment: tags dropped, entities left as they are."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _scenario(text: str, *, sources: tuple[str, ...] = ()) -> Scenario:
    """The toy dyad with ``text`` in every free-text field a user controls."""
    sides = []
    for actor in ("us", "ru"):
        posture = toy_posture(actor, icbms=100, mirv=3, slbms=50)
        icbm = posture.systems[0].model_copy(
            update={
                "label": text,
                "cite": (
                    Citation(field="cep_m", source="assumption", note=text),
                    Citation(field="launchers_deployed", source="scenario", note=text),
                ),
            }
        )
        posture = posture.model_copy(
            update={
                "label": text,
                "notes": text,
                "systems": (icbm, *posture.systems[1:]),
                "cite": (Citation(field="reserve_unassigned", source="assumption", note=text),),
            }
        )
        sides.append(Side.model_validate(Side(posture=posture).model_dump()))
    return Scenario.model_validate(
        {
            "name": "toy_markup",
            "label": text,
            "question": text,
            "date": "2021-07-28",
            "treaty": "new_start",
            "sources": sources,
            "sides": [s.model_dump() for s in sides],
        }
    )


def _perspectives(text: str) -> tuple:
    return tuple(
        p.model_copy(update={"label": f"{p.label} {text}", "note": text})
        for p in BUILT_IN_PERSPECTIVES
    )


def _with_limit_labels(a: Assessment, text: str) -> Assessment:
    views = tuple(
        dataclasses.replace(
            v, limits=tuple({**lim, "label": f"{lim.get('label', '')} {text}"} for lim in v.limits)
        )
        for v in a.treaty
    )
    return dataclasses.replace(a, treaty=views)


def _report(text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    treaty = resolve_treaty("new_start")
    hostile_treaty = treaty.model_copy(update={"label": f"New START {text}"})
    monkeypatch.setattr(appendix, "resolve_treaty", lambda name: hostile_treaty)
    scenario = _scenario(text, sources=(f"src-{text}",))
    return build_report(
        _with_limit_labels(assess(scenario, perspectives=_perspectives(text)), text)
    )


@pytest.fixture(scope="module")
def hostile_and_plain() -> tuple[str, str]:
    with pytest.MonkeyPatch.context() as mp:
        hostile = _report(HOSTILE, mp)
    with pytest.MonkeyPatch.context() as mp:
        plain = _report("plain words", mp)
    return hostile, plain


def test_markup_in_user_text_never_reaches_the_page_as_markup(hostile_and_plain):
    hostile, plain = hostile_and_plain
    # The report's own script elements (plotly config, bundle, one per figure) only.
    assert hostile.lower().count("<script") == plain.lower().count("<script")
    assert hostile.lower().count("</script") == plain.lower().count("</script")
    assert "<b>bold</b>" not in hostile
    assert "alert(1)</script>" not in hostile


@pytest.mark.parametrize(
    ("anchor", "where"),
    [
        ("scenario", "scenario question and posture labels"),
        ("forces", "system labels"),
        ("perspectives", "reading labels and notes"),
        ("treaty", "treaty and limit labels"),
        ("assumptions", "citation notes"),
        ("sources", "posture labels and scenario source keys"),
    ],
)
def test_user_text_is_shown_escaped_in_every_section(hostile_and_plain, anchor, where):
    hostile, _ = hostile_and_plain
    assert ESCAPED in _section(hostile, anchor), where


def test_title_and_header_are_escaped(hostile_and_plain):
    hostile, _ = hostile_and_plain
    head = hostile[: hostile.index("<main")]
    assert f"<title>{ESCAPED}</title>" in head
    assert f"<h1>{ESCAPED}</h1>" in head


# --- treaty standing --------------------------------------------------------


def _treaty_toy(date: str, treaty: str = "new_start") -> Assessment:
    """US and Russian toy postures (New START's parties) counted under ``treaty``."""
    scenario = Scenario(
        name="toy_treaty",
        date=date,
        treaty=treaty,
        sides=tuple(
            Side(posture=toy_posture(a, icbms=100, mirv=3, slbms=50)) for a in ("us", "ru")
        ),
    )
    return assess(scenario)


def test_in_force_treaty_is_said_to_be_in_force_on_the_date():
    page = build_report(_treaty_toy("2021-07-28"))
    scenario = _text(_section(page, "scenario"))
    assert "counted under New START (2010) — all sides: in force on 2021-07-28." in scenario
    assert "treaty in force" not in page
    treaty = _text(_section(page, "treaty"))
    assert "Treaty: counted under New START (2010)" in treaty
    assert "US complies; RU complies." in treaty


def test_expired_treaty_is_not_said_to_be_in_force():
    # New START expired on 5 February 2026.
    page = build_report(_treaty_toy("2026-03-01"))
    scenario = _text(_section(page, "scenario"))
    assert "all sides: not in force on 2026-03-01" in scenario
    assert " in force on 2026-03-01" not in scenario.replace("not in force on", "")
    treaty = _text(_section(page, "treaty"))
    assert "complies" not in treaty
    assert "US would be within every limit if bound (not in force on 2026-03-01)" in treaty


def test_sides_that_are_not_parties_are_named():
    # The toy actors a and b are not among New START's parties (us, ru).
    a = assess(toy_dyad(icbms=10).model_copy(update={"treaty": "new_start", "date": "2021-07-28"}))
    assert {s.actor: s.phrase() for s in appendix.standings(a)} == {
        "a": "not a party",
        "b": "not a party",
    }


def test_standing_read_from_the_treaty_view():
    a = _treaty_toy("2021-07-28")
    views = (
        dataclasses.replace(a.treaty[0], party=False, in_force=True, on="2021-07-28"),
        dataclasses.replace(a.treaty[1], party=True, in_force=None, on="2021-07-28"),
    )
    page = build_report(dataclasses.replace(a, treaty=views))
    scenario = _text(_section(page, "scenario"))
    assert "— US: not a party; RU: a proposal with no entry-into-force date." in scenario


def test_treaty_design_without_dates(monkeypatch):
    design = resolve_treaty("new_start").model_copy(
        update={"in_force_from": None, "in_force_until": None, "label": "A design"}
    )
    monkeypatch.setattr(appendix, "resolve_treaty", lambda name: design)
    a = _treaty_toy("2021-07-28")
    # What treaty_view gives for a treaty with no dates.
    a = dataclasses.replace(
        a, treaty=tuple(dataclasses.replace(v, in_force=None) for v in a.treaty)
    )
    assert [s.phrase() for s in appendix.standings(a)] == [
        "a proposal with no entry-into-force date"
    ] * 2
    page = build_report(a)
    assert "counted under A design — all sides: a proposal with no entry-into-force date." in _text(
        _section(page, "scenario")
    )
    assert (
        "US would be within every limit if bound (a proposal with no entry-into-force date)"
        in _text(_section(page, "treaty"))
    )


def test_no_treaty_is_said_plainly():
    page = build_report(assess(toy_dyad(icbms=10)))
    assert "no treaty is counted" in _text(_section(page, "scenario"))
    assert "The scenario counts no treaty." in _section(page, "treaty")


# --- provenance ---------------------------------------------------------------


def _override_scenario() -> Scenario:
    base = toy_dyad(icbms=100, mirv=3, slbms=50)
    first = base.sides[0].posture
    icbm = first.systems[0].model_copy(
        update={
            "launchers_deployed": 120,
            "cite": (
                Citation(
                    field="launchers_deployed",
                    source="scenario",
                    note="set by scenario override at line 7",
                ),
            ),
        }
    )
    first = first.model_copy(update={"systems": (icbm, *first.systems[1:])})
    return Scenario(
        name="toy_override",
        sides=(Side(posture=first), base.sides[1]),
        sources=("fas-us-2021", "no-such-key-2030"),
    )


@pytest.fixture(scope="module")
def override_page() -> str:
    return build_report(assess(_override_scenario()))


def test_numbers_set_by_the_scenario_are_listed_per_side(override_page):
    assumptions = _section(override_page, "assumptions")
    assert "<h3>Numbers set by this scenario</h3>" in assumptions
    assert "A: 1 number set by the scenario" in assumptions
    assert "B: 0 numbers set by the scenario" in assumptions
    assert (
        "<td>systems.icbm</td><td>launchers_deployed</td><td>120</td>"
        "<td>set by scenario override at line 7</td>"
    ) in assumptions
    # The assumed numbers are still listed, and the overridden one is not among them.
    assumed = assumptions[assumptions.index("rest on modelling assumptions") :]
    assert "<td>cep_m</td>" in assumed
    a_assumed = assumed[: assumed.index("B: ")]
    assert "<td>launchers_deployed</td>" not in a_assumed.split("systems.slbm")[0]


def test_scenario_sources_are_listed_with_titles_and_unknown_keys_tolerated(override_page):
    sources = _section(override_page, "sources")
    named = sources[sources.index("Named by this scenario") : sources.index("<h3>A: ")]
    assert "<td>fas-us-2021</td>" in named
    assert "Nuclear Notebook: United States nuclear weapons, 2021" in named
    assert "<td>no-such-key-2030</td><td>not in the sources registry</td>" in named
    # The posture that carries the override cites the key "scenario".
    side_a = sources[sources.index("<h3>A: ") : sources.index("<h3>B: ")]
    assert "<td>scenario</td>" in side_a


def test_scenario_without_sources_says_so():
    page = build_report(assess(toy_dyad(icbms=10)))
    assert "The scenario names no sources of its own." in _section(page, "sources")


def test_scenario_date_is_the_fallback_for_the_standing_date():
    a = _treaty_toy("2021-07-28")
    assert all(s.on == dt.date(2021, 7, 28).isoformat() for s in appendix.standings(a))


def test_standing_worked_out_when_a_view_lacks_the_fields():
    @dataclasses.dataclass(frozen=True)
    class OldView:
        actor: str
        treaty: str
        limits: tuple
        complies: bool

    a = _treaty_toy("2026-03-01")
    views = tuple(OldView(v.actor, v.treaty, v.limits, v.complies) for v in a.treaty)
    b = dataclasses.replace(a, treaty=views)
    assert [s.phrase() for s in appendix.standings(b)] == ["not in force on 2026-03-01"] * 2
    assert [s.phrase() for s in appendix.standings(a)] == ["not in force on 2026-03-01"] * 2
