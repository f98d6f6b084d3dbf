"""Places a creator names by a building, a playground or a bridge are drawn as that place, in English and in
Chinese: before, "outside the hospital", 机场, "the town square", 游乐场 or "on the bridge" drew an empty grass
field. Each idea goes through the planner, as a creator's would; the trace says which set was painted, and the
frame is compared with the same scene with no place (the bare field it used to be)."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine, PaintedScene
from models.video.animatic_frontage import front_row
from models.video.animatic_playground import deck_row
from models.video.base import Shot
from models.writers.planner import PlannerOptions, plan_storyboard

W, H = 416, 240


def _shot(facts: SceneFacts) -> Shot:
    return Shot(prompt="a scene", caption="", camera="static", width=W, height=H, fps=8, frames=1, seed=5,
                facts=facts)  # fmt: skip


def painted(facts: SceneFacts) -> PaintedScene:
    return AnimaticEngine(label="")._paint(_shot(facts))


def frame(facts: SceneFacts) -> np.ndarray:
    return next(iter(AnimaticEngine(label="").render(_shot(facts))))


def the_scene(idea: str) -> SceneFacts:
    """The facts of the scene that says the idea's action (the planner's second), else its first."""
    scenes = plan_storyboard(idea, PlannerOptions(target_seconds=15)).scenes
    return next((s.facts for s in scenes if s.facts.action), scenes[0].facts)


# (idea, the trace entry its place must paint)
IDEAS = [
    ("A woman waits outside the hospital.", "set:front:hospital"),
    ("一个女人在医院门口等待。", "set:front:hospital"),
    ("A boy waits at the school gate.", "set:front:gate"),
    ("一个男孩在校门口等妈妈。", "set:front:gate"),
    ("A man arrives at the airport.", "set:front:airport"),
    ("一个男人到了机场。", "set:front:airport"),
    ("A girl visits the museum.", "set:front:columns"),
    ("一个女孩在博物馆门口。", "set:front:columns"),
    ("A couple checks into the hotel.", "set:front:hotel"),
    ("一对情侣走进酒店。", "set:front:hotel"),
    ("Two friends meet outside the cinema.", "set:front:marquee"),
    ("两个朋友在电影院门口见面。", "set:front:marquee"),
    ("A lost boy walks into the police station.", "set:front:beacon"),
    ("一个迷路的小孩走进派出所。", "set:front:beacon"),
    ("A bride waits at the church.", "set:front:steeple"),
    ("新娘在教堂等待。", "set:front:steeple"),
    ("A farmer feeds the chickens on the farm.", "set:front:farm"),
    ("农民在农场喂鸡。", "set:front:farm"),
    ("Pigeons fly over the town square.", "set:front:fountain"),
    ("鸽子在广场上飞。", "set:front:fountain"),
    ("Fans cheer outside the stadium.", "set:front:floodlights"),
    ("球迷在体育场外欢呼。", "set:front:floodlights"),
    ("Kids play on the playground.", "set:playground:swings"),
    ("孩子们在游乐场玩。", "set:playground:swings"),
    ("An old man stands on the bridge.", "set:bridge:balustrade"),
    ("一个老人站在桥上看河。", "set:bridge:balustrade"),
    ("A woman shops at the supermarket.", "set:shop:shelves"),
    ("一个女人在超市买东西。", "set:shop:shelves"),
]


@pytest.mark.parametrize(("idea", "drawn"), IDEAS)
def test_a_named_place_is_drawn_as_that_place_not_the_bare_field(idea: str, drawn: str):
    facts = the_scene(idea)
    scene = painted(facts)
    assert drawn in scene.trace, (facts, scene.trace)
    bare = frame(facts.model_copy(update={"setting": "", "action": ""}))
    changed = (np.abs(frame(facts).astype(int) - bare).max(axis=2) > 40).mean()
    assert changed > 0.04, f"only {changed:.1%} of the picture differs from the empty field"


@pytest.mark.parametrize("place", ["hospital", "school gate", "airport", "town square", "church"])
def test_people_stand_on_the_forecourt_in_front_of_the_building(place: str):
    facts = SceneFacts(subjects=["woman", "boy"], action="waits", setting=place, shot="wide")
    scene = painted(facts)
    people = [s for s in scene.subjects if s.kind in ("woman", "boy")]
    assert len(people) == 2 and all(s.y > front_row(scene.geometry) for s in people), scene.subjects
    img = frame(facts)
    low = img[int(H * 0.8) :].astype(int)  # paving, not grass, under their feet (a church stands on a lawn)
    green = ((low[..., 1] > low[..., 0] + 8) & (low[..., 1] > low[..., 2] + 8)).mean()
    assert (green > 0.5) == (place == "church"), green


def test_on_a_bridge_the_people_stand_on_its_deck_before_the_river():
    scene = painted(SceneFacts(subjects=["old man"], action="stands on the bridge", setting="bridge", shot="wide"))
    assert all(s.y > deck_row(scene.geometry) for s in scene.subjects)
    assert not {"river", "forest", "field"} & scene.spec.elements  # the set paints the water itself


@pytest.mark.parametrize("time", ["day", "night"])
@pytest.mark.parametrize("place", ["hospital", "hotel", "school gate"])
def test_the_night_lights_the_windows(place: str, time: str):
    facts = SceneFacts(subjects=["woman"], setting=place, time_of_day=time, shot="extreme_wide")
    img = frame(facts).astype(int)
    warm = ((img[..., 0] > 200) & (img[..., 1] > 160) & (img[..., 2] < 170)).mean()
    assert (warm > 0.01) == (time == "night"), warm


@pytest.mark.parametrize("place", ["playground", "bridge"])
def test_the_lamps_glow_at_night(place: str):
    night = SceneFacts(subjects=["woman"], setting=place, time_of_day="night", shot="wide")
    img = frame(night).astype(int)
    dark = frame(night.model_copy(update={"setting": ""})).astype(int)
    lamp = (img[..., 0] > 200) & (img[..., 1] > 170)  # a warm light far brighter than the moonlit ground
    assert (
        lamp[int(H * 0.3) :].mean() > 0.001 and not ((dark[..., 0] > 200) & (dark[..., 1] > 170))[int(H * 0.6) :].any()
    )


@pytest.mark.parametrize(
    ("setting", "action", "drawn"),
    [
        ("river bank", "sits", ""),  # the bank of a river is the river, not a bank's columns
        ("hospital ward", "walks", ""),  # inside the hospital: a room
        ("library", "reads a book", ""),  # in the library: a room
        ("library", "waits outside the library", "front"),
        ("school", "waits outside the school", "front"),
        ("school", "writes on the blackboard", "classroom"),
        ("police station", "walks in", "front"),  # a police station is no railway's
        ("fire station", "waits", ""),
        ("bus station", "waits", "busstop"),
        ("operating theatre", "waits", ""),
    ],
)  # fmt: skip
def test_the_words_that_only_look_like_a_building_stay_what_they_are(setting: str, action: str, drawn: str):
    scene = painted(SceneFacts(subjects=["woman"], action=action, setting=setting, shot="wide"))
    assert scene.spec.setting == drawn, scene.spec
    if setting in ("hospital ward", "library") and not drawn:
        assert "interior" in scene.spec.elements
