"""How good a written storyboard is, by the measures the writer is held to (issue 3):
schema-valid, 3–8 scenes, distinct descriptions, narration in the idea's language, total length near the
target. Used by the evaluation test and by bench/storyboard.py."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from models.storyboard import Storyboard, fingerprint, is_in_language, near_duplicate


class Idea(BaseModel):
    id: str
    language: str
    target_seconds: float
    idea: str


class BoardQuality(BaseModel):
    idea_id: str
    valid: bool
    scenes: int
    distinct_scenes: int  # scenes whose description differs from every earlier one (not a near-duplicate)
    language_ok: int  # scenes whose narration is in the idea's language
    duration: float
    target: float

    @property
    def count_ok(self) -> bool:
        return 3 <= self.scenes <= 8

    @property
    def duration_ok(self) -> bool:
        return abs(self.duration - self.target) <= 0.25 * self.target


def load_ideas(folder: Path) -> list[Idea]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += [Idea(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def judge(idea: Idea, board: Storyboard) -> BoardQuality:
    try:
        Storyboard.model_validate(board.model_dump())
        valid = board.language == idea.language
    except ValidationError:
        valid = False
    seen: list[str] = []
    distinct = 0
    for s in board.scenes:
        if fingerprint(s.description) and not any(near_duplicate(s.description, d) for d in seen):
            distinct += 1
        seen.append(s.description)
    return BoardQuality(
        idea_id=idea.id,
        valid=valid,
        scenes=len(board.scenes),
        distinct_scenes=distinct,
        language_ok=sum(is_in_language(s.narration, idea.language) for s in board.scenes),
        duration=board.duration,
        target=idea.target_seconds,
    )


class Rates(BaseModel):
    boards: int
    schema_valid: float
    scene_count_ok: float
    distinct_scenes: float
    narration_language: float
    duration_within_25: float

    def line(self) -> str:
        return (
            f"boards={self.boards} schema_valid={self.schema_valid:.0%} scenes_3_to_8={self.scene_count_ok:.0%} "
            f"distinct_scenes={self.distinct_scenes:.1%} narration_language={self.narration_language:.0%} "
            f"duration_within_25pct={self.duration_within_25:.0%}"
        )


def rates(results: list[BoardQuality], raw_valid: list[bool] | None = None) -> Rates:
    """Rates over many boards. `raw_valid` adds whether each raw model output matched its schema."""
    n = max(1, len(results))
    scenes = max(1, sum(r.scenes for r in results))
    valid = [r.valid for r in results] + list(raw_valid or [])
    return Rates(
        boards=len(results),
        schema_valid=sum(valid) / max(1, len(valid)),
        scene_count_ok=sum(r.count_ok for r in results) / n,
        distinct_scenes=sum(r.distinct_scenes for r in results) / scenes,
        narration_language=sum(r.language_ok for r in results) / scenes,
        duration_within_25=sum(r.duration_ok for r in results) / n,
    )
