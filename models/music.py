"""The music source seam: mood + length → an audio bed for the film.

Sources: the MIT-licensed mood library shipped on PyPI (immich-memories-music), a procedural numpy
generator (soft pad chords, bass and sparse plucks), the creator's own file, or none. The assembler loops
a bed that is shorter than the film, trims it, sets its volume and ducks it under narration.
"""

from __future__ import annotations

import importlib.util
import logging
import wave
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel

from models.errors import UserError
from models.ffmpeg import FFmpegError, probe

log = logging.getLogger(__name__)

MOODS = ("calm", "energetic", "happy", "nostalgic", "tender")
MusicSourceName = Literal["library", "procedural", "file", "none"]


class MusicBed(BaseModel):
    """An audio file to lay under the film; `loop` when it may be shorter than the film."""

    path: Path
    source: str
    loop: bool = True


def library_dir() -> Path | None:
    """The mood library's folder (one sub-folder per mood), or None if the package is missing."""
    spec = importlib.util.find_spec("immich_memories_music")
    for root in (Path(p) for p in (spec.submodule_search_locations or [])) if spec else []:
        if (root / "tracks").is_dir():
            return root / "tracks"
    return None


def library_tracks(mood: str) -> list[Path]:
    """The bundled tracks of a mood, sorted so a seed always picks the same one."""
    if mood not in MOODS:
        raise ValueError(f"unknown mood {mood!r}; moods are {', '.join(MOODS)}")
    root = library_dir()
    return sorted((root / mood).glob("*.opus")) if root is not None else []


def check_audio(path: Path) -> Path:
    """The path if ffmpeg can read an audio stream from it; UserError('music_unreadable') otherwise."""
    path = Path(path)
    try:
        info = probe(path)
    except FFmpegError:
        raise UserError("music_unreadable", name=path.name) from None
    if info.audio_streams == 0 or info.duration <= 0:
        raise UserError("music_unreadable", name=path.name)
    return path


# -- procedural generator ---------------------------------------------------------------------------------
# Each mood picks a tempo, a chord progression (MIDI notes of a voicing) and how busy the plucks are.
_MOOD_STYLE: dict[str, tuple[int, list[list[int]], float]] = {
    "calm": (60, [[48, 55, 64, 71], [45, 52, 60, 67], [41, 48, 57, 64], [43, 50, 59, 66]], 0.25),
    "tender": (56, [[41, 48, 57, 64], [43, 50, 59, 62], [45, 52, 60, 67], [40, 47, 55, 62]], 0.2),
    "nostalgic": (64, [[45, 52, 60, 64], [41, 48, 57, 60], [48, 55, 64, 67], [43, 50, 59, 62]], 0.3),
    "happy": (84, [[48, 55, 64, 67], [43, 50, 59, 62], [45, 52, 60, 64], [41, 48, 57, 60]], 0.45),
    "energetic": (104, [[45, 52, 57, 64], [41, 48, 53, 60], [48, 55, 60, 67], [43, 50, 55, 62]], 0.55),
}
_PENTATONIC = [72, 74, 76, 79, 81, 84]


