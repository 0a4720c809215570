"""Request and response bodies of the API (they make its OpenAPI description)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from detente.web.levers import Actor, Levers, LeverState
from detente.web.scenarios import Source


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ScenarioRequest(_Request):
    """A scenario and the levers set on top of it."""

    source: Source
    levers: Levers = Field(default_factory=Levers, description="Levers set on the scenario.")


_BASELINE: Any = {"kind": "builtin", "name": "geneva-2021"}


class AssessRequest(ScenarioRequest):
    """Assess a scenario: every definition, alert case and reading."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"source": _BASELINE},
                {
                    "source": {"kind": "example", "name": "bmd-expansion"},
                    "levers": {"sides": {"ru": {"alert": "generated"}}, "treaty": "none"},
                },
            ]
        }
    )

    pair: list[Actor] | None = Field(
        default=None,
        min_length=2,
        max_length=3,
        description="The sides to assess, by actor (default: the first two).",
    )


class ValidateRequest(_Request):
    """Check a scenario without assessing it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"source": {"kind": "yaml", "text": "name: x\nsides:\n  - posture: us-2021\n"}}
            ]
        }
    )

    source: Source


class CompareRequest(_Request):
    """Compare a variant with a base; both pit the same two actors against each other."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "base": {"source": _BASELINE},
                    "variant": {
                        "source": _BASELINE,
                        "levers": {"sides": {"us": {"missile_defense_interceptors": 1408}}},
                    },
                }
            ]
        }
    )

    base: ScenarioRequest
    variant: ScenarioRequest


class ProblemOut(BaseModel):
    """One problem of an input: where, what, and the value found."""

    path: str = Field(description="Field path, dotted; empty for the whole input.")
    message: str
    line: int | None = Field(default=None, description="1-based line in the YAML text.")
    value: str | None = Field(default=None, description="The offending value, shortened.")


class ErrorBody(BaseModel):
    """Why a request was refused."""

    detail: str
    problems: list[ProblemOut] = Field(default_factory=list)


class SideSummary(BaseModel):
    """One side of a scenario."""

    actor: str
    posture: str
    label: str


class ScenarioSummary(BaseModel):
    """Name, question, sides and treaty of a scenario."""

    name: str
    label: str
    question: str
    date: str
    treaty: str | None
    sides: list[SideSummary]
    pair: list[str] = Field(description="The sides assessed.")


class Leaning(BaseModel):
    """A headline definition that moves if every side rides out instead of launching."""

    definition: str
    by_policy: float | None
    all_ride_out: float | None


class SourceNumber(BaseModel):
    """One input number and where it comes from."""

    actor: str
    object: str = Field(description="Dotted path of the object in its posture.")
    field: str
    value: str
    source: str = Field(description="Key into the sources registry.")
    note: str
    low: float | None = Field(description="Low end of the published range, where given.")
    high: float | None


class SourceEntry(BaseModel):
    """One document of the sources registry."""

    title: str
    author: str
    year: str
    url: str
    note: str


class SettingRow(BaseModel):
    """One exchange or stability setting of the scenario."""

    group: Literal["exchange", "stability"]
    field: str
    value: str
    description: str


class SourcesView(BaseModel):
    """Every input number of a scenario with its source."""

    numbers: list[SourceNumber]
    registry: dict[str, SourceEntry]
    scenario_sources: list[str]
    settings: list[SettingRow]


class AssessResponse(BaseModel):
    """An assessment, its charts, the levers as they stand and the sources of every number."""

    scenario: ScenarioSummary
    assessment: dict[str, Any] = Field(
        description="The assessment in the documented JSON shape of docs/assessment-json.md."
    )
    figures: dict[str, dict[str, Any]] = Field(
        description="Plotly figures (JSON): 'forces' and 'flows'."
    )
    levers: LeverState
    sources: SourcesView
    leaning: list[Leaning] = Field(
        description="Headline definitions that move, or change verdict, if every side rides out."
    )
    first_strike_raw: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Each side's first-strike ratio in the headline case before the bound at 1"
            " (two decimals, '> 10' from 10 up); empty when first strike is not assessed."
        ),
    )


