"""Stage 4, render: Shot → clip, cached by the shot's hash (the same shot is never rendered twice), with
progress, an ETA and live previews for the job, the keyframe safety check, and the engines built once
from their presets through the registry.

A final shot with a finishing pass (interpolation, upscaling) is rendered as its raw shot, whose clip is kept
and cached on its own, then finished from that clip (app/finish.py); a later change of the finish option
finds the raw clip cached and only finishes again.

Memory: the last engine used stays resident while the next job wants it (`release(keep=True)`); any other
is unloaded first. A scene that runs out of memory (CUDA or host) is retried once after the engine steps
down to its next lower memory policy (`VideoEngine.lower_memory_policy`), then fails with a message saying
what to change. With `[jobs] backend = "ray"` the scenes are rendered as Ray tasks (app/ray_render.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from app.finish import Finishing
from app.jobs import JobContext
from app.moderation_store import ContentGuard
from app.settings import Settings
from app.shots import clip_row
from models.errors import UserError
from models.ffmpeg import encode_h264
from models.registry import EngineContext, Registry
from models.video.base import Cancelled, Shot, VideoEngine
from storage.media import MediaStore
from storage.projects import ProjectStore
from storage.tables import ClipRow, User

log = logging.getLogger(__name__)


def is_out_of_memory(exc: BaseException) -> bool:
    """torch.OutOfMemoryError (CUDA), a host MemoryError, or an older torch's RuntimeError saying so; told
    apart by name, so the web process never imports torch to ask."""
    if isinstance(exc, MemoryError):
        return True
    if any(cls.__name__ == "OutOfMemoryError" for cls in type(exc).__mro__):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


class Rendering:
    def __init__(
        self, settings: Settings, registry: Registry, store: ProjectStore, media: MediaStore, guard: ContentGuard
    ) -> None:
        self.settings, self.registry, self.store, self.media, self.guard = settings, registry, store, media, guard
        self._engines: dict[str, VideoEngine] = {}
        self.finishing = Finishing(store, media, guard)
        self._lock = threading.Lock()
        self.out_of_memory = False  # a scene ran out of memory since the last release: unload, keep nothing

    @property
    def loaded(self) -> bool:
        """Whether any video engine holds model weights in memory now."""
        return any(e.loaded for e in self._engines.values())

    def loaded_names(self) -> list[str]:
        """The presets whose engines hold model weights in memory now."""
        return [name for name, engine in self._engines.items() if engine.loaded]

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

    def release(self, keep: bool = False) -> None:
        """After a job: keep the engines loaded when the next job wants them and memory allowed (no scene ran
        out of memory), otherwise unload them so the GPU's memory returns to its baseline."""
        if keep and self.settings.jobs.keep_engine_resident and not self.out_of_memory:
            return
        for engine in list(self._engines.values()):
            engine.unload()
        self.finishing.unload()
        self.out_of_memory = False

    def render(
        self,
        owner: User,
        project_id: int,
        shots: list[Shot],
        ctx: JobContext,
        numbers: list[int] | None = None,
        pinned: dict[int, ClipRow] | None = None,
    ) -> list[ClipRow]:
        """A clip for every shot (of the scenes `numbers`, default 1..n): pinned ones (locked scenes' kept clips,
        by scene number) and cached ones as they are, the others rendered, checking between scenes for a cancel
        and for another user's turn. The engine prepares once for the shots it will render; the caller releases
        it after the job (`release`)."""
        n = len(shots)
        numbers = numbers or list(range(1, n + 1))
        pinned = pinned or {}
        clips = [pinned.get(number) or self.store.cached_clip(owner.id, shot.content_hash())
                 for number, shot in zip(numbers, shots, strict=True)]  # fmt: skip
        # A shot to finish whose finished clip is missing may still have its raw clip: then nothing is rendered.
        raws = [self.store.cached_clip(owner.id, shot.raw().content_hash()) if clip is None and shot.finishing
                else None for shot, clip in zip(shots, clips, strict=True)]  # fmt: skip
        scene_ids = self.store.scene_ids(project_id)
        engine = self.engine(shots[0].engine) if shots else None
        for other in list(self._engines.values()):  # only the engine in use stays resident
            if other is not engine:
                other.unload()
        missing = [i for i in range(n) if clips[i] is None and raws[i] is None]
        to_render = [shots[i].raw() for i in missing]  # the engine never sees a finish
        if to_render and self.settings.jobs.backend == "ray":
            from app.ray_render import render_on_ray

            made = render_on_ray(self, owner, project_id, to_render,
                                 [(numbers[i], scene_ids.get(numbers[i])) for i in missing], ctx)  # fmt: skip
            for i, clip in zip(missing, made, strict=True):
                if shots[i].finishing:
                    raws[i] = clip  # finished below, here: the finishing pass runs in this worker
                else:
                    clips[i] = clip
        elif to_render:
            engine.prepare(to_render)  # e.g. run a text encoder once for the whole job, then free it
        worked = 0
        for i, shot in enumerate(shots):
            if ctx.cancel.is_set():
                raise Cancelled("render cancelled")
            if clips[i] is not None:
                ctx.report((i + 1) / n * 0.9, "render_cached", force=True, scene=numbers[i])
                continue
            if worked:
                ctx.turn_over()  # another user waiting gets the worker now; this job resumes from here
            worked += 1
            ctx.report(i / n * 0.9, "render_progress", force=True, scene=numbers[i], total=n)
            # A scene to render and finish gives the engine the first 60 % of its share, the finishing the rest.
            split = 0.6 if raws[i] is None and shot.finishing else (1.0 if raws[i] is None else 0.0)
            if raws[i] is None:
                on_frame = self._progress_reporter(ctx, engine, shot.raw(), i, n, numbers[i], split)
                raw = self._render_with_ladder(owner, project_id, scene_ids.get(numbers[i]), numbers[i], shot.raw(),
                                               ctx, on_frame)  # fmt: skip
                if not shot.finishing:
                    clips[i] = raw
                    continue
                raws[i] = raw

            def on_finish(done: int, total: int, eta: float, i: int = i, lo: float = split) -> None:
                share = lo + (1 - lo) * done / max(1, total)
                ctx.report((i + share) / n * 0.9, "finish_progress", scene=numbers[i], total=n, eta=int(eta + 0.5))

            clips[i] = self._finish_clip(engine, owner, project_id, scene_ids.get(numbers[i]), numbers[i], shot,
                                         raws[i], ctx, on_finish)  # fmt: skip
        return clips

    def _finish_clip(
        self, engine: VideoEngine | None, owner: User, project_id: int, scene_id: int | None, number: int,
        shot: Shot, raw: ClipRow, ctx: JobContext, on_finish: Callable,
    ) -> ClipRow:  # fmt: skip
        """Finish one scene's raw clip; out of memory (a ×4 upscale beside a resident video model), unload the
        engine and the finishing networks and try once more, then fail with what to change."""
        for attempt in (1, 2):
            try:
                return self.finishing.finish(owner, project_id, scene_id, number, shot, raw, ctx.cancel, on_finish)
            except Exception as exc:
                if not is_out_of_memory(exc):
                    raise
                self.out_of_memory = True
                log.warning("finishing scene %d ran out of memory (%s)%s", number, type(exc).__name__,
                            "; retrying without the video model in memory" if attempt == 1 else "")  # fmt: skip
                if attempt == 2:
                    raise UserError("render_out_of_memory", scene=number, engine=shot.engine) from None
                if engine is not None:
                    engine.unload()
                self.finishing.unload()
        raise AssertionError("unreachable")

    def _render_with_ladder(
        self, owner: User, project_id: int, scene_id: int | None, number: int, shot: Shot, ctx: JobContext, on_frame
    ) -> ClipRow:
        """Render one scene; on running out of memory, step the engine down one memory policy and try once
        more, then fail with what to change."""
        engine = self.engine(shot.engine)
        try:
            return self._render_clip(owner, project_id, scene_id, shot, ctx, on_frame, number)
        except Exception as exc:
            if not is_out_of_memory(exc):
                raise
            self.out_of_memory = True
            lowered = engine.lower_memory_policy()
            log.warning("scene %d ran out of memory (%s); %s", number, type(exc).__name__,
                        "retrying with a lower memory policy" if lowered else "no lower policy left")  # fmt: skip
            if not lowered:
                raise UserError("render_out_of_memory", scene=number, engine=shot.engine) from None
        try:
            return self._render_clip(owner, project_id, scene_id, shot, ctx, on_frame, number)
        except Exception as exc:
            if not is_out_of_memory(exc):
                raise
            log.warning("scene %d ran out of memory again at the lower policy", number)
            raise UserError("render_out_of_memory", scene=number, engine=shot.engine) from None

    def _render_clip(
        self, owner: User, project_id: int, scene_id: int | None, shot: Shot, ctx: JobContext, on_frame,
        scene_number: int,
    ) -> ClipRow:  # fmt: skip
        engine = self.engine(shot.engine)
        dest = self.media.new_path(owner.id, "clips", ".mp4")
        with self.media.atomic(dest) as tmp:
            frames = engine.render(shot, progress=on_frame, cancel=ctx.cancel)
            count = encode_h264(frames, tmp, shot.width, shot.height, shot.fps)
            # Keyframe safety check before the clip is kept: a flagged clip never reaches the film or the cache.
            self.guard.check_clip(owner, scene_number, tmp)
        return self.add_clip(owner, project_id, scene_id, shot, dest, count)

    def add_clip(self, owner: User, project_id: int, scene_id: int | None, shot: Shot, dest, frames: int) -> ClipRow:
        """The row of a clip kept at `dest` (rendered here or sent back by a Ray task)."""
        path = self.media.relative(dest)
        return self.store.add_clip(
            clip_row(owner.id, project_id, scene_id, shot, path, frames, shot.fps, shot.width, shot.height)
        )

    @staticmethod
    def _progress_reporter(
        ctx: JobContext, engine: VideoEngine, shot: Shot, i: int, n: int, number: int, share: float = 1.0
    ) -> Callable:
        """Progress per step (or frame) with an ETA, and the engine's cheap preview as a small JPEG. The
        engine's part of the scene is `share` of it (the rest is its finishing pass)."""
        estimate = max(1.0, engine.estimate_seconds(shot))
        started = time.monotonic()

        def on_frame(done: int, total: int, preview) -> None:
            elapsed = time.monotonic() - started
            eta = elapsed / done * (total - done) if done else estimate
            ctx.report((i + share * done / max(1, total)) / n * 0.9, "render_progress_eta", scene=number, total=n,
                       eta=int(eta + 0.5))  # fmt: skip
            if preview is not None:
                ctx.preview(preview)

        return on_frame
