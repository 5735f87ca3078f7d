"""The SVG markup: self-contained, scalable, titled, deterministic, and the same structure as
the snapshots in tests/data/figures/ (element counts, classes, title and description; not
coordinates). Run with BACKPLAN_UPDATE_GOLDEN=1 to rewrite the snapshots after a deliberate
change, then look at the figures (`backplan exercises preview ID -o x.png`)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from golden import assert_golden

from backplan.figures import render_pose
from backplan.figures.pose import Pose
from backplan.figures.svg import DIGIT, MAIN_BOX, WARMUP_BOX, Box, num
from backplan.library.catalogue import load_library

SNAPSHOTS = Path(__file__).resolve().parent / "data" / "figures"
NS = "{http://www.w3.org/2000/svg}"


@cache
def builtin():
    return load_library().exercises


def svg_of(eid: str, lang: str = "en") -> str:
    exercise = builtin()[eid]
    return render_pose(exercise.pose, exercise.text(lang).name, lang)


def structure(svg: str) -> dict:
    root = ET.fromstring(svg)
    return {
        "title": root.findtext(f"{NS}title"),
        "desc": root.findtext(f"{NS}desc"),
        "elements": dict(sorted(Counter(el.tag.removeprefix(NS) for el in root.iter()).items())),
        "classes": [el.get("class") for el in root.iter() if el.get("class")],
    }


@pytest.mark.parametrize("eid", sorted(builtin()))
def test_structure_matches_the_snapshot(eid):
    got = structure(svg_of(eid))
    assert_golden(SNAPSHOTS / f"{eid}.json", json.dumps(got, indent=1, ensure_ascii=False) + "\n")


def test_there_is_no_snapshot_of_an_exercise_that_is_gone():
    assert {p.stem for p in SNAPSHOTS.glob("*.json")} == set(builtin())


@pytest.mark.parametrize("eid", sorted(builtin()))
def test_the_svg_is_self_contained_and_scalable(eid):
    svg = svg_of(eid)
    root = ET.fromstring(svg)
    assert root.get("viewBox") and root.get("width") is None and root.get("height") is None
    for banned in ("href", "<image", "<text", "font", "url(", "<style", " id="):
        assert banned not in svg, (eid, banned)
    assert root[0].tag == f"{NS}title" and root[1].tag == f"{NS}desc"
    frames = [el for el in root.iter() if "bpf-frame " in (el.get("class") or "") + " "]
    assert len(frames) == len(builtin()[eid].pose.frames())
    assert len(svg) < 30_000, (eid, len(svg))  # compact enough to inline many in a handout


def test_rendering_is_deterministic():
    assert svg_of("cable-pull-through") == svg_of("cable-pull-through")
    assert svg_of("cat-cow", "es") == svg_of("cat-cow", "es")


def test_title_and_description_follow_the_language():
    got = structure(svg_of("glute-bridge", "es"))
    assert got["title"] == builtin()["glute-bridge"].text("es").name
    assert got["desc"].startswith("Boca arriba")


def test_title_and_description_are_escaped():
    pose = Pose.model_validate({"base": "standing", "description": "Up & <down>", "start": {}})
    svg = render_pose(pose, 'Squat "A" & <B>')
    root = ET.fromstring(svg)
    assert root.findtext(f"{NS}title") == 'Squat "A" & <B>'
    assert root.findtext(f"{NS}desc") == "Up & <down>"


def test_both_frames_stand_on_one_ground_line_at_one_scale():
    root = ET.fromstring(svg_of("reverse-lunge-slide"))
    (ground,) = [el.get("d") for el in root.iter() if el.get("class") == "bpf-ground"]
    floors = re.findall(r"M(-?[\d.]+) (-?[\d.]+)H", ground)
    assert len(floors) == 2  # one floor line a frame, in one path
    # every floor is drawn along y = 0 of the one viewBox: the feet share the line
    assert all(y == "0" for _, y in floors)
    assert len([el for el in root.iter() if el.get("class") == "bpf-between"]) == 1


def test_numbers_are_short_and_stable():
    assert [num(v) for v in (1.0, -0.04, 2.25, 10.06, -3.5)] == ["1", "0", "2.2", "10.1", "-3.5"]


def test_lying_figures_are_stacked_so_each_frame_gets_the_full_width():
    root = ET.fromstring(svg_of("glute-bridge"))
    frames = [el for el in root.iter() if (el.get("class") or "").startswith("bpf-frame ")]
    assert frames[0].get("transform") is None
    assert frames[1].get("transform", "").startswith("translate(0 ")
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width / height < 2  # side by side, two lying figures would be about 6:1
    standing = ET.fromstring(svg_of("squat"))
    assert all(
        el.get("transform") is None
        for el in standing.iter()
        if (el.get("class") or "").startswith("bpf-frame ")
    )


def _printed_mm_per_cm(svg: str, box: Box) -> float:
    _, _, width, height = (float(v) for v in ET.fromstring(svg).get("viewBox").split())
    return min(box.width / width, box.height / height)


@pytest.mark.parametrize("eid", sorted(builtin()))
def test_frame_numbers_print_at_least_3_mm_high_in_the_handouts_box(eid):
    exercise = builtin()[eid]
    small = exercise.kind == "warmup"  # printed in a warm-up's 28 mm column
    svg = render_pose(exercise.pose, "x", "en", small)
    scale = _printed_mm_per_cm(svg, WARMUP_BOX if small else MAIN_BOX)
    (discs,) = [el for el in ET.fromstring(svg).iter() if el.get("class") == "bpf-label"]
    # the discs are dots: round-capped lines as wide as a disc, one a frame
    assert discs.get("d").count("M") == len(exercise.pose.frames())
    digit_mm = 2 * DIGIT * float(discs.get("stroke-width")) / 2 * scale
    assert digit_mm >= 3.0, (eid, round(digit_mm, 2))


def test_a_drawing_printed_small_gets_bigger_numbers_and_marks():
    pose = builtin()["glute-bridge"].pose
    big, small = render_pose(pose, "x"), render_pose(pose, "x", "en", True)

    def radius(svg: str) -> float:
        root = ET.fromstring(svg)
        label = next(el for el in root.iter() if el.get("class") == "bpf-label")
        return float(label.get("stroke-width")) / 2

    def arrow_width(svg: str) -> float:
        root = ET.fromstring(svg)
        return float(
            next(el for el in root.iter() if el.get("class") == "bpf-mark bpf-arrow").get(
                "stroke-width"
            )
        )

    assert radius(small) > radius(big)
    assert arrow_width(small) > arrow_width(big)


def test_stacked_frames_keep_the_arrow_between_them_beside_the_numbers_not_over_the_body():
    for eid in ("glute-bridge", "rkc-plank-pulses", "kneeling-plank"):
        root = ET.fromstring(svg_of(eid))
        arrow = next(el for el in root.iter() if el.get("class") == "bpf-between")
        arrow_x = [float(v) for v in re.findall(r"[ML](-?[\d.]+) ", arrow.get("d"))]
        # each frame (its floor line, and the body above it) starts right of the strip
        (ground,) = [el.get("d") for el in root.iter() if el.get("class") == "bpf-ground"]
        starts = [float(x) for x in re.findall(r"M(-?[\d.]+) ", ground)]
        assert len(starts) == 2 and max(arrow_x) < min(starts), eid


def test_a_lying_figure_with_a_leg_up_still_stacks_and_a_seated_pair_does_not():
    def stacked(data: dict) -> bool:
        root = ET.fromstring(render_pose(Pose.model_validate(data), "x"))
        return any(
            (el.get("transform") or "").startswith("translate(0 ")
            for el in root.iter()
            if (el.get("class") or "").startswith("bpf-frame ")
        )

    leg_up = {"hip": {"near": 85, "far": 0}, "knee": 0, "ground": ["shoulders", "hips", "far_heel"]}
    assert stacked({"base": "supine", "description": "x", "start": {}, "end": leg_up})
    seated = {"base": "seated", "description": "x", "props": {"chair": {"under": "hips"}}}
    assert not stacked({**seated, "start": {}, "end": {"torso": 30}})


@pytest.mark.parametrize("eid", sorted(builtin()))
def test_the_drawing_is_few_points_for_weasyprint_to_read(eid):
    # WeasyPrint parses every number of every path in Python on each layout; the body drawn
    # from its parts' middles takes well under two thirds of the numbers the outlined parts
    # took (2,100-2,300 in the handout's drawings)
    svg = svg_of(eid)
    numbers = sum(len(re.findall(r"-?[\d.]+", d)) for d in re.findall(r' d="([^"]*)"', svg))
    assert numbers < 1_400, (eid, numbers)


def test_each_silhouette_is_its_outline_then_the_same_middles_filled_on_top():
    root = ET.fromstring(svg_of("bird-dog"))
    paths = [el for el in root.iter() if el.tag == f"{NS}path"]
    silhouettes = [i for i, el in enumerate(paths) if "bpf-far" in (el.get("class") or "")]
    silhouettes += [i for i, el in enumerate(paths) if "bpf-near" in (el.get("class") or "")]
    assert len(silhouettes) == 6  # two frames: far limbs, near leg with body, near arm
    parts = {"bpf-far": 6, "bpf-body": 7, "bpf-near-arm": 3}  # legs and arms are 3 parts
    for i in silhouettes:
        kind = next(k for k in parts if k in paths[i].get("class").split())
        assert paths[i].get("d").count("M") == parts[kind], kind  # every part is drawn
        outline, fill = paths[i], paths[i + 1]
        assert outline.get("d") == fill.get("d")
        assert outline.get("fill") == outline.get("stroke") != fill.get("stroke")
        assert fill.get("fill") == fill.get("stroke") in ("#fff", "#d4d4d4")
        wider = float(outline.get("stroke-width")) - float(fill.get("stroke-width"))
        assert wider == pytest.approx(2.6 if "bpf-near" in outline.get("class") else 2.2)


def test_a_props_straight_detail_line_shares_its_path_and_a_curved_one_does_not():
    def prop_paths(eid: str, name: str) -> list[ET.Element]:
        frame = next(
            el
            for el in ET.fromstring(svg_of(eid)).iter()
            if el.get("class") == "bpf-frame bpf-frame-1"
        )
        paths = list(frame)
        start = next(i for i, el in enumerate(paths) if f"bpf-{name}" in (el.get("class") or ""))
        end = next((i for i in range(start + 1, len(paths)) if paths[i].get("class")), len(paths))
        return paths[start:end]

    (counter,) = prop_paths("standing-hip-circles", "sturdy-support")
    assert counter.get("d").count("M") == 3  # two boxes and the edge line, in one path
    ball = prop_paths("stability-ball-squat", "stability-ball")
    assert len(ball) == 2 and ball[1].get("fill") is None  # the seam: a line on its own


def test_each_frame_has_its_eye_even_when_frames_are_stacked():
    for eid, stacked in (("cable-pull-through", False), ("glute-bridge", True)):
        root = ET.fromstring(svg_of(eid))
        (eyes,) = [el for el in root.iter() if el.get("class") == "bpf-eye"]
        dots = [
            (float(x), float(y)) for x, y in re.findall(r"M(-?[\d.]+) (-?[\d.]+)h", eyes.get("d"))
        ]
        assert len(dots) == 2, eid  # a side view: one eye a frame
        (ground,) = [el.get("d") for el in root.iter() if el.get("class") == "bpf-ground"]
        floors = [
            (float(x0), float(y), float(x1))
            for x0, y, x1 in re.findall(r"M(-?[\d.]+) (-?[\d.]+)H(-?[\d.]+)", ground)
        ]
        for (x, y), (x0, floor, x1) in zip(dots, floors, strict=True):
            # above its own frame's floor, within its width (stacked: the second below the first)
            assert x0 < x < x1 and floor - 200 < y < floor, (eid, x, y)
        assert (dots[1][1] > floors[0][1]) == stacked, eid  # stacked: below frame 1's floor