class ValidateResponse(BaseModel):
    """Whether a scenario is valid, with every problem located."""

    valid: bool
    scenario: ScenarioSummary | None
    levers: LeverState | None
    problems: list[ProblemOut]


class CompareResponse(BaseModel):
    """Every definition, reading and key flow of the variant against the base."""

    base: ScenarioSummary
    variant: ScenarioSummary
    comparison: dict[str, Any] = Field(
        description="As Comparison.to_dict(): changes, definitions, headline, flows."
    )


class ScenarioText(BaseModel):
    """A built-in or example scenario as scenario-file text."""

    name: str
    kind: Literal["builtin", "example"]
    label: str
    question: str
    text: str


class NamedScenario(BaseModel):
    """A built-in or example scenario in a list."""

    name: str
    label: str
    question: str


class PostureOut(BaseModel):
    """A built-in posture."""

    name: str
    id: str
    actor: str
    label: str
    date: str
    systems: int
    stockpile: float
    deployed: float


class TreatyOut(BaseModel):
    """A built-in treaty or treaty design."""

    name: str
    id: str
    label: str
    parties: list[str]
    limits: dict[str, int]


class TreatyCountResponse(BaseModel):
    """A built-in posture counted under a built-in treaty."""

    posture: str
    posture_label: str
    treaty: str
    treaty_label: str
    ledger: dict[str, Any] = Field(description="Totals and per-item contributions.")
    compliance: dict[str, Any] = Field(description="Each limit: count, ceiling, margin.")


class DefinitionOut(BaseModel):
    """A stability definition."""

    name: str
    label: str
    measures: str


class JobKindOut(BaseModel):
    """A kind of background job and a valid request for it."""

    name: str
    title: str
    description: str
    max_size: int
    example: dict[str, Any]


class MetaResponse(BaseModel):
    """What the server offers: definitions, readings, parameters, job kinds, limits."""

    version: str
    definitions: list[DefinitionOut]
    perspectives: list[dict[str, Any]]
    multipliers: list[str] = Field(description="Multiplier names of a side's parameters.")
    treaty_ids: list[str] = Field(description="Treaty ids a scenario and the lever accept.")
    job_kinds: list[JobKindOut]
    limits: dict[str, int]
    store: bool = Field(description="Whether the server was started with a results store.")


class JobOut(BaseModel):
    """A background job and where it stands."""

    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    size: int
    done: int
    total: int
    created: float
    started: float | None
    finished: float | None
    error: str | None
    result: dict[str, Any] | None


class RunOut(BaseModel):
    """A sweep run in the results store."""

    id: str = Field(description="The run's content hash.")
    short_id: str
    name: str
    label: str
    status: str
    complete: bool
    chunks_done: int
    chunks: int
    points: int
    experiments: int
    design: str
    started_at: str | None
    ended_at: str | None


class RunLever(BaseModel):
    """A lever of a sweep run."""

    name: str
    label: str
    kind: str


class RunPoint(BaseModel):
    """One point of a run: its lever values and the definition's value there."""

    levers: dict[str, Any]
    value: float


class RunDefinition(BaseModel):
    """A definition kept by a run, at every point."""

    definition: str
    label: str
    series: str = Field(description="The reading and alert case shown.")
    points: list[RunPoint]
    low: float
    high: float
    figure: dict[str, Any] = Field(description="Plotly figure JSON: the value over the levers.")


class RunDetail(BaseModel):
    """A stored sweep run with its values."""

    id: str
    short_id: str
    name: str
    label: str
    question: str
    scenario: str
    design: str
    points: int
    experiments: int
    status: str
    complete: bool
    chunks_done: int
    chunks: int
    seed: int
    code_version: str
    levers: list[RunLever]
    definitions: list[RunDefinition]


class Health(BaseModel):
    """The server is up."""

    status: Literal["ok"]
    version: str
