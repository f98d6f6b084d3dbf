"""What every tab shares: who is asking, in which language, and how errors reach them."""

from __future__ import annotations

import functools
import html
import inspect
import logging
from collections.abc import Callable
from types import MappingProxyType

import gradio as gr
import pandas as pd

from app.board_io import cell_error, frame_to_storyboard, table_rows  # noqa: F401 (the tabs import them here)
from app.i18n import COLUMNS, error_text, header_language, t
from app.studio import Studio
from models.errors import UserError
from models.storyboard import Storyboard
from storage.tables import User

log = logging.getLogger(__name__)


LANG_COOKIE = "sr_lang"  # the language picked on the page (header switch); else the browser's


def cookie_language(cookie_header: str | None) -> str | None:
    """'en' or 'zh' when the page's language switch set its cookie, else None."""
    for part in (cookie_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANG_COOKIE and value in ("en", "zh"):
            return value
    return None


def language(request: gr.Request | None, default: str) -> str:
    """The user's language: the one picked on the page, else the browser's Accept-Language, else the
    studio's default."""
    headers = getattr(request, "headers", None) if request is not None else None
    if headers is None:
        return default
    return cookie_language(headers.get("cookie")) or header_language(headers.get("accept-language"), default)


def need_project(value) -> int:
    """The current project's id from a picker or API value; UserError when none is open or it is not one."""
    if value is None or value == "" or value == 0:
        raise UserError("no_project")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError("project_missing") from None
    if number != int(number) or number < 1:
        raise UserError("project_missing")
    return int(number)


def current_user(studio: Studio, request: gr.Request | None) -> User:
    if not studio.settings.auth.require_login:
        return studio.local_user()
    user = studio.user_named(getattr(request, "username", None))
    if user is None:  # logged out or disabled since the page was opened
        raise UserError("login_required")
    return user


# Writing a storyboard is work any number of users may ask for at once: beside a render worker the writer
# runs in the writer process (app/writer.py, one write at a time there) and speech in the speech process, but
# the safety checks' embeddings still run in this process. Two at a time keep the writer and the checks busy;
# more only make every click in the process share the cores and the GIL with them, so the writers (write,
# rewrite, re-roll) share one group of two slots and wait in Gradio's queue instead, where the cheap reads never
# wait.
WRITE_SLOTS = 2
WRITE_GROUP = MappingProxyType({"concurrency_id": "storyboard_writers", "concurrency_limit": WRITE_SLOTS})


def handler(studio: Studio) -> Callable:
    """Wrap a handler so a UserError shows in the user's language and a bug never shows a stack trace."""

    def wrap(fn: Callable) -> Callable:
        def show(err: Exception, request: gr.Request | None) -> gr.Error:
            lang = language(request, studio.settings.server.language)
            if isinstance(err, UserError):
                return gr.Error(error_text(err, lang), print_exception=False)
            log.exception("handler %s failed", fn.__name__)
            return gr.Error(t("internal", lang), print_exception=False)

        def request_of(args: tuple, kwargs: dict) -> gr.Request | None:
            # Gradio passes the request where the wrapped function's signature puts it.
            return next((a for a in (*args, *kwargs.values()) if isinstance(a, gr.Request)), None)

        if inspect.isasyncgenfunction(fn):

            @functools.wraps(fn)
            async def agen(*args, **kwargs):
                try:
                    async for item in fn(*args, **kwargs):
                        yield item
                except gr.Error:
                    raise
                except Exception as err:
                    raise show(err, request_of(args, kwargs)) from None

            return agen

        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def gen(*args, **kwargs):
                try:
                    yield from fn(*args, **kwargs)
                except gr.Error:
                    raise
                except Exception as err:
                    raise show(err, request_of(args, kwargs)) from None

            return gen

        @functools.wraps(fn)
        def plain(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as err:
                raise show(err, request_of(args, kwargs)) from None

        return plain

    return wrap


def storyboard_frame(board: Storyboard | None, lang: str) -> pd.DataFrame:
    rows = [
        [s.number, s.description, s.narration, round(s.duration, 1), s.camera.value, s.transition.value]
        for s in (board.scenes if board else [])
    ]
    return pd.DataFrame(rows, columns=COLUMNS[lang])


def video_html(src: str, caption: str = "") -> str:
    """An HTML player for a file served by the ownership-checked media route."""
    return (
        f'<video src="{html.escape(src)}" controls preload="metadata" style="width:100%;max-height:70vh"></video>'
        + (f"<p>{html.escape(caption)}</p>" if caption else "")
    )
