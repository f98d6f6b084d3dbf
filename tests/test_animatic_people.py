"""What people do and look like, as a creator's words say: "He falls" drew a man standing, "rides again" drew him
standing without the bicycle, "teaches her grandfather to ride a bicycle" put the girl on it, and a grandfather
"with short white hair and a grey cardigan" wore a dark baseball cap. Now a fall sits them on the ground, a ride
puts them on the bicycle, the hair shows (a cap only where the look names one) and the clothes take its colours."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine, PaintedScene
from models.video.animatic_facts import spec_from_facts
from models.video.animatic_figures import HAT_COLOUR
from models.video.base import Shot

W, H = 416, 240
LOOK = "the grandfather with short white hair and a grey cardigan"


def facts(**kw) -> SceneFacts:
    base = dict(subjects=["grandfather"], action="", setting="meadow", time_of_day="day", weather="clear",
                shot="medium")  # fmt: skip
    return SceneFacts(**{**base, **kw})


def _shot(f: SceneFacts, prompt: str) -> Shot:
    return Shot(prompt=prompt, caption="", camera="static", width=W, height=H, fps=8, frames=1, seed=5, facts=f)


def painted(f: SceneFacts, prompt: str = "a scene") -> PaintedScene:
    return AnimaticEngine(label="")._paint(_shot(f, prompt))


def frame(f: SceneFacts, prompt: str = "a scene") -> np.ndarray:
    return next(iter(AnimaticEngine(label="").render(_shot(f, prompt)))).astype(int)


def figure_rows(f: SceneFacts, prompt: str = "a scene") -> np.ndarray:
    """The rows the figure covers: where the frame differs from the same place without anyone."""
    empty = frame(f.model_copy(update={"subjects": [], "action": ""}), prompt)
    changed = np.abs(frame(f, prompt) - empty).max(axis=2) > 30
    return np.nonzero(changed.any(axis=1))[0]


@pytest.mark.parametrize("action", ["falls", "falls over", "trips and falls", "slips on the path", "摔倒了"])
def test_a_fall_puts_them_on_the_ground(action: str):
    f = facts(action=action)
    assert spec_from_facts(f).action == "fall"
    scene = painted(f)
    assert [s.pose for s in scene.subjects if s.kind == "elder"] == ["fall"]
    fallen, standing = figure_rows(f), figure_rows(facts())
    # sat on the ground, the figure is well under two thirds of its standing height
    assert len(fallen) < 0.66 * len(standing), (len(fallen), len(standing))


@pytest.mark.parametrize("action", ["falls asleep", "falls in love", "watches the snow fall", "walks"])
def test_words_that_only_say_fall_do_not_knock_anyone_down(action: str):
    assert spec_from_facts(facts(action=action)).action != "fall"


@pytest.mark.parametrize("action", ["rides again", "rides off", "rides", "rides the bicycle again"])
def test_a_ride_with_nothing_named_is_on_the_bicycle(action: str):
    spec = spec_from_facts(facts(action=action))
    assert spec.subjects[:1] == ("bicycle",) and spec.aboard == ("elder",), spec
    assert "cast:bicycle" in painted(facts(action=action)).trace


@pytest.mark.parametrize("action", ["rides the horse", "rides in the car"])
def test_a_ride_that_names_its_own_is_not_a_bicycle(action: str):
    assert "bicycle" not in spec_from_facts(facts(action=action)).subjects


def test_the_one_taught_to_ride_is_on_the_bicycle_not_the_teacher():
    f = facts(subjects=["girl", "grandfather"], action="teaches her grandfather to ride a bicycle")
    spec = spec_from_facts(f)
    assert spec.aboard == ("elder",) and "girl" in spec.subjects, spec


def _dark_cap(img: np.ndarray) -> int:
    return int((np.abs(img - HAT_COLOUR["cap"]).max(axis=2) < 14).sum())


@pytest.mark.parametrize("shot", ["medium", "close_up"])
def test_white_hair_shows_not_a_cap(shot: str):
    f = facts(shot=shot)
    img = frame(f, f"Medium shot: {LOOK}, in the meadow")
    assert _dark_cap(img) < 5, _dark_cap(img)
    white = (img.min(axis=2) > 190) & (np.ptp(img, axis=2) < 20)
    assert white.sum() > (40 if shot == "medium" else 400), white.sum()
    # the look that names a cap has one
    capped = frame(f, "Medium shot: the grandfather in a flat cap, in the meadow")
    assert _dark_cap(capped) > (20 if shot == "medium" else 400), _dark_cap(capped)


def test_the_clothes_take_the_colours_the_look_names():
    spec = spec_from_facts(facts(subjects=["girl"]), "the girl of about eight with two braids in a yellow dress")
    assert ("girl", "coat", "yellow") in spec.looks
    img = frame(facts(subjects=["girl"]), "the girl of about eight with two braids in a yellow dress")
    yellow = (img[..., 0] > 200) & (img[..., 1] > 160) & (img[..., 2] < 90)
    assert yellow.sum() > 30, yellow.sum()
    plain = frame(facts(subjects=["girl"]), "the girl")
    assert ((plain[..., 0] > 200) & (plain[..., 1] > 160) & (plain[..., 2] < 90)).sum() < yellow.sum() / 4
