"""The SQLite database: WAL mode, a schema version and the migration steps from one version to the next."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, create_engine, text

from storage import tables

log = logging.getLogger(__name__)

# Each step takes the schema from version N-1 to N. create_all() makes new tables; steps change old ones.
# Version 1 is the first schema and needs no step.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}
SCHEMA_VERSION = 1


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

    def migrate(self, target: int = SCHEMA_VERSION, steps: dict[int, Callable] | None = None) -> int:
        """Create missing tables, then run each migration step above the stored version; return the version."""
        steps = MIGRATIONS if steps is None else steps
        SQLModel.metadata.create_all(self.engine)
        with Session(self.engine) as s:
            row = s.get(tables.SchemaVersion, 1)
            current = row.version if row else target  # a brand-new database starts at the current schema
            if row is None:
                s.add(tables.SchemaVersion(id=1, version=current))
                s.commit()
        for version in range(current + 1, target + 1):
            log.info("migrating database to schema %d", version)
            with self.engine.begin() as conn:
                steps[version](conn)
                conn.execute(text("UPDATE schema_version SET version = :v WHERE id = 1"), {"v": version})
        return max(current, target)

    @property
    def schema_version(self) -> int:
        with Session(self.engine) as s:
            return s.get(tables.SchemaVersion, 1).version

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()
