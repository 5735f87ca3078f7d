"""Solving frames: every built-in pose rests on the floor, reaches its targets, and shows
what its exercise's steps say."""

from __future__ import annotations

import math
from functools import cache

import pytest

from backplan.figures.geometry import dist, phi_of, sub
from backplan.figures.pose import Pose
from backplan.figures.props import BALL_R
from backplan.figures.scene import (
    FLOOR_TOLERANCE,
    TOUCH_TOLERANCE,
    Scene,
    expand,
    lowest,
    solve,
)
from backplan.library.catalogue import load_library
from backplan.library.model import Exercise


@cache
def builtin() -> dict[str, Exercise]:
    return load_library().exercises


def scenes(exercise_id: str) -> list[Scene]:
    pose = builtin()[exercise_id].pose
    assert pose is not None
    return [solve(pose, frame) for _, frame in pose.frames()]


def frames_of_every_exercise() -> list[tuple[str, int]]:
    return [
        (eid, i)
        for eid, ex in sorted(builtin().items())
        if ex.pose is not None
        for i in range(len(ex.pose.frames()))
    ]


def pose(data: dict) -> Pose:
    return Pose.model_validate({"description": "test", **data})


def test_every_builtin_exercise_has_a_pose_with_two_frames_and_no_problems():
    for eid, exercise in builtin().items():
        assert exercise.pose is not None, eid
        assert exercise.pose.end is not None or eid == "plank", eid
        for scene in scenes(eid):
            assert scene.problems == [], (eid, scene.problems)


@pytest.mark.parametrize(("eid", "index"), frames_of_every_exercise())
def test_contacts_touch_the_floor_and_nothing_goes_below_it(eid, index):
    scene = scenes(eid)[index]
    assert scene.contacts, eid
    for contact, height in scene.contacts.items():
        y = lowest(scene.body, contact)[1]
        assert height - FLOOR_TOLERANCE <= y <= height + TOUCH_TOLERANCE, (eid, contact, y)
    for part, shapes in scene.body_shapes().items():
        assert min(s.lowest() for s in shapes) >= -FLOOR_TOLERANCE, (eid, part)
    for prop in scene.props:
        for _, shape in prop.shapes:
            assert shape.lowest() >= -0.01, (eid, prop.name)


@pytest.mark.parametrize(("eid", "index"), frames_of_every_exercise())
def test_hands_on_a_prop_are_on_its_reach_point(eid, index):
    frame = builtin()[eid].pose.frames()[index][1]
    scene = scenes(eid)[index]
    for key, target in frame.reach.items():
        if "." not in target:
            continue
        prop_name, point = target.split(".")
        goal = next(p.points[point] for p in scene.props if p.name == prop_name)
        for limb in expand([key]):
            side = limb.split("_")[0]
            wrist = scene.body.limbs[f"{side}_arm"].joints[2]
            assert dist(wrist, goal) < 6, (eid, limb, wrist, goal)


def test_two_far_apart_contacts_tilt_the_body_to_rest_on_both():
    # a plank whose torso lean is off by 15 degrees still rests on forearms and toes
    scene = solve(
        pose({"base": "forearm_plank", "start": {"torso": 60}}),
        pose({"base": "forearm_plank", "start": {"torso": 60}}).start,
    )
    for contact in ("near_forearm", "near_toes"):
        assert abs(lowest(scene.body, contact)[1]) < 0.5, contact
    assert scene.problems == []


def test_a_standing_figure_keeps_the_lean_it_was_given():
    p = pose({"base": "standing", "start": {"torso": 40, "hip": 40}})
    scene = solve(p, p.start)
    torso = sub(scene.body.limbs["near_arm"].joints[0], scene.body.hip)
    assert math.isclose(phi_of(torso), 180 - 40, abs_tol=0.01)


def test_reach_bends_the_elbow_forwards():
    p = pose({"base": "standing", "start": {"reach": {"hands": "hips"}}})
    arm = solve(p, p.start).body.limbs["near_arm"]
    shoulder, elbow, wrist = arm.joints[:3]
    upper, fore = phi_of(sub(elbow, shoulder)), phi_of(sub(wrist, elbow))
    assert 0 < (fore - upper) % 360 < 180  # flexion: the forearm turns forwards
    assert elbow[0] < shoulder[0]  # hands on the hips: the elbow goes back


# --- the figures show what the steps say ---------------------------------------------------


