"""The studio's pipeline, in-process: idea → Storyboard → Shots → Clips → Film, each step persisted.

`Studio` is the one object the UI and the API call. It owns the database, the media store, the engine
registry and the job runner, and it checks ownership on every project it touches.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import col, select

from app.assemble import AssemblyOptions, ClipPart, assemble
from app.jobs import JobContext, JobRunner
from app.settings import Settings
from models.errors import UserError
from models.ffmpeg import encode_h264
from models.registry import EngineContext, Registry, load_registry
from models.storyboard import Camera, Character, Scene, Storyboard, Transition
from models.video.base import Cancelled, Shot, VideoEngine
from models.writers import edit
from models.writers.base import PlannerWriter, StoryboardWriter
from models.writers.llm import LLMOptions, LLMUnavailable, LLMWriter, writer_unavailable
from models.writers.planner import PlannerOptions
from models.writers.prompts import NEGATIVE_PROMPT as SCENE_NEGATIVE_PROMPT
from models.writers.prompts import is_multilingual, scene_prompt
from storage import tables
from storage.db import Database
from storage.media import MediaStore
from storage.tables import Clip, Film, Job, Project, User, now

log = logging.getLogger(__name__)

NEGATIVE_PROMPT = SCENE_NEGATIVE_PROMPT


class Studio:
    def __init__(self, settings: Settings, registry: Registry | None = None) -> None:
        self.settings = settings
        data = settings.data_dir
        self.db = Database(data / "storyreel.db")
        self.media = MediaStore(data / "media")
        self.media.clean_partials()  # leftovers of a crash are never shown as results
        self.registry = registry or load_registry()
        self._engines: dict[str, VideoEngine] = {}
        self._engine_lock = threading.Lock()
        self._writers: dict[str, StoryboardWriter] = {}  # each holds its loaded model
        self._writer_lock = threading.Lock()
        self.jobs = JobRunner(self.db, {"render": self._render_job}, workers=settings.jobs.workers)

    def start(self) -> None:
        self.jobs.start()

    def close(self) -> None:
        self.jobs.stop()
        self.db.close()

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
        if not username:
            return None
        with self.db.session() as s:
            return s.exec(select(User).where(User.username == username, User.active == True)).first()  # noqa: E712

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

    def create_project(self, user: User, idea: str) -> tuple[Project, Storyboard]:
        project = board = None
        for project, board in self.create_project_stream(user, idea):  # noqa: B007
            pass
        return project, board

    def create_project_stream(self, user: User, idea: str) -> Iterator[tuple[Project | None, Storyboard]]:
        """(None, partial storyboard) while the writer works, then (the new project, final storyboard).
        Nothing is stored until the storyboard is complete."""
        board = None
        for board in self.stream_storyboard(idea):
            yield None, board
        with self.db.session() as s:
            project = Project(
                user_id=user.id, prompt=idea.strip(), title=board.title, language=board.language, style=board.style
            )
            s.add(project)
            s.commit()
            s.refresh(project)
        self.save_storyboard(user, project.id, board)
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

    def save_storyboard(self, user: User, project_id: int, board: Storyboard) -> Storyboard:
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
                preset = self.settings.video.presets[name].model_dump()
                self._engines[name] = self.registry.build_video_engine(
                    preset, EngineContext(models_dir=self.settings.models_dir)
                )
            return self._engines[name]

    def shots(self, board: Storyboard) -> list[Shot]:
        """One Shot per scene: the scene plus the project's render settings and story bible."""
        r = self.settings.render
        width, height = r.frame_size()
        preset = self.settings.video.presets[self.settings.video.engine].model_dump()
        multilingual = is_multilingual(preset)
        return [
            Shot(
                prompt=scene_prompt(board, scene, multilingual),
                negative_prompt=NEGATIVE_PROMPT,
                caption=f"{scene.number}. {scene.narration or scene.description}",
                camera=scene.camera.value,
                width=width,
                height=height,
                fps=r.fps,
                frames=max(1, round(scene.duration * r.fps)),
                seed=scene.seed,
                engine=self.settings.video.engine,
            )
            for scene in board.scenes
        ]

    def submit_render(self, user: User, project_id: int) -> Job:
        project = self.project(user, project_id)
        self.storyboard(user, project.id)  # refuses an empty storyboard now, not later in the worker
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
        self, owner_id: int, project_id: int, scene_id: int | None, shot: Shot, ctx: JobContext, on_frame
    ) -> Clip:
        engine = self.engine(shot.engine)
        dest = self.media.new_path(owner_id, "clips", ".mp4")
        with self.media.atomic(dest) as tmp:
            frames = engine.render(shot, progress=on_frame, cancel=ctx.cancel)
            count = encode_h264(frames, tmp, shot.width, shot.height, shot.fps)
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
        with self.db.session() as s:
            owner = s.get(User, job.user_id)
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

    def _render_project(self, owner: User, project_id: int, ctx: JobContext) -> Film:
        board = self.storyboard(owner, project_id)
        shots = self.shots(board)
        with self.db.session() as s:
            scene_ids = {
                r.scene_number: r.id
                for r in s.exec(select(tables.Scene).where(tables.Scene.project_id == project_id)).all()
            }
        n = len(shots)
        parts: list[ClipPart] = []
        for i, (scene, shot) in enumerate(zip(board.scenes, shots, strict=True)):
            if ctx.cancel.is_set():
                raise Cancelled("render cancelled")
            clip = self._cached_clip(owner.id, shot.content_hash())
            if clip is not None:
                ctx.report((i + 1) / n * 0.9, "render_cached", force=True, scene=i + 1)
            else:
                ctx.report(i / n * 0.9, "render_progress", force=True, scene=i + 1, total=n)

                def on_frame(done: int, total: int, _preview, i=i) -> None:
                    ctx.report((i + done / total) / n * 0.9, "render_progress", scene=i + 1, total=n)

                clip = self._render_clip(owner.id, project_id, scene_ids.get(scene.number), shot, ctx, on_frame)
            parts.append(
                ClipPart(
                    path=self.media.resolve(clip.file_path), duration=shot.frames / shot.fps, subtitle=scene.narration
                )
            )
        ctx.report(0.92, "assembling", force=True)
        return self.assemble(owner, project_id, parts)

    def assemble(self, owner: User, project_id: int, parts: list[ClipPart]) -> Film:
        r, a = self.settings.render, self.settings.assembly
        width, height = r.frame_size()
        options = AssemblyOptions(
            width=width,
            height=height,
            fps=r.fps,
            x264_preset=a.x264_preset,
            crf=a.crf,
            burn_subtitles=a.burn_subtitles,
            subtitle_size=a.subtitle_size,
        )
        dest = self.media.new_path(owner.id, "films", ".mp4")
        result = assemble(parts, dest, options)
        film = Film(
            user_id=owner.id,
            project_id=project_id,
            file_path=self.media.relative(result.path),
            srt_path=self.media.relative(result.srt_path),
            vtt_path=self.media.relative(result.vtt_path),
            duration_sec=result.info.duration,
            resolution=f"{result.info.width}x{result.info.height}",
            frame_rate=round(result.info.fps),
            settings_json=options.model_dump_json(),
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
        """The file of a film, subtitle or clip, if this user may fetch it; UserError otherwise."""
        table = {"film": Film, "srt": Film, "vtt": Film, "clip": Clip}.get(kind)
        if table is None:
            raise UserError("project_missing")
        with self.db.session() as s:
            row = s.get(table, item_id)
        if row is None or (row.user_id != user.id and user.role != "admin"):
            raise UserError("project_missing")
        rel = {"srt": getattr(row, "srt_path", ""), "vtt": getattr(row, "vtt_path", "")}.get(kind, row.file_path)
        path = self.media.resolve(rel)
        if not path.is_file():
            raise UserError("project_missing")
        return path
