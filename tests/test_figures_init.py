"""figure_for: an exercise's own image, else a drawing of its pose, else nothing."""

from __future__ import annotations

from pathlib import Path

from backplan.figures import check_pose, figure_for
from backplan.library.catalogue import load_library

CLINIC = Path(__file__).resolve().parent / "data" / "clinic"


def test_a_pose_becomes_an_inline_svg_titled_with_the_name():
    library = load_library()
    exercise = library.exercises["rkc-plank-pulses"]
    figure = figure_for(exercise, library.folder_of(exercise.id), "es")
    assert figure is not None and figure.path is None
    assert figure.alt == exercise.text("es").name
    assert figure.svg is None  # drawn only when a handout asks for it
    svg = figure.svg_markup()
    assert svg is not None and f"<title>{figure.alt}</title>" in svg


def test_an_image_file_wins_over_a_pose_and_its_path_is_absolute():
    library = load_library([CLINIC])
    exercise = library.exercises["foam-roller-bridge"]
    figure = figure_for(exercise, library.folder_of(exercise.id))
    assert figure is not None and figure.svg_markup() is None
    assert figure.path == str((CLINIC / "images" / "foam-roller-bridge.svg").resolve())
    assert Path(figure.path).is_file()
    assert figure.alt == "Foam Roller Bridge"


def test_without_image_or_pose_there_is_no_figure():
    library = load_library()
    exercise = library.exercises["squat"].model_copy(update={"pose": None})
    assert figure_for(exercise, library.folder_of("squat")) is None


def test_check_pose_locates_problems_inside_the_pose_block():
    pose = load_library().exercises["reverse-lunge-slide"].pose
    assert pose is not None and check_pose(pose) == []
    far = pose.model_copy(
        update={
            "props": {"sturdy_support": pose.props["sturdy_support"].model_copy(update={"x": 90.0})}
        }
    )
    found = check_pose(far)
    assert found and all(loc[1:3] == ("reach", "hands") for loc, _ in found)
    assert {loc[0] for loc, _ in found} == {"start", "end"}
