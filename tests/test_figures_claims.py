"""Picture claims: the `claims:` of each pose hold on its solved drawing, the exercises whose
pictures once contradicted their steps keep claims that say what the steps say, and a
claim that is false, or cannot be read, is reported."""

from __future__ import annotations

from functools import cache

import pytest
from pydantic import ValidationError

from backplan.figures import check_pose
from backplan.figures.claims import check, parse
from backplan.figures.pose import Pose
from backplan.figures.scene import Scene, solve
from backplan.library.catalogue import load_library
from backplan.library.model import Exercise


@cache
def builtin() -> dict[str, Exercise]:
    return load_library().exercises


def scenes_of(pose: Pose) -> list[Scene]:
    return [solve(pose, frame) for _, frame in pose.frames()]


def with_claims() -> list[tuple[str, str]]:
    return [
        (eid, claim)
        for eid, ex in sorted(builtin().items())
        if ex.pose is not None
        for claim in ex.pose.claims
    ]


@pytest.mark.parametrize(("eid", "claim"), with_claims())
def test_every_claim_of_a_builtin_pose_holds(eid, claim):
    pose = builtin()[eid].pose
    assert check(claim, scenes_of(pose)) == []


# What issue 15 asked of each picture, as the claims that must stay in its pose. Removing
# one of these from an exercise file fails here, not only the picture.
REQUIRED = {
    "glute-bridge": [
        "shoulders-hips-knees straight in frame 2 within 8 degrees",
        "arrow at hips up in frame 2",
    ],
    "rkc-plank-pulses": ["no squeeze in frame 1", "squeeze at glutes in frame 2", "no arrow"],
    "kneeling-plank": ["no squeeze in frame 1", "squeeze at glutes in frame 2", "no arrow"],
    "chair-sit-to-stand": ["chair against wall in every frame"],
    "cable-pull-through": ["hands behind knees in frame 2", "rope visible"],
    "band-pull-through": ["hands behind knees in frame 2", "resistance_band visible"],
    "standing-hip-extension": ["near_foot 3-15 cm above the floor in frame 2"],
    "stability-ball-squat": ["hands below hips in every frame"],
    "reverse-lunge-slide": [
        "glider under near_toes in every frame",
        "glider visible",
        "arrow at feet back in frame 2",
    ],
    "pelvic-tilt": ["no arrow in frame 1", "arrow at lower_back down in frame 2"],
    "wall-pelvic-tilt": ["no arrow in frame 1", "arrow at lower_back back in frame 2"],
}


@pytest.mark.parametrize("eid", sorted(REQUIRED))
def test_fixed_pictures_keep_the_claims_that_match_their_steps(eid):
    pose = builtin()[eid].pose
    assert pose is not None
    for claim in REQUIRED[eid]:
        assert claim in pose.claims, (eid, claim)


def _pose(start: dict, end: dict | None = None, **extra) -> Pose:
    data = {"base": "standing", "description": "x", "start": start, **extra}
    if end is not None:
        data["end"] = end
    return Pose.model_validate(data)


def test_a_false_claim_is_a_problem_located_at_the_claim():
    pose = _pose({}, {"hip": {"near": 90}, "knee": {"near": 90}, "ground": ["far_foot"]})
    pose = pose.model_copy(update={"claims": ["near_foot on the floor in frame 2"]})
    problems = check_pose(pose)
    assert len(problems) == 1
    loc, message = problems[0]
    assert loc == ("claims", 0)
    assert "frame 2" in message and "near_foot" in message


def test_claims_fail_when_the_picture_says_otherwise():
    standing = scenes_of(_pose({}, {"torso": 60, "hip": 60, "shoulder": 60}))
    assert check("hands behind knees in frame 1", standing)  # arms hang beside the thighs
    assert check("no arrow", standing) == []
    assert check("arrow at hips up", standing)
    assert check("shoulders-hips-knees straight in frame 1", standing) == []
    assert check("shoulders-hips-knees straight in frame 2", standing)  # hinged 60 degrees
    assert check("glider under near_foot", standing)  # there is no glider


def test_a_slider_must_carry_the_foot_not_swallow_it():
    # only the far foot is on the floor, so the near one stands level with it, in the glider
    pose = _pose({"ground": ["far_foot"]}, props={"glider": {"under": "near_foot"}})
    assert "sinks" in check("glider under near_foot", scenes_of(pose))[0][1]
    # both listed: the near foot rests on the glider and the far one floats above the floor
    both = _pose({"ground": ["far_foot", "near_foot"]}, props={"glider": {"under": "near_foot"}})
    assert check("glider under near_foot", scenes_of(both)) == []
    assert check("far_foot on the floor", scenes_of(both))


def test_a_rope_hidden_by_the_body_is_not_visible():
    pose = _pose({"shoulder": 12}, props={"cable_machine": {"x": -80, "to": "hands"}})
    assert check("rope visible", scenes_of(pose))  # no rope handle at all
    roped = _pose(
        {"shoulder": 12}, props={"cable_machine": {"x": -80, "to": "hands", "handle": "rope"}}
    )
    assert check("rope visible", scenes_of(roped)) == []


@pytest.mark.parametrize(
    "text",
    [
        "glider under the foot",
        "hands behind",
        "sofa against wall",
        "near_foot 15-3 cm above the floor",
        "squeeze at elbows",
        "arrow at hips sideways",
        "glider under near_foot in frame 3",
    ],
)
def test_a_claim_that_cannot_be_read_is_refused_with_the_forms(text):
    with pytest.raises(ValueError, match=r"claim|frame"):
        parse(text)
    with pytest.raises(ValidationError):
        _pose({}, claims=[text])


def test_the_frame_may_be_named_before_the_tolerance():
    a = parse("shoulders-hips-knees straight in frame 2 within 5 degrees")
    b = parse("shoulders-hips-knees straight within 5 degrees in frame 2")
    assert a == b and a.frame == 2 and a.number == (5.0,)


def test_a_chair_against_a_wall_touches_it_from_the_room_side():
    def chair_at(x: float) -> list[Scene]:
        return scenes_of(_pose({}, props={"wall": {"x": -60}, "chair": {"x": x, "seat": "toward"}}))

    assert check("chair against wall", chair_at(-59)) == []
    assert "apart" in check("chair against wall", chair_at(-40))[0][1]
    assert "into the wall" in check("chair against wall", chair_at(-70))[0][1]
