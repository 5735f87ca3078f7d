"""The safety gate: pure rules that decide whether a person must stop before exercising.

Every rule, id and threshold follows the clinical-screening reference, cited beside each one
as `clinical-screening.md §N`. Screening knows nothing of exercises or files: it
reads Answers and returns a Stop, or None when nothing stops the plan.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from backplan import i18n
from backplan.i18n import Words
from backplan.planning.outcome import Cleared, Patient, Reason, Stop, Urgency

if TYPE_CHECKING:
    from backplan.intake.answers import Answers

EMERGENCY: Urgency = "emergency"
SEE_CLINICIAN: Urgency = "see_clinician"

# clinical-screening.md §2 emergency signs (exit code 4), in the table's order.
EMERGENCY_SIGNS: tuple[str, ...] = (
    "saddle_anaesthesia",
    "new_bladder_dysfunction",
    "new_bowel_dysfunction",
    "new_sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_leg_weakness",
    "fever_or_systemically_unwell",
    "significant_trauma",
)

# clinical-screening.md §3 see-a-clinician signs (exit code 3), in the table's order.
SEE_CLINICIAN_SIGNS: tuple[str, ...] = (
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain_unrelieved",
    "immunosuppression_or_iv_drug_use",
    "long_term_corticosteroids",
    "osteoporosis_minor_trauma",
    "inflammatory_back_pain_features",
    "not_improving_after_1_month",
)

# The ids a person (or an answers file) may report in `red_flags`: §2 and §3 tables.
RED_FLAG_IDS: tuple[str, ...] = EMERGENCY_SIGNS + SEE_CLINICIAN_SIGNS

# clinical-screening.md §3 derived stops (exit code 3).
SHARP_PAIN = "sharp_pain"  # §3 derived stops: sharp_pain, the clinic's rule (§1 item 2)
PAIN_NRS_SEVERE = "pain_nrs_severe"
AGE_NEW_ONSET_OVER_50 = "age_new_onset_over_50"
AGE_NEW_ONSET_UNDER_20 = "age_new_onset_under_20"
DERIVED_STOPS: tuple[str, ...] = (
    SHARP_PAIN,
    PAIN_NRS_SEVERE,
    AGE_NEW_ONSET_OVER_50,
    AGE_NEW_ONSET_UNDER_20,
)

# What a clinician who has assessed the person may clear for one plan (issue 12): the §3
# see-a-clinician signs, severe pain and the age rules. Never a §2 emergency sign, and never
# sharp pain (the clinic's rule, §1 item 2: treat it first).
CLEARABLE: tuple[str, ...] = (
    *SEE_CLINICIAN_SIGNS,
    PAIN_NRS_SEVERE,
    AGE_NEW_ONSET_OVER_50,
    AGE_NEW_ONSET_UNDER_20,
)
# Product decision (docs/screening.md, "Clinician clearance"): a clearance holds 12 weeks from
# the day of the assessment, the length of a usual course of care, after which the person is
# reassessed; the reasons may have changed.
CLEARANCE_WEEKS = 12
UNREADABLE_RED_FLAG = "unreadable_red_flag"

# clinical-screening.md §3 derived stops: pain_nrs_severe (current pain 7 or more on 0-10;
# product decision on the conventional bands 1-3 mild, 4-6 moderate, 7-10 severe).
PAIN_SEVERE_MIN = 7
# clinical-screening.md §3 derived stops, the same bands: 4-6 is moderate. Not a stop; selection
# eases the dose in this band.
PAIN_MODERATE_MIN = 4
PAIN_MODERATE_MAX = 6
# clinical-screening.md §3 derived stops: age_new_onset_over_50 (Chou 2007: age > 50).
AGE_NEW_ONSET_OVER = 50
# clinical-screening.md §3 derived stops: age_new_onset_under_20 (NHS pathways: under 20).
AGE_NEW_ONSET_UNDER = 20


def urgency_of(rule_id: str) -> Urgency:
    """Emergency for a §2 sign, see-a-clinician for everything else that stops."""
    # clinical-screening.md §2: every sign of that table means emergency care today.
    return EMERGENCY if rule_id in EMERGENCY_SIGNS else SEE_CLINICIAN


def message(rule_id: str, words: Words) -> str:
    """The plain-words reason shown to the person for a rule, in the language of `words`."""
    _ = words.gettext
    said = {
        "saddle_anaesthesia": _(
            "You have numbness or changed feeling around the genitals, buttocks or inner thighs."
        ),
        "new_bladder_dysfunction": _(
            "You have new trouble starting or stopping urine, not feeling your bladder, or leaking."
        ),
        "new_bowel_dysfunction": _(
            "You have new loss of bowel control or of feeling when passing stool."
        ),
        "new_sexual_dysfunction": _("You have new loss of sexual function or genital feeling."),
        "bilateral_leg_symptoms": _("You have pain, numbness or tingling down both legs."),
        "progressive_leg_weakness": _(
            "You have leg weakness that is getting worse, foot drop, or a change in walking."
        ),
        "fever_or_systemically_unwell": _(
            "You have a fever or chills, or feel generally unwell, with the back pain."
        ),
        "significant_trauma": _("Your pain began after a serious fall, accident or blow."),
        "history_of_cancer": _("You have had cancer."),
        "unexplained_weight_loss": _("You are losing weight without trying."),
        "night_pain_unrelieved": _(
            "You have pain at night that does not ease when you change position."
        ),
        "immunosuppression_or_iv_drug_use": _(
            "You have a weakened immune system, or you inject drugs."
        ),
        "long_term_corticosteroids": _("You have been taking steroid tablets for months."),
        "osteoporosis_minor_trauma": _(
            "You have osteoporosis and the pain began after a minor fall or strain."
        ),
        "inflammatory_back_pain_features": _(
            "Your back is stiff for more than 30 minutes in the morning, gets better with "
            "exercise, and the trouble began before age 45."
        ),
        "not_improving_after_1_month": _(
            "This episode has not improved after 4 weeks of looking after it yourself."
        ),
        SHARP_PAIN: _(
            "You have sharp pain. Do not start exercising until your chiropractor has treated it."
        ),
        PAIN_NRS_SEVERE: _("Your pain is 7 or more out of 10 right now."),
        AGE_NEW_ONSET_OVER_50: _("Your back pain began in the last 6 weeks and you are over 50."),
        AGE_NEW_ONSET_UNDER_20: _("Your back pain began in the last 6 weeks and you are under 20."),
    }
    return said[rule_id]


def stop_reasons(answers: Answers) -> list[str]:
    """The id of every rule that stops this person, all evaluated, in the reference's order."""
    found: list[str] = []
    flags = set(answers.red_flags)
    # clinical-screening.md §2: any emergency sign reported.
    found += [i for i in EMERGENCY_SIGNS if i in flags]
    # clinical-screening.md §3 derived stops: sharp_pain (§1 item 2, the clinic's rule).
    if answers.sharp_pain:
        found.append(SHARP_PAIN)
    # clinical-screening.md §3: any see-a-clinician sign reported.
    found += [i for i in SEE_CLINICIAN_SIGNS if i in flags]
    # clinical-screening.md §3 derived stops: pain_nrs_severe (7 or more).
    if answers.pain >= PAIN_SEVERE_MIN:
        found.append(PAIN_NRS_SEVERE)
    age = answers.patient.age
    if answers.new_onset and age is not None:
        # clinical-screening.md §3 derived stops: age_new_onset_over_50 (age > 50).
        if age > AGE_NEW_ONSET_OVER:
            found.append(AGE_NEW_ONSET_OVER_50)
        # clinical-screening.md §3 derived stops: age_new_onset_under_20 (under 20).
        if age < AGE_NEW_ONSET_UNDER:
            found.append(AGE_NEW_ONSET_UNDER_20)
    return found


