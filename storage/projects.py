"""The project store: every query about projects, their storyboards (rows ↔ Storyboard), their clips (by
shot hash, with what ffmpeg read of them), their films and their status. The studio asks it; no UI or REST
handler touches SQL.

Storyboard and Scene fields with a column of their own are stored there (so existing databases and SQL
readers keep working); every other field goes into the row's `extra_json`, so a field added to the
storyboard round-trips with no change here.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, or_
from sqlmodel import Session, col, delete, select, update

from models.storyboard import Camera, Character, Scene, Storyboard
from storage.db import Database
from storage.media import MediaStore
from storage.tables import ClipRow, FilmRow, Job, ProjectRow, SceneRow, now

# Fields kept in dedicated columns; everything else of a Scene / Storyboard goes into extra_json.
SCENE_COLUMNS = {"number", "description", "narration", "duration", "camera", "transition", "seed"}
BOARD_COLUMNS = {"title", "language", "style", "characters", "scenes"}
FINISHED_STATUSES = ("completed", "failed")
# Keys of a project's extra_json that belong to the project, not to its storyboard: kept across saves.
PROJECT_KEYS = {"render"}


class RenderChoices(BaseModel):
    """A project's own render choices (made in the Create tab); None means the studio's setting."""

    aspect: Literal["16:9", "9:16", "1:1"] | None = None
    engine: str | None = None  # a video preset name
    quality: Literal["draft", "final"] | None = None
    # The finishing pass of final renders, chosen in the Film tab over the engine preset's own (1 = none):
    # frame interpolation and upscaling factors. None keeps the preset's.
    interpolate: Literal[1, 2, 4] | None = None
    upscale: Literal[1, 2, 4] | None = None


def scene_from_row(row: SceneRow) -> Scene:
    extra = {k: v for k, v in json.loads(row.extra_json or "{}").items() if k in Scene.model_fields}
    return Scene.model_validate(
        {
            **extra,
            "number": row.scene_number,
            "description": row.description,
            "narration": row.narration,
            "duration": row.duration_sec,
            "camera": Camera(json.loads(row.camera_settings or "{}").get("move", "static")),
            "transition": row.transition,
            "seed": row.seed,
        }
    )


def fill_scene_row(row: SceneRow, scene: Scene) -> SceneRow:
    row.scene_number, row.description, row.narration = scene.number, scene.description, scene.narration
    row.duration_sec, row.camera_settings = scene.duration, json.dumps({"move": scene.camera.value})
    row.transition, row.seed = scene.transition.value, scene.seed
    row.extra_json = json.dumps(scene.model_dump(mode="json", exclude=SCENE_COLUMNS), ensure_ascii=False)
    row.last_modified_at = now()
    return row


def board_from_rows(project: ProjectRow, rows: list[SceneRow]) -> Storyboard:
    extra = {k: v for k, v in json.loads(project.extra_json or "{}").items() if k in Storyboard.model_fields}
    return Storyboard.model_validate(
        {
            **extra,
            "title": project.title or "Untitled",
            "language": project.language,
            "style": project.style,
            "characters": [Character(**c) for c in json.loads(project.characters_json or "[]")],
            "scenes": [scene_from_row(r) for r in sorted(rows, key=lambda r: r.scene_number)],
        }
    )


def fill_project_row(row: ProjectRow, board: Storyboard) -> ProjectRow:
    row.title, row.language, row.style = board.title, board.language, board.style
    row.characters_json = json.dumps([c.model_dump() for c in board.characters], ensure_ascii=False)
    kept = {k: v for k, v in json.loads(row.extra_json or "{}").items() if k in PROJECT_KEYS}
    extra = {**kept, **board.model_dump(mode="json", exclude=BOARD_COLUMNS)}
    row.extra_json = json.dumps(extra, ensure_ascii=False)
    row.last_modified_at = now()
    return row


class ProjectStore:
    def __init__(self, db: Database, media: MediaStore) -> None:
        self.db, self.media = db, media
        # A save and a save_storyboard_if never interleave in this process (the render worker, another process,
        # is kept apart by SQLite's write lock: save_storyboard_if).
        self._saving = threading.Lock()

    # -- projects -------------------------------------------------------------------------------------
    def create(self, user_id: int, prompt: str, board: Storyboard) -> ProjectRow:
        """A new project holding the idea and its storyboard."""
        with self.db.session() as s:
            project = fill_project_row(ProjectRow(user_id=user_id, prompt=prompt.strip()), board)
            s.add(project)
            s.commit()
            s.refresh(project)
        self.save_storyboard(project.id, board)
        return self.get(project.id)

    def get(self, project_id: int | None) -> ProjectRow | None:
        if project_id is None:
            return None
        with self.db.session() as s:
            return s.get(ProjectRow, int(project_id))

    def projects(self, user_id: int | None = None, search: str = "") -> list[ProjectRow]:
        """Projects newest first: one user's, or everyone's (None); with `search`, those whose title or idea
        holds it (any case)."""
        query = select(ProjectRow).order_by(col(ProjectRow.id).desc())
        if user_id is not None:
            query = query.where(ProjectRow.user_id == user_id)
        words = search.strip().lower()
        if words:
            # LIKE's wildcards typed by the user are searched for literally.
            pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(or_(func.lower(ProjectRow.title).like(pattern, escape="\\"),
                                    func.lower(ProjectRow.prompt).like(pattern, escape="\\")))  # fmt: skip
        with self.db.session() as s:
            return list(s.exec(query).all())

    def rename(self, project_id: int, title: str) -> ProjectRow:
        with self.db.session() as s:
            project = s.get(ProjectRow, project_id)
            project.title, project.last_modified_at = title, now()
            s.add(project)
            s.commit()
            s.refresh(project)
            return project

    def duplicate(self, project_id: int, title: str) -> ProjectRow:
        """A new project of the same owner with the same idea, storyboard and render choices; its clips are
        found again by their shots, so nothing is rendered twice."""
        source = self.get(project_id)
        board = self.storyboard(project_id)
        with self.db.session() as s:
            copy = ProjectRow(user_id=source.user_id, prompt=source.prompt, title=title, language=source.language,
                              style=source.style, characters_json=source.characters_json,
                              extra_json=source.extra_json)  # fmt: skip
            s.add(copy)
            s.commit()
            s.refresh(copy)
        if board is not None:
            self.save_storyboard(copy.id, board.model_copy(update={"title": title}))
        return self.get(copy.id)

    def delete(self, project_id: int) -> list[Path]:
        """Remove the project, its scenes, clips, films and finished jobs; return the media files it owned
        (the caller deletes them once the rows are gone)."""
        files: list[Path] = []
        with self._saving, self.db.session() as s:
            for film in s.exec(select(FilmRow).where(FilmRow.project_id == project_id)).all():
                files += [self.media.resolve(p) for p in (film.file_path, film.srt_path, film.vtt_path) if p]
            for clip in s.exec(select(ClipRow).where(ClipRow.project_id == project_id)).all():
                files.append(self.media.resolve(clip.file_path))
            for table in (FilmRow, ClipRow, Job, SceneRow):
                s.exec(delete(table).where(table.project_id == project_id))
            s.exec(delete(ProjectRow).where(ProjectRow.id == project_id))
            s.commit()
        return files

    def render_choices(self, project_id: int) -> RenderChoices:
        project = self.get(project_id)
        extra = json.loads(project.extra_json or "{}") if project is not None else {}
        return RenderChoices.model_validate(extra.get("render") or {})

    def set_render_choices(self, project_id: int, choices: RenderChoices) -> None:
        with self.db.session() as s:
            project = s.get(ProjectRow, project_id)
            extra = json.loads(project.extra_json or "{}")
            extra["render"] = choices.model_dump(mode="json")
            project.extra_json = json.dumps(extra, ensure_ascii=False)
            s.add(project)
            s.commit()

    def projects_by_id(self, ids: set[int]) -> list[ProjectRow]:
        if not ids:
            return []
        with self.db.session() as s:
            return list(s.exec(select(ProjectRow).where(col(ProjectRow.id).in_(sorted(ids)))).all())

    def set_status(self, project_id: int, status: str, error: str = "") -> None:
        with self.db.session() as s:
            p = s.get(ProjectRow, project_id)
            p.status, p.error = status, error
            p.finished_at = now() if status in FINISHED_STATUSES else p.finished_at
            s.add(p)
            s.commit()

    # -- storyboards ----------------------------------------------------------------------------------
    def storyboard(self, project_id: int) -> Storyboard | None:
        """The project's storyboard, or None when it has no scenes."""
        with self.db.session() as s:
            return self._board(s, project_id)

    @staticmethod
    def _board(s: Session, project_id: int) -> Storyboard | None:
        project = s.get(ProjectRow, project_id)
        rows = list(s.exec(select(SceneRow).where(SceneRow.project_id == project_id)).all())
        return board_from_rows(project, rows) if project is not None and rows else None

    def recent_storyboards(self, user_id: int, limit: int = 20) -> list[Storyboard]:
        """One user's latest storyboards as they last saved them (their edits included), oldest first and
        the most recently saved last: the past a new storyboard of theirs is shaped by. Only this user's
        projects are read (an admin's own too: nobody's storyboards shape another's)."""
        with self.db.session() as s:
            projects = list(
                s.exec(
                    select(ProjectRow)
                    .where(ProjectRow.user_id == user_id)
                    .order_by(col(ProjectRow.last_modified_at).desc(), col(ProjectRow.id).desc())
                    .limit(max(0, limit))
                ).all()
            )
            ids = [p.id for p in projects]
            rows = list(s.exec(select(SceneRow).where(col(SceneRow.project_id).in_(ids))).all()) if ids else []
        scenes: dict[int, list[SceneRow]] = {}
        for r in rows:
            scenes.setdefault(r.project_id, []).append(r)
        return [board_from_rows(p, scenes[p.id]) for p in reversed(projects) if scenes.get(p.id)]

    def save_storyboard(self, project_id: int, board: Storyboard) -> Storyboard:
        """Replace the project's scenes with the board's (renumbered 1..n); rows of kept numbers are updated,
        so their ids (and the clips that name them) stay."""
        board = board.renumbered()
        with self._saving, self.db.session() as s:
            self._write(s, project_id, board)
            s.commit()
        return board

    def save_storyboard_if(self, project_id: int, expected: Storyboard, board: Storyboard) -> bool:
        """Save the board only while the project still holds `expected` (as storyboard() reads it): work done in
        the background (timing a new storyboard's lines) never overwrites an edit saved meanwhile, nor brings
        back a deleted project. Whether it saved. The render worker (another process) times a board this way too."""
        with self._saving, self.db.session() as s:
            # SQLite's write lock is taken before the look: the look and the save are one step for every process,
            # so a save made between them elsewhere cannot be overwritten (the session rolls back unless committed).
            s.exec(update(ProjectRow).where(ProjectRow.id == project_id).values(id=project_id))
            if self._board(s, project_id) != expected:
                return False
            self._write(s, project_id, board.renumbered())
            s.commit()
            return True

    @staticmethod
    def _write(s: Session, project_id: int, board: Storyboard) -> None:
        existing = {r.scene_number: r for r in s.exec(select(SceneRow).where(SceneRow.project_id == project_id))}
        for scene in board.scenes:
            row = existing.pop(scene.number, None) or SceneRow(project_id=project_id, scene_number=scene.number)
            s.add(fill_scene_row(row, scene))
        for row in existing.values():  # scenes removed by the edit; their clips stay cached
            for clip in s.exec(select(ClipRow).where(ClipRow.scene_id == row.id)).all():
                clip.scene_id = None
                s.add(clip)
            s.delete(row)
        s.add(fill_project_row(s.get(ProjectRow, project_id), board))

    def scene_ids(self, project_id: int) -> dict[int, int]:
        """Scene row id by scene number (a clip names the scene it was rendered for)."""
        with self.db.session() as s:
            rows = s.exec(select(SceneRow).where(SceneRow.project_id == project_id)).all()
            return {r.scene_number: r.id for r in rows}

    # -- clips ----------------------------------------------------------------------------------------
    def cached_clip(self, user_id: int, shot_hash: str) -> ClipRow | None:
        """The newest clip of this user made from this shot whose file is still there."""
        with self.db.session() as s:
            clips = s.exec(
                select(ClipRow)
                .where(ClipRow.user_id == user_id, ClipRow.shot_hash == shot_hash)
                .order_by(col(ClipRow.id).desc())
            ).all()
        return next((c for c in clips if self.media.resolve(c.file_path).is_file()), None)

    def add_clip(self, clip: ClipRow) -> ClipRow:
        with self.db.session() as s:
            s.add(clip)
            s.commit()
            s.refresh(clip)
        return clip

    def scene_clip(self, scene_id: int | None) -> ClipRow | None:
        """The newest clip rendered for this scene row whose file is still there (a locked scene keeps it)."""
        if scene_id is None:
            return None
        with self.db.session() as s:
            clips = s.exec(select(ClipRow).where(ClipRow.scene_id == scene_id).order_by(col(ClipRow.id).desc())).all()
        return next((c for c in clips if self.media.resolve(c.file_path).is_file()), None)

    def clips(self, project_id: int) -> list[ClipRow]:
        with self.db.session() as s:
            return list(s.exec(select(ClipRow).where(ClipRow.project_id == project_id)).all())

    def set_clip_facts(self, facts_json: dict[int, str]) -> None:
        """Keep what ffmpeg read of clips (by clip id), so no later assembly reads them again."""
        with self.db.session() as s:
            for clip_id, facts in facts_json.items():
                clip = s.get(ClipRow, clip_id)
                if clip is not None:
                    clip.facts_json = facts
                    s.add(clip)
            s.commit()

    # -- films ----------------------------------------------------------------------------------------
    def add_film(self, film: FilmRow) -> FilmRow:
        with self.db.session() as s:
            s.add(film)
            s.commit()
            s.refresh(film)
        return film

    def latest_film(self, project_id: int) -> FilmRow | None:
        with self.db.session() as s:
            return s.exec(
                select(FilmRow).where(FilmRow.project_id == project_id).order_by(col(FilmRow.id).desc())
            ).first()

    def latest_films(self, project_ids: list[int]) -> dict[int, FilmRow]:
        """The newest film of each of these projects that has one."""
        with self.db.session() as s:
            films = s.exec(
                select(FilmRow).where(col(FilmRow.project_id).in_(project_ids)).order_by(col(FilmRow.id))
            ).all()
        return {f.project_id: f for f in films}

    # -- media ----------------------------------------------------------------------------------------
    def media_row(self, kind: str, item_id: int) -> FilmRow | ClipRow | Job | None:
        """The row behind a media item: a film (or its subtitles), a clip, or a job (its live preview)."""
        table = {"film": FilmRow, "srt": FilmRow, "vtt": FilmRow, "clip": ClipRow, "preview": Job,
                 "clip_poster": ClipRow, "film_poster": FilmRow}.get(kind)  # fmt: skip
        if table is None:
            return None
        with self.db.session() as s:
            return s.get(table, item_id)

    def media_path(self, kind: str, row: FilmRow | ClipRow) -> Path:
        """The stored file of a film, its subtitles, or a clip."""
        if kind in ("srt", "vtt") and isinstance(row, FilmRow):
            return self.media.resolve(row.srt_path if kind == "srt" else row.vtt_path)
        return self.media.resolve(row.file_path)

    # -- the admin's overview -------------------------------------------------------------------------
    def recent_jobs(self, limit: int = 50) -> list[Job]:
        with self.db.session() as s:
            return list(s.exec(select(Job).order_by(col(Job.id).desc()).limit(limit)).all())
