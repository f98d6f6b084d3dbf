"""Named migrations upgrade a database made before they existed, keeping its data; the project store
round-trips every Storyboard and Scene field, dedicated column or not."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import text

from app.settings import load_settings
from app.studio import Studio
from app.write import WriteRequest
from models.storyboard import Camera, Character, Scene, SceneFacts, ShotSize, Storyboard, TimeOfDay, Transition, Weather
from storage.db import SCHEMA_VERSION, Database
from storage.media import MediaStore
from storage.migrations import MIGRATIONS, m001_initial
from storage.projects import ProjectStore


def make_v1_database(path) -> None:
    """A database as Storyreel wrote it before named migrations: schema_version 1, and a project with a
    storyboard, a clip and a film, written with plain SQL."""
    con = sqlite3.connect(path)
    for statement in m001_initial.STATEMENTS:
        con.execute(statement)
    now = "2026-11-01 10:00:00.000000"
    con.executescript(f"""
        INSERT INTO schema_version (id, version) VALUES (1, 1);
        INSERT INTO users VALUES (1, 'creator', '', 'admin', 1, '', '{now}', NULL, NULL, NULL);
        INSERT INTO projects VALUES (1, 1, 'A fox at dawn.', 'The fox', 'en', 'completed', 'watercolour',
            '[{{"name": "Fox", "look": "red fur"}}]', '', '{now}', '{now}', NULL);
        INSERT INTO scenes VALUES (1, 1, 1, 'A fox wakes.', 'The fox wakes.', 3.5, '{{"move": "push_in"}}',
            'cut', 7, '{now}', NULL);
        INSERT INTO scenes VALUES (2, 1, 2, 'The fox runs.', 'It runs.', 2.0, '{{"move": "tracking"}}',
            'dissolve', 8, '{now}', NULL);
        INSERT INTO clips VALUES (1, 1, 1, 1, 'abc', 'users/1/clips/x.mp4', 'animatic', 16, '832x480', 56, 3.5,
            '{now}');
        INSERT INTO films VALUES (1, 1, 1, 'users/1/films/f.mp4', '', '', 5.5, '832x480', 16, '{{}}', '{now}');
    """)
    con.commit()
    con.close()


def test_a_v1_database_is_migrated_with_its_data_intact(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    make_v1_database(data / "storyreel.db")
    db = Database(data / "storyreel.db")
    assert db.migrations == [m.name for m in MIGRATIONS]  # m001 adopted, the others applied, all by name
    assert db.schema_version == SCHEMA_VERSION
    assert db.migrate() == []  # opening again applies nothing
    with db.engine.connect() as conn:
        assert conn.execute(text("select facts_json from clips")).scalar_one() == ""
        assert conn.execute(text("select extra_json from scenes where id = 2")).scalar_one() == "{}"
    db.close()

    studio = Studio(load_settings(tmp_path / "none.toml", environ={}, paths={"data_dir": str(data)}))
    try:
        user = studio.local_user()
        assert user.id == 1
        board = studio.storyboard(user, 1)
        assert (board.title, board.style, board.characters) == (
            "The fox",
            "watercolour",
            [Character(name="Fox", look="red fur")],
        )
        assert [(s.number, s.description, s.duration, s.camera, s.transition, s.seed) for s in board.scenes] == [
            (1, "A fox wakes.", 3.5, Camera.PUSH_IN, Transition.CUT, 7),
            (2, "The fox runs.", 2.0, Camera.TRACKING, Transition.DISSOLVE, 8),
        ]
        assert board.scenes[0].facts == SceneFacts() and not board.scenes[0].description_edited
        assert [c.shot_hash for c in studio.clips(user, 1)] == ["abc"]
        assert studio.latest_film(user, 1).duration_sec == 5.5
        assert studio.project(user, 1).status == "completed"
    finally:
        studio.close()


def rich_board() -> Storyboard:
    facts = SceneFacts(subjects=["old fisherman", "small wooden boat"], action="rows out past the harbour wall",
                       setting="harbour at a fishing village", time_of_day=TimeOfDay.DUSK, weather=Weather.FOG,
                       shot=ShotSize.WIDE)  # fmt: skip
    scenes = [
        Scene(number=1, description="An old fisherman rows out.", narration="他划船出海。", duration=3.25,
              camera=Camera.PULL_OUT, transition=Transition.CUT, seed=11, facts=facts, description_edited=True),
        Scene(number=2, description="Fog over the water.", narration="雾起了。", duration=2.5,
              camera=Camera.AERIAL, transition=Transition.FADE, seed=12,
              facts=SceneFacts(subjects=["sea"], time_of_day=TimeOfDay.NIGHT, weather=Weather.STORM)),
    ]  # fmt: skip
    return Storyboard(title="海上", language="zh", style="ink wash", characters=[Character(name="老人", look="grey beard")],
                      scenes=scenes)  # fmt: skip


def test_store_round_trips_every_storyboard_field(tmp_path):
    db = Database(tmp_path / "s.db")
    store = ProjectStore(db, MediaStore(tmp_path / "media"))
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, username, password_hash, role, active, email, created_at) "
                          "VALUES (1, 'ann', '', 'user', 1, '', '2026-01-01')"))  # fmt: skip
    board = rich_board()
    project = store.create(1, "an idea", board)
    assert store.storyboard(project.id).model_dump() == board.model_dump()
    changed = board.model_copy(deep=True)
    changed.scenes.reverse()
    store.save_storyboard(project.id, changed)
    assert store.storyboard(project.id).model_dump() == changed.renumbered().model_dump()
    with db.engine.connect() as conn:  # facts have no column of their own: they live in the scene's JSON
        extra = json.loads(conn.execute(text("select extra_json from scenes where scene_number = 2")).scalar_one())
    assert extra["facts"]["time_of_day"] == "dusk" and extra["description_edited"] is True


def test_studio_save_then_load_keeps_facts(tmp_path):
    settings = load_settings(tmp_path / "none.toml", environ={}, paths={"data_dir": str(tmp_path / "data")},
                             narration={"engine": "none"})  # fmt: skip
    studio = Studio(settings)
    try:
        user = studio.local_user()
        project, _ = studio.create_project(user, WriteRequest(idea="An old man rows out to sea. Fog rises."))
        saved = studio.save_storyboard(user, project.id, rich_board())
        assert studio.storyboard(user, project.id).model_dump() == saved.model_dump() == rich_board().model_dump()
        shots = studio.shots(saved)
        assert [s.facts for s in shots] == [s.facts for s in saved.scenes]  # each shot carries its scene's facts
    finally:
        studio.close()
