"""How fast the animatic engine renders and encodes, as "N× real time" (python bench/animatic.py).

Each shot (several scenes and camera moves, 832×480 at 16 fps by default) is rendered straight into
models.ffmpeg.encode_h264 writing a temporary MP4, the way the studio makes a clip; the figure is clip seconds
per wall second, the median over shots and rounds. It also prints render-only frames/s, and as the baseline
measured in the same run the encoder alone on the same, already rendered frames (the ceiling for the pair).
The 2 cores are often shared, so it also prints the CPU time that render and encode cost per frame (this
process and its ffmpeg child), which the neighbours' load hardly changes, and the speed that CPU time allows
on 2 idle cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.animatic_sheet import write_sheet as write_storyboard_sheet  # noqa: E402
from models.ffmpeg import encode_h264  # noqa: E402
from models.storyboard import SceneFacts, Storyboard  # noqa: E402
from models.video.animatic import AnimaticEngine  # noqa: E402
from models.video.base import Shot  # noqa: E402

SCENES: list[tuple[str, str, str]] = [
    ("A sailing boat on the sea at sunset", "1. 夕阳下的海", "pan_right"),
    ("A girl walks her dog along the river in the morning", "2. 清晨的河边", "tracking"),
    ("雪夜 森林 里的一只狐狸", "3. 雪夜森林", "push_in"),
    ("A man walks down a city street at night in the rain", "4. rainy night", "tracking"),
    ("一只猫坐在室内的窗边，窗外下雨", "5. 窗边的猫", "pull_out"),
    ("Aerial view over mountains and a river valley with a forest", "6. aerial", "aerial"),
    ("A woman reads in a room by the fireplace at night", "7. fireplace", "static"),
    ("Campfire under the stars, a boy and a bird", "8. 篝火", "pan_left"),
]
# The same kind of shots drawn from structured facts (the fisherman's story and more), measured apart.
FACT_SCENES: list[tuple[dict, str]] = [
    (
        dict(
            subjects=["old fisherman", "small fishing boat"], action="rows out", setting="open sea", time_of_day="dawn"
        ),
        "pull_out",
    ),
    (
        dict(subjects=["old fisherman", "small fishing boat"], setting="open sea", weather="storm", shot="wide"),
        "static",
    ),
    (dict(subjects=["small fishing boat"], setting="fishing harbour", shot="wide"), "pan_right"),
    (dict(subjects=["family"], action="wait and wave", setting="wooden dock", time_of_day="dusk"), "static"),
    (dict(subjects=["explorer", "deer"], action="walks", setting="forest river", shot="wide"), "tracking"),
    (dict(subjects=["bottle"], action="gleams", shot="close_up"), "push_in"),
    (dict(subjects=["keeper", "letter"], action="reads", setting="room", time_of_day="night"), "push_in"),
    (dict(subjects=["rabbit", "squirrel"], setting="forest clearing", weather="fog"), "aerial"),
]
# Shots on the sets of animatic_sets (a work table with hands, a temple, a rainy street, a leaf, a market).
SET_SCENES: list[tuple[dict, str]] = [
    (dict(subjects=["hands"], action="knead the dough", setting="work table", shot="close_up"), "push_in"),
    (dict(subjects=["making dumplings"], setting="kitchen", shot="wide"), "pan_right"),
    (dict(subjects=["Kyoto"], setting="temple", time_of_day="dusk", shot="wide"), "pull_out"),
    (dict(subjects=["woman"], action="walks", setting="old street", weather="rain", time_of_day="night"), "tracking"),
    (dict(subjects=["leaf"], action="catches the sunlight", shot="close_up"), "push_in"),
    (dict(subjects=["people"], setting="night market", time_of_day="night", shot="wide"), "static"),
]


def _cpu_seconds() -> float:
    """User+system CPU time of this process and of its finished children (the ffmpeg encoder)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def write_sheet(engine: AnimaticEngine, shots: list[Shot], path: Path) -> None:
    """First and last frame of each shot side by side, one shot a row, at half size."""
    import cv2
    import numpy as np

    rows = []
    for shot in shots:
        frames = list(engine.render(shot))
        rows.append(np.concatenate([frames[0], frames[-1]], axis=1))
    sheet = np.concatenate(rows, axis=0)
    sheet = cv2.resize(sheet, (sheet.shape[1] // 2, sheet.shape[0] // 2), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(path), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=832)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--fps", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0, help="clip length per shot")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet PNG (first and last frame per shot)")
    parser.add_argument(
        "--sheet-from", nargs=2, type=Path, metavar=("STORYBOARD_JSON", "OUT_PNG"),
        help="only write a storyboard's contact sheet (one labelled frame per scene; see bench/animatic_sheet.py)",
    )  # fmt: skip
    parser.add_argument("--words-only", action="store_true", help="measure only the word scenes (as before facts)")
    parser.add_argument("--no-sets", action="store_true", help="leave out the set scenes (as before sets)")
    args = parser.parse_args()
    if args.sheet_from:
        board = Storyboard.model_validate_json(args.sheet_from[0].read_text(encoding="utf-8"))
        write_storyboard_sheet(board, args.sheet_from[1], args.width, args.height)
        print(f"contact sheet: {args.sheet_from[1]}")
        return

    engine = AnimaticEngine()
    frames_per_shot = round(args.seconds * args.fps)
    shots = [
        Shot(
            prompt=p,
            caption=c,
            camera=cam,
            width=args.width,
            height=args.height,
            fps=args.fps,
            frames=frames_per_shot,
            seed=i,
        )
        for i, (p, c, cam) in enumerate(SCENES)
    ]
    if not args.words_only:
        shots += [
            Shot(
                prompt="a scene",
                caption=f"facts {i + 1}" if i < len(FACT_SCENES) else f"set {i + 1}",
                camera=cam,
                width=args.width,
                height=args.height,
                fps=args.fps,
                frames=frames_per_shot,
                seed=i,
                facts=SceneFacts(**facts),
            )  # fmt: skip
            for i, (facts, cam) in enumerate(FACT_SCENES + ([] if args.no_sets else SET_SCENES))
        ]
    if args.sheet:
        write_sheet(engine, shots, args.sheet)
        print(f"contact sheet: {args.sheet}")
    realtime, render_fps, encode_fps, cpu_per_frame = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "clip.mp4"
        for _ in range(args.rounds):
            for shot in shots:
                t0 = time.perf_counter()
                frames = list(engine.render(shot))
                render_fps.append(len(frames) / (time.perf_counter() - t0))

                t0 = time.perf_counter()
                encode_h264(iter(frames), out, shot.width, shot.height, shot.fps)
                encode_fps.append(len(frames) / (time.perf_counter() - t0))

                cpu0 = _cpu_seconds()
                t0 = time.perf_counter()
                count = encode_h264(engine.render(shot), out, shot.width, shot.height, shot.fps)
                realtime.append(count / shot.fps / (time.perf_counter() - t0))
                cpu_per_frame.append((_cpu_seconds() - cpu0) / count)

    by_camera: dict[str, list[float]] = {}
    for shot, x in zip(shots * args.rounds, realtime, strict=True):
        by_camera.setdefault(shot.camera, []).append(x)
        group = "from words" if not shot.facts else "from sets" if "set" in shot.caption else "from facts"
        by_camera.setdefault(group, []).append(x)
    print(
        f"animatic {args.width}x{args.height} @ {args.fps} fps, {len(shots)} shots x {args.rounds} rounds, "
        f"{frames_per_shot} frames each"
    )
    for camera, xs in by_camera.items():
        print(f"  {camera:10s} {statistics.median(xs):5.1f}x real time")
    print(f"render+encode: {statistics.median(realtime):.1f}x real time (median; slowest {min(realtime):.1f}x)")
    print(
        f"render only:   {statistics.median(render_fps):.0f} frames/s "
        f"({statistics.median(render_fps) / args.fps:.1f}x real time)"
    )
    print(f"baseline, encode only of the same frames: {statistics.median(encode_fps):.0f} frames/s")
    cpu = statistics.median(cpu_per_frame)
    cores = min(2, os.cpu_count() or 1)
    print(
        f"CPU time, render+encode: {cpu * 1000:.1f} ms per frame -> about "
        f"{cores / cpu / args.fps:.1f}x real time on {cores} idle cores (if render and encode overlap fully)"
    )
    per_frame = 1 / (statistics.median(realtime) * args.fps)
    print(
        f"measured seconds per frame (render+encode): {per_frame:.4f}; "
        f"engine estimate: {engine.estimate_seconds(shots[0]) / frames_per_shot:.4f}"
    )


if __name__ == "__main__":
    main()
