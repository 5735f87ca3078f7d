"""The bases added for the bigger library: half kneeling, prone on the elbows, and lying on
the side (drawn from the front, with `lift`, `arm_lift` and `open`)."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET

import pytest

from backplan.figures import check_pose, render_pose
from backplan.figures.geometry import _to_segment
from backplan.figures.pose import Pose
from backplan.figures.scene import Scene, lowest, solve


def pose(base: str, start: dict, end: dict | None = None) -> Pose:
    data = {"base": base, "description": "x", "start": start}
    if end is not None:
        data["end"] = end
    return Pose.model_validate(data)


def frames(p: Pose) -> list[Scene]:
    assert check_pose(p) == []
    return [solve(p, f) for _, f in p.frames()]


@pytest.mark.parametrize("base", ["half_kneeling", "side_lying", "prone_on_elbows"])
def test_each_new_base_draws_as_it_is_without_problems(base):
    p = pose(base, {})
    assert check_pose(p) == []
    assert render_pose(p, base).startswith("<svg")


def test_half_kneeling_rests_the_near_knee_behind_and_the_far_foot_in_front():
    (scene,) = frames(pose("half_kneeling", {"reach": {"hands": "hips"}}))
    assert lowest(scene.body, "near_knee")[1] < 2 and lowest(scene.body, "far_foot")[1] < 2
    near_knee = scene.body.limbs["near_leg"].joints[1]
    far_ankle = scene.body.limbs["far_leg"].joints[2]
    assert near_knee[0] < scene.body.hip[0] < far_ankle[0]
    assert scene.body.hip[1] > 40  # upright on one knee, not sitting


def test_prone_on_elbows_keeps_the_hips_down_and_lifts_the_chest():
    on_elbows, pressed = frames(
        pose(
            "prone_on_elbows",
            {},
            {
                "torso": 40,
                "hip": -50,
                "spine": -30,
                "shoulder": 60,
                "elbow": 40,
                "ground": ["hands", "hips", "feet"],
            },
        )
    )
    for scene in (on_elbows, pressed):
        assert lowest(scene.body, "hips")[1] < 3
        assert lowest(scene.body, "near_foot")[1] < 3
    shoulder = [s.body.limbs["near_arm"].joints[0][1] for s in (on_elbows, pressed)]
    assert 25 < shoulder[0] < shoulder[1]  # the press-up lifts the chest higher


def test_side_lying_lift_raises_the_top_leg_towards_the_ceiling():
    lying, lifted = frames(pose("side_lying", {}, {"lift": {"near": 35}}))
    before = lying.body.limbs["near_leg"].joints[2]
    after = lifted.body.limbs["near_leg"].joints[2]
    assert after[1] - before[1] > 35  # the ankle rises (88 cm leg at 35 degrees: ~50 cm)
    assert lifted.body.limbs["far_leg"].joints[2] == lying.body.limbs["far_leg"].joints[2]


def test_side_lying_open_turns_the_knee_up_with_the_feet_together():
    shut, opened = frames(
        pose("side_lying", {"hip": 45, "knee": 90}, {"hip": 45, "knee": 90, "open": {"near": 40}})
    )
    knee0, ankle0 = shut.body.limbs["near_leg"].joints[1:3]
    knee1, ankle1 = opened.body.limbs["near_leg"].joints[1:3]
    assert knee1[1] - knee0[1] > 10
    assert abs(ankle1[0] - ankle0[0]) < 1 and abs(ankle1[1] - ankle0[1]) < 1


def test_a_side_plank_rests_on_the_far_forearm_and_foot_with_the_hips_up():
    (plank,) = frames(
        pose(
            "side_lying",
            {
                "hip": 0,
                "knee": 0,
                "arm_lift": {"far": 90, "near": 90},
                "elbow": {"far": 90},
                "ground": ["far_forearm", "far_foot"],
            },
        )
    )
    assert lowest(plank.body, "far_forearm")[1] < 2 and lowest(plank.body, "far_foot")[1] < 2
    assert lowest(plank.body, "hips")[1] > 10
    hand = plank.body.limbs["near_arm"].joints[3]
    assert hand[1] > plank.body.limbs["near_arm"].joints[0][1] + 40  # top arm to the ceiling


def _eyes(svg: str) -> int:
    """The eyes drawn: dots (round-capped lines) in the drawing's eye path."""
    (path,) = [el for el in ET.fromstring(svg).iter() if el.get("class") == "bpf-eye"]
    return path.get("d").count("M")


