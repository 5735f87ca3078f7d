"""The `backplan` command: registers each command group; every group lives in its own module.

Modules here import only Typer at the top; the pipeline is imported inside each command so
`backplan --help` stays as fast as a bare Typer app.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from backplan import __version__
from backplan.cli import batch, clinic, doctor, exercises, log, plan, progress, protocols, session

SETTINGS: dict[str, Any] = {
    "name": "backplan",
    "help": "Turn a short symptom interview into a safe, printable home-exercise plan for back "
    "pain.",
    "no_args_is_help": True,
    "add_completion": True,  # --install-completion and --show-completion (issue 18)
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "rich_markup_mode": "markdown",
}
app = typer.Typer(**SETTINGS)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Turn a short symptom interview into a safe, printable home-exercise plan for back pain.

    Start with **backplan plan**: it asks a few questions, stops and says whom to see if
    anything needs a clinician first, and otherwise prints your plan.
    """


# The commands, in the order `--help` lists them. Each module adds its own.
plan.register(app)
exercises.register(app)
protocols.register(app)
clinic.register(app)
batch.register(app)
session.register(app)
progress.register(app)
log.register(app)
doctor.register(app)


LONG_RUNNING = ("batch", "session")  # commands that keep the cyclic garbage collector


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command `args` name first (`plan`, `exercises`, ...), else the
    whole app. Typer builds every registered command from its signature before it parses the
    command line (~12 ms for our 16); the one named is all a run needs, with the same usage,
    help and errors. `--help`, root options, completion and unknown names get the whole app."""
    name = args[0] if args else None
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    one = typer.Typer(**SETTINGS)
    one.registered_callback = app.registered_callback
    one.registered_commands, one.registered_groups = commands, groups
    return one


def _stop_on_sigterm() -> None:
    """SIGTERM (a shutdown, `kill`) stops like Ctrl-C: temp files removed, whole files only."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def main() -> None:
    """The `backplan` program: the app, with standard output that cannot crash it."""
    import gc
    import os
    import sys

    # Nearly all a one-off command allocates (modules, Typer's option adapters, models, the
    # library, WeasyPrint's boxes) lives until the exit, so each pass of the cyclic collector
    # only walks it again: with the freeze below, this took a fifth off a terminal plan's CPU
    # time and a seventh off a PDF's, for under 1% more peak memory. A batch and a guided
    # session run long and keep the collector.
    collecting = gc.isenabled()
    if (sys.argv[1:2] or [""])[0] not in LONG_RUNNING:
        gc.disable()
    # No pydantic plugins (their discovery reads the entry points of every installed
    # package, ~5 ms): backplan uses none. Typer turns them off for its own validators too.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

    from backplan.cli.streams import GuardedOutput
    from backplan.errors import EXIT_EMERGENCY, EXIT_INTERRUPTED, EXIT_SEE_CLINICIAN, EXIT_USAGE

    guard = GuardedOutput(sys.stdout)
    sys.stdout = guard
    _stop_on_sigterm()
    try:
        app_for(sys.argv[1:])()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    if code == EXIT_USAGE:
        # A command line Typer refused (`--max-exercises 0`, a missing --templates folder, an
        # unknown option) never hides the stop that the answers file already says.
        from backplan.cli.plan import stop_behind_usage_error

        code = stop_behind_usage_error(sys.argv[1:]) or code
    guard.flush()
    if guard.failure is not None:
        failure = guard.failure
        # Nothing more may reach the broken stream, not even Python's flush at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, guard.stream.fileno())
        except (OSError, ValueError):
            pass
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the exit
        sys.stderr.write(f"backplan: could not write the output: {failure.strerror or failure}\n")
        # A stop's code says more than the lost output: the person must still hear it.
        if code not in (EXIT_SEE_CLINICIAN, EXIT_EMERGENCY, EXIT_INTERRUPTED):
            code = EXIT_USAGE
    # Python's last full collection at exit would walk every object once more to free what
    # the exit frees anyway; frozen objects are left out of it.
    gc.freeze()
    if collecting:
        gc.enable()
    sys.exit(code)
