"""Benchmark of the diffusion engines' denoiser, at the real models' size on a GPU, on tiny configs on a CPU.

    python bench/gpu_engines.py [--size real|tiny] [--models wan,ltx,cogvideox] [--steps 8]
                                [--policies baseline,resident,...] [--options stock,first_block,...]
    python bench/gpu_engines.py --table   # per preset × card size: the policy and its estimated peak (no GPU)

`--size real` (the default on a GPU) builds each family's transformer at its published configuration with
random weights, so nothing is downloaded: Wan 2.1 T2V 1.3B (1.42 B parameters) at 832×480×81, LTX-Video 2B
at 768×512×121, CogVideoX 2B at 720×480×49, in bf16. Random weights measure speed and memory honestly,
never quality. On a CPU it runs the same architectures shrunk (`--size tiny`, the default there) at tiny
sizes and says so: those figures show the code paths work, not how fast a GPU is.

For each model it prints, measured in this run:
1. per memory policy (models.vram.apply_policy, the engine's own code): seconds per denoising step with
   classifier-free guidance, model FLOP utilisation against a bf16 matmul measured now, peak VRAM, and the
   VRAM still held after the model is freed (against what was held before it was built);
2. per speed option, on a resident model through a real denoising loop (flow-matching Euler steps, guidance,
   diffusers' cache contexts as the pipelines use them): stock diffusers (SDPA, no cache), each step cache,
   each attention backend this machine has, regional compile; seconds per step, the speed-up over stock and
   the share of full forwards. MagCache and TaylorSeer decide from the step index and the model's ratios, so
   their skips are those of real weights; First-Block Cache decides from the model's own outputs, so its
   skip rate on random weights says nothing about real ones;
3. the live preview: one TAEHV decode (random weights, the real decoder's size) of this model's latents,
   against a step, and the cadence that keeps previews within 5 % of the step time.

About 420 lines: one script the device check runs in one go; its parts share the models and inputs.
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

# Real configs (notes/video.md §3: diffusers' conversion scripts; CogVideoX 2B is the class default).
WAN_1_3B = dict(patch_size=(1, 2, 2), num_attention_heads=12, attention_head_dim=128, in_channels=16, out_channels=16,
                text_dim=4096, freq_dim=256, ffn_dim=8960, num_layers=30, cross_attn_norm=True,
                qk_norm="rms_norm_across_heads", eps=1e-6)  # fmt: skip
LTX_2B = dict(in_channels=128, out_channels=128, patch_size=1, patch_size_t=1, num_attention_heads=32,
              attention_head_dim=64, cross_attention_dim=2048, num_layers=28, caption_channels=4096,
              qk_norm="rms_norm_across_heads")  # fmt: skip
COGVIDEOX_2B: dict = {}
# CPU: the same architectures, shrunk.
WAN_TINY = dict(WAN_1_3B, num_attention_heads=2, attention_head_dim=32, ffn_dim=128, num_layers=2, text_dim=64)
LTX_TINY = dict(LTX_2B, in_channels=16, out_channels=16, num_attention_heads=2, attention_head_dim=32,
                cross_attention_dim=64, num_layers=2, caption_channels=64)  # fmt: skip
COGVIDEOX_TINY = dict(num_attention_heads=2, attention_head_dim=32, num_layers=2, text_embed_dim=64, time_embed_dim=32,
                      sample_width=8, sample_height=8, sample_frames=9, max_text_seq_length=16)  # fmt: skip
CONFIGS = {"wan": (WAN_1_3B, WAN_TINY), "ltx": (LTX_2B, LTX_TINY), "cogvideox": (COGVIDEOX_2B, COGVIDEOX_TINY)}
SIZES = {  # (width, height, frames): real, tiny
    "wan": ((832, 480, 81), (64, 64, 9)),
    "ltx": ((768, 512, 121), (128, 128, 17)),
    "cogvideox": ((720, 480, 49), (64, 64, 9)),
}
LABELS = {"wan": "Wan 2.1 T2V 1.3B", "ltx": "LTX-Video 2B", "cogvideox": "CogVideoX 2B"}
POLICIES = ["baseline", "resident", "fp8_layerwise", "model_offload", "group_offload", "sequential_offload"]
OPTIONS = ["stock", "first_block", "mag", "taylorseer", "sage", "flash", "flash3", "xformers", "flex", "compile"]
# Wan 2.1 1.3B's MagCache ratios (settings.toml); used for every model here: the bench measures what a skip
# saves, and MagCache's skips follow the ratios, not the weights.
MAG_RATIOS = [1.0, 1.0124, 1.00166, 0.99791, 0.99682, 0.99634, 0.99567, 0.99416, 0.99578, 0.9957, 0.99511, 0.99535,
              0.99552, 0.99541, 0.9954, 0.99489, 0.99518, 0.99484, 0.99481, 0.99415, 0.99419, 0.99396, 0.99388,
              0.99349, 0.99309, 0.9927, 0.99228, 0.99171, 0.99137, 0.99068, 0.99005, 0.98944, 0.98849, 0.98758,
              0.98644, 0.98504, 0.9836, 0.98202, 0.97977, 0.97717, 0.9741, 0.97003, 0.96538, 0.9593, 0.95086, 0.94013,
              0.92402, 0.90241, 0.86821, 0.81838]  # fmt: skip


def build(kind: str, real: bool, device: str, dtype: torch.dtype):
    from diffusers import CogVideoXTransformer3DModel, LTXVideoTransformer3DModel, WanTransformer3DModel

    cls = {"wan": WanTransformer3DModel, "ltx": LTXVideoTransformer3DModel, "cogvideox": CogVideoXTransformer3DModel}
    cfg = CONFIGS[kind][0 if real else 1]
    with torch.device(device):
        model = cls[kind](**cfg)
    return cast_keeping_fp32(model, dtype).eval(), cfg


def inputs(kind: str, cfg: dict, size: tuple[int, int, int], device: str, dtype: torch.dtype, batch: int = 1):
    """Latent inputs for one forward at (width, height, frames); text lengths as the pipelines use them."""
    w, h, f = size
    t = torch.full((batch,), 500, device=device, dtype=torch.long)
    if kind == "wan":
        lf, lh, lw = (f - 1) // 4 + 1, h // 8, w // 8
        return dict(
            hidden_states=torch.randn(batch, cfg["in_channels"], lf, lh, lw, device=device, dtype=dtype),
            timestep=t,
            encoder_hidden_states=torch.randn(batch, 512, cfg["text_dim"], device=device, dtype=dtype),
            return_dict=False,
        )
    if kind == "cogvideox":
        lf, lh, lw = (f - 1) // 4 + 1, h // 8, w // 8
        return dict(
            hidden_states=torch.randn(batch, lf, cfg.get("in_channels", 16), lh, lw, device=device, dtype=dtype),
            encoder_hidden_states=torch.randn(
                batch, cfg.get("max_text_seq_length", 226), cfg.get("text_embed_dim", 4096), device=device, dtype=dtype
            ),
            timestep=t,
            return_dict=False,
        )
    lf, lh, lw = (f - 1) // 8 + 1, h // 32, w // 32
    return dict(
        hidden_states=torch.randn(batch, lf * lh * lw, cfg["in_channels"], device=device, dtype=dtype),
        encoder_hidden_states=torch.randn(batch, 128, cfg["caption_channels"], device=device, dtype=dtype),
        timestep=t,
        encoder_attention_mask=torch.ones(batch, 128, device=device, dtype=torch.long),
        num_frames=lf,
        height=lh,
        width=lw,
        return_dict=False,
    )


def count_flops(kind: str, real: bool, size, dtype) -> float:
    """FLOPs of one forward of one guidance branch, counted on the meta device (no memory, no time)."""
    model, cfg = build(kind, real, "meta", dtype)
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(**inputs(kind, cfg, size, "meta", dtype))
    return float(counter.get_total_flops())


def one_model_pipeline(kind: str, transformer):
    """The real pipeline class holding only the transformer, so vram.apply_policy places it as in the engine."""
    from diffusers import CogVideoXPipeline, LTXPipeline, WanPipeline

    if kind == "wan":
        return WanPipeline(tokenizer=None, text_encoder=None, vae=None, scheduler=None, transformer=transformer)
    if kind == "cogvideox":
        return CogVideoXPipeline(tokenizer=None, text_encoder=None, vae=None, scheduler=None, transformer=transformer)
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


def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


# -- 1. memory policies ----------------------------------------------------------------------------------
def run_policy(kind, real, size, device, dtype, policy_name, steps, offload_dir):
    """Seconds per CFG step, peak VRAM and VRAM left after freeing, for one policy; the model is built fresh."""
    vram.release_memory()
    before = vram.allocated_bytes()
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    model, cfg = build(kind, real, "cpu", dtype)
    if policy_name == "baseline":
        model.to(device)  # plain diffusers: the model on the card, nothing else
    else:
        placement = "resident" if policy_name == "fp8_layerwise" else policy_name
        weights = "fp8_layerwise" if policy_name == "fp8_layerwise" else "native"
        policy = vram.MemoryPolicy(device=device, placement=placement, weights=weights, vae_slicing=False)
        vram.apply_policy(one_model_pipeline(kind, model), policy, offload_dir=offload_dir)
    kw = inputs(kind, cfg, size, device, dtype)
    with torch.no_grad():
        model(**kw)  # warm-up (kernels, offload hooks)
        sync(device)
        start = time.perf_counter()
        for _ in range(steps):
            for _ in range(2):  # classifier-free guidance: a conditional and an unconditional forward
                model(**kw)
        sync(device)
    sec = (time.perf_counter() - start) / steps
    peak = (torch.cuda.max_memory_allocated() - before) if device == "cuda" else 0
    del model, kw
    vram.release_memory()
    return sec, peak, vram.allocated_bytes() - before


# -- 2. speed options through a denoising loop ------------------------------------------------------------
def denoise(model, kind, kw, steps, guidance=5.0) -> float:
    """`steps` flow-matching Euler steps with guidance, in the pipelines' cache contexts; seconds per step.
    Wan runs the two branches as two forwards ("cond", "uncond"), LTX and CogVideoX as one batch of two."""
    x = kw["hidden_states"][:1].clone()
    device = x.device.type
    sigmas = torch.linspace(1.0, 0.0, steps + 1)
    batched = kind != "wan"
    sync(device)
    start = time.perf_counter()
    for i in range(steps):
        t = torch.full((2 if batched else 1,), float(sigmas[i] * 1000), device=x.device)
        if batched:
            with model.cache_context("cond_uncond"):
                both = model(**{**kw, "hidden_states": torch.cat([x, x]), "timestep": t})[0]
            cond, uncond = both.float().chunk(2)
        else:
            with model.cache_context("cond"):
                cond = model(**{**kw, "hidden_states": x, "timestep": t})[0].float()
            with model.cache_context("uncond"):
                uncond = model(**{**kw, "hidden_states": x, "timestep": t})[0].float()
        v = uncond + guidance * (cond - uncond)
        x = (x.float() + (sigmas[i + 1] - sigmas[i]) * v).to(x.dtype)
    sync(device)
    return (time.perf_counter() - start) / steps


def apply_option(model, name: str, steps: int) -> str | None:
    """Put one speed option on the model, the engine's way (models.video.speedups); None, or why it can't."""
    from models.video.presets import DiffusionPreset, SpeedOptions
    from models.video.speedups import ATTENTION_BACKENDS, cache_config, set_model_attention

    try:
        if name in ("first_block", "mag", "taylorseer"):
            preset = DiffusionPreset(family="wan", repo="/bench", mag_ratios=MAG_RATIOS)
            threshold = {"first_block": 0.05, "mag": 0.12}.get(name)
            model.enable_cache(cache_config(SpeedOptions(cache=name, cache_threshold=threshold), preset, steps))
        elif name in ATTENTION_BACKENDS:
            set_model_attention(model, ATTENTION_BACKENDS[name])
        elif name == "compile":
            model.compile_repeated_blocks() if getattr(model, "_repeated_blocks", None) else model.compile()
        return None
    except Exception as exc:  # noqa: BLE001 - a missing package or an unsupported model: one line
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"


def full_forward_counter(model) -> list[int]:
    """Counts forwards where the last block's attention really ran (a cache skips or predicts it)."""
    blocks = getattr(model, "blocks", None) or model.transformer_blocks
    runs: list[int] = []
    blocks[-1].attn1.to_q.register_forward_hook(lambda *a: runs.append(1))
    return runs


