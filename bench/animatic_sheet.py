"""A contact sheet of a storyboard's animatic: one frame per scene, labelled, as a PNG.

    python bench/animatic_sheet.py tests/data/storyboards/fisherman_zh.json docs/animatic/fisherman_zh.png

Each scene becomes the Shot the studio would render (description as prompt, "N. narration" as caption, its
camera, duration, seed and facts), drawn by the animatic engine; the frame from the middle of the scene is
placed in a grid with the scene's number, camera, shot size and facts under it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.fonts import cjk_font_path  # noqa: E402
from models.storyboard import Scene, Storyboard  # noqa: E402
from models.video.animatic import AnimaticEngine  # noqa: E402
from models.video.base import Shot  # noqa: E402


def scene_shot(scene: Scene, width: int, height: int, fps: int) -> Shot:
    """The shot the studio builds for a scene (see app/shots.py), facts included."""
    return Shot(
        prompt=scene.description,
        caption=f"{scene.number}. {scene.narration or scene.description}",
        camera=scene.camera.value,
        width=width,
        height=height,
        fps=fps,
        frames=max(1, round(scene.duration * fps)),
        seed=scene.seed,
        facts=scene.facts,
    )


def middle_frame(engine: AnimaticEngine, shot: Shot, at: float = 0.5) -> np.ndarray:
    stop = min(shot.frames - 1, int(shot.frames * at))
    for i, frame in enumerate(engine.render(shot)):
        if i == stop:
            return frame
    raise RuntimeError("the engine gave fewer frames than the shot asks for")


def label(scene: Scene) -> list[str]:
    f = scene.facts
    who = ", ".join(f.subjects) or "-"
    return [
        f"{scene.number}. {scene.camera.value} · {f.shot.value} · {f.time_of_day.value} · {f.weather.value}",
        f"{who} | {f.action or '-'} | {f.setting or '-'}",
    ]


def write_sheet(
    board: Storyboard, out: Path, width: int = 832, height: int = 480, fps: int = 16, cols: int = 3
) -> None:
    engine = AnimaticEngine()
    cell_w, cell_h = width // 2, height // 2
    font_path = cjk_font_path()
    size = 13
    font = ImageFont.truetype(str(font_path), size) if font_path else ImageFont.load_default(size)
    text_h = size * 2 + 12
    rows = -(-len(board.scenes) // cols)
    title_h = size * 2 + 8
    sheet = Image.new("RGB", (cols * cell_w + (cols + 1) * 8, title_h + rows * (cell_h + text_h + 8) + 8), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((8, 6), f"{board.title}  ({len(board.scenes)} scenes, animatic preview)", font=font, fill=(0, 0, 0))
    for k, scene in enumerate(board.scenes):
        frame = middle_frame(engine, scene_shot(scene, width, height, fps))
        img = Image.fromarray(frame).resize((cell_w, cell_h), Image.Resampling.LANCZOS)
        x = 8 + (k % cols) * (cell_w + 8)
        y = title_h + (k // cols) * (cell_h + text_h + 8)
        sheet.paste(img, (x, y))
        for j, line in enumerate(label(scene)):
            while len(line) > 4 and draw.textlength(line, font=font) > cell_w:
                line = line[:-2] + "…"
            draw.text((x, y + cell_h + 3 + j * (size + 3)), line, font=font, fill=(30, 30, 30))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("storyboard", type=Path, help="a storyboard JSON (models.storyboard.Storyboard)")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=832)
    parser.add_argument("--height", type=int, default=480)
    args = parser.parse_args()
    board = Storyboard.model_validate_json(args.storyboard.read_text(encoding="utf-8"))
    write_sheet(board, args.out, args.width, args.height)
    print(f"contact sheet: {args.out} ({len(board.scenes)} scenes)")


if __name__ == "__main__":
    main()
