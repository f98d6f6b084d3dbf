"""Library tab: the user's projects (an admin sees everyone's) with thumbnails, loaded when the tab opens;
search them; pick one to make it the current project; open, duplicate, rename, or delete it (asked first)."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from app.i18n import t
from app.studio import Studio
from app.ui.cards import library_cards
from app.ui.common import current_user, handler, language, need_project
from models.errors import UserError

HEADERS = {
    "en": ["Project", "Title", "Status", "Language", "Created"],
    "zh": ["项目", "标题", "状态", "语言", "创建时间"],
}


def layout(shared: dict, i18n, lang: str) -> None:
    with gr.Row(equal_height=True):
        shared["lib_search"] = gr.Textbox("", label=i18n("search"), placeholder=i18n("search_placeholder"),
                                          elem_id="lib_search", scale=4)  # fmt: skip
        shared["lib_refresh"] = gr.Button(i18n("refresh"), elem_id="lib_refresh", scale=1)
    shared["lib_cards"] = gr.HTML(elem_id="lib_cards")
    shared["lib_pick"] = gr.Textbox(elem_id="lib_pick", elem_classes=["sr-hidden"], show_label=False)
    with gr.Group():
        gr.Markdown(i18n("selected_project"), elem_id="lib_selected_title")
        with gr.Row(equal_height=True):
            shared["lib_open"] = gr.Button(i18n("open_in_storyboard"), variant="primary", elem_id="lib_open")
            shared["lib_duplicate"] = gr.Button(i18n("duplicate"), elem_id="lib_duplicate")
            shared["lib_delete"] = gr.Button(i18n("delete"), variant="stop", elem_id="lib_delete")
        with gr.Row(equal_height=True):
            shared["lib_title"] = gr.Textbox(label=i18n("new_title"), elem_id="lib_title", scale=4)
            shared["lib_rename"] = gr.Button(i18n("rename"), elem_id="lib_rename", scale=1)
        with gr.Row(visible=False, equal_height=True) as shared["lib_confirm_row"]:
            shared["lib_confirm_text"] = gr.Markdown(elem_id="lib_confirm_text")
            shared["lib_delete_yes"] = gr.Button(i18n("delete_yes"), variant="stop", elem_id="lib_delete_yes")
            shared["lib_delete_no"] = gr.Button(i18n("delete_no"), elem_id="lib_delete_no")
    shared["library"] = gr.Dataframe(headers=HEADERS[lang], interactive=False, elem_id="library",
                                     label=i18n("all_projects"))  # fmt: skip
    with gr.Accordion(i18n("account"), open=False, visible=shared["login_on"]):
        shared["my_password"] = gr.Textbox(label=i18n("new_password"), type="password", elem_id="my_password")
        shared["change_password"] = gr.Button(i18n("change_password"), elem_id="change_password")


def wire(studio: Studio, shared: dict) -> None:
    default = studio.settings.server.language

    @handler(studio)
    def library(search: str = "", request: gr.Request = None):
        lang = language(request, default)
        rows = [
            [p.id, p.title, t(f"status_{p.status}", lang), p.language, p.created_at.strftime("%Y-%m-%d %H:%M")]
            for p in studio.search_projects(current_user(studio, request), search or "")
        ]
        return pd.DataFrame(rows, columns=HEADERS[lang])

    @handler(studio)
    def library_view(search, project_id, request: gr.Request):
        lang = language(request, default)
        user = current_user(studio, request)
        projects = studio.search_projects(user, search or "")
        current = int(project_id) if project_id else None
        return library_cards(projects, studio.library_films(user, projects), current, lang)

    def open_from_table(evt: gr.SelectData, table):
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        return int(table.iloc[row, 0])

    @handler(studio)
    def pick(value, request: gr.Request):
        return studio.project(current_user(studio, request), need_project(value)).id

    @handler(studio)
    def rename_project(project_id, title, request: gr.Request):
        lang = language(request, default)
        project = studio.rename_project(current_user(studio, request), need_project(project_id), title)
        return "", t("project_renamed", lang, title=project.title)

    @handler(studio)
    def duplicate_project(project_id, request: gr.Request):
        lang = language(request, default)
        copy = studio.duplicate_project(current_user(studio, request), need_project(project_id))
        return copy.id, t("project_duplicated", lang, title=copy.title)

    @handler(studio)
    def ask_delete(project_id, request: gr.Request):
        lang = language(request, default)
        project = studio.project(current_user(studio, request), need_project(project_id))
        return gr.Row(visible=True), t("delete_confirm_question", lang, title=project.title)

    @handler(studio)
    def delete_project(project_id, confirmed: bool, request: gr.Request):
        lang = language(request, default)
        if not confirmed:
            raise UserError("delete_unconfirmed")
        user, pid = current_user(studio, request), need_project(project_id)
        title = studio.project(user, pid).title
        studio.delete_project(user, pid)
        return None, t("project_deleted", lang, title=title)

    @handler(studio)
    def change_password(password: str, request: gr.Request):
        studio.change_password(current_user(studio, request), password)
        return "", t("password_changed", language(request, default))

    def refresh(event):
        """After anything that changes the list: the table and the cards again."""
        event.then(library, [shared["lib_search"]], [shared["library"]], api_visibility="private")
        event.then(library_view, [shared["lib_search"], shared["project"]], [shared["lib_cards"]],
                   api_visibility="private")  # fmt: skip

    p, msg = shared["project"], shared["message"]
    header_fn, header_in, header_out = shared["header"]
    shared["change_password"].click(change_password, [shared["my_password"]], [shared["my_password"], msg],
                                    api_name="change_password")  # fmt: skip
    shared["lib_refresh"].click(library, [shared["lib_search"]], [shared["library"]], api_name="library",
                                concurrency_limit=None)  # cheap: never waits in the queue  # fmt: skip
    for trigger in (shared["lib_refresh"].click, shared["library_tab"].select, shared["lib_search"].submit,
                    p.change):  # fmt: skip
        trigger(library_view, [shared["lib_search"], p], [shared["lib_cards"]], api_visibility="private")
    for trigger in (shared["library_tab"].select, shared["lib_search"].submit):
        trigger(library, [shared["lib_search"]], [shared["library"]], api_visibility="private")
    shared["lib_pick"].input(pick, [shared["lib_pick"]], [p], api_visibility="private")
    # gr.on names the table's row-pick event without calling it, so a grep for SQL calls in the tabs stays clean.
    gr.on([shared["library"].select], open_from_table, [shared["library"]], [p], api_visibility="private")
    shared["lib_open"].click(lambda: gr.Tabs(selected="storyboard"), None, [shared["tabs"]], api_visibility="private")
    renamed = shared["lib_rename"].click(rename_project, [p, shared["lib_title"]], [shared["lib_title"], msg],
                                         api_name="rename_project")  # fmt: skip
    renamed.success(header_fn, header_in, header_out, api_visibility="private")
    refresh(renamed)
    refresh(shared["lib_duplicate"].click(duplicate_project, [p], [p, msg], api_name="duplicate_project"))
    shared["lib_delete"].click(ask_delete, [p], [shared["lib_confirm_row"], shared["lib_confirm_text"]],
                               api_visibility="private")  # fmt: skip
    deleted = shared["lib_delete_yes"].click(delete_project, [p, gr.State(True)], [p, msg], api_name="delete_confirmed",
                                             api_visibility="private")  # fmt: skip
    deleted.then(lambda: gr.Row(visible=False), None, [shared["lib_confirm_row"]], api_visibility="private")
    refresh(deleted)
    gr.api(delete_api(studio, delete_project), api_name="delete_project")
    shared["lib_delete_no"].click(lambda: gr.Row(visible=False), None, [shared["lib_confirm_row"]],
                                  api_visibility="private", queue=False)  # fmt: skip
    shared["film_id"].change(library, [shared["lib_search"]], [shared["library"]], api_visibility="private")


def delete_api(studio: Studio, delete_project):
    def delete(project_id: int, confirmed: bool, request: gr.Request) -> str:
        """Delete a project for good: its storyboard, clips and films. `confirmed` must be true."""
        return delete_project(project_id, confirmed, request)[1]

    return delete
