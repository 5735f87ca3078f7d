"""Plans and stops built by hand from the dataclasses, for the renderer tests.

They do not go through selection, so rendering is tested on its own.
"""

from __future__ import annotations

import datetime as dt

from backplan.clinic import Clinic, Hours
from backplan.plan import Dose, Figure, Patient, Plan, PlanItem, Reason, Step, Stop

DATE = dt.date(2026, 3, 2)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" width="120" height="80">'
    '<circle cx="30" cy="20" r="8" fill="none" stroke="black" stroke-width="3"/>'
    '<path d="M30 28 L60 50 L95 50" fill="none" stroke="black" stroke-width="3"/>'
    "</svg>"
)


def clinic() -> Clinic:
    return Clinic(
        name="Bayside Chiropractic",
        address="12 Ocean Drive, Miami Beach, FL",
        phone="305-555-0142",
        email="desk@bayside.example",
        hours=(
            Hours(days="Mon, Wed, Fri", times="9:00 am-12:30 pm, 3:30 pm-7:00 pm"),
            Hours(days="Sat", times="9:00 am-1:00 pm"),
        ),
        clinician="Dr. Ana Ruiz, DC",
    )


def warmup() -> PlanItem:
    return PlanItem(
        id="cat-cow",
        name="Cat-cow",
        kind="warmup",
        pattern="mobility",
        level="beginner",
        replaces=None,
        replaces_name=None,
        why=None,
        chosen_because="a gentle warm-up for the back",
        equipment=("mat",),
        equipment_labels=("Exercise mat",),
        dose=Dose(sets=1, reps=8, hold_s=0, rest_s=0, per_side=False, days_per_week=5),
        steps=(
            "Kneel on all fours, hands under shoulders, knees under hips.",
            "Breathe in and let your belly sink as you look slightly up.",
            "Breathe out and round your back as you tuck your chin.",
        ),
    )


def items() -> tuple[PlanItem, ...]:
    return (
        PlanItem(
            id="cable-pull-through",
            name="Cable pull-through",
            kind="modified",
            pattern="hinge",
            level="beginner",
            replaces="deadlift",
            replaces_name="Deadlift",
            why="It teaches the hip hinge without loading the spine. Even when your form slips, your low back is at less risk.",
            chosen_because="you have a cable machine",
            equipment=("cable_machine", "rope_handle"),
            equipment_labels=("Cable machine", "Rope handle"),
            dose=Dose(sets=2, reps=10, hold_s=0, rest_s=60, per_side=False, days_per_week=3),
            steps=(
                "Attach a rope handle to the bottom setting of a cable machine.",
                "Face away from the machine with the rope between your legs.",
                "Brace your core and push your hips back with a slight knee bend.",
                "Press through your heels and drive your hips forward to stand up.",
            ),
            cues=("All movement comes from your hips.",),
            mistakes=("Bending at the waist instead of the hips.",),
            progression=Step(
                "romanian-deadlift-light",
                "Light Romanian deadlift",
                "when 3 sets of 12 feel easy for a week",
            ),
            notes=("Start with a light weight.",),
            figure=Figure(alt="A person hinging at the hips in front of a cable machine", svg=SVG),
        ),
        PlanItem(
            id="stability-ball-squat",
            name="Stability ball squat",
            kind="modified",
            pattern="squat",
            level="beginner",
            replaces="bodyweight-squat",
            replaces_name="Bodyweight squat",
            why="The ball keeps your torso upright and stops your pelvis tipping forward.",
            chosen_because="you have a stability ball",
            equipment=("stability_ball",),
            equipment_labels=("Stability ball",),
            dose=Dose(
                sets=2, reps=8, hold_s=0, rest_s=60, per_side=False, days_per_week=3, eased=True
            ),
            steps=(
                "Hold a stability ball between your lower back and a wall.",
                "Step your feet forward, hip-width apart.",
                "Bend your knees and lower as far as is comfortable.",
                "Push through your heels to stand, letting the ball roll back.",
            ),
            cues=("Keep your back flat against the ball.",),
            mistakes=("Wrapping your back around the ball.",),
            progression=Step(
                "goblet-ball-squat", "Ball squat holding a dumbbell", "when 12 reps feel easy"
            ),
        ),
        PlanItem(
            id="reverse-lunge-slide",
            name="Reverse lunge slide",
            kind="modified",
            pattern="lunge",
            level="beginner",
            replaces="forward-lunge",
            replaces_name="Forward lunge",
            why="Sliding back avoids the forward lean that loads the low back.",
            chosen_because="you can use a towel on a smooth floor",
            equipment=("towel",),
            equipment_labels=("Towel or glider",),
            dose=Dose(sets=2, reps=8, hold_s=0, rest_s=45, per_side=True, days_per_week=3),
            steps=(
                "Stand tall with one foot on a towel on a smooth floor.",
                "Hold a sturdy chair in front of you with both hands.",
                "Slide the towel foot straight back and lower into a lunge.",
                "Push through your front heel to return.",
            ),
            cues=("Keep your front knee still.",),
            mistakes=("Moving forward as you come up.",),
            figure=Figure(alt="A person sliding one foot back into a lunge", svg=SVG),
        ),
        PlanItem(
            id="rkc-plank-pulses",
            name="RKC plank pulses",
            kind="modified",
            pattern="core",
            level="beginner",
            replaces="plank",
            replaces_name="Plank",
            why="Squeezing your glutes stops your hips sagging and straining your back.",
            chosen_because="it needs no equipment",
            equipment=(),
            equipment_labels=(),
            dose=Dose(sets=3, reps=None, hold_s=20, rest_s=30, per_side=False, days_per_week=4),
            steps=(
                "Lie face down, forearms under your shoulders.",
                "Squeeze your glutes and brace your core.",
                "Lift your body into a straight line and hold.",
            ),
            cues=("Squeeze your glutes the whole time.",),
            mistakes=("Letting your hips sag.",),
        ),
    )


def plan(**changes) -> Plan:
    fields = dict(
        patient=Patient(name="Maria Lopez", age=46),
        date=DATE,
        warmup=(warmup(),),
        exercises=items(),
        notes=("Walk 20 minutes on the days you do not exercise.",),
        clinician="Dr. Ana Ruiz, DC",
    )
    fields.update(changes)
    return Plan(**fields)


def emergency_stop() -> Stop:
    return Stop(
        urgency="emergency",
        reasons=(
            Reason(
                "saddle_anaesthesia",
                "You have numbness around your genitals, buttocks or inner thighs.",
                "emergency",
            ),
            Reason("sharp_pain", "You have sharp pain.", "see_clinician"),
        ),
        patient=Patient(name="Maria Lopez"),
        date=DATE,
    )


def clinician_stop() -> Stop:
    return Stop(
        urgency="see_clinician",
        reasons=(
            Reason("history_of_cancer", "You have had cancer.", "see_clinician"),
            Reason("pain_nrs_severe", "Your pain is 8 out of 10.", "see_clinician"),
        ),
        patient=Patient(name="Maria Lopez"),
        date=DATE,
    )


HOSTILE = (
    '<img src="file:///etc/passwd"><script>alert(1)</script><a href="http://evil.example/x">x</a>'
)
