"""Plans and stops built by hand from the dataclasses, for the renderer tests.

They do not go through selection, so rendering is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from golden import assert_golden

from backplan.clinic.profile import Clinic, Hours
from backplan.planning.outcome import Dose, Figure, Patient, Plan, PlanItem, Reason, Step, Stop

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


# Content as long as the built-in library's (9 steps, 4 cues, a long why), copied as text so
# the page-count test does not move when the library is edited.
LONG = {
    "cable-pull-through": {
        "name": "Cable Pull-Through",
        "why": "In a deadlift, many people bend at the waist and then lift with the low back, which strains the low back muscles. The pull-through teaches you to fold and straighten at the hips, with your glutes and hamstrings doing the work, without putting a load on your spine. So even if your form slips, your low back is at less risk.",
        "steps": (
            "Set the cable pulley to its lowest setting and clip a rope handle to it.",
            "Hold one end of the rope in each hand.",
            "Stand with your back to the machine, with the rope between your legs.",
            "Step forward until the cable is tight and the rope sits just in front of your pelvis.",
            "Brace your core. Tighten your stomach muscles as if someone were about to poke your belly.",
            "Push your hips back and let your knees bend a little.",
            "Let your arms go back between your legs as your upper body tips forward.",
            "Press through your heels.",
            "Drive your hips forward to stand up tall.",
        ),
        "cues": (
            "All the movement comes from your hips.",
            "Keep the cable tight the whole time.",
            "Your arms only hold the rope. They do not pull.",
        ),
        "mistakes": (
            "Bending at the waist instead of pushing your hips back.",
            "Standing up by straightening your low back instead of driving your hips forward.",
            "Bending your knees a lot, so it turns into a squat.",
            "Leaning back at the top.",
        ),
    },
    "stability-ball-squat": {
        "name": "Stability Ball Squat",
        "why": "Squats can hurt the low back when the pelvis tips forward and the low back arches. That also makes the upper body shoot forward, which adds stress around the lower spine. With a ball between your back and a wall and your feet out in front of you, your upper body stays upright and your pelvis does not tip forward.",
        "steps": (
            "Stand with your back to a wall.",
            "Put a stability ball between your back and the wall, at the top of your hips.",
            "Lean back gently into the ball.",
            "Walk your feet forward, out in front of your body.",
            "Set your feet between hip-width and shoulder-width apart.",
            "Brace your core. Tighten your stomach muscles as if someone were about to poke your belly.",
            "Bend your knees and lower straight down toward the floor, as far as is comfortable. The ball rolls up toward your shoulders.",
            "Pause for a moment at the bottom.",
            "Push through your heels to stand back up. The ball rolls back down to your hips.",
        ),
        "cues": (
            "Keep your back flat against the ball. Do not wrap your back around it.",
            "Keep your upper body upright.",
            "Go straight down and straight up.",
        ),
        "mistakes": (
            "Rounding your back around the ball.",
            "Leaning your chest forward.",
            "Standing with your feet too close to the wall.",
        ),
    },
    "reverse-lunge-slide": {
        "name": "Reverse Lunge Slide",
        "why": "In a lunge, many people move forward as they push back up, which stresses the low back muscles. Here you slide one foot straight back while holding on to something sturdy, so there is no forward movement. It strengthens the glutes, hamstrings and thighs, which all attach to the pelvis and help keep it steady.",
        "steps": (
            "Stand tall facing something sturdy, like a kitchen counter or a heavy table.",
            "Hold it in front of you with both hands.",
            "Put one foot flat on the floor.",
            "Put the ball of the other foot on a glider. A towel or a paper plate on a smooth floor works too.",
            "Brace your core. Tighten your stomach muscles as if someone were about to poke your belly.",
            "Slide that foot straight back behind you.",
            "Bend your front knee as the foot slides, to lower into a lunge.",
            "Push through your front heel to come back up, sliding the foot back in.",
        ),
        "cues": (
            "Keep your front knee still. It does not move forward.",
            "Do not move your body forward as you come back up.",
            "Stand tall, with your upper body upright.",
            "Go only as low as is comfortable.",
        ),
        "mistakes": (
            "Moving your body forward on the way up.",
            "Letting your front knee slide forward.",
            "Pulling yourself up with your hands instead of pushing through your front heel.",
        ),
    },
    "rkc-plank-pulses": {
        "name": "RKC Plank Pulses",
        "why": "In a plank, many people cannot keep a neutral spine and their hips sag. Then the low back muscles strain to keep the spine straight, which makes back pain worse. Unless you actively squeeze your glutes, your low back will sag. The RKC plank has you tighten your whole body, glutes first, so no muscle has to make up for another. Short, hard holds done well build more core strength than hanging in a plank for a long time.",
        "steps": (
            "Get on your forearms and knees on a mat, or with a folded towel under your elbows.",
            "Put your elbows under your shoulders and make a fist with each hand.",
            "Step your feet back one at a time, so you rest on your forearms and toes.",
            "Line up your body straight from head to heels.",
            "Brace your core. Tighten your stomach muscles as if someone were about to poke your belly.",
            "Squeeze your buttocks hard.",
            "Tighten your thighs, arms and shoulders too, so your whole body is tense.",
            "Hold this full-body squeeze for 10 seconds, breathing in short breaths.",
            "Lower your knees to the floor and relax for a few breaths. That is one pulse.",
        ),
        "cues": (
            "Keep squeezing your buttocks, or your low back will sag.",
            "Keep your spine neutral, in a straight line from head to heels.",
            "Do not let your hips sag.",
            "A short hold done well beats a long hold done badly.",
        ),
        "mistakes": (
            "Letting your hips sag.",
            "Relaxing your buttocks partway through.",
            "Pushing your buttocks up high.",
            "Holding on after your form slips, just to last longer.",
        ),
    },
}


def long_plan() -> Plan:
    """Four exercises with library-sized text and figures: the handout must fit on 3 pages."""
    short = {i.id: i for i in items()}
    long_items = tuple(
        replace(short[key], figure=Figure(alt=f"{text['name']}: start and end", svg=SVG), **text)
        for key, text in LONG.items()
    )
    return plan(exercises=long_items)


GOLDEN = Path(__file__).parent / "data" / "golden"


def check_golden(name: str, text: str) -> None:
    """Compare with tests/data/golden/<name>; BACKPLAN_UPDATE_GOLDEN=1 rewrites the file."""
    assert_golden(GOLDEN / name, text)
