"""The import contract (issue 14): no import cycle among backplan's modules at module level, and
imports inside functions only where they keep start-up fast.

An import inside a function is allowed when it names a heavy or optional library (measured with
`python -X importtime -c "import X"`: WeasyPrint alone takes about 0.8 s) or one of backplan's
own modules that pulls such a library in, and anywhere in `backplan/cli/`, whose command bodies
import their pipeline so that `--help` and the terminal plan stay quick. Any other import inside
a function is listed, under the reason it cannot move to the top, in `data/import_allowlist.txt`;
the list may only shrink (BACKPLAN_UPDATE_GOLDEN=1 deletes the lines that no longer match).
A cycle counts what Python runs: importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py`
first; imports under `if TYPE_CHECKING:` never run, so they make no cycle. Read with `ast`,
without importing anything.
"""

from __future__ import annotations

import ast
import graphlib
import itertools
import os
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "backplan"
ALLOWLIST = Path(__file__).parent / "data" / "import_allowlist.txt"

# Worth importing only where used: what each adds to `python -X importtime` on top of what the
# terminal plan already imports (measured on the 2-core CI machine; rounded).
HEAVY = (
    "weasyprint",  # 800 ms, and fails without Pango
    "pypdf",  # 250 ms: batch --combined only
    "pikepdf",  # 170 ms
    "icalendar",  # 80 ms: the calendar format
    "PIL",  # 70 ms: logos and pictures
    "segno",  # 70 ms: the QR code
    "jinja2",  # 50 ms: the HTML and PDF handouts
    "babel",  # 50 ms: dates in the handout's language
    "pexpect",  # 40 ms: terminal sessions only
    "concurrent.futures",  # 35 ms: batch's process pool
    "multiprocessing",
    "rich.console",  # 16 ms: the terminal's pages; an HTML page on stdout needs none
    "backplan.render.html",  # 50 ms (Jinja2)
    "backplan.render.pdf",  # 65 ms, then WeasyPrint
    "backplan.render.progress",  # 60 ms
    "backplan.render.chart",  # 15 ms
    "backplan.figures.scene",  # 55 ms: the pose solver
    "backplan.figures.svg",  # 70 ms: the drawing
    "backplan.figures.diagram",  # 75 ms
    "backplan.figures.frontview",  # 20 ms
    "backplan.figures.skeleton",  # 15 ms
    "backplan.figures.preview",  # then WeasyPrint or pdftoppm
)
LAZY_FOLDERS = ("cli",)  # command bodies import what the command needs


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. backplan.home.session
    target: str  # the module imported, e.g. backplan.render.terminal
    line: int
    function: str | None  # the enclosing function, None at module level

    @property
    def where(self) -> str:
        return f"{_path_of(self.module)}:{self.line}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES_BY_NAME = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _path_of(module: str) -> str:
    return str(MODULES_BY_NAME[module].relative_to(SRC.parent))


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module a `from ... import` reads from."""
    if not node.level:
        return node.module or ""
    is_package = MODULES_BY_NAME[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """What the statement imports: a backplan submodule where it names one, else the module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    source = _resolve(module, node)
    found = []
    for alias in node.names:
        sub = f"{source}.{alias.name}"
        found.append(sub if sub in MODULES_BY_NAME else source)
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, tree: ast.Module) -> list[Import]:
    """Every import in the module, with the function it sits in; `if TYPE_CHECKING:` left out."""
    found: list[Import] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit_one(other, function)
                continue
            visit_one(child, function)

    def visit_one(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _targets(module, node):
                found.append(Import(module, target, node.lineno, function))
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            visit(node, f"{function}.{node.name}" if function else node.name)
            return
        visit(node, function)

    visit(tree, None)
    return found


@cache
def _all_imports() -> list[Import]:
    found = []
    for module, path in MODULES_BY_NAME.items():
        found += _imports(module, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def _is_heavy(target: str) -> bool:
    return any(target == h or target.startswith(h + ".") for h in HEAVY)


def _may_import_inside(imp: Import) -> bool:
    return _is_heavy(imp.target) or any(
        imp.module == f"backplan.{folder}" or imp.module.startswith(f"backplan.{folder}.")
        for folder in LAZY_FOLDERS
    )


def _key(imp: Import) -> str:
    """How the allowlist names an import: file, function and module, not the line (lines move)."""
    return f"{_path_of(imp.module)} {imp.function} {imp.target}"


def _allowlist() -> Counter[str]:
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def _function_offenders() -> list[Import]:
    return [i for i in _all_imports() if i.function is not None and not _may_import_inside(i)]


def _packages_of(module: str) -> list[str]:
    """The packages Python imports before `module`: backplan.a.b -> backplan, backplan.a."""
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _runs(module: str, target: str) -> list[str]:
    """What importing `target` from `module` runs: the target, and each package above it (its
    `__init__.py`) that is not already being imported above `module` itself."""
    mine = {module, *_packages_of(module)}
    return [m for m in [*_packages_of(target), target] if m not in mine]


def _import_cycle(imports: list[Import]) -> str | None:
    """The first cycle among module-level imports, one `file:line imports module` a step."""
    graph: dict[str, set[str]] = {}  # module -> the backplan modules it imports at the top
    lines: dict[tuple[str, str], str] = {}
    for imp in imports:
        graph.setdefault(imp.module, set())
        if imp.function is None and imp.target.startswith("backplan") and imp.target != imp.module:
            for target in _runs(imp.module, imp.target):
                graph[imp.module].add(target)
                lines.setdefault((imp.module, target), imp.where)
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        # each module in the cycle is imported by the next one
        cycle = list(reversed(exc.args[1]))
        return "\n".join(f"{lines[a, b]}: {a} imports {b}" for a, b in itertools.pairwise(cycle))
    return None


def test_no_import_cycle_at_module_level():
    cycle = _import_cycle(_all_imports())
    assert cycle is None, "an import cycle at module level:\n" + str(cycle)


def test_a_cycle_is_found_and_told_step_by_step():
    imports = [
        Import("backplan.pipeline", "backplan.errors", 3, None),
        Import("backplan.errors", "backplan.i18n", 5, None),
        Import("backplan.i18n", "backplan.pipeline", 7, None),
        Import("backplan.i18n", "backplan.errors", 9, "f"),  # inside a function: no edge
    ]
    told = _import_cycle(imports)
    assert told is not None
    steps = told.splitlines()
    assert len(steps) == 3
    assert "src/backplan/pipeline.py:3: backplan.pipeline imports backplan.errors" in steps
    assert "src/backplan/i18n.py:7: backplan.i18n imports backplan.pipeline" in steps
    assert _import_cycle(imports[:2] + imports[3:]) is None


def test_importing_a_submodule_runs_its_package_first():
    # library.model imports figures.pose, which runs figures/__init__.py first: if that imports
    # planning.outcome, which imports library.model, Python stops on a half-made module
    imports = [
        Import("backplan.library.model", "backplan.figures.pose", 3, None),
        Import("backplan.figures", "backplan.planning.outcome", 5, None),
        Import("backplan.planning.outcome", "backplan.library.model", 7, None),
        Import("backplan.figures.pose", "backplan.figures.geometry", 9, None),  # its own package
    ]
    told = _import_cycle(imports)
    assert told is not None
    assert "backplan.library.model imports backplan.figures\n" in told + "\n"
    assert _import_cycle([imports[0], *imports[2:]]) is None


def test_imports_inside_functions_are_heavy_or_in_the_cli_or_already_listed():
    allowed = _allowlist()
    new = []
    for imp in _function_offenders():
        key = _key(imp)
        if allowed[key] > 0:
            allowed[key] -= 1
        else:
            new.append(f"{imp.where} in {imp.function}(): import {imp.target}")
    assert not new, (
        "an import inside a function that is neither heavy nor in cli/: import it at the top of "
        "the module (or, if it is heavy, add it to HEAVY with its -X importtime cost):\n"
        + "\n".join(new)
    )


def test_the_allowlist_names_only_imports_that_still_exist():
    # so that it shrinks as the imports move to the top, and cannot hide a new one later;
    # BACKPLAN_UPDATE_GOLDEN=1 deletes the lines that no longer match (it never adds one)
    left = _allowlist() - Counter(_key(i) for i in _function_offenders())
    if left and os.environ.get("BACKPLAN_UPDATE_GOLDEN") == "1":
        kept, stale = [], Counter(left)
        for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
            if stale[line] > 0:
                stale[line] -= 1
            else:
                kept.append(line)
        ALLOWLIST.write_text("\n".join(kept) + "\n", encoding="utf-8")
        left = Counter()
    assert not left, (
        "no longer imported inside a function: delete from tests/data/import_allowlist.txt "
        "(or run with BACKPLAN_UPDATE_GOLDEN=1):\n" + "\n".join(left)
    )


def test_the_reader_finds_imports_where_python_runs_them():
    tree = ast.parse(
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from backplan.errors import Problem\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "def f():\n    from . import i18n\n    def g():\n        import json\n"
        "class C:\n    def m(self):\n        from .errors import BackplanError\n"
    )
    found = [(i.target, i.function) for i in _imports("backplan.pipeline", tree)]
    assert found == [
        ("os", None),
        ("typing", None),
        ("yaml", None),
        ("backplan.i18n", "f"),
        ("json", "f.g"),
        ("backplan.errors", "C.m"),
    ]
