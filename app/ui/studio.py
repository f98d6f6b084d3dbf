"""The Gradio Blocks studio: a header with the current project, then one tab per module."""

from __future__ import annotations

import gradio as gr

from app.i18n import TEXTS
from app.studio import Studio
from app.ui import admin, create, film, library, render, storyboard
from app.ui.common import current_user

I18N_PREFIX = "sr_"  # our keys must not collide with Gradio's own translation namespaces ("status"...)


def make_i18n() -> gr.I18n:
    return gr.I18n(**{lang: {I18N_PREFIX + k: v[lang] for k, v in TEXTS.items()} for lang in ("en", "zh")})


FONT_URL = "/assets/fonts/NotoSansSC-Regular.otf"
# The shipped CJK font, served by the studio itself, so Chinese never shows as boxes on a machine without a
# Chinese system font. It is declared in the page's head, before Gradio draws anything: text drawn before
# the font face exists keeps its boxes.
HEAD = f"""
<link rel="preload" href="{FONT_URL}" as="font" type="font/otf" crossorigin>
<style>
@font-face {{ font-family: "Storyreel CJK"; src: url("{FONT_URL}") format("opentype"); font-weight: 100 900;
             font-display: block; }}
.gradio-container, .gradio-container * {{ font-family: ui-sans-serif, system-ui, sans-serif, "Storyreel CJK" !important; }}
#heading p {{ font-size: 1.6em; font-weight: 600; }}
</style>
"""


def theme() -> gr.themes.Base:
    # Local fonts only: the default theme would fetch fonts from a CDN, and nothing leaves this machine.
    return gr.themes.Soft(
        font=["system-ui", "sans-serif", "Storyreel CJK"], font_mono=["ui-monospace", "monospace", "Storyreel CJK"]
    )


def build_blocks(studio: Studio) -> gr.Blocks:
    translations = make_i18n()

    def i18n(key: str):
        return translations(I18N_PREFIX + key)

    lang = studio.settings.server.language
    shared: dict = {"login_on": studio.settings.auth.require_login}
    with gr.Blocks(title="Storyreel", delete_cache=(3600, 86400)) as demo:
        with gr.Row(equal_height=True):
            gr.Markdown(i18n("app_title"), elem_id="heading")
            shared["project"] = gr.Number(label=i18n("project"), precision=0, minimum=0, elem_id="project", scale=0)
            if studio.settings.auth.require_login:
                gr.Button("Logout", link="/logout", scale=0, elem_id="logout")
        shared["message"] = gr.Markdown(elem_id="message")
        shared["confirm"] = gr.Checkbox(
            False, label=i18n("confirm_warnings"), elem_id="confirm", visible=studio.settings.moderation.enabled
        )
        with gr.Tabs():
            with gr.Tab(i18n("tab_create"), id="create"):
                create.layout(shared, i18n)
            with gr.Tab(i18n("tab_storyboard"), id="storyboard"):
                storyboard.layout(shared, i18n, lang)
            with gr.Tab(i18n("tab_render"), id="render"):
                render.layout(shared, i18n)
            with gr.Tab(i18n("tab_film"), id="film"):
                film.layout(shared, i18n, studio.settings)
            with gr.Tab(i18n("tab_library"), id="library"):
                library.layout(shared, i18n, lang)
            with gr.Tab(i18n("tab_admin"), id="admin", visible=False) as admin_tab:
                admin.layout(shared, i18n)
        for module in (create, storyboard, render, film, library, admin):
            module.wire(studio, shared)

        def on_load(request: gr.Request):
            try:
                is_admin = current_user(studio, request).role == "admin"
            except Exception:
                is_admin = False
            return gr.Tab(visible=is_admin)

        demo.load(on_load, None, [admin_tab], api_visibility="private")
    # A running render holds one event slot (and a thread) while it follows its job, which runs in the render
    # worker process; Gradio's 40 would let 40 renders shut out every click. Cheap events keep their own
    # per-event limits, so they never wait behind renders.
    demo.max_threads = 256
    demo.queue(default_concurrency_limit=4, max_size=256)
    return demo