def test_the_side_lying_figure_looks_at_the_reader_with_two_eyes():
    assert _eyes(render_pose(pose("side_lying", {}), "x")) == 2
    assert _eyes(render_pose(pose("standing", {}), "x")) == 1


@pytest.mark.parametrize("key", ["lift", "arm_lift", "open"])
def test_side_lying_turns_on_another_base_are_a_problem_that_names_the_base(key):
    problems = check_pose(pose("supine", {key: 30}))
    assert (
        ("start", key),
        f"`{key}` only shows seen from the front: use `base: side_lying` or `standing_front`",
    ) in problems


def test_a_towel_round_the_foot_runs_from_the_hands_to_the_sole():
    p = Pose.model_validate(
        {
            "base": "supine",
            "description": "x",
            "props": {"towel": {"around": "near_foot", "to": "hands"}},
            "start": {
                "hip": {"near": 80, "far": 50},
                "knee": {"near": 0, "far": 110},
                "shoulder": 55,
                "elbow": 5,
                "ground": ["shoulders", "hips", "far_foot"],
            },
        }
    )
    (scene,) = frames(p)
    towel = next(prop for prop in scene.props if prop.name == "towel")
    start, end = towel.shapes[0][1].samples
    ankle = scene.body.limbs["near_leg"].joints[2]
    assert end[1] > ankle[1] and start[1] < ankle[1] - 20  # from the hands up to the raised sole
    unheld = p.model_copy(
        update={"props": {"towel": p.props["towel"].model_copy(update={"to": None})}}
    )
    assert ("props", "towel") in [loc for loc, _ in check_pose(unheld)]


def test_standing_front_lifts_the_leg_out_to_the_side_with_the_hands_on_the_waist():
    standing, lifted = frames(
        pose(
            "standing_front",
            {"reach": {"hands": "hips"}},
            {"lift": {"near": 30}, "reach": {"hands": "hips"}, "ground": ["far_foot"]},
        )
    )
    near_foot = [s.body.limbs["near_leg"].joints[2] for s in (standing, lifted)]
    assert near_foot[1][1] - near_foot[0][1] > 8 and near_foot[1][0] - near_foot[0][0] > 30
    assert lowest(lifted.body, "far_foot")[1] < 2
    # each hand on its own side of the waist, elbows out: the arms do not cross the body
    near_elbow = standing.body.limbs["near_arm"].joints[1]
    far_elbow = standing.body.limbs["far_arm"].joints[1]
    assert far_elbow[0] < standing.body.hip[0] - 15 < standing.body.hip[0] + 15 < near_elbow[0]


def test_an_arrow_clears_an_arm_lying_across_its_lane():
    (plank,) = frames(
        pose(
            "side_lying",
            {
                "hip": 0,
                "knee": 0,
                "arm_lift": {"far": 90},
                "elbow": {"far": 90},
                "ground": ["far_forearm", "far_foot"],
                "reach": {"near_hand": "hips"},
                "arrow": {"at": "hips", "direction": "up"},
            },
        )
    )
    (arrow,) = [m for m in plank.marks if m.kind == "arrow"]
    shaft = arrow.shapes[0].samples
    arm = plank.body.limbs["near_arm"].joints
    for k in range(11):  # no point of the arrow's shaft lies on the upper arm or forearm
        p = (shaft[0][0] + (shaft[1][0] - shaft[0][0]) * k / 10,
             shaft[0][1] + (shaft[1][1] - shaft[0][1]) * k / 10)  # fmt: skip
        for a, b in itertools.pairwise(arm[:3]):  # shoulder-elbow, elbow-wrist
            assert _to_segment(p, a, b) > 5.0


def test_a_band_round_the_ankles_stretches_as_the_leg_lifts_out():
    data = {
        "base": "standing_front",
        "description": "x",
        "props": {"resistance_band": {"around": "ankles"}},
        "start": {},
        "end": {"lift": {"near": 25}, "ground": ["far_foot"]},
    }
    standing, lifted = frames(Pose.model_validate(data))

    def band_length(scene: Scene) -> float:
        band = next(p for p in scene.props if p.name == "resistance_band")
        a, b = band.shapes[0][1].samples
        return math.dist(a, b)

    assert band_length(lifted) > band_length(standing) + 25
    towel = {**data, "props": {"towel": {"around": "ankles"}}}
    assert ("props", "towel") in [loc for loc, _ in check_pose(Pose.model_validate(towel))]
