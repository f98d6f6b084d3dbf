"""Admin tab: users and the job queue. Shown to admins only, and every handler checks the role itself."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from app.i18n import t
from app.studio import Studio
from app.ui.common import current_user, handler, language, table_rows
from models.errors import UserError
from storage.tables import User


def layout(shared: dict, i18n) -> None:
    shared["admin_refresh"] = gr.Button(i18n("refresh"), elem_id="admin_refresh")
    shared["users"] = gr.Dataframe(label=i18n("users"), interactive=False, elem_id="users")
    with gr.Row():
        shared["u_name"] = gr.Textbox(label=i18n("username"), elem_id="u_name")
        shared["u_password"] = gr.Textbox(label=i18n("new_password"), type="password", elem_id="u_password")
        shared["u_role"] = gr.Dropdown(["user", "admin"], value="user", label=i18n("role"), elem_id="u_role")
        shared["u_active"] = gr.Checkbox(value=True, label=i18n("active"), elem_id="u_active")
    shared["u_save"] = gr.Button(i18n("save_user"), elem_id="u_save")
    shared["jobs"] = gr.Dataframe(label=i18n("jobs"), interactive=False)
    moderation_layout(shared, i18n)


def require_admin(studio: Studio, request: gr.Request) -> User:
    user = current_user(studio, request)
    if user.role != "admin":  # a hidden tab is cosmetic; the check is here
        raise UserError("admin_only")
    return user


def wire(studio: Studio, shared: dict) -> None:
    def tables(admin: User):
        users, jobs = studio.admin_overview(admin)
        return (
            pd.DataFrame(
                [[u.id, u.username, u.role, u.active] for u in users], columns=["id", "username", "role", "active"]
            ),  # fmt: skip
            pd.DataFrame(
                [[j.id, j.user_id, j.project_id, j.kind, j.status, round(j.progress, 2)] for j in jobs],
                columns=["id", "user", "project", "kind", "status", "progress"],
            ),  # fmt: skip
        )

    @handler(studio)
    def overview(request: gr.Request):
        return tables(require_admin(studio, request))

    @handler(studio)
    def save_user(name: str, password: str, role: str, active: bool, request: gr.Request):
        admin = require_admin(studio, request)
        studio.save_user(admin, name, password, role, active)
        users, jobs = tables(admin)
        return users, jobs, t("user_saved", language(request, studio.settings.server.language), name=name.strip())

    moderation_wire(studio, shared)
    shared["admin_refresh"].click(overview, None, [shared["users"], shared["jobs"]], api_name="admin_overview")
    shared["u_save"].click(
        save_user, [shared["u_name"], shared["u_password"], shared["u_role"], shared["u_active"]],
        [shared["users"], shared["jobs"], shared["message"]], api_name="admin_save_user",
    )  # fmt: skip


RULE_COLUMNS = ["category", "pattern", "action", "language", "enabled", "is_allow"]


def moderation_layout(shared: dict, i18n) -> None:
    with gr.Accordion(i18n("moderation_rules"), open=False):
        shared["rules"] = gr.Dataframe(headers=RULE_COLUMNS, datatype=["str", "str", "str", "str", "bool", "bool"],
                                       interactive=True, elem_id="rules", max_height=400)  # fmt: skip
        shared["rules_save"] = gr.Button(i18n("save_rules"), elem_id="rules_save")
    with gr.Accordion(i18n("audit_log"), open=False):
        shared["audit"] = gr.Dataframe(interactive=False, elem_id="audit", max_height=400)


def moderation_wire(studio: Studio, shared: dict) -> None:
    def rules_frame() -> pd.DataFrame:
        return pd.DataFrame([[getattr(r, c) for c in RULE_COLUMNS] for r in studio.guard.rules()], columns=RULE_COLUMNS)

    def audit_frame() -> pd.DataFrame:
        rows = [[a.created_at.strftime("%Y-%m-%d %H:%M:%S"), a.username, a.source, a.action, a.categories,
                 a.rule_ids, a.text_excerpt] for a in studio.guard.audit(200)]  # fmt: skip
        return pd.DataFrame(rows, columns=["when", "who", "where", "action", "categories", "rules", "text"])

    @handler(studio)
    def moderation_overview(request: gr.Request):
        require_admin(studio, request)
        return rules_frame(), audit_frame()

    @handler(studio)
    def save_rules(table, request: gr.Request):
        admin = require_admin(studio, request)
        rows = [dict(zip(RULE_COLUMNS, row, strict=False)) for row in table_rows(table)]
        n = studio.guard.save_rules(rows, by=admin.username)
        return rules_frame(), t("rules_saved", language(request, studio.settings.server.language), n=n)

    shared["admin_refresh"].click(moderation_overview, None, [shared["rules"], shared["audit"]],
                                  api_name="moderation_overview")  # fmt: skip
    shared["rules_save"].click(save_rules, [shared["rules"]], [shared["rules"], shared["message"]],
                               api_name="save_moderation_rules")  # fmt: skip
