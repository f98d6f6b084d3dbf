"""Film tab: the assembled film of the current project, with its subtitle files."""

from __future__ import annotations

import html

import gradio as gr

from app.i18n import t
from app.studio import Studio
from app.ui.common import current_user, handler, language, video_html
from models.errors import UserError
from models.music import MOODS

TRANSITIONS = ["storyboard", "cut", "fade", "dissolve", "wipe", "slide"]


def layout(shared: dict, i18n, settings) -> None:
    shared["film_refresh"] = gr.Button(i18n("refresh"), elem_id="film_refresh")
    shared["film_player"] = gr.HTML(elem_id="film_player")
    m, a = settings.music, settings.assembly
    with gr.Accordion(i18n("reassemble_title"), open=False):
        gr.Markdown(i18n("reassemble_note"))
        with gr.Row():
            shared["ra_music"] = gr.Dropdown(["library", "procedural", "file", "none"], value=m.source,
                                             label=i18n("music_source"), elem_id="ra_music")  # fmt: skip
            shared["ra_mood"] = gr.Dropdown(list(MOODS), value=m.mood, label=i18n("music_mood"), elem_id="ra_mood")
            shared["ra_volume"] = gr.Slider(0.0, 1.5, value=m.volume, step=0.05, label=i18n("music_volume"))
        shared["ra_file"] = gr.File(label=i18n("music_file"), file_types=["audio"], type="filepath")
        with gr.Row():
            shared["ra_transition"] = gr.Dropdown(TRANSITIONS, value="storyboard", label=i18n("transition_all"),
                                                  elem_id="ra_transition")  # fmt: skip
            shared["ra_burn"] = gr.Checkbox(a.burn_subtitles, label=i18n("burn_subtitles"))
            shared["ra_size"] = gr.Slider(12, 60, value=a.subtitle_size, step=1, label=i18n("subtitle_size"))
        shared["ra_go"] = gr.Button(i18n("reassemble"), variant="primary", elem_id="ra_go")


def wire(studio: Studio, shared: dict) -> None:
    @handler(studio)
    def show_film(project_id, request: gr.Request):
        lang = language(request, studio.settings.server.language)
        if not project_id:
            return t("no_film", lang)
        film = studio.latest_film(current_user(studio, request), int(project_id))
        if film is None:
            return html.escape(t("no_film", lang))
        links = (
            f'<a href="/media/film/{film.id}" download>MP4</a> · '
            f'<a href="/media/srt/{film.id}" download>SRT</a> · <a href="/media/vtt/{film.id}" download>VTT</a>'
        )
        return video_html(f"/media/film/{film.id}") + f"<p>{links} · {film.duration_sec:.1f} s · {film.resolution}</p>"

    @handler(studio)
    def reassemble(project_id, music, mood, volume, upload, transition, burn, size, request: gr.Request,
                   progress=gr.Progress()):  # fmt: skip
        lang = language(request, studio.settings.server.language)
        user = current_user(studio, request)
        if not project_id:
            raise UserError("storyboard_empty")
        progress(0.1, desc=t("assembling", lang))
        music_file = None
        if music == "file":
            if not upload:
                raise UserError("music_unreadable")
            music_file = studio.keep_upload(user, upload)  # Gradio's cache is shared and temporary
        film = studio.reassemble(
            user, int(project_id), music=music, mood=mood, music_volume=float(volume), music_file=music_file,
            transition=None if transition == "storyboard" else transition, burn_subtitles=bool(burn),
            subtitle_size=int(size),
        )  # fmt: skip
        return show_film(project_id, request), t("render_done", lang, id=film.id, seconds=film.duration_sec)

    shared["ra_go"].click(
        reassemble,
        [shared["project"], shared["ra_music"], shared["ra_mood"], shared["ra_volume"], shared["ra_file"],
         shared["ra_transition"], shared["ra_burn"], shared["ra_size"]],
        [shared["film_player"], shared["message"]], api_name="reassemble", concurrency_id="assemble",
        concurrency_limit=1,
    )  # fmt: skip
    shared["film_refresh"].click(show_film, [shared["project"]], [shared["film_player"]], api_name="film")
    shared["film_id"].change(show_film, [shared["project"]], [shared["film_player"]], api_visibility="private")
