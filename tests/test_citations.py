"""Citations that cite: each source names a document, each key is used, each note fits its number.

The registry (``data/sources.yaml``) and the shipped data are checked together:

- every source key names a document, not a site root or an index page, and no two keys name
  the same document; a source whose URL could not be verified says so in its note;
- every key the data use is registered and every registered key is used (by a citation, an
  example scenario, a New START record, or by name in a note);
- notes point only at sources in the registry, never at documents outside the repository;
- a citation with ``low``/``high`` contains its value; a note that quotes a figure in the
  field's unit, or a share as "N of M", quotes figures that bracket the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from pydantic import BaseModel

from detente.data import (
    load_posture,
    load_totals,
    load_treaty,
    new_start_exchanges,
    posture_names,
    sources,
    totals_names,
    treaty_names,
    warhead_summary,
)
from detente.io import load_scenario
from detente.model.base import ASSUMPTION, SCENARIO, Citation, Cited
from detente.report.provenance import cited_objects

ROOT = Path(__file__).resolve().parents[1]
# scenario files; negotiation specs (*negotiat*) are tested in test_negotiation*.py and
# sweep specs (*sweep*) in test_sweep_spec.py
EXAMPLES = sorted(
    p
    for p in (ROOT / "examples").glob("*.yaml")
    if "negotiat" not in p.name and "sweep" not in p.name
)
PSEUDO = {ASSUMPTION, SCENARIO}

# Pages that list many documents: citing one of them does not say which document is meant.
INDEX_PAGES = {
    "thebulletin.org/nuclear-risk/nuclear-weapons/nuclear-notebook",
    "thebulletin.org/nuclear-notebook",
    "fas.org/issues/nuclear-weapons/status-world-nuclear-forces",
    "www.state.gov/new-start",
    "www.armscontrol.org/act",
    "armscontrol.org/act",
    "www.sipri.org/yearbook",
    "crsreports.congress.gov/product/pdf",
}
UNVERIFIED = "URL not verified"


def _entries() -> dict[str, dict[str, Any]]:
    return sources()


# --------------------------------------------------------------------------------------------
# Every cited object of the shipped data, with where it is


def _shipped() -> Iterator[tuple[str, Cited]]:
    for name in posture_names():
        for where, obj in cited_objects(load_posture(name)):
            yield f"{name}:{where or 'posture'}", obj
    for name in totals_names():
        t = load_totals(name)
        yield f"{name}:entry", t
        yield f"{name}:totals", t.totals
    for name in treaty_names():
        yield f"treaty {name}", load_treaty(name)


def _citations() -> Iterator[tuple[str, Cited, Citation]]:
    for where, obj in _shipped():
        for c in obj.cite:
            yield where, obj, c


def _notes() -> Iterator[tuple[str, str]]:
    for where, _, c in _citations():
        if c.note:
            yield f"{where}.{c.field}", c.note
    for r in new_start_exchanges():
        if r.get("note"):
            yield f"New START {r['date']} {r['party']}", str(r["note"])
    for key, entry in _entries().items():
        if entry.get("note"):
            yield f"source {key}", str(entry["note"])


# --------------------------------------------------------------------------------------------
# Sources name documents


def _url_problem(url: str) -> str | None:
    """Why ``url`` does not name one document, or None."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return "not an http(s) URL"
    path = parsed.path.rstrip("/")
    if not path and not parsed.query:
        return "site root"
    if f"{parsed.netloc}{path}" in INDEX_PAGES:
        return "index page"
    segments = [s for s in path.split("/") if s]
    if len(segments) == 1 and not parsed.query and not re.search(r"[-_.0-9]", segments[0]):
        return "section page"
    return None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://thebulletin.org/", "site root"),
        ("https://tass.com", "site root"),
        ("https://thebulletin.org/nuclear-risk/nuclear-weapons/nuclear-notebook/", "index page"),
        ("https://www.state.gov/new-start/", "index page"),
        ("https://www.armscontrol.org/act", "index page"),
        ("https://www.energy.gov/nnsa/", "section page"),
        ("ftp://example.org/file", "not an http(s) URL"),
        ("https://doi.org/10.1080/00963402.2021.1885869", None),
        ("https://www.airforcemag.com/nuclear-numbers-games/", None),
        ("https://www.armscontrol.org/node/14963", None),
    ],
)
def test_url_check_tells_a_document_from_a_site(url: str, problem: str | None) -> None:
    assert _url_problem(url) == problem


