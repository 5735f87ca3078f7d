"""The patient's session log: a private SQLite file on their own machine.

One file (default: the user's data folder, `log.sqlite3`), created with mode 0600, in WAL mode,
its schema versioned with `PRAGMA user_version` and brought up to date by `MIGRATIONS`.
Every write is its own committed transaction, so a session killed at any moment loses at most
the exercise in progress.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
SCHEMA_VERSION = len(MIGRATIONS)


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


def default_db_path() -> Path:
    """Where the log lives unless `--db` says otherwise: the user's data folder."""
    from platformdirs import user_data_path

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

    # -- reading -----------------------------------------------------------------------------

    def records(self) -> LogRecords:
        try:
            sessions = tuple(
                SessionRecord(
                    id=r[0],
                    started_at=r[1],
                    ended_at=r[2],
                    plan=json.loads(r[3]),
                    pain_before=r[4],
                    pain_after=r[5],
                    stopped=r[6],
                    note=r[7],
                )
                for r in self.conn.execute(
                    "SELECT id, started_at, ended_at, plan, pain_before, pain_after, stopped, note"
                    " FROM sessions ORDER BY started_at, id"
                )
            )
            exercises = tuple(
                ExerciseRecord(*r[:9], sharp_pain=bool(r[9]), done_at=r[10])
                for r in self.conn.execute(
                    "SELECT id, session_id, exercise_id, name, kind, sets, reps, hold_s,"
                    " pain_during, sharp_pain, done_at FROM exercise_logs ORDER BY done_at, id"
                )
            )
            psfs = tuple(
                PsfsRecord(*r)
                for r in self.conn.execute(
                    "SELECT id, date, activity, score, session_id FROM psfs ORDER BY date, id"
                )
            )
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None
        return LogRecords(sessions, exercises, psfs)

    def integrity(self) -> str:
        """`ok`, or SQLite's description of what is damaged."""
        return "\n".join(r[0] for r in self.conn.execute("PRAGMA integrity_check"))


def open_log(path: Path | None = None, *, create: bool = True) -> LogDB:
    """Open (and, with `create`, make) the log at `path` or the default place, schema up to date.

    Without `create`, a missing file raises FileNotFoundError so readers never make one.
    """
    default = path is None
    path = default_db_path() if path is None else Path(path)
    if not path.exists():
        if not create:
            raise FileNotFoundError(path)
        if default:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        elif not path.parent.is_dir():
            raise BackplanError(
                f"{display_path(path)}: the folder {display_path(path.parent)} does not exist"
            )
        # Health data: make the file private before SQLite ever writes to it (its -wal and
        # -shm files copy this mode).
        try:
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
        except OSError as exc:
            raise BackplanError(f"{display_path(path)}: cannot create: {exc.strerror}") from None
    elif path.is_dir():
        raise BackplanError(f"{display_path(path)}: is a folder, not a log file")
    try:
        # isolation_level=None: we open every transaction ourselves (see LogDB._write).
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as exc:
        raise _friendly(exc, path) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed exercise survives a power cut too, not only a killed process.
        conn.execute("PRAGMA synchronous = FULL")
        migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise _friendly(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return LogDB(conn, path)


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply the migrations this file lacks, each with its version bump in one transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise BackplanError(
            f"{display_path(path)}: this log was written by a newer backplan (schema "
            f"{version}, this one knows {SCHEMA_VERSION}); update backplan to read it"
        )
    for index in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[index]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {index + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


def _friendly(exc: sqlite3.Error, path: Path) -> BackplanError:
    return BackplanError(f"{display_path(path)}: cannot use this session log: {exc}")
