"""The finishing pass wired into the app: a preset's `finish` table and the Film tab's choice reach the final
render through the Studio facade; the engine's (raw) clip is kept, and a changed finish only finishes it
anew (the engine is not called again); interpolation doubles the frame rate and upscaling the size with the
duration exact (read back from the files by ffmpeg); drafts are never finished; bad values are refused with
a message in both languages, at settings load and from the Film tab. Real RIFE and Real-ESRGAN weights, on
the CPU, at 96×64."""

from __future__ import annotations

import asyncio
import threading

import gradio as gr
import numpy as np
import pytest

from app.i18n import error_text
from app.settings import SettingsError, load_settings
from app.studio import Studio
from app.write import WriteRequest
from models.errors import UserError
from models.ffmpeg import probe
from models.registry import load_registry
from models.video.base import Shot, VideoEngine
from models.video.finish_options import MAX_FINISHED_FPS, FinishOptions
from tests.test_assemble import count_frames

IDEA = "A fox wakes in its den. It runs across the snow."
FPS = 8


class MovingSquare(VideoEngine):
    """A square crossing the frame (motion for RIFE to follow), and a record of every shot it rendered."""

    def __init__(self, calls: list) -> None:
        self.calls = calls

    def render(self, shot, progress=None, cancel: threading.Event | None = None):
        assert shot.finish is None, "the engine is given the raw shot, never the finishing pass"
        self.calls.append(shot)
        for i in range(shot.frames):
            frame = np.full((shot.height, shot.width, 3), 40, np.uint8)
            x = (4 * i) % max(1, shot.width - 16)
            frame[16:32, x : x + 16] = (220, 180, 60)
            if progress:
                progress(i + 1, shot.frames, None)
            yield frame


def make_studio(tmp_path, calls: list, finish: dict | None = None, fps: int = FPS, **extra) -> Studio:
    registry = load_registry(plugins=False)
    registry.register_video_engine("square", lambda options, context: MovingSquare(calls))
    preset = {"kind": "square", "label": "Square"} | ({"finish": finish} if finish else {})
    video = extra.pop("video", {"engine": "sq", "presets": {"sq": preset, "animatic": {"kind": "animatic"}}})
    settings = load_settings(
        tmp_path / "none.toml", environ={}, paths={"data_dir": str(tmp_path / "data")}, video=video,
        render={"short_side": 64, "fps": fps}, assembly={"x264_preset": "ultrafast"}, music={"source": "none"},
        narration={"engine": "none"}, storyboard={"target_seconds": 0, "default_scene_seconds": 2.0}, **extra,
    )  # fmt: skip
    return Studio(settings, registry=registry)


def render(studio: Studio, user, project_id: int, quality: str | None = None):
    job = studio.submit_render(user, project_id, quality=quality)
    assert studio.jobs.run_pending() >= 1
    job = studio.jobs.get(job.id)
    assert job.status == "done", job.message
    return studio.latest_film(user, project_id)


def clip_files(studio: Studio, user, project_id: int):
    """The file of each scene's current clip (the one assembly takes)."""
    clips = {c.id: c for c in studio.clips(user, project_id)}
    return [studio.media.resolve(clips[c.clip_id].file_path) for c in studio.scene_clips(user, project_id)]


# -- fast: settings and the facade's refusals ----------------------------------------------------------------
def test_a_bad_finish_value_stops_start_up_naming_the_preset_and_key(tmp_path):
    for finish, words in (({"interpolate": 3}, "interpolate"), ({"upscale": 8}, "upscale"),
                          ({"upscale": 2, "upscale_model": "x4plus"}, "by 4 only"), ({"sharpen": 1}, "sharpen")):  # fmt: skip
        with pytest.raises(SettingsError) as err:
            load_settings(tmp_path / "none.toml", environ={},
                          video={"presets": {"animatic": {"kind": "animatic", "finish": finish}}})  # fmt: skip
        assert "video.presets.animatic.finish" in str(err.value) and words in str(err.value), str(err.value)
    # the shipped settings.toml's diffusion preset, with a bad value over its [NAME.finish] table
    with pytest.raises(SettingsError, match=r"wan21-t2v-1_3b\.finish\.interpolate: .*1, 2 or 4 \(got 3\)"):
        load_settings(environ={}, paths={"data_dir": str(tmp_path)},
                      video={"presets": {"wan21-t2v-1_3b": {"finish": {"interpolate": 3}}}})  # fmt: skip


