"""Batch: every row planned or stopped on its own, named safely, on a process pool."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from backplan.clinic.batch import BatchRequest, make_row, output_names, run_batch, slugify
from backplan.clinic.roster import RosterRow, read_roster
from backplan.errors import BackplanError
from backplan.files.yaml_source import dump_yaml


def handouts(folder):
    """The files a batch made in `folder`, without its manifest."""
    from backplan.clinic.batch import MANIFEST

    return [p for p in folder.iterdir() if p.name != MANIFEST]


DATE = dt.date(2025, 3, 4)
NAMES = ["Ana Pérez", "Bob Smith", "Chloé Dubois", "Dmitri Ivanov", "Eve", "Fatima Zahra"]


def generated_roster(size: int) -> tuple[list[dict], dict[str, list[int]]]:
    """`size` patients of every kind, and the row numbers expected in each result."""
    records, expected = [], {"made": [], "stopped": [], "emergency": [], "failed": []}
    for i in range(size):
        number = i + 1
        record: dict = {
            "patient": {"name": f"{NAMES[i % len(NAMES)]}", "age": 30 + i % 40},
            "new_onset": False,  # ages 30-69: over 50 it must be answered
            "sharp_pain": False,
            "pain": i % 7,  # 0-6: never the severe band
            "red_flags": [],
            "equipment": [["chair"], ["stability_ball", "towel"], ["cable_machine", "mat"]][i % 3],
            "level": ["beginner", "intermediate"][i % 2],
        }
        if i % 5 == 1:
            record["lang"] = "es"
        if i % 9 == 4:
            record["protocol"] = "home-starter"
        kind = "made"
        if i % 10 == 3:
            record["sharp_pain"] = True
            kind = "stopped"
        elif i % 10 == 7:
            record["red_flags"] = ["saddle_anaesthesia"]
            kind = "emergency"
        elif i % 25 == 5:
            record["level"] = "expert"  # invalid in the roster itself
            kind = "failed"
        elif i % 25 == 11:
            record["equipment"] = ["chiar"]  # unknown to the library: fails in the worker
            kind = "failed"
        elif i % 40 == 19:
            record["protocol"] = "no-such-protocol"
            kind = "failed"
        records.append(record)
        expected[kind].append(number)
    return records, expected


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ana Pérez", "ana-perez"),
        ("  O'Brien, Seán  ", "o-brien-sean"),
        ("../../etc/passwd", "etc-passwd"),
        ("王小明", ""),
        ("A" * 100, "a" * 60),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def _row(number: int, name: str | None) -> RosterRow:
    return RosterRow(number=number, line=number, answers=object(), name=name)


def test_output_names_never_clash_with_each_other_or_existing_files(tmp_path):
    (tmp_path / "ana-perez-2025-03-04.pdf").write_bytes(b"old")
    (tmp_path / "Bob-2025-03-04.pdf").write_bytes(b"old")
    rows = [
        _row(1, "Ana Pérez"),
        _row(2, "ANA PEREZ"),
        _row(3, "bob"),
        _row(4, None),
        _row(5, "王小明"),
        RosterRow(number=6, line=9, answers=None, name="Invalid"),
    ]
    names = output_names(rows, tmp_path, "pdf", DATE)
    assert {n: p.name for n, p in names.items()} == {
        1: "ana-perez-2025-03-04-2.pdf",
        2: "ana-perez-2025-03-04-3.pdf",
        3: "bob-2025-03-04-2.pdf",  # case-insensitive: Bob-... exists
        4: "patient-row-4-2025-03-04.pdf",
        5: "patient-row-5-2025-03-04.pdf",
    }
    assert all(p.parent == tmp_path for p in names.values())


def test_a_roster_of_200_gives_the_right_files_and_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    records, expected = generated_roster(200)
    roster = tmp_path / "roster.yaml"
    roster.write_text(dump_yaml(records))
    rows = read_roster(roster)
    seen: list[int] = []
    report = run_batch(
        BatchRequest(out_dir=tmp_path / "out", fmt="json", jobs=2, date=DATE),
        rows,
        on_result=lambda r: seen.append(r.number),
    )
    assert sorted(seen) == list(range(1, 201))
    assert [r.number for r in report.made] == expected["made"]
    assert [r.number for r in report.stopped] == sorted(expected["stopped"] + expected["emergency"])
    assert [r.number for r in report.failed] == expected["failed"]
    assert not report.interrupted and report.exit_code == 4  # emergencies outrank failures

    files = sorted(handouts(tmp_path / "out"))
    assert len(files) == len(report.made) + len(report.stopped)
    assert {p for p in files} == {r.path for r in report.made + report.stopped}
    assert not [p for p in files if p.name.startswith(".")]  # no temp file left
    for r in report.made:
        data = json.loads(r.path.read_text())
        assert data["status"] == "plan" and data["exercises"]
        assert data["patient"]["name"] == records[r.number - 1]["patient"]["name"]
        assert data["lang"] == records[r.number - 1].get("lang", "en")
    for r in report.stopped:
        data = json.loads(r.path.read_text())
        assert data["status"] == "stop" and "exercises" not in data
        urgency = "emergency" if r.number in expected["emergency"] else "see_clinician"
        assert r.urgency == data["urgency"] == urgency
        assert r.reasons and r.reasons == tuple(x["message"] for x in data["reasons"])
    # protocol rows used their protocol
    protocol_row = next(r for r in report.made if records[r.number - 1].get("protocol"))
    plan = json.loads(protocol_row.path.read_text())
    assert all(
        "protocol" in i["chosen_because"] or "protocolo" in i["chosen_because"]
        for i in plan["exercises"]
    )
    # names: six patients' names repeat, so -2, -3... appear, never an overwrite
    assert (tmp_path / "out" / "ana-perez-2025-03-04.json").exists()
    assert (tmp_path / "out" / "ana-perez-2025-03-04-2.json").exists()

    errors = {r.number: r.error for r in report.failed}
    assert errors[6].startswith("roster.yaml:") and "`level`" in errors[6]
    assert errors[12].startswith("roster.yaml:") and "unknown equipment `chiar`" in errors[12]
    assert "no protocol named `no-such-protocol`" in errors[20]
    assert report.failed[0].line == rows[5].line


def test_one_worker_gives_the_same_files_as_a_pool(tmp_path):
    records, _ = generated_roster(24)
    roster = tmp_path / "roster.yaml"
    roster.write_text(dump_yaml(records))
    rows = read_roster(roster)
    one = run_batch(BatchRequest(out_dir=tmp_path / "one", fmt="json", jobs=1, date=DATE), rows)
    many = run_batch(BatchRequest(out_dir=tmp_path / "many", fmt="json", jobs=3, date=DATE), rows)
    names = sorted(p.name for p in handouts(tmp_path / "one"))
    assert names == sorted(p.name for p in handouts(tmp_path / "many"))
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()
    assert [r.number for r in one.failed] == [r.number for r in many.failed]


@pytest.mark.pdf
def test_a_handful_of_pdfs_and_a_stop_notice_without_exercises(tmp_path):
    from pypdf import PdfReader

    records, _ = generated_roster(4)  # rows 1-3 plans, row 4 sharp pain
    roster = tmp_path / "roster.yaml"
    roster.write_text(dump_yaml(records))
    report = run_batch(
        BatchRequest(out_dir=tmp_path / "out", fmt="pdf", jobs=2, date=DATE), read_roster(roster)
    )
    assert [r.number for r in report.made] == [1, 2, 3]
    assert [r.number for r in report.stopped] == [4]
    assert report.exit_code == 3  # row 4 stopped: see a clinician
    for r in report.made + report.stopped:
        assert r.path.suffix == ".pdf" and r.path.read_bytes().startswith(b"%PDF")
    plan_text = "".join(p.extract_text() for p in PdfReader(report.made[0].path).pages)
    stop_text = "".join(p.extract_text() for p in PdfReader(report.stopped[0].path).pages)
    assert "Ana" in plan_text
    assert "sharp pain" in stop_text.lower()
    for exercise in ("Wall Hip Hinge", "Chair Sit-to-Stand", "Plank", "Squat"):
        assert exercise not in stop_text


def test_ctrl_c_keeps_only_whole_files_and_reports_what_was_made(tmp_path):
    records, _ = generated_roster(30)
    roster = tmp_path / "roster.yaml"
    roster.write_text(dump_yaml(records))
    rows = read_roster(roster)
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        calls = []

        def interrupt(result, calls=calls):
            calls.append(result)
            if len(calls) == 3:
                raise KeyboardInterrupt

        report = run_batch(
            BatchRequest(out_dir=out, fmt="json", jobs=jobs, date=DATE), rows, on_result=interrupt
        )
        assert report.interrupted and report.exit_code == 130
        assert 3 <= len(report.results) < len(rows)
        files = sorted(handouts(out))
        written = {r.path for r in report.results if r.path is not None}
        # every file in the folder is reported, and whole; nothing half-written or hidden
        assert set(files) == written
        for path in files:
            assert not path.name.startswith(".")
            assert json.loads(path.read_text())["status"] in ("plan", "stop")


def test_a_failed_row_never_stops_the_others(tmp_path, monkeypatch):
    import backplan.render as render

    def broken_writer(outcome, path, fmt, options):
        if outcome.patient.name == "Bob Smith":
            raise RuntimeError("disk on fire")
        return Path(path).write_text("ok") and path

    monkeypatch.setattr(render, "write_outcome", broken_writer)
    records, _ = generated_roster(3)
    roster = tmp_path / "roster.yaml"
    roster.write_text(dump_yaml(records))
    report = run_batch(
        BatchRequest(out_dir=tmp_path / "out", fmt="json", jobs=1, date=DATE), read_roster(roster)
    )
    assert [r.number for r in report.made] == [1, 3]
    (failed,) = report.failed
    assert failed.error == "internal error: RuntimeError: disk on fire"
    assert failed.where == f"row 2 (line {failed.line})"


def test_output_folder_problems_are_user_errors(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(BackplanError, match="is a file"):
        run_batch(BatchRequest(out_dir=tmp_path / "file", fmt="json"), [])
    with pytest.raises(BackplanError, match="use --format"):
        run_batch(BatchRequest(out_dir=tmp_path / "o", fmt="terminal"), [])


def test_make_row_uses_the_rows_language(tmp_path):
    records, _ = generated_roster(2)  # row 2 is Spanish
    roster = tmp_path / "roster.yaml"
    roster.write_text(dump_yaml(records))
    rows = read_roster(roster)
    names = output_names(rows, tmp_path, "json", DATE)
    report = run_batch(BatchRequest(out_dir=tmp_path, fmt="json", jobs=1, date=DATE), rows)
    assert [r.path for r in report.made] == [names[1], names[2]]
    assert json.loads(names[2].read_text())["lang"] == "es"
    assert make_row is not None


def test_a_second_batch_reads_the_clinic_library_as_it_is_now(tmp_path):
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    roster = tmp_path / "roster.yaml"
    roster.write_text("- {sharp_pain: false, pain: 2, red_flags: []}\n")
    rows = read_roster(roster)

    def run(out: str):
        request = BatchRequest(
            out_dir=tmp_path / out, fmt="json", jobs=1, date=DATE, library_paths=(clinic,)
        )
        return run_batch(request, rows)

    assert len(run("first").made) == 1
    (clinic / "broken.yaml").write_text("id: broken\n")  # the clinic edits its folder
    with pytest.raises(BackplanError, match=r"broken\.yaml"):
        run("second")


def test_a_stop_whose_notice_cannot_be_written_is_still_a_stop(tmp_path, monkeypatch):
    """The notice failing to write never turns a stop into a 'failed' row: it is listed with
    its urgency and counts in the exit code."""
    import backplan.render as render

    roster = tmp_path / "roster.yaml"
    roster.write_text(
        dump_yaml(
            [
                {
                    "patient": {"name": "Dan"},
                    "sharp_pain": False,
                    "pain": 2,
                    "red_flags": ["saddle_anaesthesia"],
                },
                {"patient": {"name": "Eve"}, "sharp_pain": False, "pain": 2, "red_flags": []},
            ]
        )
    )

    def full_disk(*args, **kwargs):
        raise BackplanError("out/dan.json: the disk is full; free some space and try again")

    monkeypatch.setattr(render, "write_outcome", full_disk)
    report = run_batch(
        BatchRequest(out_dir=tmp_path / "out", fmt="json", jobs=1), read_roster(roster)
    )
    (dan,) = report.stopped
    assert dan.label == "Dan" and dan.urgency == "emergency" and dan.path is None
    assert "the stop notice was not written" in (dan.error or "")
    assert [r.label for r in report.failed] == ["Eve"]
    assert report.exit_code == 4


class _FakePool:
    """A process pool stand-in: each row "runs" on a thread for a moment; it counts how
    many rows were handed out and how many were unfinished at once."""

    def __init__(self, max_workers, mp_context=None, initializer=None, initargs=()):
        import threading

        self.max_workers = max_workers
        self.mp_context = mp_context
        self.handed_out: list[int] = []
        self.most_at_once = 0
        self._open: set = set()
        self._lock = threading.Lock()
        self.broken = False
        self.dies_on: set[int] = set()  # a worker dies writing these rows: the pool breaks
        self.dies_once: set[int] = set()  # ... only the first time (shared by the pools)

    def submit(self, fn, job):
        import threading
        import time
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        from backplan.clinic.batch import RowResult

        if self.broken:
            raise BrokenProcessPool("A child process terminated abruptly")
        future: Future = Future()
        with self._lock:
            self.handed_out.append(job.number)
            self._open.add(future)
            self.most_at_once = max(self.most_at_once, len(self._open))

        def finish():
            time.sleep(0.005)
            with self._lock:
                self._open.discard(future)
                if job.number in self.dies_on or job.number in self.dies_once:
                    self.dies_once.discard(job.number)
                    self.broken = True
            if self.broken:
                future.set_exception(BrokenProcessPool("A child process terminated abruptly"))
            else:
                future.set_result(RowResult(job.number, job.line, job.label, "made"))

        threading.Thread(target=finish, daemon=True).start()
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def _jobs(count):
    from types import SimpleNamespace

    return [SimpleNamespace(number=n, line=n, label=f"row {n}") for n in range(1, count + 1)]


def _ctrl_c_after(count):
    """The results recorded, and a `record` that presses Ctrl-C once it has `count` of them."""
    results = []

    def record(result):
        results.append(result)
        if len(results) == count:
            raise KeyboardInterrupt

    return results, record


@pytest.fixture
def fake_pools(monkeypatch):
    """The process pools `_run_pool` makes, as _FakePool stand-ins."""
    import concurrent.futures

    class Pools(list):
        dying_rows: set[int]
        dying_once: set[int]

    pools = Pools()

    def make_pool(*args, **kwargs):
        pools.append(_FakePool(*args, **kwargs))
        pools[-1].dies_on, pools[-1].dies_once = dying_rows, dying_once
        return pools[-1]

    dying_rows: set[int] = set()
    dying_once: set[int] = set()

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", make_pool)
    pools.dying_rows, pools.dying_once = dying_rows, dying_once
    return pools


def test_the_pool_is_handed_a_row_only_when_a_worker_is_free(fake_pools):
    from backplan.clinic import batch

    results = []
    assert batch._run_pool(_jobs(12), 2, results.append) is False
    assert sorted(r.number for r in results) == list(range(1, 13))
    assert fake_pools[0].most_at_once <= 2


def test_an_interrupted_pool_finishes_only_the_rows_being_written(fake_pools):
    # Ctrl-C after the third result: the rows running then are written and recorded; the
    # rows never handed out are dropped, however long the roster.
    from backplan.clinic import batch

    results, record = _ctrl_c_after(3)
    assert batch._run_pool(_jobs(40), 2, record) is True
    handed_out = fake_pools[0].handed_out
    assert len(handed_out) <= 3 + 2
    assert sorted(r.number for r in results) == sorted(handed_out)


@pytest.mark.parametrize(("rows", "workers", "per_worker"), [(12, 2, 3), (13, 2, 3), (5, 3, 100)])
def test_a_fresh_pool_takes_over_every_few_rows_a_worker(fake_pools, rows, workers, per_worker):
    # A worker's memory creeps up in the C libraries under WeasyPrint, so a pool writes at most
    # `per_worker` rows a worker; every row is written exactly once, in roster order of handing.
    from backplan.clinic import batch

    results = []
    done = batch._run_pool(_jobs(rows), workers, results.append, rows_per_worker=per_worker)
    assert done is False
    assert sorted(r.number for r in results) == list(range(1, rows + 1))
    handed = [n for pool in fake_pools for n in pool.handed_out]
    assert handed == list(range(1, rows + 1))
    assert len(fake_pools) == -(-rows // (workers * per_worker))
    for pool in fake_pools:
        assert len(pool.handed_out) <= workers * per_worker
        assert pool.most_at_once <= pool.max_workers <= workers
    assert fake_pools[-1].max_workers == min(
        workers, rows - (len(fake_pools) - 1) * workers * per_worker
    )


def test_ctrl_c_in_an_early_pool_starts_no_later_pool(fake_pools):
    from backplan.clinic import batch

    results, record = _ctrl_c_after(2)
    assert batch._run_pool(_jobs(40), 2, record, rows_per_worker=2) is True
    assert len(fake_pools) == 1
    assert sorted(r.number for r in results) == sorted(fake_pools[0].handed_out)


def test_workers_hold_nothing_the_batch_process_changed(tmp_path, monkeypatch):
    # Workers fork from a server that never read the roster (so their memory does not grow
    # with its length): a writer swapped in this process is not the one they use.
    import multiprocessing

    from backplan import render

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("this platform has no forkserver: workers start its default way")

    def broken_writer(*args, **kwargs):
        raise RuntimeError("only in the batch process")

    monkeypatch.setattr(render, "write_outcome", broken_writer)
    records, expected = generated_roster(6)
    roster = tmp_path / "roster.yaml"
    roster.write_text(dump_yaml(records))
    report = run_batch(
        BatchRequest(out_dir=tmp_path / "out", fmt="json", jobs=2, date=DATE), read_roster(roster)
    )
    assert [r.number for r in report.made] == expected["made"]
    assert expected["made"] and not any(
        "only in the batch" in (r.error or "") for r in report.results
    )


def test_rows_whose_worker_died_once_are_written_by_a_fresh_pool(fake_pools):
    # Row 5's worker is killed (out of memory, say): the pool fails every row in flight, so
    # those are tried once more in a fresh pool, with every row not yet handed out.
    from backplan.clinic import batch

    fake_pools.dying_once.add(5)
    results = []
    assert batch._run_pool(_jobs(30), 2, results.append, rows_per_worker=100) is False
    assert sorted(r.number for r in results) == list(range(1, 31))
    assert all(r.status == "made" for r in results)
    assert len(fake_pools) == 2
    handed = fake_pools[0].handed_out + fake_pools[1].handed_out
    assert sorted(set(handed)) == list(range(1, 31)) and handed.count(5) == 2


def test_a_row_whose_worker_dies_twice_fails_and_the_rest_are_written(fake_pools):
    from backplan.clinic import batch

    fake_pools.dying_rows.add(5)
    results = []
    assert batch._run_pool(_jobs(30), 2, results.append, rows_per_worker=100) is False
    assert sorted(r.number for r in results) == list(range(1, 31))
    failed = [r for r in results if r.status == "failed"]
    # Row 5, and at most the row that shared its second pool's first moments.
    assert 5 in {r.number for r in failed} and len(failed) <= 2
    assert all("the worker process stopped" in r.error for r in failed)
    assert [r.status for r in results if r.number not in {f.number for f in failed}] == ["made"] * (
        30 - len(failed)
    )
    assert sum(pool.handed_out.count(5) for pool in fake_pools) == 2


@pytest.mark.parametrize("pidfd", [True, False], ids=["pidfd", "polling"])
def test_a_worker_ends_when_its_batch_process_is_gone(pidfd):
    # A worker's parent is the forkserver, not the batch: it watches the batch itself, by a
    # pidfd where the OS has one, else by checking now and then.
    import subprocess
    import sys

    batch_stand_in = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys, time\n"
            "from backplan.clinic import batch\n"
            "if sys.argv[2] == 'no': del os.pidfd_open\n"
            "batch._die_with_batch(int(sys.argv[1]))\n"
            "print('watching', flush=True)\n"
            "time.sleep(120)\n",
            str(batch_stand_in.pid),
            "yes" if pidfd else "no",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline() == "watching\n"
        assert worker.poll() is None  # the batch is still there: the worker stays
        batch_stand_in.stdin.close()
        batch_stand_in.wait(timeout=30)
        assert worker.wait(timeout=60) == 1
    finally:
        for proc in (worker, batch_stand_in):
            if proc.poll() is None:
                proc.kill()
