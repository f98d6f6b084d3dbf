"""A bus stop behind a face keeps its distance, and its sign stays clear of the caption strip: as a creator sees a
close-up at the stop. Before, the shelter stood as big behind a close-up's face as in a medium shot, and the sign's
disc could sit under the PREVIEW strip at the top."""

from __future__ import annotations

import numpy as np
import pytest

from models.storyboard import SceneFacts
from models.video.animatic import AnimaticEngine
from models.video.animatic_busstop import ROOF
from models.video.base import Shot

W, H = 416, 240


def frames(shot: str, seed: int = 7, camera: str = "static", w: int = W, h: int = H) -> list[np.ndarray]:
    facts = SceneFacts(subjects=["woman"], action="waits for the bus", setting="bus stop", shot=shot)
    s = Shot(prompt="a woman waits", caption="She waits for the bus.", camera=camera, width=w, height=h, fps=8,
             frames=5 if camera != "static" else 1, seed=seed, facts=facts)  # fmt: skip
    return list(AnimaticEngine().render(s))


def frame(shot: str, seed: int = 7) -> np.ndarray:
    return frames(shot, seed)[0]


def _rows_of(img: np.ndarray, col: tuple[int, int, int]) -> np.ndarray:
    near = (np.abs(img.astype(int) - col).max(axis=2) < 14).sum(axis=1) > 3
    return np.nonzero(near)[0]


@pytest.mark.parametrize("seed", [3, 7, 11])
def test_the_shelter_behind_a_close_up_face_stands_smaller_than_in_a_medium_shot(seed: int):
    close, medium = _rows_of(frame("close_up", seed), ROOF), _rows_of(frame("medium", seed), ROOF)
    assert len(close) and len(medium)
    assert close.min() > medium.min() + 0.08 * H, (close.min(), medium.min())  # its roof is well lower


@pytest.mark.parametrize("shot", ["medium", "close_up", "extreme_close_up"])
@pytest.mark.parametrize("camera,size", [("static", (W, H)), ("push_in", (W, H)), ("push_in", (H, W))])
def test_the_stop_sign_stays_below_the_caption_strip(shot: str, camera: str, size: tuple[int, int]):
    strip = min(int(max(10, size[1] // 24) * 2.2), size[1])  # animatic.AnimaticEngine._overlay
    for img in frames(shot, 7, camera, *size):
        px = img.astype(int)
        # the sign's red, also where the strip's dark veil covers it (so no exact colour)
        red = np.nonzero(((px[..., 0] > 80) & (px[..., 0] > 2.5 * px[..., 1]) & (px[..., 0] > 2.5 * px[..., 2])).any(1))
        assert red[0].size == 0 or red[0].min() > strip, (red[0].min(), strip)  # (a face may hide it)
