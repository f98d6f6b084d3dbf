"""The studio: the one object the UI and the REST API call. A thin facade over the stages, in the order the
data flows (idea ─write─▶ Storyboard ─time─▶ timed Storyboard ─shots─▶ Shots ─render─▶ Clips ─assemble─▶
Film, see docs/architecture.md): it checks who may touch what, submits the render job, and orders the
stages. The stages live in app/write.py, app/timing.py, app/shots.py, app/render.py and app/film.py; every
query about projects lives in storage/projects.py; the queue's workings in app/jobs.py and app/queue.py.

It is over 400 lines because it is the one place every surface (UI, REST, the render worker) calls: each
method is a few lines of "who may" and "in which order", and splitting them would scatter those checks. What
it returns to the tabs is typed in app/views.py.
"""

from __future__ import annotations

import importlib
import json
import logging
import random
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app.accounts import Accounts
from app.assemble import check_lut
from app.check import preset_on_disk
from app.film import Assembly, clip_part
from app.jobs import JobContext, JobRunner, TurnOver
from app.moderation_store import ContentGuard
from app.queue import QueueEntry, RenderParams, entries, job_params, typical_seconds
from app.render import Rendering
from app.settings import Settings
from app.shots import finish_for, frame_size, make_shots
from app.timing import Timing
from app.views import EnginePreset, RenderState, SceneClip, SystemStatus
from app.worker import read_status
from app.write import PAST_BOARDS, WriteChoices, WriteRequest, Writing
from models.errors import UserError
from models.ffmpeg import FFmpegError, run_ffmpeg
from models.registry import EngineContext, Registry, load_registry
from models.storyboard import Character, Storyboard
from models.video.base import Cancelled, Shot, VideoEngine
from models.video.finish_options import FinishOptions
from models.vram import DeviceInfo, probe_device
from models.writers import edit
from models.writers.base import StoryboardWriter
from storage.db import Database
from storage.media import MediaStore
from storage.projects import ProjectStore, RenderChoices
from storage.tables import ClipRow, FilmRow, Job, ModerationExample, ProjectRow, User

log = logging.getLogger(__name__)

EDITS = {
    "add": edit.add_scene,
    "delete": edit.delete_scene,
    "move": edit.move_scene,
    "split": edit.split_scene,
    "merge": edit.merge_scenes,
    "replace": edit.replace_scene,
}


