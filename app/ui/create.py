"""Create tab: an idea in, a storyboard out (persisted as a new project)."""

from __future__ import annotations

import gradio as gr

from app.i18n import t
from app.studio import Studio
from app.ui.common import current_user, handler, language, storyboard_frame


def layout(shared: dict, i18n) -> None:
    shared["idea"] = gr.Textbox(
        label=i18n("idea_label"), placeholder=i18n("idea_placeholder"), lines=4, max_lines=12, elem_id="idea"
    )
    shared["write"] = gr.Button(i18n("write_storyboard"), variant="primary", elem_id="write")


def wire(studio: Studio, shared: dict) -> None:
    @handler(studio)
    def write_storyboard(idea: str, confirm: bool, request: gr.Request):
        # A generator: each scene shows in the table as soon as the writer has it. The last output is the
        # same (project id, table, message) the API has always returned.
        user = current_user(studio, request)
        lang = language(request, studio.settings.server.language)
        for project, board in studio.create_project_stream(user, idea, confirmed=bool(confirm)):
            if project is None:
                yield gr.skip(), storyboard_frame(board, lang), t("storyboard_writing", lang, n=len(board.scenes))
            else:
                message = t("storyboard_written", lang, id=project.id, n=len(board.scenes))
                yield project.id, storyboard_frame(board, lang), message

    shared["write"].click(
        write_storyboard,
        [shared["idea"], shared["confirm"]],
        [shared["project"], shared["board"], shared["message"]],
        api_name="write_storyboard",
    )
