"""The Gradio Blocks studio: a header (title, the project picker, the current project's title, the language
switch), then one tab per module."""

from __future__ import annotations

import html

import gradio as gr

from app.i18n import TEXTS, t
from app.studio import Studio
from app.ui import admin, create, film, library, render, storyboard
from app.ui.common import LANG_COOKIE, cookie_language, current_user, handler, language, need_project

I18N_PREFIX = "sr_"  # our keys must not collide with Gradio's own translation namespaces ("status"...)


def make_i18n() -> gr.I18n:
    return gr.I18n(**{lang: {I18N_PREFIX + k: v[lang] for k, v in TEXTS.items()} for lang in ("en", "zh")})


FONT_URL = "/assets/fonts/NotoSansSC-Regular.otf"
# The shipped CJK font, served by the studio itself, so Chinese never shows as boxes on a machine without a
# Chinese system font. One file, declared as the regular face and as the bold face (which the browser then
# draws as synthetic bold), so titles, buttons and table headers at weight 500–900 find it too. The faces are
# declared at the very top of the page (server.py puts FONT_CSS there), before Gradio draws anything: text
# drawn before a face exists keeps its boxes (the header's first buttons did), and Gradio adds `head` late.
FONT_CSS = f"""
<link rel="preload" href="{FONT_URL}" as="font" type="font/otf" crossorigin>
<style>
@font-face {{ font-family: "Storyreel CJK"; src: url("{FONT_URL}") format("opentype"); font-weight: 100 499;
             font-style: normal; font-display: block; }}
@font-face {{ font-family: "Storyreel CJK"; src: url("{FONT_URL}") format("opentype"); font-weight: 500 900;
             font-style: normal; font-display: block; }}
@font-face {{ font-family: "Storyreel CJK"; src: url("{FONT_URL}") format("opentype"); font-weight: 100 900;
             font-style: italic; font-display: block; }}
</style>
"""
HEAD = f"""
{FONT_CSS}
<style>
.gradio-container, .gradio-container * {{ font-family: ui-sans-serif, system-ui, sans-serif, "Storyreel CJK" !important; }}
#heading h1 {{ font-size: 1.5em; font-weight: 700; margin: 0; }}
#current_title {{ font-size: 1.05em; }}
.sr-hidden {{ display: none !important; }}
.sr-cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; }}
.sr-strip {{ grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }}
.sr-card {{ margin: 0; border: 1px solid var(--border-color-primary); border-radius: 8px; overflow: hidden;
           background: var(--block-background-fill); }}
.sr-card img, .sr-card video {{ width: 100%; aspect-ratio: 16 / 9; object-fit: cover; display: block; background: #111; }}
.sr-card figcaption {{ padding: 4px 8px; font-size: 0.9em; }}
.sr-pick {{ cursor: pointer; }} .sr-pick:hover {{ outline: 2px solid var(--color-accent); }}
.sr-chosen {{ outline: 3px solid var(--color-accent); }}
.sr-thumb-empty {{ aspect-ratio: 16 / 9; display: flex; flex-direction: column; gap: 6px; align-items: center;
                  justify-content: center; color: var(--body-text-color-subdued); background: var(--background-fill-secondary);
                  font-size: 0.85em; }}
.sr-bar {{ width: 80%; height: 8px; background: var(--border-color-primary); border-radius: 4px; overflow: hidden; }}
.sr-bar i {{ display: block; height: 100%; background: var(--color-accent); }}
.sr-badge {{ display: inline-block; padding: 0 6px; margin-left: 4px; border-radius: 6px; font-size: 0.8em;
            background: var(--background-fill-secondary); }}
.sr-empty {{ padding: 16px; color: var(--body-text-color-subdued); }}
.sr-downloads a {{ margin-right: 4px; }}
</style>
"""
# Runs first in the page (server.py puts it at the top of <head>, with FONT_CSS): with a language picked on the
# page, the interface follows it instead of the browser's own language.
LANG_SCRIPT = (
    "<script>(function(){var m=document.cookie.match(/(?:^|; )" + LANG_COOKIE + "=(en|zh)/);if(!m)return;"
    "var v=m[1]==='zh'?'zh-CN':'en-US';try{Object.defineProperty(Navigator.prototype,'language',"
    "{get:function(){return v}});Object.defineProperty(Navigator.prototype,'languages',"
    "{get:function(){return [v]}});}catch(e){}})();</script>"
)
SET_LANG_JS = f"""(v) => {{
  document.cookie = v === 'auto' ? '{LANG_COOKIE}=; path=/; max-age=0'
                                 : '{LANG_COOKIE}=' + v + '; path=/; max-age=31536000; samesite=lax';
  window.location.reload();
  return v;
}}"""


def theme() -> gr.themes.Base:
    # Local fonts only: the default theme would fetch fonts from a CDN, and nothing leaves this machine.
    return gr.themes.Soft(
        font=["system-ui", "sans-serif", "Storyreel CJK"], font_mono=["ui-monospace", "monospace", "Storyreel CJK"]
    )


