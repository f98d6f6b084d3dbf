"""A step-distilled preset's LoRA (lightx2v, CausVid) through the app's own path: a tiny LoRA for the tiny
Wan transformer, built here and saved as safetensors in diffusers' LoRA format, named by a preset in the
settings; the render stage's engine loader fuses it at load (diffusers' load_lora_weights, which needs
peft); the shots take the preset's distilled step count, and the picture changes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from app.render import Rendering
from app.settings import load_settings
from app.shots import make_shots
from models.registry import load_registry
from models.storyboard import Scene, Storyboard
from tests import tiny_pipelines

os.environ.setdefault("HF_HUB_OFFLINE", "1")
tiny_models = tiny_pipelines.tiny_models  # the shared, session-scoped fixture
LORA_FILE = "tiny_distill_lora_rank4.safetensors"


def save_tiny_lora(folder: Path, transformer: torch.nn.Module, rank: int = 4) -> Path:
    """A rank-`rank` LoRA over every linear layer of the blocks' self-attention and feed-forward, with keys
    as diffusers saves a Wan LoRA ("transformer.blocks.0.attn1.to_q.lora_A.weight"); B is not zero, so the
    fused weights differ from the base ones."""
    from safetensors.torch import save_file

    generator = torch.Generator().manual_seed(7)
    state = {}
    for name, module in transformer.named_modules():
        if (
            isinstance(module, torch.nn.Linear)
            and name.startswith("blocks.")
            and (".attn1." in name or ".ffn." in name)
        ):
            state[f"transformer.{name}.lora_A.weight"] = torch.randn(rank, module.in_features, generator=generator)
            state[f"transformer.{name}.lora_B.weight"] = torch.randn(module.out_features, rank, generator=generator)
    assert state, "the tiny transformer has no layers for the LoRA"
    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v * 0.2 for k, v in state.items()}, folder / LORA_FILE)
    return folder / LORA_FILE


@pytest.mark.slow
def test_a_distilled_presets_lora_is_fused_and_its_steps_are_used(tiny_models, tmp_path):
    pytest.importorskip("peft", reason="diffusers' load_lora_weights needs peft (requirements.txt lists it)")
    from diffusers import WanTransformer3DModel

    folder = tiny_models("wan")
    base_transformer = WanTransformer3DModel.from_pretrained(folder / "transformer")
    save_tiny_lora(tmp_path / "lora", base_transformer)
    common = {"kind": "diffusion", "family": "wan", "repo": str(folder), "dtype": "float32", "device": "cpu",
              "steps": 30, "guidance": 5.0, "draft_steps": 12, "flow_shift": 3.0}  # fmt: skip
    distilled = common | {"steps": 4, "guidance": 1.0, "draft_steps": 2,
                          "lora_repo": str(tmp_path / "lora"), "lora_file": LORA_FILE}  # fmt: skip
    settings = load_settings(
        tmp_path / "none.toml", environ={}, paths={"data_dir": str(tmp_path / "data"), "models_dir": str(tmp_path)},
        video={"engine": "distilled", "presets": {"distilled": distilled, "base": common}},
        render={"short_side": 64, "fps": 8},
    )  # fmt: skip
    rendering = Rendering(settings, load_registry(plugins=False), None, None, None)  # the app's engine loader
    board = Storyboard(title="t", scenes=[Scene(number=1, description="a fox running in snow", duration=1.0)])
    shot = make_shots(settings, board)[0]
    assert (shot.steps, shot.guidance, shot.engine) == (4, 1.0, "distilled")  # the preset's distilled schedule
    assert make_shots(settings, board, "draft")[0].steps == 2

    engine = rendering.engine("distilled")
    engine.load()
    assert engine.lora_problem is None, engine.lora_problem
    fused = engine._pipe.transformer.blocks[0].attn1.to_q.weight
    assert not torch.allclose(fused, base_transformer.blocks[0].attn1.to_q.weight)  # the LoRA is in the weights
    assert type(engine._pipe.transformer.blocks[0].attn1.to_q) is torch.nn.Linear  # fused, adapters unloaded
    assert engine._pipe.scheduler.config["shift"] == 3.0  # the tiny pipeline was saved with 5.0
    forwards: list[int] = []
    engine._pipe.transformer.register_forward_hook(lambda *a: forwards.append(1))
    clip = np.stack(list(engine.render(shot))).astype(int)
    assert len(forwards) == 4  # four steps, one forward each (guidance 1: no unconditional pass)

    # The same shot on the base weights (the preset without its LoRA, same shift and steps): another picture.
    plain = make_shots(settings.model_copy(update={"video": settings.video.model_copy(update={"engine": "base"})}),
                       board)[0].model_copy(update={"steps": 4, "guidance": 1.0, "engine": "base"})  # fmt: skip
    base_engine = rendering.engine("base")
    base_clip = np.stack(list(base_engine.render(plain))).astype(int)
    assert base_engine.lora_problem is None and clip.shape == base_clip.shape
    assert np.abs(clip - base_clip).mean() > 1.0, np.abs(clip - base_clip).mean()
