"""Numbered, named migrations, each recorded by name in the `migrations` table once applied (as simonw/llm
keeps its migrations): a database gets exactly the steps it lacks, in order, each in its own transaction.

To change the schema, add `mNNN_what.py` with NAME and apply(conn), and list it in MIGRATIONS below; change
the table model in storage/tables.py to match. A brand-new table needs no migration only if no older
database could hold it (it is then created from its model); a new column always needs one.

Databases made before migrations had names carry a `schema_version` table at version 1: that is m001_initial,
recorded as applied without running it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from storage.migrations import m001_initial, m002_storyboard_fields, m003_clip_facts, m004_job_queue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    name: str  # "m002_storyboard_fields": the number orders it, the words say what it does
    apply: Callable[[Connection], None]

    @property
    def number(self) -> int:
        return int(self.name[1:4])


MIGRATIONS: list[Migration] = [
    Migration(m.NAME, m.apply) for m in (m001_initial, m002_storyboard_fields, m003_clip_facts, m004_job_queue)
]

_CREATE_LOG = (
    "CREATE TABLE IF NOT EXISTS migrations (name VARCHAR NOT NULL PRIMARY KEY, applied_at DATETIME NOT NULL "
    "DEFAULT CURRENT_TIMESTAMP)"
)


def applied(conn: Connection) -> list[str]:
    """Names of the migrations this database has had, in the order they were applied."""
    conn.execute(text(_CREATE_LOG))
    return [r[0] for r in conn.execute(text("SELECT name FROM migrations ORDER BY rowid"))]


def _adopt_legacy(conn: Connection) -> None:
    """A database from before named migrations: its schema_version 1 is m001_initial."""
    has_version = conn.execute(text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"))
    if has_version.first() is None:
        return
    row = conn.execute(text("SELECT version FROM schema_version WHERE id = 1")).first()
    if row is not None and row[0] >= 1:
        log.info("database from before named migrations (schema %d): recording m001_initial", row[0])
        conn.execute(text("INSERT INTO migrations (name) VALUES (:n)"), {"n": MIGRATIONS[0].name})


def migrate(engine: Engine, migrations: list[Migration] | None = None) -> list[str]:
    """Apply every migration the database lacks, in order; return the names applied now."""
    migrations = MIGRATIONS if migrations is None else migrations
    names = [m.name for m in migrations]
    if len(set(names)) != len(names) or names != sorted(names, key=lambda n: int(n[1:4])):
        raise ValueError(f"migrations must be uniquely named and numbered in order: {names}")
    with engine.begin() as conn:
        done = applied(conn)
        if not done:
            _adopt_legacy(conn)
            done = applied(conn)
    ran: list[str] = []
    for migration in migrations:
        if migration.name in done:
            continue
        log.info("applying migration %s", migration.name)
        with engine.begin() as conn:  # each step and its record commit together
            migration.apply(conn)
            conn.execute(text("INSERT INTO migrations (name) VALUES (:n)"), {"n": migration.name})
            # Kept for tools (and older code) that read the schema number.
            conn.execute(text("INSERT OR REPLACE INTO schema_version (id, version) VALUES (1, :v)"),
                         {"v": migration.number})  # fmt: skip
        ran.append(migration.name)
    return ran
