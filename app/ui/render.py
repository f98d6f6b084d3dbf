"""Render tab: render the project's scenes (only those whose shot changed) and assemble the film."""

from __future__ import annotations

import json
import time

import gradio as gr

from app.i18n import t
from app.studio import Studio
from app.ui.common import current_user, handler, language, video_html
from models.errors import UserError

POLL_SECONDS = 0.3


def layout(shared: dict, i18n) -> None:
    gr.Markdown(i18n("preview_note"))
    with gr.Row():
        shared["render"] = gr.Button(i18n("render_film"), variant="primary", elem_id="render")
        shared["cancel"] = gr.Button(i18n("cancel"), variant="stop", elem_id="cancel")
    shared["status"] = gr.Textbox(label=i18n("status"), interactive=False, elem_id="status")
    shared["film_id"] = gr.Number(visible=False, precision=0)
    shared["render_player"] = gr.HTML(elem_id="render_player")


def preview_html(job_id: int, stamp: int) -> str:
    """The latest live preview of a running render (a cheap image the engine makes every few steps)."""
    return (
        f'<img src="/media/preview/{int(job_id)}?v={int(stamp)}" alt="preview" style="max-width:100%;max-height:50vh">'
    )


def job_text(job, lang: str) -> str:
    raw = job.error if job.status == "failed" else job.message
    if not raw:
        return t("queued", lang)
    info = json.loads(raw)
    return t(info["key"], lang, **info.get("params", {}))


def wire(studio: Studio, shared: dict) -> None:
    @handler(studio)
    def render(project_id, request: gr.Request, progress=gr.Progress()):
        lang = language(request, studio.settings.server.language)
        user = current_user(studio, request)
        if not project_id:
            raise UserError("storyboard_empty")
        job = studio.submit_render(user, int(project_id))
        last = last_stamp = None
        while True:
            job = studio.jobs.get(job.id)
            text = job_text(job, lang)
            progress(job.progress, desc=text)
            if job.status in ("done", "failed", "cancelled"):
                break
            preview = studio.jobs.preview_path(job.id)
            stamp = preview.stat().st_mtime_ns if preview.exists() else None
            if text != last or stamp != last_stamp:
                last, last_stamp = text, stamp
                yield text, preview_html(job.id, stamp) if stamp else gr.skip(), gr.skip()
            time.sleep(POLL_SECONDS)
        if job.status == "cancelled":
            yield t("render_cancelled", lang), "", None
        elif job.status == "failed":
            raise gr.Error(text, print_exception=False)
        else:
            film = studio.latest_film(user, int(project_id))
            done = t("render_done", lang, id=film.id, seconds=film.duration_sec)
            yield done, video_html(f"/media/film/{film.id}"), film.id

    @handler(studio)
    def cancel_render(project_id, request: gr.Request):
        lang = language(request, studio.settings.server.language)
        if project_id:
            studio.cancel_render(current_user(studio, request), int(project_id))
        return t("render_cancelled", lang)

    event = shared["render"].click(
        render,
        [shared["project"]],
        [shared["status"], shared["render_player"], shared["film_id"]],
        api_name="render",
        concurrency_limit=None,
    )
    shared["cancel"].click(
        cancel_render, [shared["project"]], [shared["status"]], api_name="cancel_render", cancels=[event]
    )
