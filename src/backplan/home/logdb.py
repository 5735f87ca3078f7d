"""The patient's session log: a private SQLite file on their own machine.

One file (default: the user's data folder, `log.sqlite3`), created with mode 0600, in WAL mode,
its schema versioned with `PRAGMA user_version` and brought up to date by `MIGRATIONS`.
Every write is its own committed transaction, so a session killed at any moment loses at most
the exercise in progress.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

from backplan.errors import BackplanError, display_path

DB_NAME = "log.sqlite3"

# Each migration is the list of statements that takes the schema from version i to i + 1.
# Never edit a released migration: append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,            -- ISO 8601 local time with UTC offset
            ended_at TEXT,                       -- NULL while running or after a hard kill
            plan TEXT NOT NULL,                  -- the plan JSON followed (Plan.to_dict())
            pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
            pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
            stopped TEXT,                        -- why it ended early; NULL when finished
            note TEXT
        )
        """,
        """
        CREATE TABLE exercise_logs (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            exercise_id TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,                  -- warmup | modified
            sets INTEGER NOT NULL CHECK (sets >= 0),
            reps INTEGER,
            hold_s INTEGER,
            pain_during INTEGER CHECK (pain_during BETWEEN 0 AND 10),
            sharp_pain INTEGER NOT NULL DEFAULT 0 CHECK (sharp_pain IN (0, 1)),
            done_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX exercise_logs_by_session ON exercise_logs (session_id)",
        """
        CREATE TABLE psfs (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,                  -- ISO 8601 date
            activity TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL
        )
        """,
    ),
)
MIGRATIONS += (
    # 2: days typed in from the printed log (`backplan log add`) are sessions marked `paper`.
    ("ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT 'session'",),
)
SCHEMA_VERSION = len(MIGRATIONS)
SOURCES = ("session", "paper")


@dataclass(frozen=True)
class SessionRecord:
    id: int
    started_at: str
    ended_at: str | None
    plan: dict[str, Any]
    pain_before: int | None
    pain_after: int | None
    stopped: str | None
    note: str | None
    source: str = "session"  # session (guided, on this machine) | paper (typed in from the log)


@dataclass(frozen=True)
class ExerciseRecord:
    id: int
    session_id: int
    exercise_id: str
    name: str
    kind: str
    sets: int
    reps: int | None
    hold_s: int | None
    pain_during: int | None
    sharp_pain: bool
    done_at: str


@dataclass(frozen=True)
class PsfsRecord:
    id: int
    date: str
    activity: str
    score: int
    session_id: int | None = None


@dataclass(frozen=True)
class LogRecords:
    """Everything in the log, oldest first: what progress and advice read."""

    sessions: tuple[SessionRecord, ...] = ()
    exercises: tuple[ExerciseRecord, ...] = ()
    psfs: tuple[PsfsRecord, ...] = field(default_factory=tuple)
    skipped: tuple[str, ...] = ()  # rows that could not be read, each named by its id


# No session can be older than this program; an older date is a hand edit or a broken clock,
# and drawing weeks from year 1 to today would print a hundred thousand rows.
EARLIEST_DAY = dt.date(2000, 1, 1)


class _Corrupt(ValueError):
    """A row of the log that cannot be read as what it should be."""


def _keep(skipped: list[str], what: str, rows: Any, make: Any) -> tuple[Any, ...]:
    kept, bad = [], []
    for row in rows:
        try:
            kept.append(make(row))
        except _Corrupt as exc:
            bad.append((row[0], f"{what} {row[0]}: {exc}; skipped"))
    skipped += [message for _id, message in sorted(bad, key=lambda b: str(b[0]))]
    return tuple(kept)


def _timestamp(value: Any, column: str) -> str:
    """An ISO 8601 date and time, from EARLIEST_DAY on, returned unchanged."""
    try:
        when = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Corrupt(f"{column} {_shown(value)} is not a date and time") from None
    if when.date() < EARLIEST_DAY:
        raise _Corrupt(f"{column} {_shown(value)} is before {EARLIEST_DAY.year}")
    return str(value)


def _day(value: Any, column: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Corrupt(f"{column} {_shown(value)} is not a date") from None
    if day < EARLIEST_DAY:
        raise _Corrupt(f"{column} {_shown(value)} is before {EARLIEST_DAY.year}")
    return str(value)


def _score(value: Any, column: str, *, optional: bool = True) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise _Corrupt(f"{column} {_shown(value)} is not a score from 0 to 10")
    return value


def _count(value: Any, column: str, *, optional: bool = True) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Corrupt(f"{column} {_shown(value)} is not a count")
    return value


def _text(value: Any, column: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _Corrupt(f"{column} {_shown(value)} is not text")
    return value


def _plan(value: Any) -> dict[str, Any]:
    """The plan JSON: an object whose exercise lists hold objects with an id."""
    try:
        plan = json.loads(value)
    except (TypeError, ValueError):
        raise _Corrupt("plan is not JSON") from None
    if not isinstance(plan, dict):
        raise _Corrupt(f"plan is {_shown(json.dumps(plan))}, not a plan")
    for key in ("warmup", "exercises"):
        items = plan.get(key, [])
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("id"), str) for i in items
        ):
            raise _Corrupt(f"plan's `{key}` is not a list of exercises")
    return plan


def _shown(value: Any) -> str:
    """A value from the log as a message shows it: short, with no control character."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _session_record(r: Sequence[Any]) -> SessionRecord:
    started = _timestamp(r[1], "started_at")
    ended = None if r[2] is None else _timestamp(r[2], "ended_at")
    return SessionRecord(
        id=r[0],
        started_at=started,
        ended_at=ended,
        plan=_plan(r[3]),
        pain_before=_score(r[4], "pain_before"),
        pain_after=_score(r[5], "pain_after"),
        stopped=_text(r[6], "stopped"),
        note=_text(r[7], "note"),
        source=r[8] if r[8] in SOURCES else "session",
    )


