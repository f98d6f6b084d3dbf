"""Stage 2, time: Storyboard → spoken lines and scene durations.

It runs when a storyboard is written or saved (and, for lines still unspoken then, at the start of its render
job, in the worker, never on submission): each scene's narration is spoken
by the configured voice (built through the registry) and kept in the owner's media folder under a name
made of the voice and the text, so the table shows real durations before anything is rendered, and the
render and every re-assembly find the speech already there (an unchanged line is never spoken twice).

Beside a speech process (a render worker), a new storyboard is first shown timed by an estimate of its unspoken
lines (a little short of what the voice takes, so timing it again changes nothing but those lines) and timed by
their real speech in the background, below the page: writing one never waits for a voice (issue 15).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.settings import Settings
from models.errors import UserError
from models.narrator import NarrationError, Narrator, wav_seconds
from models.registry import EngineContext, Registry, UnknownEngine
from models.storyboard import MAX_SECONDS, Scene, Storyboard, Transition
from storage.media import MediaStore

if TYPE_CHECKING:
    from app.speech import SpeechProcess

log = logging.getLogger(__name__)

# Quiet after a narration line before the next scene (and its narration) begins.
NARRATION_GAP_SECONDS = 0.25
# A line not yet spoken is estimated a little short of the bundled voices (Piper English about 0.24-0.32 s a
# word, espeak-ng Mandarin about 0.39-0.53 s a character, each pause a little more): an estimate never
# lengthens a scene more than the spoken line will.
ESTIMATE_EN_WORD, ESTIMATE_ZH_CHAR, ESTIMATE_PAUSE = 0.21, 0.36, 0.05
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_PAUSE = re.compile(r"[,.;:!?，。；：！？、]")


def estimate_seconds(text: str, language: str) -> float:
    """How long a voice takes to say text, estimated low from its words (Chinese: its characters)."""
    han = len(_HAN.findall(text))
    words = len(_WORD.findall(_HAN.sub(" ", text)))
    units = han * ESTIMATE_ZH_CHAR + words * (ESTIMATE_ZH_CHAR if language == "zh" else ESTIMATE_EN_WORD)
    return units + ESTIMATE_PAUSE * len(_PAUSE.findall(text))


def _line_file(narrator: Narrator, folder: Path, scene: Scene, language: str) -> Path | None:
    """Where a scene's spoken line is kept, named by the voice and the text (None: nothing to speak)."""
    key = narrator.cache_key(scene.narration, language)
    return folder / f"{key}.wav" if key is not None else None


