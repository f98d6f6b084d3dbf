"""What every tab shares: who is asking, in which language, and how errors reach them."""

from __future__ import annotations

import functools
import html
import inspect
import logging
from collections.abc import Callable

import gradio as gr
import pandas as pd
from pydantic import ValidationError

from app.i18n import COLUMNS, error_text, header_language, t
from app.studio import Studio
from models.errors import UserError
from models.storyboard import Camera, Scene, Storyboard, Transition
from storage.tables import User

log = logging.getLogger(__name__)


def language(request: gr.Request | None, default: str) -> str:
    """The user's language from the browser's Accept-Language, else the studio's default."""
    headers = getattr(request, "headers", None) if request is not None else None
    return header_language(headers.get("accept-language") if headers is not None else None, default)


def current_user(studio: Studio, request: gr.Request | None) -> User:
    if not studio.settings.auth.require_login:
        return studio.local_user()
    user = studio.user_named(getattr(request, "username", None))
    if user is None:  # logged out or disabled since the page was opened
        raise UserError("login_required")
    return user


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
        [s.number, s.description, s.narration, s.duration, s.camera.value, s.transition.value]
        for s in (board.scenes if board else [])
    ]
    return pd.DataFrame(rows, columns=COLUMNS[lang])


def _cell(value, cast):
    if value is None or (isinstance(value, float) and value != value):  # NaN from an emptied cell
        return cast()
    return cast(value)


def table_rows(table) -> list[list]:
    """The rows of an edited table: a DataFrame from the page, or {"headers", "data"} over the API."""
    if table is None:
        return []
    if isinstance(table, dict):
        return [list(row) for row in table.get("data") or []]
    return table.values.tolist()


def frame_to_storyboard(frame, base: Storyboard) -> Storyboard:
    """Read an edited storyboard table back into a Storyboard; UserError naming the bad cell otherwise."""
    rows = table_rows(frame)
    seeds = {s.number: s.seed for s in base.scenes}
    # What the table does not show (a scene's facts, whether its description was edited, fields added later)
    # is kept from the stored scene of that row.
    table_fields = {"number", "description", "narration", "duration", "camera", "transition", "seed"}
    hidden = {s.number: s.model_dump(exclude=table_fields) for s in base.scenes}
    described = {s.number: s.description for s in base.scenes}
    scenes = []
    for i, row in enumerate(rows, 1):
        row = list(row) + [None] * (6 - len(row))
        if all(_cell(c, str).strip() == "" for c in row[1:3]):
            continue  # an empty line added by the table editor
        try:
            camera = _cell(row[4], str).strip() or Camera.STATIC.value
            transition = _cell(row[5], str).strip() or Transition.CUT.value
            kept = dict(hidden.get(i, {}))
            if i in described and _cell(row[1], str).strip() != described[i]:
                kept["description_edited"] = True  # a person's words are kept, never recomposed from facts
            scenes.append(
                Scene(
                    **kept,
                    number=len(scenes) + 1,
                    description=_cell(row[1], str),
                    narration=_cell(row[2], str),
                    duration=float(_cell(row[3], float) or 0),
                    camera=camera,
                    transition=transition,
                    seed=seeds.get(i, base.scenes[-1].seed + i),
                )
            )
        except (ValidationError, ValueError, TypeError) as err:
            raise UserError("storyboard_invalid", detail=_describe(err, i)) from None
    if not scenes:
        raise UserError("storyboard_empty")
    try:
        return Storyboard.model_validate({**base.model_dump(exclude={"scenes"}), "scenes": scenes})
    except ValidationError as err:
        raise UserError("storyboard_invalid", detail=_describe(err, 0)) from None


def _describe(err: Exception, row: int) -> str:
    where = f"scene {row}: " if row else ""
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        allowed = {"camera": ", ".join(c.value for c in Camera), "transition": ", ".join(x.value for x in Transition)}
        hint = f" (allowed: {allowed[field]})" if field in allowed else ""
        return f"{where}{field}: {first['msg']}{hint}"
    return f"{where}{err}"


def video_html(src: str, caption: str = "") -> str:
    """An HTML player for a file served by the ownership-checked media route."""
    return (
        f'<video src="{html.escape(src)}" controls preload="metadata" style="width:100%;max-height:70vh"></video>'
        + (f"<p>{html.escape(caption)}</p>" if caption else "")
    )
