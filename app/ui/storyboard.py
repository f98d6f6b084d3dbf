"""Storyboard tab: the editable table of scenes with each scene's latest clip above it, the story bible
beside it, and the tools for one scene (rewrite, render, re-roll, lock, add, delete, move, split, merge).
Every save is validated and moderated before it is stored; a refused edit says why in the user's language."""

from __future__ import annotations

import gradio as gr
import pandas as pd
from pydantic import ValidationError

from app.i18n import COLUMNS, t
from app.studio import Studio
from app.ui.cards import scene_strip
from app.ui.common import (
    WRITE_GROUP,
    cell_error,
    current_user,
    frame_to_storyboard,
    handler,
    language,
    need_project,
    storyboard_frame,
    table_rows,
)
from models.errors import UserError
from models.storyboard import Character

OPERATIONS = ("add", "delete", "move", "split", "merge")
BUTTONS = ("add", "split", "merge", "delete", "earlier", "later")  # earlier/later: a move by one place
BIBLE_COLUMNS = {
    "en": ["Character", "Look (English, repeated in every scene)"],
    "zh": ["角色", "外貌（英文，每个镜头都会重复）"],
}


def layout(shared: dict, i18n, lang: str) -> None:
    shared["thumbs"] = gr.HTML(elem_id="thumbs")
    with gr.Row():
        with gr.Column(scale=3):
            shared["board"] = gr.Dataframe(
                headers=COLUMNS[lang],
                datatype=["number", "str", "str", "number", "str", "str"],
                interactive=True,
                wrap=True,
                static_columns=[0],
                elem_id="board",
                column_widths=["4%", "33%", "30%", "10%", "13%", "10%"],
                label=i18n("storyboard_table"),
            )
            gr.Markdown(i18n("board_hint"), elem_id="board_hint")
            shared["save"] = gr.Button(i18n("save_storyboard"), variant="primary", elem_id="save")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown(i18n("story_bible"), elem_id="bible_title")
            shared["bible_style"] = gr.Textbox(label=i18n("bible_style"), lines=2, elem_id="bible_style")
            shared["bible_chars"] = gr.Dataframe(headers=BIBLE_COLUMNS[lang], datatype=["str", "str"],
                                                 interactive=True, wrap=True, elem_id="bible_chars",
                                                 label=i18n("bible_characters"), row_count=2)  # fmt: skip
            shared["save_bible"] = gr.Button(i18n("save_bible"), elem_id="save_bible")
    with gr.Group():
        gr.Markdown(i18n("scene_tools"), elem_id="scene_tools_title")
        with gr.Row(equal_height=True):
            shared["scene_no"] = gr.Number(1, label=i18n("scene_number"), precision=0, minimum=1, elem_id="scene_no",
                                           scale=0, min_width=110)  # fmt: skip
            shared["instruction"] = gr.Textbox(label=i18n("rewrite_instruction"), elem_id="instruction", scale=3,
                                               placeholder=i18n("rewrite_placeholder"))  # fmt: skip
            shared["rewrite"] = gr.Button(i18n("rewrite_scene"), elem_id="rewrite", scale=1)
        with gr.Row(equal_height=True):
            shared["render_scene"] = gr.Button(i18n("render_scene"), variant="primary", elem_id="render_scene")
            shared["reroll"] = gr.Button(i18n("reroll_scene"), elem_id="reroll")
            shared["scene_locked"] = gr.Checkbox(False, label=i18n("lock_scene"), elem_id="scene_locked")
        with gr.Row(equal_height=True):
            for op in BUTTONS:
                shared[f"op_{op}"] = gr.Button(i18n(f"op_{op}"), elem_id=f"op_{op}",
                                               variant="stop" if op == "delete" else "secondary")  # fmt: skip
        shared["scene_render_status"] = gr.HTML(elem_id="scene_render_status")


def board_dict(frame: pd.DataFrame) -> dict:
    return {"headers": list(frame.columns), "data": frame.values.tolist()}


def bible_frame(board, lang: str) -> pd.DataFrame:
    rows = [[c.name, c.look] for c in (board.characters if board else [])]
    return pd.DataFrame(rows, columns=BIBLE_COLUMNS[lang])


def read_characters(table) -> list[Character]:
    characters = []
    for row in table_rows(table):
        name, look = (list(row) + ["", ""])[:2]
        name = "" if name is None or name != name else str(name)
        look = "" if look is None or look != look else str(look)
        if not name.strip() and not look.strip():
            continue  # an empty line the table editor added
        try:
            characters.append(Character(name=name, look=look))
        except ValidationError as err:
            raise cell_error(err) from None
    return characters


