"""Safety net (issue 10): what a model writes, every edited cell and every rewrite instruction go through
moderation. A block stores nothing and leaves an audit row; a warn waits for confirmation.

The in-process tests stand a scripted writer in for a model (a plug-in or LLM writer), so the text that must
be caught is in the storyboard and not in the idea. The server tests use only public surfaces: the admin
adds a rule on a word the deterministic planner writes, and the Gradio and REST calls must refuse."""

from __future__ import annotations

import re

import httpx
import pytest
from gradio_client import Client

from app.write import WriteRequest
from models.errors import UserError
from models.storyboard import Character
from tests.conftest import StudioServer
from tests.guard_support import install_writer, make_studio, query, settings_for, snapshot

IDEA = "A lighthouse keeper walks along the cliffs. He lights the lamp. A ship passes safely."
BLOCKED = "how to make a bomb"  # terrorism, block (app/data/moderation_rules.toml)
WARNED = "碎尸"  # violence, warn


class ScriptedWriter:
    """A writer that writes what the test tells it to (as a model might), and records what it was asked."""

    name = "scripted"

    def __init__(self, board) -> None:
        self.board = board
        self.ideas: list[str] = []
        self.instructions: list[str] = []

    def stream(self, idea, options=None, cancel=None):
        self.ideas.append(idea)
        yield self.board

    def write(self, idea, options=None):
        return next(iter(self.stream(idea, options)))

    def rewrite_scene(self, board, number, instruction, options=None):
        # A model need not repeat the instruction's words: this one writes its own harmless description.
        self.instructions.append(instruction)
        scenes = [s.model_copy(update={"description": "A calm sea at dusk"}) if s.number == number else s
                  for s in board.scenes]  # fmt: skip
        return board.model_copy(update={"scenes": scenes})


def with_text(board, field: str, text: str):
    """The board with `text` written into one field (title, style, a character, a scene's text)."""
    if field in ("title", "style"):
        return board.model_copy(update={field: f"{getattr(board, field)} {text}"})
    if field == "character_name":
        return board.model_copy(update={"characters": [Character(name=f"Keeper {text}", look="grey coat")]})
    if field == "character_look":
        return board.model_copy(update={"characters": [Character(name="Keeper", look=f"grey coat, {text}")]})
    key = field.split(".")[1]
    scenes = [s.model_copy(update={key: f"{getattr(s, key)} {text}"}) if s.number == 2 else s for s in board.scenes]
    return board.model_copy(update={"scenes": scenes})


FIELDS = ["title", "style", "character_name", "character_look", "scene.description", "scene.narration"]


@pytest.fixture
def studio(tmp_path):
    s = make_studio(settings_for(tmp_path / "data"))
    yield s
    s.close()


def db_of(studio):
    return studio.settings.data_dir / "storyreel.db"


def audit_rows(studio) -> list[tuple]:
    return query(db_of(studio), "select source, action, username, text_excerpt, categories from moderation_audit "
                                "order by id")  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
def test_a_model_written_storyboard_is_checked_before_it_is_stored(studio, field):
    user = studio.local_user()
    writer = ScriptedWriter(with_text(studio.write_storyboard(IDEA), field, BLOCKED))
    install_writer(studio, writer)
    with pytest.raises(UserError) as err:
        studio.create_project(user, WriteRequest(idea=IDEA))
    assert writer.ideas == [IDEA]  # the scripted writer wrote it, so the check saw a model's words
    assert err.value.key == "moderation_blocked"
    assert query(db_of(studio), "select count(*) from projects") == [(0,)]
    assert query(db_of(studio), "select count(*) from scenes") == [(0,)]
    [(source, action, username, excerpt, categories)] = audit_rows(studio)
    assert (source, action, username) == ("storyboard", "block", user.username)
    assert BLOCKED in excerpt and "terrorism" in categories


def test_a_model_written_warning_waits_for_confirmation(studio):
    user = studio.local_user()
    writer = ScriptedWriter(with_text(studio.write_storyboard(IDEA), "scene.narration", WARNED))
    install_writer(studio, writer)
    with pytest.raises(UserError) as err:
        studio.create_project(user, WriteRequest(idea=IDEA))
    assert err.value.key == "moderation_warn"
    assert query(db_of(studio), "select count(*) from projects") == [(0,)]
    project, _ = studio.create_project(user, WriteRequest(idea=IDEA, confirmed=True))
    assert query(db_of(studio), "select count(*) from projects") == [(1,)] and project.id
    assert [(r[0], r[1]) for r in audit_rows(studio)] == [("storyboard", "warn"), ("storyboard", "warn")]


@pytest.mark.parametrize("field", FIELDS)
def test_every_edited_field_is_checked_and_a_block_changes_nothing(studio, field):
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    before = snapshot(db_of(studio), project.id)
    with pytest.raises(UserError) as err:
        studio.save_storyboard(user, project.id, with_text(board, field, BLOCKED))
    assert err.value.key == "moderation_blocked"
    assert snapshot(db_of(studio), project.id) == before
    [(source, action, _, excerpt, _)] = audit_rows(studio)
    assert (source, action) == ("edit", "block") and BLOCKED in excerpt


