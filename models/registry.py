"""Engines are found by preset name. Built-in engines register through the same hook as plug-ins.

A plug-in is a package with an entry point in the group ``storyreel.plugins`` that names a function
``register(registry)``; Storyreel's own engines are registered by ``models.builtin.register`` exactly so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from models.video.base import VideoEngine

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "storyreel.plugins"

# A factory builds an engine from its preset's options (a dict) and a context (paths, device).
VideoFactory = Callable[[dict[str, Any], "EngineContext"], VideoEngine]


class EngineContext:
    """What a factory may need besides its preset: where models live, and where an engine may keep the
    frames that carry continuity from one scene to the next (None: no chaining)."""

    def __init__(self, models_dir: Any, frames_dir: Any = None) -> None:
        self.models_dir = models_dir
        self.frames_dir = frames_dir


class UnknownEngine(LookupError):
    pass


class Registry:
    """Engine kinds by name. One instance per studio; no module-level state."""

    def __init__(self) -> None:
        self._video: dict[str, VideoFactory] = {}

    def register_video_engine(self, kind: str, factory: VideoFactory) -> None:
        if kind in self._video:
            raise ValueError(f"video engine kind {kind!r} is registered twice")
        self._video[kind] = factory

    @property
    def video_kinds(self) -> list[str]:
        return sorted(self._video)

    def build_video_engine(self, preset: dict[str, Any], context: EngineContext) -> VideoEngine:
        kind = preset.get("kind", "")
        if kind not in self._video:
            raise UnknownEngine(f"no video engine of kind {kind!r}; known kinds: {', '.join(self.video_kinds)}")
        return self._video[kind](preset, context)


def load_registry(plugins: bool = True) -> Registry:
    """A registry holding the built-in engines, then any installed plug-ins."""
    from models import builtin

    registry = Registry()
    builtin.register(registry)
    if plugins:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                ep.load()(registry)
            except Exception:  # a broken plug-in must not stop the studio
                log.exception("plug-in %s failed to register", ep.name)
    return registry