def clearance_until(on: dt.date) -> dt.date:
    """The last day a clearance given `on` holds (CLEARANCE_WEEKS)."""
    return on + dt.timedelta(weeks=CLEARANCE_WEEKS)


def cleared_ids(answers: Answers, date: dt.date, words: Words) -> tuple[set[str], str | None]:
    """The stop reasons a clearance in the answers clears on `date`, and, when it clears
    nothing, why not (expired, dated after the plan); clearable reasons only, always."""
    _ = words.gettext
    clearance = answers.cleared
    if clearance is None:
        return set(), None
    if clearance.on > date:
        return set(), _(
            "The clearance by {by} is dated {on}, after this plan's date, so it does not apply."
        ).format(by=clearance.by, on=clearance.on.isoformat())
    until = clearance_until(clearance.on)
    if date > until:
        return set(), _(
            "The clearance by {by} on {on} ended on {until} ({weeks} weeks); "
            "a new assessment is needed."
        ).format(
            by=clearance.by,
            on=clearance.on.isoformat(),
            until=until.isoformat(),
            weeks=CLEARANCE_WEEKS,
        )
    return set(clearance.reasons) & set(CLEARABLE), None


def _urgency(value: str) -> Urgency:
    return EMERGENCY if value == EMERGENCY else SEE_CLINICIAN


