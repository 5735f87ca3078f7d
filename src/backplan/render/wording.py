"""The fixed words every output format shares: doses, dates, the safety box, the stop notice.

One place, so the terminal page, the handout and the Markdown file say the same thing. A
`Wording` holds one language's `Words`, so each request speaks its own language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backplan.i18n import Words, words
from backplan.planning.outcome import Dose, PlanItem, Stop


def N_(message: str) -> str:
    """Mark a string for the catalogue (`pybabel extract -k N_`); it is translated where shown."""
    return message


@dataclass(frozen=True)
class Wording:
    """The shared words of every format, in the language of `words` (templates call it `w`)."""

    words: Words

    @classmethod
    def of(cls, lang: str) -> Wording:
        return cls(words(lang))

    def date_text(self, date: dt.date) -> str:
        """A date as people write it: March 2, 2026; 2 de marzo de 2026."""
        return self.words.long_date(date)

    def dose_parts(self, dose: Dose) -> list[str]:
        """The dose as short phrases: '2 sets x 10 reps', 'hold 20 s', 'each side', ..."""
        _ = self.words.gettext
        ngettext = self.words.ngettext
        sets = ngettext("{n} set", "{n} sets", dose.sets).format(n=dose.sets)
        parts = [sets]
        if dose.reps is not None:
            reps = ngettext("{n} rep", "{n} reps", dose.reps).format(n=dose.reps)
            parts = [f"{sets} x {reps}"]
        elif dose.minutes is not None:  # a timed activity: "20 minutes", not "1 set"
            minutes = ngettext("{n} minute", "{n} minutes", dose.minutes).format(n=dose.minutes)
            parts = [minutes if dose.sets == 1 else f"{dose.sets} x {minutes}"]
        if dose.hold_s:
            parts.append(_("hold {s} s").format(s=dose.hold_s))
        if dose.per_side:
            parts.append(_("each side"))
        if dose.rest_s and dose.sets > 1:
            parts.append(_("rest {s} s between sets").format(s=dose.rest_s))
        parts.append(
            ngettext("{n} day a week", "{n} days a week", dose.days_per_week).format(
                n=dose.days_per_week
            )
        )
        return parts

    def dose_text(self, dose: Dose) -> str:
        return ", ".join(self.dose_parts(dose))

    def dose_grid(self, dose: Dose) -> list[tuple[str, str]]:
        """The dose as (label, value) columns of a small grid: sets, reps, hold, rest, days."""
        _ = self.words.gettext
        grid = [(_("Sets"), str(dose.sets))]
        if dose.minutes is not None:
            # a timed activity (walking): its number is the minutes, and "Sets 1" says nothing
            grid = [(_("Minutes"), str(dose.minutes))]
            if dose.sets > 1:
                grid.insert(0, (_("Sets"), str(dose.sets)))
        if dose.reps is not None:
            label = _("Reps each side") if dose.per_side else _("Reps")
            grid.append((label, str(dose.reps)))
        if dose.hold_s:
            label = _("Hold each side") if dose.per_side and dose.reps is None else _("Hold")
            grid.append((label, self._duration(dose.hold_s)))
        if dose.sets > 1:
            grid.append((_("Rest"), self._duration(dose.rest_s) if dose.rest_s else "-"))
        grid.append((_("Days a week"), str(dose.days_per_week)))
        return grid

    def _duration(self, seconds: int) -> str:
        _ = self.words.gettext
        # a hold of two minutes or more reads better in minutes
        if seconds >= 120 and seconds % 60 == 0:
            return _("{n} min").format(n=seconds // 60)
        return _("{s} s").format(s=seconds)

    def glossary_title(self) -> str:
        _ = self.words.gettext
        return _("Words on this sheet")

    def glossary(self) -> list[tuple[str, str]]:
        """The words a plan uses that a patient may not know, each explained once."""
        _ = self.words.gettext
        return [
            (_("Rep"), _("doing the movement once, from start to finish.")),
            (_("Set"), _("a group of reps done one after another; rest before the next set.")),
            (
                _("Brace your core"),
                _(
                    "tighten your stomach muscles a little, as if someone were about to poke "
                    "your belly, and keep breathing."
                ),
            ),
        ]

    def replaces_text(self, item: PlanItem) -> str | None:
        """'Instead of Deadlift': the exercise this one stands in for, as a side note, or None."""
        _ = self.words.gettext
        if not item.replaces_name:
            return None
        return _("Instead of {name}").format(name=item.replaces_name)

    def warmup_badge(self) -> str:
        """The log's one-letter mark for the warm-up row: W; C (calentamiento) in Spanish."""
        _ = self.words.gettext
        return _("Warm-up")[:1].upper()

    def eased_text(self) -> str:
        _ = self.words.gettext
        return _("eased because of your pain")

    def instead_text(self, item: PlanItem) -> str | None:
        """'Instead of Deadlift, because:' (the reason follows as its own text), or None."""
        _ = self.words.gettext
        if not item.replaces_name:
            return None
        if item.why:
            return _("Instead of {name}, because:").format(name=item.replaces_name)
        return _("Instead of {name}").format(name=item.replaces_name)

    def progression_parts(self, item: PlanItem) -> tuple[str, str, str] | None:
        """'move on to ', the next exercise's name, '. When you can ...': the name stands apart
        so a format can make it bold."""
        _ = self.words.gettext
        step = item.progression
        if step is None:
            return None
        if step.id is None:  # no harder step suits this person: the advice stands alone
            return "", "", step.advice or ""
        before, _placeholder, after = _("move on to {name}.").partition("{name}")
        if step.when:
            after = f"{after} {_sentence(step.when)}"
        return before, step.name, after

    def regression_text(self, item: PlanItem) -> str | None:
        """'go back to Wall Plank.', or the advice when no easier step suits; None without one."""
        _ = self.words.gettext
        step = item.regression
        if step is None:
            return None
        if step.id is None:
            return step.advice or None
        return _("go back to {name}.").format(name=step.name)

    def progression_text(self, item: PlanItem) -> str | None:
        """'move on to Band Pull-Through. When you can do 2 sets of 10 ...', or None."""
        parts = self.progression_parts(item)
        return "".join(parts) if parts else None

    def safety_title(self, has_clinic: bool = True) -> str:
        """The safety box's heading: "us" only when the handout names a clinic to call."""
        _ = self.words.gettext
        if has_clinic:
            return _("Stop and call us if")
        return _("Stop and call your chiropractor if")

    def stop_and_call(self) -> list[str]:
        """When to stop the exercises and call the clinic (the clinic's sharp-pain rule first)."""
        _ = self.words.gettext
        return [
            _("you feel sharp pain during or after an exercise"),
            _("pain spreads down your leg, or gets worse week by week"),
            _("pain goes above 5 out of 10, or has not settled by next morning"),
        ]

    def emergency_title(self) -> str:
        _ = self.words.gettext
        return _("Go to an emergency department today if")

    def emergency_signs(self) -> list[str]:
        """The cauda equina and other emergency signs, in plain words."""
        _ = self.words.gettext
        return [
            _("numbness around your genitals, buttocks or inner thighs"),
            _("new trouble starting or stopping urine, or leaking"),
            _("new loss of bowel control"),
            _("new loss of sexual function or feeling"),
            _("pain, numbness or tingling down both legs"),
            _("leg weakness that is getting worse, or a dragging foot"),
            _("fever or chills, or feeling generally unwell"),
        ]

    def plan_title(self) -> str:
        _ = self.words.gettext
        return _("Your home exercise plan")

    def changes_title(self) -> str:
        """The heading of `plan --next`'s box of changes, in every format."""
        _ = self.words.gettext
        return _("Changes since your last plan")

    def stop_heading(self, stop: Stop) -> str:
        _ = self.words.gettext
        if stop.urgency == "emergency":
            return _("Seek emergency care today")
        return _("Do not start the exercises: contact your chiropractor")

    def stop_advice(self, stop: Stop) -> str:
        _ = self.words.gettext
        if stop.urgency == "emergency":
            return _(
                "Some of your answers can be signs of a problem that needs a doctor today. "
                "Go to an emergency department now, or call your local emergency number. "
                "Do not start any exercises."
            )
        return _(
            "Some of your answers mean a clinician should check your back before you exercise. "
            "Do not start the program; contact your chiropractor to book a visit."
        )

    def stop_reasons_title(self) -> str:
        _ = self.words.gettext
        return _("Why")

    def no_clinic_contact(self) -> str:
        _ = self.words.gettext
        return _("Questions? Ask your chiropractor.")

    def exercises_done_text(self, done: int, planned: int) -> str:
        """The one count of a session's exercises, as the session and `progress` both say it:
        the plan's main exercises only ("2 of 3 exercises"); warm-ups are not counted."""
        ngettext = self.words.ngettext
        return ngettext(
            "{done} of {planned} exercise", "{done} of {planned} exercises", planned
        ).format(done=done, planned=planned)


def _sentence(text: str) -> str:
    # a clinic's own `when` may be written as a clause ("when 12 reps feel easy")
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?…" else f"{text}."
