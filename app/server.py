"""The web server: FastAPI with the ownership-checked media route and /health, the Gradio studio
mounted at "/" beside them. Start with `serve(settings)`; `create_app` is what tests mount."""

from __future__ import annotations

import asyncio
import logging
import secrets

from app.privacy import apply_offline_env

apply_offline_env()  # before gradio is imported

import gradio as gr  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI, HTTPException, Request  # noqa: E402
from fastapi.responses import FileResponse, JSONResponse, Response  # noqa: E402
from starlette.routing import Mount  # noqa: E402

from app.rest import build_router  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.studio import Studio  # noqa: E402
from app.ui.studio import FONT_CSS, FONT_URL, HEAD, LANG_SCRIPT, build_blocks, make_i18n, theme  # noqa: E402
from models.errors import UserError  # noqa: E402
from models.fonts import cjk_font_path  # noqa: E402
from storage.tables import User  # noqa: E402

log = logging.getLogger(__name__)
# On SIGTERM (or Ctrl+C) requests in flight get this long to finish; streams still open then (a render's
# progress, which lasts minutes) are cut. Uvicorn waited for every open connection before: with 20 clients
# following renders the studio did not exit within 90 s (bench/shutdown.py). A cut render is not lost: its job
# stays "running" in the table and resumes, from its finished scenes, at the next start.
SHUTDOWN_GRACE_SECONDS = 3
MEDIA_TYPES = {"film": "video/mp4", "clip": "video/mp4", "srt": "application/x-subrip", "vtt": "text/vtt",
               "preview": "image/jpeg", "clip_poster": "image/jpeg", "film_poster": "image/jpeg"}  # fmt: skip


def ensure_admin(studio: Studio) -> str | None:
    """With login on and no password account yet, create `admin` with a one-time password; return it."""
    if studio.accounts.any_password_account():
        return None
    password = secrets.token_urlsafe(12)
    existing = studio.accounts.by_name("admin")
    if existing is None:
        studio.accounts.create_user("admin", password, role="admin")
    else:
        studio.accounts.set_password(existing.id, password)
        studio.accounts.set_role(existing.id, "admin")
        studio.accounts.set_active(existing.id, True)
    return password


def make_gradio_auth(studio: Studio):
    def auth(username: str, password: str) -> bool:
        try:
            return studio.accounts.authenticate(username, password) is not None
        except UserError:  # throttled: refused like a wrong password, without checking it
            return False

    return auth


def _gradio_username(app: FastAPI, request: Request) -> str | None:
    # Gradio keeps login sessions in its mounted app (tokens by cookie); read them to know who asks.
    gapp = next((r.app for r in app.routes if isinstance(r, Mount)), None)
    if gapp is None:
        return None
    cookie = request.cookies.get(f"access-token-{gapp.cookie_id}") or request.cookies.get(
        f"access-token-unsecure-{gapp.cookie_id}"
    )
    return gapp.tokens.get(cookie) if cookie else None


