"""Speed presets: draft/final options, step caches, distilled schedules, attention and compile fallbacks,
fp8 choice per card, TAEHV previews and their cadence. Tiny random pipelines through the engine's loaders."""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch
from pydantic import ValidationError

from models.registry import EngineContext, load_registry
from models.video.base import Shot
from models.video.presets import DiffusionPreset, validate_presets
from models.video.previews import PreviewCadence
from models.video.taehv import TinyVideoDecoder, decode_preview, load_decoder, space_stages
from models.vram_policy import DeviceInfo, fp8_weights
from tests import tiny_pipelines

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
tiny_models = tiny_pipelines.tiny_models  # the shared, session-scoped fixture


# -- fast units ---------------------------------------------------------------------------------------------
def test_draft_and_final_tables_override_the_top_level_keys():
    p = DiffusionPreset(
        family="wan", repo="/x", cache="first_block", cache_threshold=0.1,
        draft={"cache": "taylorseer", "compile": True}, final={"attention": "sage"},
    )  # fmt: skip
    draft, final = p.speed("draft"), p.speed("final")
    assert (draft.cache, draft.compile, draft.attention, draft.cache_threshold) == ("taylorseer", True, "sdpa", 0.1)
    assert (final.cache, final.compile, final.attention) == ("first_block", False, "sage")
    with pytest.raises(ValidationError, match="cahce"):
        DiffusionPreset(family="wan", repo="/x", draft={"cahce": "mag"})
    with pytest.raises(ValidationError):
        DiffusionPreset(family="wan", repo="/x", finish={"interpolate": 3})
    with pytest.raises(ValidationError, match="lora_file"):
        DiffusionPreset(family="wan", repo="/x", lora_repo="a/b")


def test_every_preset_in_settings_validates_with_its_speed_and_finish_options():
    presets = tomllib.loads((ROOT / "settings.toml").read_text())["video"]["presets"]
    parsed = validate_presets(presets)
    assert len(parsed) == sum(1 for p in presets.values() if p["kind"] == "diffusion")
    distilled = [p for p in parsed.values() if p.lora_file or p.timesteps]
    assert distilled, "settings.toml has no distilled preset"
    for p in distilled:  # distilled models run few steps without classifier-free guidance
        assert (p.steps or len(p.timesteps or [])) <= 8 and p.guidance == 1.0
    assert any(p.finish.interpolate > 1 for p in parsed.values())
    assert all(p.speed("draft").cache != "mag" or p.mag_ratios for p in parsed.values())


def test_fp8_weights_follow_the_card():
    ada = DeviceInfo(device="cuda", name="RTX 4090", capability=(8, 9))
    ampere = DeviceInfo(device="cuda", name="RTX 3090", capability=(8, 6))
    assert fp8_weights(ada, torchao=True) == "fp8_dynamic"
    assert fp8_weights(ada, torchao=False) == "fp8_layerwise"  # the units, but no kernels
    assert fp8_weights(ampere, torchao=True) == "fp8_layerwise"  # no FP8 tensor cores: storage only
    assert fp8_weights(DeviceInfo(), torchao=True) == "fp8_layerwise"


def test_preview_cadence_holds_when_cheap_and_thins_when_dear():
    now = [0.0]
    cheap = PreviewCadence(every=3, total=12, budget=0.05, clock=lambda: now[0])
    made = []
    for step in range(1, 13):
        now[0] += 1.0  # a step takes 1 s
        if cheap.due(step):
            made.append(step)
            now[0] += 0.01  # a preview 10 ms
            cheap.record(step, 0.01)
    assert made == [3, 6, 9, 12]
    now[0] = 0.0
    dear = PreviewCadence(every=2, total=40, budget=0.05, clock=lambda: now[0])
    made = []
    for step in range(1, 41):
        now[0] += 1.0
        if dear.due(step):
            made.append(step)
            now[0] += 0.5  # half a step per preview: only one preview every 10 steps fits 5 %
            dear.record(step, 0.5)
    assert made[0] == 2 and made[-1] == 40
    assert all(b - a >= 10 for a, b in zip(made[1:-2], made[2:-1], strict=True))
    assert dear.overhead < 0.05 * 2  # the first preview was made before its cost was known


