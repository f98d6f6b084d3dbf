"""Stage 4b, finish: a rendered (raw) clip → its finished clip (RIFE frame interpolation, Real-ESRGAN
upscaling), in the render stage, inside the render worker.

The finished clip is derived from the raw one and never from the engine: the raw clip is kept under its own
shot hash (`Shot.raw()`), so changing the finish option in settings.toml or the Film tab re-runs only this
pass, and the finished clip is cached under the finished shot's hash (the raw identity plus the finish's),
which is what assembly looks up. The duration is exact: k-fold interpolation gives k·T frames at k·fps, and
upscaling keeps the frame count (models/video/postprocess.py).

The raw clip is read back from its H.264 file (one more generation of the same CRF 20 encode) rather than
kept as lossless frames: a 5 s 480p clip would be ~100 MB of raw frames per scene on disk.

The networks (models/video/postprocess.py) are loaded on the first clip of a job and kept between clips;
`unload` frees them with the engine after the job. They run on the render device (models/vram.py), the CPU
when there is no GPU: real and slow at full size (bench/interpolate.py prints frames per second).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np

from app.moderation_store import ContentGuard
from app.shots import clip_row
from models.ffmpeg import encode_h264, read_frames
from models.video.base import Cancelled, Shot
from models.video.finish_options import FinishOptions
from storage.media import MediaStore
from storage.projects import ProjectStore
from storage.tables import ClipRow, User

log = logging.getLogger(__name__)

# progress(done, total, eta_seconds): output frames finished so far of the clip's total.
FinishProgress = Callable[[int, int, float], None]


def clip_size(clip: ClipRow) -> tuple[int, int]:
    width, _, height = clip.resolution.partition("x")
    return int(width), int(height)


class Finishing:
    def __init__(self, store: ProjectStore, media: MediaStore, guard: ContentGuard) -> None:
        self.store, self.media, self.guard = store, media, guard
        self._finisher = None  # models.video.postprocess.FrameFinisher, imported on first use (torch)
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._finisher is not None

    def _for(self, options: FinishOptions):
        from models.video.postprocess import FrameFinisher

        with self._lock:
            if self._finisher is None or self._finisher.options != options:
                self.unload()
                self._finisher = FrameFinisher(options)
            return self._finisher

    def unload(self) -> None:
        """Drop the networks and give their memory back (after a job, with the engine)."""
        if self._finisher is None:
            return
        self._finisher.unload()
        self._finisher = None
        from models.vram import release_memory

        release_memory()

    def finish(
        self,
        owner: User,
        project_id: int,
        scene_id: int | None,
        number: int,
        shot: Shot,
        raw: ClipRow,
        cancel: threading.Event,
        progress: FinishProgress | None = None,
    ) -> ClipRow:
        """The finished clip of `shot` made from its raw clip, checked like any clip and kept under the
        shot's own hash. Raises Cancelled between frames when `cancel` is set (nothing partial is kept)."""
        options = shot.finish
        assert options is not None and options.active, "finish() needs a shot with an active finish"
        width, height = clip_size(raw)
        frames = read_frames(self.media.resolve(raw.file_path), width, height)
        out_w, out_h = options.output_size(width, height)
        fps = options.output_fps(raw.frame_rate)
        total = options.output_frames(len(frames))
        finisher = self._for(options)
        started = time.monotonic()
        log.info("finishing scene %d: %d frames %dx%d@%d → %d frames %dx%d@%d", number, len(frames), width, height,
                 raw.frame_rate, total, out_w, out_h, fps)  # fmt: skip

        def watched(source: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
            for done, frame in enumerate(source, 1):
                if cancel.is_set():
                    raise Cancelled("render cancelled")
                yield frame
                if progress is not None:
                    elapsed = time.monotonic() - started
                    progress(done, total, elapsed / done * (total - done))

        dest = self.media.new_path(owner.id, "clips", ".mp4")
        with self.media.atomic(dest) as tmp:
            count = encode_h264(watched(finisher.stream(frames)), tmp, out_w, out_h, fps)
            # The film is made of this clip: it gets the same keyframe check as every clip that reaches one.
            self.guard.check_clip(owner, number, tmp)
        log.info("scene %d finished in %.1f s", number, time.monotonic() - started)
        path = self.media.relative(dest)
        return self.store.add_clip(clip_row(owner.id, project_id, scene_id, shot, path, count, fps, out_w, out_h))