def create_app(studio: Studio) -> FastAPI:
    settings = studio.settings
    api = FastAPI(title="Storyreel", description="The seed's REST interface (section 3.4.1) and user media.",
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)  # fmt: skip

    def requester(request: Request) -> User | None:
        """Who sent this request: a bearer token, the studio's login cookie, or (login off) the creator."""
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return studio.accounts.user_from_token(auth[7:].strip())
        if not settings.auth.require_login:
            return studio.local_user()
        return studio.user_named(_gradio_username(api, request))

    @api.middleware("http")
    async def docs_need_login(request: Request, call_next):
        # In LAN mode a stranger sees nothing, the API's description included.
        if settings.auth.require_login and request.url.path.startswith(("/api/docs", "/api/openapi.json")):
            if requester(request) is None:
                return JSONResponse({"detail": "login required"}, status_code=401)
        return await call_next(request)

    @api.middleware("http")
    async def page_language(request: Request, call_next):
        # The page's language switch must act before Gradio's script reads the browser's language, and the CJK
        # font's faces must exist before Gradio draws text; both happen before Gradio adds our `head`: so they
        # go at the very top of the page itself.
        response = await call_next(request)
        if request.method != "GET" or request.url.path != "/" or "text/html" not in response.headers.get(
            "content-type", ""
        ):  # fmt: skip
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])
        body = body.replace(b"<head>", b"<head>" + (LANG_SCRIPT + FONT_CSS).encode(), 1)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(body, status_code=response.status_code, headers=headers, media_type="text/html")

    @api.get(FONT_URL, include_in_schema=False)
    def cjk_font() -> FileResponse:
        """The shipped CJK font (a public asset, like Gradio's own scripts), so the page needs no CDN."""
        font = cjk_font_path()
        if font is None:
            raise HTTPException(status_code=404)
        return FileResponse(font, media_type="font/otf", headers={"Cache-Control": "public, max-age=604800"})

    @api.get("/media/{kind}/{item_id}", tags=["media"])
    def media(kind: str, item_id: int, request: Request) -> FileResponse:
        """A user's film, subtitle or clip: only its owner (or an admin) gets it; others get 404."""
        user = requester(request)
        if user is None:
            raise HTTPException(status_code=401, detail="login required")
        if kind not in MEDIA_TYPES:
            raise HTTPException(status_code=404)
        try:
            path = studio.media_file(user, kind, item_id)
        except UserError:
            raise HTTPException(status_code=404) from None
        return FileResponse(path, media_type=MEDIA_TYPES[kind], filename=f"storyreel-{kind}-{item_id}{path.suffix}")

    api.include_router(build_router(studio, requester))
    demo = build_blocks(studio)
    auth = make_gradio_auth(studio) if settings.auth.require_login else None
    return gr.mount_gradio_app(
        api, demo, path="/", auth=auth, theme=theme(), i18n=make_i18n(), head=HEAD,
        footer_links=["api", "settings"], show_error=True,
        allowed_paths=[],  # user media is served only by /media above, never by Gradio's file route
    )  # fmt: skip


class _QuietCancel(logging.Filter):
    """Drops uvicorn's traceback for a stream cut at shutdown (a CancelledError, one per open stream): the stop
    is the studio's own doing, not a crash to read about in its log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


class _Server(uvicorn.Server):
    """Uvicorn's server with a bounded stop: browsers' heartbeat streams are ended at once (as Gradio's own
    launcher does), requests in flight get SHUTDOWN_GRACE_SECONDS, and then the studio's child processes
    (render worker, writer, speech) are stopped inside the shutdown itself: uvicorn raises the SIGTERM it
    caught again once it has stopped, which ends this process before any code after `run()` would run."""

    def __init__(self, config: uvicorn.Config, studio: Studio, gradio_app: object) -> None:
        super().__init__(config)
        self.studio, self.gradio_app = studio, gradio_app

    async def shutdown(self, sockets=None) -> None:
        stop = getattr(self.gradio_app, "stop_event", None)
        if stop is not None:
            stop.set()
        logging.getLogger("uvicorn.error").addFilter(_QuietCancel())
        await super().shutdown(sockets)  # stops accepting; cuts what is still open after the grace period
        await asyncio.to_thread(self.studio.close)


def serve(settings: Settings) -> None:
    studio = Studio(settings)
    if settings.auth.require_login and (password := ensure_admin(studio)):
        log.warning("First start: created user 'admin' with the one-time password %s  (change it in Admin)", password)
    studio.start()
    app = create_app(studio)
    host, port = settings.server.host, settings.server.port
    log.info("Storyreel is serving on http://%s:%d", "127.0.0.1" if host in ("0.0.0.0", "::") else host, port)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS)  # fmt: skip
    try:
        _Server(config, studio, next((r.app for r in app.routes if isinstance(r, Mount)), None)).run()
    finally:
        studio.close()  # when the server never started, or stopped without a signal
