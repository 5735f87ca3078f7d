#!/usr/bin/env python3
"""backplan's speed, measured as ratios against what its own libraries cost.

Each row runs two commands alternately (A B, then B A, ...) in fresh processes, so a machine
that slows down halfway slows both sides alike; the ratio of the medians is what the targets
(issues 9 and 19) are about. Everything the commands need (answers, rosters, a generated library) is
made in a temporary folder. See benchmarks/README.md for what each row means.

    python benchmarks/run.py                # every row, 7 rounds (batch rows: 3)
    python benchmarks/run.py --quick        # 3 rounds, batch of 50, memory 100 vs 50: a smoke test
    python benchmarks/run.py --only help plan-terminal --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PY = sys.executable
MIB = 1024 * 1024
REFERENCE_HTML = Path(__file__).resolve().parent / "reference" / "handout-2026-12-06.html"


class _PlainDumper(yaml.SafeDumper):
    """Writes every value out: backplan refuses YAML aliases, which PyYAML makes for shared lists."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------------------------------------
# Running one command


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes: the largest process of the command's tree (wait4 rusage)
    worker_peak_rss: int | None = None  # bytes: the largest descendant (pool worker), if any
    stdout: str = ""
    cpu: float | None = None  # user + system seconds of the command's process tree, if known


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CommandFailed(RuntimeError):
    pass


def _children(pid: int) -> list[int]:
    """Every live descendant of `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # Field 4 (ppid) follows the command name, which is in parentheses and may hold spaces.
        parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == current]
        found += kids
        frontier += kids
    return found


def _vm_hwm(pid: int) -> int:
    """A process's own peak resident memory so far (VmHWM), in bytes; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(argv: Sequence[str], env: dict[str, str]) -> Run:
    """Run `argv` to completion and time it. Raises CommandFailed."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(list(argv), env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    if proc.returncode != 0:
        raise CommandFailed(
            f"exit {proc.returncode}: {' '.join(argv)}\n"
            f"{proc.stderr.strip()[-2000:] or proc.stdout[-2000:]}"
        )
    return Run(seconds, 0, None, proc.stdout, cpu)


def run_measured(argv: Sequence[str], env: dict[str, str], *, watch_workers: bool = False) -> Run:
    """`run` plus the peak memory of the whole process tree, from the kernel's rusage.

    Peak RSS is only available for a reaped child (wait4), and RUSAGE_CHILDREN is the maximum
    over every child ever reaped, so the command runs under a tiny wrapper process whose own
    RUSAGE_CHILDREN covers exactly this command's tree.
    """
    wrapper = (
        "import json, resource, subprocess, sys\n"
        "rc = subprocess.call(sys.argv[1:])\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('\\n@@rusage ' + json.dumps({'rc': rc, 'peak_kib': peak}), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-c", wrapper, *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker_peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal worker_peak
        while not stop.wait(0.05):
            kids = _children(proc.pid)
            # kids[0] is the command itself (the wrapper's child); the rest are its workers.
            for kid in kids[1:]:
                worker_peak = max(worker_peak, _vm_hwm(kid))

    sampler = threading.Thread(target=sample, daemon=True) if watch_workers else None
    if sampler:
        sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    if sampler:
        sampler.join()
    marker = err.rfind("@@rusage ")
    info = json.loads(err[marker + len("@@rusage ") :]) if marker >= 0 else {"peak_kib": 0}
    if proc.returncode != 0:
        raise CommandFailed(
            f"exit {proc.returncode}: {' '.join(argv)}\n"
            f"{(err[:marker] if marker >= 0 else err).strip()[-2000:] or out[-2000:]}"
        )
    return Run(seconds, info["peak_kib"] * 1024, worker_peak or None, out)


# ---------------------------------------------------------------------------------------------
# Statistics and rows


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float]) -> tuple[float, float]:
    return (min(values), max(values))


@dataclass
class Row:
    key: str
    title: str
    a_label: str
    b_label: str
    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)
    targets: list[tuple[str, float, str]] = field(default_factory=list)  # (metric, limit, text)
    extra: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    per_item: int | None = None  # A divided by this is the `per_item` metric
    note: str = ""

    def ratios(self) -> list[float]:
        return [x / y for x, y in zip(self.a, self.b, strict=True) if y]

    def metrics(self) -> dict[str, float]:
        if not self.a:
            return {}
        m = {"a": median(self.a)}
        if self.b:
            m["b"] = median(self.b)
            m["ratio"] = median(self.ratios())
        if self.per_item:
            m["per_item"] = m["a"] / self.per_item
        for k, v in self.extra.items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                m[k] = float(v)
        return m

    def verdicts(self) -> list[tuple[str, float | None, float, bool | None]]:
        m = self.metrics()
        out = []
        for metric, limit, text in self.targets:
            value = m.get(metric)
            out.append((text, value, limit, None if value is None else value <= limit))
        return out

    def met(self) -> bool | None:
        if self.error:
            return False
        v = [ok for *_, ok in self.verdicts()]
        if not v or any(ok is None for ok in v):
            return None
        return all(v)

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "a": {"label": self.a_label, "seconds": self.a},
            "b": {"label": self.b_label, "seconds": self.b} if self.b_label else None,
            "ratios": self.ratios() if self.b else [],
            "metrics": self.metrics(),
            "targets": [
                {"target": text, "value": value, "limit": limit, "met": ok}
                for text, value, limit, ok in self.verdicts()
            ],
            "met": self.met(),
            "extra": self.extra,
            "note": self.note,
            "error": self.error,
        }


def alternate(
    rounds: int,
    a: Callable[[], Run],
    b: Callable[[], Run],
    *,
    warmup: bool = True,
) -> tuple[list[Run], list[Run]]:
    """A and B in alternating order (AB, BA, AB, ...), after one untimed run of each."""
    if warmup:
        a()
        b()
    ra: list[Run] = []
    rb: list[Run] = []
    for i in range(rounds):
        if i % 2 == 0:
            ra.append(a())
            rb.append(b())
        else:
            rb.append(b())
            ra.append(a())
    return ra, rb


def alternate_many(rounds: int, commands: dict[str, Callable[[], Run]]) -> dict[str, list[Run]]:
    """Several commands in the same rounds, each round in a rotated order (ABC, BCA, CAB,
    ...), after one untimed run of each: a slow spell of the machine touches all of them."""
    names = list(commands)
    for name in names:
        commands[name]()
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for i in range(rounds):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            runs[name].append(commands[name]())
    return runs


# ---------------------------------------------------------------------------------------------
# The inputs, generated


ANSWERS = {
    "patient": {"name": "Ana Benchmark", "age": 44},
    "new_onset": False,
    "sharp_pain": False,
    "pain": 3,
    "red_flags": [],
    "leg_symptoms": "none",
    "conditions": [],
    "equipment": [],  # filled with every equipment id of the built-in vocabulary
    "level": "beginner",
    "clinician": "Dr. Bench Mark, DC",
}

MINIMAL_TYPER_APP = '''\
"""A minimal Typer app with two commands: the floor for `backplan --help`."""
import typer

app = typer.Typer(help="A minimal app.", no_args_is_help=True, add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye() -> None:
    """Say goodbye."""
    typer.echo("bye")


app()
'''

TYPER_OPTIONS_APP = '''\
"""A Typer command with `backplan plan`'s eleven options that prints one line: what Typer
itself costs before backplan does anything (Typer 0.2x coerces each option with pydantic)."""
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)
P = Annotated[Path | None, typer.Option()]
S = Annotated[str | None, typer.Option()]


@app.command()
def plan(
    answers: P = None, save_answers: P = None, output: P = None, clinic: P = None,
    templates: P = None, library: Annotated[list[Path] | None, typer.Option()] = None,
    max_exercises: Annotated[int, typer.Option(min=1, max=10)] = 4, date: S = None,
    lang: S = None, fmt: S = None, paper: str = "letter",
) -> None:
    import rich.console
    import yaml  # noqa: F401

    rich.console.Console().print("plan")


@app.command()
def other() -> None:
    """A second command, so `plan` is a subcommand as in backplan."""


app()
'''

TYPER_PDF_APP = TYPER_OPTIONS_APP.replace(
    """    import rich.console
    import yaml  # noqa: F401

    rich.console.Console().print("plan")
