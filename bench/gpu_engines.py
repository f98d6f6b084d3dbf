"""Benchmark of the diffusion engines' denoiser step under each memory policy.

On an NVIDIA GPU: full-size random-weight Wan 2.1 1.3B (832×480, 81 frames) and LTX-Video 2B (768×512,
121 frames) transformers in bf16. For each memory policy (applied by models.vram.apply_policy, the code the
engine uses) it prints seconds per denoising step (two forwards: classifier-free guidance), achieved TFLOP/s
against a bf16 matmul peak measured in the same run, and peak VRAM; the first row is the plain diffusers
baseline (the model moved to the card with `.to("cuda")`, nothing else). On a CPU it runs tiny configs at a
tiny size and says so: those figures show the code path works, not how fast a GPU is.

    python bench/gpu_engines.py [--models wan,ltx] [--steps 3] [--policies resident,fp8_layerwise,...]
    python bench/gpu_engines.py --table   # per preset × card size: the policy and its estimated peak (no GPU)
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from models import vram  # noqa: E402

# Full-size configs (notes/video.md §3: diffusers' conversion scripts).
WAN_1_3B = dict(patch_size=(1, 2, 2), num_attention_heads=12, attention_head_dim=128, in_channels=16, out_channels=16,
                text_dim=4096, freq_dim=256, ffn_dim=8960, num_layers=30, cross_attn_norm=True,
                qk_norm="rms_norm_across_heads", eps=1e-6)  # fmt: skip
LTX_2B = dict(in_channels=128, out_channels=128, patch_size=1, patch_size_t=1, num_attention_heads=32,
              attention_head_dim=64, cross_attention_dim=2048, num_layers=28, caption_channels=4096,
              qk_norm="rms_norm_across_heads")  # fmt: skip
# CPU: the same architectures, shrunk.
WAN_TINY = dict(WAN_1_3B, num_attention_heads=2, attention_head_dim=32, ffn_dim=128, num_layers=2, text_dim=64)
LTX_TINY = dict(LTX_2B, in_channels=16, out_channels=16, num_attention_heads=2, attention_head_dim=32,
                cross_attention_dim=64, num_layers=2, caption_channels=64)  # fmt: skip

POLICIES = ["baseline", "resident", "fp8_layerwise", "model_offload", "group_offload", "sequential_offload"]


def build(kind: str, full: bool, device: str, dtype: torch.dtype):
    from diffusers import LTXVideoTransformer3DModel, WanTransformer3DModel

    cls, cfg = (WanTransformer3DModel, WAN_1_3B if full else WAN_TINY) if kind == "wan" else (
        LTXVideoTransformer3DModel, LTX_2B if full else LTX_TINY)  # fmt: skip
    with torch.device(device):
        model = cls(**cfg)
    return cast_keeping_fp32(model, dtype).eval(), cfg


def inputs(kind: str, cfg: dict, size: tuple[int, int, int], device: str, dtype: torch.dtype):
    """Latent inputs for one forward at (width, height, frames); text lengths as the pipelines use them."""
    w, h, f = size
    text_dim = cfg.get("text_dim") or cfg["caption_channels"]
    if kind == "wan":
        lf, lh, lw = (f - 1) // 4 + 1, h // 8, w // 8
        return dict(
            hidden_states=torch.randn(1, cfg["in_channels"], lf, lh, lw, device=device, dtype=dtype),
            timestep=torch.full((1,), 500, device=device, dtype=torch.long),
            encoder_hidden_states=torch.randn(1, 512, text_dim, device=device, dtype=dtype),
            return_dict=False,
        )
    lf, lh, lw = (f - 1) // 8 + 1, h // 32, w // 32
    return dict(
        hidden_states=torch.randn(1, lf * lh * lw, cfg["in_channels"], device=device, dtype=dtype),
        encoder_hidden_states=torch.randn(1, 128, text_dim, device=device, dtype=dtype),
        timestep=torch.full((1,), 500, device=device, dtype=torch.long),
        encoder_attention_mask=torch.ones(1, 128, device=device, dtype=torch.long),
        num_frames=lf,
        height=lh,
        width=lw,
        return_dict=False,
    )


def count_flops(kind: str, full: bool, size, dtype) -> float:
    """FLOPs of one forward, counted on the meta device (no memory, no time)."""
    model, cfg = build(kind, full, "meta", dtype)
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(**inputs(kind, cfg, size, "meta", dtype))
    return float(counter.get_total_flops())


def one_model_pipeline(kind: str, transformer):
    """The real pipeline class holding only the transformer, so vram.apply_policy places it as in the engine."""
    from diffusers import LTXPipeline, WanPipeline

    if kind == "wan":
        return WanPipeline(tokenizer=None, text_encoder=None, vae=None, scheduler=None, transformer=transformer)
    return LTXPipeline(scheduler=None, vae=None, text_encoder=None, tokenizer=None, transformer=transformer)


def cast_keeping_fp32(model, dtype):
    """Cast to dtype but keep the layers the model wants in FP32 (what from_pretrained(dtype=) does)."""
    if dtype == torch.float32:
        return model
    keep = set(getattr(model, "_keep_in_fp32_modules", None) or [])
    for name, param in model.named_parameters():
        if not keep.intersection(name.split(".")):
            param.data = param.data.to(dtype)
    return model


def run_policy(kind, full, size, device, dtype, policy_name, steps, offload_dir):
    """Seconds per CFG step and peak VRAM of one policy; the model is built fresh and freed after."""
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    base_alloc = vram.allocated_bytes()
    model, cfg = build(kind, full, "cpu", dtype)
    if policy_name == "baseline":
        model.to(device)  # plain diffusers: the model on the card, nothing else
        run_device = device
    else:
        placement = "resident" if policy_name == "fp8_layerwise" else policy_name
        weights = "fp8_layerwise" if policy_name == "fp8_layerwise" else "native"
        policy = vram.MemoryPolicy(device=device, placement=placement, weights=weights, vae_slicing=False)
        vram.apply_policy(one_model_pipeline(kind, model), policy, offload_dir=offload_dir)
        run_device = device
    kw = inputs(kind, cfg, size, run_device, dtype)
    with torch.no_grad():
        model(**kw)  # warm-up (kernels, offload hooks)
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(steps):
            for _ in range(2):  # classifier-free guidance: a conditional and an unconditional forward
                model(**kw)
        if device == "cuda":
            torch.cuda.synchronize()
    sec = (time.perf_counter() - start) / steps
    peak = (torch.cuda.max_memory_allocated() - base_alloc) if device == "cuda" else 0
    del model, kw
    vram.release_memory()
    after = vram.allocated_bytes() - base_alloc
    return sec, peak, after


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="wan,ltx")
    ap.add_argument("--policies", default=",".join(POLICIES))
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--table", action="store_true", help="print the preset × card table of docs/performance.md")
    args = ap.parse_args(argv)
    if args.table:
        import tomllib

        from models.video.card_table import markdown_table

        settings = tomllib.loads((Path(__file__).resolve().parent.parent / "settings.toml").read_text())
        print(markdown_table(settings["video"]["presets"]))
        return 0
    info = vram.probe_device()
    gpu = info.device == "cuda"
    device, dtype = ("cuda", torch.bfloat16) if gpu else ("cpu", torch.float32)
    print(f"device: {info.name} ({info.total_gib:.0f} GiB)" if gpu else "device: CPU (no CUDA GPU)")
    if not gpu:
        print("CPU MODE: tiny configs (2 layers, narrow) at tiny sizes; figures show the code path, not GPU speed.")
    torch.manual_seed(0)
    peak_tflops = vram.measure_matmul_tflops(device, n=8192 if gpu else 768, repeats=20 if gpu else 5)
    print(f"matmul peak measured now: {peak_tflops:.2f} TFLOP/s ({'bf16' if gpu else 'fp32'} dense)")
    sizes = {"wan": (832, 480, 81), "ltx": (768, 512, 121)} if gpu else {"wan": (64, 64, 9), "ltx": (128, 128, 17)}
    unit, scale = ("TFLOP", 1e12) if gpu else ("GFLOP", 1e9)
    offload_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "storyreel_bench_offload"
    for kind in args.models.split(","):
        size = sizes[kind]
        flops = 2 * count_flops(kind, gpu, size, dtype)  # per CFG step
        label = {"wan": "Wan 2.1 1.3B", "ltx": "LTX-Video 2B"}[kind] + ("" if gpu else " (tiny config)")
        print(f"\n{label} at {size[0]}x{size[1]}x{size[2]}: {flops / 1e9:,.3f} GFLOP per step (2 forwards)")
        print(
            f"{'policy':<20}{'s/step':>10}{unit + '/s':>10}{'% peak':>8}{'vs base':>9}{'peak VRAM GiB':>15}{'left GiB':>10}"
        )
        base = None
        for name in args.policies.split(","):
            try:
                sec, peak, left = run_policy(kind, gpu, size, device, dtype, name, args.steps, offload_dir)
            except Exception as exc:  # one failing policy must not hide the others
                print(f"{name:<20}  failed: {type(exc).__name__}: {str(exc).splitlines()[0][:90]}")
                vram.release_memory()
                continue
            base = base or sec
            tf = flops / sec / scale
            peak_s = f"{peak / 2**30:.2f}" if gpu else "n/a"
            left_s = f"{left / 2**30:.2f}" if gpu else "n/a"
            print(
                f"{name:<20}{sec:>10.3f}{tf:>10.3f}{tf * scale / 1e12 / peak_tflops * 100:>7.1f}%{base / sec:>8.2f}x{peak_s:>15}{left_s:>10}"
            )
        gc.collect()
    print("\n'vs base' = baseline s/step ÷ this policy's s/step (>1 is faster); 'left' = VRAM still held after the")
    print("model is freed (should be 0: the engine returns VRAM to its baseline after each job).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
