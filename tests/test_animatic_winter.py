"""A winter story stays winter in every scene, and a scene at someone's door shows the door: as a creator reads the
contact sheet of a winter story whose later scenes have clear weather."""

from __future__ import annotations

import cv2
import numpy as np

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine
from models.video.animatic_facts import spec_from_facts
from models.video.base import Shot

W, H = 416, 240
WOOD = dict(subjects=["little rabbit"], action="hops along", setting="pine wood", weather="clear", shot="wide")
DOOR = dict(subjects=["old woman"], action="puts the milk on the doorstep", setting="doorstep", weather="clear",
            shot="wide")  # fmt: skip


def painted(facts: dict, prompt: str):
    shot = Shot(prompt=prompt, caption="", camera="static", width=W, height=H, fps=16, frames=1, seed=5,
                facts=SceneFacts(**facts))  # fmt: skip
    return AnimaticEngine(label="")._paint(shot)


def first(facts: dict, prompt: str) -> np.ndarray:
    shot = Shot(prompt=prompt, caption="", camera="static", width=W, height=H, fps=16, frames=1, seed=5,
                facts=SceneFacts(**facts))  # fmt: skip
    return next(iter(AnimaticEngine(label="").render(shot)))


def _ground(img: np.ndarray) -> tuple[float, float]:
    """(brightness, saturation) of the ground, below the horizon, as medians."""
    hsv = cv2.cvtColor(img[int(H * 0.8) :], cv2.COLOR_RGB2HSV)
    return float(np.median(hsv[..., 2])), float(np.median(hsv[..., 1]))


def _green(img: np.ndarray) -> float:
    px = img.astype(int)
    return float(((px[..., 1] > px[..., 0] + 20) & (px[..., 1] > px[..., 2] + 20)).mean())


def test_a_winter_scene_with_clear_weather_lies_under_snow_without_snow_falling():
    """Before: a winter story's clear-weather scenes were drawn on green grass under leafy trees, though their
    words said 'in winter, bare trees and frost' (only falling snow drew a white ground)."""
    winter, summer = "a rabbit in the wood, in winter, bare trees and frost", "a rabbit in the wood, in summer"
    spec = spec_from_facts(SceneFacts(**WOOD), winter)
    assert spec.season == "winter" and "snow" not in spec.elements  # nothing is falling from a clear sky
    (bright_w, sat_w), (_, sat_s) = _ground(first(WOOD, winter)), _ground(first(WOOD, summer))
    assert bright_w > 180 and sat_w < 40, (bright_w, sat_w)  # white, not grass
    assert sat_s > 2 * sat_w, (sat_s, sat_w)
    assert _green(first(WOOD, winter)) < _green(first(WOOD, summer)) / 2  # the broadleaves are bare


def test_the_same_scene_with_no_season_keeps_its_grass():
    bright, sat = _ground(first(WOOD, "a rabbit in the wood"))
    assert sat > 60, (bright, sat)


def test_a_doorstep_is_a_house_front_with_its_door_by_the_person_in_the_village():
    """Before: 'puts the bread on the doorway' drew a forest (the place unknown, 'bare trees' in the words chose
    one) and no door anywhere."""
    spec = spec_from_facts(SceneFacts(**DOOR), "an old woman at her doorstep, in winter, bare trees and frost")
    assert "house" in spec.subjects and "village" in spec.elements and "forest" not in spec.elements
    scene = painted(DOOR, "an old woman at her doorstep")
    house = next(s for s in scene.subjects if s.kind == "house")
    woman = next(s for s in scene.subjects if s.kind == "oldwoman")
    assert house.y < woman.y  # behind her
    door_top = house.size * 0.3  # animatic_figures.draw_building: the door is 0.3 of the house tall
    assert woman.size * 0.9 < door_top < woman.size * 1.6, (door_top, woman.size)  # her door, not a doll's house's
    assert abs(house.x - woman.x) < house.size * 0.55 * 0.6  # she stands in front of the house, near its door


def test_a_door_indoors_stays_indoors():
    facts = DOOR | {"setting": "kitchen doorway"}
    spec = spec_from_facts(SceneFacts(**facts), "an old woman in the kitchen doorway")
    assert "house" not in spec.subjects and "interior" in spec.elements


def test_under_the_eaves_is_outside_the_house_front_not_a_room():
    """Before: 'hides under the house eaves' drew a living room with a lamp and a rug ('house' read as indoors)."""
    facts = dict(subjects=["stray cat"], action="hides under the eaves", setting="house eaves", shot="wide")
    spec = spec_from_facts(SceneFacts(**facts), "a stray cat under the house eaves at night")
    assert "interior" not in spec.elements and "house" in spec.subjects and "village" in spec.elements


VILLAGE = dict(subjects=["man"], action="walks home", setting="village", weather="clear", shot="wide")


def _roof_red(img: np.ndarray) -> int:
    """Pixels of the bare red-brown roof tiles (animatic_places' roofs, (150, 60, 48) in daylight)."""
    px = img.astype(int)
    return int(((abs(px[..., 0] - 150) < 16) & (abs(px[..., 1] - 60) < 16) & (abs(px[..., 2] - 48) < 16)).sum())


def test_a_winter_villages_roofs_lie_under_snow():
    """Before: the ground was white but every roof stayed bare red."""
    summer, winter = first(VILLAGE, "a man walks home in the village"), first(VILLAGE, "a village in winter")
    assert _roof_red(summer) > 200, _roof_red(summer)
    assert _roof_red(winter) < _roof_red(summer) / 3, (_roof_red(winter), _roof_red(summer))


def test_a_house_standing_in_a_winter_scene_has_snow_on_its_roof():
    from models.video.animatic_pen import Pen
    from models.video.animatic_vehicles import draw_building

    bare, snowy = (np.zeros((200, 200, 4), np.uint8) for _ in range(2))
    draw_building(Pen(bare), "house", 100, 190, 160, False, (200, 180, 150))
    draw_building(Pen(snowy), "house", 100, 190, 160, False, (200, 180, 150), snowy=True)
    roof = slice(int(190 - 160 * 0.95), int(190 - 160 * 0.6))
    white = lambda a: int((a[roof, :, :3].min(axis=2) > 225).sum())  # noqa: E731
    assert white(bare) == 0 and white(snowy) > 500, (white(bare), white(snowy))


def _pale_green(img: np.ndarray) -> float:
    px = img.astype(int)
    return float(((px[..., 1] > px[..., 0] + 8) & (px[..., 1] > px[..., 2] + 4) & (px[..., 1] > 110)).mean())


def test_a_winter_wood_from_the_air_is_snowy_treetops_not_pale_green_blobs():
    facts = dict(subjects=["fox"], action="runs", setting="forest", weather="snow", shot="extreme_wide")
    shot = Shot(prompt="a fox runs through the forest", caption="", camera="aerial", width=W, height=H, fps=16,
                frames=1, seed=5, facts=SceneFacts(**facts))  # fmt: skip
    img = next(iter(AnimaticEngine(label="").render(shot)))
    ground = img[int(H * 0.45) :]
    assert _pale_green(ground) < 0.002, _pale_green(ground)
    dark = (ground.max(axis=2) < 90).mean()  # the boughs showing between the snow on the treetops
    assert dark > 0.01, dark
