"""m001_initial: the first schema (what Storyreel's databases held before migrations had names).

The DDL is frozen here as it was, not generated from today's models: later migrations change these tables,
and replaying them on a new database must give the same result as on a database made back then.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

NAME = "m001_initial"

STATEMENTS = [
    """CREATE TABLE IF NOT EXISTS users (
        id INTEGER NOT NULL, username VARCHAR(100) NOT NULL, password_hash VARCHAR NOT NULL,
        role VARCHAR(20) NOT NULL, active BOOLEAN NOT NULL, email VARCHAR NOT NULL, created_at DATETIME NOT NULL,
        created_by INTEGER, last_modified_at DATETIME, last_modified_by INTEGER, PRIMARY KEY (id))""",
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_users_username ON users (username)",
    """CREATE TABLE IF NOT EXISTS schema_version (id INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (id))""",
    """CREATE TABLE IF NOT EXISTS moderation_rule (
        id INTEGER NOT NULL, category VARCHAR(64) NOT NULL, pattern VARCHAR(200) NOT NULL, action VARCHAR(8) NOT NULL,
        language VARCHAR(8) NOT NULL, enabled BOOLEAN NOT NULL, is_allow BOOLEAN NOT NULL,
        created_at DATETIME NOT NULL, created_by VARCHAR(100), PRIMARY KEY (id))""",
    "CREATE INDEX IF NOT EXISTS ix_moderation_rule_category ON moderation_rule (category)",
    """CREATE TABLE IF NOT EXISTS moderation_audit (
        id INTEGER NOT NULL, created_at DATETIME NOT NULL, user_id INTEGER, username VARCHAR(100),
        source VARCHAR(100) NOT NULL, text_excerpt VARCHAR(200) NOT NULL, action VARCHAR(8) NOT NULL,
        categories VARCHAR NOT NULL, rule_ids VARCHAR NOT NULL, PRIMARY KEY (id))""",
    "CREATE INDEX IF NOT EXISTS ix_moderation_audit_created_at ON moderation_audit (created_at)",
    """CREATE TABLE IF NOT EXISTS projects (
        id INTEGER NOT NULL, user_id INTEGER NOT NULL, prompt VARCHAR NOT NULL, title VARCHAR NOT NULL,
        language VARCHAR NOT NULL, status VARCHAR(20) NOT NULL, style VARCHAR NOT NULL,
        characters_json VARCHAR NOT NULL, error VARCHAR NOT NULL, created_at DATETIME NOT NULL,
        finished_at DATETIME, last_modified_at DATETIME, PRIMARY KEY (id),
        FOREIGN KEY(user_id) REFERENCES users (id))""",
    "CREATE INDEX IF NOT EXISTS ix_projects_user_id ON projects (user_id)",
    """CREATE TABLE IF NOT EXISTS scenes (
        id INTEGER NOT NULL, project_id INTEGER NOT NULL, scene_number INTEGER NOT NULL,
        description VARCHAR NOT NULL, narration VARCHAR NOT NULL, duration_sec FLOAT NOT NULL,
        camera_settings VARCHAR NOT NULL, transition VARCHAR NOT NULL, seed INTEGER NOT NULL,
        created_at DATETIME NOT NULL, last_modified_at DATETIME, PRIMARY KEY (id),
        FOREIGN KEY(project_id) REFERENCES projects (id))""",
    "CREATE INDEX IF NOT EXISTS ix_scenes_project_id ON scenes (project_id)",
    """CREATE TABLE IF NOT EXISTS films (
        id INTEGER NOT NULL, user_id INTEGER NOT NULL, project_id INTEGER NOT NULL, file_path VARCHAR NOT NULL,
        srt_path VARCHAR NOT NULL, vtt_path VARCHAR NOT NULL, duration_sec FLOAT NOT NULL,
        resolution VARCHAR NOT NULL, frame_rate INTEGER NOT NULL, settings_json VARCHAR NOT NULL,
        created_at DATETIME NOT NULL, PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES users (id),
        FOREIGN KEY(project_id) REFERENCES projects (id))""",
    "CREATE INDEX IF NOT EXISTS ix_films_project_id ON films (project_id)",
    "CREATE INDEX IF NOT EXISTS ix_films_user_id ON films (user_id)",
    """CREATE TABLE IF NOT EXISTS jobs (
        id INTEGER NOT NULL, user_id INTEGER NOT NULL, project_id INTEGER, kind VARCHAR NOT NULL,
        status VARCHAR NOT NULL, progress FLOAT NOT NULL, message VARCHAR NOT NULL, error VARCHAR NOT NULL,
        cancel_requested BOOLEAN NOT NULL, result_id INTEGER, created_at DATETIME NOT NULL, started_at DATETIME,
        finished_at DATETIME, PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES users (id),
        FOREIGN KEY(project_id) REFERENCES projects (id))""",
    "CREATE INDEX IF NOT EXISTS ix_jobs_status ON jobs (status)",
    "CREATE INDEX IF NOT EXISTS ix_jobs_project_id ON jobs (project_id)",
    "CREATE INDEX IF NOT EXISTS ix_jobs_user_id ON jobs (user_id)",
    """CREATE TABLE IF NOT EXISTS clips (
        id INTEGER NOT NULL, user_id INTEGER NOT NULL, project_id INTEGER NOT NULL, scene_id INTEGER,
        shot_hash VARCHAR NOT NULL, file_path VARCHAR NOT NULL, engine VARCHAR NOT NULL, frame_rate INTEGER NOT NULL,
        resolution VARCHAR NOT NULL, frames INTEGER NOT NULL, duration_sec FLOAT NOT NULL,
        created_at DATETIME NOT NULL, PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES users (id),
        FOREIGN KEY(project_id) REFERENCES projects (id), FOREIGN KEY(scene_id) REFERENCES scenes (id))""",
    "CREATE INDEX IF NOT EXISTS ix_clips_shot_hash ON clips (shot_hash)",
    "CREATE INDEX IF NOT EXISTS ix_clips_project_id ON clips (project_id)",
    "CREATE INDEX IF NOT EXISTS ix_clips_user_id ON clips (user_id)",
]


def apply(conn: Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(text(statement))
