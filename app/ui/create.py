"""Create tab: an idea and the creator's choices in, a storyboard out (persisted as a new project), its
scenes shown as the writer writes them."""

from __future__ import annotations

import html

import gradio as gr

from app.i18n import t
from app.studio import Studio
from app.ui.common import WRITE_GROUP, current_user, handler, language, storyboard_frame
from app.write import GENRES, WriteChoices, WriteRequest
from models.errors import UserError
from models.storyboard import detect_language
from storage.projects import RenderChoices

STYLES = [
    "cinematic, soft natural light, rich colour",
    "documentary, handheld, natural colour",
    "watercolour illustration, soft edges",
    "anime, clean lines, vivid colour",
    "3D animation, soft studio light",
    "black and white film noir, hard shadows",
]


def layout(shared: dict, i18n, studio: Studio) -> None:
    presets = studio.engine_presets()
    usable = [(p.label, p.name) for p in presets if p.on_disk]
    missing = [p for p in presets if not p.on_disk]
    engine = studio.settings.video.engine
    with gr.Row():
        with gr.Column(scale=3):
            shared["idea"] = gr.Textbox(label=i18n("idea_label"), placeholder=i18n("idea_placeholder"), lines=5,
                                        max_lines=12, elem_id="idea")  # fmt: skip
            shared["idea_language"] = gr.Markdown(i18n("language_auto_note"), elem_id="idea_language")
            shared["write"] = gr.Button(i18n("write_storyboard"), variant="primary", elem_id="write", size="lg")
            shared["create_preview"] = gr.HTML(elem_id="create_preview")
        with gr.Column(scale=2, min_width=300):
            shared["c_genre"] = gr.Dropdown([(i18n(f"genre_{g}"), g) for g in GENRES], value="auto",
                                            label=i18n("genre"), elem_id="c_genre")  # fmt: skip
            shared["c_seconds"] = gr.Slider(0, 120, value=0, step=5, label=i18n("target_length"),
                                            info=i18n("target_length_info"), elem_id="c_seconds")  # fmt: skip
            shared["c_language"] = gr.Radio([(i18n("lang_auto"), "auto"), ("English", "en"), ("中文", "zh")],
                                            value="auto", label=i18n("story_language"), elem_id="c_language")  # fmt: skip
            shared["c_aspect"] = gr.Radio([(i18n("aspect_16_9"), "16:9"), (i18n("aspect_9_16"), "9:16"),
                                           (i18n("aspect_1_1"), "1:1")], value=studio.settings.render.aspect,
                                          label=i18n("aspect"), elem_id="c_aspect")  # fmt: skip
            shared["c_engine"] = gr.Dropdown(usable, value=engine if engine in dict(map(reversed, usable)) else None,
                                             label=i18n("video_engine"), elem_id="c_engine")  # fmt: skip
            if missing:
                rows = "\n".join(
                    f"- **{html.escape(p.label)}**: `python launch.py --download {p.name}`" for p in missing
                )
                with gr.Accordion(i18n("engines_to_download"), open=False):
                    gr.Markdown(rows, elem_id="engines_missing")
            shared["c_quality"] = gr.Radio([(i18n("quality_draft"), "draft"), (i18n("quality_final"), "final")],
                                           value=studio.settings.video.quality, label=i18n("quality"),
                                           elem_id="c_quality")  # fmt: skip
            shared["c_style"] = gr.Dropdown(STYLES, value=STYLES[0], allow_custom_value=True, label=i18n("style"),
                                            info=i18n("style_info"), elem_id="c_style")  # fmt: skip


def wire(studio: Studio, shared: dict) -> None:
    default = studio.settings.server.language

    def idea_language(idea: str, request: gr.Request):
        lang = language(request, default)
        if not (idea or "").strip():
            return t("language_auto_note", lang)
        found = detect_language(idea)
        return t("language_detected", lang, language=t(f"language_{found}", lang))

    @handler(studio)
    def write_storyboard(idea: str, confirm: bool, genre: str, seconds: float, story_language: str, aspect: str,
                         engine: str | None, quality: str, style: str | None, request: gr.Request):  # fmt: skip
        # A generator: each scene shows as soon as the writer has it. The last output is the same
        # (project id, table, message) the API has always returned.
        user = current_user(studio, request)
        lang = language(request, default)
        try:
            choices = WriteChoices(seconds=float(seconds or 0) or None, language=story_language or "auto",
                                   genre=genre or "auto", style=style or "")  # fmt: skip
            render = RenderChoices(aspect=aspect or None, engine=engine or None, quality=quality or None)
            request = WriteRequest(idea=idea or "", confirmed=bool(confirm), source="idea", choices=choices,
                                   render=render)  # fmt: skip
        except ValueError as err:
            raise UserError("create_invalid", detail=str(err).splitlines()[1:2] or str(err)) from None
        for project, board in studio.create_project_stream(user, request):
            if project is None:
                yield gr.skip(), storyboard_frame(board, lang), t("storyboard_writing", lang, n=len(board.scenes))
            else:
                written = "storyboard_written_timing" if studio.timing_pending(project.id) else "storyboard_written"
                message = t(written, lang, id=project.id, n=len(board.scenes))
                yield project.id, storyboard_frame(board, lang), message

    def show_preview(project_id, table, request: gr.Request):
        # The preview follows the table as it streams in (the board itself is on the Storyboard tab).
        if table is None or len(table) == 0:
            return ""
        rows = "".join(
            f"<li><b>{html.escape(str(row.iloc[2]) or str(row.iloc[1]))}</b><br>"
            f"<small>{html.escape(str(row.iloc[1]))} · {float(row.iloc[3] or 0):.1f} s · {html.escape(str(row.iloc[4]))}"
            "</small></li>"
            for _, row in table.iterrows()
        )
        return f"<ol class='sr-preview'>{rows}</ol>"

    shared["idea"].change(idea_language, [shared["idea"]], [shared["idea_language"]], api_visibility="private",
                          queue=False, trigger_mode="always_last")  # fmt: skip
    event = shared["write"].click(
        write_storyboard,
        [shared["idea"], shared["confirm"], shared["c_genre"], shared["c_seconds"], shared["c_language"],
         shared["c_aspect"], shared["c_engine"], shared["c_quality"], shared["c_style"]],
        [shared["project"], shared["board"], shared["message"]],
        api_name="write_storyboard",
        **WRITE_GROUP,
    )  # fmt: skip
    shared["board"].change(show_preview, [shared["project"], shared["board"]], [shared["create_preview"]],
                           api_visibility="private", queue=False)  # fmt: skip
    event.success(lambda: gr.Tabs(selected="storyboard"), None, [shared["tabs"]], api_visibility="private")
