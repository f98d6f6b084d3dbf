"""Film assembly on the real bundled ffmpeg: timeline, streams, cue times, CJK subtitles, aspect ratios,
audio placement and ducking, the stream-copy path, and bad inputs.

Clips are tiny lavfi colour sources (320x192, 16 fps, 1-2 s) so every test runs in about a second.
"""

from __future__ import annotations

import math
import subprocess
import wave
from pathlib import Path

import numpy as np
import pysubs2
import pytest

from app.assemble import AssemblyOptions, ClipPart, assemble, plan_timeline
from models.errors import UserError
from models.ffmpeg import ffmpeg_exe, probe
from models.fonts import cjk_font_path
from models.storyboard import Transition

W, H, FPS = 320, 192, 16
COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0)}


# -- helpers (also used by test_assemble_studio.py) -------------------------------------------------------
def make_clip(path: Path, colour: str = "red", seconds: float = 2.0, size=(W, H), fps: int = FPS) -> Path:
    """An H.264 clip of one flat colour, made the way the engines make clips (libx264, yuv420p, faststart)."""
    ffmpeg(
        ["-f", "lavfi", "-i", f"color=c={colour}:s={size[0]}x{size[1]}:d={seconds}:r={fps}"]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path)]
    )
    return path


def make_tone(path: Path, freq: float, seconds: float, rate: int = 22050, level: float = 0.3) -> Path:
    """A mono 16-bit WAV sine tone: a stand-in for speech or music whose energy is easy to find."""
    t = np.arange(int(seconds * rate)) / rate
    samples = (level * np.sin(2 * np.pi * freq * t) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def ffmpeg(args: list[str]) -> str:
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stderr


def count_frames(path: Path) -> int:
    """Decode every video frame and count them (the container's duration can round)."""
    report = ffmpeg(["-i", str(path), "-map", "0:v", "-f", "null", "-"])
    return int(report.rsplit("frame=", 1)[1].split()[0])


def frame_at(path: Path, index: int, size=(W, H)) -> np.ndarray:
    """RGB frame number `index` of a film, decoded exactly (select by frame number, not by seeking)."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-vf", f"select=eq(n\\,{index})"]
        + ["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return np.frombuffer(proc.stdout, np.uint8).reshape(size[1], size[0], 3)


def audio_of(path: Path, rate: int = 16000) -> np.ndarray:
    """The film's audio as mono float samples at `rate`."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:a"]
        + ["-ac", "1", "-ar", str(rate), "-f", "f32le", "-"],
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return np.frombuffer(proc.stdout, np.float32)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) if len(x) else 0.0