def unreadable_message(text: str, urgency: str, words: Words) -> str:
    """Why an unreadable red flag stops, naming it, in the language of `words`."""
    _ = words.gettext
    if urgency == EMERGENCY:
        return _(
            "The warning sign “{text}” could not be read; it counts as an emergency sign "
            "until it is corrected."
        ).format(text=text)
    return _(
        "The warning sign “{text}” could not be read; it counts as a see-a-clinician sign "
        "until it is corrected."
    ).format(text=text)


def screen(answers: Answers, *, date: dt.date | None = None, lang: str = "en") -> Stop | None:
    """Evaluate every rule; a Stop naming all reasons (emergency first), or None to proceed.

    Reasons a valid clinician clearance names (and that it may clear) do not stop; when a
    clearance does not apply, the Stop says why in `notes`.
    """
    date = date or dt.date.today()
    words = i18n.words(lang)  # the reasons in the Stop's own language
    _ = words.gettext
    cleared, not_applied = cleared_ids(answers, date, words)
    ids = [i for i in stop_reasons(answers) if i not in cleared]
    unread = answers.unread_flags
    if not ids and not unread:
        return None
    reasons = [Reason(i, message(i, words), urgency_of(i)) for i in ids]
    reasons += [
        Reason(UNREADABLE_RED_FLAG, unreadable_message(t, u, words), _urgency(u)) for t, u in unread
    ]
    notes = (not_applied,) if not_applied else ()
    if answers.cleared is not None and not not_applied:
        notes = (
            _(
                "The clearance by {by} covers only {ids}; it does not clear the reasons here."
            ).format(by=answers.cleared.by, ids=", ".join(answers.cleared.reasons)),
        )
    # clinical-screening.md §1 precedence: emergency > see clinician > proceed.
    reasons.sort(key=lambda r: 0 if r.urgency == EMERGENCY else 1)
    urgency = EMERGENCY if reasons[0].urgency == EMERGENCY else SEE_CLINICIAN
    return Stop(
        urgency=urgency,
        reasons=tuple(reasons),
        patient=Patient(answers.patient.name, answers.patient.age),
        date=date,
        lang=lang,
        notes=notes,
    )


def cleared_reasons(answers: Answers, date: dt.date, lang: str = "en") -> Cleared | None:
    """What a plan shows of a clearance: each reason it cleared for these answers, who, when."""
    clearance = answers.cleared
    words = i18n.words(lang)
    cleared, _why = cleared_ids(answers, date, words)
    applied = [i for i in stop_reasons(answers) if i in cleared]
    if clearance is None or not applied:
        return None
    reasons = tuple(Reason(i, message(i, words), urgency_of(i)) for i in applied)
    return Cleared(
        by=clearance.by, on=clearance.on, until=clearance_until(clearance.on), reasons=reasons
    )


def clearance_title(words: Words) -> str:
    """The heading every format gives a clinician's clearance."""
    _ = words.gettext
    return _("Cleared by your clinician")


def clearance_sentence(cleared: Cleared, words: Words) -> str:
    """Who cleared the plan, when, and until when; the reasons follow it as a list."""
    _ = words.gettext
    return _(
        "{by} assessed you on {on} and cleared this plan, until {until}, for these answers "
        "that would otherwise stop it:"
    ).format(by=cleared.by, on=words.long_date(cleared.on), until=words.long_date(cleared.until))