def load_hook(spec: str):
    """The register(registry) function named "package.module:function"."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def hooked_registry(settings: Settings, registry: Registry | None = None) -> Registry:
    """The registry with the parts that settings' hooks register ([jobs] plugins: a hook instead of an
    installed package), as the studio and each of its processes (render, writer, speech, Ray) need it."""
    registry = registry or load_registry()
    for hook in settings.jobs.plugins:
        load_hook(hook)(registry)
    return registry


def _finish_factor(value: object) -> int | None:
    """A finishing factor as a creator gives it (1, 2, 4, "2", "preset", None); UserError otherwise."""
    if value is None or value == "" or value == "preset":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise UserError("finish_invalid", value=str(value)[:20]) from None
    if number not in (1, 2, 4) or str(number) != str(value).strip():
        raise UserError("finish_invalid", value=str(value)[:20])
    return number


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
    def __init__(self, settings: Settings, registry: Registry | None = None, clean_partials: bool = True) -> None:
        self.settings = settings
        data = settings.data_dir
        self.db = Database(data / "storyreel.db")
        self.media = MediaStore(data / "media")
        if clean_partials:  # not in a restarted render worker: the web process may be writing a file now
            self.media.clean_partials()  # leftovers of a crash are never shown as results
        self.store = ProjectStore(self.db, self.media)
        self.accounts = Accounts(self.db, data / "jwt.secret")
        self.registry = hooked_registry(settings, registry)
        self.guard = ContentGuard(self.db, settings.moderation, self.registry,
                                  EngineContext(settings.models_dir, base_dir=settings.base_dir))  # fmt: skip
        self.writing = Writing(settings, self.registry)
        self.timing = Timing(settings, self.registry, self.media)
        self.rendering = Rendering(settings, self.registry, self.store, self.media, self.guard)
        self.assembly = Assembly(settings, self.registry, self.store, self.media)
        self.jobs = JobRunner(
            self.db, {"render": self._render_job}, workers=settings.jobs.workers, preview_dir=data / "previews"
        )
        self.supervisor = None  # the render worker's supervisor, once started with backend "worker" or "ray"
        # One thread that waits on the background speech process for new storyboards (see _time_later).
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="timing")
        self._pending: set[int] = set()  # projects whose lines it has yet to speak
        self._pending_lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start running jobs: in the render worker process (backend "worker" or "ray"), or in threads of
        this process (backend "thread")."""
        if self.settings.jobs.backend == "thread":
            self.jobs.start()
        else:
            from app.speech import SpeechProcess
            from app.supervisor import WorkerSupervisor
            from app.writer import WriterProcess

            self.supervisor = WorkerSupervisor(self.settings, self.jobs, self.store).start()
            # Lines spoken and storyboards written leave this process too (below the page, above renders).
            self.timing.speaker = SpeechProcess(self.settings, nice=self.settings.jobs.worker_nice // 2)
            # New storyboards' lines are spoken by another, beside the renders: a save's lines come first.
            self.timing.background = SpeechProcess(self.settings, nice=self.settings.jobs.worker_nice)
            # The writer above the speech process: a creator waits on a write, while the lines spoken when a render
            # is submitted (at half the worker's nice) would otherwise hold it back as much as they are held.
            self.writing.process = WriterProcess(self.settings, nice=self.settings.jobs.worker_nice // 4).start()
            # The text checks load their embedder now, beside the page, not inside the first creator's write.
            threading.Thread(target=self._warm_checks, name="warm-checks", daemon=True).start()

    def _warm_checks(self) -> None:
        try:
            self.guard.verdict({"warm": "A quiet morning by the river."})
        except Exception:  # the first real check loads it, or says why
            log.exception("warming the text checks failed")

    def close(self) -> None:
        """Stop the child processes and the job threads, and close the database (again: nothing more)."""
        if self._closed:
            return
        self._closed = True
        if self.supervisor is not None:
            self.supervisor.stop()
        # Lines still to be spoken are dropped (the next save or render speaks them); the one being spoken ends.
        self._background.shutdown(wait=True, cancel_futures=True)
        for speaker in (self.timing.speaker, self.timing.background):
            if speaker is not None:
                speaker.close()
        if self.writing.process is not None:
            self.writing.process.close()
        self.jobs.stop()
        self.db.close()

    def device(self) -> DeviceInfo:
        """The compute device renders run on: the worker process's (this process never imports torch for
        it), or this process's when jobs run here."""
        if self.supervisor is None:
            return probe_device()
        return DeviceInfo.model_validate(read_status(self.settings).get("device") or {})

    def worker_info(self) -> dict:
        """The render worker process: its pid (None when jobs run in this process or it is restarting) and
        how many times it was restarted; the same of the writer process under "writer"."""
        writer = self.writing.process
        written = {"pid": writer.pid if writer else None, "restarts": writer.restarts if writer else 0}
        if self.supervisor is None:
            return {"backend": self.settings.jobs.backend, "pid": None, "restarts": 0, "writer": written}
        return {"backend": self.settings.jobs.backend, "pid": self.supervisor.pid,
                "restarts": self.supervisor.restarts, "writer": written}  # fmt: skip

    @property
    def llm_loaded(self) -> bool:
        """Whether a storyboard writer holds its model in memory now."""
        return self.writing.loaded

    def loaded_engines(self) -> list[str]:
        """The video presets whose engines hold model weights now (in the render worker, when there is one)."""
        if self.supervisor is not None:
            return list(read_status(self.settings).get("loaded_engines") or [])
        return self.rendering.loaded_names()

    @property
    def video_loaded(self) -> bool:
        """Whether a video engine holds its model in memory now (in the render worker, when there is one)."""
        if self.supervisor is not None:
            return bool(read_status(self.settings).get("video_loaded"))
        return self.rendering.loaded

    # -- users ----------------------------------------------------------------------------------------
    def local_user(self) -> User:
        """The single creator who works without login on localhost (created on first use)."""
        return self.accounts.local(self.settings.auth.local_user)

    def user_named(self, username: str | None) -> User | None:
        """The active user with this name (a disabled one is nobody)."""
        user = self.accounts.by_name(username)
        return user if user is not None and user.active else None

    @staticmethod
    def _admin(user: User) -> None:
        if user.role != "admin":
            raise UserError("admin_only")

    def admin_overview(self, admin: User, jobs: int = 50) -> tuple[list[User], list[Job]]:
        """Every user, and the latest jobs of everyone: for admins only."""
        self._admin(admin)
        return self.accounts.users(), self.store.recent_jobs(jobs)

    def system_status(self, admin: User) -> SystemStatus:
        """The device, its memory, the video presets on disk and the models loaded now: for admins only."""
        self._admin(admin)
        device = self.device()  # the render worker's: this process never imports torch for it
        return SystemStatus(
            device=device.device, device_name=device.name, torch_version=device.torch_version,
            vram_total_gib=round(device.total_gib, 2), vram_free_gib=round(device.free_gib, 2),
            writer=self.settings.storyboard.writer, video_engine=self.settings.video.engine,
            llm_loaded=self.llm_loaded, video_loaded=self.video_loaded,
            loaded_engines=self.loaded_engines(), presets=self.engine_presets(),
        )  # fmt: skip

    def save_user(self, admin: User, name: str, password: str, role: str, active: bool) -> User:
        """Create a user or change one (password, role, active): for admins only."""
        self._admin(admin)
        return self.accounts.save(name, password, role, active, by=admin.id)

    def moderation_examples(self, admin: User) -> list[ModerationExample]:
        """The semantic layer's examples an admin added (block or allow), oldest first: for admins only."""
        self._admin(admin)
        return self.guard.examples()

    def add_moderation_example(self, admin: User, text: str, category: str, action: str) -> ModerationExample:
        """Store an example; the semantic layer uses it from the next check, and the change is audited."""
        self._admin(admin)
        return self.guard.add_example(text, category, action, by=admin.username)

    def remove_moderation_example(self, admin: User, example_id: int) -> None:
        self._admin(admin)
        self.guard.remove_example(example_id, by=admin.username)

    def change_password(self, user: User, password: str) -> User:
        return self.accounts.set_password(user.id, password, by=user.id)

    # -- projects and storyboards ---------------------------------------------------------------------
    def project(self, user: User, project_id: int) -> ProjectRow:
        """The project if this user may see it (its owner, or an admin); UserError otherwise."""
        project = self.store.get(project_id)
        if project is None or (project.user_id != user.id and user.role != "admin"):
            raise UserError("project_missing")
        return project

    def projects(self, user: User) -> list[ProjectRow]:
        return self.store.projects(None if user.role == "admin" else user.id)

    def storyboard(self, user: User, project_id: int) -> Storyboard:
        board = self.store.storyboard(self.project(user, project_id).id)
        if board is None:
            raise UserError("storyboard_empty")
        return board

    def writer(self, name: str | None = None) -> StoryboardWriter:
        return self.writing.writer(name)

    def stream_storyboard(
        self,
        idea: str,
        target_seconds: float | None = None,
        choices: WriteChoices | None = None,
        past: list[Storyboard] | None = None,
    ) -> Iterator[Storyboard]:
        return self.writing.stream(idea, target_seconds, choices, past or ())

    def write_storyboard(self, idea: str, target_seconds: float | None = None) -> Storyboard:
        board = None
        for board in self.stream_storyboard(idea, target_seconds):  # noqa: B007 (the last one is the result)
            pass
        return board

    def create_project(self, user: User, request: WriteRequest) -> tuple[ProjectRow, Storyboard]:
        project = board = None
        for project, board in self.create_project_stream(user, request):  # noqa: B007 (the last is the result)
            pass
        return project, board

    def create_project_stream(
        self, user: User, request: WriteRequest
    ) -> Iterator[tuple[ProjectRow | None, Storyboard]]:
        """(None, partial storyboard) while the writer works, then (the new project, final timed storyboard).
        The idea is checked before writing and the finished storyboard before anything is stored. The
        request's `choices` are the creator's asks of the writer (length, language, genre, style), its `render`
        the project's own aspect ratio, engine and quality. The creator's own latest storyboards, as they
        last saved them, shape the new one (an admin's too: only their own); Storyboard.sources says which
        did. Nothing is stored until the writer has finished (a write that fails stores nothing)."""
        render = self.check_render_choices(request.render)
        idea, confirmed = request.idea, request.confirmed
        self.guard.check(user, {"idea": idea or "", "style": request.choices.style}, request.source, confirmed)
        past = self.store.recent_storyboards(user.id, PAST_BOARDS)
        board = None
        for board in self.stream_storyboard(idea, choices=request.choices, past=past):
            yield None, board
        self.guard.check(user, storyboard_texts(board), "storyboard", confirmed)
        if self.timing.background is None:
            board, _ = self.timing.timed(user.id, board.renumbered())
            project = self.store.create(user.id, idea, board)
            self.store.set_render_choices(project.id, render)
            yield project, board
            return
        # Beside a speech process the creator sees the storyboard at once, timed by an estimate of its new lines;
        # their speech follows below the page and the real durations replace the estimate (app/timing.py).
        board, pending = self.timing.estimated(user.id, board.renumbered())
        project = self.store.create(user.id, idea, board)
        self.store.set_render_choices(project.id, render)
        if pending:
            self._time_later(user.id, project.id)
        yield project, board

    def _time_later(self, owner_id: int, project_id: int) -> None:
        """Speak a new storyboard's lines in the background and store its real durations, unless the creator
        saved an edit meanwhile (that save timed it) or deleted it."""
        expected = self.store.storyboard(project_id)

        def run() -> None:
            try:
                timed, _ = self.timing.timed(owner_id, expected, speaker=self.timing.background)
                if timed != expected and not self.store.save_storyboard_if(project_id, expected, timed):
                    log.info("project %d changed before its lines were spoken: its save timed it", project_id)
            except Exception:  # the next save, or the render, times it again: nothing is lost
                log.exception("timing project %d in the background failed", project_id)
            finally:
                with self._pending_lock:
                    self._pending.discard(project_id)

        if expected is not None:
            with self._pending_lock:
                self._pending.add(project_id)
            self._background.submit(run)

    def timing_pending(self, project_id: int) -> bool:
        """Whether the project's new lines are still being spoken in the background (durations estimated)."""
        with self._pending_lock:
            return project_id in self._pending

    def save_storyboard(self, user: User, project_id: int, board: Storyboard, confirmed: bool = False) -> Storyboard:
        """Check every cell of an edited storyboard, time its spoken lines, then store it."""
        project = self.project(user, project_id)
        self.guard.check(user, storyboard_texts(board), "edit", confirmed)
        # The owner's media holds the speech (an admin may edit another's project).
        board, _ = self.timing.timed(project.user_id, board.renumbered())
        return self.store.save_storyboard(project.id, board)

    def edit_storyboard(self, user: User, project_id: int, operation: str, **params: object) -> Storyboard:
        """Apply one edit (add, delete, move, split, merge, replace) and save; UserError when refused."""
        if operation not in EDITS:
            raise UserError("storyboard_invalid", detail=f"unknown edit {operation!r}")
        board = self.storyboard(user, project_id)
        try:
            changed = EDITS[operation](board, **params)
        except TypeError as err:  # wrong parameters for the operation
            raise UserError("storyboard_invalid", detail=str(err)) from None
        return self.save_storyboard(user, project_id, changed)

    def rewrite_scene(self, user: User, project_id: int, number: int, instruction: str) -> Storyboard:
        """Scene `number` rewritten by the configured writer following the instruction, then saved."""
        board = self.storyboard(user, project_id)
        # The instruction itself is checked (and audited) first: a model need not repeat its words in the
        # scene it writes, so checking only the rewritten storyboard would let a blocked request through.
        self.guard.check(user, {"instruction": instruction or ""}, "rewrite")
        return self.save_storyboard(user, project_id, self.writing.rewrite_scene(board, number, instruction))

    def narrate(self, owner: User, board: Storyboard) -> tuple[Storyboard, list[Path | None]]:
        """The board timed by its spoken lines, and each scene's speech file (None: subtitles only)."""
        return self.timing.timed(owner.id, board)

    # -- the project and its scenes, one at a time --------------------------------------------------------
    def search_projects(self, user: User, search: str = "") -> list[ProjectRow]:
        """The user's projects (an admin's: everyone's) whose title or idea holds `search`, newest first."""
        return self.store.projects(None if user.role == "admin" else user.id, search=str(search or "")[:200])

    def rename_project(self, user: User, project_id: int, title: str) -> ProjectRow:
        project = self.project(user, project_id)
        title = " ".join(str(title or "").split())
        if not 1 <= len(title) <= 200:
            raise UserError("title_invalid", limit=200)
        self.guard.check(user, {"title": title}, "edit", confirmed=True)  # a blocked word still stops it
        board = self.store.storyboard(project.id)
        if board is not None:
            self.store.save_storyboard(project.id, board.model_copy(update={"title": title}))
        return self.store.rename(project.id, title)

    def duplicate_project(self, user: User, project_id: int) -> ProjectRow:
        """A copy of the project (idea, storyboard, render choices) owned by the same creator; the copy finds
        the original's clips by their shots, so it renders nothing already rendered."""
        project = self.project(user, project_id)
        suffix = "（副本）" if project.language == "zh" else " (copy)"
        return self.store.duplicate(project.id, (project.title or "Untitled")[: 200 - len(suffix)] + suffix)

    def delete_project(self, user: User, project_id: int) -> None:
        """Delete the project with its storyboard, clips and films, for good (the UI asks first)."""
        project = self.project(user, project_id)
        if self.jobs.active_for_project(project.id) is not None:
            raise UserError("render_busy")
        for path in self.store.delete(project.id):
            path.unlink(missing_ok=True)

    def reroll_scene(self, user: User, project_id: int, number: int) -> Storyboard:
        """Scene `number` with a new seed, so its next render is a new take; a locked scene is refused."""
        board = self.storyboard(user, project_id)
        scene = board.scenes[edit.scene_index(board, number)]
        if scene.locked:
            raise UserError("scene_locked", number=scene.number)
        seed = random.SystemRandom().randrange(1, 2**31 - 1)
        return self.edit_storyboard(user, project_id, "replace", number=scene.number, seed=seed)

    def lock_scene(self, user: User, project_id: int, number: int, locked: bool) -> Storyboard:
        """Lock a scene (its latest clip is kept and it is never rendered again) or unlock it."""
        return self.edit_storyboard(user, project_id, "replace", number=int(number), locked=bool(locked))

    def save_bible(
        self, user: User, project_id: int, style: str, characters: list[Character], confirmed: bool = False
    ) -> Storyboard:
        """The story bible (global style, characters and their looks) changed, checked and saved."""
        board = self.storyboard(user, project_id)
        try:
            changed = Storyboard.model_validate(
                {**board.model_dump(), "style": style, "characters": [c.model_dump() for c in characters]}
            )
        except ValueError as err:
            raise UserError("storyboard_invalid", detail=str(err).splitlines()[-1][:200]) from None
        return self.save_storyboard(user, project_id, changed, confirmed)

    # -- render choices -------------------------------------------------------------------------------
    def engine_presets(self) -> list[EnginePreset]:
        """Every video preset, and whether its weights are on disk (else the command that fetches them)."""
        out = []
        for name, preset in self.settings.video.presets.items():
            options = preset.model_dump()
            if "repo" in options or options.get("kind") == "diffusion":
                on_disk, detail = preset_on_disk(self.settings, name, options)
            else:  # built in, or a plug-in that brings what it needs
                on_disk, detail = True, "no download needed"
            out.append(EnginePreset(name=name, label=preset.label or name, on_disk=on_disk, detail=detail))
        return out

    def check_render_choices(self, choices: RenderChoices) -> RenderChoices:
        """The choices, if the engine they name exists and its weights are on disk; UserError otherwise."""
        if choices.engine is None:
            return choices
        preset = next((p for p in self.engine_presets() if p.name == choices.engine), None)
        if preset is None:
            known = ", ".join(p.name for p in self.engine_presets())
            raise UserError("engine_missing", engine=choices.engine, detail=f"known presets: {known}")
        if not preset.on_disk:
            raise UserError("model_missing", preset=preset.name, command=f"python launch.py --download {preset.name}")
        return choices

    def render_choices(self, user: User, project_id: int) -> RenderChoices:
        return self.store.render_choices(self.project(user, project_id).id)

    def set_render_choices(self, user: User, project_id: int, choices: RenderChoices) -> RenderChoices:
        project = self.project(user, project_id)
        self.store.set_render_choices(project.id, self.check_render_choices(choices))
        return choices

    def set_finish(self, user: User, project_id: int, interpolate: object, upscale: object) -> RenderChoices:
        """The project's own finishing pass for final renders (the Film tab): interpolation and upscaling
        factors 1 (off), 2 or 4, or None / "preset" for the engine preset's. The next final render finishes
        the clips already rendered (nothing is rendered again) and assembles the film. UserError when a
        value is not one of those; nothing is changed then."""
        project = self.project(user, project_id)
        values = [_finish_factor(interpolate), _finish_factor(upscale)]
        choices = self.store.render_choices(project.id).model_copy(
            update={"interpolate": values[0], "upscale": values[1]}
        )
        self.store.set_render_choices(project.id, choices)
        return choices

    def preset_finish(self, user: User, project_id: int) -> FinishOptions:
        """What the project's engine preset asks of the finishing pass (before the project's own choice)."""
        choices = self.render_choices(user, project_id).model_copy(update={"interpolate": None, "upscale": None})
        return finish_for(self.settings, choices) or FinishOptions()

    def frame_size(self, choices: RenderChoices | None = None) -> tuple[int, int]:
        return frame_size(self.settings, choices)

    def project_shots(self, project_id: int, board: Storyboard, quality: str | None = None) -> list[Shot]:
        """The board's shots under the project's own render choices."""
        return self.shots(board, quality, self.store.render_choices(project_id))

    def scene_clips(self, user: User, project_id: int, quality: str | None = None) -> list[SceneClip]:
        """Each scene's clip for the storyboard's thumbnails and the render tab."""
        project = self.project(user, project_id)
        board = self.storyboard(user, project.id)
        ids = self.store.scene_ids(project.id)
        out = []
        for scene, shot in zip(board.scenes, self.project_shots(project.id, board, quality), strict=True):
            clip = self.store.cached_clip(project.user_id, shot.content_hash())
            current = clip is not None
            clip = clip or self.store.scene_clip(ids.get(scene.number))
            out.append(SceneClip(number=scene.number, clip_id=clip.id if clip else None, current=current,
                                 locked=scene.locked))  # fmt: skip
        return out

    def library_films(self, user: User, projects: list[ProjectRow]) -> dict[int, FilmRow]:
        """The newest film of each of these projects (that the user may see) that has one."""
        return self.store.latest_films([self.project(user, p.id).id for p in projects])

    def keep_lut(self, user: User, upload: str | Path) -> Path:
        """A checked copy of an uploaded .cube LUT in the user's own media."""
        check_lut(Path(upload))
        return self.keep_upload(user, upload, kind="luts")

    # -- rendering ------------------------------------------------------------------------------------
    def engine(self, preset_name: str | None = None) -> VideoEngine:
        return self.rendering.engine(preset_name)

    def shots(self, board: Storyboard, quality: str | None = None, choices: RenderChoices | None = None) -> list[Shot]:
        return make_shots(self.settings, board, quality, choices)

    def submit_render(
        self, user: User, project_id: int, scenes: list[int] | None = None, quality: str | None = None
    ) -> Job:
        """Queue the project's render: every scene then the film, or only `scenes` (numbers, no film); at
        `quality` "final" or "draft" (None: settings.toml's). UserError when refused."""
        project = self.project(user, project_id)
        board = self.storyboard(user, project.id)  # refuses an empty storyboard now, not later in the worker
        if quality not in (None, "final", "draft"):
            raise UserError("render_quality_invalid", quality=quality)
        if scenes is not None:
            scenes = sorted({int(n) for n in scenes})
            for number in scenes:
                if not 1 <= number <= len(board.scenes):
                    raise UserError("scene_missing", number=number, count=len(board.scenes))
            if not scenes:
                raise UserError("scene_missing", number=0, count=len(board.scenes))
        params = RenderParams(scenes=scenes, quality=quality)
        # Warnings were confirmed when the storyboard was saved; a rule that blocks it now still stops it.
        self.guard.check(user, storyboard_texts(board), "render", confirmed=True)
        if any(params.overlaps(job_params(job)) for job in self.jobs.active_jobs_for_project(project.id)):
            raise UserError("render_busy")
        limit = self.settings.jobs.max_queued_per_user
        if self.jobs.active_count(user.id) >= limit:
            raise UserError("queue_full", limit=limit)
        # Lines not spoken yet (a new storyboard's, still in the background) are spoken by the job, in the worker:
        # submitting never waits for a voice (issue 15).
        return self.jobs.submit("render", user.id, project.id, params.model_dump(exclude_none=True))

    # -- the queue ------------------------------------------------------------------------------------
    def queue(self, user: User, lang: str | None = None) -> list[QueueEntry]:
        """The running and waiting jobs in the order they run (positions are global: 0 runs now, 1 is
        next...). Admins see everyone's; a user sees their own, at their real places."""
        jobs = self.jobs.queue()
        titles = {p.id: p.title for p in self.store.projects_by_id({j.project_id for j in jobs if j.project_id})}
        names = {u.id: u.username for u in self.accounts.users()}
        typical = typical_seconds(self.jobs.recent_done("render"))
        shown = entries(jobs, typical, lang or self.settings.server.language, titles, names)
        if user.role == "admin":
            return shown
        mine = {j.id for j in jobs if j.user_id == user.id}
        return [e for e in shown if e.job_id in mine]

    def _job(self, user: User, job_id: int) -> Job:
        job = self.jobs.get(int(job_id))
        if job is None or (job.user_id != user.id and user.role != "admin"):
            raise UserError("job_missing")
        return job

    def cancel_job(self, user: User, job_id: int) -> Job:
        """Cancel a queued or running job: its owner or an admin."""
        job = self._job(user, job_id)
        self.jobs.cancel(job.id)
        return self.jobs.get(job.id)

    def move_job(self, user: User, job_id: int, direction: str) -> bool:
        """Move a queued job one place up (sooner) or down: admins only. False when it cannot move."""
        self._admin(user)
        job = self._job(user, job_id)
        if direction not in ("up", "down"):
            raise UserError("queue_move_invalid", direction=direction)
        return self.jobs.move(job.id, direction)

    def render_scene(self, user: User, project_id: int, number: int, quality: str | None = None) -> Job:
        """Queue a render of scene `number` alone (no film); a locked scene is refused."""
        board = self.storyboard(user, project_id)
        scene = board.scenes[edit.scene_index(board, number)]
        if scene.locked:
            raise UserError("scene_locked", number=scene.number)
        return self.submit_render(user, project_id, scenes=[scene.number], quality=quality)

    def render_state(self, user: User, project_id: int, lang: str | None = None) -> RenderState | None:
        """The project's queued or running render, or None when none is."""
        project = self.project(user, project_id)
        entry = next((e for e in self.queue(user, lang) if e.project_id == project.id), None)
        if entry is None:
            return None
        state = RenderState(job_id=entry.job_id, status=entry.status, position=entry.position,
                            progress=entry.progress, eta_seconds=entry.eta_seconds, message=entry.message,
                            scenes=entry.scenes, quality=entry.quality)  # fmt: skip
        job = self.jobs.get(entry.job_id)
        info = json.loads(job.message) if job is not None and job.message else {}
        params = info.get("params") or {}
        if info.get("key") in ("render_progress", "render_progress_eta", "finish_progress") and "scene" in params:
            numbers = entry.scenes or list(range(1, len(self.storyboard(user, project.id).scenes) + 1))
            scene = int(params["scene"])
            index = numbers.index(scene) if scene in numbers else 0
            # The job reports (index + share of this scene) / scenes × 0.9 (the rest is assembly).
            share = entry.progress / 0.9 * len(numbers) - index
            state.scene, state.scene_fraction = scene, max(0.0, min(1.0, share))
            state.scene_eta = int(params["eta"]) if "eta" in params else None
        return state

    def cancel_render(self, user: User, project_id: int) -> Job | None:
        """Ask the project's queued or running render to stop; the job it asked, or None when none runs."""
        project = self.project(user, project_id)
        job = self.jobs.active_for_project(project.id)
        if job is not None:
            self.jobs.cancel(job.id)
        return job

    def _render_job(self, job: Job, ctx: JobContext) -> int | None:
        """Render every scene whose shot changed, then assemble the film; return the film's id. A job for some
        scenes only renders those and assembles nothing (None), and leaves the project's status alone."""
        owner = self.accounts.get(job.user_id)
        params = job_params(job)
        whole = params.scenes is None
        if whole:
            self.store.set_status(job.project_id, "running")
        try:
            film = self._render_project(owner, job.project_id, ctx, params)
        except TurnOver:
            raise  # back to the queue, still under way
        except Cancelled:
            if whole:
                self.store.set_status(job.project_id, "pending")
            raise
        except Exception as exc:
            if whole:
                self.store.set_status(job.project_id, "failed", str(getattr(exc, "key", type(exc).__name__)))
            raise
        finally:
            following = self.jobs.next_queued()
            self.rendering.release(keep=following is not None and following.kind == "render")
        if not whole:
            return None
        self.store.set_status(job.project_id, "completed")
        return film.id

    def _render_project(self, owner: User, project_id: int, ctx: JobContext, params: RenderParams) -> FilmRow | None:
        ctx.report(0.0, "narrating", force=True)
        board, speech = self._timed_for_render(owner, project_id)
        shots = self.project_shots(project_id, board, params.quality)
        pinned = self._locked_clips(project_id, board)
        if params.scenes is not None:
            numbers = [n for n in params.scenes if 1 <= n <= len(shots)]  # the board may have shrunk since
            self.rendering.render(owner, project_id, [shots[n - 1] for n in numbers], ctx, numbers, pinned)
            return None
        clips = self.rendering.render(owner, project_id, shots, ctx, pinned=pinned)
        parts = [clip_part(scene, shot, self.media.resolve(clip.file_path), line)
                 for scene, shot, clip, line in zip(board.scenes, shots, clips, speech, strict=True)]  # fmt: skip
        ctx.report(0.92, "assembling", force=True)
        return self.assembly.make(owner, project_id, parts, clips, **self._film_format(project_id, shots))

    def _timed_for_render(self, owner: User, project_id: int) -> tuple[Storyboard, list[Path | None]]:
        """The storyboard the job renders and its scenes' speech files: as saved, with the lines it still lacks
        spoken (a new storyboard shown with estimated durations, or one saved under another voice) and its
        durations stored as a save would have timed them, so re-assembly finds the same shots. A creator's edit
        saved meanwhile is not overwritten (this render goes on with the board it timed; the edit's own save
        timed it)."""
        board = self.storyboard(owner, project_id)
        timed, speech = self.timing.timed(owner.id, board)
        if timed != board and not self.store.save_storyboard_if(project_id, board, timed):
            log.info("project %d was saved while its render timed it: the render keeps the board it timed", project_id)
        return timed, speech

    def _locked_clips(self, project_id: int, board: Storyboard) -> dict[int, ClipRow]:
        """The kept clip of each locked scene (by number): a locked scene is never rendered again."""
        ids = self.store.scene_ids(project_id)
        kept = {s.number: self.store.scene_clip(ids.get(s.number)) for s in board.scenes if s.locked}
        return {n: clip for n, clip in kept.items() if clip is not None}

    def _film_format(self, project_id: int, shots: list[Shot]) -> dict[str, int]:
        """The film's size and frame rate: the project's frame size at the render fps, times the finishing
        pass's upscale and interpolation when its shots are finished (so the film keeps what they add)."""
        width, height = self.frame_size(self.store.render_choices(project_id))
        fps = self.settings.render.fps
        finish = shots[0].finish if shots and shots[0].finishing else None
        if finish is not None:
            (width, height), fps = finish.output_size(width, height), finish.output_fps(fps)
        return {"width": width, "height": height, "fps": fps}

    # -- films ----------------------------------------------------------------------------------------
    def reassemble(self, user: User, project_id: int, **choices: object) -> FilmRow:
        """Assemble the project's film again from its rendered clips, with other choices; renders nothing
        and speaks nothing new.

        choices are those of Assembly.make (music, mood, music_file, music_volume, duck, transition,
        transition_seconds, burn_subtitles, subtitle_size, fit, fade_seconds). Transitions edited in the
        storyboard apply too: they are not part of a clip. UserError('film_render_first') if a scene has
        no clip for its current shot.
        """
        project = self.project(user, project_id)
        if self.jobs.active_for_project(project.id) is not None:
            raise UserError("render_busy")
        owner = self.accounts.get(project.user_id)
        board = self.storyboard(owner, project.id)
        shots = self.project_shots(project.id, board)
        pinned = self._locked_clips(project.id, board)
        clips = [pinned.get(scene.number) or self.store.cached_clip(owner.id, shot.content_hash())
                 for scene, shot in zip(board.scenes, shots, strict=True)]  # fmt: skip
        if any(clip is None for clip in clips):
            raise UserError("film_render_first")
        speech = self.timing.speech(owner.id, board)
        parts = [clip_part(scene, shot, self.media.resolve(clip.file_path), line[0] if line else None)
                 for scene, shot, clip, line in zip(board.scenes, shots, clips, speech, strict=True)]  # fmt: skip
        return self.assembly.make(owner, project.id, parts, clips,
                                  **{**self._film_format(project.id, shots), **choices})  # fmt: skip

    def keep_upload(self, user: User, upload: str | Path, kind: str = "music") -> Path:
        """A copy of an uploaded file (music, a LUT) in the user's own media, since Gradio's cache is shared
        and temporary."""
        dest = self.media.new_path(user.id, kind, Path(upload).suffix[:8] or ".audio")
        with self.media.atomic(dest) as tmp:
            shutil.copyfile(upload, tmp)
        return dest

    def latest_film(self, user: User, project_id: int) -> FilmRow | None:
        return self.store.latest_film(self.project(user, project_id).id)

    def clips(self, user: User, project_id: int) -> list[ClipRow]:
        return self.store.clips(self.project(user, project_id).id)

    def media_file(self, user: User, kind: str, item_id: int) -> Path:
        """The file of a film, subtitle, clip or live render preview, if this user may fetch it; UserError
        otherwise."""
        row = self.store.media_row(kind, item_id)
        if row is None or (row.user_id != user.id and user.role != "admin"):
            raise UserError("project_missing")
        path = self.jobs.preview_path(row.id) if kind == "preview" else self.store.media_path(kind, row)
        if not path.is_file():
            raise UserError("project_missing")
        if kind in ("clip_poster", "film_poster"):
            return self._poster(path)
        return path

    def _poster(self, video: Path) -> Path:
        """A small JPEG of a video's opening (thumbnails), made once and kept beside it."""
        poster = video.with_suffix(".jpg")
        if not poster.is_file():
            with self.media.atomic(poster) as tmp:
                try:
                    run_ffmpeg(["-y", "-ss", "0.5", "-i", str(video), "-frames:v", "1", "-vf", "scale=320:-2",
                                "-q:v", "5", str(tmp)], timeout=30)  # fmt: skip
                except FFmpegError:
                    raise UserError("project_missing") from None
        return poster