def project_label(project) -> str:
    return f"{project.title or '—'} · {project.created_at.strftime('%Y-%m-%d %H:%M')}"


def build_blocks(studio: Studio) -> gr.Blocks:
    translations = make_i18n()

    def i18n(key: str):
        return translations(I18N_PREFIX + key)

    lang = studio.settings.server.language
    shared: dict = {"login_on": studio.settings.auth.require_login, "i18n": i18n}
    with gr.Blocks(title="Storyreel", delete_cache=(3600, 86400)) as demo:
        with gr.Row(equal_height=False):
            gr.Markdown("# " + t("app_title", "en").split(":")[0], elem_id="heading", scale=0, min_width=160)
            shared["picker"] = gr.Dropdown(
                [], value=None, label=i18n("project_picker"), elem_id="picker", scale=3, allow_custom_value=False
            )
            shared["ui_lang"] = gr.Radio(
                [(i18n("lang_auto"), "auto"), ("English", "en"), ("中文", "zh")], value="auto",
                label=i18n("interface_language"), elem_id="ui_lang", scale=2, min_width=220,
            )  # fmt: skip
            if studio.settings.auth.require_login:
                gr.Button(i18n("logout"), link="/logout", scale=0, elem_id="logout", min_width=130)
        shared["current_title"] = gr.Markdown(i18n("no_project_yet"), elem_id="current_title")
        shared["project"] = gr.Number(visible=False, precision=0, elem_id="project")
        shared["message"] = gr.Markdown(elem_id="message")
        shared["confirm"] = gr.Checkbox(
            False, label=i18n("confirm_warnings"), elem_id="confirm", visible=studio.settings.moderation.enabled
        )
        with gr.Tabs() as shared["tabs"]:
            with gr.Tab(i18n("tab_create"), id="create"):
                create.layout(shared, i18n, studio)
            with gr.Tab(i18n("tab_storyboard"), id="storyboard"):
                storyboard.layout(shared, i18n, lang)
            with gr.Tab(i18n("tab_render"), id="render"):
                render.layout(shared, i18n)
            with gr.Tab(i18n("tab_film"), id="film"):
                film.layout(shared, i18n, studio.settings)
            with gr.Tab(i18n("tab_library"), id="library") as shared["library_tab"]:
                library.layout(shared, i18n, lang)
            with gr.Tab(i18n("tab_admin"), id="admin", visible=False) as shared["admin_tab"]:
                admin.layout(shared, i18n, lang)
        wire_header(studio, shared, demo)
        for module in (create, storyboard, render, film, library, admin):
            module.wire(studio, shared)
    # A running render follows its job on the event loop (app/ui/render.py), holding no thread. Each event
    # has its own concurrency group (a limit of 4 by default); the writers share one group of WRITE_SLOTS
    # (app/ui/common.py), and the cheap reads (library, load a storyboard) have no limit, so a click never
    # waits in Gradio's queue behind writes or renders. The thread pool stays larger than Gradio's 40.
    demo.max_threads = 256
    demo.queue(default_concurrency_limit=4, max_size=256)
    return demo


def wire_header(studio: Studio, shared: dict, demo: gr.Blocks) -> None:
    default = studio.settings.server.language

    def choices(user) -> list[tuple[str, int]]:
        return [(project_label(p), p.id) for p in studio.projects(user)]

    def on_load(request: gr.Request):
        try:
            user = current_user(studio, request)
        except Exception:  # logged out since: the page shows its login again on the next call
            return gr.Tab(visible=False), gr.Dropdown(choices=[]), gr.skip()
        picked = cookie_language(request.headers.get("cookie") if request is not None else None) or "auto"
        return gr.Tab(visible=user.role == "admin"), gr.Dropdown(choices=choices(user)), picked

    @handler(studio)
    def show_project(project_id, request: gr.Request):
        """The header for the current project: its title and date, and the picker showing it."""
        lang = language(request, default)
        user = current_user(studio, request)
        if not project_id:
            return t("no_project_yet", lang), gr.Dropdown(choices=choices(user), value=None)
        project = studio.project(user, need_project(project_id))
        board = studio.storyboard(user, project.id)
        opts = studio.render_choices(user, project.id)
        w, h = studio.frame_size(opts)
        line = t("current_project", lang, title=html.escape(project.title or "—"),
                 date=project.created_at.strftime("%Y-%m-%d %H:%M"), n=len(board.scenes), seconds=board.duration,
                 size=f"{w}×{h}")  # fmt: skip
        return line, gr.Dropdown(choices=choices(user), value=project.id)

    def pick(project_id):
        return project_id

    shared["header"] = (show_project, [shared["project"]], [shared["current_title"], shared["picker"]])
    demo.load(on_load, None, [shared["admin_tab"], shared["picker"], shared["ui_lang"]], api_visibility="private")
    shared["project"].change(show_project, [shared["project"]], [shared["current_title"], shared["picker"]],
                             api_visibility="private")  # fmt: skip
    shared["picker"].input(pick, [shared["picker"]], [shared["project"]], api_visibility="private")
    shared["ui_lang"].input(None, [shared["ui_lang"]], None, js=SET_LANG_JS)