def test_every_source_names_one_document() -> None:
    problems = []
    for key, entry in _entries().items():
        for field in ("title", "author", "year", "url"):
            if field not in entry:
                problems.append((key, f"no {field}"))
        if key in PSEUDO:
            continue
        url = str(entry.get("url") or "")
        if not url:
            if not str(entry.get("note", "")).startswith(UNVERIFIED):
                problems.append((key, f"empty URL without a note starting {UNVERIFIED!r}"))
            continue
        problem = _url_problem(url)
        if problem:
            problems.append((key, f"{problem}: {url}"))
    assert problems == []


MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def test_source_dates_are_a_day_or_a_month_of_their_year() -> None:
    """A `date` is a day (an unquoted YAML date) or a month (`2025-05`) within `year`."""
    problems = []
    for key, entry in _entries().items():
        if "date" not in entry:
            continue
        value = entry["date"]
        if isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, str) and MONTH.fullmatch(value):
            text = value
        else:
            problems.append((key, f"not a day or a month: {value!r}"))
            continue
        if not text.startswith(f"{entry['year']}-"):
            problems.append((key, f"{text} is not in {entry['year']}"))
    assert problems == []


def test_no_two_sources_name_the_same_document() -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for key, entry in _entries().items():
        url = str(entry.get("url") or "").rstrip("/")
        if not url:
            continue
        if url in seen:
            duplicates.append((seen[url], key, url))
        seen[url] = key
    assert duplicates == []


# --------------------------------------------------------------------------------------------
# Keys used and registered


def _keys_in_examples() -> set[str]:
    keys: set[str] = set()
    for path in EXAMPLES:
        scenario = load_scenario(path)
        keys.update(scenario.sources)
        for side in scenario.sides:
            for obj in (side.posture, side.factors):
                for _, item in cited_objects(obj):
                    keys.add(item.source)
                    keys.update(c.source for c in item.cite)
    return keys


def _keys_in_data() -> set[str]:
    keys: set[str] = set()
    for _, obj in _shipped():
        keys.add(obj.source)
        keys.update(c.source for c in obj.cite)
    keys.update(str(r["source"]) for r in new_start_exchanges())
    return keys


def _keys_named_in_notes(registered: set[str]) -> set[str]:
    named = set()
    for _, note in _notes():
        for key in registered:
            if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", note):
                named.add(key)
    return named


# A source key written in a note looks like 'fas-us-2021' or 'state-nst-2020-09'.
KEYLIKE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:19|20)\d\d(?:-\d\d)?(?![\w-])")


def test_every_key_used_is_registered() -> None:
    registered = set(_entries())
    used = _keys_in_data() | _keys_in_examples()
    assert sorted(used - registered) == []


def test_every_registered_key_is_used() -> None:
    registered = set(_entries())
    used = _keys_in_data() | _keys_in_examples() | _keys_named_in_notes(registered)
    assert sorted(registered - PSEUDO - used) == []


def test_keys_named_in_notes_are_registered() -> None:
    registered = set(_entries())
    unknown = [
        (where, m.group(0))
        for where, note in _notes()
        for m in KEYLIKE.finditer(note)
        if "-" in m.group(0).rsplit("-", 2)[0] and m.group(0) not in registered
    ]
    assert unknown == []


# --------------------------------------------------------------------------------------------
# Notes point at the registry, not at documents outside the repository

OUTSIDE = re.compile(r"reference pack|memory-level|\bmemory\b|recollection", re.IGNORECASE)
DOC_PATH = re.compile(r"[\w./-]+\.md\b")


def test_notes_point_only_at_registered_sources() -> None:
    problems = []
    for where, note in _notes():
        if OUTSIDE.search(note):
            problems.append((where, OUTSIDE.search(note).group(0)))  # type: ignore[union-attr]
        for m in DOC_PATH.finditer(note):
            if not (ROOT / m.group(0)).exists():
                problems.append((where, m.group(0)))
    assert problems == []


# --------------------------------------------------------------------------------------------
# Ranges contain their values

STRUCTURED_RANGE = re.compile(r"range applies to the (day-to-day|generated) share")


