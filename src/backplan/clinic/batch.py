"""Many handouts at once: every roster row through the pipeline and a renderer, on every core.

Each row is screened and planned on its own (`pipeline.make_outcome`), so a stop in one row
gives that patient the stop notice and a bad row fails alone. Output names come from the
patient's name and the date, and never overwrite another row's file or a file the batch did
not write. Files are written atomically, so an interrupted batch leaves only whole files:
Ctrl-C (or SIGTERM) cancels the rows not started, lets the running ones finish, and the report
says what was made; workers die with the batch, even when it is killed.

Resuming: each file written is noted in the folder's manifest (`.backplan-batch.jsonl`, one
JSON line per file: its name and a digest of the row's answers and the render options). A rerun
keeps a file the manifest says was made from the same inputs (reported "kept"; the row is
still screened, so a stop is still listed), remakes one whose inputs changed under the same
name, and `force` remakes them all. So a rerun after a kill never makes `-2` copies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import select
import signal
import threading
import time
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from backplan import render
from backplan.errors import (
    EXIT_EMERGENCY,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_SEE_CLINICIAN,
    BackplanError,
    display_path,
)
from backplan.files.atomic import write_atomic
from backplan.library.catalogue import load_library
from backplan.pipeline import PlanRequest, make_outcome
from backplan.planning.outcome import Stop
from backplan.render import RenderOptions

if TYPE_CHECKING:
    from backplan.clinic.roster import RosterRow
    from backplan.library.catalogue import Library

BATCH_FORMATS = ("pdf", "html", "md", "json", "ics")
SUFFIX_FOR = {"pdf": ".pdf", "html": ".html", "md": ".md", "json": ".json", "ics": ".ics"}
MAX_SLUG = 60
MANIFEST = ".backplan-batch.jsonl"
# How often a worker checks that its batch is still alive where the OS cannot tell it.
PARENT_CHECK_S = 1.0
# Rows a worker writes before the pool is replaced by a fresh one (see `_run_pool`): enough
# that a clinic's day of 200 on two cores never pays for it, few enough that a worker's slow
# growth in the C libraries stays within a few MB.
ROWS_PER_WORKER = 100
# What a worker imports for a format, imported once in the server that forks the workers.
WORKER_IMPORTS = {"pdf": ("backplan.render.pdf", "weasyprint"), "html": ("backplan.render.html",)}

Status = Literal["made", "kept", "stopped", "failed"]


@dataclass(frozen=True)
class BatchRequest:
    """One batch: the roster's rows, where the files go, and how to render them."""

    out_dir: Path
    fmt: str = "pdf"
    jobs: int | None = None  # None: one worker per core
    library_paths: tuple[Path, ...] = ()
    options: RenderOptions | None = None  # paper, clinic, templates (the language is per row)
    date: dt.date = field(default_factory=dt.date.today)
    force: bool = False  # remake files an earlier run already made from the same inputs


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
    kept: bool = False  # the file was made by an earlier run from the same inputs

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
    def kept(self) -> list[RowResult]:
        """Plans kept from an earlier run (kept stop notices are in `stopped`)."""
        return self.with_status("kept")

    @property
    def stopped(self) -> list[RowResult]:
        return self.with_status("stopped")

    @property
    def failed(self) -> list[RowResult]:
        return self.with_status("failed")

    @property
    def exit_code(self) -> int:
        """130 if cut short; else 4 when any row was an emergency, 3 when any row stopped (a
        clinic's script must see a stop before a failure), 1 when any row failed, 0."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if any(r.urgency == "emergency" for r in self.stopped):
            return EXIT_EMERGENCY
        if self.stopped:
            return EXIT_SEE_CLINICIAN
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
    digest: str = ""  # of the inputs that shape the file, for the manifest
    keep: bool = False  # the file exists, made from the same inputs: screen, do not redo


def slugify(text: str) -> str:
    """`Ana Pérez` -> `ana-perez`: ASCII letters, digits and hyphens, safe on every filesystem."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def output_names(
    rows: Sequence[RosterRow],
    out_dir: Path,
    fmt: str,
    date: dt.date,
    ours: Collection[str] = (),
) -> dict[int, Path]:
    """A file for each valid row, named from the patient and the date, none clashing.

    A name already taken, by an earlier row or by a file in the folder that is not in `ours`
    (the names an earlier batch wrote there), gets -2, -3, ... added. Rows without a usable
    name are `patient-row-N`.
    """
    suffix = SUFFIX_FOR[fmt]
    mine = {name.lower() for name in ours}
    taken = (
        {p.name.lower() for p in out_dir.iterdir() if p.name.lower() not in mine}
        if out_dir.is_dir()
        else set()
    )
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
    """Make every row's handout; call `on_result` as each row finishes (in this process).

    With more than one job the workers start by importing the program's main module, as
    multiprocessing's forkserver does: a script that calls this needs the usual
    `if __name__ == "__main__":` guard."""
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
    # Read the library once here: a broken library is one error, not one per row, and the
    # workers then read it from the parsed-library cache this leaves. Cleared first: the cache
    # is keyed on the paths, and a program that runs two batches must not get the folders as
    # they were the first time.
    _library.cache_clear()
    _library(request.library_paths)

    report = BatchReport(results=[], total=len(rows))

    def record(result: RowResult) -> None:
        report.results.append(result)
        if on_result is not None:
            on_result(result)

    options = request.options or RenderOptions()
    made_before = read_manifest(out_dir)
    names = output_names(rows, out_dir, request.fmt, request.date, made_before)
    jobs: list[_Job] = []
    for row in rows:
        if not row.ok:
            problems = "; ".join(str(p) for p in row.problems)
            record(RowResult(row.number, row.line, row.label, "failed", error=problems))
            continue
        path = names[row.number]
        digest = _digest(row, request, options)
        jobs.append(
            _Job(
                number=row.number,
                line=row.line,
                label=row.label,
                answers=row.answers,
                source=row.source,
                prefix=row.prefix,
                path=path,
                fmt=request.fmt,
                library_paths=request.library_paths,
                options=options,
                date=request.date,
                problems="; ".join(str(p) for p in row.problems) or None,
                digest=digest,
                keep=not request.force and made_before.get(path.name) == digest and path.is_file(),
            )
        )
    workers = max(1, min(request.jobs or os.cpu_count() or 1, len(jobs) or 1))
    if workers == 1:
        report.interrupted = _run_here(jobs, record)
    else:
        report.interrupted = _run_pool(jobs, workers, record, fmt=request.fmt)
    return report