""",
    """    import rich.console
    import yaml  # noqa: F401
    from weasyprint import HTML

    HTML(filename=str(answers)).write_pdf(str(output), pdf_variant="pdf/ua-1")
    rich.console.Console(stderr=True).print("plan")
""",
)

BARE_WEASYPRINT = '''\
"""The floor for one PDF: WeasyPrint rendering backplan's HTML in a fresh process."""
import sys

from weasyprint import HTML

HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_variant="pdf/ua-1")
'''

# `load` is what every command does before it plans (`load_library`: YAML, the models and the
# cross-checks); `validate` adds what only `backplan exercises validate` does: solving each pose.
LIBRARY_TIMER = """\
import json, sys, time
from pathlib import Path
from backplan.library.catalogue import check_library

poses = sys.argv[2] == "validate"
start = time.perf_counter()
library, problems = check_library([Path(sys.argv[1])], poses=poses)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "exercises": len(library.exercises),
                  "problems": [str(p) for p in problems[:5]]}))
"""

LAUNCHER = (
    "from backplan.cli.app import main\n\n"
    # Guarded: a batch worker starts by importing the main script (multiprocessing's rule)
    'if __name__ == "__main__":\n    main()\n'
)

# The layout-cost row: WeasyPrint alone, warm (fonts and the first layout done), on one HTML
# file; prints the median seconds of the timed layouts.
LAYOUT_TIMER = """\
import json, statistics, sys, time
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

path, rounds = sys.argv[1], int(sys.argv[2])
clock = time.process_time if sys.argv[3] == "cpu" else time.perf_counter
fonts = FontConfiguration()
HTML(filename=path).write_pdf(font_config=fonts, pdf_variant="pdf/ua-1")
times = []
for _ in range(rounds):
    start = clock()
    HTML(filename=path).write_pdf(font_config=fonts, pdf_variant="pdf/ua-1")
    times.append(clock() - start)
print(json.dumps({"seconds": statistics.median(times)}))
"""

# The batch floor: the same handouts' HTML laid out by WeasyPrint alone, one warm process per
# core, each with one shared FontConfiguration.
BATCH_FLOOR = """\
import os, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

_fonts = None

def _start():
    global _fonts
    from weasyprint.text.fonts import FontConfiguration
    _fonts = FontConfiguration()

def _one(path):
    from weasyprint import HTML
    HTML(filename=path).write_pdf(path + ".pdf", font_config=_fonts, pdf_variant="pdf/ua-1")

files = sorted(str(p) for p in Path(sys.argv[1]).glob("*.html"))
with ProcessPoolExecutor(os.cpu_count() or 1, initializer=_start) as pool:
    list(pool.map(_one, files, chunksize=1))
print(len(files))
"""


class Workspace:
    """The temporary folder with everything the rows need, made once."""

    def __init__(self, root: Path, clock: str = "wall") -> None:
        self.root = root
        self.clock = clock
        self.env = dict(os.environ)
        # A benchmark must not read the user's clinic profile or write to their log.
        for var, sub in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_CACHE_HOME", "cache"),
        ):
            self.env[var] = str(root / sub)
        # Compiled modules are written and reused, as on a user's machine (any value of this
        # variable, even "0", would turn that off and recompile backplan on every run).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env.setdefault("COLUMNS", "100")
        self.backplan = root / "backplan_main.py"
        self.backplan.write_text(LAUNCHER)
        self.typer_app = root / "minimal_typer_app.py"
        self.typer_app.write_text(MINIMAL_TYPER_APP)
        self.typer_options_app = root / "typer_options_app.py"
        self.typer_options_app.write_text(TYPER_OPTIONS_APP)
        self.typer_pdf_app = root / "typer_pdf_app.py"
        self.typer_pdf_app.write_text(TYPER_PDF_APP)
        self.bare_weasyprint = root / "bare_weasyprint.py"
        self.bare_weasyprint.write_text(BARE_WEASYPRINT)
        self.library_timer = root / "library_timer.py"
        self.library_timer.write_text(LIBRARY_TIMER)
        self.layout_timer = root / "layout_timer.py"
        self.layout_timer.write_text(LAYOUT_TIMER)
        self.batch_floor = root / "batch_floor.py"
        self.batch_floor.write_text(BATCH_FLOOR)
        self.answers = root / "answers.yaml"
        self.answers.write_text(dump_yaml(self.answers_data()))
        self._counter = 0

    def times(self, runs: Sequence[Run]) -> list[float]:
        """Each run's time on the chosen clock: wall seconds, or the CPU seconds of the
        command's processes (steadier on a shared machine; the same on a quiet one, since
        these commands run on one core)."""
        if self.clock == "cpu":
            return [r.cpu if r.cpu is not None else r.seconds for r in runs]
        return [r.seconds for r in runs]

    def bp(self, *args: str) -> list[str]:
        return [PY, str(self.backplan), *args]

    def fresh(self, name: str) -> Path:
        """A new, empty folder for one run's output."""
        self._counter += 1
        path = self.root / "out" / f"{name}-{self._counter}"
        path.mkdir(parents=True)
        return path

    @staticmethod
    def equipment_ids() -> list[str]:
        from backplan.resources import builtin_exercises_dir

        vocab = yaml.safe_load((builtin_exercises_dir() / "vocabulary.yaml").read_text())
        return sorted(vocab.get("equipment", {}))

    def answers_data(self, index: int = 0) -> dict[str, object]:
        data = json.loads(json.dumps(ANSWERS))
        equipment = self.equipment_ids()
        # Four kinds of patient, so a roster is not one handout repeated.
        data["equipment"] = equipment if index % 2 == 0 else equipment[: len(equipment) // 2]
        data["level"] = ("beginner", "intermediate")[index // 2 % 2]
        data["pain"] = 2 + index % 5
        data["patient"] = {"name": f"Patient {index:04d} Benchmark", "age": 30 + index % 40}
        return data

    def roster(self, size: int) -> Path:
        path = self.root / f"roster-{size}.yaml"
        if not path.exists():
            rows = [self.answers_data(i) for i in range(size)]
            path.write_text(dump_yaml(rows), encoding="utf-8")
        return path

    def library(self, size: int) -> Path:
        """A folder of `size` valid exercise files, copies of the built-in ones with new ids."""
        folder = self.root / f"library-{size}"
        if folder.exists():
            return folder
        from backplan.library.catalogue import exercise_files
        from backplan.resources import builtin_exercises_dir

        templates = []
        for path in exercise_files(builtin_exercises_dir()):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data.pop("image", None)  # a picture path is relative to the built-in folder
            templates.append(data)
        if not templates:
            raise CommandFailed("the built-in library has no exercise files to copy")
        folder.mkdir()
        for i in range(size):
            data = dict(templates[i % len(templates)])
            data["id"] = f"{data['id']}-gen-{i:05d}"
            data["name"] = f"{data['name']} {i}"
            (folder / f"{data['id']}.yaml").write_text(dump_yaml(data), encoding="utf-8")
        return folder


# ---------------------------------------------------------------------------------------------
# The rows (issue 9, point 2)


def row_help(ws: Workspace, rounds: int) -> Row:
    row = Row(
        "help",
        "backplan --help vs a minimal Typer app --help",
        "backplan --help",
        "minimal Typer app --help",
        targets=[("ratio", 1.2, "ratio <= 1.2")],
    )
    ra, rb = alternate(
        rounds,
        lambda: run(ws.bp("--help"), ws.env),
        lambda: run([PY, str(ws.typer_app), "--help"], ws.env),
    )
    row.a, row.b = ws.times(ra), ws.times(rb)
    return row


def row_plan_terminal(
    ws: Workspace, rounds: int, *, key: str = "plan-terminal", extra: Sequence[str] = ()
) -> Row:
    words = "".join(f"{w} " for w in extra)
    row = Row(
        key,
        f"plan --answers A {words}(to the terminal) vs a bare Typer command with plan's options",
        f"backplan plan --answers A {words}".strip(),
        "Typer app with plan's options (typer-floor)",
        targets=[("ratio", 1.3, "ratio <= 1.3")],
    )
    ra, rb = alternate(
        rounds,
        lambda: run(ws.bp("plan", "--answers", str(ws.answers), *extra), ws.env),
        lambda: run([PY, str(ws.typer_options_app), "plan", "--answers", "x"], ws.env),
    )
    if not ra[0].stdout.strip():
        raise CommandFailed("backplan plan printed nothing")
    row.a, row.b = ws.times(ra), ws.times(rb)
    return row


def row_typer_floor(ws: Workspace, rounds: int) -> Row:
    row = Row(
        "typer-floor",
        "context for plan-terminal: a bare Typer command with plan's options vs bare imports",
        "Typer app with plan's 11 options",
        'python -c "import typer, rich.console, yaml"',
        note="no target: the share of plan-terminal's budget Typer itself takes",
    )
    ra, rb = alternate(
        rounds,
        lambda: run([PY, str(ws.typer_options_app), "plan", "--answers", "x"], ws.env),
        lambda: run([PY, "-c", "import typer, rich.console, yaml"], ws.env),
    )
    row.a, row.b = ws.times(ra), ws.times(rb)
    return row


def row_plan_pdf(
    ws: Workspace, rounds: int, *, key: str = "plan-pdf", extra: Sequence[str] = ()
) -> Row:
    words = "".join(f"{w} " for w in extra)
    row = Row(
        key,
        f"plan --answers A {words}-o plan.pdf vs WeasyPrint alone on the same HTML",
        f"backplan plan --answers A {words} -o plan.pdf".replace("  ", " "),
        "bare WeasyPrint script (same HTML, pdf/ua-1)",
        targets=[("ratio", 1.15, "ratio <= 1.15")],
    )
    html = ws.root / f"{key}.html"
    run(ws.bp("plan", "--answers", str(ws.answers), *extra, "-o", str(html)), ws.env)
    pdf_a, pdf_b = ws.root / f"{key}.pdf", ws.root / f"{key}-bare.pdf"
    ra, rb = alternate(
        rounds,
        lambda: run(ws.bp("plan", "--answers", str(ws.answers), *extra, "-o", str(pdf_a)), ws.env),
        lambda: run([PY, str(ws.bare_weasyprint), str(html), str(pdf_b)], ws.env),
    )
    row.a, row.b = ws.times(ra), ws.times(rb)
    row.extra = {"pdf_bytes": pdf_a.stat().st_size, "bare_pdf_bytes": pdf_b.stat().st_size}
    return row


def row_pdf_floor(ws: Workspace, rounds: int) -> Row:
    row = Row(
        "pdf-floor",
        "context for plan-pdf: the same bare WeasyPrint render inside a Typer command "
        "with plan's options",
        "Typer app with plan's 11 options + WeasyPrint",
        "bare WeasyPrint script (same HTML, pdf/ua-1)",
        note="no target: the ratio plan-pdf cannot go below while the CLI is Typer",
    )
    html = ws.root / "plan.html"
    if not html.exists():
        run(ws.bp("plan", "--answers", str(ws.answers), "-o", str(html)), ws.env)
    pdf_a, pdf_b = ws.root / "floor.pdf", ws.root / "bare.pdf"
    ra, rb = alternate(
        rounds,
        lambda: run(
            [PY, str(ws.typer_pdf_app), "plan", "--answers", str(html), "--output", str(pdf_a)],
            ws.env,
        ),
        lambda: run([PY, str(ws.bare_weasyprint), str(html), str(pdf_b)], ws.env),
    )
    row.a, row.b = ws.times(ra), ws.times(rb)
    return row


def batch_run(ws: Workspace, size: int, jobs: int | None) -> Run:
    out = ws.fresh(f"batch{size}-{jobs or 'default'}")
    args = ["batch", str(ws.roster(size)), "-o", str(out)]
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    result = run_measured(ws.bp(*args), ws.env, watch_workers=True)
    made = len(list(out.glob("*.pdf")))
    shutil.rmtree(out, ignore_errors=True)
    if made != size:
        raise CommandFailed(f"batch of {size} wrote {made} PDFs")
    return result


def batch_html(ws: Workspace, size: int) -> Path:
    """The roster's handouts as HTML (what the batch lays out), made once for the floor."""
    out = ws.root / f"batch-html-{size}"
    if not out.exists():
        run(ws.bp("batch", str(ws.roster(size)), "-o", str(out), "--format", "html"), ws.env)
    for stale in out.glob("*.pdf"):
        stale.unlink()
    return out


def batch_floor_run(ws: Workspace, size: int) -> Run:
    folder = batch_html(ws, size)
    result = run([PY, str(ws.batch_floor), str(folder)], ws.env)
    if result.stdout.strip() != str(size):
        raise CommandFailed(f"the batch floor laid out {result.stdout.strip()} of {size} files")
    return result


def row_batch(ws: Workspace, rounds: int, size: int, harfbuzz: bool | None) -> list[Row]:
    speed = Row(
        "batch",
        f"batch of {size} (default jobs) vs WeasyPrint alone on the same {size} handouts' HTML, "
        "one warm process per core",
        f"backplan batch ({size}, default jobs)",
        f"bare WeasyPrint pool ({size} HTML files)",
        per_item=size,
        targets=[("ratio", 1.0, "ratio <= 1.0")],
        note="" if harfbuzz else "HarfBuzz subsetting is not in use: every layout is slower",
    )
    ra, rb = alternate(
        rounds,
        lambda: batch_run(ws, size, None),
        lambda: batch_floor_run(ws, size),
        warmup=False,
    )
    speed.a, speed.b = [r.seconds for r in ra], [r.seconds for r in rb]
    speed.extra = {
        "floor_per_item": median(speed.b) / size,
        "peak_rss_mib": median([r.peak_rss for r in ra]) / MIB,
        "worker_peak_rss_mib": median([r.worker_peak_rss or 0 for r in ra]) / MIB,
    }
    return [speed]


def layout_run(ws: Workspace, html: Path, rounds: int) -> Run:
    result = run([PY, str(ws.layout_timer), str(html), str(rounds), ws.clock], ws.env)
    return Run(json.loads(result.stdout)["seconds"], 0, None, result.stdout)


def font_dir() -> Path:
    import fontpkg_atkinson_hyperlegible as font_package

    return Path(font_package.__file__).resolve().parent / "files"


def fonts_as_files(html: Path) -> None:
    """Point the page's embedded fonts (data: URIs) at the installed font files, as the
    reference does and as the PDF path does: the row compares layouts, not base64 decoding."""
    import base64
    import re

    files = {f.read_bytes(): f.as_uri() for f in font_dir().glob("*.ttf")}

    def as_file(match: re.Match[str]) -> str:
        data = base64.b64decode(match[1])
        return f'url("{files[data]}")' if data in files else match[0]

    text = html.read_text(encoding="utf-8")
    html.write_text(re.sub(r'url\("data:font/ttf;base64,([^"]*)"\)', as_file, text), "utf-8")


def reference_html(ws: Workspace) -> Path:
    """Today's reference handout (benchmarks/reference/), its fonts from this installation."""
    text = REFERENCE_HTML.read_text(encoding="utf-8").replace("{{FONT_DIR}}", font_dir().as_uri())
    path = ws.root / "reference-handout.html"
    path.write_text(text, encoding="utf-8")
    return path


def row_layout_cost(ws: Workspace, rounds: int) -> Row:
    row = Row(
        "layout-cost",
        "WeasyPrint alone, warm, on our handout's HTML vs on the handout as of 2026-12-06",
        "our handout's HTML (warm layout)",
        f"reference: benchmarks/reference/{REFERENCE_HTML.name}",
        targets=[("ratio", 0.7, "ratio <= 0.7")],
        note="each side is the median of 3 warm layouts inside one process, fonts as files",
    )
    ours = ws.root / "layout-ours.html"
    run(ws.bp("plan", "--answers", str(ws.answers), "-o", str(ours)), ws.env)
    fonts_as_files(ours)
    reference = reference_html(ws)
    ra, rb = alternate(
        rounds, lambda: layout_run(ws, ours, 3), lambda: layout_run(ws, reference, 3)
    )
    row.a, row.b = [r.seconds for r in ra], [r.seconds for r in rb]
    return row


def row_variant(ws: Workspace, rounds: int, key: str, extra: Sequence[str], kind: str) -> Row:
    """Large print, Spanish or self-contained HTML against its floor, and against its English
    standard-print twin measured in the same rounds: at most 5% slower, ratio for ratio.

    Each round times the variant, the twin and their floors (the bare WeasyPrint script on
    each one's own HTML for a PDF; the typer floor, shared, for the terminal and HTML), so the
    twin comparison is of pairs run a few seconds apart, not of two rows' medians measured
    minutes apart (those moved by more than 5% between rows on a busy machine)."""
    words = "".join(f"{w} " for w in extra)
    standard = "plan-pdf" if kind == "pdf" else "plan-terminal"
    plan = ["plan", "--answers", str(ws.answers)]
    commands: dict[str, Callable[[], Run]]
    if kind == "pdf":
        title = f"plan --answers A {words}-o plan.pdf vs WeasyPrint alone on the same HTML"
        a_label = f"backplan plan --answers A {words}-o plan.pdf"
        b_label = "bare WeasyPrint script (same HTML, pdf/ua-1)"
        commands = {}
        for name, words_of in (("variant", list(extra)), ("standard", [])):
            html, pdf = ws.root / f"{key}-{name}.html", ws.root / f"{key}-{name}.pdf"
            run(ws.bp(*plan, *words_of, "-o", str(html)), ws.env)
            bare = ws.root / f"{key}-{name}-bare.pdf"
            commands[name] = lambda w=words_of, p=pdf: run(ws.bp(*plan, *w, "-o", str(p)), ws.env)
            commands[f"{name}-floor"] = lambda h=html, p=bare: run(
                [PY, str(ws.bare_weasyprint), str(h), str(p)], ws.env
            )
    else:
        title = f"plan --answers A {words}(to standard output) vs a bare Typer command"
        a_label = f"backplan plan --answers A {words}".strip()
        b_label = "Typer app with plan's options (typer-floor)"
        floor = [PY, str(ws.typer_options_app), "plan", "--answers", "x"]
        commands = {
            "variant": lambda: run(ws.bp(*plan, *extra), ws.env),
            "standard": lambda: run(ws.bp(*plan), ws.env),
            "variant-floor": lambda: run(floor, ws.env),
        }
    runs = alternate_many(rounds, commands)
    if kind != "pdf" and not runs["variant"][0].stdout.strip():
        raise CommandFailed(f"backplan {' '.join(extra)} printed nothing")
    row = Row(
        key,
        title,
        a_label,
        b_label,
        targets=[("twin_ratio", 1.05, f"ratio <= 1.05 x {standard}'s ratio, same rounds")],
    )
    row.a, row.b = ws.times(runs["variant"]), ws.times(runs["variant-floor"])
    standard_a = ws.times(runs["standard"])
    standard_b = ws.times(runs.get("standard-floor", runs["variant-floor"]))
    per_round = [
        (a / b) / (sa / sb)
        for a, b, sa, sb in zip(row.a, row.b, standard_a, standard_b, strict=True)
    ]
    row.extra = {
        "twin_ratio": median(per_round),
        f"{standard}_ratio_same_rounds": median(
            [sa / sb for sa, sb in zip(standard_a, standard_b, strict=True)]
        ),
    }
    return row


def row_batch_memory(ws: Workspace, rounds: int, small: int, large: int) -> Row:
    row = Row(
        f"batch-memory-{large}",
        f"peak memory per worker: batch of {large} vs batch of {small}",
        f"batch of {large}",
        f"batch of {small}",
        targets=[("memory_ratio", 1.1, "ratio <= 1.1 (flat)")],
        note="times here are seconds; the target reads the peak memory",
    )
    runs_large, runs_small = alternate(
        rounds,
        lambda: batch_run(ws, large, None),
        lambda: batch_run(ws, small, None),
        warmup=False,
    )
    row.a = [r.seconds for r in runs_large]
    row.b = [r.seconds for r in runs_small]

    def worker_peak(r: Run) -> int:
        return r.worker_peak_rss or r.peak_rss

    peak_large = median([worker_peak(r) for r in runs_large])
    peak_small = median([worker_peak(r) for r in runs_small])
    row.extra = {
        "memory_ratio": peak_large / peak_small,
        f"worker_peak_rss_mib_{large}": peak_large / MIB,
        f"worker_peak_rss_mib_{small}": peak_small / MIB,
        f"tree_peak_rss_mib_{large}": median([r.peak_rss for r in runs_large]) / MIB,
        f"tree_peak_rss_mib_{small}": median([r.peak_rss for r in runs_small]) / MIB,
    }
    return row


def library_run(ws: Workspace, size: int, mode: str = "load", *, cold: bool = False) -> Run:
    if cold:  # the parsed-library cache emptied: every file read as on the first load
        shutil.rmtree(Path(ws.env["XDG_CACHE_HOME"]) / "backplan", ignore_errors=True)
    result = run([PY, str(ws.library_timer), str(ws.library(size)), mode], ws.env)
    data = json.loads(result.stdout)
    if data["problems"]:
        raise CommandFailed(f"generated library has problems: {data['problems']}")
    return Run(data["seconds"], 0, None, result.stdout)


def row_library(ws: Workspace, rounds: int, small: int = 250, large: int = 2000) -> list[Row]:
    ra, rb = alternate(rounds, lambda: library_run(ws, large), lambda: library_run(ws, small))
    load = Row(
        "library-load",
        f"load and validate {large:,} exercise files as every command does (in-process time, parse cache warm)",
        f"{large:,} files",
        "",
        targets=[("a", 0.8, "A < 0.8 s")],
    )
    load.a = [r.seconds for r in ra]
    linear = Row(
        "library-linear",
        f"time per file: {large:,} files vs {small:,} files",
        f"{large:,} files",
        f"{small:,} files",
        targets=[("per_file_ratio", 1.15, "per-file ratio <= 1.15 (linear)")],
    )
    linear.a, linear.b = load.a, [r.seconds for r in rb]
    linear.extra = {"per_file_ratio": median(linear.ratios()) * small / large}
    return [load, linear]


def row_library_cold(ws: Workspace, rounds: int, size: int = 2000) -> Row:
    row = Row(
        "library-cold",
        f"the {size:,} files read with an empty parse cache (the first load after they change) "
        "vs with the cache the last load left",
        f"{size:,} files, cache emptied",
        f"{size:,} files, cache warm",
        note="no target: what the cache saves; the library-load row is the warm load",
    )
    ra, rb = alternate(
        rounds,
        lambda: library_run(ws, size, cold=True),
        lambda: library_run(ws, size),
        warmup=False,
    )
    row.a, row.b = [r.seconds for r in ra], [r.seconds for r in rb]
    return row


def row_library_validate(ws: Workspace, rounds: int, size: int = 2000) -> Row:
    row = Row(
        "library-validate",
        f"`exercises validate` on {size:,} files: the load plus solving every pose",
        f"{size:,} files, poses solved",
        f"{size:,} files, load only",
        note="no target: pose solving is the linter's extra check, never on the plan path",
    )
    ra, rb = alternate(
        rounds,
        lambda: library_run(ws, size, "validate"),
        lambda: library_run(ws, size, "load"),
        warmup=False,
    )
    row.a, row.b = [r.seconds for r in ra], [r.seconds for r in rb]
    return row


# ---------------------------------------------------------------------------------------------
# Output


def fmt_s(values: Sequence[float]) -> str:
    if not values:
        return ""
    lo, hi = spread(values)
    return f"{median(values):.3f} ({lo:.3f}-{hi:.3f})"


def fmt_value(metric: str, value: float | None) -> str:
    if value is None:
        return "-"
    if metric in ("a", "per_item"):
        return f"{value:.3f} s"
    return f"{value:.2f}"


def print_table(rows: list[Row], env_facts: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=max(shutil.get_terminal_size().columns, 140))
    facts = ", ".join(f"{k}: {v}" for k, v in env_facts.items())
    console.print(f"[dim]{facts}[/]")
    table = Table(title="backplan benchmarks (median, min-max)", title_justify="left")
    table.add_column("row")
    table.add_column("A, s")
    table.add_column("B, s")
    table.add_column("ratio A/B")
    table.add_column("target")
    table.add_column("value")
    table.add_column("met")
    for row in rows:
        if row.error:
            table.add_row(row.key, "[red]error[/]", "", "", "", "", "[red]no[/]")
            continue
        ratios = row.ratios() if row.b else []
        ratio = f"{median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})" if ratios else ""
        verdicts = row.verdicts() or [("(context, no target)", None, 0.0, None)]
        for i, (text, value, _limit, ok) in enumerate(verdicts):
            metric = next((m for m, _, t in row.targets if t == text), "")
            mark = {True: "[green]yes[/]", False: "[red]no[/]", None: ""}[ok]
            table.add_row(
                row.key if i == 0 else "",
                fmt_s(row.a) if i == 0 else "",
                fmt_s(row.b) if i == 0 else "",
                ratio if i == 0 else "",
                text,
                fmt_value(metric, value),
                mark,
            )
    console.print(table)
    for row in rows:
        details = {
            k: round(v, 3) if isinstance(v, float) else v
            for k, v in row.extra.items()
            if k != "per_file_ratio" and k != "memory_ratio"
        }
        if row.error:
            console.print(f"[red]{row.key}[/]: {row.error}", markup=True)
        elif details or row.note:
            console.print(
                f"[bold]{row.key}[/]: {row.title}. "
                + ", ".join(f"{k} {v}" for k, v in details.items())
                + (f" [dim]({row.note})[/]" if row.note else "")
            )


def markdown_table(rows: list[Row]) -> str:
    """The headline figures as a Markdown table, for the README's Performance section."""
    lines = [
        "| row | A (median) | B (median) | ratio A/B | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.error:
            lines.append(f"| {row.key} | error | | | | no |")
            continue
        m = row.metrics()
        for i, (text, value, _limit, ok) in enumerate(
            row.verdicts() or [("(context, no target)", None, 0.0, None)]
        ):
            metric = next((mm for mm, _, t in row.targets if t == text), "")
            first = i == 0
            lines.append(
                "| "
                + " | ".join(
                    [
                        row.key if first else "",
                        f"{m['a']:.3f} s" if first else "",
                        f"{m['b']:.3f} s" if first and "b" in m else "",
                        f"{m['ratio']:.2f}" if first and "ratio" in m else "",
                        text if value is None else f"{text} (got {fmt_value(metric, value)})",
                        {True: "yes", False: "no", None: "n/a"}[ok],
                    ]
                )
                + " |"
            )
    return "\n".join(lines)


def environment(ws: Workspace) -> dict[str, object]:
    """The facts that change the numbers, from `backplan doctor --json`."""
    try:
        data = json.loads(run(ws.bp("doctor", "--json"), ws.env).stdout)
    except (CommandFailed, json.JSONDecodeError) as exc:
        return {"doctor": f"failed: {exc}"}
    text = data.get("text", {})
    return {
        "python": data["versions"]["python"]["value"],
        "weasyprint": data["versions"]["weasyprint"]["value"],
        "harfbuzz_subsetting": text.get("font subsetting", {}).get("ok"),
        "yaml": data.get("yaml", {}).get("loader", {}).get("value"),
        "cpus": os.cpu_count(),
    }


ROWS = (
    "help",
    "plan-terminal",
    "typer-floor",
    "plan-pdf",
    "pdf-floor",
    "layout-cost",
    "variants",
    "batch",
    "batch-memory",
    "library",
    "library-cold",
    "library-validate",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds per row (default 7)")
    parser.add_argument(
        "--batch-repeat", type=int, default=3, help="rounds for the batch rows (default 3)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 rounds, 1 batch round of 50, memory 100 vs 50"
    )
    parser.add_argument("--batch-size", type=int, default=200, help="handouts (default 200)")
    parser.add_argument(
        "--memory-size", type=int, default=500, help="the large batch of the memory row (500)"
    )
    parser.add_argument("--only", nargs="+", choices=ROWS, help="run only these rows")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="time the single-process rows by wall clock (default) or by their CPU time, "
        "which a busy machine disturbs far less; batch rows are always wall clock",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.batch_repeat, args.batch_size, args.memory_size = 3, 1, 50, 100
    wanted = args.only or ROWS

    root = Path(tempfile.mkdtemp(prefix="backplan-bench-"))
    try:
        ws = Workspace(root, args.clock)
        env_facts = environment(ws)
        env_facts["clock"] = args.clock
        rows: list[Row] = []

        def attempt(key: str, make: Callable[[], Row | list[Row]]) -> None:
            if key not in wanted:
                return
            if not args.json:
                print(f"running {key} ...", file=sys.stderr, flush=True)
            try:
                made = make()
            except CommandFailed as exc:
                rows.append(Row(key, key, "", "", error=str(exc)))
                return
            rows.extend(made if isinstance(made, list) else [made])

        attempt("help", lambda: row_help(ws, args.repeat))
        attempt("plan-terminal", lambda: row_plan_terminal(ws, args.repeat))
        attempt("typer-floor", lambda: row_typer_floor(ws, args.repeat))
        attempt("plan-pdf", lambda: row_plan_pdf(ws, args.repeat))
        attempt("pdf-floor", lambda: row_pdf_floor(ws, args.repeat))
        attempt("layout-cost", lambda: row_layout_cost(ws, args.repeat))

        def variants() -> list[Row]:
            made = []
            for key, extra, kind in (
                ("plan-pdf-large", ["--large-print"], "pdf"),
                ("plan-pdf-es", ["--lang", "es"], "pdf"),
                ("plan-terminal-es", ["--lang", "es"], "terminal"),
                ("plan-html", ["-f", "html"], "terminal"),
            ):
                try:
                    made.append(row_variant(ws, args.repeat, key, extra, kind))
                except CommandFailed as exc:
                    made.append(Row(key, key, "", "", error=str(exc)))
            return made

        attempt("variants", variants)
        hb = env_facts.get("harfbuzz_subsetting")
        attempt(
            "batch",
            lambda: row_batch(
                ws, args.batch_repeat, args.batch_size, hb if hb is None else bool(hb)
            ),
        )
        memory_small = min(50, args.memory_size // 2)
        attempt(
            "batch-memory",
            lambda: row_batch_memory(ws, args.batch_repeat, memory_small, args.memory_size),
        )
        attempt("library", lambda: row_library(ws, args.repeat))
        attempt("library-cold", lambda: row_library_cold(ws, min(args.repeat, 3)))
        attempt("library-validate", lambda: row_library_validate(ws, min(args.repeat, 3)))

        if args.json:
            print(
                json.dumps(
                    {"environment": env_facts, "rows": [r.to_dict() for r in rows]}, indent=2
                )
            )
        else:
            print_table(rows, env_facts)
            if args.markdown:
                print(markdown_table(rows))
        return 0 if all(r.met() is not False for r in rows) else 1
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
