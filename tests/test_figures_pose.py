"""The `pose:` block: its model, and the problems `exercises validate` reports with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from backplan.figures.pose import Pose
from backplan.library.catalogue import check_library

HEADER = """\
id: test-bridge
name: Test Bridge
kind: warmup
pattern: hinge
steps: [Lift your hips.]
cues: [Squeeze.]
dose: {sets: 1, reps: 5}
source: Test.
"""


def problems_for(tmp_path: Path, pose_yaml: str, extra: str = "") -> list[str]:
    """Messages (with file:line:column) for one clinic exercise holding `pose_yaml`."""
    path = tmp_path / "test-bridge.yaml"
    path.write_text(HEADER + extra + "pose:\n" + pose_yaml, encoding="utf-8")
    _, problems = check_library([tmp_path])
    return [str(p) for p in problems if p.path.endswith("test-bridge.yaml")]


def test_a_plain_number_means_both_sides_and_a_string_means_english():
    pose = Pose.model_validate(
        {"base": "standing", "description": "Lift.", "start": {"hip": 20, "knee": {"near": 5}}}
    )
    assert pose.start.hip is not None
    assert (pose.start.hip.near, pose.start.hip.far) == (20, 20)
    assert pose.start.knee is not None and pose.start.knee.far is None
    assert pose.describe("es") == "Lift."


def test_the_description_follows_the_language_with_english_as_fallback():
    pose = Pose.model_validate(
        {"base": "supine", "description": {"en": "Lift.", "es": "Suba."}, "start": {}}
    )
    assert pose.describe("es") == "Suba."
    assert pose.describe("fr") == "Lift."


@pytest.mark.parametrize(
    "start",
    [
        {"hip": 200},
        {"hip": "bent"},
        {"elbow": True},
        {"hip": {"nera": 10}},
        {"ground": []},
        {"ground": ["elbows"]},
        {"reach": {"hands": "table.top"}},
    ],
)
def test_bad_frames_are_refused(start):
    with pytest.raises(ValidationError):
        Pose.model_validate({"base": "standing", "description": "x", "start": start})


def test_a_prop_is_placed_one_way_only():
    with pytest.raises(ValidationError, match="one of"):
        Pose.model_validate(
            {
                "base": "standing",
                "description": "x",
                "props": {"chair": {"x": 20, "under": "hips"}},
                "start": {},
            }
        )


def test_unknown_keys_and_bases_point_at_their_line(tmp_path):
    found = problems_for(
        tmp_path,
        "  base: lying\n  description: x\n  start:\n    hips: 20\n",
    )
    assert any(":10:9:" in m and "`pose.base`" in m for m in found), found
    assert any(":13:5:" in m and "unknown key `hips`" in m and "`hip`" in m for m in found), found


def test_an_angle_out_of_range_names_the_range(tmp_path):
    found = problems_for(tmp_path, "  base: standing\n  description: x\n  start: {knee: 190}\n")
    assert len(found) == 1
    assert ":12:" in found[0] and "190 degrees is out of range; use -180 to 180" in found[0]


def test_a_part_under_the_floor_is_reported_at_its_frame(tmp_path):
    found = problems_for(
        tmp_path,
        "  base: supine\n  description: x\n  start: {}\n  end:\n    hip: {near: -60}\n    ground: [shoulders, hips]\n",
    )
    assert len(found) == 1, found
    assert ":14:" in found[0]  # inside the `end:` frame
    assert "the near leg goes" in found[0] and "below the floor" in found[0]


def test_a_contact_off_the_floor_is_reported_at_its_ground_entry(tmp_path):
    found = problems_for(
        tmp_path,
        "  base: standing\n  description: x\n  start:\n    ground: [feet, near_hand]\n",
    )
    assert len(found) == 1, found
    assert ":13:" in found[0]
    assert "the near hand should rest on the floor but is" in found[0]


def test_an_unreachable_target_is_reported_at_its_reach_entry(tmp_path):
    found = problems_for(
        tmp_path,
        "  base: standing\n  description: x\n  props:\n    chair: {x: 120}\n"
        "  start:\n    reach: {hands: chair.top}\n",
    )
    assert len(found) == 2, found  # the near and the far hand
    assert all(":15:" in m and "cannot reach `chair.top`" in m and "too far" in m for m in found)


def test_a_target_on_a_missing_prop_is_reported(tmp_path):
    found = problems_for(
        tmp_path, "  base: standing\n  description: x\n  start:\n    reach: {hands: chair.top}\n"
    )
    assert found and all("there is no chair in `props`" in m for m in found)


def test_a_seated_figure_needs_a_seat(tmp_path):
    found = problems_for(tmp_path, "  base: seated\n  description: x\n  start: {}\n")
    assert len(found) == 1 and "needs something under the hips" in found[0]
    assert (
        problems_for(
            tmp_path,
            "  base: seated\n  description: x\n  props:\n    chair: {under: hips}\n  start: {}\n",
        )
        == []
    )


def test_a_wrongly_placed_prop_is_reported(tmp_path):
    found = problems_for(
        tmp_path,
        "  base: standing\n  description: x\n  props:\n    dumbbell: {x: 20}\n  start: {}\n  end: {}\n",
    )
    assert len(found) == 1, found  # once, though both frames use it
    assert ":13:" in found[0] and "place the dumbbell with `held`" in found[0]


def test_plans_load_without_solving_poses_and_validate_still_reports_them(tmp_path):
    from typer.testing import CliRunner

    from backplan.cli.app import app
    from backplan.library.catalogue import load_library

    problems_for(
        tmp_path,
        "  base: standing\n  description: x\n  props:\n    chair: {x: 120}\n"
        "  start:\n    reach: {hands: chair.top}\n",
    )
    assert "test-bridge" in load_library([tmp_path]).exercises  # drawing-only problem: loads
    result = CliRunner().invoke(app, ["exercises", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "cannot reach `chair.top`" in result.output
