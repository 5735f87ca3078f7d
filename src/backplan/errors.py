"""User errors: problems with input that the person can fix, reported without a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Exit codes shared by every command (see README "Exit codes").
EXIT_OK = 0
EXIT_PROBLEMS = 1  # `exercises validate` found problems
EXIT_USAGE = 2  # bad input: a file, an option, an answer
EXIT_SEE_CLINICIAN = 3
EXIT_EMERGENCY = 4
EXIT_INTERRUPTED = 130


def exit_code_for_stop(urgency: str) -> int:
    """The exit code of a stop: 4 for an emergency, 3 for any other stop (see README "Exit codes")."""
    return EXIT_EMERGENCY if urgency == "emergency" else EXIT_SEE_CLINICIAN


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as we know."""

    path: str = ""
    line: int | None = None
    column: int | None = None
    message: str = ""

    def __str__(self) -> str:
        where = self.path
        if where and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}" if where else self.message


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class BackplanError(Exception):
    """An input problem the user can fix. The CLI prints it and exits with `exit_code`."""

    exit_code = EXIT_USAGE

    def __init__(
        self, problems: list[Problem] | str, *, title: str = "", exit_code: int | None = None
    ):
        if isinstance(problems, str):
            problems = [Problem(message=problems)]
        self.problems = list(problems)
        self.title = title
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))
