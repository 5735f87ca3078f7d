"""`backplan batch` through the CLI: exit codes, the summary, and Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backplan.cli.app import app


def handouts(folder):
    """The files a batch made in `folder`, without its manifest."""
    from backplan.clinic.batch import MANIFEST

    return [p for p in folder.iterdir() if p.name != MANIFEST]


runner = CliRunner()

CSV = """\
name,age,new_onset,sharp_pain,pain,red_flags,equipment,level,lang,protocol,notes
Ana Pérez,42,,false,3,,chair,beginner,es,,Call us if it hurts
Bob Smith,61,no,false,2,,stability_ball; towel,beginner,,home-starter,
Carla Ruiz,35,,true,4,,,beginner,,,
Dan Wu,50,,false,1,saddle_anaesthesia,,beginner,,,
"""
PLANS_ONLY = "\n".join(CSV.splitlines()[:3]) + "\n"


def _count(output: str, label: str) -> int:
    match = re.search(rf"{re.escape(label)}\s*│\s*(\d+)", output)
    assert match, f"no `{label}` row in:\n{output}"
    return int(match.group(1))


def test_every_row_gives_a_plan_or_a_stop_notice_exit_4_for_the_emergency(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(CSV)
    out = tmp_path / "handouts"
    result = runner.invoke(
        app, ["batch", str(roster), "-o", str(out), "--format", "json", "--date", "2025-03-04"]
    )
    assert result.exit_code == 4, result.output  # Dan Wu: an emergency outranks the rest
    assert _count(result.stdout, "Plans made") == 2
    assert _count(result.stdout, "Stop notices (see a clinician first)") == 2
    assert _count(result.stdout, "Failed") == 0
    assert "EMERGENCY" in result.stdout and "see clinician" in result.stdout
    assert sorted(p.name for p in handouts(out)) == [
        "ana-perez-2025-03-04.json",
        "bob-smith-2025-03-04.json",
        "carla-ruiz-2025-03-04.json",
        "dan-wu-2025-03-04.json",
    ]
    ana = json.loads((out / "ana-perez-2025-03-04.json").read_text())
    assert ana["lang"] == "es"
    assert {"id": "clinician", "text": "Call us if it hurts"} in ana["notes"]
    assert json.loads((out / "dan-wu-2025-03-04.json").read_text())["urgency"] == "emergency"


def test_failed_rows_are_listed_with_row_line_and_error_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text(PLANS_ONLY + "Eve,30,,false,2,,,expert,,,\nFay,30,,false,2,,chiar,,,,\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json", "-j", "2"])
    assert result.exit_code == 1
    assert _count(result.stdout, "Failed") == 2
    assert _count(result.stdout, "Plans made") == 2
    assert "Failed: no file was written for these rows" in result.stdout
    assert re.search(r"│\s+3 │\s+4 │ Eve\s+│ roster.csv:4: `level`", result.stdout)
    assert re.search(
        r"│\s+4 │\s+5 │ Fay\s+│ roster.csv:5: unknown equipment `chiar`", result.stdout
    )
    assert len(list(handouts(out))) == 2


def test_stops_outrank_failures_in_the_exit_code(tmp_path):
    roster = tmp_path / "roster.csv"
    out = tmp_path / "out"
    # Eve's pain cannot be read: a stop with its notice file, never a failed row
    stop_row = "Eve,30,,false,eleven,,,beginner,,,\n"
    failed_row = "Fay,30,,false,2,,chiar,,,,\n"
    roster.write_text(PLANS_ONLY + stop_row + failed_row)
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json", "-j", "1"])
    assert result.exit_code == 3, result.output
    assert _count(result.stdout, "Stop notices (see a clinician first)") == 1
    assert _count(result.stdout, "Failed") == 1
    eve = next(p for p in handouts(out) if p.name.startswith("eve"))
    assert json.loads(eve.read_text())["status"] == "stop"
    roster.write_text(
        PLANS_ONLY + stop_row + failed_row + "Gus,40,,false,1,saddle-anesthesia,,,,,\n"
    )
    result = runner.invoke(app, ["batch", str(roster), "-o", str(tmp_path / "o2"), "-f", "json"])
    assert result.exit_code == 4, result.output


def test_calendar_reminders_for_a_whole_roster(tmp_path):
    import icalendar

    roster = tmp_path / "roster.csv"
    roster.write_text(CSV)
    out = tmp_path / "ics"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "ics", "-j", "1"])
    assert result.exit_code == 4
    files = sorted(out.glob("*.ics"))
    assert len(files) == 4
    for path in files:
        assert icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_a_roster_that_cannot_be_read_exits_2(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("name,pian\nAl,3\n")
    result = runner.invoke(app, ["batch", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "`pian` is not an answers field; did you mean `pain`?" in result.output
    result = runner.invoke(app, ["batch", str(tmp_path / "missing.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "no such roster" in result.output
    assert not (tmp_path / "o").exists()


def test_bad_options_exit_2(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(PLANS_ONLY)  # with rows that stop, the stops' code wins (test_safety_attacks)
    for args, message in (
        (["-f", "terminal"], "--format terminal: use one of pdf, html, md, json, ics"),
        (["--paper", "a5"], "--paper a5: use one of letter, a4"),
        (["--date", "yesterday"], "--date yesterday: give the date as YYYY-MM-DD"),
    ):
        result = runner.invoke(app, ["batch", str(roster), "-o", str(tmp_path / "o"), *args])
        assert result.exit_code == 2, args
        assert message in result.output
    result = runner.invoke(app, ["batch", str(roster), "-o", str(tmp_path / "o"), "-j", "0"])
    assert result.exit_code == 2


def test_help_documents_the_exit_codes():
    result = runner.invoke(app, ["batch", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())  # however the help is wrapped
    for words in ("--jobs", "--format", "--library", "--paper", "--clinic", "130 interrupted"):
        assert words in text
    for words in ("4 some row needs emergency", "3 some row stopped", "4 and 3 outrank 1"):
        assert words in text


# A stop notice renders in a tenth of the time of a plan: the rows that only need to be running
# when the signal comes are stops, the Ctrl-C scenario alternates plans and stops.
PLAN_ROW = "Patient {i},40,,false,2,,chair,beginner,,,"
STOP_ROW = "Patient {i},40,,true,2,,chair,beginner,,,"  # sharp pain: a stop notice


@pytest.mark.pdf
def test_ctrl_c_stops_cleanly_and_leaves_only_whole_pdfs(tmp_path):
    from pypdf import PdfReader

    proc, _roster, out = _start_batch(tmp_path, 40, (PLAN_ROW, STOP_ROW))
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the parent and every worker
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr  # the stops' 3 does not hide the interruption
    assert "every file written is whole" in stderr
    files = sorted(handouts(out))
    assert files and len(files) < 40
    plans, stops = (
        _count(stdout, "Plans made"),
        _count(stdout, "Stop notices (see a clinician first)"),
    )
    assert plans + stops == len(files)
    # rows 1 (a plan) and 2 (a stop) are running when the first file appears, and running
    # rows finish: both kinds of handout are among the whole files
    assert plans >= 1 and stops >= 1
    for path in files:
        assert path.suffix == ".pdf"  # no temp file left behind
        assert len(PdfReader(path).pages) >= 1


def test_a_typo_never_hides_a_stop_in_a_roster_row(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "- patient: {name: Cy}\n  sharp_pain: false\n  pain: 3\n"
        "  red_flags: [saddle_anaesthesia]\n  colour: blue\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json"])
    assert result.exit_code == 4, result.output
    assert _count(result.stdout, "Stop notices (see a clinician first)") == 1
    assert "EMERGENCY" in result.stdout and "colour" in result.stdout
    (notice,) = handouts(out)
    data = json.loads(notice.read_text())
    assert data["status"] == "stop" and data["urgency"] == "emergency"


def test_a_rerun_keeps_what_was_made_and_never_makes_copies(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(CSV)
    out = tmp_path / "out"
    args = ["batch", str(roster), "-o", str(out), "-f", "json", "-j", "1"]
    first = runner.invoke(app, args)
    assert first.exit_code == 4, first.output  # Dan's emergency
    made = sorted(p.name for p in handouts(out))
    again = runner.invoke(app, args)
    assert again.exit_code == 4, again.output  # a kept stop still counts
    assert sorted(p.name for p in handouts(out)) == made  # no -2 copies
    assert _count(again.stdout, "Kept from an earlier run (--force remakes them)") == 4
    assert _count(again.stdout, "Stop notices (see a clinician first)") == 2  # still said
    # a row that changed is remade under its own name; --force remakes them all
    roster.write_text(CSV.replace(",home-starter,", ",,"))  # Bob without his protocol
    changed = runner.invoke(app, args)
    assert _count(changed.stdout, "Plans made") == 1
    assert _count(changed.stdout, "Kept from an earlier run (--force remakes them)") == 3
    forced = runner.invoke(app, [*args, "--force"])
    assert _count(forced.stdout, "Plans made") == 2
    assert "Kept from an earlier run" not in forced.stdout
    assert sorted(p.name for p in handouts(out)) == made


def test_a_file_the_batch_did_not_write_is_never_overwritten(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(CSV)
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / f"ana-perez-{_today()}.json"
    theirs.write_text("someone else's")
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-f", "json"])
    assert result.exit_code == 4, result.output
    assert theirs.read_text() == "someone else's"
    assert (out / f"ana-perez-{_today()}-2.json").exists()


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for stat in os.listdir("/proc"):
        if not stat.isdigit():
            continue
        try:
            with open(f"/proc/{stat}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat))
    return found


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`: its workers come from a forkserver, one level further down."""
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = set().union(*(_children(p) for p in frontier)) - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start_batch(tmp_path, rows: int, kinds: tuple[str, ...] = (STOP_ROW,)):
    """`backplan batch` of `rows` rows (cycling through `kinds`) in its own process group,
    once its first handout is written: the process, the roster and the output folder."""
    body = "\n".join(kinds[i % len(kinds)].format(i=i) for i in range(rows))
    roster = tmp_path / "roster.csv"
    roster.write_text(CSV.splitlines()[0] + "\n" + body + "\n")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "backplan", "batch", str(roster), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    deadline = time.monotonic() + 120
    while not (out.is_dir() and list(out.glob("*.pdf"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc, roster, out


def _finish(proc, pids: set[int]) -> tuple[str, str]:
    """The batch's output once it ends; then no process of it is left, even when it hung."""
    try:
        return proc.communicate(timeout=120)
    finally:
        for pid in pids | {proc.pid}:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _wait_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + 60
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return {p for p in pids if _alive(p)}


@pytest.mark.pdf
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds workers through /proc")
def test_sigterm_on_the_batch_stops_like_ctrl_c_and_leaves_no_worker(tmp_path):
    proc, _roster, out = _start_batch(tmp_path, 40)
    workers = _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)  # the batch only, as `kill PID` does
    _stdout, stderr = _finish(proc, workers)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "every file written is whole" in stderr
    assert _wait_gone(workers) == set()
    assert all(p.suffix == ".pdf" for p in handouts(out))  # no temp file left


ROWS_KILLED = 20  # enough that the batch is still running when it is killed


@pytest.mark.pdf
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds workers through /proc")
def test_kill_9_leaves_no_orphan_worker_and_a_rerun_makes_no_copies(tmp_path):
    proc, roster, out = _start_batch(tmp_path, ROWS_KILLED)
    workers = _descendants(proc.pid)  # its first handout is written: the workers are up
    assert len(workers) >= 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    try:
        assert _wait_gone(workers) == set()  # they died with their parent
    finally:
        for pid in workers:  # never leave an orphan behind, even when the test fails
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.stdout.close()
        proc.stderr.close()
    before = {p.name for p in handouts(out) if p.suffix == ".pdf"}
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-j", "2"])
    assert result.exit_code == 3, result.output  # every row done, each a stop notice
    after = {p.name for p in handouts(out) if p.suffix == ".pdf"}
    assert before <= after
    assert len(after) == ROWS_KILLED and not any(
        re.search(r"-\d+-2\.pdf$|-2\.pdf$", n) for n in after
    )


@pytest.mark.pdf
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds workers through /proc")
def test_a_killed_worker_s_rows_are_written_anyway_and_the_batch_goes_on(tmp_path):
    proc, _roster, out = _start_batch(tmp_path, ROWS_KILLED)
    below = _descendants(proc.pid)
    # The batch's own children are the forkserver and multiprocessing's resource tracker;
    # the workers are the forkserver's children.
    workers = below - _children(proc.pid)
    assert workers
    os.kill(min(workers), signal.SIGKILL)
    stdout, stderr = _finish(proc, below)
    assert "Traceback" not in stderr
    assert proc.returncode == 3, stderr  # the rows written are stop notices: a stop outranks
    # The rows in flight when the worker died are written by a fresh pool, as are the rest.
    written = [p for p in handouts(out) if p.suffix == ".pdf"]
    assert "the worker process stopped" not in stdout + stderr
    assert len(written) == ROWS_KILLED


def test_a_pdf_batch_without_pango_says_so_once_and_exits_2(no_pango, tmp_path):
    """Issue 18: not one "internal error: OSError" per row, but doctor's message, once."""
    roster = tmp_path / "roster.csv"
    roster.write_text(PLANS_ONLY)
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(roster), "-o", str(out), "-j", "1"])
    assert result.exit_code == 2
    assert "weasyprint: install Pango" in result.stderr
    assert result.stderr.count("install Pango") == 1
    assert "internal error" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.pdf
