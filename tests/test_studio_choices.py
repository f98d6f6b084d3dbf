"""The studio facade behind the Create, Storyboard, Render and Library tabs, in process: the project's own
aspect ratio and engine reach the shots and the film, per-scene regeneration renders exactly that scene (a
recording engine counts the calls), locked scenes are never rendered again, and the library's rename,
duplicate, search and delete; every refusal is a UserError with a message in both languages."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.i18n import error_text
from app.settings import load_settings
from app.studio import Studio
from app.write import WriteChoices, WriteRequest
from models.errors import UserError
from models.ffmpeg import probe
from models.registry import load_registry
from models.video.base import VideoEngine
from storage.projects import RenderChoices

IDEA = "A fox wakes in its den. It runs across the snow. It finds its family at dusk."


class RecordingEngine(VideoEngine):
    """Flat frames, and a record of every shot it was asked to render."""

    def __init__(self, calls: list) -> None:
        self.calls = calls

    def render(self, shot, progress=None, cancel: threading.Event | None = None):
        self.calls.append(shot)
        for i in range(shot.frames):
            if progress:
                progress(i + 1, shot.frames, None)
            yield np.full((shot.height, shot.width, 3), (shot.seed * 37) % 255, np.uint8)


@pytest.fixture
def recorded(tmp_path):
    calls: list = []
    registry = load_registry(plugins=False)
    registry.register_video_engine("recording", lambda options, context: RecordingEngine(calls))
    settings = load_settings(
        tmp_path / "none.toml", environ={}, paths={"data_dir": str(tmp_path / "data")},
        video={"engine": "rec", "presets": {"rec": {"kind": "recording", "label": "Recorder"},
                                            "animatic": {"kind": "animatic"}}},
        render={"short_side": 64, "fps": 8}, assembly={"x264_preset": "ultrafast"}, music={"source": "none"},
        narration={"engine": "none"},
    )  # fmt: skip
    studio = Studio(settings, registry=registry)
    yield studio, calls
    studio.close()


def run(studio: Studio) -> None:
    assert studio.jobs.run_pending() >= 1


def test_render_this_scene_renders_exactly_that_scene(recorded):
    studio, calls = recorded
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    n = len(board.scenes)
    studio.submit_render(user, project.id)
    run(studio)
    assert len(calls) == n  # the first film renders every scene
    before = [c.clip_id for c in studio.scene_clips(user, project.id)]

    calls.clear()
    board = studio.reroll_scene(user, project.id, 2)
    studio.render_scene(user, project.id, 2)
    run(studio)
    assert [c.seed for c in calls] == [board.scenes[1].seed]  # one call, for scene 2's new take
    after = [c.clip_id for c in studio.scene_clips(user, project.id)]
    assert after[1] != before[1] and after[:1] + after[2:] == before[:1] + before[2:]

    calls.clear()
    films = studio.latest_film(user, project.id).id
    studio.submit_render(user, project.id)
    run(studio)
    assert calls == [] and studio.latest_film(user, project.id).id > films  # the film is made of cached clips


def test_a_locked_scene_is_never_rendered_again(recorded):
    studio, calls = recorded
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    studio.submit_render(user, project.id)
    run(studio)
    kept = studio.scene_clips(user, project.id)[0].clip_id
    studio.lock_scene(user, project.id, 1, True)
    studio.edit_storyboard(user, project.id, "replace", number=1, description="a fox in a storm, at night")
    with pytest.raises(UserError) as err:
        studio.reroll_scene(user, project.id, 1)
    assert err.value.key == "scene_locked" and "锁定" in error_text(err.value, "zh")
    with pytest.raises(UserError):
        studio.render_scene(user, project.id, 1)
    calls.clear()
    studio.submit_render(user, project.id)
    run(studio)
    assert calls == []  # the locked scene keeps its clip though its description changed
    first = studio.scene_clips(user, project.id)[0]
    assert first.clip_id == kept and first.locked and not first.current
    studio.lock_scene(user, project.id, 1, False)
    studio.submit_render(user, project.id)
    run(studio)
    assert len(calls) == 1 and "storm" in calls[0].prompt


def test_the_projects_aspect_ratio_reaches_the_shots_and_the_film(recorded):
    studio, calls = recorded
    user = studio.local_user()
    project, _ = studio.create_project(user, WriteRequest(idea=IDEA, render=RenderChoices(aspect="9:16")))
    assert studio.render_choices(user, project.id).aspect == "9:16"
    studio.save_storyboard(user, project.id, studio.storyboard(user, project.id))  # a save keeps the choice
    assert studio.render_choices(user, project.id).aspect == "9:16"
    studio.submit_render(user, project.id)
    run(studio)
    assert {(c.width, c.height) for c in calls} == {(64, 96)}  # tall: the long side snapped to 32
    film = studio.latest_film(user, project.id)
    info = probe(studio.media_file(user, "film", film.id))
    assert (info.width, info.height) == (64, 96)
    studio.reassemble(user, project.id, look="warm")  # re-assembly keeps the project's shape too
    assert studio.latest_film(user, project.id).resolution == "64x96"


def test_only_engines_on_disk_can_be_chosen(recorded):
    studio, _ = recorded
    studio.settings.video.presets["wan"] = studio.settings.video.presets["rec"].model_copy(
        update={"kind": "diffusion", "repo": "Wan-AI/Wan2.1-T2V-1.3B-Diffusers"}
    )  # a diffusion preset whose weights were never downloaded
    presets = {p.name: p for p in studio.engine_presets()}
    assert presets["rec"].on_disk and presets["animatic"].on_disk  # nothing to download
    assert not presets["wan"].on_disk and "python launch.py --download wan" in presets["wan"].detail
    with pytest.raises(UserError) as err:
        studio.check_render_choices(RenderChoices(engine="wan"))
    assert err.value.key == "model_missing" and "--download wan" in error_text(err.value, "zh")
    with pytest.raises(UserError) as err:
        studio.check_render_choices(RenderChoices(engine="no-such-preset"))
    assert err.value.key == "engine_missing"
    user = studio.local_user()
    with pytest.raises(UserError):  # nothing is written for a project that could not render
        studio.create_project(user, WriteRequest(idea=IDEA, render=RenderChoices(engine="wan")))
    assert studio.search_projects(user) == []


def test_write_choices_reach_the_writer_and_bad_ones_are_explained(recorded):
    studio, _ = recorded
    user = studio.local_user()
    options = studio.writing.options(None, WriteChoices(seconds=30, genre="advert", style="watercolour"))
    assert options.target_seconds == 30 and options.style == "watercolour"
    if "genre" in type(options).model_fields:  # the planner that knows genres
        assert options.genre == "advert"
    project, board = studio.create_project(
        user, WriteRequest(idea=IDEA, choices=WriteChoices(style="watercolour illustration"))
    )
    assert "watercolour" in board.style
    with pytest.raises(UserError) as err:
        studio.create_project(
            user, WriteRequest(idea="海边的灯塔。看守人点亮了灯。", choices=WriteChoices(language="en"))
        )
    assert err.value.key == "language_mismatch"
    assert "Chinese" in error_text(err.value, "en") and "中文" in error_text(err.value, "zh")
    with pytest.raises(UserError) as err:
        studio.create_project(user, WriteRequest(idea=IDEA, choices=WriteChoices(seconds=1)))
    assert err.value.key == "target_invalid"


def test_library_rename_duplicate_search_and_delete(recorded):
    studio, calls = recorded
    ann = studio.local_user()
    bob = studio.accounts.create_user("bob", "bob password")
    project, _ = studio.create_project(ann, WriteRequest(idea=IDEA))
    studio.submit_render(ann, project.id)
    run(studio)
    renamed = studio.rename_project(ann, project.id, "  Snow   fox  ")
    assert renamed.title == "Snow fox" and studio.storyboard(ann, project.id).title == "Snow fox"
    for bad in ("", " ", "x" * 201):
        with pytest.raises(UserError) as err:
            studio.rename_project(ann, project.id, bad)
        assert err.value.key == "title_invalid"
    copy = studio.duplicate_project(ann, project.id)
    assert copy.id != project.id and copy.title == "Snow fox (copy)"
    assert studio.storyboard(ann, copy.id).scenes == studio.storyboard(ann, project.id).scenes
    calls.clear()
    studio.submit_render(ann, copy.id)
    run(studio)
    assert calls == []  # the copy finds the original's clips by their shots
    assert [p.id for p in studio.search_projects(ann, "SNOW")] == [copy.id, project.id]
    assert studio.search_projects(ann, "copy")[0].id == copy.id
    assert studio.search_projects(ann, "100%_") == []  # LIKE's wildcards are searched literally
    assert studio.search_projects(bob, "snow") == []  # nobody else's
    for action in (lambda: studio.rename_project(bob, project.id, "mine"),
                   lambda: studio.duplicate_project(bob, project.id),
                   lambda: studio.delete_project(bob, project.id)):  # fmt: skip
        with pytest.raises(UserError) as err:
            action()
        assert err.value.key == "project_missing"
    film = studio.media_file(ann, "film", studio.latest_film(ann, project.id).id)
    studio.delete_project(ann, project.id)
    assert not film.exists()
    with pytest.raises(UserError):
        studio.project(ann, project.id)
    assert [p.id for p in studio.search_projects(ann)] == [copy.id]
    studio.submit_render(ann, copy.id)  # queued, not run: a project being rendered is not deleted
    with pytest.raises(UserError) as err:
        studio.delete_project(ann, copy.id)
    assert err.value.key == "render_busy"


def test_story_bible_edits_are_checked(recorded):
    from models.storyboard import Character

    studio, _ = recorded
    user = studio.local_user()
    project, _ = studio.create_project(user, WriteRequest(idea=IDEA))
    board = studio.save_bible(user, project.id, "ink drawing", [Character(name="Fox", look="red fur, white tail")])
    assert board.style == "ink drawing" and board.characters[0].look == "red fur, white tail"
    with pytest.raises(UserError) as err:
        studio.save_bible(user, project.id, "x" * 401, [])
    assert err.value.key == "storyboard_invalid"


def test_a_bad_cell_is_named_in_the_users_language():
    from app.board_io import frame_to_storyboard
    from app.ui.common import storyboard_frame
    from models.storyboard import Scene, Storyboard

    base = Storyboard(title="t", scenes=[Scene(number=1, description="a fox"), Scene(number=2, description="an owl")])
    cases = [(3, 99, "at most 30", "不能超过 30"), (3, "long", "must be a number", "必须是数字"),
             (4, "zoom_wildly", "push_in", "只能是"), (1, "", None, None)]  # fmt: skip
    for col, value, en, zh in cases:
        rows = storyboard_frame(base, "en").values.tolist()
        rows[1][col] = value
        if en is None:  # an emptied description with narration left: the description must not be empty
            rows[1][2] = "words"
            en, zh = "must not be empty", "不能为空"
        with pytest.raises(UserError) as err:
            frame_to_storyboard({"data": rows}, base)
        assert err.value.key == "cell_invalid"
        assert en in error_text(err.value, "en") and "scene 2" in error_text(err.value, "en")
        assert zh in error_text(err.value, "zh") and "第 2 个镜头" in error_text(err.value, "zh")