def _exercise_record(r: Sequence[Any]) -> ExerciseRecord:
    return ExerciseRecord(
        id=r[0],
        session_id=r[1],
        exercise_id=_text(r[2], "exercise_id", optional=False) or "",
        name=_text(r[3], "name", optional=False) or "",
        kind=_text(r[4], "kind", optional=False) or "",
        sets=_count(r[5], "sets", optional=False) or 0,
        reps=_count(r[6], "reps"),
        hold_s=_count(r[7], "hold_s"),
        pain_during=_score(r[8], "pain_during"),
        sharp_pain=bool(r[9]),
        done_at=_timestamp(r[10], "done_at"),
    )


def _psfs_record(r: Sequence[Any]) -> PsfsRecord:
    return PsfsRecord(
        id=r[0],
        date=_day(r[1], "date"),
        activity=_text(r[2], "activity", optional=False) or "",
        score=_score(r[3], "score", optional=False) or 0,
        session_id=r[4],
    )


LOG_FORMAT = 1  # the version of the `log` object in `backplan progress --format json`


def records_to_data(records: LogRecords) -> dict[str, Any]:
    """The whole log as plain JSON data: what a clinic's `plan --next --progress` reads back."""
    return {
        "format": LOG_FORMAT,
        "sessions": [dataclasses.asdict(s) for s in records.sessions],
        "exercises": [dataclasses.asdict(e) for e in records.exercises],
        "psfs": [dataclasses.asdict(p) for p in records.psfs],
    }


