"""``ResultsStore``: runs, experiments and tidy outcomes in one DuckDB file.

Writing is by chunk: :meth:`ResultsStore.write_chunk` puts a chunk's
experiments, its outcomes and its row in ``chunks`` in one transaction, so a
process killed at any moment leaves every chunk either complete or absent
(DuckDB's write-ahead log makes a committed transaction survive ``kill -9``
and power loss). Reading returns pandas frames.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from detente.analysis.sweep import ChunkResult, SweepPlan
from detente.errors import DetenteError
from detente.io.output import OutputError, check_file, write_file_at
from detente.store.schema import DDL, STORE_FORMAT

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_STORE = "detente-results.duckdb"
"""The store a sweep writes to when no path is given (in the current folder)."""

ID_SHOWN = 12
"""Characters of a run id shown and accepted as its short form."""

Status = Literal["running", "complete", "failed", "interrupted"]
ExportFormat = Literal["parquet", "csv"]


class StoreError(DetenteError):
    """The store cannot be opened or does not hold what was asked for."""


class ExportError(OutputError):
    """An export could not be written."""


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:  # pragma: no cover - the store extra is installed with dev
        raise StoreError("the results store needs DuckDB: pip install 'detente[store]'") from None
    return duckdb


@dataclass(frozen=True)
class RunInfo:
    """One run of the store, as ``runs`` holds it, with its chunks written."""

    run_id: str
    name: str
    label: str
    question: str
    spec: dict[str, Any]
    scenario: dict[str, Any]
    code_version: str
    seed: int
    design: str
    levers: tuple[dict[str, Any], ...]
    executor: str
    points: int
    experiments: int
    chunks: int
    chunk_points: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    status: str
    message: str
    chunks_done: int

    @property
    def short_id(self) -> str:
        """The id as shown (its first :data:`ID_SHOWN` characters)."""
        return self.run_id[:ID_SHOWN]

    @property
    def complete(self) -> bool:
        """Whether every chunk is stored."""
        return self.status == "complete" and self.chunks_done == self.chunks


_RUN_COLUMNS = (
    "run_id, name, label, question, spec, scenario, code_version, seed, design, levers, "
    "executor, points, experiments, chunks, chunk_points, started_at, ended_at, status, message"
)


class ResultsStore:
    """A DuckDB file of sweep runs (see :mod:`detente.store.schema` for the tables).

    Parameters
    ----------
    path
        The database file (created, with its folder, unless ``read_only``).
    read_only
        Open without the write lock, so that several readers may share the file.

    Raises
    ------
    StoreError
        If the file is not a store, is locked by another process, or (read only)
        does not exist.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        duckdb = _duckdb()
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"no results store at {str(self.path)!r}; run a sweep first")
        if self.path.exists() and not self.path.is_file():
            raise StoreError(f"{str(self.path)!r} is not a file; expected a DuckDB results store")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con: Any = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(
                    f"the results store {str(self.path)!r} is in use by another process "
                    "(DuckDB lets one process write a file at a time); wait for it to finish"
                ) from None
            if "not a valid DuckDB" in text:
                raise StoreError(
                    f"{str(self.path)!r} is not a DuckDB results store (not a DuckDB file)"
                ) from None
            raise StoreError(f"cannot open the results store {str(self.path)!r}: {text}") from None
        except duckdb.Error as exc:
            raise StoreError(f"{str(self.path)!r} is not a DuckDB results store ({exc})") from None
        self.read_only = read_only
        if not read_only:
            for statement in DDL:
                self.con.execute(statement)
            self.con.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", [str(STORE_FORMAT)])
        else:
            self._check_tables()

    def _check_tables(self) -> None:
        names = {
            r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        if not {"runs", "chunks", "experiments", "outcomes"} <= names:
            raise StoreError(f"{str(self.path)!r} is a DuckDB file but not a detente results store")

    # lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Close the database file."""
        self.con.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # runs ------------------------------------------------------------------

    def resolve(self, run_id: str) -> str:
        """The full id of the run whose id is or starts with ``run_id``.

        Raises
        ------
        StoreError
            If no run, or more than one, matches; the message lists the runs.
        """
        text = run_id.strip().lower()
        rows = self.con.execute(
            "SELECT run_id FROM runs WHERE starts_with(run_id, ?) ORDER BY started_at", [text]
        ).fetchall()
        if len(rows) == 1 and text:
            return str(rows[0][0])
        known = [r[0][:ID_SHOWN] for r in self.con.execute("SELECT run_id FROM runs").fetchall()]
        listing = ", ".join(known) if known else "(the store holds no runs)"
        if len(rows) > 1 and text:
            raise StoreError(f"run id {run_id!r} matches {len(rows)} runs; give more of it")
        raise StoreError(f"no run {run_id!r} in {str(self.path)!r}; runs: {listing}")

    def find(self, run_id: str) -> RunInfo | None:
        """The run with exactly this id, or None."""
        row = self.con.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE run_id = ?", [run_id]
        ).fetchone()
        return None if row is None else self._info(row)

    def run(self, run_id: str) -> RunInfo:
        """The run whose id is or starts with ``run_id`` (see :meth:`resolve`)."""
        info = self.find(self.resolve(run_id))
        assert info is not None
        return info

    def _info(self, row: tuple[Any, ...]) -> RunInfo:
        done = self.con.execute("SELECT count(*) FROM chunks WHERE run_id = ?", [row[0]]).fetchone()
        return RunInfo(
            run_id=row[0],
            name=row[1],
            label=row[2] or "",
            question=row[3] or "",
            spec=json.loads(row[4]),
            scenario=json.loads(row[5]),
            code_version=row[6],
            seed=int(row[7]),
            design=row[8],
            levers=tuple(json.loads(row[9])),
            executor=row[10] or "",
            points=int(row[11]),
            experiments=int(row[12]),
            chunks=int(row[13]),
            chunk_points=int(row[14]),
            started_at=row[15],
            ended_at=row[16],
            status=row[17],
            message=row[18] or "",
            chunks_done=int(done[0]) if done else 0,
        )

    def runs(self) -> pd.DataFrame:
        """Every run: id, name, status, chunks done of all, sizes, times, code version."""
        frame: pd.DataFrame = self.con.execute(
            """SELECT r.run_id, r.name, r.status, count(c.chunk) AS chunks_done, r.chunks,
                      r.points, r.experiments, r.design, r.executor, r.code_version,
                      r.started_at, r.ended_at
               FROM runs r LEFT JOIN chunks c USING (run_id)
               GROUP BY ALL ORDER BY r.started_at"""
        ).df()
        return frame

    def create_run(
        self, run_id: str, plan: SweepPlan, executor: str, spec_json: dict[str, Any]
    ) -> None:
        """Record a new run (status ``running``)."""
        spec = plan.spec
        levers = [
            {
                "name": lv.name,
                "label": lv.label or lv.name,
                "kind": lv.kind,
                "levels": list(plan.levels[lv.name]),
                "numeric": lv.options is None
                and all(
                    isinstance(v, int | float) and not isinstance(v, bool)
                    for v in plan.levels[lv.name]
                ),
            }
            for lv in spec.levers
        ]
        self.con.execute(
            f"INSERT INTO runs ({_RUN_COLUMNS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), NULL, 'running', NULL)",
            [
                run_id,
                spec.name,
                spec.label,
                spec.question,
                json.dumps(spec_json, sort_keys=True),
                plan.scenario.model_dump_json(),
                _version(),
                spec.seed,
                spec.design,
                json.dumps(levers, default=str),
                executor,
                plan.points,
                plan.experiments,
                plan.n_chunks,
                plan.chunk_points,
            ],
        )

    def set_status(
        self, run_id: str, status: Status, *, executor: str | None = None, message: str = ""
    ) -> None:
        """Record a run's status (and its end time when it is no longer running)."""
        ended = "now()" if status != "running" else "NULL"
        self.con.execute(
            f"UPDATE runs SET status = ?, ended_at = {ended}, message = ?, "
            "executor = coalesce(?, executor) WHERE run_id = ?",
            [status, message or None, executor, run_id],
        )

    def done_chunks(self, run_id: str) -> set[int]:
        """Chunks of ``run_id`` already stored."""
        rows = self.con.execute("SELECT chunk FROM chunks WHERE run_id = ?", [run_id]).fetchall()
        return {int(r[0]) for r in rows}

    def write_chunk(self, run_id: str, result: ChunkResult, seconds: float) -> int:
        """Store one chunk's experiments and outcomes in one transaction; return its rows.

        Raises
        ------
        StoreError
            If the chunk is already stored (nothing is written then).
        """
        duckdb = _duckdb()
        experiments, outcomes = result.experiments, result.outcomes
        con = self.con
        con.begin()
        try:
            con.register("_chunk_experiments", experiments)
            con.register("_chunk_outcomes", outcomes)
            con.execute(
                "INSERT INTO experiments SELECT ?, experiment, point, draw, ?, inputs "
                "FROM _chunk_experiments",
                [run_id, result.index],
            )
            con.execute(
                "INSERT INTO outcomes SELECT ?, experiment, definition::VARCHAR, "
                'reading::VARCHAR, "case"::VARCHAR, side::VARCHAR, quantity::VARCHAR, value '
                "FROM _chunk_outcomes",
                [run_id],
            )
            con.execute(
                "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, now())",
                [run_id, result.index, len(experiments), len(outcomes), seconds],
            )
            con.commit()
        except duckdb.ConstraintException:
            con.rollback()
            raise StoreError(
                f"chunk {result.index} of run {run_id[:ID_SHOWN]} is already stored"
            ) from None
        except BaseException:
            with contextlib.suppress(Exception):
                con.rollback()
            raise
        finally:
            con.unregister("_chunk_experiments")
            con.unregister("_chunk_outcomes")
        return len(outcomes)

    def remove(self, run_id: str) -> RunInfo:
        """Delete a run and everything stored for it; return what it was."""
        info = self.run(run_id)
        con = self.con
        con.begin()
        try:
            for table in ("outcomes", "experiments", "chunks", "runs"):
                con.execute(f"DELETE FROM {table} WHERE run_id = ?", [info.run_id])
            con.commit()
        except BaseException:
            con.rollback()
            raise
        con.execute("CHECKPOINT")
        return info

    # reading ---------------------------------------------------------------

    def experiments(self, run_id: str) -> pd.DataFrame:
        """One row per experiment: experiment, point, draw, then one column per input."""
        import pandas as pd

        full = self.resolve(run_id)
        frame = self.con.execute(
            "SELECT experiment, point, draw, inputs FROM experiments WHERE run_id = ? "
            "ORDER BY experiment",
            [full],
        ).df()
        inputs = pd.DataFrame([json.loads(t) for t in frame["inputs"]], index=frame.index)
        info = self.find(full)
        order = [lv["name"] for lv in info.levers] if info is not None else []
        columns = [c for c in order if c in inputs] + [c for c in inputs if c not in order]
        out: pd.DataFrame = pd.concat([frame.drop(columns="inputs"), inputs[columns]], axis=1)
        return out

    def outcomes(
        self,
        run_id: str,
        *,
        definition: str | None = None,
        reading: str | None = None,
        case: str | None = None,
        side: str | None = None,
        quantity: str | None = None,
        with_inputs: bool = False,
    ) -> pd.DataFrame:
        """Tidy outcomes of a run, ordered by experiment, optionally filtered.

        Parameters
        ----------
        run_id
            The run (its id or a unique start of it).
        definition, reading, case, side, quantity
            Keep only rows with this value in that column.
        with_inputs
            Add the experiment's point, draw and one column per lever.

        Returns
        -------
        pandas.DataFrame
            experiment, definition, reading, case, side, quantity, value
            (then point, draw and the inputs when asked).
        """
        full = self.resolve(run_id)
        where = ["run_id = ?"]
        args: list[Any] = [full]
        for column, value in (
            ("definition", definition),
            ("reading", reading),
            ('"case"', case),
            ("side", side),
            ("quantity", quantity),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        frame: pd.DataFrame = self.con.execute(
            'SELECT experiment, definition, reading, "case", side, quantity, value FROM outcomes '
            f"WHERE {' AND '.join(where)} "
            'ORDER BY experiment, definition, reading, "case", side, quantity',
            args,
        ).df()
        if not with_inputs:
            return frame
        merged: pd.DataFrame = frame.merge(self.experiments(full), on="experiment", how="left")
        return merged

    def export(self, run_id: str, path: str | os.PathLike[str], fmt: ExportFormat) -> Path:
        """Write a run's outcomes, with its inputs as columns, to a Parquet or CSV file.

        DuckDB writes the file to a temporary file beside the target, which the one
        writer of output files (:func:`detente.io.output.write_file_at`) renames over
        it when complete: nothing is left half-written, and a link, a device, a folder
        or a read-only file at the path is refused.
        """
        info = self.run(run_id)
        target = check_file(path, what=f"the {fmt} export", error=ExportError)
        inputs = ", ".join(
            f"json_extract{'' if lv['numeric'] else '_string'}(e.inputs, '$.{lv['name']}')"
            + ("::DOUBLE" if lv["numeric"] else "")
            + f' AS "{lv["name"]}"'
            for lv in info.levers
        )
        query = (
            f"SELECT o.experiment, e.point, e.draw, {inputs + ',' if inputs else ''} "
            'o.definition, o.reading, o."case", o.side, o.quantity, o.value '
            "FROM outcomes o JOIN experiments e USING (run_id, experiment) "
            f"WHERE o.run_id = '{info.run_id}' "
            'ORDER BY o.experiment, o.definition, o.reading, o."case", o.side, o.quantity'
        )
        options = "FORMAT PARQUET" if fmt == "parquet" else "FORMAT CSV, HEADER"

        def copy(tmp: Path) -> None:
            self.con.execute(f"COPY ({query}) TO '{_sql_text(str(tmp))}' ({options})")

        return write_file_at(target, copy, what=f"the {fmt} export", error=ExportError)


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _version() -> str:
    from detente import __version__

    return __version__


def open_store(
    path: str | os.PathLike[str] = DEFAULT_STORE, *, read_only: bool = False
) -> ResultsStore:
    """Open (or create) the results store at ``path``."""
    return ResultsStore(path, read_only=read_only)


__all__ = [
    "DEFAULT_STORE",
    "ID_SHOWN",
    "ExportError",
    "ResultsStore",
    "RunInfo",
    "StoreError",
    "open_store",
]
