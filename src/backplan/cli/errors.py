"""One place that turns user errors into a readable message and an exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from backplan.errors import EXIT_INTERRUPTED, BackplanError
from backplan.i18n import lang_from_environment, words

F = TypeVar("F", bound=Callable[..., Any])


def report(exc: BackplanError) -> None:
    """Print a user error to stderr: a title, then one `file:line:column: message` per problem."""
    from backplan.cli.console import err_console

    console = err_console()
    title = exc.title or "Error"
    lines = [str(p) for p in exc.problems]
    if console.is_terminal:
        from rich.markup import escape
        from rich.panel import Panel

        body = "\n".join(escape(line) for line in lines)
        console.print(
            Panel(
                body,
                title=f"[bold]{escape(title)}[/]",
                border_style="red",
                title_align="left",
                expand=False,
            )
        )
    else:
        console.print(
            f"{title}:" if len(lines) > 1 or exc.title else "Error:",
            markup=False,
            highlight=False,
            end=" " if len(lines) == 1 and not exc.title else "\n",
        )
        for line in lines:
            console.print(line, markup=False, highlight=False, soft_wrap=True)


def handle_errors(func: F) -> F:
    """Run a command; user errors become a message and exit code, Ctrl-C exits 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BackplanError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from backplan.cli.console import err_console

            # No request reaches this handler: the locale's language, as the interview's is.
            _ = words(lang_from_environment() or "en").gettext
            err_console().print(
                "\n" + _("Cancelled; nothing was saved."), markup=False, highlight=False
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]