def _range_values(obj: Cited, c: Citation) -> list[float]:
    """The numbers of ``c.field`` that its ``low``/``high`` must contain."""
    value = getattr(obj, c.field)
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{c.field} is not a number")
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, BaseModel):
        parts = {k: float(v) for k, v in value.model_dump().items() if isinstance(v, int | float)}
        named = STRUCTURED_RANGE.search(c.note)
        if named:
            return [parts[named.group(1).replace("-", "_")]]
        return [v for v in parts.values() if v != 0.0]
    raise TypeError(f"{c.field} is not a number")


def test_every_range_contains_its_value() -> None:
    outside = []
    for where, obj, c in _citations():
        if c.low is None and c.high is None:
            continue
        assert c.low is not None and c.high is not None, (where, c.field)
        try:
            values = _range_values(obj, c)
        except TypeError as err:
            outside.append((where, c.field, str(err)))
            continue
        for v in values:
            if not c.low - 1e-9 <= v <= c.high + 1e-9:
                outside.append((where, c.field, v, c.low, c.high))
    assert outside == []


def test_structured_ranges_say_which_share_they_bound() -> None:
    """A range on both alert shares must hold both, or the note must name the one it holds."""

    class Alert(BaseModel):
        day_to_day: float
        generated: float

    class Obj(Cited):
        alert: Alert

    both = Obj(alert=Alert(day_to_day=0.6, generated=0.85))
    loose = Citation(field="alert", source=ASSUMPTION, low=0.5, high=0.7)
    named = loose.model_copy(
        update={"note": "Share at sea; the range applies to the day-to-day share."}
    )
    assert _range_values(both, loose) == [0.6, 0.85]
    assert _range_values(both, named) == [0.6]


# --------------------------------------------------------------------------------------------
# Figures quoted in notes bracket the value

UNITS = {
    "range_km": {"km": 1.0},
    "standoff_km": {"km": 1.0},
    "yield_kt": {"kt": 1.0, "Mt": 1000.0},
    "hardness_psi": {"psi": 1.0},
}
NUMBER = r"\d[\d,]*(?:\.\d+)?"
FRACTION_FIELDS = {"alert", "pk", "reliability", "execution_probability", "fraction"}
N_OF_M = re.compile(rf"\b({NUMBER})(?:-({NUMBER}))? of (?:the )?({NUMBER})\b")


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _quoted_in_unit(note: str, units: dict[str, float]) -> list[float]:
    """Figures the note gives in the field's unit ("4-5 Mt" gives 4,000 and 5,000 kt)."""
    found = []
    for unit, scale in units.items():
        for m in re.finditer(rf"({NUMBER})(?:\s*-\s*({NUMBER}))?\s*{unit}\b", note):
            found += [_num(g) * scale for g in m.groups() if g]
    return found


def _quoted_shares(note: str) -> list[float]:
    shares = []
    for m in N_OF_M.finditer(note):
        whole = _num(m.group(3))
        if whole <= 0 or whole > 1000:
            continue
        shares += [_num(g) / whole for g in (m.group(1), m.group(2)) if g]
    return shares


# A note may quote a figure that differs from the value it documents only where the difference
# is itself the point of the note and is reported for review: (object path, field) -> why.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {}


def _mismatches() -> list[tuple[str, str, float, float, float]]:
    found = []
    for where, obj, c in _citations():
        if not c.note:
            continue
        quoted: list[float] = []
        values: list[float] = []
        tolerance = 0.0
        if c.field in UNITS:
            quoted = _quoted_in_unit(c.note, UNITS[c.field])
            values = [float(getattr(obj, c.field))]
            tolerance = 0.01
        elif c.field in FRACTION_FIELDS:
            quoted = _quoted_shares(c.note)
            try:
                values = _range_values(obj, c)
            except TypeError:
                continue
            tolerance = 0.02
        if not quoted:
            continue
        lo, hi = min(quoted), max(quoted)
        for v in values:
            if (
                not lo * (1 - tolerance) - tolerance * (c.field in FRACTION_FIELDS)
                <= v
                <= (hi * (1 + tolerance) + tolerance * (c.field in FRACTION_FIELDS))
            ):
                found.append((where, c.field, v, lo, hi))
    return found


def test_quoted_figures_bracket_the_value() -> None:
    unexplained = [m for m in _mismatches() if (m[0], m[1]) not in KNOWN_DIFFERENCES]
    assert unexplained == []


def test_known_differences_are_still_differences() -> None:
    """Remove an entry from KNOWN_DIFFERENCES once the number or the note is fixed."""
    current = {(m[0], m[1]) for m in _mismatches()}
    assert sorted(set(KNOWN_DIFFERENCES) - current) == []


