"""Stage 2, time: Storyboard → spoken lines and scene durations.

It runs when a storyboard is written or saved, not during the render: each scene's narration is spoken
by the configured voice (built through the registry) and kept in the owner's media folder under a name
made of the voice and the text, so the table shows real durations before anything is rendered, and the
render and every re-assembly find the speech already there (an unchanged line is never spoken twice).
"""

from __future__ import annotations

import logging
import math
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


class Timing:
    def __init__(self, settings: Settings, registry: Registry, media: MediaStore) -> None:
        self.settings, self.registry, self.media = settings, registry, media
        self._narrator: Narrator | None = None  # built on first use; keeps its loaded voices
        self._lock = threading.Lock()
        # Where new lines are spoken: here, or (the web process beside a render worker) in the speech process
        # of app/speech.py, so speaking never holds this process's GIL and cores while a page waits.
        self.speaker: SpeechProcess | None = None

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

    def speech(self, owner_id: int, board: Storyboard) -> list[tuple[Path, float] | None]:
        """Each scene's spoken line (its file and length), spoken now only when not already kept."""
        narrator = self.narrator()
        folder = self.media.user_dir(owner_id, "narration")
        lines: list[tuple[Path, float] | None] = []
        for scene in board.scenes:
            key = narrator.cache_key(scene.narration, board.language)
            line = None
            if key is not None:
                dest = folder / f"{key}.wav"
                if dest.is_file():
                    line = (dest, wav_seconds(dest))
                else:
                    try:
                        if self.speaker is not None:
                            spoken = self.speaker.speak(scene.narration, board.language, dest)
                        else:
                            spoken = narrator.speak(scene.narration, board.language, dest)
                    except NarrationError as exc:
                        log.error("narration of scene %d failed: %s", scene.number, exc)
                        raise UserError("narration_failed", scene=scene.number) from exc
                    if spoken is not None:
                        line = (spoken.path, spoken.duration)
            lines.append(line)
        return lines

    def timed(self, owner_id: int, board: Storyboard) -> tuple[Storyboard, list[Path | None]]:
        """The board with each scene lengthened to hold its spoken line, and each scene's speech file.

        A scene lasts at least its narration, a short gap, and the overlap of the next scene's entering
        transition (snapped up to the frame grid), so two lines never speak at once. Timing a timed board
        changes nothing.
        """
        fps, overlap = self.settings.render.fps, self.settings.assembly.transition_seconds
        lines = self.speech(owner_id, board)
        scenes: list[Scene] = []
        for i, (scene, line) in enumerate(zip(board.scenes, lines, strict=True)):
            duration = scene.duration
            if line is not None:
                seconds = line[1]
                following = board.scenes[i + 1] if i + 1 < len(board.scenes) else None
                tail = overlap if following is not None and following.transition != Transition.CUT else 0.0
                needed = math.ceil((seconds + NARRATION_GAP_SECONDS + tail) * fps - 1e-9) / fps
                if needed > MAX_SECONDS:
                    log.warning("narration of scene %d (%.1f s) is longer than a scene may be", scene.number, seconds)
                duration = min(MAX_SECONDS, max(duration, needed))
            scenes.append(scene.model_copy(update={"duration": duration}))
        return board.model_copy(update={"scenes": scenes}), [line[0] if line else None for line in lines]
