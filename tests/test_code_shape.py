"""The shape issue 14 asked for, kept: short functions, few modules at the top of the package.

Read with `ast`, without importing anything. A function is counted from its `def` line to its
last line (decorators excluded).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "backplan"
LONGEST = 80  # lines, anywhere in the package
LONGEST_IN_CLI = 60  # a command turns options into a request, makes one call, maps the outcome
MOST_TOP_LEVEL_MODULES = 10  # the rest live in packages named for what they hold


def _functions():
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                yield path.relative_to(PACKAGE), node.name, node.end_lineno - node.lineno + 1


def test_no_function_is_longer_than_the_limit():
    too_long = [
        f"{path}:{name} has {lines} lines"
        for path, name, lines in _functions()
        if lines > (LONGEST_IN_CLI if path.parts[0] == "cli" else LONGEST)
    ]
    assert too_long == [], "split these into named steps:\n" + "\n".join(too_long)


def test_the_limit_is_counted_on_real_functions():
    counted = list(_functions())
    assert len(counted) > 500  # the walk does see the package's functions
    assert max(lines for *_, lines in counted) > 40


def test_few_modules_sit_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MOST_TOP_LEVEL_MODULES, top