def records_from_data(data: Any, shown: str) -> LogRecords:
    """The log from `records_to_data`'s output; rows that cannot be read are skipped and named,
    as `LogDB.records` does."""
    if not isinstance(data, dict) or not isinstance(data.get("sessions"), list):
        raise BackplanError(
            f"{shown}: has no session log; make it with `backplan progress --format json`"
        )
    skipped: list[str] = []

    def rows(key: str, fields: tuple[str, ...]) -> list[tuple[Any, ...]]:
        items = data.get(key) or []
        return [
            tuple(item.get(f) for f in fields) if isinstance(item, dict) else (None,) * len(fields)
            for item in (items if isinstance(items, list) else [])
        ]

    session_fields = (
        "id",
        "started_at",
        "ended_at",
        "plan",
        "pain_before",
        "pain_after",
        "stopped",
        "note",
        "source",
    )
    sessions = _keep(
        skipped,
        "session",
        [(*r[:3], json.dumps(r[3]), *r[4:]) for r in rows("sessions", session_fields)],
        _session_record,
    )
    exercises = _keep(
        skipped,
        "exercise log",
        rows(
            "exercises",
            (
                "id",
                "session_id",
                "exercise_id",
                "name",
                "kind",
                "sets",
                "reps",
                "hold_s",
                "pain_during",
                "sharp_pain",
                "done_at",
            ),
        ),
        _exercise_record,
    )
    psfs = _keep(
        skipped,
        "activity score",
        rows("psfs", ("id", "date", "activity", "score", "session_id")),
        _psfs_record,
    )
    return LogRecords(sessions, exercises, psfs, tuple(skipped))


def default_db_path() -> Path:
    """Where the log lives unless `--db` says otherwise: the user's data folder."""
    return user_data_path("backplan", appauthor=False) / DB_NAME


