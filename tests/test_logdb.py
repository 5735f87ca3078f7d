"""The session log: private file, WAL, schema versions, one transaction per write."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from backplan.errors import BackplanError
from backplan.home.logdb import SCHEMA_VERSION, default_db_path, open_log

PLAN = {"status": "plan", "warmup": [], "exercises": [{"id": "bird-dog"}]}


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_new_log_is_private_wal_and_current(tmp_path):
    path = tmp_path / "log.sqlite3"
    with open_log(path) as db:
        db.start_session("2026-01-05T09:00:00+00:00", PLAN)
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.integrity() == "ok"
        wal = tmp_path / "log.sqlite3-wal"
        assert wal.exists()
        assert _mode(wal) & 0o077 == 0
    assert _mode(path) == 0o600


def test_default_place_is_the_user_data_folder(tmp_path):
    # conftest points XDG_DATA_HOME at a temporary home.
    path = default_db_path()
    assert path.name == "log.sqlite3"
    assert path.parent.name == "backplan"
    with open_log() as db:
        assert db.path == path
    assert path.exists()
    assert _mode(path) == 0o600


def test_reading_never_creates_a_log(tmp_path):
    with pytest.raises(FileNotFoundError):
        open_log(tmp_path / "none.sqlite3", create=False)
    assert not (tmp_path / "none.sqlite3").exists()


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(BackplanError, match="does not exist"):
        open_log(tmp_path / "nowhere" / "log.sqlite3")


def test_not_a_database_is_a_user_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("this is not sqlite, just some words " * 40)
    with pytest.raises(BackplanError, match="cannot use this session log"):
        open_log(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "log.sqlite3"
    open_log(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(BackplanError, match="newer backplan"):
        open_log(path)


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path):
    path = tmp_path / "log.sqlite3"
    with open_log(path) as db:
        sid = db.start_session("2026-01-05T09:00:00+00:00", PLAN)
        db.set_pain_before(sid, 3)
        db.log_exercise(
            sid,
            exercise_id="bird-dog",
            name="Bird dog",
            kind="modified",
            sets=2,
            reps=8,
            hold_s=5,
            pain_during=2,
            sharp_pain=False,
            done_at="2026-01-05T09:10:00+00:00",
        )
        db.add_psfs("2026-01-05", "Putting on socks", 4, sid)
        db.end_session(sid, "2026-01-05T09:30:00+00:00", pain_after=2, note="felt fine")
    with open_log(path) as db:
        records = db.records()
    (session,) = records.sessions
    assert session.plan == PLAN
    assert (session.pain_before, session.pain_after, session.stopped, session.note) == (
        3,
        2,
        None,
        "felt fine",
    )
    (exercise,) = records.exercises
    assert (exercise.exercise_id, exercise.sets, exercise.reps, exercise.hold_s) == (
        "bird-dog",
        2,
        8,
        5,
    )
    assert exercise.sharp_pain is False
    assert [(p.activity, p.score) for p in records.psfs] == [("Putting on socks", 4)]


def test_each_write_is_committed_at_once(tmp_path):
    path = tmp_path / "log.sqlite3"
    db = open_log(path)
    sid = db.start_session("2026-01-05T09:00:00+00:00", PLAN)
    db.log_exercise(
        sid,
        exercise_id="cat-cow",
        name="Cat-cow",
        kind="warmup",
        sets=1,
        reps=10,
        hold_s=None,
        pain_during=1,
        sharp_pain=False,
        done_at="2026-01-05T09:05:00+00:00",
    )
    # A second connection sees it while the first is still open: nothing waits for close().
    other = sqlite3.connect(path)
    assert other.execute("SELECT exercise_id FROM exercise_logs").fetchall() == [("cat-cow",)]
    other.close()
    db.close()


def test_out_of_range_pain_is_refused_by_the_schema(tmp_path):
    with open_log(tmp_path / "log.sqlite3") as db:
        sid = db.start_session("2026-01-05T09:00:00+00:00", PLAN)
        with pytest.raises(BackplanError):
            db.set_pain_before(sid, 11)


def _start_one(path, barrier, errors):
    """One session starting: wait for the others, then open the log and log a start."""
    try:
        barrier.wait(timeout=60)
        with open_log(path) as db:
            db.start_session("2026-01-05T09:00:00+00:00", PLAN)
    except BaseException as exc:  # reported to the parent, never swallowed
        errors.put(f"{type(exc).__name__}: {exc}")


def test_sixty_sessions_starting_at_once_on_a_new_log_all_succeed(tmp_path):
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    path = tmp_path / "log.sqlite3"
    count = 60
    barrier, errors = ctx.Barrier(count), ctx.Queue()
    workers = [ctx.Process(target=_start_one, args=(path, barrier, errors)) for _ in range(count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert all(w.exitcode == 0 for w in workers)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    with open_log(path, create=False) as db:
        assert len(db.records().sessions) == count
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


_FULL_DISK = """
import resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
from backplan.errors import BackplanError
from backplan.home.logdb import open_log
try:
    open_log(Path(sys.argv[1]))
