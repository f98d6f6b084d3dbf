"""The finishing pass: interpolation and upscaling keep a clip's duration exact once encoded."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from models.ffmpeg import encode_h264, probe
from models.video.postprocess import FinishOptions, FrameFinisher, finish_frames
from tests.test_assemble import count_frames

FPS, T, H, W = 8, 9, 64, 96


def moving_square_clip() -> np.ndarray:
    frames = np.full((T, H, W, 3), 40, np.uint8)
    for i in range(T):
        frames[i, 20:36, 4 + 8 * i : 20 + 8 * i] = (220, 180, 60)
    return frames


def encoded(frames: np.ndarray, fps: int, path):
    encode_h264(iter(frames), path, frames.shape[2], frames.shape[1], fps)
    return probe(path), count_frames(path)


@pytest.mark.parametrize(
    ("interpolate", "upscale"), [(2, 1), (4, 1), (1, 2), (1, 4), (2, 2)], ids=["rife2", "rife4", "up2", "up4", "both"]
)
def test_the_finished_clip_lasts_exactly_as_long_as_the_rendered_one(tmp_path, interpolate, upscale):
    clip = moving_square_clip()
    source, source_count = encoded(clip, FPS, tmp_path / "source.mp4")
    frames, fps = finish_frames(clip, FPS, interpolate=interpolate, upscale=upscale, device="cpu")
    assert fps == FPS * interpolate
    assert frames.shape == (T * interpolate, H * upscale, W * upscale, 3)
    info, count = encoded(frames, fps, tmp_path / "finished.mp4")
    assert count == T * interpolate and source_count == T
    assert (info.width, info.height) == (W * upscale, H * upscale)
    assert info.fps == pytest.approx(fps)
    # The container reports durations to 1/100 s; both must equal T / FPS, not merely each other.
    assert info.duration == pytest.approx(T / FPS, abs=0.011)
    assert source.duration == pytest.approx(info.duration, abs=0.011)


def test_streamed_frames_equal_the_finished_array():
    clip = moving_square_clip()
    opts = FinishOptions(interpolate=2, upscale=2, batch=3, tile=32)
    finisher = FrameFinisher(opts, "cpu")
    streamed = np.stack(list(finisher.stream(clip)))
    whole, fps = finisher.finish(clip, FPS)
    assert fps == 2 * FPS and np.array_equal(streamed, whole)


def test_inactive_options_return_the_clip_untouched():
    clip = moving_square_clip()
    frames, fps = finish_frames(clip, FPS)
    assert frames is clip and fps == FPS


def test_options_are_typed_and_refuse_what_the_models_cannot_do():
    assert FinishOptions.model_validate({"interpolate": 2, "upscale": 4}).output_size(832, 480) == (3328, 1920)
    for bad in ({"interpolate": 3}, {"upscale": 8}, {"tile": -1}, {"sharpen": True}):
        with pytest.raises(ValidationError):
            FinishOptions.model_validate(bad)
    with pytest.raises(ValueError, match="by 4 only"):
        FrameFinisher(FinishOptions(upscale=2, upscale_model="x4plus"))
