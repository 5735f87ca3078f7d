"""Many handouts at once: every roster row through the pipeline and a renderer, on every core.

Each row is screened and planned on its own (`pipeline.make_outcome`), so a stop in one row
gives that patient the stop notice and a bad row fails alone. Output names come from the
patient's name and the date, and never overwrite a file that exists or another row's file.
Files are written atomically, so an interrupted batch leaves only whole files: Ctrl-C cancels
the rows not started, lets the running ones finish, and the report says what was made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from backplan.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, BackplanError, display_path

if TYPE_CHECKING:
    from backplan.library import Library
    from backplan.render import RenderOptions
    from backplan.roster import RosterRow

BATCH_FORMATS = ("pdf", "html", "md", "json", "ics")
SUFFIX_FOR = {"pdf": ".pdf", "html": ".html", "md": ".md", "json": ".json", "ics": ".ics"}
MAX_SLUG = 60

Status = Literal["made", "stopped", "failed"]


@dataclass(frozen=True)
class BatchRequest:
    """One batch: the roster's rows, where the files go, and how to render them."""

    out_dir: Path
    fmt: str = "pdf"
    jobs: int | None = None  # None: one worker per core
    library_paths: tuple[Path, ...] = ()
    options: RenderOptions | None = None  # paper, clinic, templates (the language is per row)
    date: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class RowResult:
    """What became of one roster row."""

    number: int
    line: int | None
    label: str
    status: Status
    path: Path | None = None
    urgency: str | None = None  # for a stop: see_clinician | emergency
    reasons: tuple[str, ...] = ()  # for a stop: the reasons, in the patient's language
    error: str | None = None  # what went wrong, with file:line when known (a stop's row too)

    @property
    def where(self) -> str:
        """`row 3 (line 12)`: how the summary names the row."""
        return f"row {self.number}" + (f" (line {self.line})" if self.line else "")


@dataclass
class BatchReport:
    results: list[RowResult]
    total: int
    interrupted: bool = False

    def with_status(self, status: Status) -> list[RowResult]:
        return sorted((r for r in self.results if r.status == status), key=lambda r: r.number)

    @property
    def made(self) -> list[RowResult]:
        return self.with_status("made")

    @property
    def stopped(self) -> list[RowResult]:
        return self.with_status("stopped")

    @property
    def failed(self) -> list[RowResult]:
        return self.with_status("failed")

    @property
    def exit_code(self) -> int:
        """0 when every row gave a plan or a stop notice; 1 when any row failed; 130 if cut short."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_PROBLEMS if self.failed else EXIT_OK


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs for one row (sent to another process, so plain and small)."""

    number: int
    line: int | None
    label: str
    answers: object
    source: object  # the row's positions (roster.RosterRow.source)
    prefix: tuple[int, ...]
    path: Path
    fmt: str
    library_paths: tuple[Path, ...]
    options: RenderOptions
    date: dt.date
    problems: str | None = None  # an invalid row whose safety answers already say stop


def slugify(text: str) -> str:
    """`Ana Pérez` -> `ana-perez`: ASCII letters, digits and hyphens, safe on every filesystem."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def output_names(
    rows: Sequence[RosterRow], out_dir: Path, fmt: str, date: dt.date
) -> dict[int, Path]:
    """A file for each valid row, named from the patient and the date, none clashing.

    A name already taken, in the folder or by an earlier row, gets -2, -3, ... added.
    Rows without a usable name are `patient-row-N`.
    """
    suffix = SUFFIX_FOR[fmt]
    taken = {p.name.lower() for p in out_dir.iterdir()} if out_dir.is_dir() else set()
    names: dict[int, Path] = {}
    for row in rows:
        if not row.ok:
            continue
        stem = f"{slugify(row.name or '') or f'patient-row-{row.number}'}-{date.isoformat()}"
        candidate, n = f"{stem}{suffix}", 1
        while candidate.lower() in taken:  # case-insensitive: macOS and Windows folders are
            n += 1
            candidate = f"{stem}-{n}{suffix}"
        taken.add(candidate.lower())
        names[row.number] = out_dir / candidate
    return names


def run_batch(
    request: BatchRequest,
    rows: Sequence[RosterRow],
    on_result: Callable[[RowResult], None] | None = None,
) -> BatchReport:
    """Make every row's handout; call `on_result` as each row finishes (in this process)."""
    from backplan.render import RenderOptions

    if request.fmt not in BATCH_FORMATS:
        raise BackplanError(
            f"a batch writes files: use --format {', '.join(BATCH_FORMATS)} (not {request.fmt})"
        )
    out_dir = request.out_dir
    if out_dir.exists() and not out_dir.is_dir():
        raise BackplanError(f"{display_path(out_dir)}: is a file; give a folder for the handouts")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackplanError(f"{display_path(out_dir)}: cannot create the folder: {exc}") from None
    # Read the library once here: a broken library is one error, not one per row, and forked
    # workers inherit it already parsed. Cleared first: the cache is keyed on the paths, and
    # a program that runs two batches must not get the folders as they were the first time.
    _library.cache_clear()
    _library(request.library_paths)

    report = BatchReport(results=[], total=len(rows))

    def record(result: RowResult) -> None:
        report.results.append(result)
        if on_result is not None:
            on_result(result)

    options = request.options or RenderOptions()
    names = output_names(rows, out_dir, request.fmt, request.date)
    jobs: list[_Job] = []
    for row in rows:
        if not row.ok:
            problems = "; ".join(str(p) for p in row.problems)
            record(RowResult(row.number, row.line, row.label, "failed", error=problems))
            continue
        jobs.append(
            _Job(
                number=row.number,
                line=row.line,
                label=row.label,
                answers=row.answers,
                source=row.source,
                prefix=row.prefix,
                path=names[row.number],
                fmt=request.fmt,
                library_paths=request.library_paths,
                options=options,
                date=request.date,
                problems="; ".join(str(p) for p in row.problems) or None,
            )
        )
    workers = max(1, min(request.jobs or os.cpu_count() or 1, len(jobs) or 1))
    if workers == 1:
        report.interrupted = _run_here(jobs, record)
    else:
        report.interrupted = _run_pool(jobs, workers, record)
    return report


