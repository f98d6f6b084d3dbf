"""The animatic draws a thing passed between two people where it is: a bus stop by its road, the umbrella with
whoever has it now, flowers and a furled umbrella in the hands of the one bringing them back."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine, PaintedScene
from models.video.animatic_busstop import kerb_row
from models.video.animatic_carry import FLOWER_HEADS, UMBRELLA_FURLED, carried
from models.video.animatic_cast import holds_umbrella
from models.video.animatic_sets import stage
from models.video.base import Shot

W, H = 416, 240
LEND = dict(subjects=["girl", "old man"], action="lends her umbrella to the old man", setting="bus stop",
            time_of_day="dusk", weather="rain", shot="wide")  # fmt: skip


def shot(facts: dict, prompt: str = "a scene", scale: int = 1) -> Shot:
    return Shot(prompt=prompt, caption="", camera="static", width=W * scale, height=H * scale, fps=8, frames=1,
                seed=5, facts=SceneFacts(**facts))  # fmt: skip


def painted(facts: dict, prompt: str = "a scene") -> PaintedScene:
    return AnimaticEngine(label="")._paint(shot(facts, prompt))


def frame(facts: dict, prompt: str = "a scene", scale: int = 1) -> np.ndarray:
    return next(iter(AnimaticEngine(label="").render(shot(facts, prompt, scale))))


def _green_share(img: np.ndarray) -> float:
    low = img[int(H * 0.6) :].astype(int)
    return float(((low[..., 1] > low[..., 0] + 8) & (low[..., 1] > low[..., 2] + 8)).mean())


@pytest.mark.parametrize("place", ["bus stop", "bus shelter", "the bus station"])
def test_a_bus_stop_is_a_road_kerb_shelter_and_sign_not_a_grass_field(place: str):
    """Before: 'at the bus stop' named no place the animatic knew: every frame was an empty grass field."""
    facts = LEND | {"setting": place, "weather": "clear", "time_of_day": "day"}
    scene = painted(facts)
    assert scene.spec.setting == "busstop", scene.spec
    for part in ("road", "kerb", "shelter", "sign", "houses"):
        assert f"set:busstop:{part}" in scene.trace, scene.trace
    people = [s for s in scene.subjects if s.kind in ("girl", "elder")]
    assert len(people) == 2 and all(s.y > kerb_row(scene.geometry) for s in people), "they stand on the pavement"
    assert _green_share(frame(facts)) < 0.05, "no grass field"
    assert "set:busstop:wet" in painted(facts | {"weather": "rain"}).trace
    assert painted(facts | {"setting": "meadow"}).spec.setting != "busstop"


def test_the_umbrella_lent_is_held_by_the_one_it_was_lent_to():
    """Before: both people held an umbrella in the rain, the one who lent hers as well."""
    scene = painted(LEND)
    held = {s.kind: holds_umbrella(s, scene.spec) for s in scene.subjects if s.kind in ("girl", "elder")}
    assert held == {"girl": False, "elder": True}, held
    shared = painted(LEND | {"action": "waits for the bus"})  # nothing passed: everyone out in the rain has one
    assert all(holds_umbrella(s, shared.spec) for s in shared.subjects if s.kind in ("girl", "elder"))
    back = SceneFacts(**LEND | {"subjects": ["old man", "girl"], "action": "hands the umbrella back to the girl"})
    assert carried(back) == (("girl", "umbrella"),)


def test_what_someone_brings_is_drawn_in_their_hands():
    """Before: 'waits at the stop to return the umbrella, with a bunch of flowers' drew an old man with empty
    hands: no flowers, no umbrella."""
    facts = dict(subjects=["old man"], action="waits at the same stop to return the umbrella, with a bunch of flowers",
                 setting="bus stop", time_of_day="day", weather="clear", shot="medium")  # fmt: skip
    assert carried(SceneFacts(**facts)) == (("elder", "umbrella"), ("elder", "flowers"))
    with_them = frame(facts, scale=2).astype(int)
    without = frame(facts | {"action": "waits at the same stop"}, scale=2).astype(int)
    pink = np.array(FLOWER_HEADS[0])
    blooms = lambda img: int((np.abs(img - pink).max(axis=2) < 30).sum())  # noqa: E731
    assert blooms(with_them) >= blooms(without) + 15, (blooms(with_them), blooms(without))
    furled = np.array(UMBRELLA_FURLED)
    dark_blue = lambda img: int((np.abs(img - furled).max(axis=2) < 12).sum())  # noqa: E731
    assert dark_blue(with_them) >= dark_blue(without) + 10, (dark_blue(with_them), dark_blue(without))


def test_a_close_up_of_hands_with_the_umbrella_shows_the_umbrella():
    """Before: 'close-up of the hands of the young woman …, and the umbrella' drew her hands holding nothing."""
    facts = dict(subjects=["young woman"], setting="bus stop", time_of_day="dusk", weather="rain", shot="close_up")
    words = "Close-up: close-up of the hands of the young woman, and the umbrella, at the bus stop"
    staged = stage(SceneFacts(**facts), words)
    assert staged.hands and staged.handled == "umbrella", staged
    scene = painted(facts, words)
    assert {s.kind for s in scene.subjects} == {"hands", "umbrella"}, scene.subjects
    assert not stage(SceneFacts(**facts), "Close-up: close-up of the hands of the young woman").handled


def test_a_lantern_someone_lends_is_not_strung_over_the_harbour():
    lend = dict(subjects=["old fisherman", "boy"], action="lends his lantern to the boy", setting="harbour",
                shot="wide")  # fmt: skip
    assert "set:lanterns" not in painted(lend, "the old fisherman lends his lantern to a lost boy").trace
    festival = dict(subjects=["girl"], action="walks", setting="river", time_of_day="night", shot="wide")
    assert "set:lanterns" in painted(festival, "lanterns along the river at night").trace