def run_options(kind, real, size, device, dtype, names, steps):
    """One resident model; each option applied, measured over the loop, then removed (a fresh model for compile)."""
    model, cfg = build(kind, real, "cpu", dtype)
    model.to(device)
    kw = inputs(kind, cfg, size, device, dtype, batch=1 if kind == "wan" else 2)  # LTX, CogVideoX: CFG batched
    runs = full_forward_counter(model)
    results = []
    with torch.no_grad():
        denoise(model, kind, kw, 2)  # warm-up
        for name in names:
            why = apply_option(model, name, steps)
            if why:
                results.append((name, None, None, why))
                continue
            runs.clear()
            try:
                if name == "compile":
                    start = time.perf_counter()
                    denoise(model, kind, kw, 2)  # the first calls compile
                    why = f"compiled in {time.perf_counter() - start:.1f} s"
                    runs.clear()
                sec = denoise(model, kind, kw, steps)
                per_step = 1 if kind != "wan" else 2
                results.append((name, sec, len(runs) / (steps * per_step), why))
            except Exception as exc:  # noqa: BLE001 - e.g. a kernel that rejects this card
                results.append((name, None, None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"))
            finally:
                if getattr(model, "is_cache_enabled", False):
                    model.disable_cache()
                if hasattr(model, "reset_attention_backend"):
                    model.reset_attention_backend()
                if name == "compile":
                    from models.video.speedups import uncompile

                    uncompile([model])
    del model, kw
    vram.release_memory()
    return results


# -- 3. previews -----------------------------------------------------------------------------------------
def preview_cost(kind, size, device, dtype) -> tuple[str, float]:
    """Seconds for one live preview of this model's latents at `size` (TAEHV, or the latent projection)."""
    from models.video.frames import latent_preview
    from models.video.previews import PREVIEW_SIDE
    from models.video.taehv import TinyVideoDecoder, decode_preview, space_stages

    w, h, f = size
    if kind == "ltx":  # no TAEHV decoder for LTX-Video 0.9.x
        lat = torch.randn(1, ((f - 1) // 8 + 1) * (h // 32) * (w // 32), 128, device=device)
        fn, what = lambda: latent_preview(lat, "packed", ((f - 1) // 8 + 1, h // 32, w // 32)), "latent projection"
    else:
        lat = torch.randn(1, (f - 1) // 4 + 1, 16, h // 8, w // 8, device=device)
        dec = TinyVideoDecoder(16, space_upscale=space_stages((h // 8, w // 8), PREVIEW_SIDE))
        dec = dec.to(device=device, dtype=torch.float16 if device == "cuda" else torch.float32).eval()
        fn, what = lambda: decode_preview(dec, lat), "TAEHV decoder"
    fn()
    sync(device)
    start = time.perf_counter()
    for _ in range(3):
        fn()
    sync(device)
    return what, (time.perf_counter() - start) / 3


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=["real", "tiny"], default=None, help="real on a GPU, tiny on a CPU")
    ap.add_argument("--models", default="wan,ltx,cogvideox")
    ap.add_argument("--policies", default=",".join(POLICIES))
    ap.add_argument("--options", default=",".join(OPTIONS))
    ap.add_argument("--steps", type=int, default=None, help="denoising steps per measurement")
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
    real = (args.size or ("real" if gpu else "tiny")) == "real"
    if real and not gpu:
        print("--size real needs a CUDA GPU (1.4-2 B parameters per step at full size); running --size tiny")
        real = False
    device, dtype = ("cuda", torch.bfloat16) if gpu else ("cpu", torch.float32)
    print(f"device: {info.name} ({info.total_gib:.0f} GiB, capability {info.capability})" if gpu else "device: CPU")
    print(f"torch {torch.__version__}; size: {'REAL configurations, random weights' if real else 'TINY configs'}")
    if not real:
        print("TINY MODE: 2 layers, narrow, at tiny sizes; figures show the code paths work, not GPU speed.")
    torch.manual_seed(0)
    peak_tflops = vram.measure_matmul_tflops(device, n=8192 if gpu else 768, repeats=20 if gpu else 5)
    print(f"matmul peak measured now: {peak_tflops:.2f} TFLOP/s ({'bf16' if gpu else 'fp32'} dense)")
    unit, scale = ("TFLOP", 1e12) if real else ("GFLOP", 1e9)
    offload_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "storyreel_bench_offload"
    policy_steps = args.steps or (3 if real else 2)
    option_steps = args.steps or (10 if real else 8)
    options = args.options.split(",")
    if not gpu and args.options == ",".join(OPTIONS):
        options.remove("compile")
        print("compile is left out on a CPU (inductor takes about 40 s per model here); --options compile runs it")
    for kind in args.models.split(","):
        size = SIZES[kind][0 if real else 1]
        model_params = sum(p.numel() for p in build(kind, real, "meta", dtype)[0].parameters())
        flops = 2 * count_flops(kind, real, size, dtype)  # per CFG step
        count = f"{model_params / 1e9:.3f} B" if real else f"{model_params / 1e6:.2f} M"
        print(f"\n## {LABELS[kind]}{'' if real else ' (tiny config)'}: {count} parameters, "
              f"{size[0]}x{size[1]}x{size[2]}, {flops / scale:,.2f} {unit} per step (2 branches)")  # fmt: skip
        print(f"{'policy':<20}{'s/step':>9}{unit + '/s':>9}{'MFU':>7}{'vs base':>9}{'peak GiB':>10}{'left GiB':>10}")
        base = None
        for name in args.policies.split(","):
            try:
                sec, peak, left = run_policy(kind, real, size, device, dtype, name, policy_steps, offload_dir)
            except Exception as exc:  # noqa: BLE001 - one failing policy must not hide the others
                print(f"{name:<20}  failed: {type(exc).__name__}: {str(exc).splitlines()[0][:90]}")
                vram.release_memory()
                continue
            base = base or sec
            tf = flops / sec / scale
            mfu = flops / sec / 1e12 / peak_tflops * 100
            mem = (f"{peak / 2**30:>10.2f}{left / 2**30:>10.2f}") if gpu else f"{'n/a':>10}{'n/a':>10}"
            print(f"{name:<20}{sec:>9.3f}{tf:>9.2f}{mfu:>6.1f}%{base / sec:>8.2f}x{mem}")
        print(f"\n{'option':<14}{'s/step':>9}{'vs stock':>10}{'full fwd':>10}  note ({option_steps} steps, CFG)")
        stock = None
        for name, sec, full, note in run_options(kind, real, size, device, dtype, options, option_steps):
            if sec is None:
                print(f"{name:<14}{'-':>9}{'-':>10}{'-':>10}  not available: {note}")
                continue
            stock = stock or sec
            print(f"{name:<14}{sec:>9.3f}{stock / sec:>9.2f}x{full * 100:>9.0f}%  {note or ''}")
        what, cost = preview_cost(kind, size, device, dtype)
        step = stock or base or 1.0
        gap = max(5, -(-cost // (0.05 * step)))
        print(f"preview ({what}): {cost * 1000:.1f} ms = {cost / step * 100:.1f} % of a step; within the 5 % "
              f"budget the engine previews every {int(gap)} steps (preset asks for 5)")  # fmt: skip
        gc.collect()
    print("\n'vs base' = plain diffusers (.to(device)) s/step ÷ this policy's; 'left' = VRAM held after the model is")
    print("freed, against before it was built (0 means the engine gives the card back). 'full fwd' = share of")
    print("forwards whose blocks really ran; First-Block Cache's share on random weights says nothing of real ones.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
