"""The animatic engine: frames, determinism, cancellation, camera moves, words → picture, and the PREVIEW label."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from models.storyboard import Camera
from models.video.animatic import AnimaticEngine, read_scene, scene_elements
from models.video.base import Cancelled, Shot

W, H = 416, 240
FEATURES = "a city skyline by the mountains on a clear day, with a forest"  # rich in corners to track


def shot(prompt: str = FEATURES, camera: str = "static", frames: int = 9, **kw) -> Shot:
    args = {"caption": "", "width": W, "height": H, "fps": 16, "seed": 3} | kw
    return Shot(prompt=prompt, camera=camera, frames=frames, **args)


def render(s: Shot, engine: AnimaticEngine | None = None) -> list[np.ndarray]:
    return list((engine or AnimaticEngine()).render(s))


def matches(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Matched ORB feature positions in two frames."""
    orb = cv2.ORB_create(1000)
    ka, da = orb.detectAndCompute(cv2.cvtColor(a, cv2.COLOR_RGB2GRAY), None)
    kb, db = orb.detectAndCompute(cv2.cvtColor(b, cv2.COLOR_RGB2GRAY), None)
    found = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(da, db)
    pa = np.float32([ka[m.queryIdx].pt for m in found])
    pb = np.float32([kb[m.trainIdx].pt for m in found])
    return pa, pb