def band_level(x: np.ndarray, rate: int, freq: float) -> float:
    """Amplitude of one frequency in a stretch of audio (to tell a music tone from a voice tone)."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float(spectrum[np.abs(freqs - freq) < 15].max())


def closest_colour(pixel: np.ndarray) -> str:
    return min(COLOURS, key=lambda name: np.abs(np.array(COLOURS[name]) - pixel.astype(int)).sum())


def options(**extra) -> AssemblyOptions:
    return AssemblyOptions(**{"width": W, "height": H, "fps": FPS, "x264_preset": "ultrafast", **extra})


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {name: make_clip(folder / f"{name}.mp4", name) for name in COLOURS}


# -- the timeline ---------------------------------------------------------------------------------------
def test_timeline_overlaps_only_non_cut_transitions_and_clamps_them():
    parts = [
        ClipPart(path=Path("a"), duration=2.0),
        ClipPart(path=Path("b"), duration=2.0, transition=Transition.DISSOLVE),
        ClipPart(path=Path("c"), duration=1.0, transition=Transition.CUT),
        ClipPart(path=Path("d"), duration=0.25, transition=Transition.WIPE),
    ]
    timings = plan_timeline(parts, fps=16, transition_seconds=0.5)
    assert [t.frames for t in timings] == [32, 32, 16, 4]
    # b enters with 8 frames of overlap; c is a cut; d is 4 frames long, so its wipe is clamped to 2.
    assert [t.overlap for t in timings] == [0, 8, 0, 2]
    assert [t.start for t in timings] == [0, 24, 56, 70]


# -- the film -------------------------------------------------------------------------------------------
def test_film_length_streams_and_cue_times_follow_the_transitions(clips, tmp_path):
    spec = [  # colour, seconds, entering transition
        ("red", 2.0, Transition.CUT),
        ("green", 2.0, Transition.DISSOLVE),
        ("blue", 2.0, Transition.WIPE),
        ("yellow", 2.0, Transition.CUT),
        ("red", 2.0, Transition.FADE),
        ("green", 2.0, Transition.SLIDE),
    ]
    parts = [
        ClipPart(path=clips[c], duration=d, subtitle=f"Scene {i + 1}", transition=tr)
        for i, (c, d, tr) in enumerate(spec)
    ]
    film = assemble(parts, tmp_path / "film.mp4", options(transition_seconds=0.5))

    overlap = 0.5  # every transition but the cuts overlaps its scenes by half a second
    starts, t = [], 0.0
    for i, (_c, d, tr) in enumerate(spec):
        t -= overlap if i and tr != Transition.CUT else 0.0
        starts.append(t)
        t += d
    total = t
    assert total == 12 - 4 * 0.5
    assert abs(count_frames(film.path) - total * FPS) <= 1
    info = probe(film.path)
    assert (info.video_streams, info.video_codec, info.audio_streams, info.audio_codec) == (1, "h264", 1, "aac")
    assert (info.width, info.height) == (W, H)
    assert abs(info.duration - total) <= 1 / FPS + 0.03  # the AAC track ends with the picture

    cues = pysubs2.load(str(film.srt_path))
    assert [c.text for c in cues] == [f"Scene {i + 1}" for i in range(len(spec))]
    assert [c.start / 1000 for c in cues] == pytest.approx(starts, abs=0.002)
    vtt = pysubs2.load(str(film.vtt_path))
    assert [c.start for c in vtt] == [c.start for c in cues]
    for cue, nxt in zip(cues, cues[1:], strict=False):
        assert cue.end < nxt.start  # never two cues on screen at once

    # The cue starts are where the scenes start in the picture: the frame just before a cut is the old
    # scene, and once a transition has run its course the new scene fills the frame.
    for i, (colour, _d, tr) in enumerate(spec):
        if i == 0:
            continue
        start = round(starts[i] * FPS)
        after = start + (0 if tr == Transition.CUT else round(overlap * FPS)) + 1
        assert closest_colour(frame_at(film.path, after)[10, 10]) == colour, f"scene {i + 1}"
        assert closest_colour(frame_at(film.path, start - 1)[10, 10]) == spec[i - 1][0], f"before scene {i + 1}"


def test_chinese_subtitles_are_drawn_with_the_shipped_cjk_font(clips, tmp_path):
    font = cjk_font_path()
    assert font is not None, "the CJK font package (pylopdf-fonts-zh-cn) must be installed"
    line = "灯塔看守人捡到一个漂流瓶！“你好”"
    parts = [ClipPart(path=clips["blue"], duration=2.0, subtitle=line)]
    with_subs = assemble(parts, tmp_path / "subs.mp4", options(subtitle_size=40))
    without = assemble(parts, tmp_path / "plain.mp4", options(burn_subtitles=False))

    # libass's own report (ffmpeg at verbose level): the one font file it loaded is the shipped Noto Sans SC,
    # and it found a glyph for every character of the line.
    assert with_subs.fonts_loaded == [font]
    assert with_subs.missing_glyphs == []
    a, b = frame_at(with_subs.path, 16).astype(int), frame_at(without.path, 16).astype(int)
    bottom, top = slice(int(H * 0.6), H), slice(0, int(H * 0.4))
    assert np.abs(a[bottom] - b[bottom]).mean() > 3  # the subtitle is drawn at the bottom...
    assert np.abs(a[top] - b[top]).mean() < 1  # ...and nowhere else
    assert pysubs2.load(str(with_subs.srt_path))[0].text == line


def test_missing_glyphs_are_reported_when_no_cjk_font_is_given(clips, tmp_path, monkeypatch):
    # The negative control of the font proof: without our font, libass has no CJK font on this machine.
    probe_fc = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    if probe_fc.returncode != 0 or probe_fc.stdout.strip():
        pytest.skip("this machine has a system CJK font (or no fc-list), so libass would not miss glyphs")
    monkeypatch.setattr("app.assemble.cjk_font_path", lambda: None)
    parts = [ClipPart(path=clips["blue"], duration=1.0, subtitle="你好")]
    film = assemble(parts, tmp_path / "boxes.mp4", options())
    assert set(film.missing_glyphs) == {"你", "好"}


@pytest.mark.parametrize("aspect,size", [("16:9", (320, 176)), ("9:16", (176, 320)), ("1:1", (192, 192))])
def test_every_aspect_ratio_pads_and_never_stretches(tmp_path, aspect, size):
    # A white square clip in each film shape: padding keeps it square (black bars), crop fills the frame.
    square = make_clip(tmp_path / "square.mp4", "white", 1.0, size=(160, 160))
    w, h = size
    padded = assemble(
        [ClipPart(path=square, duration=1.0)],
        tmp_path / "pad.mp4",
        AssemblyOptions(width=w, height=h, fps=FPS, x264_preset="ultrafast"),
    )
    assert (padded.info.width, padded.info.height) == (w, h)
    frame = frame_at(padded.path, 8, size).mean(axis=2)
    white = frame > 128
    rows, cols = np.where(white)
    side = min(w, h)
    assert abs((rows.max() - rows.min() + 1) - side) <= 2 and abs((cols.max() - cols.min() + 1) - side) <= 2
    cropped = assemble(
        [ClipPart(path=square, duration=1.0)],
        tmp_path / "crop.mp4",
        AssemblyOptions(width=w, height=h, fps=FPS, x264_preset="ultrafast", fit="crop"),
    )
    assert (frame_at(cropped.path, 8, size).mean(axis=2) > 128).all()


def test_mixed_sizes_and_frame_rates_are_brought_to_the_film_format(tmp_path):
    parts = [
        ClipPart(path=make_clip(tmp_path / "a.mp4", "red", 1.0, size=(640, 360), fps=24), duration=1.0),
        ClipPart(path=make_clip(tmp_path / "b.mp4", "green", 1.0, size=(192, 320), fps=10), duration=1.0),
        # A clip shorter than its scene holds its last frame.
        ClipPart(path=make_clip(tmp_path / "c.mp4", "blue", 0.5), duration=1.0, transition=Transition.DISSOLVE),
    ]
    film = assemble(parts, tmp_path / "film.mp4", options())
    assert not film.stream_copied
    assert (film.info.width, film.info.height, round(film.info.fps)) == (W, H, FPS)
    assert abs(count_frames(film.path) - (3 * FPS - FPS // 2)) <= 1
    assert closest_colour(frame_at(film.path, 3 * FPS - FPS // 2 - 1)[H // 2, W // 2]) == "blue"


# -- audio ----------------------------------------------------------------------------------------------
def test_narration_starts_at_its_scene_start(clips, tmp_path):
    voice = make_tone(tmp_path / "voice.wav", 800, 0.6)
    parts = [
        ClipPart(path=clips["red"], duration=2.0),
        ClipPart(path=clips["green"], duration=2.0, transition=Transition.DISSOLVE, narration=voice),
    ]
    film = assemble(parts, tmp_path / "film.mp4", options(normalize_loudness=False))
    assert film.scene_starts == [0.0, 1.5]
    audio, rate = audio_of(film.path), 16000
    assert rms(audio[: int(1.4 * rate)]) < 1e-3  # nothing before the second scene starts
    assert rms(audio[int(1.55 * rate) : int(2.0 * rate)]) > 0.1  # the line, from the scene's start
    assert rms(audio[int(2.2 * rate) :]) < 1e-3  # and it ends after 0.6 s


def test_music_is_ducked_under_narration_and_loops_to_the_end(clips, tmp_path):
    music = make_tone(tmp_path / "music.wav", 200, 1.0)  # shorter than the film: it must loop
    voice = make_tone(tmp_path / "voice.wav", 1000, 1.0)
    parts = [
        ClipPart(path=clips["red"], duration=2.0),
        ClipPart(path=clips["green"], duration=2.0, narration=voice),
    ]
    rate = 16000

    def music_levels(duck: bool) -> tuple[float, float]:
        film = assemble(
            parts,
            tmp_path / f"duck{duck}.mp4",
            options(music=music, music_volume=0.5, duck_music=duck, normalize_loudness=False),
        )
        audio = audio_of(film.path, rate)
        alone = band_level(audio[int(1.2 * rate) : int(1.8 * rate)], rate, 200)
        under = band_level(audio[int(2.4 * rate) : int(2.9 * rate)], rate, 200)
        assert band_level(audio[int(3.5 * rate) : int(3.9 * rate)], rate, 200) > 0.5 * alone  # looped to the end
        return alone, under

    alone, under = music_levels(duck=True)
    assert under < 0.5 * alone  # at least 6 dB down while the narration speaks
    alone_plain, under_plain = music_levels(duck=False)
    assert under_plain > 0.8 * alone_plain  # the control: without ducking the music stays level


@pytest.mark.slow
def test_loudness_is_normalised_and_the_film_fades_in_and_out(clips, tmp_path):
    loud = make_tone(tmp_path / "loud.wav", 440, 3.0, level=0.9)
    parts = [ClipPart(path=clips["yellow"], duration=2.0), ClipPart(path=clips["yellow"], duration=2.0)]
    film = assemble(parts, tmp_path / "film.mp4", options(music=loud, music_volume=1.0, fade_seconds=0.5))
    report = ffmpeg(["-i", str(film.path), "-map", "0:a", "-af", "ebur128", "-f", "null", "-"])
    integrated = float(report.rsplit("I:", 1)[1].split()[0])
    assert -19 < integrated < -13  # one-pass loudnorm aims at -16 LUFS (a full-scale tone is about -4)
    assert frame_at(film.path, 0).mean() < 40  # fade from black
    assert frame_at(film.path, 2 * FPS).mean() > 100
    assert frame_at(film.path, 4 * FPS - 1).mean() < 40  # fade to black
    audio = audio_of(film.path)
    assert rms(audio[-400:]) < 0.2 * rms(audio[len(audio) // 2 : len(audio) // 2 + 4000])


# -- the stream-copy path -------------------------------------------------------------------------------
def test_known_facts_skip_reading_and_stale_ones_still_name_the_broken_clip(clips, tmp_path):
    from app.assemble import inspect_clips

    parts = [ClipPart(path=clips[c], duration=2.0) for c in ("red", "green")]
    facts = inspect_clips(parts)
    film = assemble(parts, tmp_path / "film.mp4", options(burn_subtitles=False), facts=facts)
    assert film.stream_copied and count_frames(film.path) == 2 * 2 * FPS
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 4096)  # the file the facts describe was replaced by garbage
    stale = [parts[0], parts[1].model_copy(update={"path": broken})]
    with pytest.raises(UserError) as err:
        assemble(stale, tmp_path / "x.mp4", options(burn_subtitles=False), facts=facts)
    assert err.value.params.get("scene") == 2
    assert not (tmp_path / "x.mp4").exists()


def test_cuts_without_effects_are_concatenated_without_re_encoding(clips, tmp_path):
    parts = [ClipPart(path=clips[c], duration=2.0) for c in ("red", "green", "blue")]
    film = assemble(parts, tmp_path / "film.mp4", options(burn_subtitles=False))
    assert film.stream_copied
    assert count_frames(film.path) == 3 * 2 * FPS
    info = probe(film.path)
    # nothing to hear (no narration, no music): the copied film carries no audio stream at all
    assert (info.video_codec, info.video_streams, info.audio_streams) == ("h264", 1, 0)
    # the facts reported without probing the copied film are the probed ones
    assert film.info.model_dump() == {**info.model_dump(), "duration": film.info.duration}
    assert abs(film.info.duration - info.duration) < 0.1
    assert closest_colour(frame_at(film.path, 2 * FPS)[5, 5]) == "green"
    assert film.srt_path.is_file() and film.srt_path.read_text().strip() == ""  # no narration, no cues
    # Anything that needs re-encoding takes the filter graph instead.
    dissolve = [parts[0], parts[1].model_copy(update={"transition": Transition.DISSOLVE})]
    assert not assemble(dissolve, tmp_path / "x.mp4", options(burn_subtitles=False)).stream_copied
    subtitled = [parts[0].model_copy(update={"subtitle": "hi"})]
    assert not assemble(subtitled, tmp_path / "y.mp4", options()).stream_copied
    assert not assemble(parts, tmp_path / "z.mp4", options(burn_subtitles=False, fade_seconds=0.5)).stream_copied


# -- bad inputs -----------------------------------------------------------------------------------------
def _error_key(parts, tmp_path, opts=None) -> UserError:
    with pytest.raises(UserError) as err:
        assemble(parts, tmp_path / "bad.mp4", opts or options())
    assert not (tmp_path / "bad.mp4").exists()
    return err.value


def test_missing_clip_names_its_scene(clips, tmp_path):
    parts = [ClipPart(path=clips["red"], duration=1.0), ClipPart(path=tmp_path / "gone.mp4", duration=1.0)]
    err = _error_key(parts, tmp_path)
    assert (err.key, err.params) == ("clip_missing", {"scene": 2})


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 100])
def test_corrupt_clip_names_its_scene(clips, tmp_path, content):
    bad = tmp_path / "bad_clip.mp4"
    bad.write_bytes(content)
    parts = [ClipPart(path=clips["red"], duration=1.0), ClipPart(path=bad, duration=1.0)]
    err = _error_key(parts, tmp_path)
    assert (err.key, err.params) == ("clip_unreadable", {"scene": 2})


def test_a_music_file_that_is_not_audio_is_refused(clips, tmp_path):
    text = tmp_path / "song.mp3"
    text.write_text("these are lyrics, not audio")
    parts = [ClipPart(path=clips["red"], duration=1.0)]
    assert _error_key(parts, tmp_path, options(music=text)).key == "music_unreadable"
    # A video without sound is no music either.
    assert _error_key(parts, tmp_path, options(music=clips["green"])).key == "music_unreadable"


def test_narration_that_is_not_audio_is_refused(clips, tmp_path):
    bad = tmp_path / "voice.wav"
    bad.write_bytes(b"RIFF....garbage")
    parts = [ClipPart(path=clips["red"], duration=1.0, narration=bad)]
    err = _error_key(parts, tmp_path)
    assert (err.key, err.params) == ("narration_unreadable", {"scene": 1})


def test_no_clips_is_refused(tmp_path):
    assert _error_key([], tmp_path).key == "film_no_clips"


def test_a_failed_encode_leaves_no_film_and_keeps_the_previous_one(clips, tmp_path):
    out = tmp_path / "film.mp4"
    parts = [ClipPart(path=clips["red"], duration=1.0, subtitle="hello")]
    first = assemble(parts, out, options())
    before = out.read_bytes()
    with pytest.raises(UserError) as err:  # x264 refuses an unknown preset after ffmpeg has started
        assemble([ClipPart(path=clips["blue"], duration=2.0, subtitle="new")], out, options(x264_preset="bogus"))
    assert err.value.key == "film_failed"
    assert out.read_bytes() == before and probe(first.path).duration == pytest.approx(1.0, abs=0.1)
    assert pysubs2.load(str(first.srt_path))[0].text == "hello"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["film.mp4", "film.srt", "film.vtt"]  # no partials


def test_scene_lengths_snap_to_whole_frames(clips, tmp_path):
    # 1.03 s at 16 fps is 16.48 frames: the film uses whole frames, and cue times agree with them.
    parts = [
        ClipPart(path=clips["red"], duration=1.03, subtitle="a"),
        ClipPart(path=clips["green"], duration=1.0, subtitle="b"),
    ]
    film = assemble(parts, tmp_path / "film.mp4", options(burn_subtitles=False, stream_copy=False))
    assert count_frames(film.path) == 16 + 16
    assert pysubs2.load(str(film.srt_path))[1].start == math.floor(16 / FPS * 1000)