def _torso_lean(scene: Scene) -> float:
    return 180 - scene.body.torso_phi


def test_pull_throughs_hinge_with_a_flat_back_facing_away_from_the_anchor():
    for eid in ("cable-pull-through", "band-pull-through"):
        stand, hinge = scenes(eid)
        assert abs(_torso_lean(stand)) < 10 and _torso_lean(hinge) > 45, eid
        assert hinge.body.bend == 0, eid  # a flat back, no rounding
        anchor = min(p for prop in hinge.props for _, s in prop.shapes for p in s.samples)
        assert anchor[0] < hinge.body.torso.lowest() or anchor[0] < min(
            p[0] for p in hinge.body.torso.samples
        ), eid  # the machine or anchor is behind the figure, which faces +x
        # the hands (and the cable or band) go back between the legs, below the hips
        wrist = hinge.body.limbs["near_arm"].joints[2]
        hip, knee, ankle = hinge.body.limbs["near_leg"].joints[:3]
        assert wrist[1] < hip[1] and min(knee[0], ankle[0]) - 15 < wrist[0] < hip[0] + 25, eid
        pulls = [p for p in hinge.props if p.name in ("cable", "resistance_band")]
        # drawn over the near leg, as in the reference sketch: between the legs it vanished
        assert pulls and pulls[0].layer == "front", eid
        assert wrist[0] < knee[0], eid  # step 7: the hands go back between the legs


def test_ball_squats_have_the_ball_on_the_back_against_the_wall_and_thighs_near_parallel():
    for eid in ("stability-ball-squat", "stability-ball-squat-dumbbell"):
        rolled = []
        for scene in scenes(eid):
            ball = next(p for p in scene.props if p.name == "stability_ball")
            top = ball.points["top"]
            centre = (top[0], top[1] - BALL_R)
            assert scene.wall is not None and scene.wall[1] == -1, eid  # behind the figure
            assert math.isclose(scene.wall[0], centre[0] - BALL_R, abs_tol=0.01), eid
            gap = min(dist(p, centre) for p in scene.body.torso.samples) - BALL_R
            assert -1.0 < gap < 1.5, (eid, gap)  # the ball touches the back
            rolled.append(centre[1] - scene.body.hip[1])
        assert rolled[1] > rolled[0] + 15, eid  # the ball rolls up the back
        low = scenes(eid)[1]
        hip, knee = low.body.limbs["near_leg"].joints[:2]
        assert abs(hip[1] - knee[1]) < 12, eid  # thighs toward parallel


def test_reverse_lunge_slide_has_the_back_foot_on_the_glider_and_hands_on_the_support():
    _, lunge = scenes("reverse-lunge-slide")
    glider = next(p for p in lunge.props if p.name == "glider")
    toes = lowest(lunge.body, "near_toes")
    x0 = min(p[0] for _, s in glider.shapes for p in s.samples)
    x1 = max(p[0] for _, s in glider.shapes for p in s.samples)
    assert x0 <= toes[0] <= x1 and toes[0] < lunge.body.hip[0]  # behind, on the glider
    support = next(p for p in lunge.props if p.name == "sturdy_support")
    assert support.points["top"][0] > lunge.body.hip[0]  # in front


def test_planks_rest_on_forearms_and_toes_with_the_glutes_squeezed():
    pulses = builtin()["rkc-plank-pulses"].pose
    assert pulses is not None and pulses.end is not None
    assert "glutes" in pulses.end.squeeze
    start, plank = scenes("rkc-plank-pulses")
    squeeze = next(m for m in plank.marks if m.kind == "squeeze")
    mark = squeeze.shapes[1].samples[0]
    assert mark[1] > plank.body.hip[1]  # drawn above the buttocks
    # step 1 starts on the forearms and knees; the pulse is held on the toes, squeezing:
    # the frames differ in what the person does, not only in the squeeze lines
    assert not start.marks
    for contact in ("near_forearm", "near_knee"):
        assert lowest(start.body, contact)[1] < 2
    for contact in ("near_forearm", "near_toes"):
        assert lowest(plank.body, contact)[1] < 2
    assert lowest(plank.body, "near_knee")[1] > 5


def test_cat_cow_rounds_then_arches_the_back():
    cat, cow = scenes("cat-cow")
    assert cat.body.bend > 20 and cow.body.bend < -20
    assert cat.body.head[1] < cow.body.head[1]
