"""Contact sheets of the planner's storyboards for ideas of the development set, as a creator would first
see them with no GPU: the planner writes the storyboard, the animatic draws one frame per scene.

    python bench/idea_sheets.py                      # the 8 ideas below → docs/storyboards/<id>.png (+ .json)
    python bench/idea_sheets.py --ids zh-panda --out /tmp/sheets
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from animatic_sheet import write_sheet  # noqa: E402

from models.writers.planner import PlannerOptions, plan_storyboard  # noqa: E402
from models.writers.quality import load_ideas  # noqa: E402

# Four per language, across genres: stories, an advert, an explainer, a process, travel, a mood.
IDEAS = ["zh-fisherman", "zh-forest", "zh-oolong-ad", "zh-dumplings-process",
         "en-lighthouse-keeper", "en-headphones", "en-photosynthesis", "en-kyoto"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", nargs="*", default=IDEAS)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "storyboards")
    args = parser.parse_args()
    ideas = {i.id: i for i in load_ideas(ROOT / "tests" / "data" / "ideas")}
    args.out.mkdir(parents=True, exist_ok=True)
    for key in args.ids:
        idea = ideas[key]
        board = plan_storyboard(idea.idea, PlannerOptions(target_seconds=idea.target_seconds))
        (args.out / f"{key}.json").write_text(board.model_dump_json(indent=1), encoding="utf-8")
        write_sheet(board, args.out / f"{key}.png")
        print(f"{key}: {len(board.scenes)} scenes → {args.out / key}.png")


if __name__ == "__main__":
    main()
