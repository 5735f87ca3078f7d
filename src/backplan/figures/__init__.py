"""Exercise illustrations drawn from pose data (see docs/pose-format.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from backplan.figures.cache import drawn
from backplan.figures.claims import check
from backplan.figures.pose import Pose

if TYPE_CHECKING:
    from backplan.library.model import Exercise


@dataclass(frozen=True)
class Figure:
    """An illustration: inline SVG markup (drawn from a pose) or an image file."""

    alt: str  # text alternative for the tagged PDF
    svg: str | None = None
    path: str | None = None  # absolute path of an image file inside a library folder
    # Drawing a pose costs a few ms; the terminal page never shows it, so it is drawn on demand.
    draw: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    def svg_markup(self) -> str | None:
        """The SVG to inline, drawing it now if it was left for later."""
        if self.svg is None and self.draw is not None:
            return self.draw()
        return self.svg


Loc = tuple[str | int, ...]
SMALL_MARKS = 1.8  # squeeze lines and arrows in a warm-up's 28 mm figure: as big as at 50 mm


def render_pose(pose: Pose, title: str, lang: str = "en", small: bool = False) -> str:
    """The SVG markup for a pose: its frames side by side, titled for the text alternative;
    `small` when the handout prints it in a warm-up's narrow column."""
    from backplan.figures.scene import solve
    from backplan.figures.svg import MAIN_BOX, WARMUP_BOX, draw

    scenes = [solve(pose, frame, SMALL_MARKS if small else 1.0) for _, frame in pose.frames()]
    return draw(scenes, title, pose.describe(lang), WARMUP_BOX if small else MAIN_BOX)


def check_pose(pose: Pose) -> list[tuple[Loc, str]]:
    """What is physically wrong with a pose (under the floor, out of reach), located
    relative to the `pose:` block, e.g. (("start", "reach", "hands"), "...")."""
    from backplan.figures.scene import solve

    problems: list[tuple[Loc, str]] = []
    scenes = []
    for name, frame in pose.frames():
        scene = solve(pose, frame)
        scenes.append(scene)
        for loc, msg in scene.problems:
            # a prop set for the whole pose is reported once, where it is written
            shared = loc[:1] == ("props",) and loc[1] not in frame.props
            found = (loc if shared else (name, *loc), msg)
            if found not in problems:
                problems.append(found)
    if not problems:  # a claim about a frame that cannot be drawn says nothing useful
        for index, claim in enumerate(pose.claims):
            for n, why in check(claim, scenes):
                problems.append((("claims", index), f"frame {n} does not show `{claim}`: {why}"))
    return problems


def figure_for(exercise: Exercise, folder: Path, lang: str = "en") -> Figure | None:
    """The exercise's illustration: its own image file, or a drawing of its pose, or None."""
    name = exercise.text(lang).name
    if exercise.image is not None:
        return Figure(alt=name, path=str((folder / exercise.image).resolve()))
    if isinstance(exercise.pose, Pose):
        small = exercise.kind == "warmup"
        # from the user's cache folder when this code drew the same pose before
        return Figure(alt=name, draw=partial(drawn, render_pose, exercise.pose, name, lang, small))
    return None