def _run_here(jobs: list[_Job], record: Callable[[RowResult], None]) -> bool:
    """One worker: no pool to start. Returns True when interrupted."""
    from backplan import i18n

    language = i18n.current_language()
    try:
        for job in jobs:
            record(make_row(job))
    except KeyboardInterrupt:
        return True  # the row being written is dropped whole (write_atomic cleans up)
    finally:
        i18n.set_language(language)
    return False


def _run_pool(jobs: list[_Job], workers: int, record: Callable[[RowResult], None]) -> bool:
    """Rows in a process pool. Returns True when interrupted by Ctrl-C."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    executor = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start)
    futures = {executor.submit(make_row, job): job for job in jobs}
    pending = set(futures)
    interrupted = False
    try:
        for future in as_completed(futures):
            pending.discard(future)
            record(_result_of(future, futures[future]))
    except KeyboardInterrupt:
        interrupted = True
        # Rows not started are dropped; rows being written finish, so every file is whole.
        for future in pending:
            future.cancel()
        for future in pending:
            if not future.cancelled():
                record(_result_of(future, futures[future]))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return interrupted


def _result_of(future, job: _Job) -> RowResult:
    exc = future.exception()
    if exc is None:
        return future.result()
    # make_row catches everything it can; this is a worker that died (killed, out of memory)
    return RowResult(
        job.number,
        job.line,
        job.label,
        "failed",
        error=f"the worker process stopped: {type(exc).__name__}: {exc}",
    )


def _worker_start() -> None:
    import signal

    # Ctrl-C reaches the whole process group; only the parent decides what stops, so a worker
    # never dies halfway through a row.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@cache
def _library(paths: tuple[Path, ...]) -> Library:
    from backplan.library import load_library

    return load_library(list(paths))


def make_row(job: _Job) -> RowResult:
    """Plan or stop one row and write its file; any error is this row's failure only."""
    from backplan.pipeline import PlanRequest, make_outcome
    from backplan.plan import Stop
    from backplan.render import write_outcome

    base = {"number": job.number, "line": job.line, "label": job.label}
    try:
        request = PlanRequest(
            answers=job.answers,  # type: ignore[arg-type]
            library_paths=job.library_paths,
            date=job.date,
            library=_library(job.library_paths),
            answers_source=job.source,  # type: ignore[arg-type]
            answers_prefix=job.prefix,
        )
        outcome = make_outcome(request)
        if job.problems and not isinstance(outcome, Stop):
            return RowResult(**base, status="failed", error=job.problems)
        options = dataclasses.replace(
            job.options,
            lang=outcome.lang,
            large_print=job.options.large_print or bool(getattr(job.answers, "large_print", False)),
        )
        path = write_outcome(outcome, job.path, job.fmt, options)
    except BackplanError as exc:
        return RowResult(**base, status="failed", error=_one_line(exc))
    except Exception as exc:  # a bug must not stop the other rows; say what it was
        return RowResult(
            **base, status="failed", error=f"internal error: {type(exc).__name__}: {exc}"
        )
    if isinstance(outcome, Stop):
        return RowResult(
            **base,
            status="stopped",
            path=path,
            urgency=outcome.urgency,
            reasons=tuple(r.message for r in outcome.reasons),
            error=job.problems,
        )
    return RowResult(**base, status="made", path=path)


def _one_line(exc: BackplanError) -> str:
    return "; ".join(str(p) for p in exc.problems) or str(exc)