class LogDB:
    """An open log. Use `open_log`; close it (or use it as a context manager) when done."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def __enter__(self) -> LogDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement as its own transaction: committed (and synced) when this returns."""
        try:
            cursor = self.conn.execute(sql, params)  # autocommit: see open_log
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None
        return cursor.lastrowid or 0

    # -- sessions ----------------------------------------------------------------------------

    def start_session(self, started_at: str, plan: dict[str, Any]) -> int:
        return self._write(
            "INSERT INTO sessions (started_at, plan) VALUES (?, ?)",
            (started_at, json.dumps(plan, ensure_ascii=False, sort_keys=True)),
        )

    def set_pain_before(self, session_id: int, pain: int) -> None:
        self._write("UPDATE sessions SET pain_before = ? WHERE id = ?", (pain, session_id))

    def end_session(
        self,
        session_id: int,
        ended_at: str,
        *,
        pain_after: int | None = None,
        stopped: str | None = None,
        note: str | None = None,
    ) -> None:
        self._write(
            "UPDATE sessions SET ended_at = ?, pain_after = ?, stopped = ?, note = ? WHERE id = ?",
            (ended_at, pain_after, stopped, note or None, session_id),
        )

    def log_exercise(
        self,
        session_id: int,
        *,
        exercise_id: str,
        name: str,
        kind: str,
        sets: int,
        reps: int | None,
        hold_s: int | None,
        pain_during: int | None,
        sharp_pain: bool,
        done_at: str,
    ) -> int:
        return self._write(
            "INSERT INTO exercise_logs (session_id, exercise_id, name, kind, sets, reps, hold_s,"
            " pain_during, sharp_pain, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                exercise_id,
                name,
                kind,
                sets,
                reps,
                hold_s,
                pain_during,
                int(sharp_pain),
                done_at,
            ),
        )

    def add_psfs(self, date: str, activity: str, score: int, session_id: int | None = None) -> int:
        return self._write(
            "INSERT INTO psfs (date, activity, score, session_id) VALUES (?, ?, ?, ?)",
            (date, activity, score, session_id),
        )

    def add_paper_day(
        self,
        started_at: str,
        plan: dict[str, Any],
        done: Sequence[dict[str, Any]],
        pain: int | None,
        stopped: str | None = None,
    ) -> tuple[int, bool]:
        """One day of the printed log as a `paper` session with the exercises ticked, all or
        nothing. A day already typed in for this plan is replaced, never counted twice.

        Returns the session id and whether an earlier entry for that day was replaced.
        """
        text = json.dumps(plan, ensure_ascii=False, sort_keys=True)
        day = started_at[:10]
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                old = [
                    r[0]
                    for r in self.conn.execute(
                        "SELECT id FROM sessions WHERE source = 'paper' AND plan = ?"
                        " AND substr(started_at, 1, 10) = ?",
                        (text, day),
                    )
                ]
                for session_id in old:
                    self.conn.execute(
                        "DELETE FROM exercise_logs WHERE session_id = ?", (session_id,)
                    )
                    self.conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
                cursor = self.conn.execute(
                    "INSERT INTO sessions (started_at, ended_at, plan, pain_before, stopped,"
                    " source) VALUES (?, ?, ?, ?, ?, 'paper')",
                    (started_at, started_at, text, pain, stopped),
                )
                session_id = cursor.lastrowid or 0
                for item in done:
                    self.conn.execute(
                        "INSERT INTO exercise_logs (session_id, exercise_id, name, kind, sets,"
                        " reps, hold_s, pain_during, sharp_pain, done_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, ?)",
                        (
                            session_id,
                            item["id"],
                            item.get("name") or item["id"],
                            item.get("kind") or "modified",
                            int(item.get("sets") or 1),
                            item.get("reps"),
                            item.get("hold_s") or None,
                            started_at,
                        ),
                    )
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None
        return session_id, bool(old)

    # -- reading -----------------------------------------------------------------------------

    def records(self) -> LogRecords:
        """Every row, oldest first; a row that cannot be read (a hand edit) is skipped and named
        in `LogRecords.skipped`, never a crash."""
        skipped: list[str] = []
        try:
            sessions = _keep(
                skipped,
                "session",
                self.conn.execute(
                    "SELECT id, started_at, ended_at, plan, pain_before, pain_after, stopped, note,"
                    " source FROM sessions ORDER BY started_at, id"
                ),
                _session_record,
            )
            exercises = _keep(
                skipped,
                "exercise log",
                self.conn.execute(
                    "SELECT id, session_id, exercise_id, name, kind, sets, reps, hold_s,"
                    " pain_during, sharp_pain, done_at FROM exercise_logs ORDER BY done_at, id"
                ),
                _exercise_record,
            )
            psfs = _keep(
                skipped,
                "activity score",
                self.conn.execute(
                    "SELECT id, date, activity, score, session_id FROM psfs ORDER BY date, id"
                ),
                _psfs_record,
            )
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None
        return LogRecords(sessions, exercises, psfs, tuple(skipped))

    def integrity(self) -> str:
        """`ok`, or SQLite's description of what is damaged."""
        return "\n".join(r[0] for r in self.conn.execute("PRAGMA integrity_check"))


# How long a writer waits for another process holding the log (a second session started at the
# same moment, a progress report being read) before saying the log is busy.
BUSY_TIMEOUT_S = 30


def open_log(path: Path | None = None, *, create: bool = True) -> LogDB:
    """Open (and, with `create`, make) the log at `path` or the default place, schema up to date.

    Without `create`, a missing file raises FileNotFoundError so readers never make one, and a
    log this user cannot write (a read-only copy) is opened read-only.
    """
    default = path is None
    path = default_db_path() if path is None else Path(path)
    shown = display_path(path)
    if path.is_symlink() and not path.exists():
        # Following it would create the health log wherever the link points.
        raise BackplanError(
            f"{shown}: is a link to a file that does not exist; give the log itself"
        )
    created = False
    if not path.exists():
        if not create:
            raise FileNotFoundError(path)
        if default:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        elif not path.parent.is_dir():
            raise BackplanError(f"{shown}: the folder {display_path(path.parent)} does not exist")
        created = _create_private(path)
    elif path.is_dir():
        raise BackplanError(f"{shown}: is a folder, not a log file")
    elif not path.is_file():
        raise BackplanError(f"{shown}: is not a regular file (a device or a pipe)")
    if not create and not os.access(path, os.W_OK):
        return _open_read_only(path)
    try:
        # isolation_level=None: we open every transaction ourselves (see LogDB._write).
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        _forget(path, created)
        raise _friendly(exc, path) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path)
        _use_wal(conn)
        # FULL: a committed exercise survives a power cut too, not only a killed process.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        conn.close()
        _forget(path, created)
        raise _friendly(exc, path) from None
    except BaseException:
        conn.close()
        _forget(path, created)
        raise
    return LogDB(conn, path)


