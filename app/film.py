"""Stage 5, assemble: clips + options → Film. Merges the settings with this film's choices, lays the
music bed (a source built through the registry), hands the parts to the ffmpeg graph (app/assemble.py) and
records the film. What ffmpeg reads of a clip is kept with the clip's row, so a clip is read once ever."""

from __future__ import annotations

from pathlib import Path

from app.assemble import AssemblyOptions, ClipFacts, ClipPart, assemble, inspect_clips, plan_timeline, total_frames
from app.settings import Settings
from models.errors import UserError
from models.registry import EngineContext, Registry, UnknownEngine
from models.storyboard import Scene, Transition
from models.video.base import Shot
from storage.media import MediaStore
from storage.projects import ProjectStore
from storage.tables import ClipRow, FilmRow, User


def clip_part(scene: Scene, shot: Shot, clip_path: Path, narration: Path | None) -> ClipPart:
    return ClipPart(
        path=clip_path,
        duration=shot.frames / shot.fps,
        subtitle=scene.narration,
        transition=scene.transition,
        narration=narration,
    )


class Assembly:
    def __init__(self, settings: Settings, registry: Registry, store: ProjectStore, media: MediaStore) -> None:
        self.settings, self.registry, self.store, self.media = settings, registry, store, media

    def facts(self, parts: list[ClipPart], clips: list[ClipRow]) -> list[ClipFacts]:
        """Each clip's facts: from its row, or read now (one ffmpeg run for all unknown clips) and stored."""
        known = [ClipFacts.model_validate_json(c.facts_json) if c.facts_json else None for c in clips]
        unknown = [i for i, f in enumerate(known) if f is None]
        if unknown:
            read = inspect_clips([parts[i] for i in unknown])  # raises a UserError naming a broken clip
            for i, facts in zip(unknown, read, strict=True):
                known[i] = facts
            self.store.set_clip_facts({clips[i].id: known[i].model_dump_json() for i in unknown})
        return known

    def options(self, **choices: object) -> AssemblyOptions:
        """settings.toml's assembly options with this film's AssemblyOptions choices over them."""
        r, a, m = self.settings.render, self.settings.assembly, self.settings.music
        width, height = r.frame_size()
        values: dict[str, object] = {
            "width": width,
            "height": height,
            "fps": r.fps,
            "x264_preset": a.x264_preset,
            "crf": a.crf,
            "burn_subtitles": a.burn_subtitles,
            "subtitle_size": a.subtitle_size,
            "transition_seconds": a.transition_seconds,
            "fade_seconds": a.fade_seconds,
            "fit": a.fit,
            "normalize_loudness": a.normalize_loudness,
            "stream_copy": a.stream_copy,
            "narration_volume": self.settings.narration.volume,
            "music_volume": m.volume,
            "duck_music": m.duck,
        }
        values.update(choices)
        return AssemblyOptions(**values)

    def _user_path(self, value: str) -> Path | None:
        """A path from settings.toml: relative ones are relative to the settings file's folder."""
        if not value or not value.strip():
            return None
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.settings.base_dir / path).resolve()

    def make(
        self,
        owner: User,
        project_id: int,
        parts: list[ClipPart],
        clips: list[ClipRow],
        *,
        music: str | None = None,
        mood: str | None = None,
        music_file: str | Path | None = None,
        music_volume: float | None = None,
        duck: bool | None = None,
        transition: Transition | str | None = None,
        **options: object,
    ) -> FilmRow:
        """Assemble parts (each made from clips[i]) into a new film. Keyword choices override settings.toml
        for this film only: music (a music source kind), mood, music_file, music_volume, duck, transition
        (for every scene after the first) and any AssemblyOptions field (burn_subtitles, fit...)."""
        r, m = self.settings.render, self.settings.music
        if transition is not None:
            parts = [
                p if i == 0 else p.model_copy(update={"transition": Transition(transition)})
                for i, p in enumerate(parts)
            ]
        if music_volume is not None:
            options["music_volume"] = music_volume
        if duck is not None:
            options["duck_music"] = duck
        options_model = self.options(**options)
        seconds = total_frames(plan_timeline(parts, r.fps, options_model.transition_seconds)) / r.fps
        source_kind = music or m.source
        context = EngineContext(models_dir=self.settings.models_dir, base_dir=self.settings.base_dir)
        try:
            source = self.registry.build("music", {"kind": source_kind, **m.model_dump(exclude={"source"})}, context)
            bed = source.bed(
                mood or m.mood,
                seconds,
                work_dir=self.media.user_dir(owner.id, "music"),
                seed=r.seed + project_id,  # each project gets its own track or tune, the same every time
                file=self._user_path(str(music_file if music_file is not None else m.file)),
            )
        except (ValueError, UnknownEngine) as exc:  # an unknown source or mood passed in code
            raise UserError("music_unreadable", name=str(exc)) from exc
        if bed is not None:
            options_model = options_model.model_copy(update={"music": bed.path, "music_loop": bed.loop})
        dest = self.media.new_path(owner.id, "films", ".mp4")
        result = assemble(parts, dest, options_model, facts=self.facts(parts, clips))
        return self.store.add_film(
            FilmRow(
                user_id=owner.id,
                project_id=project_id,
                file_path=self.media.relative(result.path),
                srt_path=self.media.relative(result.srt_path),
                vtt_path=self.media.relative(result.vtt_path),
                duration_sec=result.info.duration,
                resolution=f"{result.info.width}x{result.info.height}",
                frame_rate=round(result.info.fps),
                settings_json=options_model.model_dump_json(),
            )
        )
