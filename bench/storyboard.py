"""Storyboard writer benchmark: time to the first scene and to the whole storyboard, per idea and as
medians, with the embedded model (SmolLM2-135M-Instruct through transformers, constrained by xgrammar),
next to the planner alone measured in the same run, plus the quality rates of what was written.

    HF_HUB_OFFLINE=1 /work/main/.venv/bin/python bench/storyboard.py [--limit N] [--mode beats|whole]
        [--model embedded|PATH] [--threads N] [--cache DIR]

Run it twice with --cache to see the studio's load time after the one-time GGUF conversion.

Goals on a 2-core CPU: ≤ 2 s to the first scene, ≤ 10 s to the whole storyboard.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.writers.base import PlannerWriter  # noqa: E402
from models.writers.llm import LLMOptions, LLMWriter  # noqa: E402
from models.writers.planner import PlannerOptions  # noqa: E402
from models.writers.quality import judge, load_ideas, rates  # noqa: E402


def timed_stream(writer, idea: str, opts: PlannerOptions):
    start = time.perf_counter()
    first = None
    board = None
    for board in writer.stream(idea, opts):  # noqa: B007 (the last one is the result)
        if first is None:
            first = time.perf_counter() - start
    return first, time.perf_counter() - start, board


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N ideas (0: all)")
    parser.add_argument("--mode", default="auto", choices=["auto", "beats", "whole"])
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--max-new-tokens", type=int, default=1500)
    parser.add_argument(
        "--cache", type=Path, default=None, help="convert the GGUF once into this folder (as the studio does)"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    ideas = load_ideas(ROOT / "tests" / "data" / "ideas")
    ideas = ideas[: args.limit] if args.limit else ideas
    writer = LLMWriter(
        LLMOptions(
            model=args.model, device="cpu", mode=args.mode, threads=args.threads, max_new_tokens=args.max_new_tokens
        ),
        cache_dir=args.cache,
    )
    start = time.perf_counter()
    writer.lm  # noqa: B018 - the load, timed on its own
    load = time.perf_counter() - start
    print(f"model {args.model}: load {load:.1f} s, {writer.lm.parameters / 1e6:.0f}M parameters, mode {writer.mode()}")
    try:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work slows every figure)")
    except OSError:
        pass

    planner = PlannerWriter()
    print(f"{'idea':<22} {'lang':<4} {'target':>6} {'scenes':>6} {'first_s':>8} {'total_s':>8} {'planner_ms':>10}")
    firsts, totals, plans, results, planned = [], [], [], [], []
    model_written = scene_total = 0  # scenes whose description is the model's, not the planner's fallback
    for idea in ideas:
        opts = PlannerOptions(target_seconds=idea.target_seconds)
        _, plan_s, plan_board = timed_stream(planner, idea.idea, opts)
        planned.append(judge(idea, plan_board))
        first, total, board = timed_stream(writer, idea.idea, opts)
        firsts.append(first)
        totals.append(total)
        plans.append(plan_s)
        results.append(judge(idea, board))
        scene_total += len(board.scenes)
        model_written += sum(
            a.description != b.description for a, b in zip(board.scenes, plan_board.scenes, strict=False)
        )
        print(
            f"{idea.id:<22} {idea.language:<4} {idea.target_seconds:>6.0f} {len(board.scenes):>6} "
            f"{first:>8.2f} {total:>8.2f} {plan_s * 1000:>10.1f}"
        )
    med_first, med_total, med_plan = (statistics.median(x) for x in (firsts, totals, plans))
    print(
        f"median: first scene {med_first:.2f} s (goal ≤ 2), whole storyboard {med_total:.2f} s (goal ≤ 10), "
        f"planner alone {med_plan * 1000:.1f} ms; LLM/planner ratio {med_total / max(med_plan, 1e-9):.0f}x"
    )
    print(f"max: first scene {max(firsts):.2f} s, whole storyboard {max(totals):.2f} s")
    print(f"quality, LLM + clean-up: {rates(results).line()}")
    print(f"quality, planner alone:  {rates(planned).line()}")
    print(f"descriptions written by the model (not the planner's fallback): {model_written / max(1, scene_total):.0%}")
    try:
        rss = int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) / 1024
        print(f"resident memory {rss:.0f} MiB")
    except (OSError, IndexError, ValueError):
        pass


if __name__ == "__main__":
    main()
