"""The plan or stop notice as Markdown, for a patient portal or an email.

Text a person typed is escaped, so a name like `<img src=...>` or `*x*` stays literal
in any Markdown viewer (most would otherwise pass HTML through).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from backplan.i18n import words
from backplan.intake.screening import clearance_sentence, clearance_title
from backplan.planning.outcome import Plan, PlanItem, Stop
from backplan.render.controls import without_controls
from backplan.render.wording import Wording

if TYPE_CHECKING:
    from backplan.clinic.profile import Clinic
    from backplan.render import RenderOptions

# Enough to keep text literal: emphasis, links, code, HTML, headings and tables. Our own
# prefixes ("- ", "1. ") start every line, so '.', '-' and '+' need no escaping.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md(text: str) -> str:
    """Escape Markdown and HTML punctuation so the text shows exactly as typed."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_keeping_edges(text: str) -> str:
    """`md`, keeping a space at either end: the pieces of one sentence are joined again."""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{md(text)}{trail}"


def render_markdown(outcome: Plan | Stop, options: RenderOptions) -> str:
    w = Wording(words(options.lang))
    has_clinic = options.clinic is not None
    lines = _stop(outcome, w) if isinstance(outcome, Stop) else _plan(outcome, w, has_clinic)
    lines += ["", "---", "", *_footer(options.clinic, w)]
    # Control characters (NUL, ESC, bells, C1, bidi overrides) never reach the file: a viewer
    # in a terminal would run them, and they are never meant as text.
    return without_controls("\n".join(lines)).rstrip() + "\n"


def _facts(outcome: Plan | Stop, clinician: str | None, w: Wording) -> list[str]:
    _ = w.words.gettext
    facts = []
    if outcome.patient.name:
        facts.append(f"**{_('Patient')}:** {md(outcome.patient.name)}")
    facts.append(f"**{_('Date')}:** {md(w.date_text(outcome.date))}")
    if clinician:
        facts.append(f"**{_('Clinician')}:** {md(clinician)}")
    return [f"{fact}  " for fact in facts]


def _plan(plan: Plan, w: Wording, has_clinic: bool = True) -> list[str]:
    _ = w.words.gettext
    lines = [f"# {md(w.plan_title())}", "", *_facts(plan, plan.clinician, w), ""]
    lines += [f"> **{md(w.safety_title(has_clinic))}:**", ">"]
    lines += [f"> - {md(s)}" for s in w.stop_and_call()]
    lines += [">", f"> **{md(w.emergency_title())}:**", ">"]
    lines += [f"> - {md(s)}" for s in w.emergency_signs()]
    if plan.cleared is not None:
        cleared = clearance_sentence(plan.cleared, w.words)
        lines += ["", f"## {md(clearance_title(w.words))}", "", md(cleared), ""]
        lines += [f"- {md(r.message)}" for r in plan.cleared.reasons]
    if plan.changes:
        lines += ["", f"## {md(w.changes_title())}", ""]
        lines += [f"- {md(change.why)}" for change in plan.changes]
    if plan.warmup:
        lines += ["", f"## {md(_('Warm-up'))}"]
        for item in plan.warmup:
            lines += _item(item, None, w)
    lines += ["", f"## {md(_('Your exercises'))}"]
    for number, item in enumerate(plan.exercises, 1):
        lines += _item(item, number, w)
    lines += ["", f"## {md(w.glossary_title())}", ""]
    lines += [f"- **{md(word)}:** {md(meaning)}" for word, meaning in w.glossary()]
    if plan.notes:
        lines += ["", f"## {md(_('Notes'))}", ""]
        lines += [f"- {md(note)}" for note in plan.notes]
    return lines


def _item(item: PlanItem, number: int | None, w: Wording) -> list[str]:
    _ = w.words.gettext
    title = f"{number}. {item.name}" if number else item.name
    lines = ["", f"### {md(title)}", ""]
    if item.purpose:  # what it does for the back comes first (issue 15)
        lines += [md(item.purpose), ""]
    instead = w.instead_text(item)
    if instead:
        lines += [f"*{md(instead)}* {md(item.why or '')}".rstrip(), ""]
    dose = md(w.dose_text(item.dose))
    if item.dose.eased:
        dose += f" ({md(w.eased_text())})"
    lines.append(f"**{_('Dose')}:** {dose}  ")
    if item.equipment_labels:
        lines.append(f"**{_('Equipment')}:** {md(', '.join(item.equipment_labels))}  ")
    lines += ["", *[f"{i}. {md(step)}" for i, step in enumerate(item.steps, 1)]]
    for label, entries in ((_("Tips"), item.cues), (_("Common mistakes"), item.mistakes)):
        if entries:
            lines += ["", f"**{label}:**", "", *[f"- {md(e)}" for e in entries]]
    progression = w.progression_parts(item)
    extra = []
    if progression:
        before, name, after = (_md_keeping_edges(part) for part in progression)
        bold = f"**{name}**" if name else ""  # no step that suits: the advice stands alone
        extra.append(f"**{_('When it gets easy')}:** {before}{bold}{after}  ")
    extra += [f"**{_('Note')}:** {md(note)}  " for note in item.notes]
    if item.video:
        extra.append(f"**{_('Video')}:** {md(item.video)}  ")
    return lines + (["", *extra] if extra else [])


def _stop(stop: Stop, w: Wording) -> list[str]:
    lines = [f"# {md(w.stop_heading(stop))}", "", *_facts(stop, None, w), ""]
    lines += [md(w.stop_advice(stop)), "", f"**{md(w.stop_reasons_title())}:**", ""]
    lines += [f"- {md(reason.message)}" for reason in stop.reasons]
    if stop.notes:  # e.g. why a clinician's clearance does not apply
        lines += ["", *(md(note) for note in stop.notes)]
    return lines


def _footer(clinic: Clinic | None, w: Wording) -> list[str]:
    _ = w.words.gettext
    if clinic is None:
        return [md(w.no_clinic_contact())]
    lines = [f"**{md(clinic.name)}**  "]
    lines += [f"{md(line)}  " for line in clinic.contact_lines()]
    if clinic.hours:
        lines += ["", f"**{_('Hours')}:**", ""]
        lines += [f"- {md(line)}" for line in clinic.hours_lines()]
    return lines