@pytest.mark.parametrize(
    ("note", "units", "expected"),
    [
        ("4-5 Mt (single warhead).", {"kt": 1.0, "Mt": 1000.0}, [4000.0, 5000.0]),
        ("About 1,600 km; range 1,250-1,700 km.", {"km": 1.0}, [1600.0, 1250.0, 1700.0]),
        ("No figure in this note.", {"km": 1.0}, []),
    ],
)
def test_figures_in_a_unit_are_read(
    note: str, units: dict[str, float], expected: list[float]
) -> None:
    assert _quoted_in_unit(note, units) == expected


def test_shares_are_read() -> None:
    assert _quoted_shares("about 8-10 of 14 boats at sea") == [8 / 14, 10 / 14]
    assert _quoted_shares("10 of 18 tests") == [10 / 18]


def test_a_note_that_contradicts_its_number_is_caught() -> None:
    class Obj(Cited):
        range_km: float
        alert: float

    obj = Obj(range_km=11000.0, alert=0.6)
    wrong_range = Citation(field="range_km", source=ASSUMPTION, note="About 8,300 km.")
    wrong_share = Citation(field="alert", source=ASSUMPTION, note="9 of 10 boats at sea.")
    assert _quoted_in_unit(wrong_range.note, UNITS["range_km"]) == [8300.0]
    assert not 8300.0 <= obj.range_km <= 8300.0
    assert _quoted_shares(wrong_share.note) == [0.9]
    assert _range_values(obj, wrong_share) == [0.6]


@pytest.mark.parametrize("name", posture_names())
def test_a_published_total_the_systems_do_not_reproduce_is_explained(name: str) -> None:
    """Where the systems' warheads differ from a published total, the total's note says why."""
    p = load_posture(name)
    assert p.totals is not None
    summary = warhead_summary(p)
    for field in ("nonstrategic", "deployed", "military_stockpile", "total_inventory"):
        counted = round(summary["stockpile" if field == "military_stockpile" else field])
        c = p.totals.citation(field)
        published = getattr(p.totals, field)
        low = published if c.low is None else c.low
        high = published if c.high is None else c.high
        if low - 0.5 <= counted <= high + 0.5:
            continue
        assert f"{counted:,}" in c.note or str(counted) in c.note, (name, field, counted, c.note)


# --------------------------------------------------------------------------------------------
# An assumed number of every shipped posture has a range, or its note says why it is not varied

NOT_VARIED = "not varied"
"""How the note of an assumed number without a range starts, followed by the reason."""


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, BaseModel) and any(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value.model_dump().values()
    )


def _unranged_assumptions(obj: Cited) -> list[str]:
    """Fields of ``obj`` cited to ``assumption`` on a number with neither a range nor a
    note starting "not varied", or with both."""
    bad = []
    for c in obj.cite:
        if c.source != ASSUMPTION or not _is_number(getattr(obj, c.field, None)):
            continue
        ranged = c.low is not None and c.high is not None
        marked = c.note.strip().lower().startswith(NOT_VARIED)
        if ranged == marked:
            bad.append(c.field)
    return bad


@pytest.mark.parametrize("name", posture_names())
def test_assumed_numbers_have_a_range_or_say_why_not(name: str) -> None:
    """Issue 14 item 5: a figure not taken from a document is an assumption with a range
    (so explorations vary it) or says why it is not varied; never both."""
    bare = [
        (where, field)
        for where, obj in cited_objects(load_posture(name))
        for field in _unranged_assumptions(obj)
    ]
    assert bare == []


def test_an_unranged_assumption_is_caught() -> None:
    class Obj(Cited):
        flight_time_min: float
        label: str

    def obj(**cite: Any) -> Obj:
        c = Citation(field="flight_time_min", source=ASSUMPTION, **cite)
        label = Citation(field="label", source=ASSUMPTION)
        return Obj(flight_time_min=30.0, label="x", cite=(c, label))

    assert _unranged_assumptions(obj(note="About 30 minutes.")) == ["flight_time_min"]
    assert _unranged_assumptions(obj(low=25, high=35)) == []
    assert _unranged_assumptions(obj(note="Not varied: a specification.")) == []
    both = obj(low=25, high=35, note="Not varied: a specification.")
    assert _unranged_assumptions(both) == ["flight_time_min"]
