"""The FastAPI application: the dashboard page and its API.

The API is a thin layer over the same functions as the command line: it
parses a request, calls :mod:`detente.analysis` (through :mod:`detente.web.views`)
and returns plain data. Assessments run on worker threads, a few at a time,
so the event loop keeps answering while they compute; a bad input is a 4xx
answer with the same located messages as the CLI, never a server error.
Requests name built-in things and job ids, never files: the only file the
server opens after start-up is the results store it was given.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import hashlib
import inspect
import logging
import multiprocessing
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

import anyio
from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from detente import __version__
from detente.data import load_posture, load_treaty, posture_names, treaty_names, warhead_summary
from detente.engine.params import Multipliers
from detente.errors import DetenteError, InvalidArgumentError, UnknownNameError
from detente.io.errors import short_repr
from detente.model.perspective import BUILT_IN_PERSPECTIVES
from detente.stability import DEFINITIONS, LABELS
from detente.stability.verdicts import READINGS
from detente.web import compute, limits, scenarios, views
from detente.web.jobs import JobKind, JobManager, TooManyJobs, registered_kinds
from detente.web.levers import treaty_ids
from detente.web.runs import RunNotFound, StoreAccess, StoreUnavailable
from detente.web.schemas import (
    AssessRequest,
    AssessResponse,
    CompareRequest,
    CompareResponse,
    ErrorBody,
    Health,
    JobKindOut,
    JobOut,
    MetaResponse,
    NamedScenario,
    PostureOut,
    ProblemOut,
    RunDetail,
    RunOut,
    ScenarioText,
    TreatyCountResponse,
    TreatyOut,
    ValidateRequest,
    ValidateResponse,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)
"""The page loads nothing from elsewhere: scripts, styles and data come from this server."""

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
"""Host names a loopback server answers to (a guard against DNS rebinding)."""


@dataclass(frozen=True)
class Settings:
    """Limits of one application (defaults in :mod:`detente.web.limits`)."""

    max_body_bytes: int = limits.MAX_BODY_BYTES
    assess_workers: int = limits.ASSESS_WORKERS
    cache_entries: int = limits.CACHE_ENTRIES
    job_workers: int = limits.JOB_WORKERS
    max_queued_jobs: int = limits.MAX_QUEUED_JOBS
    max_kept_jobs: int = limits.MAX_KEPT_JOBS
    processes: bool = False
    """Compute answers in worker processes (``detente serve``) rather than threads."""


# --- middleware ---------------------------------------------------------------------------


class BodyLimit:
    """Refuse a request body larger than ``max_bytes`` with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> HTTPException:
        return HTTPException(
            413,
            f"the request body is larger than {self.max_bytes:,} bytes, the most this server "
            "reads (a posted scenario may hold at most "
            f"{limits.MAX_YAML_CHARS:,} characters of YAML)",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await _error_response(413, str(self._too_large().detail))(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise self._too_large()
            return message

        await self.app(scope, limited, send)


class SecurityHeaders:
    """Add a content security policy and related headers to every response."""

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def _error_response(status: int, detail: str, problems: Sequence[ProblemOut] = ()) -> Response:
    body = ErrorBody(detail=detail, problems=list(problems))
    return JSONResponse(body.model_dump(), status_code=status)


# --- computation off the event loop -----------------------------------------------------------


class Computer:
    """Computes answers off the event loop, a few at once, and keeps recent answers.

    With ``processes`` the answers are computed in worker processes (``detente
    serve``): they run in parallel on every core and leave the server's own
    process free to answer. Without, on worker threads (tests, embedding).
    Work a request needs before it is queued (checking a job) always runs on
    a thread.
    """

    def __init__(self, workers: int, entries: int, *, processes: bool = False) -> None:
        self.workers = workers
        self.entries = entries
        self.processes = processes
        self._limiter: anyio.CapacityLimiter | None = None
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._cache: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        """The limiter of worker threads (made in the event loop on first use)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.workers)
        return self._limiter

    def _processes(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
                )
            return self._pool

    def start(self) -> None:
        """Start the worker processes and warm them (without waiting for them)."""
        if self.processes:
            pool = self._processes()
            for _ in range(self.workers):
                pool.submit(compute.warm)

    def close(self) -> None:
        """Stop the worker processes."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[[], T]) -> T:
        """``fn()`` on a worker thread."""
        return await anyio.to_thread.run_sync(fn, limiter=self.limiter)

    async def _compute(self, kind: str, request_json: str) -> tuple[int, bytes]:
        if not self.processes:
            return await self.run(lambda: compute.answer(kind, request_json))
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._processes(), compute.answer, kind, request_json)
        except concurrent.futures.process.BrokenProcessPool:
            self.close()  # a worker died (killed, out of memory): start afresh next time
            raise HTTPException(
                503, "the worker computing this answer stopped; ask again"
            ) from None

    async def answer(self, kind: str, body: BaseModel) -> Response:
        """The answer to ``body``, computed or kept from the same request before."""
        request_json = body.model_dump_json()
        key = hashlib.sha256(f"{kind}\n{request_json}".encode()).hexdigest()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        if hit is None:
            hit = await self._compute(kind, request_json)
            with self._lock:
                self._cache[key] = hit
                while len(self._cache) > self.entries:
                    self._cache.popitem(last=False)
        status, content = hit
        return Response(content, status_code=status, media_type="application/json")


# --- static assets --------------------------------------------------------------------------

ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}


