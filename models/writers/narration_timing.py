"""Narration-first timing: how long a line takes to speak, how many scenes a length holds, and how a
target length is shared among scenes (lines kept to whole clauses or words where they cannot all fit)."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING

from models.storyboard import MAX_SCENES
from models.writers.facts_en_scene import time_lead
from models.writers.titles import cut_words

if TYPE_CHECKING:
    from models.writers.planner import PlannerOptions


# Speaking rates used to time narration (measured averages for calm narration).
ZH_CHARS_PER_SECOND = 4.5
EN_WORDS_PER_SECOND = 2.6
NARRATION_PAD_SECONDS = 0.6
SCENE_SECONDS = 4.5  # the scene length a target length is divided by (3–6 s a scene)


def speaking_seconds(narration: str, language: str) -> float:
    """How long the narration takes to speak, by characters (Chinese) or words (English)."""
    if language == "zh":
        spoken = sum(1 for ch in narration if unicodedata.category(ch)[0] in "LN")
        return spoken / ZH_CHARS_PER_SECOND
    return len(re.findall(r"[\w']+", narration)) / EN_WORDS_PER_SECOND


def scene_seconds(narration: str, language: str, minimum: float, fps: int) -> float:
    """At least the narration plus a pad, clamped to 1–30 s and snapped up to the frame grid."""
    seconds = max(minimum, speaking_seconds(narration, language) + NARRATION_PAD_SECONDS if narration else 0)
    seconds = min(30.0, max(1.0, seconds))
    return min(30.0, math.ceil(seconds * fps - 1e-9) / fps)


def scene_count(beats: int, lo: int, hi: int, target_seconds: float | None, preferred: int | None = None) -> int:
    """How many scenes: with a target length, about 4.5 s each (15 s → 3–4, 60 s → 10–15), never fewer
    than the idea has events while scenes stay 2.5 s or longer; without one, the idea's events plus the
    arc's opening and closing shots (`preferred`), within [lo, hi]."""
    if target_seconds:
        lo_t = max(1, math.ceil(target_seconds / 6 - 1e-9))
        hi_t = max(lo_t, math.ceil(target_seconds / 4 - 1e-9))
        n = min(max(round(target_seconds / SCENE_SECONDS), lo_t), hi_t)
        n = max(n, min(beats, math.floor(target_seconds / 2.5)), min(lo, 3))
        return max(1, min(n, MAX_SCENES))
    return max(lo, min(hi, preferred or beats))


def trim_narration(narration: str, language: str, seconds: float) -> str:
    """The narration cut (at a clause or word boundary where possible) to what can be spoken in `seconds`."""
    if speaking_seconds(narration, language) <= seconds:
        return narration
    if language == "zh":
        keep = max(4, int(seconds * ZH_CHARS_PER_SECOND))
        cut = narration[:keep]
        clause = max(cut.rfind(p) for p in "，、；,;")
        cut = cut[: clause + 1] if clause >= keep // 2 else cut
        return cut.rstrip("，、；,; ") + "……"
    words = narration.split()
    keep = max(3, int(seconds * EN_WORDS_PER_SECOND))
    if len(words) <= keep:  # a word or two over by the clock, yet whole: not cut
        return narration
    cut = " ".join(words[:keep])
    clause = max(cut.rfind(p) for p in ",;:")
    cut = cut[:clause] if clause >= len(cut) // 2 else cut
    return cut.rstrip(",;: ") + "…"


def whole_clauses(narration: str, language: str, seconds: float) -> str:
    """As many of the narration's whole clauses as can be spoken in `seconds` (at least the first one, kept
    whole: a line is never cut mid-word or mid-clause), ended as a sentence."""
    if speaking_seconds(narration, language) <= seconds:
        return narration
    clauses = [c for c in re.split(r"(?<=[，、；。！？,;.!?])\s*", narration) if c.strip()]
    lead = time_lead(narration)[0] if language != "zh" else ""
    if lead and len(clauses) > 1 and clauses[0].rstrip(", ") == lead:
        # "On a rainy evening," alone was a whole line; when is said with what happens then
        clauses = [f"{clauses[0]} {clauses[1]}", *clauses[2:]]
    kept = clauses[0]
    for clause in clauses[1:]:
        if speaking_seconds(kept + clause, language) > seconds:
            break
        kept += clause if language == "zh" else " " + clause
    if kept == narration:
        return narration
    kept = kept.rstrip("，、；,; ")
    if language == "zh":
        return kept if kept.endswith(("。", "！", "？")) else kept + "。"
    return kept if kept.endswith((".", "!", "?")) else kept + "."


def whole_words(narration: str, language: str, seconds: float) -> str:
    """The narration's first words that can be spoken in `seconds`, cut between words (Chinese words as the
    word splitter reads them), never inside one."""
    if speaking_seconds(narration, language) <= seconds:
        return narration
    if language != "zh":
        return trim_narration(narration, language, seconds)
    limit = max(4, int(seconds * ZH_CHARS_PER_SECOND))
    return "".join(cut_words(narration, limit)).rstrip("，、；,; ") + "……"


def fill_length(needs: list[float], total: float) -> list[float]:
    """Scene lengths summing to `total` where the narration allows: each at least what its narration needs,
    the time left shared so that the shortest scenes grow first (water-filling)."""
    if sum(needs) >= total:
        return list(needs)
    order = sorted(needs)
    level, left = 0.0, total
    for k, need in enumerate(order):
        level = left / (len(order) - k)
        if need <= level:
            break
        left -= need
    return [max(need, level) for need in needs]


def timed(narrations: list[str], language: str, opts: PlannerOptions) -> tuple[list[str], list[float]]:
    """Narration-first timing: each scene lasts at least as long as its narration takes to speak.

    With a target length, the length is shared so that every scene's narration is spoken whole (a scene
    with more to say gets more time); where the lines cannot fit, a scene keeps its first whole clauses, so
    the film keeps about the length the creator asked for and no line is cut mid-word."""
    if not opts.target_seconds:
        return narrations, [scene_seconds(n, language, opts.default_seconds, opts.fps) for n in narrations]
    share = opts.target_seconds / max(1, len(narrations))
    pad = NARRATION_PAD_SECONDS
    needs = [speaking_seconds(n, language) + pad if n else 0.0 for n in narrations]
    if sum(needs) > opts.target_seconds:  # too much to say: the longest lines keep their first clauses
        room = max(
            share, (opts.target_seconds - sum(min(x, share) for x in needs)) / max(1, sum(x > share for x in needs))
        )
        narrations = [whole_clauses(n, language, max(0.5, room - pad)) for n in narrations]
        needs = [speaking_seconds(n, language) + pad if n else 0.0 for n in narrations]
        if sum(needs) > 1.2 * opts.target_seconds:  # one clause longer than the film allows: whole words kept
            narrations = [whole_words(n, language, max(0.5, room - pad)) for n in narrations]
            needs = [speaking_seconds(n, language) + pad if n else 0.0 for n in narrations]
    lengths = fill_length([max(x, 1.0) for x in needs], opts.target_seconds)
    return narrations, [
        scene_seconds(n, language, length, opts.fps) for n, length in zip(narrations, lengths, strict=True)
    ]
