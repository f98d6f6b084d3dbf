"""The engines' GPU path, end to end, on whatever CUDA card runs it (bench/device_check.sh runs it on a lent one).

    python bench/device_engines.py [--families wan,ltx,cogvideox,svd] [--out DIR]

For each family's tiny random pipeline (tests/tiny_pipelines.py, loaded through the engine's own
from_pretrained path) in bf16 on the card: a render under every placement (resident, FP8 layerwise, model,
group and sequential offload), with the clip's shape and VRAM after unload against before load; a render
with each step cache and with the TAEHV preview; a cancel at step 2; then each emulated card size
(8/12/16/24 GB, `torch.cuda.set_per_process_memory_fraction`) under the policy the engine chooses for it.
One line per case, "ok" or the error; a JSON summary under --out. Prints and exits 1 when there is no GPU.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from models import vram  # noqa: E402
from models.registry import EngineContext, load_registry  # noqa: E402
from models.video.base import Cancelled, Shot  # noqa: E402

CASES = {  # family: (tiny folder, preset extras, keyframe model)
    "wan": ("wan", {}, None),
    "ltx": ("ltx", {}, None),
    "cogvideox": ("cogvideox", {"render_size": (16, 16), "max_frames": 9}, None),
    "svd": ("svd", {"render_size": (32, 32), "max_frames": 4}, "sd"),
}
PLACEMENTS = ["resident", "fp8_layerwise", "model_offload", "group_offload", "sequential_offload"]
CACHES = ["first_block", "taylorseer", "mag"]
CARDS_GB = [8, 12, 16, 24]


def engine_for(root: Path, family: str, **extra):
    from tests.tiny_pipelines import save_tiny

    folder, base, keyframe = CASES[family]
    path = root / folder
    if not path.exists():
        save_tiny(folder, root)
    preset = {"name": f"tiny-{family}", "kind": "diffusion", "family": family, "repo": str(path), "dtype": "bfloat16",
              "steps": 3, "preview_every": 1, **base, **extra}  # fmt: skip
    if keyframe:
        if not (root / keyframe).exists():
            save_tiny(keyframe, root)
        preset |= {"keyframe_repo": str(root / keyframe), "keyframe_dtype": "bfloat16", "keyframe_steps": 2}
    return load_registry(plugins=False).build_video_engine(preset, EngineContext(root, root / "frames"))


def render(engine, shot: Shot) -> dict:
    vram.release_memory()
    before = vram.allocated_bytes()
    torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    previews: list = []
    frames = list(engine.render(shot, progress=lambda d, t, p: previews.append(p is not None)))
    seconds = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() - before
    engine.unload()
    left = vram.allocated_bytes() - before
    ok = len(frames) == shot.frames and frames[0].shape == (shot.height, shot.width, 3)
    return dict(ok=ok and left <= 1 << 20, seconds=round(seconds, 2), peak_mib=peak >> 20, left_mib=left >> 20,
                previews=sum(previews), policy=engine.policy.reason if engine.policy else "")  # fmt: skip


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default=",".join(CASES))
    ap.add_argument("--out", default=".")
    args = ap.parse_args(argv)
    if not torch.cuda.is_available():
        print("no CUDA GPU: nothing to check (the CPU paths are the test suite's)")
        return 1
    print(f"device: {torch.cuda.get_device_name(0)}, capability {torch.cuda.get_device_capability(0)}")
    shot = Shot(prompt="a red car in the city at night", negative_prompt="blurry", width=40, height=24, frames=10,
                fps=8, seed=3, guidance=4.0)  # fmt: skip
    results: dict[str, dict] = {}

    def case(name: str, fn, *args, **kwargs) -> None:
        try:
            results[name] = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - one failing case must not hide the others
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
        vram.release_memory()
        print(f"{name:<44} {'ok ' if results[name].get('ok') else 'FAIL'} {results[name]}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for family in args.families.split(","):
            for placement in PLACEMENTS:
                extra = {"weights": "fp8_layerwise"} if placement == "fp8_layerwise" else {"placement": placement}
                case(f"{family} {placement}", lambda **kw: render(engine_for(root, **kw), shot), family=family, **extra)
            if family in ("wan", "ltx", "cogvideox"):
                for cache in CACHES:
                    extra = {"cache": cache, "mag_ratios": [1.0] * 3} if cache == "mag" else {"cache": cache}
                    case(
                        f"{family} cache {cache}",
                        lambda **kw: render(engine_for(root, **kw), shot),
                        family=family,
                        **extra,
                    )
                for attention in ("sage", "flash", "flex"):
                    case(f"{family} attention {attention}", lambda **kw: render(engine_for(root, **kw), shot), family=family, attention_backend=attention)  # fmt: skip
            case(
                f"{family} cancel at step 2", lambda **kw: cancel(engine_for(root, **kw), shot), family=family, steps=6
            )
            for gb in CARDS_GB:
                case(f"{family} emulated {gb} GB card", emulated, root, family, gb, shot)
        case("wan taehv preview", taehv_preview, root, shot)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "device_engines.json").write_text(json.dumps(results, indent=1))
    failed = [k for k, v in results.items() if not v.get("ok")]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def cancel(engine, shot: Shot) -> dict:
    stop = threading.Event()
    seen: list[int] = []

    def progress(done, total, preview):
        seen.append(done)
        if done == 2:
            stop.set()

    before = vram.allocated_bytes()
    try:
        list(engine.render(shot, progress=progress, cancel=stop))
    except Cancelled:
        pass
    engine.unload()
    left = vram.allocated_bytes() - before
    return dict(ok=max(seen) == 2 and left <= 1 << 20, steps_seen=max(seen), left_mib=left >> 20)


def emulated(root: Path, family: str, gb: int, shot: Shot) -> dict:
    """The card limited to `gb` GB: the policy the engine picks for that size, and a render under it."""
    total = torch.cuda.get_device_properties(0).total_memory
    torch.cuda.set_per_process_memory_fraction(min(1.0, gb * 2**30 / total))
    try:
        info = vram.probe_device().model_copy(update={"total_bytes": gb * 2**30, "free_bytes": gb * 2**30 - 2**29})
        engine = engine_for(root, family)
        engine._fixed_device = info
        return render(engine, shot)
    finally:
        torch.cuda.set_per_process_memory_fraction(1.0)


def taehv_preview(root: Path, shot: Shot) -> dict:
    """A Wan render previewing through TAEHV (random weights in TAEHV's layout) on the card."""
    from safetensors.torch import save_file

    from models.video.taehv import TinyVideoDecoder

    folder = root / "previews"
    folder.mkdir(exist_ok=True)
    state = TinyVideoDecoder(16, time_upscale=(False, True, True)).state_dict()
    save_file({k: v.contiguous() for k, v in state.items()}, str(folder / "taew2_1.safetensors"))
    engine = engine_for(root, "wan", preview_repo=str(folder), preview_file="taew2_1.safetensors")
    result = render(engine, shot)
    return result | {"ok": result["ok"] and engine.previewer.used == "taehv", "used": engine.previewer.used}


if __name__ == "__main__":
    raise SystemExit(main())
