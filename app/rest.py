"""The seed's REST interface (its section 3.4.1), on the studio's own server, with OpenAPI docs at
/api/docs. Requests carry `Authorization: Bearer <access token>` from /api/auth/login; in single-creator
mode (login off) a request without a token acts as the local creator, as the studio UI does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.board_io import cell_error, frame_to_storyboard
from app.i18n import error_text, header_language
from app.queue import QueueEntry
from app.studio import Studio
from app.write import GENRES, WriteChoices, WriteRequest
from models.errors import UserError
from models.storyboard import Scene, Storyboard
from storage.projects import RenderChoices
from storage.tables import User

NOT_FOUND_KEYS = {"project_missing", "user_missing"}


class TaskIn(BaseModel):
    prompt: str = Field(description="The idea, in Chinese or English.")
    confirm: bool = Field(False, description="Go on despite moderation warnings (blocks always stop).")
    seconds: float | None = Field(None, description="Film length to aim for (3–600 s); none: as the narration needs.")
    language: Literal["auto", "en", "zh"] = Field("auto", description="The film's language; it must be the idea's.")
    genre: Literal[GENRES] = Field("auto", description="Kind of film; auto reads it from the idea.")  # type: ignore[valid-type]
    style: str = Field("", max_length=400, description="Visual style for every scene (English); empty: the writer's.")
    aspect: Literal["16:9", "9:16", "1:1"] | None = Field(None, description="Aspect ratio; none: settings.toml's.")
    engine: str | None = Field(None, description="Video preset (its weights must be on disk); none: the default.")
    quality: Literal["draft", "final"] | None = Field(None, description="Render quality; none: settings.toml's.")
    render: bool = Field(True, description="Queue the film's render too; false writes the storyboard only.")


class SceneIO(BaseModel):
    """One scene as the API shows it. On PUT, fields left out keep their stored values where the scene
    number existed; `seconds` is timed up to the narration when it is saved."""

    model_config = ConfigDict(extra="forbid")
    number: int | None = None
    description: Any = Field(None, description="What the camera shows, in English (1–1000 characters).")
    narration: Any = Field("", description="Spoken line and subtitle, in the film's language.")
    seconds: Any = Field(None, description="Seconds on screen (1–30).")
    camera: Any = Field(None, description="static, push_in, pull_out, pan_left, pan_right, tracking or aerial.")
    transition: Any = Field(None, description="How it enters: cut, fade, dissolve, wipe or slide.")
    seed: int | None = Field(None, description="The seed of its take (a new one gives a new take).")
    locked: bool | None = Field(None, description="Locked scenes keep their clip and are never rendered again.")


class CharacterIO(BaseModel):
    name: str
    look: str = ""


class StoryboardIO(BaseModel):
    """A task's storyboard: GET returns it; PUT replaces it (validated and moderated like the studio's table)."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, description="On PUT: none keeps the title.")
    language: str | None = Field(None, description="Read only: the language of the narration.")
    style: str | None = Field(None, description="The story bible's style; none keeps it.")
    characters: list[CharacterIO] | None = Field(None, description="The story bible's characters; none keeps them.")
    aspect: str | None = Field(None, description="Read only here: the project's aspect ratio.")
    scenes: list[SceneIO]
    confirm: bool = Field(False, description="On PUT: go on despite moderation warnings.")


class RenderIn(BaseModel):
    quality: Literal["draft", "final"] | None = Field(None, description="None: the project's or settings.toml's.")


class RenderQueued(BaseModel):
    job_id: int
    task_id: int
    status: str
    scenes: list[int] | None = Field(None, description="The scenes this job renders; none: every scene and the film.")


class TaskCreated(BaseModel):
    task_id: int
    status: str
    created_at: datetime


class TaskResult(BaseModel):
    video_url: str
    srt_url: str
    vtt_url: str
    duration_sec: float


class TaskStatus(BaseModel):
    task_id: int
    status: str = Field(description="pending | running | completed | failed")
    prompt: str
    title: str
    result: TaskResult | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None


class RegisterIn(BaseModel):
    username: str
    email: str = ""
    password: str


class Registered(BaseModel):
    message: str
    user_id: int
    username: str