def read_manifest(out_dir: Path) -> dict[str, str]:
    """The files earlier batches wrote in `out_dir` and their inputs' digests (latest wins)."""
    try:
        text = (out_dir / MANIFEST).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    made: dict[str, str] = {}
    for line in text.splitlines():
        try:
            entry = json.loads(line)
            made[str(entry["file"])] = str(entry["digest"])
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a kill
    return made


def _note_made(path: Path, digest: str) -> None:
    """Add one line to the folder's manifest; one short O_APPEND write, so workers never mix."""
    line = json.dumps({"file": path.name, "digest": digest}, ensure_ascii=False) + "\n"
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path.parent / MANIFEST, flags, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        pass  # without the note a rerun remakes this file under the same name: no harm


def _digest(row: RosterRow, request: BatchRequest, options: RenderOptions) -> str:
    """What shapes a row's file: its answers, the format, date and options, the library."""
    answers = row.answers
    dump = answers.model_dump(mode="json") if hasattr(answers, "model_dump") else repr(answers)
    inputs = {
        "answers": dump,
        "problems": [str(p) for p in row.problems],
        "fmt": request.fmt,
        "date": request.date.isoformat(),
        "options": repr(options),
        "library": [str(p) for p in request.library_paths],
    }
    text = json.dumps(inputs, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _run_here(jobs: list[_Job], record: Callable[[RowResult], None]) -> bool:
    """One worker: no pool to start. Returns True when interrupted."""
    # Each row carries its own language to its outcome and renderers: nothing to restore.
    try:
        for job in jobs:
            record(make_row(job))
    except KeyboardInterrupt:
        return True  # the row being written is dropped whole (write_atomic cleans up)
    return False


def _run_pool(
    jobs: list[_Job],
    workers: int,
    record: Callable[[RowResult], None],
    *,
    fmt: str = "pdf",
    rows_per_worker: int = ROWS_PER_WORKER,
) -> bool:
    """Rows in process pools, a fresh pool every `rows_per_worker` rows a worker. Returns True
    when interrupted by Ctrl-C.

    A worker's memory creeps up by some 30 KB a handout in the C libraries under WeasyPrint
    (Pango, HarfBuzz, fontconfig), and WeasyPrint alone on the same HTML creeps as much
    (benchmarks/README.md). Replacing the pool bounds it, so a roster of thousands runs in the
    memory of its first few hundred rows. (Python 3.11's own `max_tasks_per_child` can leave
    the pool without workers: CPython issue 115634.)
    """
    context = _pool_context(fmt)
    per_pool = workers * rows_per_worker
    pending = list(jobs)
    retried: set[int] = set()  # rows tried once more after a worker died while writing them
    try:
        while pending:
            part, pending = pending[:per_pool], pending[per_pool:]
            interrupted, not_run = _run_one_pool(
                part, min(workers, len(part)), record, context, retried
            )
            if interrupted:
                return True
            pending = not_run + pending  # a broken pool's rows go to the next one
    except KeyboardInterrupt:  # between two pools: no row is being written
        return True
    return False


def _pool_context(fmt: str) -> Any:
    """Workers forked from a small server process that starts from scratch (`forkserver`),
    not from this one: a worker then holds none of the roster this process read (some 10 KB
    a row), so its memory does not grow with the roster's length. The server imports what a
    worker needs once; each new worker starts with it. Where there is no forkserver, the
    platform's default start method."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    context = multiprocessing.get_context("forkserver")
    # Read when the server starts, the first time a pool needs it; later calls change nothing.
    context.set_forkserver_preload([__name__, *WORKER_IMPORTS.get(fmt, ())])
    return context


def start_worker_server(fmt: str) -> None:
    """Start the process the workers will come from now, so it imports the renderer while
    this process reads the roster (on another core). If the batch turns out to need a
    single worker, the server stays idle and ends with this process."""
    if _pool_context(fmt).get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _run_one_pool(
    jobs: list[_Job],
    workers: int,
    record: Callable[[RowResult], None],
    context: Any,
    retried: set[int],
) -> tuple[bool, list[_Job]]:
    """Rows in one process pool. Returns whether Ctrl-C interrupted it, and the rows it did
    not finish because a worker died (killed, out of memory) and broke the pool.

    A row is handed out only when a worker is free: the pool's own queue runs ahead of the
    workers and what is in it can no longer be cancelled, so on Ctrl-C an interrupted batch
    would write several more handouts before it stopped. Now it finishes only the rows being
    written. A broken pool fails every row in flight, the dead worker's and the others' (whose
    file may even be written): each is tried once more in the next pool (`retried`), and a
    row whose worker dies again fails with a message saying so."""
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
    )
    waiting = list(reversed(jobs))
    running: dict[Future[RowResult], _Job] = {}

    def hand_out() -> None:
        if not waiting:
            return
        try:
            running[executor.submit(make_row, waiting[-1])] = waiting[-1]
        except BrokenProcessPool:
            return  # hand out nothing more; what is still waiting goes to the next pool
        waiting.pop()

    again: list[_Job] = []
    interrupted = False
    try:
        for _ in range(workers):
            hand_out()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                if isinstance(future.exception(), BrokenProcessPool) and job.number not in retried:
                    retried.add(job.number)
                    again.append(job)
                else:
                    record(_result_of(future, job))
                hand_out()
    except KeyboardInterrupt:
        interrupted = True
        # Rows not handed out are dropped; rows being written finish, so every file is whole.
        for future, job in running.items():
            record(_result_of(future, job))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return interrupted, again + waiting[::-1]


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


def _worker_start(batch: int) -> None:
    # Ctrl-C reaches the whole process group; only the parent decides what stops, so a worker
    # never dies halfway through a row.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent turns SIGTERM into Ctrl-C; a worker keeps the default, so the pool can end it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_batch(batch)


def _die_with_batch(batch: int) -> None:
    """End this worker when the batch process is gone (`kill -9`), instead of waiting for work
    forever.

    A forkserver, not the batch, is a worker's parent, so the kernel's parent-death signal
    would watch the wrong process. Linux: a thread waits on a pidfd of the batch process, which
    becomes readable the moment it ends. Elsewhere the thread checks every PARENT_CHECK_S that
    it still exists (the same user's process, so another user's process under a reused number
    also counts as gone).
    """
    handle: int | None = None
    try:
        handle = os.pidfd_open(batch)
    except ProcessLookupError:
        os._exit(1)  # the batch ended before this worker started
    except (AttributeError, OSError):
        pass  # no pidfd here: check now and then

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
            os._exit(1)
        while True:
            time.sleep(PARENT_CHECK_S)
            try:
                os.kill(batch, 0)
            except (ProcessLookupError, PermissionError):
                os._exit(1)

    threading.Thread(target=watch, name="backplan-batch-watch", daemon=True).start()


@cache
def _library(paths: tuple[Path, ...]) -> Library:
    return load_library(list(paths))


def make_row(job: _Job) -> RowResult:
    """Plan or stop one row and write its file; any error is this row's failure only."""
    base: dict[str, Any] = {"number": job.number, "line": job.line, "label": job.label}
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
    except BackplanError as exc:
        return RowResult(**base, status="failed", error=_one_line(exc))
    except Exception as exc:  # a bug must not stop the other rows; say what it was
        return RowResult(
            **base, status="failed", error=f"internal error: {type(exc).__name__}: {exc}"
        )
    if job.problems and not isinstance(outcome, Stop):
        return RowResult(**base, status="failed", error=job.problems)
    path: Path | None = job.path  # kept: made by an earlier run from these same inputs
    error = job.problems
    if not job.keep:
        try:
            options = dataclasses.replace(
                job.options,
                lang=outcome.lang,
                large_print=job.options.large_print
                or bool(getattr(job.answers, "large_print", False)),
            )
            path = render.write_outcome(outcome, job.path, job.fmt, options)
            _note_made(path, job.digest)
        except Exception as exc:
            what = (
                _one_line(exc)
                if isinstance(exc, BackplanError)
                else (f"internal error: {type(exc).__name__}: {exc}")
            )
            if not isinstance(outcome, Stop):
                return RowResult(**base, status="failed", error=what)
            # The notice could not be written, but the stop is still this row's result: it
            # is listed with its urgency and reasons, and counts in the exit code.
            path = None
            error = "; ".join(e for e in (f"the stop notice was not written: {what}", error) if e)
    if isinstance(outcome, Stop):
        return RowResult(
            **base,
            status="stopped",
            path=path,
            urgency=outcome.urgency,
            reasons=tuple(r.message for r in outcome.reasons),
            error=error,
            kept=job.keep,
        )
    return RowResult(**base, status="kept" if job.keep else "made", path=path, kept=job.keep)


def _one_line(exc: BackplanError) -> str:
    return "; ".join(str(p) for p in exc.problems) or str(exc)


def combine_pdfs(paths: list[Path], target: Path) -> Path:
    """One PDF of `paths` in order (`batch --combined`: the day's print file), written
    atomically. A blank page follows a file with an odd number of pages, so on a printer that
    prints both sides every patient's handout starts on a sheet of its own."""

    from pypdf import PdfWriter

    writer = PdfWriter()
    for n, path in enumerate(paths):
        writer.append(str(path))
        if len(writer.pages) % 2 and n < len(paths) - 1:
            writer.add_blank_page()
    buffer = io.BytesIO()
    writer.write(buffer)
    return write_atomic(target, buffer.getvalue())