def _hz(note: int) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def ambient(seconds: float, mood: str = "calm", seed: int = 0, rate: int = 32000) -> np.ndarray:
    """A stereo int16 ambient bed of `seconds`: pad chords, sine bass, plucks, a noise reverb, fades.

    32 kHz is plenty for a soft bed under speech and keeps generation quick (numpy, no model).
    """
    if mood not in _MOOD_STYLE:
        raise ValueError(f"unknown mood {mood!r}; moods are {', '.join(MOODS)}")
    bpm, chords, busy = _MOOD_STYLE[mood]
    rng = np.random.default_rng(seed)
    n = max(1, int(seconds * rate))
    out = np.zeros((n, 2))
    bar = 4 * 60 / bpm
    tail = 1.5  # each chord rings into the next one
    for b in range(int(np.ceil(seconds / bar))):
        s0 = int(b * bar * rate)
        s1 = min(n, s0 + int((bar + tail) * rate))
        t = np.arange(s1 - s0) / rate
        env = np.minimum(1, t / 1.2) * np.clip((bar + tail - t) / tail, 0, 1)
        for note in chords[b % len(chords)]:
            for ch, detune in ((0, -0.0015), (1, 0.0015)):  # a slight L/R detune gives width
                f = _hz(note) * (1 + detune)
                sig = sum(0.5**h * np.sin(2 * np.pi * f * (h + 1) * t + rng.uniform(0, 6.28)) for h in range(3))
                out[s0:s1, ch] += 0.06 * env * sig
        out[s0:s1] += (0.1 * env * np.sin(2 * np.pi * _hz(chords[b % len(chords)][0] - 12) * t))[:, None]
    step = 60 / bpm / 2
    for k in range(int(seconds / step)):
        if rng.random() < busy:
            s0 = int(k * step * rate)
            m = min(n - s0, int(2.0 * rate))
            t = np.arange(m) / rate
            f, pan = _hz(int(rng.choice(_PENTATONIC))), rng.uniform(0.2, 0.8)
            sig = np.sin(2 * np.pi * f * t) * np.exp(-t * 3) + 0.3 * np.sin(4 * np.pi * f * t) * np.exp(-t * 6)
            out[s0 : s0 + m, 0] += 0.07 * sig * (1 - pan)
            out[s0 : s0 + m, 1] += 0.07 * sig * pan
    ir_n = int(1.8 * rate)  # reverb: convolve with decaying noise (FFT), mixed with the dry signal
    size = 1 << int(np.ceil(np.log2(n + ir_n)))
    for ch in range(2):
        ir = rng.normal(0, 1, ir_n) * np.exp(-np.arange(ir_n) / rate * 3.0)
        ir[0] = 0
        ir /= np.sqrt((ir**2).sum())
        wet = np.fft.irfft(np.fft.rfft(out[:, ch], size) * np.fft.rfft(ir, size), size)[:n]
        out[:, ch] = 0.55 * out[:, ch] + 0.45 * wet
    t = np.arange(n) / rate
    out *= np.clip(np.minimum(t / 2.0, (seconds - t) / 3.0), 0, 1)[:, None]
    rms = np.sqrt(np.mean(out**2))
    if rms > 0:
        out *= 10 ** (-18 / 20) / rms  # about -18 dBFS RMS, then keep peaks below full scale
        out /= max(1.0, np.abs(out).max() / 0.89)
    return (out * 32767).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(samples.shape[1] if samples.ndim == 2 else 1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.ascontiguousarray(samples).tobytes())


class MusicSource:
    """The music seam: what the registry builds for a `[music] source` kind. `bed` makes or picks the audio
    bed for a film of `seconds`; None means no music. A plug-in source subclasses this."""

    def __init__(self, source: str = "none") -> None:
        self.source = source

    def bed(
        self, mood: str, seconds: float, work_dir: Path | None = None, seed: int = 0, file: Path | None = None
    ) -> MusicBed | None:
        return music_bed(self.source, mood, seconds, work_dir=work_dir, seed=seed, file=file)


def music_bed(
    source: str,
    mood: str = "calm",
    seconds: float = 30.0,
    work_dir: Path | None = None,
    seed: int = 0,
    file: Path | None = None,
) -> MusicBed | None:
    """The bed for a film of `seconds`: a library track, a generated file in work_dir, the user's file, or None.

    Raises UserError('music_unreadable') for a user file that is not audio, ValueError for a bad source/mood.
    """
    if source == "none":
        return None
    if source == "file":
        if file is None or not str(file).strip():
            raise UserError("music_unreadable", name="")
        return MusicBed(path=check_audio(Path(file)), source="file")
    if source == "library":
        tracks = library_tracks(mood)
        if tracks:
            return MusicBed(path=tracks[seed % len(tracks)], source="library")
        log.warning("the music library (immich-memories-music) is missing; generating the bed instead")
        source = "procedural"
    if source == "procedural":
        if work_dir is None:
            raise ValueError("procedural music needs a work_dir to write to")
        rate = 32000
        dest = Path(work_dir) / f"ambient-{mood}-{seed}-{seconds:.2f}.wav"
        if not dest.is_file():  # generated beds are a pure function of their name: reuse them
            tmp = dest.with_name(f".{dest.stem}.part.wav")
            write_wav(tmp, ambient(seconds, mood, seed, rate), rate)
            tmp.replace(dest)
        return MusicBed(path=dest, source="procedural", loop=False)
    raise ValueError(f"unknown music source {source!r}; sources are library, procedural, file, none")
