"""A park (or a garden) is drawn as a park, in every shot size, light and weather, and from the air: before, its
words made it a forest, so a creator's "in the park" showed tall pines framing a field, and an aerial shot a
field of big green ellipses. Spring dresses the trees in blossom and the grass in flowers; before, the words
said "fresh green leaves and blossom" over summer's plain green."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine, PaintedScene
from models.video.animatic_park import GRAVEL
from models.video.base import Shot

W, H = 416, 240


def _shot(facts: SceneFacts, camera: str = "static", prompt: str = "a scene") -> Shot:
    return Shot(prompt=prompt, caption="", camera=camera, width=W, height=H, fps=8, frames=1, seed=5, facts=facts)


def painted(facts: SceneFacts, camera: str = "static", prompt: str = "a scene") -> PaintedScene:
    return AnimaticEngine(label="")._paint(_shot(facts, camera, prompt))


def frame(facts: SceneFacts, camera: str = "static", prompt: str = "a scene") -> np.ndarray:
    return next(iter(AnimaticEngine(label="").render(_shot(facts, camera, prompt))))


def near(img: np.ndarray, col: tuple[int, int, int], tol: int = 18) -> float:
    """The share of the picture within `tol` of a colour."""
    return float((np.abs(img.astype(int) - col).max(axis=2) <= tol).mean())


def pink(img: np.ndarray) -> float:
    """The share of blossom-pink pixels (red high, green well below it, blue between)."""
    r, g, b = (img[..., k].astype(int) for k in range(3))
    return float(((r > 200) & (g < r - 40) & (b > g + 5) & (b < r)).mean())


def park(**kw) -> SceneFacts:
    base = dict(subjects=["old man"], action="", setting="park", time_of_day="day", weather="clear", shot="wide")
    return SceneFacts(**{**base, **kw})


@pytest.mark.parametrize("setting", ["park", "the city park", "a small garden"])
@pytest.mark.parametrize("shot", ["extreme_wide", "wide", "medium", "close_up"])
def test_a_park_is_lawns_a_path_benches_and_lamps_not_a_forest(setting: str, shot: str):
    facts = park(setting=setting, shot=shot)
    scene = painted(facts)
    for part in ("set:park:lawn", "set:park:path", "set:park:benches", "set:park:lamps", "set:park:trees"):
        assert part in scene.trace, scene.trace
    assert "forest" not in scene.spec.elements
    # the gravel path shows; the forest drawn before had none
    if shot != "close_up":  # (behind a close-up's face the path is mostly hidden)
        path, forest = near(frame(facts), GRAVEL), near(frame(facts.model_copy(update={"setting": "forest"})), GRAVEL)
        assert path > 0.002 and path > 5 * forest, (path, forest)


@pytest.mark.parametrize(("time", "weather"), [("night", "clear"), ("day", "rain"), ("day", "snow"), ("dusk", "fog")])
def test_a_park_stays_a_park_in_any_light_and_weather(time: str, weather: str):
    scene = painted(park(time_of_day=time, weather=weather))
    assert {"set:park:path", "set:park:lamps", "set:park:benches"} <= set(scene.trace)


def test_the_lamps_glow_at_night():
    img = frame(park(time_of_day="night"))
    lamp = (np.abs(img.astype(int) - (255, 226, 150)).max(axis=2) < 30).sum()
    assert lamp > 10, "no lamp alight in the park at night"
    assert (np.abs(frame(park(time_of_day="day")).astype(int) - (255, 226, 150)).max(axis=2) < 30).sum() < lamp


def test_from_the_air_a_park_is_lawns_paths_and_crowns_not_green_ellipses():
    facts = park(shot="extreme_wide")
    scene = painted(facts, camera="aerial")
    assert {"set:park:paths", "set:park:pond", "set:park:trees"} <= set(scene.trace)
    img = frame(facts, camera="aerial")
    assert near(img, GRAVEL, 24) > 0.01  # the paths, seen from above
    forest = frame(facts.model_copy(update={"setting": "forest"}), camera="aerial")
    assert near(forest, GRAVEL, 24) < near(img, GRAVEL, 24) / 4


@pytest.mark.parametrize("words", ["a car park", "the parking lot"])
def test_a_car_park_is_no_park(words: str):
    assert "set:park:path" not in painted(park(setting=words)).trace


SPRING = "in spring, fresh green leaves and blossom"


@pytest.mark.parametrize("setting", ["park", "forest", "meadow"])
def test_spring_puts_blossom_on_the_trees_and_flowers_in_the_grass(setting: str):
    facts = park(setting=setting, shot="medium")
    spring = painted(facts, prompt=f"a scene {SPRING}")
    assert spring.spec.season == "spring"
    assert "spring:flowers" in spring.trace
    assert "spring:flowers" not in painted(facts, prompt="a scene in summer").trace
    if setting != "meadow":  # a meadow has no trees to blossom (a park's flowerbeds are pink in summer too)
        img, summer = frame(facts, prompt=f"a scene {SPRING}"), frame(facts, prompt="a scene in summer")
        assert pink(img) > pink(summer) + 0.0005, (pink(img), pink(summer))


def test_spring_puts_no_flowers_on_a_street():
    scene = painted(park(setting="old street"), prompt=f"a scene {SPRING}")
    assert "spring:flowers" not in scene.trace
