import sqlite3

import pytest
from sqlmodel import select, text

from storage.db import SCHEMA_VERSION, Database
from storage.media import MediaStore
from storage.migrations import MIGRATIONS, Migration
from storage.passwords import hash_password, verify_password
from storage.tables import ProjectRow, User


def test_database_is_wal_and_versioned(tmp_path):
    db = Database(tmp_path / "s.db")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.schema_version == SCHEMA_VERSION
    tables = {r[0] for r in sqlite3.connect(tmp_path / "s.db").execute("select name from sqlite_master")}
    assert {"users", "projects", "scenes", "clips", "films", "jobs", "schema_version"} <= tables


def test_migration_steps_run_once_in_order(tmp_path):
    db = Database(tmp_path / "s.db")
    ran = []
    n = SCHEMA_VERSION

    def step2(conn):
        ran.append(2)
        conn.execute(text("ALTER TABLE projects ADD COLUMN mood TEXT DEFAULT ''"))

    def step3(conn):
        ran.append(3)

    steps = [*MIGRATIONS, Migration(f"m{n + 1:03d}_mood", step2), Migration(f"m{n + 2:03d}_noop", step3)]
    assert db.migrate(steps) == [f"m{n + 1:03d}_mood", f"m{n + 2:03d}_noop"]
    assert db.migrate(steps) == []  # already there: nothing runs again
    assert ran == [2, 3]
    cols = [r[1] for r in sqlite3.connect(tmp_path / "s.db").execute("PRAGMA table_info(projects)")]
    assert "mood" in cols and db.schema_version == n + 2
    assert db.migrations == [m.name for m in steps]  # recorded by name, in the order applied


def test_data_survives_reopening(tmp_path):
    db = Database(tmp_path / "s.db")
    with db.session() as s:
        u = User(username="ann")
        s.add(u)
        s.commit()
        s.add(ProjectRow(user_id=u.id, prompt="a fox"))
        s.commit()
    db.close()
    with Database(tmp_path / "s.db").session() as s:
        assert s.exec(select(ProjectRow)).one().prompt == "a fox"


def test_foreign_keys_are_enforced(tmp_path):
    db = Database(tmp_path / "s.db")
    with db.session() as s, pytest.raises(Exception, match="FOREIGN KEY"):
        s.add(ProjectRow(user_id=999, prompt="orphan"))
        s.commit()


def test_media_store_atomic_write_and_user_folders(tmp_path):
    store = MediaStore(tmp_path / "media")
    a, b = store.new_path(1, "clips", ".mp4"), store.new_path(2, "clips", ".mp4")
    assert a.parent != b.parent and a.parent.name == "clips" and a.parent.parent.name == "1"
    assert a.name != store.new_path(1, "clips", ".mp4").name and len(a.stem) == 32  # uuid names
    with store.atomic(a) as tmp:
        tmp.write_bytes(b"complete")
        assert not a.exists()  # nothing under the final name until it is complete
    assert a.read_bytes() == b"complete"
    with pytest.raises(RuntimeError), store.atomic(b) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("crash while writing")
    assert not b.exists() and not list(b.parent.glob(".*part*"))


def test_media_store_refuses_escaping_paths(tmp_path):
    store = MediaStore(tmp_path / "media")
    with pytest.raises(ValueError):
        store.resolve("../../etc/passwd")


def test_crash_leftovers_are_cleaned(tmp_path):
    store = MediaStore(tmp_path / "media")
    leftover = store.user_dir(1, "films") / ".abc.part.mp4"
    leftover.write_bytes(b"x")
    assert store.clean_partials() == 1 and not leftover.exists()


def test_passwords_hash_with_argon2id():
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert verify_password("correct horse battery staple", stored) == (True, None)
    assert verify_password("wrong", stored)[0] is False
    assert verify_password("x", "")[0] is False