@dataclass(frozen=True)
class Asset:
    """A static file held in memory, plain and gzip-compressed."""

    body: bytes
    gz: bytes
    media_type: str


def _assets() -> dict[str, Asset]:
    from plotly.offline import get_plotlyjs

    folder = resources.files("detente.web").joinpath("static")
    raw = {name: folder.joinpath(name).read_bytes() for name in ASSETS}
    raw["plotly.min.js"] = get_plotlyjs().encode("utf-8")
    types = {**ASSETS, "plotly.min.js": "text/javascript; charset=utf-8"}
    return {
        name: Asset(body, gzip.compress(body, compresslevel=6, mtime=0), types[name])
        for name, body in raw.items()
    }


def _index() -> str:
    return resources.files("detente.web").joinpath("static", "index.html").read_text("utf-8")


# --- the application ----------------------------------------------------------------------

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body cannot be read (not UTF-8 JSON)."},
    413: {"model": ErrorBody, "description": "The request body is too large."},
    422: {"model": ErrorBody, "description": "The request or the scenario is invalid."},
}
COMPUTED: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    503: {"model": ErrorBody, "description": "The worker computing the answer stopped."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such name or id."},
}
STORE: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No results store, or no such run."},
    409: {"model": ErrorBody, "description": "The store is being written by another process."},
    422: {"model": ErrorBody, "description": "The run id is longer than any run's."},
}


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(DetenteError)
    async def detente_error(request: Request, exc: DetenteError) -> Response:
        return JSONResponse(compute.error_body(exc).model_dump(), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            ProblemOut(
                path=".".join(str(p) for p in e.get("loc", ())),
                message=str(e.get("msg", "invalid")),
                value=short_repr(e.get("input")) if "input" in e else None,
            )
            for e in exc.errors()[:50]
        ]
        return _error_response(422, "the request does not match the API's schema", problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = _error_response(exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error_response(500, f"internal error ({type(exc).__name__}); please report it")


@dataclass
class Dashboard:
    """What the routes share: the computer, the jobs, the store, the assets."""

    settings: Settings
    computer: Computer
    jobs: JobManager
    store: Any
    assets: dict[str, Asset]
    index: str
    kinds: tuple[JobKind, ...]


def _meta(dash: Dashboard) -> dict[str, Any]:
    return {
        "version": __version__,
        "definitions": [
            {"name": n, "label": LABELS[n], "measures": READINGS[n].measures} for n in DEFINITIONS
        ],
        "perspectives": [p.model_dump(mode="json") for p in BUILT_IN_PERSPECTIVES],
        "multipliers": list(Multipliers.names()),
        "treaty_ids": list(treaty_ids()),
        "job_kinds": [
            {
                "name": k.name,
                "title": k.title,
                "description": k.description,
                "max_size": k.max_size,
                "example": dict(k.example),
            }
            for k in dash.kinds
        ],
        "limits": {
            "max_body_bytes": dash.settings.max_body_bytes,
            "max_yaml_chars": limits.MAX_YAML_CHARS,
            "max_line_points": limits.MAX_LINE_POINTS,
            "max_explore_draws": limits.MAX_EXPLORE_DRAWS,
            "max_queued_jobs": dash.settings.max_queued_jobs,
        },
        "store": dash.store is not None,
    }


def _add_job_route(app: FastAPI, dash: Dashboard, kind: JobKind) -> None:
    async def submit(body: Any) -> dict[str, Any]:
        prepared = await dash.computer.run(lambda: kind.prepare(body, dash.store))
        if prepared.size > kind.max_size:
            raise InvalidArgumentError(
                f"the job has {prepared.size:,} units of work; a {kind.name} job may have at "
                f"most {kind.max_size:,}"
            )
        try:
            job = dash.jobs.submit(kind, prepared)
        except TooManyJobs as exc:
            raise HTTPException(429, str(exc)) from None
        return job.public()

    body = inspect.Parameter(
        "body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=kind.request
    )
    submit.__signature__ = inspect.Signature([body], return_annotation=JobOut)  # type: ignore[attr-defined]
    app.post(
        f"/api/jobs/{kind.name}",
        response_model=JobOut,
        status_code=202,
        summary=kind.title,
        description=kind.description,
        operation_id=f"submit_{kind.name.replace('-', '_')}",
        tags=["jobs"],
        responses={
            **ERRORS,
            429: {"model": ErrorBody, "description": "Too many jobs queued."},
        },
    )(submit)


def _add_routes(app: FastAPI, dash: Dashboard) -> None:
    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(dash.index)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str, request: Request) -> Response:
        asset = dash.assets.get(name)
        if asset is None:
            raise HTTPException(404, f"no static file {short_repr(name)}")
        headers = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(asset.gz, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)

    @app.get("/api/health", response_model=Health, tags=["meta"])
    def health() -> dict[str, Any]:
        """The server is up."""
        return {"status": "ok", "version": __version__}

    @app.get("/api/meta", response_model=MetaResponse, tags=["meta"])
    def meta() -> dict[str, Any]:
        """Definitions, readings, multipliers, job kinds and limits of this server."""
        return _meta(dash)

    @app.get("/api/postures", response_model=list[PostureOut], tags=["built-in"])
    def postures() -> list[dict[str, Any]]:
        """The built-in postures with their warhead totals."""
        out = []
        for name in posture_names():
            p = load_posture(name)
            s = warhead_summary(p)
            out.append(
                {
                    "name": name,
                    "id": p.id,
                    "actor": p.actor,
                    "label": p.label or p.id,
                    "date": p.date.isoformat(),
                    "systems": len(p.systems),
                    "stockpile": s["stockpile"],
                    "deployed": s["deployed"],
                }
            )
        return out

    @app.get("/api/treaties", response_model=list[TreatyOut], tags=["built-in"])
    def treaties() -> list[dict[str, Any]]:
        """The built-in treaties and treaty designs with their limits."""
        out = []
        for name in treaty_names():
            t = load_treaty(name)
            out.append(
                {
                    "name": name,
                    "id": t.id,
                    "label": t.label or t.id,
                    "parties": list(t.parties),
                    "limits": {lim.quantity: lim.ceiling for lim in t.limits},
                }
            )
        return out

    @app.get("/api/builtins", response_model=list[NamedScenario], tags=["built-in"])
    def builtins() -> list[dict[str, Any]]:
        """The built-in scenarios."""
        return [
            {"name": n, "label": b.build().label, "question": b.build().question}
            for n, b in scenarios.BUILTINS.items()
        ]

    @app.get(
        "/api/builtins/{name}", response_model=ScenarioText, responses=NOT_FOUND, tags=["built-in"]
    )
    def builtin(name: str = Path(examples=["geneva-2021"])) -> dict[str, Any]:
        """A built-in scenario written as a scenario file."""
        try:
            text = scenarios.builtin_text(name)
        except UnknownNameError as exc:
            raise HTTPException(404, str(exc)) from None
        s = scenarios.BUILTINS[name].build()
        return {
            "name": name,
            "kind": "builtin",
            "label": s.label,
            "question": s.question,
            "text": text,
        }

    @app.get("/api/examples", response_model=list[NamedScenario], tags=["built-in"])
    def examples() -> list[dict[str, Any]]:
        """The example scenarios shipped with detente."""
        out = []
        for name in scenarios.example_names():
            label, question = scenarios.example_summary(name)
            out.append({"name": name, "label": label, "question": question})
        return out

    @app.get(
        "/api/examples/{name}", response_model=ScenarioText, responses=NOT_FOUND, tags=["built-in"]
    )
    def example(name: str = Path(examples=["bmd-expansion"])) -> dict[str, Any]:
        """The text of an example scenario."""
        try:
            text = scenarios.example_text(name)
        except UnknownNameError as exc:
            raise HTTPException(404, str(exc)) from None
        label, question = scenarios.example_summary(name)
        return {"name": name, "kind": "example", "label": label, "question": question, "text": text}

    @app.post(
        "/api/validate", response_model=ValidateResponse, responses=ERRORS, tags=["scenarios"]
    )
    async def validate(body: ValidateRequest) -> Response:
        """Check a scenario: valid, or every problem with its line and field."""
        return await dash.computer.answer("validate", body)

    @app.post("/api/assess", response_model=AssessResponse, responses=COMPUTED, tags=["scenarios"])
    async def assess_route(body: AssessRequest) -> Response:
        """Assess a scenario with levers set: every definition, alert case and reading."""
        return await dash.computer.answer("assess", body)

    @app.post(
        "/api/compare", response_model=CompareResponse, responses=COMPUTED, tags=["scenarios"]
    )
    async def compare_route(body: CompareRequest) -> Response:
        """Compare a variant with a base: every definition, reading and key flow."""
        return await dash.computer.answer("compare", body)

    @app.get(
        "/api/treaty-count",
        response_model=TreatyCountResponse,
        responses={422: ERRORS[422]},
        tags=["built-in"],
    )
    def treaty_count(
        posture: str = Query(
            max_length=64, description="Built-in posture name.", examples=["us-2021"]
        ),
        treaty: str = Query(
            default="new-start",
            max_length=64,
            description="Built-in treaty name.",
            examples=["new-start"],
        ),
    ) -> dict[str, Any]:
        """Count a built-in posture under a built-in treaty: totals, margins, contributions."""
        return views.treaty_count_view(posture, treaty)

    @app.get("/api/job-kinds", response_model=list[JobKindOut], tags=["jobs"])
    def job_kinds() -> list[dict[str, Any]]:
        """The kinds of background job this server runs."""
        return list(_meta(dash)["job_kinds"])

    for kind in dash.kinds:
        _add_job_route(app, dash, kind)

    @app.get("/api/jobs", response_model=list[JobOut], tags=["jobs"])
    def jobs() -> list[dict[str, Any]]:
        """Every kept job, newest first (results left out: fetch a job for its result)."""
        return dash.jobs.list()

    @app.get("/api/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND, tags=["jobs"])
    def job(job_id: str) -> dict[str, Any]:
        """A job: its status, progress and, when done, its result."""
        found = dash.jobs.snapshot(job_id)
        if found is None:
            raise HTTPException(
                404, f"no job {short_repr(job_id)} (finished jobs are kept a while)"
            )
        return found

    def _store() -> StoreAccess:
        if not isinstance(dash.store, StoreAccess):
            raise HTTPException(
                404, "this server has no results store; start it with detente serve --store PATH"
            )
        return dash.store

    @app.get("/api/runs", response_model=list[RunOut], responses=STORE, tags=["store"])
    def runs() -> list[dict[str, Any]]:
        """The sweep runs in the results store (``detente sweep SPEC --store PATH`` adds them)."""
        try:
            return _store().runs()
        except StoreUnavailable as exc:
            raise HTTPException(409, str(exc)) from None

    @app.get("/api/runs/{run_id}", response_model=RunDetail, responses=STORE, tags=["store"])
    def run(
        run_id: str = Path(max_length=64, examples=["3f2a9c1b7d4e"]),
    ) -> dict[str, Any]:
        """A stored run (its id or a unique start of it) with each definition over its levers."""
        try:
            return _store().run(run_id)
        except StoreUnavailable as exc:
            raise HTTPException(409, str(exc)) from None
        except RunNotFound as exc:
            raise HTTPException(404, str(exc)) from None

    @app.delete("/api/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND, tags=["jobs"])
    def cancel(job_id: str) -> dict[str, Any]:
        """Cancel a queued job, or stop a running one at its next progress report."""
        found = dash.jobs.cancel(job_id)
        if found is None:
            raise HTTPException(404, f"no job {short_repr(job_id)}")
        return found


def create_app(
    *,
    store: Any = None,
    allowed_hosts: Sequence[str] | None = None,
    settings: Settings | None = None,
    kinds: Sequence[JobKind] | None = None,
) -> FastAPI:
    """The dashboard application.

    Parameters
    ----------
    store
        The results store (``detente serve --store``, a
        :class:`~detente.web.runs.StoreAccess`), or ``None``.
    allowed_hosts
        Host names the server answers to (``None``: any). ``detente serve`` on a
        loopback address passes :data:`LOOPBACK_HOSTS`.
    settings
        Limits (default: :mod:`detente.web.limits`).
    kinds
        Job kinds to offer (default: every registered kind).
    """
    settings = settings or Settings()
    jobs = JobManager(
        workers=settings.job_workers,
        max_queued=settings.max_queued_jobs,
        max_kept=settings.max_kept_jobs,
        store=store,
    )
    dash = Dashboard(
        settings=settings,
        computer=Computer(
            settings.assess_workers, settings.cache_entries, processes=settings.processes
        ),
        jobs=jobs,
        store=store,
        assets=_assets(),
        index=_index(),
        kinds=tuple(kinds) if kinds is not None else registered_kinds(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        dash.computer.start()
        yield
        jobs.close()
        dash.computer.close()

    app = FastAPI(
        title="detente",
        version=__version__,
        summary="Strategic stability made computable: assess, compare and explore scenarios.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.dashboard = dash
    _install_handlers(app)
    _add_routes(app, dash)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    return app


__all__ = ["CSP", "LOOPBACK_HOSTS", "Settings", "create_app"]