def _random_taehv(path: Path, stride2: bool = True, channels: int = 16) -> dict[str, torch.Tensor]:
    """A TAEHV-layout weight file with random weights: the trained decoder (temporal ×4) plus encoder keys."""
    torch.manual_seed(0)
    trained = TinyVideoDecoder(channels, time_upscale=(False, True, True) if stride2 else (False, False, False))
    state = {k: v.contiguous() for k, v in trained.state_dict().items()}
    state["encoder.0.weight"] = torch.zeros(64, 3, 3, 3)  # a real file has the encoder too; it is ignored
    from safetensors.torch import save_file

    save_file(state, str(path))
    return state


def test_taehv_decoder_maps_latents_to_frames(tmp_path):
    state = _random_taehv(tmp_path / "taew.safetensors")
    # TAEHV's own layout, by key (its published files load into this network)
    for key in ("decoder.1.weight", "decoder.3.conv.0.weight", "decoder.7.conv.weight", "decoder.22.weight"):
        assert key in state
    full = TinyVideoDecoder(16, time_upscale=(False, True, True))
    full.load_weights(state)
    latents = torch.randn(1, 5, 16, 6, 8)
    with torch.inference_mode():
        frames = full(latents)
    assert frames.shape == (1, 4 * 5 - 3, 3, 48, 64)  # Wan's VAE: 4(T-1)+1 frames, 8× the size
    assert float(frames.min()) >= 0 and float(frames.max()) <= 1
    # the preview decoder: no temporal upsampling, as many ×2 stages as the preview's size asks for
    stages = space_stages((6, 8), 32)
    assert stages == (True, True, False)
    small = load_decoder(tmp_path / "taew.safetensors", 16, stages)
    image = decode_preview(small, latents)
    assert image.shape == (24, 32, 3) and image.dtype == np.uint8 and image.std() > 0
    with pytest.raises(ValueError, match="latent channels"):
        load_decoder(tmp_path / "taew.safetensors", 48, stages)


def test_download_fetches_the_lora_and_the_preview_decoder(tmp_path):
    from models import download

    presets = {
        "fast": {
            "kind": "diffusion", "family": "wan", "repo": "Wan-AI/Wan2.1-T2V-1.3B-Diffusers",
            "lora_repo": "Kijai/WanVideo_comfy", "lora_file": "Wan21_CausVid_bidirect2_T2V_1_3B_lora_rank32.safetensors",
            "preview_repo": "https://example.invalid/taew2_1.safetensors", "preview_file": "taew2_1.safetensors",
        }
    }  # fmt: skip
    repos, files = [], []

    def fetch(source, filename, folder):
        files.append((source, filename, folder))
        (folder / filename).write_bytes(b"x")

    assert (
        download.download_presets(presets, ["fast"], tmp_path, snapshot=lambda **kw: repos.append(kw), fetch=fetch) == 0
    )
    assert [r["repo_id"] for r in repos] == ["Wan-AI/Wan2.1-T2V-1.3B-Diffusers"]
    assert files[0][2] == tmp_path / "Kijai--WanVideo_comfy" and files[1][2] == tmp_path / "files"
    from models.video.speedups import lora_path

    assert lora_path(DiffusionPreset(**presets["fast"]), tmp_path).is_file()


# -- tiny pipelines -----------------------------------------------------------------------------------------
def make_engine(folder: Path, family: str, **extra):
    preset = {"name": f"tiny-{family}", "kind": "diffusion", "family": family, "repo": str(folder)}
    preset |= {"dtype": "float32", "device": "cpu", "steps": 8, "preview_every": 1} | extra
    return load_registry(plugins=False).build_video_engine(preset, EngineContext(folder.parent, None))


