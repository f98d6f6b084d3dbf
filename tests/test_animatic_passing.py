"""The animatic draws a thing passed between two people where it is: a bus stop by its road."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine, PaintedScene
from models.video.animatic_busstop import kerb_row
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
