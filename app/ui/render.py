"""Render tab: render the film (a draft, the final, or a draft then the final of the same storyboard) with
its place in the queue, each scene's progress and ETA, the live preview and each scene's clip as it
finishes; cancel at any time. Scenes whose shot did not change are never rendered again."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import gradio as gr
from anyio import to_thread

from app.i18n import t
from app.queue import job_text
from app.studio import Studio
from app.ui.cards import film_player, render_cards
from app.ui.common import current_user, handler, language, need_project
from models.errors import UserError
from storage.tables import FilmRow, User

POLL_SECONDS = 0.3
# A job waiting its turn changes only when one ahead of it ends: looked at less often (20 users' queued renders,
# each looked at every 0.3 s, kept the page busy for nothing).
QUEUED_POLL_SECONDS = 1.0
FINISHED = ("done", "failed", "cancelled")


def layout(shared: dict, i18n) -> None:
    gr.Markdown(i18n("preview_note"), elem_id="preview_note")
    with gr.Row(equal_height=True):
        shared["r_quality"] = gr.Radio(
            [(i18n("quality_draft"), "draft"), (i18n("quality_final"), "final"), (i18n("quality_both"), "both")],
            value="final", label=i18n("quality"), elem_id="r_quality", scale=3,
        )  # fmt: skip
        shared["render"] = gr.Button(i18n("render_film"), variant="primary", elem_id="render", scale=1)
        shared["cancel"] = gr.Button(i18n("cancel"), variant="stop", elem_id="cancel", scale=1)
    shared["status"] = gr.Textbox(label=i18n("status"), interactive=False, elem_id="status")
    shared["queue_info"] = gr.Markdown(elem_id="queue_info")
    shared["render_scenes"] = gr.HTML(elem_id="render_scenes")
    shared["film_id"] = gr.Number(visible=False, precision=0)
    shared["render_player"] = gr.HTML(elem_id="render_player")
    shared["render_timer"] = gr.Timer(1.0, active=False)


def preview_html(job_id: int, stamp: int) -> str:
    """The latest live preview of a running render (a cheap image the engine makes every few steps)."""
    return (
        f'<img src="/media/preview/{int(job_id)}?v={int(stamp)}" alt="preview" style="max-width:100%;max-height:50vh">'
    )


async def wait_for(studio: Studio, job, lang: str, progress, prefix: str = ""):
    """Yield (text, preview stamp) while the job runs; stop once it has finished.

    An async generator: between two looks at the job it sleeps on the event loop, not in one of the server's
    worker threads (20 users rendering held 20 of them, sleeping, while clicks waited for a free one). The
    look itself (a SQLite read) runs in a thread, so a busy database never stalls the event loop."""
    last = last_stamp = shown = None
    while True:
        job = await to_thread.run_sync(studio.jobs.get, job.id)
        text = prefix + job_text(job, lang)
        if (job.progress, text) != shown:  # each call is a message to the page: only when there is news
            shown = (job.progress, text)
            progress(job.progress, desc=text)
        if job.status in FINISHED:
            return
        preview = studio.jobs.preview_path(job.id)
        stamp = preview.stat().st_mtime_ns if preview.exists() else None
        if text != last or stamp != last_stamp:
            last, last_stamp = text, stamp
            yield text, stamp
        await asyncio.sleep(POLL_SECONDS if job.status == "running" else QUEUED_POLL_SECONDS)


def finished_or_raise(job, lang: str) -> None:
    if job.status == "failed":
        raise gr.Error(job_text(job, lang), print_exception=False)


@dataclass
class Followed:
    """Where follow_render leaves its job: its id (for the live preview) and, once it has stopped, whether it
    was cancelled or else the project's latest film."""

    job_id: int = 0
    cancelled: bool = False
    film: FilmRow | None = None


async def follow_render(studio: Studio, user: User, pid: int, quality: str | None, lang: str, progress,
                        followed: Followed, prefix: str = ""):  # fmt: skip
    """Follow a render job to its film: submit the project's render, yield (text, preview stamp) while it runs
    (see wait_for), then fill `followed`. A failed job raises gr.Error with the job's own message. Both the
    Render tab and the Film tab's finishing pass end this way; what each shows stays with its handler."""
    job = await to_thread.run_sync(lambda: studio.submit_render(user, pid, quality=quality))
    followed.job_id = job.id
    async for update in wait_for(studio, job, lang, progress, prefix):
        yield update
    job = await to_thread.run_sync(studio.jobs.get, job.id)
    if job.status == "cancelled":
        followed.cancelled = True
        return
    finished_or_raise(job, lang)
    followed.film = await to_thread.run_sync(studio.latest_film, user, pid)