def test_finish_options_cap_the_frame_rate_and_take_a_projects_choice():
    assert FinishOptions(interpolate=4).for_fps(16).interpolate == 4  # 64 fps
    assert FinishOptions(interpolate=4).for_fps(60).interpolate == 2  # 240 → 120
    assert FinishOptions(interpolate=2).for_fps(MAX_FINISHED_FPS).interpolate == 1
    preset = FinishOptions(interpolate=2, upscale=4, upscale_model="x4plus")
    assert preset.choose(upscale=2) == FinishOptions(interpolate=2, upscale=2, upscale_model="animevideov3")
    assert preset.choose() is preset and preset.choose(interpolate=1).interpolate == 1


def test_the_finish_is_part_of_the_clips_identity_and_the_raw_shot_keeps_the_old_one():
    raw = Shot(prompt="a fox", width=96, height=64, frames=16, fps=FPS)
    finished = raw.model_copy(update={"finish": FinishOptions(interpolate=2)})
    assert finished.raw() == raw and finished.raw().content_hash() == raw.content_hash()
    assert finished.content_hash() != raw.content_hash()
    # tiling and batching change nothing in the picture: not in the identity
    assert raw.model_copy(update={"finish": FinishOptions(interpolate=2, tile=64, batch=2)}).content_hash() == (
        finished.content_hash()
    )
    assert raw.model_copy(update={"finish": FinishOptions()}).content_hash() == raw.content_hash()  # inactive
    assert finished.output_format() == (96, 64, 2 * FPS)


def test_the_film_tab_choice_reaches_the_shots_of_final_renders_only(tmp_path):
    studio = make_studio(tmp_path, [], finish={"interpolate": 2})
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        assert all(s.finish == FinishOptions(interpolate=2) for s in studio.project_shots(project.id, board))
        studio.set_finish(user, project.id, "4", "2")
        shots = studio.project_shots(project.id, board)
        assert {s.finish for s in shots} == {FinishOptions(interpolate=4, upscale=2)}
        assert all(s.finish is None for s in studio.project_shots(project.id, board, "draft"))
        assert studio.preset_finish(user, project.id) == FinishOptions(interpolate=2)
        studio.set_finish(user, project.id, "1", "preset")  # off: the raw clip is the final one
        assert all(s.finish is None for s in studio.project_shots(project.id, board))
        before = studio.render_choices(user, project.id)
        for bad in ("3", 8, "x2", "2.0", -2):
            with pytest.raises(UserError) as err:
                studio.set_finish(user, project.id, bad, None)
            assert err.value.key == "finish_invalid"
            assert "2 or 4" in error_text(err.value, "en") and "2 或 4" in error_text(err.value, "zh")
        assert studio.render_choices(user, project.id) == before  # nothing changed
    finally:
        studio.close()


# -- slow: real renders, real networks -----------------------------------------------------------------------
@pytest.mark.slow
def test_interpolation_doubles_the_fps_keeps_the_duration_and_reuses_the_raw_clip(tmp_path):
    calls: list = []
    studio = make_studio(tmp_path, calls, finish={"interpolate": 2})
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        n = len(board.scenes)
        film = render(studio, user, project.id)
        assert len(calls) == n  # one engine call per scene
        frames = [s.frames for s in studio.project_shots(project.id, board)]
        for path, count in zip(clip_files(studio, user, project.id), frames, strict=True):
            info = probe(path)
            assert info.fps == pytest.approx(2 * FPS) and count_frames(path) == 2 * count
            assert (info.width, info.height) == (96, 64)
            assert info.duration == pytest.approx(count / FPS, abs=0.011)  # exactly the raw clip's length
        assert film.frame_rate == 2 * FPS and film.duration_sec == pytest.approx(board.duration, abs=0.1)

        # Another finish: the engine is not called again; the kept raw clips are finished anew.
        studio.set_finish(user, project.id, "4", None)
        film = render(studio, user, project.id)
        assert len(calls) == n and film.frame_rate == 4 * FPS
        for path, count in zip(clip_files(studio, user, project.id), frames, strict=True):
            assert count_frames(path) == 4 * count and probe(path).duration == pytest.approx(count / FPS, abs=0.011)
        # Back to the preset's ×2: its finished clips are cached, nothing is rendered or finished.
        studio.set_finish(user, project.id, "preset", "preset")
        rows = len(studio.clips(user, project.id))
        render(studio, user, project.id)
        assert len(calls) == n and len(studio.clips(user, project.id)) == rows
        # Off: the raw clips themselves make the film, at the render's frame rate.
        studio.set_finish(user, project.id, "1", None)
        film = render(studio, user, project.id)
        assert len(calls) == n and film.frame_rate == FPS
        assert [count_frames(p) for p in clip_files(studio, user, project.id)] == frames
        # A draft of this engine is the final (no steps), and it is never finished.
        studio.set_finish(user, project.id, "2", None)
        assert all(s.finish is None for s in studio.project_shots(project.id, board, "draft"))
    finally:
        studio.close()


