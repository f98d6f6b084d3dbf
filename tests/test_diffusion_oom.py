"""The out-of-memory ladder on a real diffusion engine (issue 15): `models.vram.lower_policy` steps a policy
down one rung, and a tiny Wan pipeline whose transformer runs out of memory on its first call renders the
scene after the engine stepped down, through the studio's render job, with the lower policy recorded."""

from __future__ import annotations

import pytest

from app.write import WriteRequest
from models import vram
from models.vram_policy import LADDER
from tests import tiny_pipelines

tiny_models = tiny_pipelines.tiny_models  # the shared, session-scoped fixture

SIZES = vram.ModelSize(denoiser=6 * vram.GIB, text_encoder=10 * vram.GIB, vae=vram.GIB // 4,
                       activations=2 * vram.GIB, vae_decode=8 * vram.GIB, block=200 * 1024**2)  # fmt: skip


def test_each_step_goes_one_rung_down_then_tiles_then_stops():
    policy = vram.choose_policy(80 * vram.GIB, 78 * vram.GIB, SIZES, "wan")
    assert policy.placement == "resident" and policy.text_encoder == "resident" and not policy.vae_tiling
    seen = []
    while policy is not None:
        seen.append((policy.placement, policy.vae_tiling))
        lower = vram.lower_policy(policy, SIZES)
        if lower is not None:
            assert lower.unload_llm and lower.text_encoder == "once" and lower.vae_slicing
            assert lower.peak_bytes <= policy.peak_bytes  # the encoder's own peak may bound both
            assert "out of memory" in lower.reason
        policy = lower
    assert seen == [("resident", False)] + [(p, True) for p in LADDER[1:]]


def test_the_lowest_rung_untiled_steps_to_tiling_and_disk_offload_counts_as_group():
    lowest = vram.MemoryPolicy(placement="sequential_offload", vae_tiling=False)
    tiled = vram.lower_policy(lowest, SIZES)
    assert tiled is not None and tiled.placement == "sequential_offload" and tiled.vae_tiling
    assert vram.lower_policy(tiled, SIZES) is None
    disk = vram.MemoryPolicy(placement="group_offload_disk", vae_tiling=True)
    assert vram.lower_policy(disk).placement == "sequential_offload"


def test_without_a_card_there_is_nothing_to_offload():
    cpu = vram.choose_policy(0, 0, SIZES)
    assert vram.lower_policy(cpu, SIZES, on_card=False) is None


@pytest.mark.slow
def test_a_tiny_wan_that_runs_out_of_memory_once_renders_at_the_lower_policy(tmp_path, tiny_models, monkeypatch):
    import torch
    from diffusers import WanTransformer3DModel

    from tests.guard_support import make_studio, new_registry, query, register_video_engine, settings_for

    registry = new_registry()
    preset = {"name": "tiny-wan", "kind": "diffusion", "family": "wan", "repo": str(tiny_models("wan")),
              "dtype": "bfloat16", "device": "cpu", "steps": 2, "text_encoder": "once"}  # fmt: skip
    engine = registry.build_video_engine(preset, _context(tiny_models))
    # An emulated 24 GB card: the policy and the placement a GPU would get, computed on the CPU.
    engine._fixed_device = engine.device_info = vram.emulated_card(24)
    register_video_engine(registry, "tiny_wan", lambda p, c: engine)

    calls = {"n": 0}
    real_forward = WanTransformer3DModel.forward

    def forward(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
        return real_forward(self, *args, **kwargs)

    monkeypatch.setattr(WanTransformer3DModel, "forward", forward)
    placements: list[str] = []
    real_apply = vram.apply_policy
    monkeypatch.setattr(vram, "apply_policy", lambda pipe, policy, offload_dir=None: (
        placements.append(policy.placement), real_apply(pipe, policy, offload_dir))[1])  # fmt: skip

    settings = settings_for(tmp_path / "data", video={"engine": "tiny_wan", "presets": {"tiny_wan": {"kind": "tiny_wan"}}},
                            render={"short_side": 64, "fps": 4}, narration={"engine": "none"},
                            music={"source": "none"})  # fmt: skip
    studio = make_studio(settings, registry)
    try:
        user = studio.local_user()
        project, board = studio.create_project(user, WriteRequest(idea="A kite lifts off a green hill."))
        job = studio.submit_render(user, project.id, scenes=[1])
        studio.jobs.run_pending()
        done = studio.jobs.get(job.id)
        assert done.status == "done", done.error
        # Resident first (the emulated card holds the tiny model), one rung lower after the out-of-memory.
        assert placements == ["resident", "model_offload"], placements
        assert engine._lowered is not None and engine._lowered.placement == "model_offload"
        assert engine._lowered.vae_tiling and "out of memory at resident" in engine._lowered.reason
        assert calls["n"] > 1  # the transformer ran again, under the lower policy
        db = studio.settings.data_dir / "storyreel.db"
        assert query(db, "select count(*) from clips where project_id=?", (project.id,)) == [(1,)]
    finally:
        studio.close()


def _context(tiny_models):
    from models.registry import EngineContext

    return EngineContext(tiny_models("wan").parent, None)