except BackplanError as exc:
    print(exc)
"""


def test_a_full_disk_when_the_log_is_created_is_a_clear_error_and_leaves_no_empty_log(tmp_path):
    import subprocess
    import sys

    # RLIMIT_FSIZE 0: any write beyond the first byte fails as it does on a full disk.
    path = tmp_path / "log.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "log.sqlite3: cannot use this session log: the disk" in done.stdout
    assert "no transaction is active" not in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_dangling_link_given_as_the_log_is_refused_and_not_followed(tmp_path):
    target = tmp_path / "elsewhere" / "made.sqlite3"
    target.parent.mkdir()
    link = tmp_path / "log.sqlite3"
    link.symlink_to(target)
    with pytest.raises(BackplanError, match="is a link to a file that does not exist"):
        open_log(link)
    assert not target.exists()


def test_a_log_that_cannot_be_written_is_read_read_only(tmp_path, monkeypatch):
    import backplan.home.logdb as logdb

    path = tmp_path / "log.sqlite3"
    with open_log(path) as db:
        db.start_session("2026-01-05T09:00:00+00:00", PLAN)
    path.chmod(0o444)
    # Tests may run as root, who can write anything: say the file is not writable.
    monkeypatch.setattr(logdb.os, "access", lambda p, mode: False)
    with open_log(path, create=False) as db:
        assert len(db.records().sessions) == 1
        with pytest.raises(BackplanError, match="read-only"):
            db.start_session("2026-01-06T09:00:00+00:00", PLAN)


def test_hand_edited_rows_are_skipped_and_named_by_id(tmp_path):
    path = tmp_path / "log.sqlite3"
    with open_log(path) as db:
        good = db.start_session("2026-01-05T09:00:00+01:00", PLAN)
        db.end_session(good, "2026-01-05T09:20:00+01:00")
    raw = sqlite3.connect(path)
    for started, plan in [
        ("garbage", "{}"),
        ("2026-01-06T09:00:00", "null"),
        ("0001-01-01T00:00:00+00:00", "{}"),
        ("2026-01-07T09:00:00+00:00", '{"exercises": [3]}'),
        ("2026-01-08T09:00:00+00:00", "{not json"),
    ]:
        raw.execute("INSERT INTO sessions (started_at, plan) VALUES (?, ?)", (started, plan))
    raw.execute("INSERT INTO psfs (date, activity, score) VALUES ('yesterday', 'walk', 3)")
    raw.commit()
    raw.close()
    with open_log(path, create=False) as db:
        records = db.records()
    assert [s.id for s in records.sessions] == [good]
    assert records.skipped == (
        "session 2: started_at 'garbage' is not a date and time; skipped",
        "session 3: plan is 'null', not a plan; skipped",
        "session 4: started_at '0001-01-01T00:00:00+00:00' is before 2000; skipped",
        "session 5: plan's `exercises` is not a list of exercises; skipped",
        "session 6: plan is not JSON; skipped",
        "activity score 1: date 'yesterday' is not a date; skipped",
    )
