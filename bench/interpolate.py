"""Speed of the finishing pass at 832×480: RIFE (2×, 4×) and the Real-ESRGAN upscaler (2×, 4×), in frames/s.

Run: .venv/bin/python bench/interpolate.py [--frames N] [--rounds 2] [--device cpu|cuda] [--x4plus]

Each figure is output frames per wall second (for RIFE: all k*T frames of the finished clip, the held tail
included, as the baselines count them) (the median over rounds, after one warm-up call), on the device
models/vram.py reports unless --device says otherwise. Baselines measured in the same run, on the same device
and frames: frame duplication and a linear cross-fade for RIFE (what a player or ffmpeg's `framerate` filter
gives without a network), a bicubic resize for the upscaler. "× baseline" is how many times slower the network
is. The source is a moving, textured 832×480 clip (16 fps like Wan). The CPU time per frame (this process,
all threads) is printed too, since the cores may be shared with other work and wall time then lies.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.video.interpolate import Interpolator  # noqa: E402
from models.video.upscale import Upscaler  # noqa: E402
from models.vram import probe_device  # noqa: E402

W, H = 832, 480


def source_clip(n: int) -> np.ndarray:
    """A textured scene panning 6 px a frame, with a square crossing it: motion for the flow to follow."""
    rng = np.random.default_rng(0)
    wide = rng.integers(0, 255, (H // 8, (W + 6 * n) // 8 + 1, 3), dtype=np.uint8)
    wide = np.kron(wide, np.ones((8, 8, 1), np.uint8))
    frames = np.stack([wide[:, 6 * i : 6 * i + W] for i in range(n)])
    for i in range(n):
        frames[i, 200:260, 100 + 20 * i : 160 + 20 * i] = (240, 230, 60)
    return frames


def measure(fn: Callable[[], int], rounds: int) -> tuple[float, float]:
    """(median output frames per wall second, median CPU seconds per output frame) over rounds; one warm-up."""
    fn()
    fps, cpu = [], []
    for _ in range(rounds):
        w0, c0 = time.perf_counter(), time.process_time()
        n = fn()
        fps.append(n / (time.perf_counter() - w0))
        cpu.append((time.process_time() - c0) / n)
    return statistics.median(fps), statistics.median(cpu)


def duplicate(frames: np.ndarray, factor: int) -> int:
    return len(np.repeat(frames, factor, axis=0))


def crossfade(frames: np.ndarray, factor: int, device: torch.device) -> int:
    x = torch.from_numpy(frames).to(device).float()
    out = [x[:-1] * (1 - i / factor) + x[1:] * (i / factor) for i in range(factor)]
    return len(torch.cat(out).round().to(torch.uint8).cpu().numpy()) + factor


def bicubic(frames: np.ndarray, scale: int, device: torch.device) -> int:
    x = torch.from_numpy(frames).to(device).permute(0, 3, 1, 2).float() / 255
    y = F.interpolate(x, scale_factor=scale, mode="bicubic", align_corners=False)
    return len((y.clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, help="source frames per call (default 4 on a CPU, 16 on a GPU)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--device", help="cpu or cuda (default: what models/vram.py reports)")
    parser.add_argument("--x4plus", action="store_true", help="also the RRDBNet x4plus upscaler (slow on a CPU)")
    args = parser.parse_args()
    info = probe_device()
    device = torch.device(args.device or info.device)
    name = info.name if device.type == "cuda" else f"CPU ({torch.get_num_threads()} threads)"
    n = args.frames or (16 if device.type == "cuda" else 4)
    # A CPU upscales an 832×480 frame in seconds (0.5 TFLOP at 2×/4× alike): one frame a call there.
    n_up = n if device.type == "cuda" else 1
    print(f"device: {name}; torch {torch.__version__}; {W}×{H}; {n} source frames a call ({n_up} for upscaling)")
    frames = source_clip(n)
    rows: list[tuple[str, float, float, str, float]] = []

    rife = Interpolator(device)
    for factor in (2, 4):
        base, _ = measure(lambda f=factor: duplicate(frames, f), args.rounds)
        fade, _ = measure(lambda f=factor: crossfade(frames, f, device), args.rounds)
        net, cpu = measure(lambda f=factor, r=rife: len(r.interpolate(frames, f)), args.rounds)
        rows.append((f"RIFE {factor}× (output frames)", net, cpu, "duplicate", base))
        rows.append((f"  cross-fade {factor}×", fade, 0.0, "duplicate", base))
    del rife  # free its memory before the upscalers load

    models = [("animevideov3", 2), ("animevideov3", 4)] + ([("x4plus", 4)] if args.x4plus else [])
    for model, scale in models:
        up = Upscaler(scale, model, device)
        clip = frames[:n_up]
        base, _ = measure(lambda s=scale, c=clip: bicubic(c, s, device), args.rounds)
        net, cpu = measure(lambda u=up, c=clip: len(u.upscale(c)), args.rounds)
        rows.append((f"{model} {scale}× ({W * scale}×{H * scale})", net, cpu, "bicubic", base))

    print(f"\n{'stage':34} {'frames/s':>10} {'CPU s/frame':>12} {'baseline':>10} {'base f/s':>10} {'× baseline':>11}")
    for label, fps, cpu, base_name, base in rows:
        cpu_text = f"{cpu:12.3f}" if cpu else f"{'':12}"
        print(f"{label:34} {fps:10.2f} {cpu_text} {base_name:>10} {base:10.1f} {base / fps:10.0f}×")


if __name__ == "__main__":
    main()