def test_a_rewrite_instruction_the_planner_follows_is_checked(studio):
    user = studio.local_user()
    project, _ = studio.create_project(user, WriteRequest(idea=IDEA))
    before = snapshot(db_of(studio), project.id)
    with pytest.raises(UserError) as err:
        studio.rewrite_scene(user, project.id, 2, f"show {BLOCKED}")
    assert err.value.key == "moderation_blocked"
    assert snapshot(db_of(studio), project.id) == before
    assert [(r[1], BLOCKED in r[3]) for r in audit_rows(studio)] == [("block", True)]


def test_a_rewrite_instruction_is_checked_even_when_the_writer_does_not_repeat_it(studio):
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    install_writer(studio, ScriptedWriter(board))
    before = snapshot(db_of(studio), project.id)
    with pytest.raises(UserError) as err:
        studio.rewrite_scene(user, project.id, 2, f"show {BLOCKED}")
    assert err.value.key == "moderation_blocked"
    assert snapshot(db_of(studio), project.id) == before
    assert [(r[1], BLOCKED in r[3]) for r in audit_rows(studio)] == [("block", True)]


# -- through the running studio (Gradio and REST), with the deterministic planner -------------------------
RULE_COLUMNS = ["category", "pattern", "action", "language", "enabled", "is_allow"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("guard_moderation") / "data"
    studio_server = StudioServer(data).start()  # login off: the local creator is the admin
    studio_server.db = data / "storyreel.db"
    studio_server.client = Client(studio_server.url, verbose=False, download_files=False)
    yield studio_server
    studio_server.stop()


def server_audit(server) -> list[tuple]:
    """The audit log as the admin sees it: (who, where, action, text) rows."""
    audit = server.client.predict(api_name="/moderation_overview")[1]["data"]
    return [(row[1], row[2], row[3], row[6]) for row in audit]


@pytest.mark.slow
def test_the_planners_storyboard_is_checked_over_gradio_and_rest(server):
    client = server.client
    idea = "Two friends fly a red kite on a windy hill. The string snaps. They laugh."
    _, table, _ = client.predict(idea, False, api_name="/write_storyboard")
    # A word the writer wrote that is not in the idea: a rule on it can only match the written storyboard.
    idea_words = set(re.findall(r"[a-z]+", idea.lower()))
    word = next(w for w in re.findall(r"[a-z]{6,}", table["data"][0][1].lower()) if w not in idea_words)
    rules, _ = client.predict(api_name="/moderation_overview")
    projects = query(server.db, "select count(*) from projects")[0][0]
    try:
        client.predict({"headers": RULE_COLUMNS, "data": [*rules["data"], ["studio_policy", word, "block", "any",
                                                                           True, False]]},
                       api_name="/save_moderation_rules")  # fmt: skip
        with pytest.raises(Exception, match="Nothing was saved"):
            client.predict(idea, False, api_name="/write_storyboard")
        resp = httpx.post(f"{server.url}api/tasks", json={"prompt": idea}, timeout=60)
        assert resp.status_code == 400 and resp.json()["detail"]["code"] == "moderation_blocked"
        assert query(server.db, "select count(*) from projects")[0][0] == projects  # nothing stored
        assert [row[1:3] for row in server_audit(server)[:2]] == [("storyboard", "block")] * 2
    finally:
        client.predict(rules, api_name="/save_moderation_rules")
    assert len(client.predict(api_name="/moderation_overview")[0]["data"]) == len(rules["data"])


@pytest.mark.slow
@pytest.mark.parametrize("column", [1, 2])  # the description and the narration cells
def test_an_edited_cell_is_checked_over_gradio(server, column):
    client = server.client
    pid, table, _ = client.predict("A boy feeds ducks by a pond. It starts to rain. He runs home.", False,
                                   api_name="/write_storyboard")  # fmt: skip
    before = snapshot(server.db, int(pid))
    table["data"][1][column] = f"{table['data'][1][column]} Now {BLOCKED}."
    with pytest.raises(Exception, match="Nothing was saved"):
        client.predict(pid, table, True, api_name="/save_storyboard")
    assert snapshot(server.db, int(pid)) == before
    assert server_audit(server)[0][1:3] == ("edit", "block") and BLOCKED in server_audit(server)[0][3]


@pytest.mark.slow
def test_a_rewrite_instruction_is_checked_over_gradio(server):
    client = server.client
    pid, _, _ = client.predict("An old man plants a tree. Years pass. Children climb it.", False,
                               api_name="/write_storyboard")  # fmt: skip
    before = snapshot(server.db, int(pid))
    with pytest.raises(Exception, match="Nothing was saved"):
        client.predict(pid, 2, f"show {BLOCKED}", api_name="/rewrite_scene")
    assert snapshot(server.db, int(pid)) == before
    assert server_audit(server)[0][2] == "block" and BLOCKED in server_audit(server)[0][3]
