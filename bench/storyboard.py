"""Storyboard writer benchmark: what a creator checks, per writer and per split of the dev set
(tests/data/ideas/): ordered beat recall, grounded scenes, subject on screen, generic filler, scene count
against the target length, and time per storyboard. `--timing` adds the LLM's time to the first scene and
to the whole storyboard next to the planner measured in the same run.

    /work/main/.venv/bin/python bench/storyboard.py                      # the planner, dev and test splits
    HF_HUB_OFFLINE=1 .venv/bin/python bench/storyboard.py --writers planner,llm [--model embedded|PATH]
    .venv/bin/python bench/storyboard.py --show zh-fisherman             # print one storyboard in full

Goals for the planner (issue 12): beat recall ≥ 90 %, grounded ≥ 95 %, subject in ≥ 80 % of scenes where
the idea has one, 0 filler, ≤ 0.5 s per storyboard on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.writers.base import PlannerWriter  # noqa: E402
from models.writers.lexicon import default_lexicon  # noqa: E402
from models.writers.planner import PlannerOptions  # noqa: E402
from models.writers.quality import judge_story, load_annotated, story_rates  # noqa: E402

IDEAS = ROOT / "tests" / "data" / "ideas"


def show(board) -> str:
    """A storyboard as a creator reads it."""
    lines = [f"# {board.title}  [{board.language}, {board.genre}, {board.duration:.1f} s] style: {board.style}"]
    if board.sources:
        lines.append(f"  shaped by: {', '.join(board.sources)}")
    for c in board.characters:
        lines.append(f"  character {c.name}: {c.look}")
    for s in board.scenes:
        f = s.facts
        lines.append(
            f"  {s.number:>2}. [{s.duration:.1f} s, {s.camera.value}, {f.shot.value}, {f.time_of_day.value}, "
            f"{f.weather.value}] {s.narration}\n      {s.description}\n      facts: subjects={f.subjects} "
            f"action={f.action!r} setting={f.setting!r}"
        )
    return "\n".join(lines)


def make_writer(name: str, args):
    if name == "planner":
        return PlannerWriter()
    from models.writers.llm import LLMOptions, LLMWriter

    return LLMWriter(
        LLMOptions(model=args.model, device="cpu", mode=args.mode, threads=args.threads),
        cache_dir=args.cache,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="planner", help="comma-separated: planner, llm")
    parser.add_argument("--model", default="embedded", help="the llm writer's model")
    parser.add_argument("--mode", default="auto", choices=["auto", "beats", "whole"])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--cache", type=Path, default=None, help="GGUF conversion cache (as the studio keeps)")
    parser.add_argument("--show", default="", help="print the storyboards of these idea ids (comma-separated)")
    parser.add_argument("--verbose", action="store_true", help="one line per idea")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work slows every figure)")
    except OSError:
        pass
    shown = set(filter(None, args.show.split(",")))
    for name in args.writers.split(","):
        writer = make_writer(name, args)
        start = time.perf_counter()  # loads (lexicon, rjieba, CC-CEDICT on its first unknown word), timed apart
        writer.write("warm up: a fox crosses a river", PlannerOptions(target_seconds=10))
        writer.write("钟楼下的鸽子飞过", PlannerOptions(target_seconds=10))
        default_lexicon().cedict()  # the curated tables know every warm-up word: load CC-CEDICT here, not in an idea
        print(f"{name}: first two storyboards (loading included) {time.perf_counter() - start:.2f} s")
        for split in ("dev", "test"):
            results = []
            for idea in load_annotated(IDEAS, split):
                start = time.perf_counter()
                board = writer.write(idea.idea, PlannerOptions(target_seconds=idea.target_seconds))
                q = judge_story(idea, board, time.perf_counter() - start)
                results.append(q)
                if args.verbose:
                    print(
                        f"  {idea.id:<22} beats {q.beats_in_order}/{q.beats} scenes {q.scenes} grounded "
                        f"{q.grounded} subject {q.subject_scenes} filler {q.filler} {q.seconds * 1000:.0f} ms"
                    )
                if idea.id in shown:
                    print(show(board))
            print(f"{name:<8} {split:<5} {story_rates(results).line()}")


if __name__ == "__main__":
    main()