@pytest.mark.slow
def test_upscaling_doubles_the_size_of_clips_and_film(tmp_path):
    calls: list = []
    studio = make_studio(tmp_path, calls)
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        studio.set_finish(user, project.id, None, 2)  # the Film tab's choice over a preset without a finish
        film = render(studio, user, project.id)
        for path in clip_files(studio, user, project.id):
            info = probe(path)
            assert (info.width, info.height) == (192, 128) and info.fps == pytest.approx(FPS)
        info = probe(studio.media.resolve(film.file_path))
        assert (info.width, info.height) == (192, 128) and len(calls) == len(board.scenes)
        assert film.duration_sec == pytest.approx(board.duration, abs=0.1)
    finally:
        studio.close()


@pytest.mark.slow
def test_the_animatic_finishes_too(tmp_path):
    """No GPU, no diffusion: the animatic's clip goes through real RIFE on the CPU."""
    studio = make_studio(tmp_path, [], video={"engine": "animatic",
                                                "presets": {"animatic": {"kind": "animatic", "finish": {"interpolate": 2}}}})  # fmt: skip
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        film = render(studio, user, project.id)
        assert film.frame_rate == 2 * FPS
        for path, shot in zip(clip_files(studio, user, project.id), studio.project_shots(project.id, board),
                              strict=True):  # fmt: skip
            assert count_frames(path) == 2 * shot.frames
            assert probe(path).duration == pytest.approx(shot.duration, abs=0.011)
    finally:
        studio.close()


def collect(updates) -> list:
    """Every update an async handler yields (the Film tab's handlers wait on the event loop)."""

    async def run() -> list:
        return [item async for item in updates]

    return asyncio.run(run())


@pytest.mark.slow
def test_the_film_tab_button_finishes_and_assembles(tmp_path):
    """The Film tab's handler (found in the built page by its API name) saves the choice, queues the final
    render through the Studio facade and shows the new film; a bad value is a gr.Error in the user's words."""
    from app.ui.studio import build_blocks

    calls: list = []
    studio = make_studio(tmp_path, calls, jobs={"backend": "thread"})
    studio.start()
    try:
        demo = build_blocks(studio)
        finish = next(f.fn for f in demo.fns.values() if f.api_name == "finish_film")
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        outputs = collect(finish(project.id, "2", "1", None))
        player, message = outputs[-1]
        assert "film" in message.lower() and "<video" in player
        assert studio.latest_film(user, project.id).frame_rate == 2 * FPS and len(calls) == len(board.scenes)
        with pytest.raises(gr.Error) as err:
            collect(finish(project.id, "3", "1", None))
        assert "2 or 4" in str(err.value.message)
        assert studio.render_choices(user, project.id).interpolate == 2  # unchanged by the refused value
    finally:
        studio.close()


@pytest.mark.slow
def test_finishing_out_of_memory_unloads_the_engine_and_tries_once_more(tmp_path, monkeypatch):
    from app.finish import Finishing

    calls: list = []
    studio = make_studio(tmp_path, calls, finish={"interpolate": 2})
    unloads: list[int] = []
    monkeypatch.setattr(MovingSquare, "unload", lambda self: unloads.append(1))
    real, failures = Finishing.finish, []

    def short_of_memory(self, *args, **kwargs):
        if not failures:
            failures.append(1)
            raise MemoryError("no room for the upscaler")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Finishing, "finish", short_of_memory)
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea=IDEA))
        film = render(studio, user, project.id)
        assert failures == [1] and unloads and film.frame_rate == 2 * FPS and len(calls) == len(board.scenes)
    finally:
        studio.close()