def _create_private(path: Path) -> bool:
    """Make the empty log file, private (0600) before SQLite ever writes to it.

    Its -wal and -shm files copy this mode. O_EXCL and O_NOFOLLOW: never through a link, and
    when another session created it a moment ago, use theirs. True when this call made it.
    """
    flags = os.O_CREAT | os.O_EXCL | os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)
    try:
        os.close(os.open(path, flags, 0o600))
    except FileExistsError:
        if path.is_symlink():
            raise BackplanError(f"{display_path(path)}: is a link; give the log itself") from None
        return False
    except OSError as exc:
        raise BackplanError(f"{display_path(path)}: cannot create: {exc.strerror}") from None
    return True


def _forget(path: Path, created: bool) -> None:
    """Remove a log this call created and could not set up (a full disk): no 0-byte log left."""
    if not created:
        return
    try:
        if path.stat().st_size:
            return  # another session wrote to it meanwhile: it is theirs now
        for extra in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                extra.unlink()
    except OSError:
        pass


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the log to WAL once (it is remembered in the file).

    Changing the journal mode does not wait on the busy timeout as a transaction does, so a
    session starting alongside another one retries for a while instead of failing.
    """
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _open_read_only(path: Path) -> LogDB:
    """A log this user may read but not write: read it as it is, never change it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        _check_version(conn, path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        # WAL needs its -shm file; in a folder we cannot write, read the file as a snapshot.
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            _check_version(conn, path)
        except sqlite3.Error as exc:
            raise _friendly(exc, path) from None
    return LogDB(conn, path)


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise BackplanError(
            f"{display_path(path)}: this log was written by a newer backplan (schema "
            f"{version}, this one knows {SCHEMA_VERSION}); update backplan to read it"
        )
    return version


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply the migrations this file lacks, each with its version bump in one transaction.

    The version is read again inside each write transaction: two sessions starting at once on
    a new log would otherwise both create the tables.
    """
    if _check_version(conn, path) == SCHEMA_VERSION:
        return SCHEMA_VERSION
    while True:
        conn.execute("BEGIN IMMEDIATE")  # waits for the other writer (busy timeout)
        try:
            index = _check_version(conn, path)
            if index >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return SCHEMA_VERSION
            for statement in MIGRATIONS[index]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {index + 1}")
            conn.execute("COMMIT")
        except BaseException:
            # A full disk may already have rolled the transaction back.
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise


# SQLite's words for the faults a person can do something about, and what to do.
_FAULTS = (
    ("database or disk is full", "the disk is full; free some space and try again"),
    ("disk i/o error", "the disk could not be written (full or failing); free some space"),
    ("database is locked", "another backplan is using the log; try again when it has finished"),
    ("readonly database", "the log is read-only; `backplan progress` can still read it"),
    ("file is not a database", "this file is not a backplan session log (or it is damaged)"),
    ("unable to open database", "cannot open it (check the folder's permissions)"),
)


def _friendly(exc: sqlite3.Error, path: Path) -> BackplanError:
    text = str(exc)
    for fault, advice in _FAULTS:
        if fault in text.lower():
            text = f"{advice} ({exc})"
            break
    return BackplanError(f"{display_path(path)}: cannot use this session log: {text}")
