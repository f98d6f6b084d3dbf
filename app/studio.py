"""The studio: the one object the UI and the REST API call. A thin facade over the stages, in the order the
data flows (idea ─write─▶ Storyboard ─time─▶ timed Storyboard ─shots─▶ Shots ─render─▶ Clips ─assemble─▶
Film, see docs/architecture.md): it checks who may touch what, submits the render job, and orders the
stages. The stages live in app/write.py, app/timing.py, app/shots.py, app/render.py and app/film.py; every
query about projects lives in storage/projects.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from app.accounts import Accounts
from app.film import Assembly, clip_part
from app.jobs import JobContext, JobRunner
from app.moderation_store import ContentGuard
from app.render import Rendering
from app.settings import Settings
from app.shots import make_shots
from app.timing import Timing
from app.write import PAST_BOARDS, WriteChoices, Writing
from models.errors import UserError
from models.registry import EngineContext, Registry, load_registry
from models.storyboard import Storyboard
from models.video.base import Cancelled, Shot, VideoEngine
from models.writers import edit
from models.writers.base import StoryboardWriter
from storage.db import Database
from storage.media import MediaStore
from storage.projects import ProjectStore
from storage.tables import ClipRow, FilmRow, Job, ProjectRow, User

EDITS = {
    "add": edit.add_scene,
    "delete": edit.delete_scene,
    "move": edit.move_scene,
    "split": edit.split_scene,
    "merge": edit.merge_scenes,
    "replace": edit.replace_scene,
}


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
        self.store = ProjectStore(self.db, self.media)
        self.accounts = Accounts(self.db, data / "jwt.secret")
        self.registry = registry or load_registry()
        self.guard = ContentGuard(self.db, settings.moderation, self.registry, EngineContext(settings.models_dir))
        self.writing = Writing(settings, self.registry)
        self.timing = Timing(settings, self.registry, self.media)
        self.rendering = Rendering(settings, self.registry, self.store, self.media, self.guard)
        self.assembly = Assembly(settings, self.registry, self.store, self.media)
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
        """Whether a storyboard writer holds its model in memory now."""
        return self.writing.loaded

    @property
    def video_loaded(self) -> bool:
        """Whether a video engine holds its model in memory now."""
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

    def save_user(self, admin: User, name: str, password: str, role: str, active: bool) -> User:
        """Create a user or change one (password, role, active): for admins only."""
        self._admin(admin)
        return self.accounts.save(name, password, role, active, by=admin.id)

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

    def create_project(
        self,
        user: User,
        idea: str,
        confirmed: bool = False,
        source: str = "idea",
        choices: WriteChoices | None = None,
    ) -> tuple[ProjectRow, Storyboard]:
        project = board = None
        for project, board in self.create_project_stream(user, idea, confirmed, source, choices):  # noqa: B007
            pass
        return project, board

    def create_project_stream(
        self,
        user: User,
        idea: str,
        confirmed: bool = False,
        source: str = "idea",
        choices: WriteChoices | None = None,
    ) -> Iterator[tuple[ProjectRow | None, Storyboard]]:
        """(None, partial storyboard) while the writer works, then (the new project, final timed storyboard).
        The idea is checked before writing and the finished storyboard before anything is stored. `choices`
        are the creator's asks of the writer (length, genre, style). The creator's own latest storyboards,
        as they last saved them, shape the new one (an admin's too: only their own); Storyboard.sources
        says which did."""
        self.guard.check(user, {"idea": idea or "", "style": choices.style if choices else ""}, source, confirmed)
        past = self.store.recent_storyboards(user.id, PAST_BOARDS)
        board = None
        for board in self.stream_storyboard(idea, choices=choices, past=past):
            yield None, board
        self.guard.check(user, storyboard_texts(board), "storyboard", confirmed)
        board, _ = self.timing.timed(user.id, board.renumbered())
        yield self.store.create(user.id, idea, board), board

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

    # -- rendering ------------------------------------------------------------------------------------
    def engine(self, preset_name: str | None = None) -> VideoEngine:
        return self.rendering.engine(preset_name)

    def shots(self, board: Storyboard, quality: str | None = None) -> list[Shot]:
        return make_shots(self.settings, board, quality)

    def submit_render(self, user: User, project_id: int) -> Job:
        project = self.project(user, project_id)
        board = self.storyboard(user, project.id)  # refuses an empty storyboard now, not later in the worker
        # Warnings were confirmed when the storyboard was saved; a rule that blocks it now still stops it.
        self.guard.check(user, storyboard_texts(board), "render", confirmed=True)
        if self.jobs.active_for_project(project.id) is not None:
            raise UserError("render_busy")
        # A storyboard saved before timing happened at save time (or under another voice) is timed now,
        # before the job: the render itself never changes the storyboard.
        timed, _ = self.timing.timed(project.user_id, board)
        if timed != board:
            self.store.save_storyboard(project.id, timed)
        return self.jobs.submit("render", user.id, project.id)

    def cancel_render(self, user: User, project_id: int) -> Job | None:
        """Ask the project's queued or running render to stop; the job it asked, or None when none runs."""
        project = self.project(user, project_id)
        job = self.jobs.active_for_project(project.id)
        if job is not None:
            self.jobs.cancel(job.id)
        return job

    def _render_job(self, job: Job, ctx: JobContext) -> int:
        """Render every scene whose shot changed, then assemble the film; return the film's id."""
        owner = self.accounts.get(job.user_id)
        self.store.set_status(job.project_id, "running")
        try:
            film = self._render_project(owner, job.project_id, ctx)
        except Cancelled:
            self.store.set_status(job.project_id, "pending")
            raise
        except Exception as exc:
            self.store.set_status(job.project_id, "failed", str(getattr(exc, "key", type(exc).__name__)))
            raise
        self.store.set_status(job.project_id, "completed")
        return film.id

    def _render_project(self, owner: User, project_id: int, ctx: JobContext) -> FilmRow:
        # The storyboard was timed when it was saved; the render reads it and never writes it back.
        board = self.storyboard(owner, project_id)
        ctx.report(0.0, "narrating", force=True)
        speech = self.timing.speech(owner.id, board)  # kept since the save: nothing is spoken again
        shots = self.shots(board)
        clips = self.rendering.render(owner, project_id, shots, ctx)
        parts = [clip_part(scene, shot, self.media.resolve(clip.file_path), line[0] if line else None)
                 for scene, shot, clip, line in zip(board.scenes, shots, clips, speech, strict=True)]  # fmt: skip
        ctx.report(0.92, "assembling", force=True)
        return self.assembly.make(owner, project_id, parts, clips)

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
        shots = self.shots(board)
        clips = [self.store.cached_clip(owner.id, shot.content_hash()) for shot in shots]
        if any(clip is None for clip in clips):
            raise UserError("film_render_first")
        speech = self.timing.speech(owner.id, board)
        parts = [clip_part(scene, shot, self.media.resolve(clip.file_path), line[0] if line else None)
                 for scene, shot, clip, line in zip(board.scenes, shots, clips, speech, strict=True)]  # fmt: skip
        return self.assembly.make(owner, project.id, parts, clips, **choices)

    def keep_upload(self, user: User, upload: str | Path) -> Path:
        """A copy of an uploaded file (e.g. music) in the user's own media, since Gradio's cache is shared and
        temporary."""
        dest = self.media.new_path(user.id, "music", Path(upload).suffix[:8] or ".audio")
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
        return path