def wire(studio: Studio, shared: dict) -> None:
    default = studio.settings.server.language

    def saved(board, lang: str):
        return storyboard_frame(board, lang), t("storyboard_saved", lang, n=len(board.scenes), seconds=board.duration)

    @handler(studio)
    def load_storyboard(project_id, request: gr.Request):
        lang = language(request, default)
        if not project_id:
            return storyboard_frame(None, lang)
        return storyboard_frame(studio.storyboard(current_user(studio, request), need_project(project_id)), lang)

    @handler(studio)
    def scene_panel(project_id, number, request: gr.Request):
        """The thumbnails, the story bible and the picked scene's lock, for the current project."""
        lang = language(request, default)
        if not project_id:
            return scene_strip(None, [], lang), "", bible_frame(None, lang), False
        user, pid = current_user(studio, request), need_project(project_id)
        board = studio.storyboard(user, pid)
        n = min(max(1, int(number or 1)), len(board.scenes))
        return (scene_strip(board, studio.scene_clips(user, pid), lang), board.style, bible_frame(board, lang),
                board.scenes[n - 1].locked)  # fmt: skip

    @handler(studio)
    def save_storyboard(project_id, table, confirm, request: gr.Request):
        lang = language(request, default)
        user, pid = current_user(studio, request), need_project(project_id)
        base = studio.storyboard(user, pid)
        return saved(studio.save_storyboard(user, pid, frame_to_storyboard(table, base), bool(confirm)), lang)

    @handler(studio)
    def save_bible(project_id, style, characters, confirm, request: gr.Request):
        lang = language(request, default)
        user, pid = current_user(studio, request), need_project(project_id)
        board = studio.save_bible(user, pid, str(style or ""), read_characters(characters), bool(confirm))
        return saved(board, lang)

    def edit(project_id, number, operation, to, request) -> tuple:
        lang = language(request, default)
        if operation in ("earlier", "later"):  # the buttons move a scene one place
            operation, to = "move", int(number or 0) + (-1 if operation == "earlier" else 1)
        if operation not in OPERATIONS:
            raise UserError("edit_unknown", operation=str(operation)[:40])
        params = {"after": int(number or 0)} if operation == "add" else {"number": int(number or 0)}
        if operation == "move":
            params["to"] = int(to or 0)
        user, pid = current_user(studio, request), need_project(project_id)
        return saved(studio.edit_storyboard(user, pid, operation, **params), lang)

    @handler(studio)
    def edit_storyboard(project_id: int, number: int, operation: str, to: int, request: gr.Request) -> tuple[dict, str]:
        """Add (after scene `number`), delete, move (to position `to`), split or merge (with the next) a scene."""
        frame, message = edit(project_id, number, operation, to, request)
        return board_dict(frame), message

    def operation(op: str):
        @handler(studio)
        def apply(project_id, number, request: gr.Request):
            board, message = edit(project_id, number, op, None, request)
            # the scene picked follows the scene moved, or the new one
            follow = {"earlier": -1, "later": 1, "add": 1}.get(op, 0)
            return board, message, max(1, int(number or 1) + follow) if follow else gr.skip()

        apply.__name__ = f"edit_{op}"
        return apply

    @handler(studio)
    def rewrite(project_id, number, instruction, request: gr.Request):
        lang = language(request, default)
        user, pid = current_user(studio, request), need_project(project_id)
        return saved(studio.rewrite_scene(user, pid, int(number or 0), instruction), lang)

    @handler(studio)
    def reroll(project_id, number, request: gr.Request):
        lang = language(request, default)
        user, pid = current_user(studio, request), need_project(project_id)
        board = studio.reroll_scene(user, pid, int(number or 0))
        return storyboard_frame(board, lang), t("scene_rerolled", lang, number=int(number))

    @handler(studio)
    def lock(project_id, number, locked, request: gr.Request):
        lang = language(request, default)
        user, pid = current_user(studio, request), need_project(project_id)
        board = studio.lock_scene(user, pid, int(number or 0), bool(locked))
        key = "scene_locked_now" if locked else "scene_unlocked_now"
        return storyboard_frame(board, lang), t(key, lang, number=int(number))

    def pick_scene(evt: gr.SelectData):
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        return int(row) + 1

    p, board, msg = shared["project"], shared["board"], shared["message"]
    panel_out = [shared["thumbs"], shared["bible_style"], shared["bible_chars"], shared["scene_locked"]]
    shared["scene_panel"] = (scene_panel, [p, shared["scene_no"]], panel_out)

    def after(event):
        """Every change refreshes the thumbnails, the bible and the lock box."""
        return event.success(scene_panel, [p, shared["scene_no"]], panel_out, api_visibility="private")

    p.change(load_storyboard, [p], [board], api_name="load_storyboard", concurrency_limit=None)  # cheap: no queue
    p.change(scene_panel, [p, shared["scene_no"]], panel_out, api_visibility="private")
    shared["scene_no"].change(scene_panel, [p, shared["scene_no"]], panel_out, api_visibility="private")
    after(
        shared["save"].click(save_storyboard, [p, board, shared["confirm"]], [board, msg], api_name="save_storyboard")
    )
    after(shared["save_bible"].click(save_bible, [p, shared["bible_style"], shared["bible_chars"], shared["confirm"]],
                                     [board, msg], api_name="save_bible"))  # fmt: skip
    gr.api(edit_storyboard, api_name="edit_storyboard")
    for op in BUTTONS:
        after(shared[f"op_{op}"].click(operation(op), [p, shared["scene_no"]], [board, msg, shared["scene_no"]],
                                       api_visibility="private"))  # fmt: skip
    after(shared["rewrite"].click(rewrite, [p, shared["scene_no"], shared["instruction"]], [board, msg],
                                  api_name="rewrite_scene", **WRITE_GROUP))  # fmt: skip
    after(shared["reroll"].click(reroll, [p, shared["scene_no"]], [board, msg], api_name="reroll_scene",
                                 **WRITE_GROUP))  # fmt: skip
    after(shared["scene_locked"].input(lock, [p, shared["scene_no"], shared["scene_locked"]], [board, msg],
                                       api_name="lock_scene"))  # fmt: skip
    gr.on([board.select], pick_scene, None, [shared["scene_no"]], api_visibility="private")