def _count_block_runs(engine) -> list[int]:
    """Times the last block's attention really ran: every forward without a cache. A block cache (first
    block, MagCache) skips whole blocks and TaylorSeer predicts the attention outputs, so neither reaches
    the attention's projections then (the transformer itself is still called at every step)."""
    engine.load()
    runs: list[int] = []
    engine._pipe.transformer.blocks[-1].attn1.to_q.register_forward_hook(lambda *a: runs.append(1))
    return runs


SHOT = Shot(prompt="a cat walking in rain", width=32, height=32, frames=9, fps=16, guidance=5.0, seed=4)


@pytest.mark.slow
def test_cache_options_change_the_number_of_forwards(tiny_models):
    folder = tiny_models("wan")
    base_engine = make_engine(folder, "wan")
    base_runs = _count_block_runs(base_engine)
    base = np.stack(list(base_engine.render(SHOT))).astype(int)
    assert len(base_runs) == 8 * 2  # eight steps, a conditional and an unconditional forward each
    cases = {
        # TaylorSeer over steps 0-7: warm-up steps 0 and 1, then steps 4 and 7 (every 3rd after step 1),
        # for cond and uncond each
        "taylorseer": ({"cache": "taylorseer", "final": {"cache_interval": 3}}, lambda n: n == 4 * 2),
        # MagCache with flat ratios: after the retained first 20 %, at most 2 skipped steps in a row
        "mag": ({"cache": "mag", "mag_ratios": [1.0] * 8, "final": {"cache_max_skip": 2, "cache_threshold": 0.5}},
                lambda n: 16 * 1 / 3 <= n < 16),
        "first_block": ({"cache": "first_block", "cache_threshold": 0.9}, lambda n: n < 16),
    }  # fmt: skip
    for kind, (extra, expected) in cases.items():
        engine = make_engine(folder, "wan", **extra)
        runs = _count_block_runs(engine)
        clip = np.stack(list(engine.render(SHOT))).astype(int)
        assert engine.speed.cache == kind and not engine.speed.dropped
        assert expected(len(runs)), (kind, len(runs))
        assert clip.shape == base.shape
        # a cached clip is the uncached one, approximately (random weights: a loose, mean-based tolerance)
        assert np.abs(clip - base).mean() < 40, (kind, np.abs(clip - base).mean())
    # the same engine renders a draft with its own cache, and a final without one
    engine = make_engine(folder, "wan", draft={"cache": "taylorseer"})
    runs = _count_block_runs(engine)
    list(engine.render(SHOT.model_copy(update={"quality": "draft"})))
    drafted = len(runs)
    list(engine.render(SHOT))
    assert drafted < 16 and len(runs) - drafted == 16 and engine.speed.cache == "none"


@pytest.mark.slow
def test_a_distilled_schedule_runs_its_step_count(tiny_models, tmp_path):
    """LTX-Video 0.9.7 distilled: LTXConditionPipeline with its own timesteps and no guidance."""
    from diffusers import DiffusionPipeline, LTXConditionPipeline

    tiny = DiffusionPipeline.from_pretrained(str(tiny_models("ltx")))
    folder = tmp_path / "ltx-distilled"
    LTXConditionPipeline(**{k: getattr(tiny, k) for k in ("scheduler", "vae", "text_encoder", "tokenizer", "transformer")}).save_pretrained(folder)  # fmt: skip
    engine = make_engine(folder, "ltx", guidance=1.0, steps=30, timesteps=[1000.0, 909.0, 725.0, 421.0])
    calls: list[int] = []
    engine.load()
    assert type(engine._pipe).__name__ == "LTXConditionPipeline"
    engine._pipe.transformer.register_forward_hook(lambda *a: calls.append(1))
    seen: list[tuple[int, int]] = []
    shot = Shot(prompt="a red car", width=32, height=32, frames=9, fps=24, seed=1)
    frames = list(engine.render(shot, progress=lambda d, t, p: seen.append((d, t))))
    assert len(frames) == 9 and len(calls) == 4  # four steps, one forward each (guidance 1: no CFG)
    assert seen[-1] == (4, 4) and engine.estimate_seconds(shot) > 0


