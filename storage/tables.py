"""SQLModel tables, after the seed's section 3.3 (Users, Tasks, Scenes, VideoResources) plus what the
pipeline needs (films, jobs). A seed "task" is a project here; a "video resource" is a clip.

Rows are named for rows (ProjectRow, SceneRow...): the storyboard's `Scene` is the one scene type the
studio passes around; storage/projects.py maps rows to it and back. Table names stay as they were, so
existing databases migrate (storage/migrations/).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=100)
    password_hash: str = ""  # empty: this account cannot log in with a password (the local creator)
    role: str = Field(default="user", max_length=20)  # "admin" | "user"
    active: bool = True
    email: str = ""
    created_at: datetime = Field(default_factory=now)
    created_by: int | None = None
    last_modified_at: datetime | None = None
    last_modified_by: int | None = None


class ProjectRow(SQLModel, table=True):
    """The seed's creation task: one idea, its storyboard and its film."""

    __tablename__ = "projects"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    prompt: str = ""  # the idea as typed
    title: str = ""
    language: str = "en"
    status: str = Field(default="pending", max_length=20)  # pending | running | completed | failed
    style: str = ""  # the story bible: global style
    characters_json: str = "[]"  # the story bible: characters and their looks
    # Every other Storyboard field (e.g. a genre), as JSON: added fields round-trip without a migration.
    extra_json: str = "{}"
    error: str = ""
    created_at: datetime = Field(default_factory=now)
    finished_at: datetime | None = None
    last_modified_at: datetime | None = None


class SceneRow(SQLModel, table=True):
    __tablename__ = "scenes"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="projects.id", index=True)
    scene_number: int
    description: str = ""
    narration: str = ""
    duration_sec: float = 4.0
    camera_settings: str = "{}"  # JSON, as in the seed: {"move": "push_in"}
    transition: str = "cut"
    seed: int = 0
    # Every other Scene field (facts, description_edited...), as JSON.
    extra_json: str = "{}"
    created_at: datetime = Field(default_factory=now)
    last_modified_at: datetime | None = None


class ClipRow(SQLModel, table=True):
    """The seed's video resource: one rendered scene. Keyed by the hash of the shot that made it."""

    __tablename__ = "clips"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    project_id: int = Field(foreign_key="projects.id", index=True)
    scene_id: int | None = Field(default=None, foreign_key="scenes.id")
    shot_hash: str = Field(index=True)
    file_path: str  # relative to the media root
    engine: str = ""
    frame_rate: int = 0
    resolution: str = ""  # "832x480"
    frames: int = 0
    duration_sec: float = 0.0
    # What ffmpeg read of the file (MediaInfo and codec signature, as app/assemble.py's ClipFacts JSON),
    # read once so no later assembly reads the clip again; empty until first read.
    facts_json: str = ""
    created_at: datetime = Field(default_factory=now)


class FilmRow(SQLModel, table=True):
    __tablename__ = "films"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    project_id: int = Field(foreign_key="projects.id", index=True)
    file_path: str  # relative to the media root
    srt_path: str = ""
    vtt_path: str = ""
    duration_sec: float = 0.0
    resolution: str = ""
    frame_rate: int = 0
    settings_json: str = "{}"
    created_at: datetime = Field(default_factory=now)


class Job(SQLModel, table=True):
    """A durable unit of work (a render). Survives restarts: a running job is resumed on start."""

    __tablename__ = "jobs"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="projects.id", index=True)
    kind: str = "render"
    status: str = Field(default="queued", index=True)  # queued | running | done | failed | cancelled
    progress: float = 0.0  # 0..1
    message: str = ""
    error: str = ""
    cancel_requested: bool = False
    result_id: int | None = None  # e.g. the film made
    # Times a worker died while running it: a job is retried once, then failed (app/supervisor.py).
    attempts: int = 0
    # Sort key of the fair queue: (the user's turn << 32) | id, see app/jobs.py. Lower runs first.
    position: int = Field(default=0, index=True)
    params_json: str = "{}"  # the job's parameters, e.g. a render's {"scenes": [3], "quality": "draft"}
    created_at: datetime = Field(default_factory=now)
    started_at: datetime | None = None
    finished_at: datetime | None = None


class SchemaVersion(SQLModel, table=True):
    """The number of the last migration applied (the names applied are in the `migrations` table)."""

    __tablename__ = "schema_version"
    id: int = Field(default=1, primary_key=True)
    version: int


# -- moderation: editable rules, the allow list and the audit log --------------------------------------
class ModerationRule(SQLModel, table=True):
    """A rule term, or an allow-list term when `is_allow` is true (then `action` is ignored)."""

    __tablename__ = "moderation_rule"

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(index=True, max_length=64)
    pattern: str = Field(max_length=200)
    action: str = Field(default="block", max_length=8)  # "block" | "warn"
    language: str = Field(default="any", max_length=8)  # "zh" | "en" | "any"
    enabled: bool = True
    is_allow: bool = False
    created_at: datetime = Field(default_factory=now)
    created_by: str | None = Field(default=None, max_length=100)


class ModerationExample(SQLModel, table=True):
    """A text an admin labelled for the semantic layer: `block` (with its category) or `allow`."""

    __tablename__ = "moderation_example"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=500)
    category: str = Field(max_length=64)
    action: str = Field(default="block", max_length=8)  # "block" | "allow"
    created_at: datetime = Field(default_factory=now)
    created_by: str | None = Field(default=None, max_length=100)


class ModerationAudit(SQLModel, table=True):
    """One warn or block decision: who, when, what (an excerpt), which rules."""

    __tablename__ = "moderation_audit"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=now, index=True)
    user_id: int | None = None
    username: str | None = Field(default=None, max_length=100)
    source: str = Field(max_length=100)  # "idea", "storyboard", "cell:scene3.narration", "rest", "keyframe"...
    text_excerpt: str = Field(default="", max_length=200)
    action: str = Field(max_length=8)
    categories: str = ""  # comma-separated category keys
    rule_ids: str = ""  # comma-separated ModerationRule ids
