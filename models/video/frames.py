"""Frame arithmetic shared by the video engines: each model's size and frame grid, exact clip lengths,
crops that never stretch a face, colour continuity between clips and a cheap latent preview."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
from PIL import Image

Layout = Literal["bcfhw", "bfchw", "packed"]


def snap(value: int, multiple: int) -> int:
    return max(multiple, int(round(value / multiple)) * multiple)


def frames_for(requested: int, multiple: int, max_frames: int, fixed: bool) -> int:
    """The smallest valid frame count ≥ requested (k·multiple + 1), capped at the model's maximum."""
    if multiple <= 0:
        n = requested
    else:
        top = (max_frames - 1) // multiple * multiple + 1
        if fixed:
            return top
        n = math.ceil(max(requested - 1, 0) / multiple) * multiple + 1
        return min(n, top)
    return min(n, max_frames)


def retime(frames: np.ndarray, count: int) -> np.ndarray:
    """Exactly `count` frames: trim when there are more, blend neighbours (slow motion) when fewer."""
    n = len(frames)
    if n >= count:
        return frames[:count]
    pos = np.linspace(0, n - 1, count)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = (pos - lo)[:, None, None, None]
    return frames[lo] * (1 - w) + frames[hi] * w


def resample(frames: np.ndarray, src_fps: float, count: int, dst_fps: float) -> np.ndarray:
    """Exactly `count` frames at `dst_fps` from a clip made at `src_fps`, keeping the motion's speed (a model
    renders at the rate it was trained at; the film has its own). A clip too short for the scene is
    stretched over it (slow motion), as `retime` does; equal rates and enough frames trim, as `retime` does."""
    n = len(frames)
    step = src_fps / dst_fps
    if (count - 1) * step <= n - 1:
        pos = np.arange(count) * step
    else:
        pos = np.linspace(0, n - 1, count)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = (pos - lo)[:, None, None, None]
    if not w.any():
        return frames[lo]
    return frames[lo] * (1 - w) + frames[hi] * w


def fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Centre-crop to the target aspect, then resize (never stretches a face)."""
    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return frame
    target = width / height
    if w / h > target:
        cw = int(round(h * target))
        x = (w - cw) // 2
        frame = frame[:, x : x + cw]
    elif w / h < target:
        ch = int(round(w / target))
        y = (h - ch) // 2
        frame = frame[y : y + ch]
    interp = cv2.INTER_AREA if frame.shape[1] > width else cv2.INTER_CUBIC
    return cv2.resize(frame, (width, height), interpolation=interp)


def colour_match(frames: np.ndarray, reference: np.ndarray, strength: float = 1.0) -> np.ndarray:
    """Move the clip's colour statistics to the reference frame's (per-channel mean/std in LAB).

    Statistics are taken over the whole clip, so every frame gets the same shift and nothing flickers.
    frames: (F, H, W, 3) uint8 RGB; reference: (h, w, 3) uint8 RGB. Returns uint8 frames.
    """
    if strength <= 0:
        return frames
    lab = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2LAB) for f in frames]).astype(np.float32)
    ref = cv2.cvtColor(reference, cv2.COLOR_RGB2LAB).astype(np.float32)
    mean, std = lab.reshape(-1, 3).mean(0), lab.reshape(-1, 3).std(0) + 1e-3
    rmean, rstd = ref.reshape(-1, 3).mean(0), ref.reshape(-1, 3).std(0) + 1e-3
    matched = (lab - mean) * (rstd / std) + rmean
    out = lab + strength * (matched - lab)
    out = np.clip(out, 0, 255).astype(np.uint8)
    return np.stack([cv2.cvtColor(f, cv2.COLOR_LAB2RGB) for f in out])


def latent_preview(
    latents: Any, layout: Layout, grid: tuple[int, int, int] | None, size: int = 96
) -> np.ndarray | None:
    """A cheap RGB glimpse of the latents (no VAE): the middle frame's channels projected to RGB."""
    x = latents.detach()[0].float().cpu()
    if layout == "packed":  # (tokens, C) → (F, H, W, C) with the latent grid
        if grid is None or grid[0] * grid[1] * grid[2] != x.shape[0]:
            return None
        x = x.reshape(*grid, -1)[grid[0] // 2].permute(2, 0, 1)
    elif layout == "bcfhw":
        x = x[:, x.shape[1] // 2]
    else:  # bfchw
        x = x[x.shape[0] // 2]
    c = x.shape[0]
    # A fixed projection per channel count keeps the preview's colours stable from step to step.
    proj = np.random.default_rng(c).standard_normal((3, c)).astype(np.float32)
    rgb = np.einsum("kc,chw->hwk", proj, x.numpy())
    lo, hi = np.percentile(rgb, 2), np.percentile(rgb, 98)
    img = np.clip((rgb - lo) / max(hi - lo, 1e-6) * 255, 0, 255).astype(np.uint8)
    scale = max(1, size // max(img.shape[:2]))
    return np.repeat(np.repeat(img, scale, 0), scale, 1)


def save_png(frame: np.ndarray, path: Path) -> None:
    tmp = path.with_suffix(".tmp.png")
    Image.fromarray(frame).save(tmp)
    tmp.replace(path)  # atomic: a half-written frame never starts the next scene
