"""The finishing pass of a rendered clip: frame interpolation (RIFE) then upscaling (Real-ESRGAN).

Interpolation runs first, at the rendered size: RIFE's cost grows with the pixel count, and the model was
trained at video sizes, so doubling the frames of a 480p clip is cheaper and better than doing it at 4× the
pixels. The upscaler then sees every frame, the new ones included.

The clip's duration never changes: k-fold interpolation gives k*T frames at k*fps (models/video/interpolate.py
says why), and upscaling keeps the frame count.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch

from models.video.finish_options import FinishOptions
from models.video.interpolate import Interpolator
from models.video.upscale import Upscaler

__all__ = ["FinishOptions", "FrameFinisher", "finish_frames"]


class FrameFinisher:
    """Holds the finishing networks between clips of a job (loaded on first use); `unload` frees them."""

    def __init__(self, options: FinishOptions, device: torch.device | str | None = None) -> None:
        if options.upscale_model != "animevideov3" and options.upscale not in (1, 4):
            raise ValueError(f"{options.upscale_model} upscales by 4 only; got {options.upscale}")
        self.options = options
        self.device = device  # None: models/vram.py's device
        self._interpolator: Interpolator | None = None
        self._upscaler: Upscaler | None = None

    def _models(self) -> tuple[Interpolator | None, Upscaler | None]:
        o = self.options
        if o.interpolate > 1 and self._interpolator is None:
            self._interpolator = Interpolator(self.device, half=o.half, batch=o.batch)
        if o.upscale > 1 and self._upscaler is None:
            self._upscaler = Upscaler(o.upscale, o.upscale_model, self.device, half=o.half)
        return self._interpolator, self._upscaler

    def stream(self, frames: np.ndarray) -> Iterator[np.ndarray]:
        """Yield the finished frames in order (for encode_h264, which takes an iterable, without holding them all)."""
        o = self.options
        interpolator, upscaler = self._models()
        source = interpolator.frames(frames, o.interpolate) if interpolator is not None else iter(frames)
        if upscaler is None:
            yield from source
            return
        chunk: list[np.ndarray] = []
        for frame in source:
            chunk.append(frame)
            if len(chunk) == o.batch:
                yield from upscaler.upscale(np.stack(chunk), tile=o.tile, overlap=o.overlap, batch=o.batch)
                chunk = []
        if chunk:
            yield from upscaler.upscale(np.stack(chunk), tile=o.tile, overlap=o.overlap, batch=o.batch)

    def finish(self, frames: np.ndarray, fps: int) -> tuple[np.ndarray, int]:
        """All finished frames as one array, and the fps to play them at (the duration is unchanged)."""
        frames = np.asarray(frames)
        if not self.options.active:
            return frames, fps
        h, w = frames.shape[1:3]
        ow, oh = self.options.output_size(w, h)
        out = np.empty((self.options.output_frames(len(frames)), oh, ow, 3), dtype=np.uint8)
        for i, frame in enumerate(self.stream(frames)):
            out[i] = frame
        return out, self.options.output_fps(fps)

    def unload(self) -> None:
        """Drop the networks; the caller then asks models/vram.release_memory() to give the card back."""
        self._interpolator = None
        self._upscaler = None


def finish_frames(
    frames: np.ndarray,
    fps: int,
    interpolate: int = 1,
    upscale: int = 1,
    device: torch.device | str | None = None,
    options: FinishOptions | None = None,
) -> tuple[np.ndarray, int]:
    """One clip's finishing pass: ([T,H,W,3] uint8, fps) → (frames, fps) with the same duration.

    `options` (e.g. from a video preset) wins over the interpolate/upscale shorthands.
    """
    opts = options or FinishOptions(interpolate=interpolate, upscale=upscale)
    return FrameFinisher(opts, device).finish(frames, fps)
