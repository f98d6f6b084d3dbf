"""The thin pipeline in-process: idea → storyboard → clips → film, persisted, cached, owned."""

import pytest

from app.studio import Studio
from app.write import WriteRequest
from models.errors import UserError
from models.ffmpeg import probe
from storage.tables import User


def render(studio, user, project_id):
    job = studio.submit_render(user, project_id)
    studio.jobs.run_pending()
    return studio.jobs.get(job.id)


def test_idea_to_film_persists_every_step(settings):
    studio = Studio(settings)
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A lighthouse keeper finds a bottle. He reads the letter. He sails.")
    )
    job = render(studio, user, project.id)
    assert job.status == "done", job.error
    timed = studio.storyboard(user, project.id)  # narration-first timing may have lengthened scenes
    assert all(t.duration >= b.duration for t, b in zip(timed.scenes, board.scenes, strict=True))
    board = timed
    film = studio.latest_film(user, project.id)
    info = probe(studio.media.resolve(film.file_path))
    assert abs(info.duration - board.duration) <= 0.5
    assert (info.width, info.height, round(info.fps)) == (832, 480, settings.render.fps)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    studio.close()

    reopened = Studio(settings)  # a restart: everything is still there
    user = reopened.local_user()
    assert reopened.storyboard(user, project.id) == board.renumbered()
    assert len(reopened.clips(user, project.id)) == len(board.scenes)
    assert reopened.latest_film(user, project.id).id == film.id
    assert reopened.project(user, project.id).status == "completed"
    reopened.close()


def test_unchanged_scenes_are_not_rendered_again(studio):
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea="一只猫在屋顶上看月亮。它跳了下去。它回家了。"))
    render(studio, user, project.id)
    assert len(studio.clips(user, project.id)) == len(board.scenes)
    edited = board.model_copy(deep=True)
    edited.scenes[1].narration = "它轻轻地跳了下去。"
    studio.save_storyboard(user, project.id, edited)
    render(studio, user, project.id)
    clips = studio.clips(user, project.id)
    assert len(clips) == len(board.scenes) + 1  # only the edited scene was rendered again
    render(studio, user, project.id)
    assert len(studio.clips(user, project.id)) == len(clips)


def test_other_users_cannot_see_a_project(studio):
    owner = studio.local_user()
    project, _ = studio.create_project(owner, WriteRequest(idea="A red kite over the hills."))
    with studio.db.session() as s:
        other = User(username="mallory", role="user")
        s.add(other)
        s.commit()
        s.refresh(other)
    for call in (studio.project, studio.storyboard, studio.submit_render, studio.latest_film):
        with pytest.raises(UserError) as err:
            call(other, project.id)
        assert err.value.key == "project_missing"
    assert studio.projects(other) == []


@pytest.mark.parametrize(
    ("idea", "key"),
    [("", "idea_empty"), ("   \n\t", "idea_empty"), ("🎬🎥✨", "idea_no_words"), ("x" * 20000, "idea_too_long")],
)
def test_bad_ideas_change_nothing(studio, idea, key):
    user = studio.local_user()
    with pytest.raises(UserError) as err:
        studio.create_project(user, WriteRequest(idea=idea))
    assert err.value.key == key
    assert studio.projects(user) == []


def test_cancelled_render_keeps_no_partial_clip(studio):
    user = studio.local_user()
    project, _ = studio.create_project(
        user, WriteRequest(idea="Snow falls on a quiet forest. A fox appears. It runs home.")
    )
    job = studio.submit_render(user, project.id)
    studio.jobs.cancel(job.id)  # cancelled while queued: nothing runs
    studio.jobs.run_pending()
    assert studio.jobs.get(job.id).status == "cancelled"
    assert studio.clips(user, project.id) == []
    assert not list(studio.media.root.rglob("*.part*"))


class RecordingEngine:
    """A plug-in engine (registered through the public hook) that draws with the animatic and records
    the job-level calls the studio makes."""

    name = "recording"

    def __init__(self) -> None:
        from models.video.animatic import AnimaticEngine

        self.inner, self.calls = AnimaticEngine(), []

    def prepare(self, shots):
        self.calls.append(("prepare", len(shots)))

    def unload(self):
        self.calls.append(("unload",))

    def estimate_seconds(self, shot):
        return self.inner.estimate_seconds(shot)

    def render(self, shot, progress=None, cancel=None):
        return self.inner.render(shot, progress, cancel)


def test_plugin_engine_gets_job_hooks_previews_and_eta(tmp_path):
    from app.settings import load_settings
    from models.registry import load_registry

    engine = RecordingEngine()
    registry = load_registry()
    registry.register_video_engine("recording", lambda preset, context: engine)
    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path)},
                             video={"engine": "rec", "presets": {"rec": {"kind": "recording"}}})  # fmt: skip
    studio = Studio(settings, registry=registry)
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A boat on a calm lake at dawn. Birds fly over. The sun rises.")
    )
    job = render(studio, user, project.id)
    assert job.status == "done", job.error
    assert engine.calls == [("prepare", len(board.scenes)), ("unload",)]
    preview = studio.media_file(user, "preview", job.id)
    assert preview.read_bytes()[:2] == b"\xff\xd8"  # a JPEG of the last preview
    with studio.db.session() as s:
        other = User(username="other")
        s.add(other)
        s.commit()
        s.refresh(other)
    with pytest.raises(UserError):
        studio.media_file(other, "preview", job.id)
    engine.calls.clear()
    render(studio, user, project.id)  # nothing changed: nothing to prepare, and still unloaded after
    assert engine.calls == [("unload",)]
    studio.close()
