"""`backplan doctor`: the environment facts to paste when asking for help."""

from __future__ import annotations

from typing import Annotated

import typer

from backplan.cli.errors import handle_errors


@handle_errors
def doctor_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the facts as JSON.")] = False,
) -> None:
    """Show versions, text libraries, fonts and paths; say what would make backplan faster."""
    import json

    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from backplan.cli.console import out_console
    from backplan.doctor import gather, problems, to_dict

    facts = gather()
    console = out_console()
    if as_json:
        console.print_json(json.dumps(to_dict(facts)))
        return
    table = Table(title="backplan doctor", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("section", style="dim")
    table.add_column("fact")
    table.add_column("value", overflow="fold")
    previous = None
    for fact in facts:
        mark = {True: "[green]ok[/] ", False: "[red]![/] ", None: ""}[fact.ok]
        table.add_row(
            fact.section if fact.section != previous else "",
            escape(fact.name),
            mark + escape(fact.value),
        )
        previous = fact.section
    from backplan.render.terminal import trimmed

    with trimmed(console):  # no padding spaces when piped into a bug report
        console.print(table)
    for fact in problems(facts):
        console.print(f"[red]![/] {escape(fact.name)}: {escape(fact.hint or fact.value)}")


def register(app: typer.Typer) -> None:
    """Add `doctor` to the top-level app."""
    app.command("doctor")(doctor_command)
