"""Any pose the schema accepts is either drawn or reported as a problem: never a crash."""

from __future__ import annotations

import os
import typing

from depth import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from backplan.figures import check_pose, render_pose
from backplan.figures.pose import Against, Base, Contact, Holder, Limb, PropName, Spot, Target
from backplan.figures.pose import Pose as PoseModel

EXAMPLES = int(os.environ.get("BACKPLAN_FIGURE_EXAMPLES", examples(40, 400)))


def test_a_glider_under_the_hips_of_a_prone_figure_is_a_problem_not_a_crash():
    pose = PoseModel.model_validate(
        {"base": "prone", "description": "x", "props": {"glider": {"under": "hips"}}, "start": {}}
    )
    problems = check_pose(pose)
    assert (("props", "glider"), "put the glider under a foot, e.g. `under: far_foot`") in problems
    assert "<svg" in render_pose(pose, "x")


def _choice(literal: object) -> st.SearchStrategy[str]:
    return st.sampled_from(typing.get_args(literal))


angles = st.one_of(
    st.none(),
    st.integers(-180, 180),
    st.fixed_dictionaries(
        {}, optional={"near": st.integers(-180, 180), "far": st.integers(-180, 180)}
    ),
)
placement = st.one_of(
    st.fixed_dictionaries({"x": st.integers(-300, 300)}),
    st.fixed_dictionaries({"under": _choice(Contact)}),
    st.fixed_dictionaries({"against": _choice(Against)}),
    st.fixed_dictionaries({"held": _choice(Holder)}),
    st.fixed_dictionaries(
        {"around": st.sampled_from(["near_foot", "far_foot"])}, optional={"to": _choice(Holder)}
    ),
    st.fixed_dictionaries(
        {"x": st.integers(-150, 150), "to": _choice(Holder)}, optional={"handle": st.just("rope")}
    ),
    st.just({}),
)
props = st.dictionaries(_choice(PropName), placement, max_size=3)
frame = st.fixed_dictionaries(
    {},
    optional={
        "torso": st.integers(-180, 180),
        "spine": st.integers(-60, 60),
        "head": st.integers(-180, 180),
        "hip": angles,
        "knee": angles,
        "ankle": angles,
        "shoulder": angles,
        "elbow": angles,
        "lift": angles,
        "arm_lift": angles,
        "open": angles,
        "ground": st.lists(_choice(Contact), min_size=1, max_size=4),
        "reach": st.dictionaries(_choice(Limb), _choice(Target), max_size=2),
        "props": props,
        "squeeze": st.lists(_choice(Spot), max_size=2),
        "arrow": st.fixed_dictionaries(
            {"at": _choice(Spot), "direction": st.sampled_from(["up", "down", "forward", "back"])}
        ),
    },
)
poses = st.fixed_dictionaries(
    {"base": _choice(Base), "description": st.just("x"), "props": props, "start": frame},
    optional={"end": frame},
)


@settings(max_examples=EXAMPLES)
@given(poses)
def test_any_valid_pose_is_drawn_or_reported_never_crashes(data):
    try:
        pose = PoseModel.model_validate(data)
    except ValueError:
        return  # the schema refuses it with a message; that path is tested with the files
    for loc, message in check_pose(pose):
        assert isinstance(loc, tuple) and message
    assert render_pose(pose, "x").startswith("<svg")
