"""One registry for every replaceable part, found by kind name. Built-ins register through the same hook
as plug-ins.

A plug-in is a package with an entry point in the group ``storyreel.plugins`` that names a function
``register(registry)``; Storyreel's own parts are registered by ``models.builtin.register`` exactly so.

The seams (what a factory builds, and from what):
- ``writer``       storyboard writer (models.writers.base.StoryboardWriter), from a writer preset;
- ``video``        video engine (models.video.base.VideoEngine), from a video preset;
- ``voice``        narration voice (models.narrator.Voice, or a Narrator of several), from [narration];
- ``music``        music source (models.music.MusicSource), from [music];
- ``text_check``   text safety check, from the moderation settings;
- ``image_check``  image (keyframe) safety check, from the moderation settings;
- ``embedder``     sentence embedder (models.embedder.Embedder) of the semantic text check, from an
                   `[moderation.embedders.NAME]` preset.
A factory is ``factory(options: dict, context: EngineContext) -> part``; `options` is the preset or
settings section as a dict (with ``name`` = the preset's name where there is one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "storyreel.plugins"
SEAMS = ("writer", "video", "voice", "music", "text_check", "image_check", "embedder")

Factory = Callable[[dict[str, Any], "EngineContext"], Any]


class EngineContext:
    """What a factory may need besides its options: where models live, where an engine may keep the
    frames that carry continuity from one scene to the next (None: no chaining), the folder the
    settings file lives in (relative paths in presets are relative to it), and the registry, for a part
    made of other registered parts (the semantic check builds its embedder through it)."""

    def __init__(
        self, models_dir: Any, frames_dir: Any = None, base_dir: Any = None, registry: Registry | None = None
    ) -> None:
        self.models_dir = models_dir
        self.frames_dir = frames_dir
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.registry = registry


class UnknownEngine(LookupError):
    pass


class Registry:
    """Factories by seam and kind. One instance per studio; no module-level state."""

    def __init__(self) -> None:
        self._factories: dict[str, dict[str, Factory]] = {seam: {} for seam in SEAMS}

    def register(self, seam: str, kind: str, factory: Factory) -> None:
        if seam not in self._factories:
            raise ValueError(f"no seam named {seam!r}; seams are {', '.join(SEAMS)}")
        if kind in self._factories[seam]:
            raise ValueError(f"{seam} kind {kind!r} is registered twice")
        self._factories[seam][kind] = factory

    def kinds(self, seam: str) -> list[str]:
        return sorted(self._factories[seam])

    def build(self, seam: str, options: dict[str, Any], context: EngineContext) -> Any:
        kind = options.get("kind", "")
        factories = self._factories[seam]
        if kind not in factories:
            raise UnknownEngine(f"no {seam} of kind {kind!r}; known kinds: {', '.join(sorted(factories))}")
        return factories[kind](options, context)

    # The named forms read better at the call sites that know their seam.
    def register_writer(self, kind: str, factory: Factory) -> None:
        self.register("writer", kind, factory)

    def register_video_engine(self, kind: str, factory: Factory) -> None:
        self.register("video", kind, factory)

    def register_voice(self, kind: str, factory: Factory) -> None:
        self.register("voice", kind, factory)

    def register_music_source(self, kind: str, factory: Factory) -> None:
        self.register("music", kind, factory)

    def register_text_check(self, kind: str, factory: Factory) -> None:
        self.register("text_check", kind, factory)

    def register_image_check(self, kind: str, factory: Factory) -> None:
        self.register("image_check", kind, factory)

    def register_embedder(self, kind: str, factory: Factory) -> None:
        self.register("embedder", kind, factory)

    @property
    def video_kinds(self) -> list[str]:
        return self.kinds("video")

    def build_video_engine(self, preset: dict[str, Any], context: EngineContext) -> Any:
        return self.build("video", preset, context)


def load_registry(plugins: bool = True) -> Registry:
    """A registry holding the built-in parts, then any installed plug-ins."""
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