class Timing:
    def __init__(self, settings: Settings, registry: Registry, media: MediaStore) -> None:
        self.settings, self.registry, self.media = settings, registry, media
        self._narrator: Narrator | None = None  # built on first use; keeps its loaded voices
        self._lock = threading.Lock()
        self._lines: dict[str, threading.Lock] = {}  # a lock per line file (its name), taken while it is spoken
        # Where new lines are spoken: here, or (the web process beside a render worker) in the speech process
        # of app/speech.py, so speaking never holds this process's GIL and cores while a page waits.
        self.speaker: SpeechProcess | None = None
        # The speech process that speaks new storyboards' lines in the background (app/studio.py); None: a new
        # storyboard is timed before it is shown.
        self.background: SpeechProcess | None = None

    def narrator(self) -> Narrator:
        """The voice the settings name, built once. A voice kind builds one Voice or a Narrator (several voices,
        each speaking its languages); either way the studio speaks through a Narrator."""
        with self._lock:
            if self._narrator is None:
                n = self.settings.narration
                context = EngineContext(models_dir=self.settings.models_dir, base_dir=self.settings.base_dir)
                try:
                    part = self.registry.build("voice", {"kind": n.engine, **n.model_dump(exclude={"engine"})}, context)
                except (NarrationError, UnknownEngine) as exc:
                    log.error("narration voice unusable: %s", exc)
                    raise UserError("narration_failed", scene=1) from exc
                self._narrator = part if isinstance(part, Narrator) else Narrator([part])
            return self._narrator

    def speech(
        self, owner_id: int, board: Storyboard, speaker: SpeechProcess | None = None
    ) -> list[tuple[Path, float] | None]:
        """Each scene's spoken line (its file and length), spoken now only when not already kept. `speaker`:
        the process that speaks new lines (default: this Timing's speaker, else this process)."""
        narrator = self.narrator()
        speaker = speaker or self.speaker
        folder = self.media.user_dir(owner_id, "narration")
        lines: list[tuple[Path, float] | None] = []
        for scene in board.scenes:
            dest = _line_file(narrator, folder, scene, board.language)
            line = None
            if dest is not None:
                with self._line_lock(dest):  # one line spoken once, though the background and a save ask at once
                    if dest.is_file():
                        line = (dest, wav_seconds(dest))
                    else:
                        try:
                            if speaker is not None:
                                spoken = speaker.speak(scene.narration, board.language, dest)
                            else:
                                spoken = narrator.speak(scene.narration, board.language, dest)
                        except NarrationError as exc:
                            log.error("narration of scene %d failed: %s", scene.number, exc)
                            raise UserError("narration_failed", scene=scene.number) from exc
                        if spoken is not None:
                            line = (spoken.path, spoken.duration)
                with self._lock:  # the file is there (or failed): the next ask reads it or tries afresh
                    self._lines.pop(dest.name, None)
            lines.append(line)
        return lines

    def _line_lock(self, dest: Path) -> threading.Lock:
        with self._lock:
            return self._lines.setdefault(dest.name, threading.Lock())

    def estimated(self, owner_id: int, board: Storyboard) -> tuple[Storyboard, bool]:
        """The board timed by the lines already spoken and an estimate of the others (nothing is spoken), and
        whether any line is still to be spoken (then `timed` in the background gives the real durations)."""
        narrator = self.narrator()
        folder = self.media.user_dir(owner_id, "narration")
        seconds: list[float | None] = []
        pending = False
        for scene in board.scenes:
            dest = _line_file(narrator, folder, scene, board.language)
            if dest is None:
                seconds.append(None)
            elif dest.is_file():
                seconds.append(wav_seconds(dest))
            else:
                seconds.append(estimate_seconds(scene.narration, board.language))
                pending = True
        return self._fit(board, seconds), pending

    def timed(
        self, owner_id: int, board: Storyboard, speaker: SpeechProcess | None = None
    ) -> tuple[Storyboard, list[Path | None]]:
        """The board with each scene lengthened to hold its spoken line, and each scene's speech file.

        A scene lasts at least its narration, a short gap, and the overlap of the next scene's entering
        transition (snapped up to the frame grid), so two lines never speak at once. Timing a timed board
        changes nothing.
        """
        lines = self.speech(owner_id, board, speaker)
        seconds = [line[1] if line else None for line in lines]
        return self._fit(board, seconds), [line[0] if line else None for line in lines]

    def _fit(self, board: Storyboard, lines: list[float | None]) -> Storyboard:
        """Each scene lengthened to hold its line of `seconds` (None: no line)."""
        fps, overlap = self.settings.render.fps, self.settings.assembly.transition_seconds
        scenes: list[Scene] = []
        for i, (scene, line) in enumerate(zip(board.scenes, lines, strict=True)):
            duration = scene.duration
            if line is not None:
                seconds = line
                following = board.scenes[i + 1] if i + 1 < len(board.scenes) else None
                tail = overlap if following is not None and following.transition != Transition.CUT else 0.0
                needed = math.ceil((seconds + NARRATION_GAP_SECONDS + tail) * fps - 1e-9) / fps
                if needed > MAX_SECONDS:
                    log.warning("narration of scene %d (%.1f s) is longer than a scene may be", scene.number, seconds)
                duration = min(MAX_SECONDS, max(duration, needed))
            scenes.append(scene.model_copy(update={"duration": duration}))
        return board.model_copy(update={"scenes": scenes})