def wire(studio: Studio, shared: dict) -> None:
    default = studio.settings.server.language

    # Async: they wait on the event loop, not in a worker thread (see wait_for); what they ask of the studio
    # runs in a thread.
    @handler(studio)
    async def render(project_id, quality, request: gr.Request, progress=gr.Progress()):
        lang = language(request, default)
        user = await to_thread.run_sync(current_user, studio, request)
        pid = need_project(project_id)
        if quality not in (None, "", "draft", "final", "both"):
            raise UserError("render_quality_invalid", quality=str(quality)[:20])
        passes = ["draft", "final"] if quality == "both" else [quality or None]
        film = None
        for n, q in enumerate(passes, 1):
            prefix = t("render_pass", lang, n=n, total=len(passes), quality=t(f"quality_{q}", lang)) + " " if len(
                passes) > 1 else ""  # fmt: skip
            followed = Followed()
            async for text, stamp in follow_render(studio, user, pid, q, lang, progress, followed, prefix):
                yield text, preview_html(followed.job_id, stamp) if stamp else gr.skip(), gr.skip()
            if followed.cancelled:
                yield t("render_cancelled", lang), "", None
                return
            film = followed.film
            if n < len(passes) and film is not None:  # the draft film plays while the final renders
                yield t("render_draft_done", lang, seconds=film.duration_sec), film_player(film, lang), film.id
        done = t("render_done", lang, id=film.id, seconds=film.duration_sec)
        project = await to_thread.run_sync(studio.project, user, pid)
        yield done, film_player(film, lang, project.language), film.id

    @handler(studio)
    async def render_scene(project_id, number, quality, request: gr.Request, progress=gr.Progress()):
        """Render one scene alone (no film): its clip shows as soon as it is done."""
        lang = language(request, default)
        user = await to_thread.run_sync(current_user, studio, request)
        pid = need_project(project_id)
        number = int(number or 0)
        q = quality if quality in ("draft", "final") else None
        job = await to_thread.run_sync(studio.render_scene, user, pid, number, q)
        async for text, _ in wait_for(studio, job, lang, progress, t("scene_prefix", lang, number=number) + " "):
            yield f"<p>{text}</p>", text
        job = await to_thread.run_sync(studio.jobs.get, job.id)
        if job.status == "cancelled":
            yield "", t("render_cancelled", lang)
            return
        finished_or_raise(job, lang)
        clips = await to_thread.run_sync(studio.scene_clips, user, pid, q)
        clip = next(c for c in clips if c.number == number)
        video = (f'<video src="/media/clip/{clip.clip_id}" controls autoplay muted loop playsinline '
                 f'style="max-width:480px;width:100%"></video>') if clip.clip_id else ""  # fmt: skip
        done = t("scene_rendered", lang, number=number)
        yield f"<p>{done}</p>{video}", done

    @handler(studio)
    def cancel_render(project_id, request: gr.Request):
        lang = language(request, default)
        if project_id:
            studio.cancel_render(current_user(studio, request), need_project(project_id))
        return t("render_cancelled", lang)

    @handler(studio)
    def render_panel(project_id, quality, request: gr.Request):
        """The queue place, every scene's state and the finished clips; the timer stops once nothing runs."""
        lang = language(request, default)
        if not project_id:
            return "", "", gr.Timer(active=False)
        user, pid = current_user(studio, request), need_project(project_id)
        state = studio.render_state(user, pid, lang)
        q = state.quality if state is not None else (quality if quality in ("draft", "final") else None)
        board = studio.storyboard(user, pid)
        active = None
        if state is not None and state.scene is not None:
            active = {"scene": state.scene, "fraction": state.scene_fraction, "eta": state.scene_eta}
        cards = render_cards(board, studio.scene_clips(user, pid, q), active, lang)
        if state is None:
            return t("queue_idle", lang), cards, gr.Timer(active=False)
        eta = t("eta_seconds", lang, seconds=state.eta_seconds) if state.eta_seconds is not None else ""
        if state.position == 0:
            info = t("queue_running", lang, message=state.message, eta=eta)
        else:
            info = t("queue_waiting", lang, ahead=state.position, eta=eta)
        return info, cards, gr.Timer(active=True)

    panel_in = [shared["project"], shared["r_quality"]]
    panel_out = [shared["queue_info"], shared["render_scenes"], shared["render_timer"]]
    start_timer = {"fn": lambda: gr.Timer(active=True), "inputs": None, "outputs": [shared["render_timer"]],
                   "api_visibility": "private", "queue": False}  # fmt: skip
    event = shared["render"].click(
        render,
        [shared["project"], shared["r_quality"]],
        [shared["status"], shared["render_player"], shared["film_id"]],
        api_name="render",
        concurrency_limit=None,
    )
    shared["render"].click(**start_timer)
    event.then(render_panel, panel_in, panel_out, api_visibility="private")
    scene_event = shared["render_scene"].click(
        render_scene, [shared["project"], shared["scene_no"], shared["r_quality"]],
        [shared["scene_render_status"], shared["message"]], api_name="render_scene", concurrency_limit=None,
    )  # fmt: skip
    shared["render_scene"].click(**start_timer)
    scene_fn, scene_in, scene_out = shared["scene_panel"]
    scene_event.then(scene_fn, scene_in, scene_out, api_visibility="private")
    shared["cancel"].click(cancel_render, [shared["project"]], [shared["status"]], api_name="cancel_render",
                           cancels=[event, scene_event])  # fmt: skip
    shared["render_timer"].tick(render_panel, panel_in, panel_out, api_visibility="private")
    shared["project"].change(render_panel, panel_in, panel_out, api_visibility="private")
