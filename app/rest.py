"""The seed's REST interface (its section 3.4.1), on the studio's own server, with OpenAPI docs at
/api/docs. Requests carry `Authorization: Bearer <access token>` from /api/auth/login; in single-creator
mode (login off) a request without a token acts as the local creator, as the studio UI does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from app.i18n import error_text, header_language
from app.queue import QueueEntry
from app.studio import Studio
from models.errors import UserError
from models.vram import probe_device
from storage.tables import User

NOT_FOUND_KEYS = {"project_missing", "user_missing"}


class TaskIn(BaseModel):
    prompt: str = Field(description="The idea, in Chinese or English.")
    confirm: bool = Field(False, description="Go on despite moderation warnings (blocks always stop).")


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
        """Create a task: write the storyboard from the prompt and queue the film's render."""
        try:
            project, _ = studio.create_project(user, body.prompt, confirmed=body.confirm, source="rest")
            studio.submit_render(user, project.id)
        except UserError as err:
            raise fail(err, request) from None
        return TaskCreated(task_id=project.id, status=project.status, created_at=project.created_at)

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
                "device": probe_device().device}  # fmt: skip

    @router.get("/api/model/status", tags=["status"])
    def model_status(user: User = Depends(user_required)) -> dict:
        device = probe_device()
        gpu = {"name": device.name, "total_gib": round(device.total_gib, 2), "free_gib": round(device.free_gib, 2)}
        return {
            "llm_loaded": studio.llm_loaded,
            "video_loaded": studio.video_loaded,
            "writer": studio.settings.storyboard.writer,
            "video_engine": studio.settings.video.engine,
            "gpu_info": gpu if device.device == "cuda" else None,
        }

    return router
