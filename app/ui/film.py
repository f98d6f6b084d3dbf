"""Film tab: the assembled film of the current project, with its subtitle files."""

from __future__ import annotations

import html

import gradio as gr

from app.i18n import t
from app.pipeline import Studio
from app.ui.common import current_user, handler, language, video_html


def layout(shared: dict, i18n) -> None:
    shared["film_refresh"] = gr.Button(i18n("refresh"), elem_id="film_refresh")
    shared["film_player"] = gr.HTML(elem_id="film_player")


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

    shared["film_refresh"].click(show_film, [shared["project"]], [shared["film_player"]], api_name="film")
    shared["film_id"].change(show_film, [shared["project"]], [shared["film_player"]], api_visibility="private")
