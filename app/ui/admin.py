"""Admin tab: users and roles, the render queue (cancel, reorder), the machine (GPU, VRAM, models on disk and
in memory), moderation rules and the audit log. Shown to admins only, and every handler checks the role
itself: a hidden tab is cosmetic. Every table has labelled columns in the user's language."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from app.i18n import t
from app.moderation import CATEGORY_LABELS, category_label
from app.studio import Studio
from app.ui.common import current_user, handler, language, table_rows
from models.errors import UserError
from storage.tables import User

COLUMNS = {
    "users": {"en": ["ID", "User name", "Role", "Active"], "zh": ["ID", "用户名", "角色", "启用"]},
    "jobs": {
        "en": ["Job", "Position", "User", "Project", "Status", "Progress", "ETA (s)", "Message"],
        "zh": ["任务", "队列位置", "用户", "项目", "状态", "进度", "预计剩余（秒）", "消息"],
    },
    "presets": {
        "en": ["Preset", "Model", "On disk", "Where / how to download"],
        "zh": ["预设", "模型", "已下载", "位置 / 下载方法"],
    },
    "audit": {
        "en": ["When", "Who", "Where", "Action", "Categories", "Rules", "Text"],
        "zh": ["时间", "用户", "来源", "处理", "类别", "规则", "文本"],
    },
    "examples": {
        "en": ["ID", "Text", "Category", "Block/allow", "Who", "When"],
        "zh": ["编号", "文本", "类别", "拦截/放行", "添加者", "时间"],
    },
}
RULE_COLUMNS = ["category", "pattern", "action", "language", "enabled", "is_allow"]
RULE_HEADERS = {
    "en": ["Category", "Word or phrase", "Action (block/warn)", "Language", "Enabled", "Allow-list"],
    "zh": ["类别", "词语", "处理（block/warn）", "语言", "启用", "白名单"],
}


def layout(shared: dict, i18n, lang: str) -> None:
    shared["admin_refresh"] = gr.Button(i18n("refresh"), elem_id="admin_refresh")
    with gr.Tab(i18n("admin_users")):
        shared["users"] = gr.Dataframe(headers=COLUMNS["users"][lang], interactive=False, elem_id="users",
                                       label=i18n("users"), datatype=["number", "str", "str", "bool"])  # fmt: skip
        with gr.Row():
            shared["u_name"] = gr.Textbox(label=i18n("username"), elem_id="u_name")
            shared["u_password"] = gr.Textbox(label=i18n("new_password"), type="password", elem_id="u_password")
            shared["u_role"] = gr.Dropdown([(i18n("role_user"), "user"), (i18n("role_admin"), "admin")],
                                           value="user", label=i18n("role"), elem_id="u_role")  # fmt: skip
            shared["u_active"] = gr.Checkbox(value=True, label=i18n("active"), elem_id="u_active")
        shared["u_save"] = gr.Button(i18n("save_user"), elem_id="u_save")
    with gr.Tab(i18n("admin_queue")):
        shared["jobs"] = gr.Dataframe(headers=COLUMNS["jobs"][lang], interactive=False, elem_id="jobs",
                                      label=i18n("queue_table"))  # fmt: skip
        with gr.Row(equal_height=True):
            shared["q_job"] = gr.Number(label=i18n("job_number"), precision=0, minimum=1, elem_id="q_job")
            shared["q_up"] = gr.Button(i18n("queue_up"), elem_id="q_up")
            shared["q_down"] = gr.Button(i18n("queue_down"), elem_id="q_down")
            shared["q_cancel"] = gr.Button(i18n("cancel"), variant="stop", elem_id="q_cancel")
    with gr.Tab(i18n("admin_system")):
        shared["system"] = gr.Markdown(elem_id="system")
        shared["presets"] = gr.Dataframe(headers=COLUMNS["presets"][lang], interactive=False, elem_id="presets",
                                         label=i18n("models_on_disk"), wrap=True)  # fmt: skip
    with gr.Tab(i18n("moderation_rules")):
        shared["rules"] = gr.Dataframe(headers=RULE_HEADERS[lang], datatype=["str", "str", "str", "str", "bool", "bool"],
                                       interactive=True, elem_id="rules", max_height=400,
                                       label=i18n("moderation_rules"))  # fmt: skip
        shared["rules_save"] = gr.Button(i18n("save_rules"), elem_id="rules_save")
    with gr.Tab(i18n("moderation_examples")):
        gr.Markdown(i18n("examples_help"))
        shared["examples"] = gr.Dataframe(headers=COLUMNS["examples"][lang], interactive=False, wrap=True,
                                          elem_id="examples", max_height=400,
                                          label=i18n("moderation_examples"))  # fmt: skip
        with gr.Row():
            shared["ex_text"] = gr.Textbox(label=i18n("example_text"), elem_id="ex_text", max_length=500, scale=3)
            shared["ex_category"] = gr.Dropdown([(category_label(c, lang), c) for c in CATEGORY_LABELS],
                                                value="violence", label=i18n("example_category"),
                                                elem_id="ex_category")  # fmt: skip
            shared["ex_action"] = gr.Radio([(i18n("example_block"), "block"), (i18n("example_allow"), "allow")],
                                           value="block", label=i18n("example_action"),
                                           elem_id="ex_action")  # fmt: skip
        shared["ex_add"] = gr.Button(i18n("example_add"), elem_id="ex_add")
        with gr.Row(equal_height=True):
            shared["ex_id"] = gr.Number(label=i18n("example_number"), precision=0, minimum=1, elem_id="ex_id")
            shared["ex_remove"] = gr.Button(i18n("example_remove"), variant="stop", elem_id="ex_remove")
    with gr.Tab(i18n("audit_log")):
        shared["audit"] = gr.Dataframe(headers=COLUMNS["audit"][lang], interactive=False, elem_id="audit",
                                       max_height=400, label=i18n("audit_log"), wrap=True)  # fmt: skip


def require_admin(studio: Studio, request: gr.Request) -> User:
    user = current_user(studio, request)
    if user.role != "admin":  # a hidden tab is cosmetic; the check is here
        raise UserError("admin_only")
    return user


def wire(studio: Studio, shared: dict) -> None:
    default = studio.settings.server.language

    def tables(admin: User, lang: str):
        users, _ = studio.admin_overview(admin)
        queue = studio.queue(admin, lang)
        return (
            pd.DataFrame(
                [[u.id, u.username, t(f"role_{u.role}", lang), u.active] for u in users], columns=COLUMNS["users"][lang]
            ),  # fmt: skip
            pd.DataFrame(
                [
                    [
                        e.job_id,
                        e.position,
                        e.username,
                        e.project_title or e.project_id,
                        t(f"job_{e.status}", lang),
                        f"{e.progress:.0%}",
                        e.eta_seconds if e.eta_seconds is not None else "",
                        e.message,
                    ]
                    for e in queue
                ],
                columns=COLUMNS["jobs"][lang],
            ),  # fmt: skip
        )

    @handler(studio)
    def overview(request: gr.Request):
        lang = language(request, default)
        return tables(require_admin(studio, request), lang)

    @handler(studio)
    def system(request: gr.Request):
        lang = language(request, default)
        status = studio.system_status(require_admin(studio, request))
        yes, no = t("yes", lang), t("no", lang)
        text = t("system_summary", lang, device=status.device, name=status.device_name,
                 torch=status.torch_version or "—", total=status.vram_total_gib, free=status.vram_free_gib,
                 writer=status.writer, engine=status.video_engine, llm=yes if status.llm_loaded else no,
                 loaded=", ".join(status.loaded_engines) or t("nothing", lang))  # fmt: skip
        presets = pd.DataFrame([[p.name, p.label, yes if p.on_disk else no, p.detail] for p in status.presets],
                               columns=COLUMNS["presets"][lang])  # fmt: skip
        return text, presets

    @handler(studio)
    def save_user(name: str, password: str, role: str, active: bool, request: gr.Request):
        lang = language(request, default)
        admin = require_admin(studio, request)
        studio.save_user(admin, name, password, role, active)
        users, jobs = tables(admin, lang)
        return users, jobs, t("user_saved", lang, name=name.strip())

    def queue_action(action: str):
        @handler(studio)
        def act(job_id, request: gr.Request):
            lang = language(request, default)
            admin = require_admin(studio, request)
            if not job_id:
                raise UserError("job_missing")
            if action == "cancel":
                studio.cancel_job(admin, int(job_id))
            elif not studio.move_job(admin, int(job_id), action):
                raise UserError("queue_cannot_move", job=int(job_id))
            users, jobs = tables(admin, lang)
            return jobs, t(f"queue_{action}_done", lang, job=int(job_id))

        act.__name__ = f"queue_{action}"
        return act

    moderation_wire(studio, shared)
    shared["admin_refresh"].click(overview, None, [shared["users"], shared["jobs"]], api_name="admin_overview")
    shared["admin_refresh"].click(system, None, [shared["system"], shared["presets"]], api_name="admin_system")
    # The tab loads when it opens.
    gr.on([shared["admin_tab"].select], overview, None, [shared["users"], shared["jobs"]], api_visibility="private")
    gr.on([shared["admin_tab"].select], system, None, [shared["system"], shared["presets"]], api_visibility="private")
    shared["u_save"].click(
        save_user, [shared["u_name"], shared["u_password"], shared["u_role"], shared["u_active"]],
        [shared["users"], shared["jobs"], shared["message"]], api_name="admin_save_user",
    )  # fmt: skip
    for action, button in (("up", "q_up"), ("down", "q_down"), ("cancel", "q_cancel")):
        shared[button].click(queue_action(action), [shared["q_job"]], [shared["jobs"], shared["message"]],
                             api_name=f"admin_queue_{action}")  # fmt: skip
    gr.on([shared["jobs"].select], pick_job, [shared["jobs"]], [shared["q_job"]], api_visibility="private")


def pick_job(evt: gr.SelectData, table):
    row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    return int(table.iloc[row, 0])


def moderation_wire(studio: Studio, shared: dict) -> None:
    default = studio.settings.server.language

    def rules_frame(lang: str) -> pd.DataFrame:
        rows = [[getattr(r, c) for c in RULE_COLUMNS] for r in studio.guard.rules()]
        return pd.DataFrame(rows, columns=RULE_HEADERS[lang])

    def audit_frame(lang: str) -> pd.DataFrame:
        rows = [[a.created_at.strftime("%Y-%m-%d %H:%M:%S"), a.username, a.source, a.action, a.categories,
                 a.rule_ids, a.text_excerpt] for a in studio.guard.audit(200)]  # fmt: skip
        return pd.DataFrame(rows, columns=COLUMNS["audit"][lang])

    @handler(studio)
    def moderation_overview(request: gr.Request):
        require_admin(studio, request)
        lang = language(request, default)
        return rules_frame(lang), audit_frame(lang)

    @handler(studio)
    def save_rules(table, request: gr.Request):
        admin = require_admin(studio, request)
        lang = language(request, default)
        rows = [dict(zip(RULE_COLUMNS, row, strict=False)) for row in table_rows(table)]
        n = studio.guard.save_rules(rows, by=admin.username)
        return rules_frame(lang), t("rules_saved", lang, n=n)

    shared["admin_refresh"].click(moderation_overview, None, [shared["rules"], shared["audit"]],
                                  api_name="moderation_overview")  # fmt: skip
    gr.on([shared["admin_tab"].select], moderation_overview, None, [shared["rules"], shared["audit"]],
          api_visibility="private")  # fmt: skip
    shared["rules_save"].click(save_rules, [shared["rules"]], [shared["rules"], shared["message"]],
                               api_name="save_moderation_rules")  # fmt: skip
    examples_wire(studio, shared)


def examples_wire(studio: Studio, shared: dict) -> None:
    """The examples panel: list, add, remove (the Studio facade checks the role and audits each change)."""
    default = studio.settings.server.language

    def examples_frame(admin: User, lang: str) -> pd.DataFrame:
        rows = [[e.id, e.text, category_label(e.category, lang) if e.category in CATEGORY_LABELS else e.category,
                 t(f"example_{e.action}_short", lang), e.created_by or "",
                 e.created_at.strftime("%Y-%m-%d %H:%M:%S")] for e in studio.moderation_examples(admin)]  # fmt: skip
        return pd.DataFrame(rows, columns=COLUMNS["examples"][lang])

    @handler(studio)
    def list_examples(request: gr.Request):
        return examples_frame(require_admin(studio, request), language(request, default))

    @handler(studio)
    def add_example(text: str, category: str, action: str, request: gr.Request):
        admin = require_admin(studio, request)
        lang = language(request, default)
        studio.add_moderation_example(admin, text, category, action)
        return examples_frame(admin, lang), "", t("example_saved", lang)

    @handler(studio)
    def remove_example(example_id, request: gr.Request):
        admin = require_admin(studio, request)
        lang = language(request, default)
        if not example_id:
            raise UserError("example_missing")
        studio.remove_moderation_example(admin, int(example_id))
        return examples_frame(admin, lang), t("example_removed", lang, id=int(example_id))

    shared["admin_refresh"].click(list_examples, None, [shared["examples"]], api_name="moderation_examples")
    gr.on([shared["admin_tab"].select], list_examples, None, [shared["examples"]], api_visibility="private")
    shared["ex_add"].click(add_example, [shared["ex_text"], shared["ex_category"], shared["ex_action"]],
                           [shared["examples"], shared["ex_text"], shared["message"]],
                           api_name="add_moderation_example")  # fmt: skip
    shared["ex_remove"].click(remove_example, [shared["ex_id"]], [shared["examples"], shared["message"]],
                              api_name="remove_moderation_example")  # fmt: skip
    gr.on([shared["examples"].select], pick_job, [shared["examples"]], [shared["ex_id"]], api_visibility="private")