@pytest.mark.slow
def test_a_missing_distill_lora_falls_back_to_the_base_model(tiny_models, caplog):
    engine = make_engine(tiny_models("wan"), "wan", steps=4, guidance=1.0, lora_repo="Kijai/WanVideo_comfy",
                         lora_file="missing.safetensors")  # fmt: skip
    runs = _count_block_runs(engine)
    assert "missing" in (engine.lora_problem or "") and "--download" in engine.lora_problem
    assert len(list(engine.render(SHOT.model_copy(update={"guidance": 1.0})))) == 9
    assert len(runs) == 4


@pytest.mark.slow
def test_attention_and_compile_fall_back_cleanly(tiny_models, monkeypatch, caplog):
    folder = tiny_models("wan")
    base = np.stack(list(make_engine(folder, "wan", steps=2).render(SHOT)))
    caplog.set_level(logging.WARNING)
    # sageattention is not installed here: the render runs on SDPA, and says so once
    engine = make_engine(folder, "wan", steps=2, attention_backend="sage")
    assert np.array_equal(np.stack(list(engine.render(SHOT))), base)
    assert engine.speed.attention == "sdpa" and "attention = 'sage'" in engine.speed.dropped
    assert "attention = 'sage' is not available" in caplog.text
    # a compiler that cannot start (no compiler on the machine) ...
    monkeypatch.setattr(torch.nn.Module, "compile", lambda self, *a, **k: (_ for _ in ()).throw(RuntimeError("no cc")))
    engine = make_engine(folder, "wan", steps=2, compile=True)
    assert np.array_equal(np.stack(list(engine.render(SHOT))), base)
    assert "compile = true" in engine.speed.dropped and not engine.speed.compiled
    # ... and one that fails at the first call, where torch.compile really compiles: undone, retried once
    from torch._dynamo.exc import InternalTorchDynamoError

    def broken_compile(self, *a, **k):
        def fail(*args, **kwargs):
            raise InternalTorchDynamoError("inductor lowering failed")

        self._compiled_call_impl = fail

    monkeypatch.setattr(torch.nn.Module, "compile", broken_compile)
    engine = make_engine(folder, "wan", steps=2, compile=True)
    seen: list[int] = []
    clip = np.stack(list(engine.render(SHOT, progress=lambda d, t, p: seen.append(d))))
    assert np.array_equal(clip, base) and "inductor lowering failed" in engine.speed.dropped["compile = true"]
    assert all(getattr(m, "_compiled_call_impl", None) is None for m in engine._pipe.transformer.modules())


@pytest.mark.slow
def test_taehv_previews_during_a_render(tiny_models, tmp_path):
    weights = tmp_path / "previews"
    weights.mkdir()
    _random_taehv(weights / "taew2_1.safetensors")
    engine = make_engine(tiny_models("wan"), "wan", steps=6, preview_every=2, preview_repo=str(weights),
                         preview_file="taew2_1.safetensors")  # fmt: skip
    seen: list[tuple[int, np.ndarray | None]] = []
    list(engine.render(SHOT, progress=lambda d, t, p: seen.append((d, p))))
    previews = {d: p for d, p in seen if p is not None}
    assert engine.previewer.used == "taehv"
    assert sorted(previews) in ([2, 4, 6], [2, 6], [2, 4, 6][:1] + [6])  # every 2 steps unless it costs > 5 %
    latent_hw = (SHOT.height // 8, SHOT.width // 8)
    side = max(latent_hw) * 2 ** sum(space_stages(latent_hw, 256))
    assert all(p.shape == (side, side, 3) and p.dtype == np.uint8 for p in previews.values())
    # without the weights the same preset previews through the latent projection
    engine = make_engine(tiny_models("wan"), "wan", steps=2, preview_repo=str(tmp_path / "none"),
                         preview_file="taew2_1.safetensors")  # fmt: skip
    seen.clear()
    list(engine.render(SHOT, progress=lambda d, t, p: seen.append((d, p))))
    assert engine.previewer.used == "latent" and seen[-1][1] is not None
