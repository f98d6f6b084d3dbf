"""m002_storyboard_fields: a JSON column on projects and on scenes for every Storyboard and Scene field that
has no column of its own (scene facts, description_edited, and whatever the storyboard gains later), so the
project store round-trips a storyboard whole without a migration per new field."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

NAME = "m002_storyboard_fields"


def apply(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE projects ADD COLUMN extra_json VARCHAR NOT NULL DEFAULT '{}'"))
    conn.execute(text("ALTER TABLE scenes ADD COLUMN extra_json VARCHAR NOT NULL DEFAULT '{}'"))
