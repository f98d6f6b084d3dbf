"""Stage 4, render: Shot → clip, cached by the shot's hash (the same shot is never rendered twice), with
progress, an ETA and live previews for the job, the keyframe safety check, and the engines built once
from their presets through the registry."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.jobs import JobContext
from app.moderation_store import ContentGuard
from app.settings import Settings
from models.ffmpeg import encode_h264
from models.registry import EngineContext, Registry
from models.video.base import Cancelled, Shot, VideoEngine
from storage.media import MediaStore
from storage.projects import ProjectStore
from storage.tables import ClipRow, User


class Rendering:
    def __init__(
        self, settings: Settings, registry: Registry, store: ProjectStore, media: MediaStore, guard: ContentGuard
    ) -> None:
        self.settings, self.registry, self.store, self.media, self.guard = settings, registry, store, media, guard
        self._engines: dict[str, VideoEngine] = {}
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether any video engine holds model weights in memory now."""
        return any(e.loaded for e in self._engines.values())

    def engine(self, preset_name: str | None = None) -> VideoEngine:
        name = preset_name or self.settings.video.engine
        with self._lock:
            if name not in self._engines:
                # The preset's name travels with it, so an engine can name itself in messages
                # (e.g. the download command for its missing model).
                preset = {"name": name, **self.settings.video.presets[name].model_dump()}
                context = EngineContext(models_dir=self.settings.models_dir,
                                        frames_dir=self.settings.data_dir / "frames", base_dir=self.settings.base_dir)  # fmt: skip
                self._engines[name] = self.registry.build("video", preset, context)
            return self._engines[name]

    def render(
        self, owner: User, project_id: int, shots: list[Shot], ctx: JobContext, pinned: dict[int, ClipRow] | None = None
    ) -> list[ClipRow]:
        """A clip for every shot: pinned ones (locked scenes' kept clips, by index) and cached ones as they are,
        the others rendered (checking for a cancel between scenes). The engine prepares once for the shots it
        will render and unloads after the job."""
        n = len(shots)
        pinned = pinned or {}
        clips = [pinned.get(i) or self.store.cached_clip(owner.id, shot.content_hash()) for i, shot in enumerate(shots)]
        scene_ids = self.store.scene_ids(project_id)
        engine = self.engine(shots[0].engine) if shots else None
        to_render = [shot for shot, clip in zip(shots, clips, strict=True) if clip is None]
        try:
            if to_render:
                engine.prepare(to_render)  # e.g. run a text encoder once for the whole job, then free it
            for i, shot in enumerate(shots):
                if ctx.cancel.is_set():
                    raise Cancelled("render cancelled")
                if clips[i] is not None:
                    ctx.report((i + 1) / n * 0.9, "render_cached", force=True, scene=i + 1)
                    continue
                ctx.report(i / n * 0.9, "render_progress", force=True, scene=i + 1, total=n)
                on_frame = self._progress_reporter(ctx, engine, shot, i, n)
                clips[i] = self._render_clip(owner, project_id, scene_ids.get(i + 1), shot, ctx, on_frame)
        finally:
            if engine is not None:
                engine.unload()  # after each job the GPU's memory returns to its baseline
        return clips

    def _render_clip(
        self, owner: User, project_id: int, scene_id: int | None, shot: Shot, ctx: JobContext, on_frame
    ) -> ClipRow:
        engine = self.engine(shot.engine)
        dest = self.media.new_path(owner.id, "clips", ".mp4")

        def checked(frames):
            # The optional keyframe classifier sees each clip's first frame before anything is kept.
            for i, frame in enumerate(frames):
                if i == 0:
                    self.guard.check_keyframe(owner, frame, source="keyframe")
                yield frame

        with self.media.atomic(dest) as tmp:
            frames = engine.render(shot, progress=on_frame, cancel=ctx.cancel)
            count = encode_h264(checked(frames), tmp, shot.width, shot.height, shot.fps)
        return self.store.add_clip(
            ClipRow(
                user_id=owner.id,
                project_id=project_id,
                scene_id=scene_id,
                shot_hash=shot.content_hash(),
                file_path=self.media.relative(dest),
                engine=shot.engine,
                frame_rate=shot.fps,
                resolution=f"{shot.width}x{shot.height}",
                frames=count,
                duration_sec=count / shot.fps,
            )
        )

    @staticmethod
    def _progress_reporter(ctx: JobContext, engine: VideoEngine, shot: Shot, i: int, n: int) -> Callable:
        """Progress per step (or frame) with an ETA, and the engine's cheap preview as a small JPEG."""
        estimate = max(1.0, engine.estimate_seconds(shot))
        started = time.monotonic()

        def on_frame(done: int, total: int, preview) -> None:
            elapsed = time.monotonic() - started
            eta = elapsed / done * (total - done) if done else estimate
            ctx.report((i + done / max(1, total)) / n * 0.9, "render_progress_eta", scene=i + 1, total=n,
                       eta=int(eta + 0.5))  # fmt: skip
            if preview is not None:
                ctx.preview(preview)

        return on_frame
