"""Retrieval at the studio level (issue 12): a creator's own edited storyboards, read from the project
store, shape their new ones; another user's, an admin's included, never do. The write stage also takes the
creator's genre, length and style."""

from __future__ import annotations

import pytest

from app.settings import load_settings
from app.studio import Studio
from app.write import WriteChoices, WriteRequest
from models.storyboard import Camera, Genre

LAMP = "A product teaser for the Aurora desk lamp: warm light, a flexible arm, a touch dimmer."
# (Worded so: "keeps drinks cold ... weighs almost nothing" is blocked as drugs by a moderation combination rule.)
BOTTLE = "An advert for the Breeze water bottle: keeps water cold all day, fits any bike holder, light as a feather."
STYLE = "minimal Scandinavian look, white seamless backdrop, top light"


@pytest.fixture
def studio(tmp_path):
    studio = Studio(load_settings(environ={}, paths={"data_dir": str(tmp_path / "data")}))
    yield studio
    studio.close()


def _edit_advert(studio: Studio, user, project_id: int) -> None:
    """What a creator does to their advert: no lifestyle shot, the hero shot slides in, their own look."""
    board = studio.storyboard(user, project_id)
    studio.edit_storyboard(user, project_id, "delete", number=[s.role for s in board.scenes].index("in_use") + 1)
    studio.edit_storyboard(user, project_id, "replace", number=1, camera=Camera.PAN_LEFT)
    edited = studio.storyboard(user, project_id).model_copy(update={"style": STYLE})
    studio.save_storyboard(user, project_id, edited)


def test_a_users_edited_advert_shapes_their_next_advert_and_nobody_elses(studio):
    alice = studio.accounts.save("alice", "correct horse 1", "user", True)
    bob = studio.accounts.save("bob", "correct horse 2", "user", True)
    admin = studio.accounts.save("root", "correct horse 3", "admin", True)
    writer = studio.writing.writer()

    # Bob has no past storyboard: the built-in arc, and the embedder is not even loaded.
    _, bobs = studio.create_project(bob, WriteRequest(idea=BOTTLE, choices=WriteChoices(seconds=25)))
    assert bobs.sources == ["template:advert"] and writer.retriever._embedder is None

    project, lamp = studio.create_project(alice, WriteRequest(idea=LAMP, choices=WriteChoices(seconds=25)))
    assert lamp.genre == Genre.ADVERT and "in_use" in [s.role for s in lamp.scenes]
    _edit_advert(studio, alice, project.id)
    edited = studio.storyboard(alice, project.id)

    _, mine = studio.create_project(alice, WriteRequest(idea=BOTTLE, choices=WriteChoices(seconds=25)))
    assert mine.sources == [f"storyboard:{edited.title}"]
    assert mine.style == STYLE
    assert "in_use" not in [s.role for s in mine.scenes]
    assert mine.scenes[0].camera == Camera.PAN_LEFT
    assert [s.role for s in mine.scenes if s.role != "feature"] == [
        s.role for s in edited.scenes if s.role != "feature"
    ]

    # Alice's storyboards exist now, yet neither Bob's nor an admin's new advert is shaped by them.
    for other in (bob, admin):
        _, theirs = studio.create_project(other, WriteRequest(idea=BOTTLE, choices=WriteChoices(seconds=25)))
        # Bob's own earlier advert may shape his; Alice's never does.
        assert theirs.sources in (["template:advert"], [f"storyboard:{bobs.title}"]), other.username
        assert f"storyboard:{edited.title}" not in theirs.sources
        assert theirs.style != STYLE and "in_use" in [s.role for s in theirs.scenes]
    # The store's query reads one user's projects only, newest last.
    assert [b.title for b in studio.store.recent_storyboards(alice.id)] == [edited.title, mine.title]
    assert all(b.style != STYLE for b in studio.store.recent_storyboards(bob.id))
    assert len(studio.store.recent_storyboards(alice.id, limit=1)) == 1


def test_genre_and_length_from_the_caller(studio):
    user = studio.local_user()
    idea = "一只小狐狸在雪地里找吃的。"
    _, story = studio.create_project(user, WriteRequest(idea=idea))
    assert story.genre == Genre.STORY
    _, mood = studio.create_project(user, WriteRequest(idea=idea, choices=WriteChoices(genre="mood", seconds=40)))
    assert mood.genre == Genre.MOOD and mood.sources == ["template:mood"]
    assert 40 * 0.75 <= mood.duration <= 40 * 1.25 and len(mood.scenes) > len(story.scenes)
    _, styled = studio.create_project(
        user, WriteRequest(idea=idea, choices=WriteChoices(style="watercolour illustration"))
    )
    assert styled.style == "watercolour illustration"
    assert all("watercolour illustration" in s.description for s in styled.scenes)
