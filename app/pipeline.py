"""The studio's pipeline, in-process: idea → Storyboard → Shots → Clips → Film, each step persisted.

`Studio` is the one object the UI and the API call. It owns the database, the media store, the engine
registry and the job runner, and it checks ownership on every project it touches.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import col, select

from app.accounts import Accounts
from app.assemble import AssemblyOptions, ClipFacts, ClipPart, assemble, inspect_clips, plan_timeline, total_frames
from app.jobs import JobContext, JobRunner
from app.moderation_store import ContentGuard
from app.settings import Settings
from models.errors import UserError
from models.ffmpeg import encode_h264
from models.music import music_bed
from models.narrator import NarrationError, Narrator, build_narrator, wav_seconds
from models.registry import EngineContext, Registry, load_registry
from models.storyboard import MAX_SECONDS, Camera, Character, Scene, Storyboard, Transition
from models.video.base import Cancelled, Shot, VideoEngine
from models.video.diffusion import chain_frame_name
from models.writers import edit
from models.writers.base import PlannerWriter, StoryboardWriter
from models.writers.llm import LLMOptions, LLMUnavailable, LLMWriter, writer_unavailable
from models.writers.planner import PlannerOptions
from models.writers.prompts import NEGATIVE_PROMPT, is_multilingual, scene_prompt
from storage import tables
from storage.db import Database
from storage.media import MediaStore
from storage.tables import Clip, Film, Job, Project, User, now

log = logging.getLogger(__name__)

# Quiet after a narration line before the next scene (and its narration) begins.
NARRATION_GAP_SECONDS = 0.25


def storyboard_texts(board: Storyboard) -> dict[str, str]:
    """Every text of a storyboard by field name, so a moderation verdict can name the cell."""
    texts = {"title": board.title, "style": board.style}
    for i, c in enumerate(board.characters, 1):
        texts[f"character{i}"] = f"{c.name}: {c.look}"
    for scene in board.scenes:
        texts[f"scene{scene.number}.description"] = scene.description
        texts[f"scene{scene.number}.narration"] = scene.narration
    return texts


class Studio:
    def __init__(self, settings: Settings, registry: Registry | None = None) -> None:
        self.settings = settings
        data = settings.data_dir
        self.db = Database(data / "storyreel.db")
        self.media = MediaStore(data / "media")
        self.media.clean_partials()  # leftovers of a crash are never shown as results
        self.accounts = Accounts(self.db, data / "jwt.secret")
        self.registry = registry or load_registry()
        self.guard = ContentGuard(self.db, settings.moderation, self.registry, EngineContext(settings.models_dir))
        self._engines: dict[str, VideoEngine] = {}
        # Facts of clips already read (size, codec parameters), by file identity: re-assembly skips reading.
        self._clip_facts: dict[tuple[str, int, int], ClipFacts] = {}
        self._engine_lock = threading.Lock()
        self._narrator: Narrator | None = None  # built on first use; keeps its loaded voices
        self._writers: dict[str, StoryboardWriter] = {}  # each holds its loaded model
        self._writer_lock = threading.Lock()
        self.jobs = JobRunner(
            self.db, {"render": self._render_job}, workers=settings.jobs.workers, preview_dir=data / "previews"
        )

    def start(self) -> None:
        self.jobs.start()

    def close(self) -> None:
        self.jobs.stop()
        self.db.close()

    @property
    def llm_loaded(self) -> bool:
        return False  # the deterministic planner needs no model

    @property
    def video_loaded(self) -> bool:
        return any(name != "animatic" for name in self._engines)

    # -- users ----------------------------------------------------------------------------------------
    def local_user(self) -> User:
        """The single creator who works without login on localhost (created on first use)."""
        name = self.settings.auth.local_user
        with self.db.session() as s:
            user = s.exec(select(User).where(User.username == name)).first()
            if user is None:
                user = User(username=name, role="admin")
                s.add(user)
                s.commit()
                s.refresh(user)
            return user

    def user_named(self, username: str | None) -> User | None:
        """The active user with this name (a disabled one is nobody)."""
        user = self.accounts.by_name(username)
        return user if user is not None and user.active else None

    # -- projects -------------------------------------------------------------------------------------
    def _planner_options(self) -> PlannerOptions:
        sb, r = self.settings.storyboard, self.settings.render
        return PlannerOptions(
            min_scenes=sb.min_scenes,
            max_scenes=sb.max_scenes,
            default_seconds=sb.default_scene_seconds,
            fps=r.fps,
            seed=r.seed,
            target_seconds=sb.target_seconds or None,
        )

    def writer(self, name: str | None = None) -> StoryboardWriter:
        """The configured storyboard writer, built once; an LLM writer loads its model on first use."""
        name = name or self.settings.storyboard.writer
        with self._writer_lock:
            if name not in self._writers:
                if name == "planner":
                    self._writers[name] = PlannerWriter()
                else:
                    preset = self.settings.storyboard.presets.get(name)
                    if preset is None:
                        raise UserError("writer_unavailable", detail=f"no writer preset named {name!r}")
                    options = LLMOptions(**preset.model_dump(exclude={"label"}))
                    self._writers[name] = LLMWriter(
                        options, base_dir=self.settings.base_dir, cache_dir=self.settings.models_dir / "storyboard"
                    )
            return self._writers[name]

    def stream_storyboard(self, idea: str, target_seconds: float | None = None) -> Iterator[Storyboard]:
        """Storyboards holding the scenes written so far (valid at every step); the last is the finished one."""
        options = self._planner_options()
        if target_seconds:
            try:
                options = PlannerOptions(**{**options.model_dump(), "target_seconds": float(target_seconds)})
            except (ValidationError, TypeError, ValueError):
                raise UserError("target_invalid", low=3, high=600) from None
        try:
            yield from self.writer().stream(idea, options)
        except LLMUnavailable as err:
            raise writer_unavailable(err) from None

    def write_storyboard(self, idea: str, target_seconds: float | None = None) -> Storyboard:
        board = None
        for board in self.stream_storyboard(idea, target_seconds):  # noqa: B007 (the last one is the result)
            pass
        return board

    def create_project(
        self, user: User, idea: str, confirmed: bool = False, source: str = "idea"
    ) -> tuple[Project, Storyboard]:
        project = board = None
        for project, board in self.create_project_stream(user, idea, confirmed, source):  # noqa: B007
            pass
        return project, board

    def create_project_stream(
        self, user: User, idea: str, confirmed: bool = False, source: str = "idea"
    ) -> Iterator[tuple[Project | None, Storyboard]]:
        """(None, partial storyboard) while the writer works, then (the new project, final storyboard).
        The idea is checked before writing and the finished storyboard before anything is stored."""
        self.guard.check(user, {"idea": idea or ""}, source, confirmed)
        board = None
        for board in self.stream_storyboard(idea):
            yield None, board
        self.guard.check(user, storyboard_texts(board), "storyboard", confirmed)
        with self.db.session() as s:
            project = Project(
                user_id=user.id, prompt=idea.strip(), title=board.title, language=board.language, style=board.style
            )
            s.add(project)
            s.commit()
            s.refresh(project)
        self._store_storyboard(user, project.id, board)
        yield self.project(user, project.id), board

    def edit_storyboard(self, user: User, project_id: int, operation: str, **params: object) -> Storyboard:
        """Apply one edit (add, delete, move, split, merge, replace) and save; UserError when refused."""
        operations = {
            "add": edit.add_scene,
            "delete": edit.delete_scene,
            "move": edit.move_scene,
            "split": edit.split_scene,
            "merge": edit.merge_scenes,
            "replace": edit.replace_scene,
        }
        if operation not in operations:
            raise UserError("storyboard_invalid", detail=f"unknown edit {operation!r}")
        board = self.storyboard(user, project_id)
        try:
            changed = operations[operation](board, **params)
        except TypeError as err:  # wrong parameters for the operation
            raise UserError("storyboard_invalid", detail=str(err)) from None
        return self.save_storyboard(user, project_id, changed)

    def rewrite_scene(self, user: User, project_id: int, number: int, instruction: str) -> Storyboard:
        """Scene `number` rewritten by the configured writer following the instruction, then saved."""
        board = self.storyboard(user, project_id)
        try:
            changed = self.writer().rewrite_scene(board, number, instruction, self._planner_options())
        except LLMUnavailable as err:
            raise writer_unavailable(err) from None
        return self.save_storyboard(user, project_id, changed)

    def project(self, user: User, project_id: int) -> Project:
        """The project if this user may see it (its owner, or an admin); UserError otherwise."""
        with self.db.session() as s:
            project = s.get(Project, int(project_id)) if project_id is not None else None
        if project is None or (project.user_id != user.id and user.role != "admin"):
            raise UserError("project_missing")
        return project

    def projects(self, user: User) -> list[Project]:
        query = select(Project).order_by(col(Project.id).desc())
        if user.role != "admin":
            query = query.where(Project.user_id == user.id)
        with self.db.session() as s:
            return list(s.exec(query).all())

    def storyboard(self, user: User, project_id: int) -> Storyboard:
        project = self.project(user, project_id)
        with self.db.session() as s:
            rows = s.exec(
                select(tables.Scene).where(tables.Scene.project_id == project.id).order_by(tables.Scene.scene_number)
            ).all()
        if not rows:
            raise UserError("storyboard_empty")
        scenes = [
            Scene(
                number=r.scene_number,
                description=r.description,
                narration=r.narration,
                duration=r.duration_sec,
                camera=Camera(json.loads(r.camera_settings or "{}").get("move", "static")),
                transition=Transition(r.transition),
                seed=r.seed,
            )
            for r in rows
        ]
        characters = [Character(**c) for c in json.loads(project.characters_json or "[]")]
        return Storyboard(
            title=project.title or "Untitled",
            language=project.language,
            style=project.style,
            characters=characters,
            scenes=scenes,
        )

    def save_storyboard(self, user: User, project_id: int, board: Storyboard, confirmed: bool = False) -> Storyboard:
        """Check every cell of an edited storyboard, then store it."""
        self.project(user, project_id)
        self.guard.check(user, storyboard_texts(board), "edit", confirmed)
        return self._store_storyboard(user, project_id, board)

    def _store_storyboard(self, user: User, project_id: int, board: Storyboard) -> Storyboard:
        """Replace the project's scenes with the board's (already validated by its type)."""
        project = self.project(user, project_id)
        board = board.renumbered()
        with self.db.session() as s:
            existing = {
                r.scene_number: r
                for r in s.exec(select(tables.Scene).where(tables.Scene.project_id == project.id)).all()
            }
            for scene in board.scenes:
                row = existing.pop(scene.number, None) or tables.Scene(project_id=project.id, scene_number=scene.number)
                row.description, row.narration, row.duration_sec = scene.description, scene.narration, scene.duration
                row.camera_settings = json.dumps({"move": scene.camera.value})
                row.transition, row.seed, row.last_modified_at = scene.transition.value, scene.seed, now()
                s.add(row)
            for row in existing.values():  # scenes removed by the edit; their clips stay cached
                for clip in s.exec(select(Clip).where(Clip.scene_id == row.id)).all():
                    clip.scene_id = None
                    s.add(clip)
                s.delete(row)
            p = s.get(Project, project.id)
            p.title, p.language, p.style = board.title, board.language, board.style
            p.characters_json = json.dumps([c.model_dump() for c in board.characters], ensure_ascii=False)
            p.last_modified_at = now()
            s.add(p)
            s.commit()
        return board

    # -- rendering ------------------------------------------------------------------------------------
    def engine(self, preset_name: str | None = None) -> VideoEngine:
        name = preset_name or self.settings.video.engine
        with self._engine_lock:
            if name not in self._engines:
                # The preset's name travels with it, so an engine can name itself in messages
                # (e.g. the download command for its missing model).
                preset = {"name": name, **self.settings.video.presets[name].model_dump()}
                context = EngineContext(
                    models_dir=self.settings.models_dir, frames_dir=self.settings.data_dir / "frames"
                )
                self._engines[name] = self.registry.build_video_engine(preset, context)
            return self._engines[name]

    def shots(self, board: Storyboard, quality: str | None = None) -> list[Shot]:
        """One Shot per scene: the scene plus the project's render settings, the engine preset's steps and
        guidance, and the story bible. A draft is smaller and takes fewer steps; it is its own cached clip.
        With a chaining preset each scene starts from the previous scene's last frame."""
        r, v = self.settings.render, self.settings.video
        quality = quality or v.quality
        width, height = r.frame_size()
        preset = v.presets[v.engine].model_dump()
        steps, guidance = int(preset.get("steps") or 0), float(preset.get("guidance") or 0.0)
        if quality == "draft" and steps:
            scale = float(preset.get("draft_scale") or 0.5)
            width, height = max(64, round(width * scale / 16) * 16), max(64, round(height * scale / 16) * 16)
            steps = int(preset.get("draft_steps") or max(1, steps // 2))
        multilingual = is_multilingual(preset)
        shots: list[Shot] = []
        for scene in board.scenes:
            init_image = None
            if preset.get("chain") and shots:
                init_image = chain_frame_name(shots[-1])
            shots.append(
                Shot(
                    prompt=scene_prompt(board, scene, multilingual),
                    negative_prompt=NEGATIVE_PROMPT,
                    caption=f"{scene.number}. {scene.narration or scene.description}",
                    camera=scene.camera.value,
                    width=width,
                    height=height,
                    fps=r.fps,
                    frames=max(1, round(scene.duration * r.fps)),
                    steps=steps,
                    guidance=guidance,
                    seed=scene.seed,
                    init_image=init_image,
                    engine=v.engine,
                )
            )
        return shots

    def submit_render(self, user: User, project_id: int) -> Job:
        project = self.project(user, project_id)
        board = self.storyboard(user, project.id)  # refuses an empty storyboard now, not later in the worker
        # Warnings were confirmed when the storyboard was saved; a rule that blocks it now still stops it.
        self.guard.check(user, storyboard_texts(board), "render", confirmed=True)
        if self.jobs.active_for_project(project.id) is not None:
            raise UserError("render_busy")
        return self.jobs.submit("render", user.id, project.id)

    def _cached_clip(self, user_id: int, shot_hash: str) -> Clip | None:
        with self.db.session() as s:
            clips = s.exec(
                select(Clip).where(Clip.user_id == user_id, Clip.shot_hash == shot_hash).order_by(col(Clip.id).desc())
            ).all()
        return next((c for c in clips if self.media.resolve(c.file_path).is_file()), None)

    def _render_clip(
        self, owner: User, project_id: int, scene_id: int | None, shot: Shot, ctx: JobContext, on_frame,
        scene_number: int = 0,
    ) -> Clip:  # fmt: skip
        engine = self.engine(shot.engine)
        owner_id = owner.id
        dest = self.media.new_path(owner_id, "clips", ".mp4")
        with self.media.atomic(dest) as tmp:
            frames = engine.render(shot, progress=on_frame, cancel=ctx.cancel)
            count = encode_h264(frames, tmp, shot.width, shot.height, shot.fps)
            # Keyframe safety check before the clip is kept: a flagged clip never reaches the film or the cache.
            self.guard.check_clip(owner, scene_number, tmp)
        clip = Clip(
            user_id=owner_id,
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
        with self.db.session() as s:
            s.add(clip)
            s.commit()
            s.refresh(clip)
        return clip

    def _set_status(self, project_id: int, status: str, error: str = "") -> None:
        with self.db.session() as s:
            p = s.get(Project, project_id)
            p.status, p.error = status, error
            p.finished_at = now() if status in ("completed", "failed") else p.finished_at
            s.add(p)
            s.commit()

    def _render_job(self, job: Job, ctx: JobContext) -> int:
        """Render every scene whose shot changed, then assemble the film; return the film's id."""
        owner = self.accounts.get(job.user_id)
        self._set_status(job.project_id, "running")
        try:
            film = self._render_project(owner, job.project_id, ctx)
        except Cancelled:
            self._set_status(job.project_id, "pending")
            raise
        except Exception as exc:
            self._set_status(job.project_id, "failed", str(getattr(exc, "key", type(exc).__name__)))
            raise
        self._set_status(job.project_id, "completed")
        return film.id

    def narrator(self) -> Narrator:
        """The narrator the settings ask for, built once (a loaded Piper voice is kept for the next film)."""
        with self._engine_lock:
            if self._narrator is None:
                n = self.settings.narration
                voice = self._user_path(n.piper_voice)
                try:
                    self._narrator = build_narrator(n.engine, voice, speed=n.speed)
                except NarrationError as exc:
                    log.error("narration voice unusable: %s", exc)
                    raise UserError("narration_failed", scene=1) from exc
            return self._narrator

    def _user_path(self, value: str) -> Path | None:
        """A path from settings.toml: relative ones are relative to the settings file's folder."""
        if not value or not value.strip():
            return None
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.settings.base_dir / path).resolve()

    def narrate(self, owner: User, board: Storyboard) -> tuple[Storyboard, list[Path | None]]:
        """Speak each scene's narration and lengthen each scene to hold it.

        Speech is stored in the owner's media folder under a name made of the voice and the text, so a
        re-render or re-assembly reuses it. A scene lasts at least its narration, a short gap, and the
        overlap of the next scene's entering transition (snapped up to the frame grid), so two lines never
        speak at once. Returns the timed storyboard and each scene's speech file (None: subtitles only).
        """
        narrator = self.narrator()
        fps, overlap = self.settings.render.fps, self.settings.assembly.transition_seconds
        folder = self.media.user_dir(owner.id, "narration")
        scenes: list[Scene] = []
        audio: list[Path | None] = []
        for i, scene in enumerate(board.scenes):
            speech, seconds = None, 0.0
            key = narrator.cache_key(scene.narration, board.language)
            if key is not None:
                dest = folder / f"{key}.wav"
                if dest.is_file():
                    speech, seconds = dest, wav_seconds(dest)
                else:
                    try:
                        spoken = narrator.speak(scene.narration, board.language, dest)
                    except NarrationError as exc:
                        log.error("narration of scene %d failed: %s", scene.number, exc)
                        raise UserError("narration_failed", scene=scene.number) from exc
                    if spoken is not None:
                        speech, seconds = spoken.path, spoken.duration
            duration = scene.duration
            if speech is not None:
                following = board.scenes[i + 1] if i + 1 < len(board.scenes) else None
                tail = overlap if following is not None and following.transition != Transition.CUT else 0.0
                needed = math.ceil((seconds + NARRATION_GAP_SECONDS + tail) * fps - 1e-9) / fps
                if needed > MAX_SECONDS:
                    log.warning("narration of scene %d (%.1f s) is longer than a scene may be", scene.number, seconds)
                duration = min(MAX_SECONDS, max(duration, needed))
            scenes.append(scene.model_copy(update={"duration": duration}))
            audio.append(speech)
        return board.model_copy(update={"scenes": scenes}), audio

    @staticmethod
    def _part(scene: Scene, shot: Shot, clip_path: Path, narration: Path | None) -> ClipPart:
        return ClipPart(
            path=clip_path,
            duration=shot.frames / shot.fps,
            subtitle=scene.narration,
            transition=scene.transition,
            narration=narration,
        )

    def _render_project(self, owner: User, project_id: int, ctx: JobContext) -> Film:
        board = self.storyboard(owner, project_id)
        ctx.report(0.0, "narrating", force=True)
        # Narration first: each scene's length follows its spoken line before anything is rendered.
        timed, narration = self.narrate(owner, board)
        if timed != board:  # keep the lengths the film will have, so the editor shows the truth
            self._store_storyboard(owner, project_id, timed)
        board = timed
        shots = self.shots(board)
        with self.db.session() as s:
            scene_ids = {
                r.scene_number: r.id
                for r in s.exec(select(tables.Scene).where(tables.Scene.project_id == project_id)).all()
            }
        n = len(shots)
        parts: list[ClipPart] = []
        cached = [self._cached_clip(owner.id, shot.content_hash()) for shot in shots]
        engine = self.engine(shots[0].engine) if shots else None
        to_render = [shot for shot, clip in zip(shots, cached, strict=True) if clip is None]
        try:
            if to_render and hasattr(engine, "prepare"):
                engine.prepare(to_render)  # e.g. run a text encoder once for the whole job, then free it
            for i, (scene, shot) in enumerate(zip(board.scenes, shots, strict=True)):
                if ctx.cancel.is_set():
                    raise Cancelled("render cancelled")
                clip = cached[i]
                if clip is not None:
                    ctx.report((i + 1) / n * 0.9, "render_cached", force=True, scene=i + 1)
                else:
                    ctx.report(i / n * 0.9, "render_progress", force=True, scene=i + 1, total=n)
                    on_frame = self._progress_reporter(ctx, engine, shot, i, n)
                    clip = self._render_clip(owner, project_id, scene_ids.get(scene.number), shot, ctx, on_frame,
                                             scene_number=scene.number)  # fmt: skip
                parts.append(self._part(scene, shot, self.media.resolve(clip.file_path), narration[i]))
        finally:
            if hasattr(engine, "unload"):
                engine.unload()  # after each job the GPU's memory returns to its baseline
        ctx.report(0.92, "assembling", force=True)
        return self.assemble(owner, project_id, parts)

    def _facts(self, parts: list[ClipPart]) -> list[ClipFacts]:
        """Each clip's facts, read once per file (one ffmpeg run for all unknown clips) and kept."""
        keys = []
        for part in parts:
            stat = Path(part.path).stat() if Path(part.path).is_file() else None
            keys.append((str(part.path), stat.st_size, stat.st_mtime_ns) if stat else None)
        if any(k is None or k not in self._clip_facts for k in keys):
            facts = inspect_clips(parts)  # raises a UserError naming a missing or broken clip
            self._clip_facts.update({k: f for k, f in zip(keys, facts, strict=True) if k is not None})
            return facts
        return [self._clip_facts[k] for k in keys]

    def _progress_reporter(self, ctx: JobContext, engine, shot: Shot, i: int, n: int):
        """Progress per step (or frame) with an ETA, and the engine's cheap preview as a small JPEG."""
        estimate = max(1.0, engine.estimate_seconds(shot)) if hasattr(engine, "estimate_seconds") else None
        started = time.monotonic()

        def on_frame(done: int, total: int, preview) -> None:
            elapsed = time.monotonic() - started
            eta = elapsed / done * (total - done) if done else estimate or 0.0
            ctx.report((i + done / max(1, total)) / n * 0.9, "render_progress_eta", scene=i + 1, total=n,
                       eta=int(eta + 0.5))  # fmt: skip
            if preview is not None:
                ctx.preview(preview)

        return on_frame

    def reassemble(self, user: User, project_id: int, **choices: object) -> Film:
        """Assemble the project's film again from its rendered clips, with other choices; renders nothing.

        choices are those of `assemble` (music, mood, music_file, music_volume, duck, transition,
        transition_seconds, burn_subtitles, subtitle_size, fit, fade_seconds). Transitions edited in the
        storyboard apply too: they are not part of a clip. UserError('film_render_first') if a scene has
        no clip for its current shot.
        """
        project = self.project(user, project_id)
        if self.jobs.active_for_project(project.id) is not None:
            raise UserError("render_busy")
        with self.db.session() as s:
            owner = s.get(User, project.user_id)
        board, narration = self.narrate(owner, self.storyboard(owner, project.id))
        parts: list[ClipPart] = []
        for scene, shot, speech in zip(board.scenes, self.shots(board), narration, strict=True):
            clip = self._cached_clip(owner.id, shot.content_hash())
            if clip is None:
                raise UserError("film_render_first")
            parts.append(self._part(scene, shot, self.media.resolve(clip.file_path), speech))
        return self.assemble(owner, project.id, parts, **choices)

    def assemble(
        self,
        owner: User,
        project_id: int,
        parts: list[ClipPart],
        *,
        music: str | None = None,
        mood: str | None = None,
        music_file: str | Path | None = None,
        music_volume: float | None = None,
        duck: bool | None = None,
        transition: Transition | str | None = None,
        **options: object,
    ) -> Film:
        """Assemble parts into a new Film. Keyword choices override settings.toml for this film only:
        music (library/procedural/file/none), mood, music_file, music_volume, duck, transition (for every
        scene after the first) and any AssemblyOptions field (burn_subtitles, subtitle_size, fit...)."""
        r, a, m = self.settings.render, self.settings.assembly, self.settings.music
        width, height = r.frame_size()
        if transition is not None:
            parts = [
                p if i == 0 else p.model_copy(update={"transition": Transition(transition)})
                for i, p in enumerate(parts)
            ]
        values: dict[str, object] = {
            "width": width,
            "height": height,
            "fps": r.fps,
            "x264_preset": a.x264_preset,
            "crf": a.crf,
            "burn_subtitles": a.burn_subtitles,
            "subtitle_size": a.subtitle_size,
            "transition_seconds": a.transition_seconds,
            "fade_seconds": a.fade_seconds,
            "fit": a.fit,
            "normalize_loudness": a.normalize_loudness,
            "stream_copy": a.stream_copy,
            "narration_volume": self.settings.narration.volume,
            "music_volume": m.volume if music_volume is None else music_volume,
            "duck_music": m.duck if duck is None else duck,
        }
        values.update(options)
        options_model = AssemblyOptions(**values)
        seconds = total_frames(plan_timeline(parts, r.fps, options_model.transition_seconds)) / r.fps
        user_file = self._user_path(str(music_file if music_file is not None else m.file))
        try:
            bed = music_bed(
                music or m.source,
                mood or m.mood,
                seconds,
                work_dir=self.media.user_dir(owner.id, "music"),
                seed=r.seed + project_id,  # each project gets its own track or tune, the same every time
                file=user_file,
            )
        except ValueError as exc:  # an unknown source or mood passed in code (settings are validated)
            raise UserError("music_unreadable", name=str(exc)) from exc
        if bed is not None:
            options_model = options_model.model_copy(update={"music": bed.path, "music_loop": bed.loop})
        dest = self.media.new_path(owner.id, "films", ".mp4")
        result = assemble(parts, dest, options_model, facts=self._facts(parts))
        film = Film(
            user_id=owner.id,
            project_id=project_id,
            file_path=self.media.relative(result.path),
            srt_path=self.media.relative(result.srt_path),
            vtt_path=self.media.relative(result.vtt_path),
            duration_sec=result.info.duration,
            resolution=f"{result.info.width}x{result.info.height}",
            frame_rate=round(result.info.fps),
            settings_json=options_model.model_dump_json(),
        )
        with self.db.session() as s:
            s.add(film)
            s.commit()
            s.refresh(film)
        return film

    # -- results --------------------------------------------------------------------------------------
    def latest_film(self, user: User, project_id: int) -> Film | None:
        project = self.project(user, project_id)
        with self.db.session() as s:
            return s.exec(select(Film).where(Film.project_id == project.id).order_by(col(Film.id).desc())).first()

    def clips(self, user: User, project_id: int) -> list[Clip]:
        project = self.project(user, project_id)
        with self.db.session() as s:
            return list(s.exec(select(Clip).where(Clip.project_id == project.id)).all())

    def media_file(self, user: User, kind: str, item_id: int) -> Path:
        """The file of a film, subtitle, clip or live render preview, if this user may fetch it; UserError
        otherwise."""
        table = {"film": Film, "srt": Film, "vtt": Film, "clip": Clip, "preview": Job}.get(kind)
        if table is None:
            raise UserError("project_missing")
        with self.db.session() as s:
            row = s.get(table, item_id)
        if row is None or (row.user_id != user.id and user.role != "admin"):
            raise UserError("project_missing")
        if kind == "preview":
            path = self.jobs.preview_path(row.id)
        else:
            rel = {"srt": getattr(row, "srt_path", ""), "vtt": getattr(row, "vtt_path", "")}.get(kind, row.file_path)
            path = self.media.resolve(rel)
        if not path.is_file():
            raise UserError("project_missing")
        return path
