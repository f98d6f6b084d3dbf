"""What the safety-net tests (tests/test_guard_*.py) share.

These tests guard behaviour a restructure can break (issue 10). They reach the studio through its public
surfaces: the Gradio named endpoints, the REST routes, and Studio's public methods, and they read the
database with plain sqlite3 queries on table names. Where they must name an internal (where Studio lives,
how users are seeded, how a writer or engine is plugged in), it is named here, once, so a move changes one
line.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.settings import load_settings

# Files a crashed or cancelled write leaves behind (storage/media.py writes to ".<name>.part<suffix>").
PARTIAL_GLOBS = ("*.part*", ".*.part*")


# -- where things live today (change here when they move) ---------------------------------------------
def studio_class():
    from app.studio import Studio

    return Studio


def make_studio(settings, registry=None):
    """An in-process studio; `registry` (optional) carries extra engines."""
    return studio_class()(settings, registry=registry)


def new_registry():
    from models.registry import load_registry

    return load_registry(plugins=False)


def register_video_engine(registry, kind: str, factory: Callable[[dict, Any], Any]) -> None:
    registry.register_video_engine(kind, factory)


def install_writer(studio, writer) -> None:
    """Make `writer` the studio's storyboard writer (a stand-in for a model or a plug-in writer).

    The write stage (app/write.py) asks its writer() for the configured writer, so the seam is that method;
    the tests also assert the writer was really asked, so if this stops taking effect they fail loudly."""
    studio.writing.writer = lambda name=None: writer


def cancel_render(studio, user, project_id: int) -> None:
    """What the Render tab's Cancel button does."""
    studio.cancel_render(user, project_id)


def seed_users(data_dir: Path, users: dict[str, tuple[str, str]]) -> None:
    """Create accounts {name: (password, role)} in a studio's data folder before it starts."""
    from app.accounts import Accounts
    from storage.db import Database

    db = Database(data_dir / "storyreel.db")
    accounts = Accounts(db, data_dir / "jwt.secret")
    for name, (password, role) in users.items():
        accounts.create_user(name, password, role=role)
    db.close()


def settings_for(data_dir: Path, **sections: dict):
    return load_settings(environ={}, paths={"data_dir": str(data_dir)}, **sections)


# -- the database, read plainly -------------------------------------------------------------------------
def query(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def columns(db_path: Path, table: str) -> list[str]:
    return [row[1] for row in query(db_path, f"pragma table_info({table})")]


def snapshot(db_path: Path, project_id: int) -> dict[str, list[tuple]]:
    """Every row that belongs to a project (and every user row), to show an attempt changed nothing."""
    out = {"projects": query(db_path, "select * from projects where id=?", (project_id,))}
    for table in ("scenes", "clips", "films", "jobs"):
        out[table] = query(db_path, f"select * from {table} where project_id=? order by id", (project_id,))
    out["users"] = query(db_path, "select * from users order by id")
    return out


def partial_files(root: Path) -> list[Path]:
    return sorted({p for pattern in PARTIAL_GLOBS for p in root.rglob(pattern)})


def wait_for(predicate: Callable[[], Any], timeout: float, interval: float = 0.05, what: str = "") -> Any:
    """Poll until predicate() is truthy; return its value, or fail naming what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")


def descendants(pid: int) -> list[int]:
    """Every descendant of pid (from /proc), found while pid still runs: the processes a studio started."""
    out, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out
