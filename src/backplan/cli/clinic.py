"""`backplan clinic init|show`: the clinic profile printed on every handout."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backplan.cli.errors import handle_errors
from backplan.errors import BackplanError, display_path

if TYPE_CHECKING:
    from rich.table import Table

    from backplan.clinic.profile import Clinic

app = typer.Typer(
    help="The clinic profile: name, contact, opening hours, logo and templates on every handout.",
    no_args_is_help=True,
)

PathOption = Annotated[
    Path | None,
    typer.Option(
        "--clinic",
        help="Where the profile is (default: clinic.yaml in your backplan config folder).",
        metavar="FILE",
        dir_okay=False,
    ),
]
# The option's first name, still read: `plan` and `batch` call it --clinic (issue 18).
OldPathOption = Annotated[Path | None, typer.Option("--path", hidden=True, dir_okay=False)]


@app.command("init")
@handle_errors
def init_command(
    path: PathOption = None,
    old_path: OldPathOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a profile that is already there.")
    ] = False,
) -> None:
    """Write a starter clinic profile to fill in: commented, its blanks marked FILL IN.

    Example: backplan clinic init, then edit the file it names.
    """
    from backplan.cli.console import out_console
    from backplan.clinic.profile import clinic_template_text, default_clinic_path
    from backplan.files.atomic import write_atomic

    path = path or old_path
    target = path or default_clinic_path()
    if target.exists() and not force:
        raise BackplanError(
            f"{display_path(target)} already exists; edit it, or use --force to start over"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, clinic_template_text())
    check = "backplan clinic show" + (f" --clinic {display_path(target)}" if path else "")
    out_console().print(
        f"Wrote {display_path(target)}. Replace each FILL IN in it with your clinic's details "
        f"(handouts leave those fields out until you do), then check it with: {check}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command("show")
@handle_errors
def show_command(path: PathOption = None, old_path: OldPathOption = None) -> None:
    """Show where the clinic profile is and what it holds (and any problem in it).

    Example: backplan clinic show --clinic clinic.yaml
    """
    from rich.text import Text

    from backplan.cli.console import out_console
    from backplan.clinic.profile import default_clinic_path, read_clinic
    from backplan.render.terminal import trimmed

    path = path or old_path
    target = path or default_clinic_path()
    if not target.is_file():
        hint = "" if path else "; create one with: backplan clinic init"
        raise BackplanError(f"no clinic profile at {display_path(target)}{hint}")
    clinic = read_clinic(target)
    assert clinic is not None
    unfilled = set(clinic.placeholder_fields())
    console = out_console()
    with trimmed(console):  # no padding spaces when piped
        console.print(Text(f"Clinic profile: {display_path(target)}"))
        console.print(_profile_table(clinic, unfilled))
    if unfilled:
        console.print(
            Text(f"Fill in: {', '.join(sorted(unfilled))} (still the starter's FILL IN values).")
        )


def _profile_table(clinic: Clinic, unfilled: set[str]) -> Table:
    """Each field of the profile; a starter's value left in it is marked."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    rows = [
        ("name", clinic.name),
        ("address", clinic.address),
        ("phone", clinic.phone),
        ("email", clinic.email),
        ("website", clinic.website),
        ("hours", "\n".join(clinic.hours_lines()) or None),
        ("clinician", clinic.clinician),
        ("logo", str(clinic.logo) if clinic.logo else None),
        ("templates", str(clinic.templates) if clinic.templates else None),
        ("paper", clinic.paper),
        ("lang", clinic.lang),
        ("large_print", "true" if clinic.large_print else None),
    ]
    for key, value in rows:
        if key in unfilled:
            shown = Text(f"{value}  (not filled in: left off handouts)", style="yellow")
        else:
            shown = Text(value) if value else Text("-", style="dim")
        table.add_row(key, shown)
    return table


def register(root: typer.Typer) -> None:
    """Add `backplan clinic` to the top-level app."""
    root.add_typer(app, name="clinic")
