"""Admin tab: users and the job queue. Shown to admins only, and every handler checks the role itself."""

from __future__ import annotations

import gradio as gr
import pandas as pd
from sqlmodel import col, select

from app.pipeline import Studio
from app.ui.common import current_user, handler
from models.errors import UserError
from storage.tables import Job, User


def layout(shared: dict, i18n) -> None:
    shared["admin_refresh"] = gr.Button(i18n("refresh"), elem_id="admin_refresh")
    shared["users"] = gr.Dataframe(label=i18n("users"), interactive=False)
    shared["jobs"] = gr.Dataframe(label=i18n("jobs"), interactive=False)


def wire(studio: Studio, shared: dict) -> None:
    @handler(studio)
    def overview(request: gr.Request):
        if current_user(studio, request).role != "admin":  # a hidden tab is cosmetic; the check is here
            raise UserError("admin_only")
        with studio.db.session() as s:
            users = s.exec(select(User).order_by(User.id)).all()
            jobs = s.exec(select(Job).order_by(col(Job.id).desc()).limit(50)).all()
        return (
            pd.DataFrame(
                [[u.id, u.username, u.role, u.active] for u in users], columns=["id", "username", "role", "active"]
            ),
            pd.DataFrame(
                [[j.id, j.user_id, j.project_id, j.kind, j.status, round(j.progress, 2)] for j in jobs],
                columns=["id", "user", "project", "kind", "status", "progress"],
            ),
        )

    shared["admin_refresh"].click(overview, None, [shared["users"], shared["jobs"]], api_name="admin_overview")
