"""The music seam: the bundled mood library, the procedural generator, the user's file, none."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from models.errors import UserError
from models.ffmpeg import probe
from models.music import MOODS, ambient, library_tracks, music_bed


def test_every_mood_has_library_tracks_that_decode():
    for mood in MOODS:
        tracks = library_tracks(mood)
        assert tracks, f"no {mood} tracks: is immich-memories-music installed?"
    info = probe(library_tracks("calm")[0])
    assert info.audio_streams == 1 and info.duration > 10


def test_library_bed_is_chosen_by_seed_and_loops():
    tracks = library_tracks("tender")
    beds = {music_bed("library", "tender", 20.0, seed=s).path for s in range(len(tracks))}
    assert beds == set(tracks)  # each seed picks one, and every track can be picked
    again = music_bed("library", "tender", 20.0, seed=3)
    assert again.path == music_bed("library", "tender", 20.0, seed=3).path and again.loop


def test_procedural_bed_has_the_length_and_level_asked_for(tmp_path):
    bed = music_bed("procedural", "happy", 6.0, work_dir=tmp_path, seed=7)
    assert bed is not None and not bed.loop
    with wave.open(str(bed.path)) as w:
        assert w.getnchannels() == 2
        seconds = w.getnframes() / w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(float) / 32768
    assert seconds == pytest.approx(6.0, abs=0.01)
    rms_db = 20 * np.log10(np.sqrt(np.mean(samples**2)))
    assert -21 < rms_db < -15 and np.abs(samples).max() < 0.95
    stamp = bed.path.stat().st_mtime_ns
    assert music_bed("procedural", "happy", 6.0, work_dir=tmp_path, seed=7).path.stat().st_mtime_ns == stamp  # reused
    assert not np.array_equal(ambient(2.0, "calm", 1), ambient(2.0, "calm", 2))  # seeds vary the tune


def test_a_user_file_must_be_audio(tmp_path):
    song = tmp_path / "song.wav"
    with wave.open(str(song), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes((np.sin(np.arange(22050) / 5) * 8000).astype(np.int16).tobytes())
    assert music_bed("file", file=song).path == song
    fake = tmp_path / "fake.mp3"
    fake.write_text("not music")
    for bad in (fake, tmp_path / "missing.mp3", None):
        with pytest.raises(UserError) as err:
            music_bed("file", file=bad)
        assert err.value.key == "music_unreadable"


def test_none_and_bad_choices():
    assert music_bed("none") is None
    with pytest.raises(ValueError, match="mood"):
        music_bed("library", "grumpy")
    with pytest.raises(ValueError, match="source"):
        music_bed("radio")
