"""Storyboard tab: the editable table of scenes; every save is validated before it is stored."""

from __future__ import annotations

import gradio as gr

from app.i18n import COLUMNS, t
from app.pipeline import Studio
from app.ui.common import current_user, frame_to_storyboard, handler, language, storyboard_frame


def layout(shared: dict, i18n, lang: str) -> None:
    shared["board"] = gr.Dataframe(
        headers=COLUMNS[lang],
        datatype=["number", "str", "str", "number", "str", "str"],
        interactive=True,
        wrap=True,
        static_columns=[0],
        elem_id="board",
        column_widths=["5%", "35%", "35%", "8%", "9%", "8%"],
    )
    with gr.Row():
        shared["save"] = gr.Button(i18n("save_storyboard"), variant="primary", elem_id="save")


def wire(studio: Studio, shared: dict) -> None:
    @handler(studio)
    def load_storyboard(project_id, request: gr.Request):
        lang = language(request, studio.settings.server.language)
        if not project_id:
            return storyboard_frame(None, lang)
        board = studio.storyboard(current_user(studio, request), int(project_id))
        return storyboard_frame(board, lang)

    @handler(studio)
    def save_storyboard(project_id, table, confirm, request: gr.Request):
        lang = language(request, studio.settings.server.language)
        user = current_user(studio, request)
        if not project_id:
            return storyboard_frame(None, lang), t("storyboard_empty", lang)
        base = studio.storyboard(user, int(project_id))
        board = studio.save_storyboard(user, int(project_id), frame_to_storyboard(table, base), bool(confirm))
        return storyboard_frame(board, lang), t("storyboard_saved", lang, n=len(board.scenes), seconds=board.duration)

    shared["project"].change(load_storyboard, [shared["project"]], [shared["board"]], api_name="load_storyboard")
    shared["save"].click(
        save_storyboard,
        [shared["project"], shared["board"], shared["confirm"]],
        [shared["board"], shared["message"]],
        api_name="save_storyboard",
    )
