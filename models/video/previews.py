"""Live previews of a render: which decoder makes them, and how often, so that they never slow a step by
more than the preset's budget (5 % by default).

A preview is made every `preview_every` steps and at the last step. The cadence stretches on its own when
previews turn out dear: after each preview the time it took is compared with the steps' average, and the
next one waits until its cost, spread over the steps since the last, is within budget. On a GPU the TAEHV
decoder costs milliseconds against a step's seconds, so the preset's cadence holds; on a slow CPU it thins.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from models.video.frames import Layout, latent_preview

log = logging.getLogger(__name__)

PREVIEW_SIDE = 256  # the long side a preview is decoded at, at most (the UI shows it small)


class PreviewCadence:
    """Decides at which steps a preview is made. `clock` is time.perf_counter unless a test passes its own."""

    def __init__(self, every: int, total: int, budget: float = 0.05, clock: Any = time.perf_counter) -> None:
        self.every, self.total, self.budget, self.clock = every, total, budget, clock
        self.last = 0  # the step of the last preview
        self.gap = every  # steps the next preview waits for (grows when previews are dear)
        self._start = clock()
        self._preview_s = 0.0  # time spent on previews so far

    def due(self, step: int) -> bool:
        return step == self.total or step - self.last >= self.gap

    def record(self, step: int, seconds: float) -> None:
        """A preview at `step` took `seconds`: keep its cost within budget of the steps' own time."""
        self._preview_s += seconds
        self.last = step
        steps_s = max(self.clock() - self._start - self._preview_s, 1e-9) / max(step, 1)
        self.gap = max(self.every, math.ceil(seconds / (self.budget * steps_s)))

    @property
    def overhead(self) -> float:
        """Time spent on previews as a fraction of the steps' own time, so far."""
        elapsed = self.clock() - self._start
        return self._preview_s / max(elapsed - self._preview_s, 1e-9)


class Previewer:
    """Turns the latents of a step into a small RGB image: TAEHV when its weights are there, else a fixed
    projection of the latent channels (no weights, no download)."""

    def __init__(self, layout: Layout, kind: str = "auto", weights: Path | None = None) -> None:
        self.layout, self.kind, self.weights = layout, kind, weights
        self._decoder: Any = None
        self._decoder_key: tuple | None = None
        self.used = "none" if kind == "none" else "latent"

    def _tiny_decoder(self, channels: int, hw: tuple[int, int], device: Any) -> Any:
        from models.video.taehv import load_decoder, space_stages

        stages = space_stages(hw, PREVIEW_SIDE)
        key = (channels, stages, str(device))
        if self._decoder_key != key:
            self._decoder = load_decoder(self.weights, channels, stages, device)  # type: ignore[arg-type]
            self._decoder_key = key
        return self._decoder

    def wants_taehv(self) -> bool:
        if self.kind in ("none", "latent"):
            return False
        present = self.weights is not None and self.weights.is_file()
        if not present and self.kind == "taehv":
            log.info("preview decoder %s is missing (python launch.py --download): latent projection", self.weights)
            self.kind = "auto"  # said once
        return present

    def image(self, latents: Any, grid: tuple[int, int, int] | None) -> np.ndarray | None:
        if self.kind == "none" or latents is None:
            return None
        if self.wants_taehv() and self.layout != "packed":
            try:
                frames = _as_ntchw(latents, self.layout)
                decoder = self._tiny_decoder(frames.shape[2], tuple(frames.shape[3:]), frames.device)
                from models.video.taehv import decode_preview

                self.used = "taehv"
                return decode_preview(decoder, frames)
            except (ValueError, RuntimeError, OSError) as exc:  # wrong weights for this model: say so once
                log.warning("preview decoder %s cannot decode these latents (%s): latent projection", self.weights, exc)
                self.kind = "latent"
        self.used = "latent"
        return latent_preview(latents, self.layout, grid)

    def close(self) -> None:
        self._decoder = self._decoder_key = None


def _as_ntchw(latents: Any, layout: Layout) -> Any:
    x = latents.detach()
    return x.permute(0, 2, 1, 3, 4) if layout == "bcfhw" else x