def test_combined_writes_the_days_handouts_in_roster_order(tmp_path):
    """Issue 18: one print file for the day, each handout on its own sheets, stops included."""
    import pypdf

    roster = tmp_path / "roster.csv"
    roster.write_text(CSV)  # two plans, then two stop notices (a stop renders in a tenth)
    out, day = tmp_path / "out", tmp_path / "day.pdf"
    args = ["batch", str(roster), "-o", str(out), "--combined", str(day), "-j", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 4, result.output  # Dan's emergency outranks Carla's sharp pain
    assert "The day's 4 handouts, in roster order" in result.stderr
    reader = pypdf.PdfReader(day)
    singles = [pypdf.PdfReader(p) for p in sorted(out.glob("*.pdf"))]
    padded = sum(len(r.pages) + len(r.pages) % 2 for r in singles)
    assert len(reader.pages) in (padded, padded - 1)  # the last needs no blank page after it
    starts = []
    for number, page in enumerate(reader.pages):
        text = page.extract_text() or ""
        for name in ("Ana Pérez", "Bob Smith", "Carla Ruiz", "Dan Wu"):
            if name in text and name not in starts:
                starts.append(name)
                assert number % 2 == 0  # each starts on the front of a sheet
    assert starts == ["Ana Pérez", "Bob Smith", "Carla Ruiz", "Dan Wu"]
    again = runner.invoke(app, args)  # a rerun keeps the files and still makes the day's file
    assert "The day's 4 handouts" in again.stderr


def test_combined_is_for_pdfs(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(PLANS_ONLY)
    args = ["batch", str(roster), "-o", str(tmp_path / "o"), "-f", "html", "--combined", "d.pdf"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--combined prints the day's PDFs" in result.stderr


def _batch_for_a_spanish_clinic(tmp_path, roster_text: str) -> Path:
    """A JSON batch of `roster_text` under a clinic profile that says `lang: es`; the folder."""
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text)
    profile = tmp_path / "clinic.yaml"
    profile.write_text("name: Bayside\nlang: es\n", encoding="utf-8")
    out = tmp_path / "handouts"
    args = ["batch", str(roster), "-o", str(out), "-f", "json", "--date", "2025-03-04"]
    result = runner.invoke(app, [*args, "--clinic", str(profile)])
    assert result.exit_code == 0, result.output
    return out


def test_the_clinic_profiles_language_applies_to_rows_that_name_none(tmp_path):
    out = _batch_for_a_spanish_clinic(tmp_path, PLANS_ONLY)  # Ana says `es`; Bob names none
    bob = json.loads((out / "bob-smith-2025-03-04.json").read_text(encoding="utf-8"))
    assert bob["lang"] == "es"


def test_a_rows_own_language_wins_over_the_clinic_profiles(tmp_path):
    roster = PLANS_ONLY.replace("chair,beginner,es", "chair,beginner,en")
    out = _batch_for_a_spanish_clinic(tmp_path, roster)
    ana = json.loads((out / "ana-perez-2025-03-04.json").read_text(encoding="utf-8"))
    assert ana["lang"] == "en"


def test_the_piped_summary_has_no_trailing_spaces(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(CSV)
    out = tmp_path / "handouts"
    result = runner.invoke(
        app, ["batch", str(roster), "-o", str(out), "-f", "json", "--date", "2025-03-04"]
    )
    assert result.exit_code == 4, result.output
    assert "Batch summary" in result.stdout
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []


@pytest.mark.parametrize("kind", ["csv", "yaml"])
def test_a_roster_on_standard_input(tmp_path, kind):
    roster = (
        PLANS_ONLY
        if kind == "csv"
        else "- patient: {name: Ana Pérez}\n  sharp_pain: false\n  pain: 3\n  red_flags: []\n"
        "  equipment: [chair]\n  level: beginner\n"
    )
    out = tmp_path / "handouts"
    result = runner.invoke(
        app, ["batch", "-", "-o", str(out), "-f", "json", "--date", "2025-03-04"], input=roster
    )
    assert result.exit_code == 0, result.output
    assert "ana-perez-2025-03-04.json" in [p.name for p in handouts(out)]


WIDE = {"COLUMNS": "300"}


def test_a_bad_row_on_standard_input_is_named_stdin(tmp_path):
    roster = PLANS_ONLY + "Eve,forty,,false,3,,,beginner,,,\n"
    result = runner.invoke(
        app, ["batch", "-", "-o", str(tmp_path / "h"), "-f", "json"], input=roster, env=WIDE
    )
    assert result.exit_code == 1, result.output
    assert "<stdin>:4: `patient.age`: 'forty' is not an age" in result.stdout
