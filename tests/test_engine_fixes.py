"""Fast checks for issue 11's failures that need no pipeline run: VAE capabilities, the policy's encoder
placement and per-card peaks, downloads (patterns, variants, gated repos), sizes on disk, each family's call
defaults against its model card, frame rates, and settings labels against the estimates."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from models import download, vram
from models.video.families import FAMILIES
from models.video.presets import DiffusionPreset

ROOT = Path(__file__).resolve().parent.parent
PRESETS = tomllib.loads((ROOT / "settings.toml").read_text())["video"]["presets"]
DIFFUSION = {n: p for n, p in PRESETS.items() if p.get("kind") == "diffusion"}
GB = 10**9


def test_1_vae_without_slicing_is_placed_with_slicing_chosen():
    from diffusers import AutoencoderKLTemporalDecoder

    vae = AutoencoderKLTemporalDecoder(
        block_out_channels=[32, 64], in_channels=3, out_channels=3, latent_channels=4,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
    )  # fmt: skip
    pipe = SimpleNamespace(vae=vae, to=lambda *a, **k: None)
    vram.apply_policy(pipe, vram.MemoryPolicy(device="cpu", vae_slicing=True, vae_tiling=True))


def test_4_encoder_too_large_for_the_card_runs_on_the_cpu_and_peaks_fit():
    wan = vram.ModelSize(denoiser=int(2.84 * GB), text_encoder=int(11.4 * GB), vae=int(0.5 * GB),
                         activations=int(1.6 * GB), vae_decode=6 * GB, block=int(2.84 * GB / 30))  # fmt: skip
    for gb, on_card in ((8, False), (12, False), (16, True), (24, True)):
        total = gb * vram.GIB
        p = vram.choose_policy(total, total - vram.GIB // 2, wan, "wan", ram_bytes=64 * vram.GIB)
        assert p.text_encoder_on_card == on_card, (gb, p.reason)
        assert p.peak_bytes <= total - vram.RESERVE_BYTES, (gb, p.peak_bytes / vram.GIB)
    # Wan 14B on 24 GB: the encoder runs alone on the card first, then the FP8 denoiser is placed.
    wan14 = wan.model_copy(update={"denoiser": int(28.6 * GB), "block": int(28.6 * GB / 40), "activations": 4 * GB})
    p = vram.choose_policy(24 * vram.GIB, 23 * vram.GIB, wan14, "wan", ram_bytes=64 * vram.GIB)
    assert (p.weights, p.text_encoder, p.text_encoder_on_card) == ("fp8_layerwise", "once", True)


def test_activations_follow_model_size_not_family():
    small = vram.step_activations(int(2.84 * GB), 32760)
    large = vram.step_activations(int(28.6 * GB), 32760)
    assert 1 * GB < small < 2.5 * GB and 3 * GB < large < 6 * GB  # Wan 1.3B and 14B at 832×480×81
    assert vram.step_activations(int(2.84 * GB), 32760, cfg_batch=2) == 2 * small


# -- downloads -------------------------------------------------------------------------------------------
LISTINGS = {
    "Lightricks/LTX-Video": [
        "model_index.json",
        "ltx-video-2b-v0.9.safetensors",
        "ltx-video-2b-v0.9.1.safetensors",
        "README.md",
        "media/ltx-video.gif",
        "transformer/config.json",
        "transformer/diffusion_pytorch_model.safetensors",
        "text_encoder/config.json",
        "text_encoder/model-00001-of-00004.safetensors",
        "text_encoder/model.safetensors.index.json",
        "tokenizer/spiece.model",
        "tokenizer/tokenizer_config.json",
        "vae/config.json",
        "vae/diffusion_pytorch_model.safetensors",
        "scheduler/scheduler_config.json",
    ],
    "stabilityai/stable-video-diffusion-img2vid-xt": [
        "model_index.json",
        "svd_xt.safetensors",
        "svd_xt_image_decoder.safetensors",
        "unet/config.json",
        "unet/diffusion_pytorch_model.safetensors",
        "unet/diffusion_pytorch_model.fp16.safetensors",
        "vae/config.json",
        "vae/diffusion_pytorch_model.safetensors",
        "vae/diffusion_pytorch_model.fp16.safetensors",
        "image_encoder/config.json",
        "image_encoder/model.safetensors",
        "image_encoder/model.fp16.safetensors",
        "feature_extractor/preprocessor_config.json",
        "scheduler/scheduler_config.json",
    ],
    "black-forest-labs/FLUX.1-schnell": [
        "model_index.json",
        "flux1-schnell.safetensors",
        "ae.safetensors",
        "transformer/config.json",
        "transformer/diffusion_pytorch_model-00001-of-00003.safetensors",
        "vae/diffusion_pytorch_model.safetensors",
        "text_encoder/model.safetensors",
        "text_encoder_2/model-00001-of-00002.safetensors",
        "tokenizer/vocab.json",
        "tokenizer/merges.txt",
        "tokenizer_2/spiece.model",
        "scheduler/scheduler_config.json",
    ],
    "stabilityai/stable-diffusion-xl-base-1.0": [
        "model_index.json",
        "sd_xl_base_1.0.safetensors",
        "sd_xl_base_1.0_0.9vae.safetensors",
        "unet/diffusion_pytorch_model.safetensors",
        "unet/diffusion_pytorch_model.fp16.safetensors",
        "unet/openvino_model.bin",
        "vae/diffusion_pytorch_model.fp16.safetensors",
        "unet/config.json",
        "vae/diffusion_pytorch_model.safetensors",
        "text_encoder/model.fp16.safetensors",
        "text_encoder/model.safetensors",
        "text_encoder/model.onnx",
        "unet/diffusion_flax_model.msgpack",
    ],
}


@pytest.mark.parametrize("name", ["ltx-video", "svd-xt-sd15", "svd-xt-sdxl", "svd-xt-flux-schnell"])
def test_8_download_fetches_the_diffusers_layout_and_one_copy(name, tmp_path):
    from huggingface_hub.utils import filter_repo_objects

    fetched: dict[str, set[str]] = {}

    def snapshot(repo_id, **kw):  # stands in for the network: what snapshot_download would fetch
        listing = LISTINGS.get(repo_id, [])
        allow, ignore = kw.get("allow_patterns"), kw.get("ignore_patterns")
        fetched[repo_id] = set(filter_repo_objects(listing, allow_patterns=allow, ignore_patterns=ignore))

    assert download.download_presets(DIFFUSION, [name], tmp_path, snapshot=snapshot) == 0
    for repo, files in fetched.items():
        if repo not in LISTINGS:
            continue
        assert "model_index.json" in files
        assert all("/" in f for f in files - {"model_index.json"}), f"root checkpoint fetched from {repo}"
        for folder in {f.split("/")[0] for f in files if f.endswith(".safetensors")}:
            weights = {f for f in files if f.startswith(folder + "/") and f.endswith(".safetensors")}
            tagged = {f for f in weights if ".fp16." in f}
            assert not (tagged and weights - tagged), f"both the fp16 and the full copy of {repo}/{folder}"
        assert not any(f.endswith((".bin", ".onnx", ".msgpack")) for f in files)
    if name.startswith("svd"):
        assert {f for f in fetched["stabilityai/stable-video-diffusion-img2vid-xt"] if "safetensors" in f} == {
            "unet/diffusion_pytorch_model.fp16.safetensors", "vae/diffusion_pytorch_model.fp16.safetensors",
            "image_encoder/model.fp16.safetensors",
        }  # fmt: skip


def test_10_gated_repository_says_how_to_log_in(tmp_path, capsys):
    from huggingface_hub.errors import GatedRepoError

    def snapshot(repo_id, **kw):
        import httpx

        request = httpx.Request("GET", f"https://huggingface.co/api/models/{repo_id}")
        raise GatedRepoError(f"Access to model {repo_id} is restricted.", response=httpx.Response(401, request=request))

    assert download.download_presets(DIFFUSION, ["svd-xt-sd15"], tmp_path, snapshot=snapshot) == 1
    err = capsys.readouterr().err
    assert "hf auth login" in err and "https://huggingface.co/stabilityai/stable-video-diffusion-img2vid-xt" in err


def test_8_size_on_disk_counts_the_chosen_copy_only(tmp_path):
    from models.video.diffusion import DiffusionEngine

    (tmp_path / "model_index.json").write_text("{}")
    for folder, sizes in {"unet": (3000, 6000), "vae": (100, 200), "image_encoder": (1200, 2400)}.items():
        (tmp_path / folder).mkdir()
        half = "model.fp16.safetensors" if folder == "image_encoder" else "diffusion_pytorch_model.fp16.safetensors"
        (tmp_path / folder / half).write_bytes(b"\0" * sizes[0])
        (tmp_path / folder / half.replace(".fp16", "")).write_bytes(b"\0" * sizes[1])
    preset = DiffusionPreset(family="svd", repo=str(tmp_path), variant="fp16")
    size = DiffusionEngine(preset, device_info=vram.emulated_card(24)).model_size()
    assert (size.denoiser, size.text_encoder, size.vae) == (3000, 1200, 100)
    plain = DiffusionEngine(preset.model_copy(update={"variant": None}), device_info=vram.DeviceInfo()).model_size()
    assert plain.denoiser == 6000


# -- each model card's defaults -----------------------------------------------------------------------------
def _shot(fps=16, frames=64):
    from models.video.base import Shot

    return Shot(prompt="a cat", width=832, height=480, frames=frames, fps=fps)


def test_10_wan22_low_noise_expert_gets_its_own_guidance():
    preset = DiffusionPreset(**{k: v for k, v in DIFFUSION["wan22-t2v-a14b"].items() if k != "label"})
    two_experts = SimpleNamespace(config=SimpleNamespace(boundary_ratio=0.875))
    kw = FAMILIES["wan"].call_kwargs(_shot(), 4.0, preset, None, two_experts)
    assert (kw["guidance_scale"], kw["guidance_scale_2"]) == (4.0, 3.0)
    one = SimpleNamespace(config=SimpleNamespace(boundary_ratio=None))  # Wan 2.1: passing it is a ValueError
    assert "guidance_scale_2" not in FAMILIES["wan"].call_kwargs(_shot(), 4.0, preset, None, one)


def test_10_cogvideox_dynamic_cfg_follows_the_scheduler():
    from diffusers import CogVideoXDDIMScheduler, CogVideoXDPMScheduler

    preset = DiffusionPreset(family="cogvideox", repo="/x")
    spec = FAMILIES["cogvideox"]
    dpm = spec.call_kwargs(_shot(), 6.0, preset, None, SimpleNamespace(scheduler=CogVideoXDPMScheduler()))
    ddim = spec.call_kwargs(_shot(), 6.0, preset, None, SimpleNamespace(scheduler=CogVideoXDDIMScheduler()))
    assert dpm["use_dynamic_cfg"] is True and ddim["use_dynamic_cfg"] is False


def test_10_ltx_renders_at_its_trained_rate_and_decodes_with_noise():
    preset = DiffusionPreset(family="ltx", repo="/x")
    vae = SimpleNamespace(config=SimpleNamespace(timestep_conditioning=True))
    kw = FAMILIES["ltx"].call_kwargs(_shot(fps=16), 3.0, preset, None, SimpleNamespace(vae=vae))
    assert kw["frame_rate"] in (24, 25) and kw["decode_timestep"] > 0 and kw["decode_noise_scale"] > 0


def test_10_svd_is_conditioned_on_its_trained_fps():
    preset = DiffusionPreset(family="svd", repo="/x")
    assert FAMILIES["svd"].call_kwargs(_shot(fps=16), 3.0, preset, None, None)["fps"] == 7


def test_10_frames_are_planned_at_the_model_rate_and_resampled():
    from models.video.diffusion import DiffusionEngine
    from models.video.frames import resample

    ltx = DiffusionEngine(DiffusionPreset(family="ltx", repo="/x"), device_info=vram.DeviceInfo())
    assert ltx.plan(_shot(fps=16, frames=65))[2] == 97  # 4 s at 24 fps, on the 8k+1 grid
    wan = DiffusionEngine(DiffusionPreset(family="wan", repo="/x"), device_info=vram.DeviceInfo())
    assert wan.plan(_shot(fps=24, frames=97))[2] == 65  # 4 s at Wan's 16 fps
    clip = np.arange(65, dtype=np.float32)[:, None, None, None] * np.ones((1, 2, 2, 3), np.float32)
    out = resample(clip, 16, 97, 24)
    assert out.shape[0] == 97 and np.isclose(out[-1, 0, 0, 0], 64) and np.isclose(out[3, 0, 0, 0], 2)
    assert np.array_equal(resample(clip, 16, 10, 16), clip[:10])


def test_9_labels_say_what_each_preset_needs():
    from models.video.card_table import smallest_card

    for name, preset in DIFFUSION.items():
        claimed = re.search(r"(\d+) GB\+", preset["label"])
        assert claimed, f"{name}: the label names no card size"
        smallest = smallest_card(name, preset)
        assert smallest is not None and smallest <= int(claimed.group(1)), (name, smallest, preset["label"])


def test_performance_table_is_the_scripts_output():
    import subprocess

    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gpu_engines.py"), "--table"], capture_output=True, text=True,
        timeout=120, check=True,
    ).stdout  # fmt: skip
    doc = (ROOT / "docs" / "performance.md").read_text()
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == len(DIFFUSION) + 2 and all(line in doc for line in table)
