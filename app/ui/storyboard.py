"""Storyboard tab: the editable table of scenes; every save is validated before it is stored."""

from __future__ import annotations

import gradio as gr

from app.i18n import COLUMNS, t
from app.studio import Studio
from app.ui.common import current_user, frame_to_storyboard, handler, language, storyboard_frame
from models.errors import UserError

OPERATIONS = ("add", "delete", "move", "split", "merge")


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
    with gr.Row(equal_height=True):
        shared["scene_no"] = gr.Number(1, label=i18n("scene_number"), precision=0, minimum=1, elem_id="scene_no")
        shared["operation"] = gr.Dropdown(
            [(i18n(f"op_{op}"), op) for op in OPERATIONS], value="add", label=i18n("operation"), elem_id="operation"
        )
        shared["move_to"] = gr.Number(1, label=i18n("move_to"), precision=0, minimum=1, elem_id="move_to")
        shared["apply_op"] = gr.Button(i18n("apply_edit"), elem_id="apply_op")
    with gr.Row(equal_height=True):
        shared["instruction"] = gr.Textbox(label=i18n("rewrite_instruction"), placeholder=i18n("rewrite_placeholder"),
                                           elem_id="instruction", scale=3)  # fmt: skip
        shared["rewrite"] = gr.Button(i18n("rewrite_scene"), elem_id="rewrite", scale=1)


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

    @handler(studio)
    def apply_edit(project_id, number, operation, to, request: gr.Request):
        lang = language(request, studio.settings.server.language)
        if not project_id:
            raise UserError("storyboard_empty")
        if operation not in OPERATIONS:
            raise UserError("storyboard_invalid", detail=str(operation))
        params = {"after": int(number or 0)} if operation == "add" else {"number": int(number or 0)}
        if operation == "move":
            params["to"] = int(to or 0)
        board = studio.edit_storyboard(current_user(studio, request), int(project_id), operation, **params)
        return storyboard_frame(board, lang), t("storyboard_saved", lang, n=len(board.scenes), seconds=board.duration)

    @handler(studio)
    def rewrite(project_id, number, instruction, request: gr.Request):
        lang = language(request, studio.settings.server.language)
        if not project_id:
            raise UserError("storyboard_empty")
        board = studio.rewrite_scene(current_user(studio, request), int(project_id), int(number or 0), instruction)
        return storyboard_frame(board, lang), t("storyboard_saved", lang, n=len(board.scenes), seconds=board.duration)

    shared["apply_op"].click(
        apply_edit, [shared["project"], shared["scene_no"], shared["operation"], shared["move_to"]],
        [shared["board"], shared["message"]], api_name="edit_storyboard",
    )  # fmt: skip
    shared["rewrite"].click(
        rewrite, [shared["project"], shared["scene_no"], shared["instruction"]], [shared["board"], shared["message"]],
        api_name="rewrite_scene",
    )  # fmt: skip
