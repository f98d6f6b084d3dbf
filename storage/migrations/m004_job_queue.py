"""m004_job_queue: what the fair queue needs on a job: how many times a worker died running it (`attempts`,
so a job that crashes its worker is retried once, then failed), its place in the queue (`position`, a sort
key: the user's turn in the high 32 bits, the job id in the low ones, so keys are unique and an admin's
reorder is a swap of two keys), and the render's parameters (`params_json`, e.g. {"scenes": [3],
"quality": "draft"}). Jobs queued before this migration get position 0: they run first, oldest first."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

NAME = "m004_job_queue"


def apply(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0"))
    conn.execute(text("ALTER TABLE jobs ADD COLUMN position INTEGER NOT NULL DEFAULT 0"))
    conn.execute(text("ALTER TABLE jobs ADD COLUMN params_json VARCHAR NOT NULL DEFAULT '{}'"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_jobs_position ON jobs (position)"))
