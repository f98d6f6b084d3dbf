"""A third-party plug-in as a test fixture: a package with a `register(registry)` function, as an entry
point in the group `storyreel.plugins` would name it. It adds a storyboard writer, a video engine and a
voice, each recording how it was used, and none of it is known to app/."""

from __future__ import annotations

import threading
import wave
from pathlib import Path

import numpy as np

from models.registry import EngineContext, Registry
from models.safety.verdict import Match, Verdict
from models.storyboard import Scene, Storyboard
from models.video.animatic import AnimaticEngine
from models.video.base import VideoEngine

SAMPLE_RATE = 16000


class FixtureWriter:
    """Writes a fixed three-scene storyboard and says its "model" is loaded once it has written."""

    name = "fixture_writer"

    def __init__(self, options: dict) -> None:
        self.options, self.ideas, self.loaded = options, [], False

    def stream(self, idea, options=None, cancel: threading.Event | None = None):
        self.ideas.append(idea)
        self.loaded = True
        scenes = [
            Scene(number=i, description=f"fixture scene {i} by the plug-in", narration=f"Line {i} of the fixture.",
                  duration=2.0, seed=i)
            for i in (1, 2, 3)
        ]  # fmt: skip
        yield Storyboard(title=f"Fixture: {idea[:40]}", language="en", scenes=scenes)

    def write(self, idea, options=None):
        return list(self.stream(idea, options))[-1]

    def rewrite_scene(self, board, number, instruction, options):
        scenes = [s.model_copy(update={"description": f"{s.description}, {instruction}"}) if s.number == number
                  else s for s in board.scenes]  # fmt: skip
        return board.model_copy(update={"scenes": scenes})


class FixtureEngine(VideoEngine):
    """Draws with the animatic, counts renders, and holds its "weights" from the first render to unload."""

    name = "fixture_video"

    def __init__(self) -> None:
        self.inner, self.rendered, self._loaded = AnimaticEngine(), [], False

    @property
    def loaded(self) -> bool:
        return self._loaded

    def render(self, shot, progress=None, cancel=None):
        self._loaded = True
        self.rendered.append(shot)
        return self.inner.render(shot, progress, cancel)

    def unload(self) -> None:
        self._loaded = False


class FixtureVoice:
    """Speaks every language as a plain tone of `seconds_per_char` per character, and counts what it said."""

    def __init__(self, seconds_per_char: float = 0.2) -> None:
        self.id = f"fixture-voice:{seconds_per_char}"
        self.seconds_per_char = seconds_per_char
        self.spoken: list[str] = []

    def speaks(self, language: str) -> bool:
        return True

    def seconds(self, text: str) -> float:
        return round(len(text.strip()) * self.seconds_per_char, 3)

    def synthesize(self, text: str, language: str, out_path: Path) -> None:
        self.spoken.append(text)
        n = int(self.seconds(text) * SAMPLE_RATE)
        tone = (0.2 * np.sin(2 * np.pi * 220 * np.arange(n) / SAMPLE_RATE) * 32767).astype(np.int16)
        with wave.open(str(out_path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(tone.tobytes())


class FixtureCheck:
    """A text safety check that blocks one made-up word, as violence, and records every text it read."""

    WORD = "zyzzyvax"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def update(self, policy) -> None:  # the admin's rules and examples: this check has none of its own
        pass

    def check_many(self, texts) -> Verdict:
        matches = []
        for field, text in texts.items():
            self.seen.append(text)
            at = text.lower().find(self.WORD)
            if at >= 0:
                matches.append(Match(rule_id=None, pattern=self.WORD, category="violence", action="block", start=at,
                                     end=at + len(self.WORD), excerpt=text[at:at + len(self.WORD)], field=field))  # fmt: skip
        return Verdict(action="block" if matches else "allow", matches=matches)


class Parts:
    """What the plug-in built, so a test can look at how each part was used (one instance per registry)."""

    def __init__(self) -> None:
        self.writers: list[FixtureWriter] = []
        self.engines: list[FixtureEngine] = []
        self.voices: list[FixtureVoice] = []
        self.checks: list[FixtureCheck] = []


def register(registry: Registry) -> None:
    parts = Parts()
    registry.fixture_parts = parts  # where a test finds them

    def writer(options: dict, context: EngineContext) -> FixtureWriter:
        parts.writers.append(FixtureWriter(options))
        return parts.writers[-1]

    def engine(options: dict, context: EngineContext) -> FixtureEngine:
        parts.engines.append(FixtureEngine())
        return parts.engines[-1]

    def voice(options: dict, context: EngineContext) -> FixtureVoice:
        parts.voices.append(FixtureVoice())
        return parts.voices[-1]

    def check(options: dict, context: EngineContext) -> FixtureCheck:
        parts.checks.append(FixtureCheck())
        return parts.checks[-1]

    registry.register_writer("fixture_writer", writer)
    registry.register_video_engine("fixture_video", engine)
    registry.register_voice("fixture_voice", voice)
    registry.register_text_check("fixture_check", check)
