"""The plan or stop notice as a Rich page: readable at 80 columns, plain text when piped.

Everything a person typed goes into `Text` objects, never into markup strings, so brackets
in a name cannot turn into Rich markup. Colours are styles on those objects, which Rich drops
for NO_COLOR and pipes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.rule import Rule
from rich.segment import Segment, Segments
from rich.text import Text

from backplan.i18n import Words
from backplan.intake.screening import clearance_sentence, clearance_title
from backplan.planning.outcome import Cleared, Plan, PlanItem, Stop
from backplan.render.wording import Wording

if TYPE_CHECKING:
    from backplan.clinic.profile import Clinic

INDENT = 4


def print_plan(plan: Plan, console: Console, clinic: Clinic | None, words: Words) -> None:
    with trimmed(console):
        _print_plan(plan, console, clinic, Wording(words))


def print_stop(stop: Stop, console: Console, clinic: Clinic | None, words: Words) -> None:
    with trimmed(console):
        _print_stop(stop, console, clinic, Wording(words))


@contextlib.contextmanager
def trimmed(console: Console) -> Iterator[None]:
    """Output printed inside, without the spaces Rich pads each line with when the console is
    not a terminal (a pipe or a file): a person's file or a script's diff should not hold them."""
    if console.is_terminal:
        yield
        return
    with console.capture() as capture:
        yield
    text = "\n".join(line.rstrip() for line in capture.get().split("\n"))
    # As one segment: `console.out` would make the page a Text and lay it out again.
    console.print(Segments([Segment(text)]), end="", crop=False)


def _print_plan(plan: Plan, console: Console, clinic: Clinic | None, w: Wording) -> None:
    _ = w.words.gettext
    console.print(_title(w, w.plan_title(), plan.patient.name, plan.date, plan.clinician))
    console.print()
    console.print(_safety_box(console, w, clinic is not None))
    if plan.cleared is not None:
        console.print()
        console.print(_cleared(plan.cleared, w.words))
    if plan.changes:
        console.print()
        console.print(_heading(w.changes_title()))
        for change in plan.changes:
            console.print(_bullet(change.why, indent=2))
    if plan.warmup:
        console.print()
        console.print(_heading(_("Warm-up")))
        for item in plan.warmup:
            console.print(_item(item, None, w))
    console.print()
    console.print(_heading(_("Your exercises")))
    for number, item in enumerate(plan.exercises, 1):
        console.print(_item(item, number, w))
    console.print(_heading(w.glossary_title()))
    for word, meaning in w.glossary():
        console.print(_bullet(f"{word}: {meaning}", indent=2))
    console.print()
    if plan.notes:
        console.print(_heading(_("Notes")))
        for note in plan.notes:
            console.print(_bullet(note, indent=2))
        console.print()
    console.print(_footer(clinic, console, w))


def _print_stop(stop: Stop, console: Console, clinic: Clinic | None, w: Wording) -> None:
    _ = w.words.gettext
    emergency = stop.urgency == "emergency"
    colour = "bold red" if emergency else "bold yellow"
    body: list[RenderableType] = [Text(w.stop_advice(stop)), Text()]
    body.append(Text(w.stop_reasons_title() + ":", style="bold"))
    body.extend(_bullet(reason.message) for reason in stop.reasons)
    if stop.notes:  # e.g. why a clinician's clearance does not apply
        body.append(Text())
        body.extend(Text(note) for note in stop.notes)
    console.print(_title(w, _("Important notice"), stop.patient.name, stop.date, None))
    console.print()
    console.print(
        Panel(
            Group(*body),
            title=Text(w.stop_heading(stop), style=colour),
            title_align="left",
            border_style="red" if emergency else "yellow",
            box=_box(console),
            padding=(1, 2),
        )
    )
    console.print()
    console.print(_footer(clinic, console, w))


def _title(w: Wording, title: str, name: str | None, date, clinician: str | None) -> Text:
    text = Text(title, style="bold")
    facts = [name] if name else []
    facts.append(w.date_text(date))
    if clinician:
        facts.append(clinician)
    text.append("\n")
    text.append(" · ".join(facts))
    return text


def _heading(text: str) -> Text:
    return Text(text.upper(), style="bold cyan")


def _box(console: Console) -> box.Box:
    # Heavy lines on a terminal; plain ASCII when the page goes to a file or a printer.
    return box.ROUNDED if console.is_terminal else box.ASCII


def _safety_box(console: Console, w: Wording, has_clinic: bool = True) -> Panel:
    lines: list[RenderableType] = [_bullet(s) for s in w.stop_and_call()]
    lines.append(Text())
    lines.append(Text(w.emergency_title() + ":", style="bold"))
    lines.extend(_bullet(s) for s in w.emergency_signs())
    return Panel(
        Group(*lines),
        title=Text(w.safety_title(has_clinic), style="bold red"),
        title_align="left",
        border_style="red",
        box=_box(console),
        padding=(0, 1),
    )


def _cleared(cleared: Cleared, words: Words) -> RenderableType:
    """The stop reasons a clinician cleared, who and when (issue 12)."""
    lines: list[RenderableType] = [
        _heading(clearance_title(words)),
        Text(clearance_sentence(cleared, words)),
    ]
    lines += [_bullet(r.message, indent=2) for r in cleared.reasons]
    return Group(*lines)


def _bullet(text: str, indent: int = 0, marker: str = "-") -> Bullet:
    """A list line with a hanging indent: wrapped lines start under the text, not the marker."""
    return Bullet(" " * indent + marker + " ", Text(text))


class Bullet:
    """A lead (the marker) and a text wrapped beside it. A plan prints about 400 of these;
    as one-row `Table.grid`s they cost Rich a table layout each (measuring, sizing
    columns), most of the time the terminal page takes to print."""

    def __init__(self, lead: str, text: Text) -> None:
        self.lead = lead
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.text.wrap(console, max(1, options.max_width - len(self.lead)))
        under = " " * len(self.lead)
        # Text.render leaves out a text's own style when it has no spans; Rich's Text
        # printing adds it back, and so does this (the lead stays plain, as a padding).
        style = console.get_style(self.text.style) if self.text.style else None
        for number, line in enumerate(lines):
            yield Segment(under if number else self.lead)
            segments = line.render(console, end="")
            yield from Segment.apply_style(segments, style) if style else segments
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        text = Measurement.get(console, options, self.text)
        return Measurement(text.minimum + len(self.lead), text.maximum + len(self.lead)).clamp(
            max_width=options.max_width
        )


def _item(item: PlanItem, number: int | None, w: Wording) -> RenderableType:
    _ = w.words.gettext
    parts: list[RenderableType] = []
    name = Text()
    if number is not None:
        name.append(f"{number}. ")
    name.append(item.name, style="bold")
    parts.append(name)
    body: list[Text | Bullet] = []
    if item.purpose:  # what it does for the back comes first (issue 15)
        body.append(Text(item.purpose))
    instead = w.instead_text(item)
    if instead:
        body.append(Text(instead, style="italic"))
        if item.why:
            body.append(Text(item.why))
    if item.equipment_labels:
        body.append(_labelled(_("Equipment"), ", ".join(item.equipment_labels)))
    dose = _labelled(_("Dose"), w.dose_text(item.dose))
    if item.dose.eased:
        dose.append(f" ({w.eased_text()})", style="yellow")
    body.append(dose)
    body.append(Text(_("Steps") + ":", style="bold"))
    body.extend(
        _bullet(step, indent=2, marker=f"{i}.".rjust(len(str(len(item.steps))) + 1))
        for i, step in enumerate(item.steps, 1)
    )
    if item.cues:
        body.append(Text(_("Tips") + ":", style="bold"))
        body.extend(_bullet(cue, indent=2) for cue in item.cues)
    if item.mistakes:
        body.append(Text(_("Common mistakes") + ":", style="bold"))
        body.extend(_bullet(m, indent=2) for m in item.mistakes)
    progression = w.progression_parts(item)
    if progression:
        before, step_name, after = progression
        easy = _labelled(_("When it gets easy"), before)
        easy.append(step_name, style="bold")
        easy.append(after)
        body.append(easy)
    for note in item.notes:
        body.append(_labelled(_("Note"), note))
    if item.video:
        body.append(_labelled(_("Video"), item.video))
    # Each line carries its own indent rather than sitting in a `Padding`, which lays its
    # content out once to measure it and again to pad every line to the widest.
    indent = " " * (INDENT if number is not None else 2)
    parts += [_indented(indent, part) for part in body]
    parts.append(Text())
    return Group(*parts)


def _indented(indent: str, part: Text | Bullet) -> Bullet:
    """A line of an exercise, under its name: a bullet's lead or a text moved right."""
    if isinstance(part, Bullet):
        return Bullet(indent + part.lead, part.text)
    return Bullet(indent, part)


def _labelled(label: str, value: str) -> Text:
    text = Text(label + ": ", style="bold")
    text.append(value)
    return text


def _footer(clinic: Clinic | None, console: Console, w: Wording) -> RenderableType:
    _ = w.words.gettext
    rule = Rule(style="dim", characters="─" if console.is_terminal else "-")
    if clinic is None:
        return Group(rule, Text(w.no_clinic_contact()))
    lines: list[RenderableType] = [rule, Text(clinic.name, style="bold")]
    lines.extend(Text(line) for line in clinic.contact_lines())
    if clinic.hours:
        lines.append(Text(_("Hours") + ":", style="bold"))
        lines.extend(_bullet(line, indent=2) for line in clinic.hours_lines())
    return Group(*lines)
