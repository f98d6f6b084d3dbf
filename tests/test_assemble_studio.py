"""The studio end to end: narration before rendering sets the scene lengths, the film is assembled with
narration, music and subtitles, and re-assembly with other choices renders nothing again."""

from __future__ import annotations

import shutil

import pysubs2
import pytest

from app.settings import load_settings
from app.studio import Studio
from app.write import WriteRequest
from models.errors import UserError
from models.ffmpeg import probe
from models.narrator import wav_seconds
from models.storyboard import Transition
from tests.test_assemble import count_frames

ESPEAK = shutil.which("espeak-ng")


@pytest.fixture
def studio(tmp_path):
    settings = load_settings(
        tmp_path / "none.toml",
        environ={},
        paths={"data_dir": str(tmp_path / "data")},
        render={"short_side": 192, "fps": 8},
        storyboard={"min_scenes": 3, "max_scenes": 3, "default_scene_seconds": 1.0},
        assembly={"x264_preset": "ultrafast", "transition_seconds": 0.5, "fade_seconds": 0.25},
        narration={"engine": "espeak"},
        music={"source": "procedural", "mood": "calm"},
    )
    s = Studio(settings)  # jobs run in the test's thread through run_pending()
    yield s
    s.close()


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed: no offline voice to narrate with")
def test_render_narrates_first_and_reassembly_reuses_the_clips(studio):
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A lighthouse keeper finds a bottle. He reads the note. He sails away.")
    )
    board.scenes[1].transition = Transition.DISSOLVE
    studio.save_storyboard(user, project.id, board)
    job = studio.submit_render(user, project.id)
    assert studio.jobs.run_pending() == 1
    assert studio.jobs.get(job.id).status == "done", studio.jobs.get(job.id).error

    film = studio.latest_film(user, project.id)
    path = studio.media_file(user, "film", film.id)
    info = probe(path)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    timed, speech = studio.narrate(user, studio.storyboard(user, project.id))
    assert all(s is not None for s in speech)
    for scene, wav in zip(timed.scenes, speech, strict=True):
        assert scene.duration >= wav_seconds(wav)  # every scene holds its spoken line
        assert abs(scene.duration * 8 - round(scene.duration * 8)) < 1e-6  # on the frame grid
    expected = sum(round(s.duration * 8) for s in timed.scenes) - 4  # one 0.5 s dissolve at 8 fps
    assert abs(count_frames(path) - expected) <= 1
    cues = pysubs2.load(str(studio.media_file(user, "srt", film.id)))
    assert cues[1].start == pytest.approx(round(timed.scenes[0].duration * 8 - 4) / 8 * 1000, abs=2)

    clips = {c.id: studio.media.resolve(c.file_path).stat().st_mtime_ns for c in studio.clips(user, project.id)}
    again = studio.reassemble(user, project.id, music="none", transition="cut", burn_subtitles=False)
    assert again.id != film.id
    assert {c.id: studio.media.resolve(c.file_path).stat().st_mtime_ns for c in studio.clips(user, project.id)} == clips
    assert abs(count_frames(studio.media_file(user, "film", again.id)) - (expected + 4)) <= 1  # no overlap now
    assert '"music":null' in again.settings_json.replace(" ", "")

    with pytest.raises(UserError) as err:
        studio.reassemble(user, project.id, music="file", music_file=str(path.with_suffix(".srt")))
    assert err.value.key == "music_unreadable"


def test_reassembly_before_any_render_asks_for_a_render(studio):
    user = studio.local_user()
    project, _ = studio.create_project(user, WriteRequest(idea="一只猫在屋顶上看月亮。"))
    with pytest.raises(UserError) as err:
        studio.reassemble(user, project.id)
    assert err.value.key == "film_render_first"
