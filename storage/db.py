"""The SQLite database: WAL mode, and the named migrations of storage/migrations/ applied on open."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, text

from storage import tables  # noqa: F401 - registers every table model before create_all
from storage.migrations import MIGRATIONS, Migration, applied
from storage.migrations import migrate as apply_migrations

log = logging.getLogger(__name__)

# The number of the newest migration: a database opened by this code is at this schema.
SCHEMA_VERSION = MIGRATIONS[-1].number


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the render worker's writes
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class Database:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.engine: Engine = create_engine(
            f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    def migrate(self, migrations: list[Migration] | None = None) -> list[str]:
        """Apply the migrations this database lacks (in order, each recorded by name); return those applied.

        Then create any table no migration knows yet (a table new in this version, from its model)."""
        ran = apply_migrations(self.engine, migrations)
        SQLModel.metadata.create_all(self.engine)
        return ran

    @property
    def migrations(self) -> list[str]:
        """The names of the migrations applied to this database, in order."""
        with self.engine.begin() as conn:
            return applied(conn)

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT version FROM schema_version WHERE id = 1")).scalar_one()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()