def motion(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """(scale, dx, dy) of the dominant similarity transform taking frame a to frame b."""
    pa, pb = matches(a, b)
    m, inliers = cv2.estimateAffinePartial2D(pa, pb, method=cv2.RANSAC, ransacReprojThreshold=2)
    assert m is not None and inliers.sum() >= 20, "too few tracked features to measure the camera move"
    return float(np.hypot(m[0, 0], m[1, 0])), float(m[0, 2]), float(m[1, 2])


def test_frames_have_the_shot_count_size_and_dtype():
    frames = render(shot(frames=7, camera="pan_left"))
    assert len(frames) == 7
    assert all(f.shape == (H, W, 3) and f.dtype == np.uint8 for f in frames)


def test_odd_sizes_and_a_single_frame_work():
    frames = render(shot(frames=1, camera="push_in", width=150, height=98, caption="一个很长很长的字幕" * 10))
    assert len(frames) == 1 and frames[0].shape == (98, 150, 3)
    tiny = render(
        shot("a city by the sea, a cat in the rain", camera="aerial", frames=2, width=16, height=16, caption="x")
    )
    assert tiny[0].shape == (16, 16, 3)


def test_the_same_shot_gives_the_same_frames_and_another_seed_does_not():
    s = shot("a boat on the sea at dusk in the rain", camera="aerial", caption="1. 雨中的船")
    first, again = render(s), render(s)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    other = render(s.model_copy(update={"seed": 4}))
    assert not np.array_equal(first[-1], other[-1])


def test_cancel_stops_mid_render():
    cancel = threading.Event()
    done: list[int] = []

    def progress(i: int, total: int, preview) -> None:
        done.append(i)
        if i == 3:
            cancel.set()

    with pytest.raises(Cancelled):
        for _ in AnimaticEngine().render(shot(frames=40, camera="tracking"), progress, cancel):
            pass
    assert done[-1] == 3 < 40


def test_progress_reports_every_frame_with_an_occasional_small_preview():
    calls = []
    list(AnimaticEngine().render(shot(frames=16), lambda i, n, p: calls.append((i, n, p))))
    assert [c[0] for c in calls] == list(range(1, 17)) and all(c[1] == 16 for c in calls)
    previews = [p for _, _, p in calls if p is not None]
    assert previews and all(p.shape == (H // 4, W // 4, 3) for p in previews)


@pytest.mark.parametrize("camera", [c.value for c in Camera if c is not Camera.STATIC])
def test_every_storyboard_camera_move_moves(camera: str):
    frames = render(shot(camera=camera, frames=5, width=208, height=120))
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 3


def test_static_camera_keeps_the_scenery_still():
    frames = render(shot(camera="static"))
    scale, dx, dy = motion(frames[0], frames[-1])
    assert abs(scale - 1) < 0.005 and abs(dx) < 0.5 and abs(dy) < 0.5


def test_push_in_grows_the_picture_and_pull_out_shrinks_it():
    push = render(shot(camera="push_in"))
    pull = render(shot(camera="pull_out"))
    assert motion(push[0], push[-1])[0] > 1.05
    assert motion(pull[0], pull[-1])[0] < 0.95


def test_pans_slide_the_picture_in_opposite_directions():
    left = render(shot(camera="pan_left"))
    right = render(shot(camera="pan_right"))
    _, dx_left, dy_left = motion(left[0], left[-1])
    _, dx_right, _ = motion(right[0], right[-1])
    # Turning the camera left slides the picture right, and the other way round.
    assert dx_left > W * 0.1 and dx_right < -W * 0.1 and abs(dy_left) < 2


def test_tracking_follows_the_subject_while_the_world_slides_by_with_parallax():
    frames = render(shot("a fox runs across a field on a sunny day, mountains far away", camera="tracking"))
    pa, pb = matches(frames[0], frames[-1])
    shift = pb[:, 0] - pa[:, 0]
    still = np.abs(pb[:, 1] - pa[:, 1]) < 1.5
    horizon = H * 0.6
    far = np.median(shift[still & (pa[:, 1] < horizon - 4)])
    near = np.median(shift[still & (pa[:, 1] > horizon + 4)])
    assert far < -2 and near < far * 1.3  # the world slides left, the ground faster than the mountains

    def fox_x(frame: np.ndarray) -> float:
        r, g, b = (frame[:, :, k].astype(int) for k in range(3))
        ys, xs = np.nonzero((r > 170) & (g > 70) & (g < 140) & (b < 80))
        assert xs.size > 30, "no fox drawn"
        return float(xs.mean())

    assert abs(fox_x(frames[0]) - fox_x(frames[-1])) < W * 0.06
    assert abs(fox_x(frames[-1]) - W / 2) < W * 0.15


def test_aerial_raises_the_horizon_and_drifts_over_the_ground():
    field = "green meadows on a sunny day"
    static = render(shot(field, camera="static", frames=2))[0]
    aerial = render(shot(field, camera="aerial"))
    row = int(H * 0.45)  # sky from the ground, ground from the air

    def is_green(px: np.ndarray) -> bool:
        return px[1] > px[2]

    assert not is_green(static[row, W // 2]) and is_green(aerial[0][row, W // 2])
    low = slice(int(H * 0.6), H)
    assert np.abs(aerial[0][low].astype(int) - aerial[-1][low]).mean() > 3


def test_words_choose_elements_in_chinese_and_english():
    assert {"snow", "night", "forest"} <= scene_elements("雪夜 森林")
    assert {"snow", "night", "forest"} <= scene_elements("A snowy forest at night")
    assert {"river", "interior"} <= scene_elements("窗外是一条河，屋里很暖和") | scene_elements("a room by the river")
    spec = read_scene("一个女孩和她的狗在河边")
    assert spec.subjects == ("girl", "dog") and "river" in spec.elements
    assert read_scene("A boat and a car at sunrise").subjects == ("boat", "car")
    assert read_scene("A boat and a car at sunrise").time == "dawn"
    assert read_scene("夕阳下的海").time == "dusk" and "sea" in read_scene("夕阳下的海").elements
    # Whole words only, and longer Chinese words first: no ice in an office, no fire in a train.
    assert "snow" not in scene_elements("a nice office this season")
    assert "sea" not in scene_elements("this season")
    assert "fire" not in scene_elements("火车穿过山谷")
    assert "mountain" in scene_elements("火车穿过山谷")


def test_scenes_look_different():
    sea = render(shot("a calm sea on a sunny day", frames=2))[0].astype(np.float32)
    city = render(shot("a city street at night", frames=2))[0].astype(np.float32)
    room = render(shot("a cat in a room with a lamp", frames=2))[0].astype(np.float32)
    sea_mean, city_mean, room_mean = (x.reshape(-1, 3).mean(0) for x in (sea, city, room))
    assert sea_mean[2] > sea_mean[0] + 30  # blue sea and sky
    assert city_mean.mean() < sea_mean.mean() - 40  # night is dark
    assert room_mean[0] > room_mean[2]  # warm wood and walls
    assert np.abs(sea - city).mean() > 30 and np.abs(sea - room).mean() > 30


def test_a_named_subject_is_drawn():
    empty = render(shot("a calm sea on a sunny day", frames=1, seed=5))[0]
    boat = render(shot("a calm sea on a sunny day", caption="a boat", frames=1, seed=5))[0]
    assert read_scene("a boat").subjects == ("boat",)
    centre = (slice(int(H * 0.3), int(H * 0.8)), slice(int(W * 0.3), int(W * 0.6)))
    changed = np.abs(empty[centre].astype(int) - boat[centre]).max(axis=2) > 60
    assert changed.mean() > 0.08  # hull and sails cover a good part of the middle


def test_the_preview_label_and_caption_are_drawn_at_the_top():
    s = shot(caption="3. 雪夜森林", frames=1)
    labelled = render(s)[0]
    plain = render(s, AnimaticEngine(label=""))[0]
    bare = render(s.model_copy(update={"caption": ""}), AnimaticEngine(label=""))[0]
    strip = slice(0, H // 12)
    assert np.abs(labelled[strip].astype(int) - plain[strip]).mean() > 5
    assert np.array_equal(labelled[H // 6 :], plain[H // 6 :])  # only the strip changes
    tag = labelled[strip, : W // 8]
    assert ((tag[:, :, 0] > 200) & (tag[:, :, 2] < 90)).mean() > 0.3  # the amber PREVIEW tag
    assert np.abs(plain[strip].astype(int) - bare[strip]).mean() > 1  # the caption


def test_estimate_scales_with_frames_and_pixels():
    engine = AnimaticEngine()
    small, long, big = shot(frames=10), shot(frames=20), shot(frames=10, width=W * 2, height=H * 2)
    assert 0 < engine.estimate_seconds(small) < engine.estimate_seconds(long)
    assert engine.estimate_seconds(big) == pytest.approx(4 * engine.estimate_seconds(small))


def test_an_unknown_camera_move_is_drawn_as_a_still():
    frames = render(shot(camera="dolly_zoom", frames=3))
    assert len(frames) == 3 and np.array_equal(frames[0], frames[-1])