class LoginIn(BaseModel):
    username: str
    password: str


class RefreshIn(BaseModel):
    refresh_token: str


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    user_id: int
    username: str
    email: str
    role: str
    quota: int | None = Field(None, description="Renders left; None means unlimited.")


def build_router(studio: Studio, requester: Callable[[Request], User | None]) -> APIRouter:
    """REST routes. `requester` says who sent a request (token, login cookie, or the local creator)."""
    router = APIRouter()
    default_lang = studio.settings.server.language

    def fail(err: UserError, request: Request) -> HTTPException:
        code = 404 if err.key in NOT_FOUND_KEYS else 429 if err.key == "login_throttled" else 400
        return HTTPException(
            status_code=code,
            detail={
                "code": err.key,
                "message": error_text(err, header_language(request.headers.get("accept-language"), default_lang)),
            },
        )

    def user_required(request: Request) -> User:
        user = requester(request)
        if user is None:
            raise HTTPException(status_code=401, detail="login required", headers={"WWW-Authenticate": "Bearer"})
        return user

    def task_status(user: User, project_id: int) -> TaskStatus:
        project = studio.project(user, project_id)
        film = studio.latest_film(user, project.id) if project.status == "completed" else None
        result = None
        if film is not None:
            result = TaskResult(video_url=f"/media/film/{film.id}", srt_url=f"/media/srt/{film.id}",
                                vtt_url=f"/media/vtt/{film.id}", duration_sec=film.duration_sec)  # fmt: skip
        return TaskStatus(task_id=project.id, status=project.status, prompt=project.prompt, title=project.title,
                          result=result, error=project.error or None, created_at=project.created_at,
                          finished_at=project.finished_at)  # fmt: skip

    @router.post("/api/tasks", response_model=TaskCreated, tags=["tasks"], status_code=201)
    def create_task(body: TaskIn, request: Request, user: User = Depends(user_required)) -> TaskCreated:
        """Create a task: write the storyboard from the prompt (with the given length, language, genre, style,
        aspect ratio, engine and quality) and, unless `render` is false, queue the film's render. The idea
        and the storyboard are moderated as in the studio."""
        try:
            choices = WriteChoices(seconds=body.seconds, language=body.language, genre=body.genre, style=body.style)
            render = RenderChoices(aspect=body.aspect, engine=body.engine, quality=body.quality)
            asked = WriteRequest(idea=body.prompt, confirmed=body.confirm, source="rest", choices=choices,
                                 render=render)  # fmt: skip
            project, _ = studio.create_project(user, asked)
            if body.render:
                studio.submit_render(user, project.id)
        except UserError as err:
            raise fail(err, request) from None
        return TaskCreated(task_id=project.id, status=project.status, created_at=project.created_at)

    def storyboard_io(user: User, task_id: int) -> StoryboardIO:
        board = studio.storyboard(user, task_id)
        choices = studio.render_choices(user, task_id)
        scenes = [SceneIO(number=s.number, description=s.description, narration=s.narration, seconds=s.duration,
                          camera=s.camera.value, transition=s.transition.value, seed=s.seed, locked=s.locked)
                  for s in board.scenes]  # fmt: skip
        return StoryboardIO(title=board.title, language=board.language, style=board.style,
                            characters=[CharacterIO(**c.model_dump()) for c in board.characters],
                            aspect=choices.aspect or studio.settings.render.aspect, scenes=scenes)  # fmt: skip

    def replaced(base: Storyboard, body: StoryboardIO) -> Storyboard:
        """The body read exactly as the studio's table is (same checks, same messages), then the fields the
        table does not show."""
        stored = {s.number: s for s in base.scenes}
        rows = []
        for i, scene in enumerate(body.scenes, 1):
            old = stored.get(scene.number or i)
            pick = lambda value, kept: kept if value is None else value  # noqa: E731
            rows.append([i, pick(scene.description, old.description if old else None),
                         pick(scene.narration, old.narration if old else ""),
                         pick(scene.seconds, old.duration if old else studio.settings.storyboard.default_scene_seconds),
                         pick(scene.camera, old.camera.value if old else None),
                         pick(scene.transition, old.transition.value if old else None)])  # fmt: skip
        # Rows keep their stored hidden fields by position; the API names scenes by number instead.
        top = max(s.seed for s in base.scenes)
        by_position = base.model_copy(update={"scenes": [
            stored.get(s.number or i) or Scene(number=i, description="-", seed=(top + 1009 * i) % 2**31)
            for i, s in enumerate(body.scenes, 1)]})  # fmt: skip
        if any(s.description is None and (s.number or i) not in stored for i, s in enumerate(body.scenes, 1)):
            raise UserError("cell_invalid", where_en="a new scene's ", where_zh="新镜头的", field_en="description",
                            field_zh="画面描述", problem_en="must not be empty", problem_zh="不能为空")  # fmt: skip
        board = frame_to_storyboard({"data": rows}, by_position.renumbered() if by_position.scenes else base)
        if len(board.scenes) != len(body.scenes):  # a scene with neither picture nor words
            raise UserError("cell_invalid", where_en="", where_zh="", field_en="every scene's description",
                            field_zh="每个镜头的画面描述", problem_en="must not be empty", problem_zh="不能为空")  # fmt: skip
        scenes = []
        for scene, given in zip(board.scenes, body.scenes, strict=True):
            update = {k: v for k, v in (("seed", given.seed), ("locked", given.locked)) if v is not None}
            try:
                scenes.append(Scene.model_validate({**scene.model_dump(), **update}) if update else scene)
            except ValidationError as err:
                raise cell_error(err, scene.number) from None
        bible = {"title": body.title if body.title is not None else base.title,
                 "style": body.style if body.style is not None else base.style,
                 "characters": [c.model_dump() for c in body.characters] if body.characters is not None
                 else [c.model_dump() for c in base.characters]}  # fmt: skip
        try:
            return Storyboard.model_validate(
                {**board.model_dump(), **bible, "scenes": [s.model_dump() for s in scenes]}
            )
        except ValidationError as err:
            raise cell_error(err) from None

    @router.get("/api/tasks/{task_id}/storyboard", response_model=StoryboardIO, tags=["storyboard"])
    def get_storyboard(task_id: int, request: Request, user: User = Depends(user_required)) -> StoryboardIO:
        """The task's storyboard: title, language, story bible, aspect ratio and scenes."""
        try:
            return storyboard_io(user, task_id)
        except UserError as err:
            raise fail(err, request) from None

    @router.put("/api/tasks/{task_id}/storyboard", response_model=StoryboardIO, tags=["storyboard"])
    def put_storyboard(task_id: int, body: StoryboardIO, request: Request,
                       user: User = Depends(user_required)) -> StoryboardIO:  # fmt: skip
        """Replace the task's storyboard. Every cell is checked as in the studio's table (a refused one is
        named, in the Accept-Language's language, and nothing is saved) and every text is moderated."""
        try:
            base = studio.storyboard(user, task_id)
            board = replaced(base, body)
            studio.save_storyboard(user, task_id, board, confirmed=body.confirm)
            if board.title != base.title:
                studio.rename_project(user, task_id, board.title)
            return storyboard_io(user, task_id)
        except UserError as err:
            raise fail(err, request) from None

    def queued(job, task_id: int) -> RenderQueued:
        from app.queue import job_params

        return RenderQueued(job_id=job.id, task_id=task_id, status=job.status, scenes=job_params(job).scenes)

    @router.post("/api/tasks/{task_id}/render", response_model=RenderQueued, tags=["storyboard"], status_code=202)
    def render_task(task_id: int, request: Request, body: RenderIn | None = None,
                    user: User = Depends(user_required)) -> RenderQueued:  # fmt: skip
        """Queue the task's render: every scene whose shot changed (locked scenes keep their clip), then the
        film. Follow it with GET /api/tasks/{id} or GET /api/queue."""
        try:
            return queued(studio.submit_render(user, task_id, quality=(body or RenderIn()).quality), task_id)
        except UserError as err:
            raise fail(err, request) from None

    @router.post("/api/tasks/{task_id}/scenes/{number}/render", response_model=RenderQueued, tags=["storyboard"],
                 status_code=202)  # fmt: skip
    def render_one_scene(task_id: int, number: int, request: Request, body: RenderIn | None = None,
                         user: User = Depends(user_required)) -> RenderQueued:  # fmt: skip
        """Queue a render of scene `number` alone (no film is assembled); a locked scene is refused."""
        try:
            return queued(studio.render_scene(user, task_id, number, (body or RenderIn()).quality), task_id)
        except UserError as err:
            raise fail(err, request) from None

    @router.get("/api/tasks", response_model=list[TaskStatus], tags=["tasks"])
    def list_tasks(request: Request, user: User = Depends(user_required)) -> list[TaskStatus]:
        return [task_status(user, p.id) for p in studio.projects(user)]

    @router.get("/api/tasks/{task_id}", response_model=TaskStatus, tags=["tasks"])
    def get_task(task_id: int, request: Request, user: User = Depends(user_required)) -> TaskStatus:
        try:
            return task_status(user, task_id)
        except UserError as err:
            raise fail(err, request) from None

    @router.post("/api/auth/register", response_model=Registered, tags=["auth"], status_code=201)
    def register(body: RegisterIn, request: Request) -> Registered:
        """Create a user: admins only, or anyone when [auth] allow_register is on."""
        asking = requester(request)
        is_admin = asking is not None and asking.role == "admin" and studio.settings.auth.require_login
        if not (is_admin or studio.settings.auth.allow_register):
            raise HTTPException(status_code=403, detail="registration is closed: ask an administrator")
        try:
            user = studio.accounts.create_user(body.username, body.password, email=body.email,
                                               created_by=asking.id if asking else None)  # fmt: skip
        except UserError as err:
            raise fail(err, request) from None
        return Registered(message="registered", user_id=user.id, username=user.username)

    @router.post("/api/auth/login", response_model=Tokens, tags=["auth"])
    def login(body: LoginIn, request: Request) -> Tokens:
        try:
            user = studio.accounts.authenticate(body.username, body.password)
        except UserError as err:
            raise fail(err, request) from None
        if user is None:
            raise HTTPException(status_code=401, detail="wrong user name or password")
        return Tokens(**studio.accounts.issue_tokens(user))

    @router.post("/api/auth/refresh", response_model=Tokens, tags=["auth"])
    def refresh(body: RefreshIn) -> Tokens:
        user = studio.accounts.user_from_token(body.refresh_token, kind="refresh")
        if user is None:
            raise HTTPException(status_code=401, detail="invalid or expired refresh token")
        return Tokens(**studio.accounts.issue_tokens(user))

    @router.get("/api/auth/me", response_model=Me, tags=["auth"])
    def me(user: User = Depends(user_required)) -> Me:
        return Me(user_id=user.id, username=user.username, email=user.email, role=user.role)

    @router.get("/api/queue", response_model=list[QueueEntry], tags=["tasks"])
    def queue(request: Request, user: User = Depends(user_required)) -> list[QueueEntry]:
        """The render queue in the order it runs: position 0 runs now, 1 is next (one order for every user,
        fair between users). Admins see every job; a user sees their own, at their real places, with
        progress and an ETA (None until the studio has finished a render to estimate from)."""
        lang = header_language(request.headers.get("accept-language"), default_lang)
        return studio.queue(user, lang)

    @router.get("/health", tags=["status"])
    def health() -> dict:
        """Alive, and which models are in memory now (a writer's LLM, a video engine's weights)."""
        return {"status": "ok", "llm_loaded": studio.llm_loaded, "video_loaded": studio.video_loaded,
                "device": studio.device().device, "worker": studio.worker_info()}  # fmt: skip

    @router.get("/api/model/status", tags=["status"])
    def model_status(user: User = Depends(user_required)) -> dict:
        device = studio.device()
        gpu = {"name": device.name, "total_gib": round(device.total_gib, 2), "free_gib": round(device.free_gib, 2)}
        return {
            "llm_loaded": studio.llm_loaded,
            "video_loaded": studio.video_loaded,
            "writer": studio.settings.storyboard.writer,
            "video_engine": studio.settings.video.engine,
            "gpu_info": gpu if device.device == "cuda" else None,
        }

    return router
