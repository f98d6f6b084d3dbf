"""Diffusion engines: every family loads a tiny random pipeline through the engine's real loading code, renders
a Shot on the CPU, and the clip has the right frames, size and fps; cancel, cache, chaining and the policy."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.write import WriteRequest
from models.errors import UserError
from models.ffmpeg import encode_h264, probe
from models.registry import EngineContext, load_registry
from models.video.base import Cancelled, Shot
from models.video.diffusion import (
    DiffusionEngine,
    colour_match,
    fit,
    frames_for,
    retime,
    snap,
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the hub is never contacted by tests


# -- fast units ---------------------------------------------------------------------------------------------
def test_frame_grid_is_the_next_valid_count():
    assert frames_for(10, 4, 81, False) == 13  # Wan: 4k+1
    assert frames_for(13, 4, 81, False) == 13
    assert frames_for(64, 8, 161, False) == 65  # LTX: 8k+1
    assert frames_for(500, 4, 81, False) == 81  # capped; the engine retimes to the requested length
    assert frames_for(10, 4, 49, True) == 49  # CogVideoX always renders its trained length
    assert frames_for(10, 0, 25, False) == 10  # SVD: any count
    assert snap(832, 16) == 832 and snap(850, 32) == 864 and snap(5, 16) == 16


def test_retime_and_fit_give_exact_shape():
    clip = np.random.default_rng(0).random((9, 32, 48, 3)).astype(np.float32)
    assert retime(clip, 5).shape[0] == 5 and np.array_equal(retime(clip, 5), clip[:5])
    longer = retime(clip, 20)
    assert longer.shape == (20, 32, 48, 3)
    assert np.allclose(longer[0], clip[0]) and np.allclose(longer[-1], clip[-1])
    frame = (clip[0] * 255).astype(np.uint8)
    assert fit(frame, 40, 24).shape == (24, 40, 3)
    assert fit(frame, 24, 40).shape == (40, 24, 3)


def test_colour_match_moves_the_clip_to_the_reference():
    rng = np.random.default_rng(1)
    reference = rng.integers(40, 200, (32, 32, 3), dtype=np.uint8)
    tinted = np.clip(reference.astype(int) + [60, -30, -30], 0, 255).astype(np.uint8)
    clip = np.stack([tinted] * 3)
    matched = colour_match(clip, reference)
    before = np.abs(clip.mean((0, 1, 2)) - reference.mean((0, 1))).max()
    after = np.abs(matched.mean((0, 1, 2)) - reference.mean((0, 1))).max()
    assert after < before / 4
    assert np.array_equal(colour_match(clip, reference, strength=0.0), clip)


def test_missing_model_names_the_download_command(tmp_path):
    registry = load_registry(plugins=False)
    preset = {
        "name": "wan21-t2v-1_3b",
        "kind": "diffusion",
        "family": "wan",
        "repo": "Wan-AI/Wan2.1-T2V-1.3B-Diffusers",
    }
    engine = registry.build_video_engine(preset, EngineContext(models_dir=tmp_path))
    shot = Shot(prompt="a cat", width=32, height=32, frames=5, fps=8, engine="wan21-t2v-1_3b")
    with pytest.raises(UserError) as err:
        list(engine.render(shot))
    assert err.value.key == "model_missing"
    assert err.value.params["command"] == "python launch.py --download wan21-t2v-1_3b"


def test_preset_typo_is_refused():
    registry = load_registry(plugins=False)
    with pytest.raises(UserError, match="stpes"):
        registry.build_video_engine(
            {"name": "x", "kind": "diffusion", "family": "wan", "repo": "/x", "stpes": 3}, EngineContext(None)
        )


def test_estimate_grows_with_work_and_card():
    from models.video.diffusion import DiffusionPreset
    from models.vram import DeviceInfo

    h100 = DeviceInfo(device="cuda", name="NVIDIA H100", total_bytes=80 << 30, free_bytes=80 << 30)
    rtx3060 = DeviceInfo(device="cuda", name="NVIDIA GeForce RTX 3060", total_bytes=12 << 30, free_bytes=12 << 30)
    preset = DiffusionPreset(family="wan", repo="/none", steps=30)
    fast, slow = DiffusionEngine(preset, device_info=h100), DiffusionEngine(preset, device_info=rtx3060)
    shot = Shot(prompt="a", width=832, height=480, frames=81, fps=16, steps=30)
    draft = shot.model_copy(update={"width": 416, "height": 240, "steps": 12})
    longer = shot.model_copy(update={"frames": 161})
    assert 30 < fast.estimate_seconds(shot) < 120  # ≈ 1.4 s a step on an H100 (notes/video.md)
    assert slow.estimate_seconds(shot) > 10 * fast.estimate_seconds(shot)
    assert fast.estimate_seconds(draft) < fast.estimate_seconds(shot) / 4
    # more frames than the model makes are retimed, not rendered: the estimate is capped at 81 frames
    assert fast.estimate_seconds(longer) == fast.estimate_seconds(shot)


def test_download_lifts_offline_only_for_itself(tmp_path, monkeypatch):
    import huggingface_hub.constants as constants

    from models import download

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[paths]\nmodels_dir = "m"\n[video]\nengine = "local"\n[video.presets.svd]\nkind = "diffusion"\nfamily = "svd"\n'
        'repo = "stabilityai/stable-video-diffusion-img2vid-xt"\nkeyframe_repo = "black-forest-labs/FLUX.1-schnell"\n'
        '[video.presets.local]\nkind = "diffusion"\nfamily = "wan"\nrepo = "./here"\n'
    )
    calls = []

    def fake_snapshot(**kw):  # stands in for the network; records what the real call would get
        calls.append((kw["repo_id"], kw["local_dir"], constants.HF_HUB_OFFLINE, os.environ.get("HF_HUB_OFFLINE")))

    from app.settings import load_settings

    loaded = load_settings(settings, environ={})
    presets = {name: p.model_dump() for name, p in loaded.video.presets.items()}
    assert download.download_presets(presets, ["svd", "local"], loaded.models_dir, snapshot=fake_snapshot) == 0
    assert [c[0] for c in calls] == [
        "stabilityai/stable-video-diffusion-img2vid-xt",
        "black-forest-labs/FLUX.1-schnell",
    ]
    assert calls[0][1] == str(tmp_path / "m" / "stabilityai--stable-video-diffusion-img2vid-xt")
    assert all(c[2] is False and c[3] is None for c in calls)  # online inside the call
    assert constants.HF_HUB_OFFLINE is True and os.environ["HF_HUB_OFFLINE"] == "1"  # offline again after
    assert download.download_presets(presets, ["nope"], loaded.models_dir, snapshot=fake_snapshot) == 2


# -- tiny pipelines -----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """tiny(name) -> folder of a saved tiny pipeline, built once per session."""
    from tests.tiny_pipelines import save_tiny

    root = tmp_path_factory.mktemp("tiny_models")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            built[name] = save_tiny(name, root)
        return built[name]

    return get


def make_engine(folder: Path, family: str, frames_dir: Path | None = None, **extra) -> DiffusionEngine:
    """Through the registry, exactly as the studio builds an engine from a local-folder preset."""
    preset = {"name": f"tiny-{family}", "kind": "diffusion", "family": family, "repo": str(folder)}
    preset |= {"dtype": "float32", "device": "cpu", "steps": 2, "preview_every": 1} | extra
    return load_registry(plugins=False).build_video_engine(preset, EngineContext(folder.parent, frames_dir))


FAMILY_CASES = {
    # family: (tiny folder, preset extras, needs a keyframe model)
    "wan": ("wan", {}, None),
    "wan_i2v": ("wan_i2v", {}, "flux"),  # no start image: a FLUX-schnell-style keyframe first
    "ltx": ("ltx", {}, None),
    "cogvideox": ("cogvideox", {"render_size": (16, 16), "max_frames": 9}, None),
    "svd": ("svd", {"render_size": (32, 32), "max_frames": 4}, "sd"),  # keyframe from SD 1.5-style model
}


@pytest.mark.slow
@pytest.mark.parametrize("family", list(FAMILY_CASES))
def test_family_renders_a_clip(family, tiny, tmp_path):
    folder, extra, keyframe = FAMILY_CASES[family]
    if keyframe:
        extra = extra | {"keyframe_repo": str(tiny(keyframe)), "keyframe_dtype": "float32", "keyframe_steps": 2}
    engine = make_engine(tiny(folder), family, **extra)
    shot = Shot(prompt="a red car in the city at night", negative_prompt="blurry", width=40, height=24, frames=10,
                fps=8, seed=3, engine=f"tiny-{family}")  # fmt: skip
    seen: list[tuple[int, int, np.ndarray | None]] = []
    frames = list(engine.render(shot, progress=lambda d, t, p: seen.append((d, t, p))))
    assert len(frames) == 10 and all(f.shape == (24, 40, 3) and f.dtype == np.uint8 for f in frames)
    assert np.stack(frames).std() > 1  # a real (random-weight) picture, not a blank
    total = seen[-1][1]
    assert [d for d, _, _ in seen] == list(range(total + 1))  # every step reported, in order
    previews = [p for _, _, p in seen if p is not None]
    assert previews and all(p.ndim == 3 and p.shape[2] == 3 and p.dtype == np.uint8 for p in previews)
    assert engine.status.step == total and engine.status.eta_s == 0
    out = tmp_path / f"{family}.mp4"
    assert encode_h264(iter(frames), out, 40, 24, 8) == 10
    info = probe(out)
    assert (info.width, info.height, info.fps, info.video_codec) == (40, 24, 8.0, "h264")
    assert abs(info.duration - 10 / 8) < 0.05


@pytest.mark.slow
def test_i2v_from_an_init_image(tiny, tmp_path):
    """LTX renders image-to-video through LTXImageToVideoPipeline sharing the loaded weights."""
    start = tmp_path / "start.png"
    Image.fromarray(np.full((24, 40, 3), (200, 30, 30), np.uint8)).save(start)
    engine = make_engine(tiny("ltx"), "ltx")
    shot = Shot(prompt="a cat", width=40, height=24, frames=9, fps=8, init_image=str(start))
    frames = list(engine.render(shot))
    assert len(frames) == 9 and type(engine._i2v).__name__ == "LTXImageToVideoPipeline"
    assert engine._i2v.transformer is engine._pipe.transformer  # shared, not a second copy


@pytest.mark.slow
def test_cancel_stops_within_one_step(tiny):
    engine = make_engine(tiny("wan"), "wan", steps=6)
    engine.load()
    calls = {"transformer": 0, "decode": 0}
    engine._pipe.transformer.register_forward_hook(
        lambda *a: calls.__setitem__("transformer", calls["transformer"] + 1)
    )
    engine._pipe.vae.register_forward_pre_hook(lambda *a: calls.__setitem__("decode", calls["decode"] + 1))
    decode = engine._pipe.vae.decode
    engine._pipe.vae.decode = lambda *a, **k: (calls.__setitem__("decode", calls["decode"] + 1), decode(*a, **k))[1]
    cancel = threading.Event()
    steps_seen: list[int] = []

    def progress(done, total, _preview):
        steps_seen.append(done)
        if done == 2:
            cancel.set()

    shot = Shot(prompt="a dog", width=32, height=32, frames=5, fps=8, guidance=5.0)
    with pytest.raises(Cancelled):
        list(engine.render(shot, progress=progress, cancel=cancel))
    assert max(steps_seen) == 2
    assert calls["transformer"] == 2 * 2  # two steps, cond + uncond each; step 3 never ran
    assert calls["decode"] == 0  # nothing decoded after the cancel
    # the engine is usable again after a cancel
    assert len(list(engine.render(shot))) == 5


@pytest.mark.slow
def test_text_encoder_run_once_gives_the_same_clip(tiny):
    shot = Shot(prompt="an astronaut riding a horse", negative_prompt="blurry", width=32, height=32, frames=5,
                fps=8, guidance=5.0, seed=7)  # fmt: skip
    resident = np.stack(list(make_engine(tiny("wan"), "wan").render(shot)))
    once = make_engine(tiny("wan"), "wan", text_encoder="once")
    assert once.load().text_encoder is None  # never loaded with the pipeline
    clip = np.stack(list(once.render(shot)))
    assert once._pipe.text_encoder is None  # freed after encoding
    assert np.abs(clip.astype(int) - resident).max() <= 2


@pytest.mark.slow
@pytest.mark.parametrize("placement", ["model_offload", "group_offload", "group_offload_disk"])
def test_offload_placements_render_the_same_clip(tiny, placement):
    shot = Shot(prompt="a cat", width=32, height=32, frames=5, fps=8, guidance=5.0, seed=1)
    base = np.stack(list(make_engine(tiny("wan"), "wan").render(shot)))
    engine = make_engine(tiny("wan"), "wan", placement=placement)
    clip = np.stack(list(engine.render(shot)))
    assert engine.policy.placement == placement
    assert np.abs(clip.astype(int) - base).max() <= 2


@pytest.mark.slow
def test_speedup_options(tiny):
    shot = Shot(prompt="a cat", width=32, height=32, frames=5, fps=8, guidance=5.0)
    assert len(list(make_engine(tiny("wan"), "wan", cache="first_block", steps=3).render(shot))) == 5
    # sageattention is not installed here: the engine renders on SDPA and records why (tests/test_speed.py)
    engine = make_engine(tiny("wan"), "wan", attention_backend="sage")
    assert len(list(engine.render(shot))) == 5
    assert "sage" in engine.speed.dropped["attention = 'sage'"].lower()


# -- through the studio -------------------------------------------------------------------------------------
@pytest.fixture
def studio_for(tiny, tmp_path):
    from app.settings import load_settings
    from app.studio import Studio

    made = []

    def make(family: str = "wan", **preset_extra):
        preset = {"kind": "diffusion", "family": family, "repo": str(tiny(family)), "dtype": "float32",
                  "device": "cpu", "steps": 2, "guidance": 4.0, "draft_steps": 1} | preset_extra  # fmt: skip
        settings = load_settings(
            tmp_path / "none.toml",
            environ={},
            paths={"data_dir": str(tmp_path / "data"), "models_dir": str(tmp_path / "models")},
            video={"engine": "tiny", "presets": {"tiny": preset}},
            render={"short_side": 64, "fps": 4},
            storyboard={"min_scenes": 2, "max_scenes": 2, "default_scene_seconds": 2.0},
        )
        studio = Studio(settings, registry=load_registry(plugins=False))
        made.append(studio)
        return studio

    yield make
    for s in made:
        s.close()


def _render(studio, user, project_id) -> str:
    job = studio.submit_render(user, project_id)
    studio.jobs.run_pending()
    return studio.jobs.get(job.id).status


@pytest.mark.slow
def test_studio_cache_skips_unchanged_shots(studio_for):
    studio = studio_for("wan")
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A cat walks in the rain. The moon rises over the city.")
    )
    engine = studio.engine()
    rendered: list[Shot] = []
    real = engine.render
    engine.render = lambda shot, **kw: (rendered.append(shot), real(shot, **kw))[1]
    shots = studio.shots(board)
    assert all(s.steps == 2 and s.guidance == 4.0 and s.engine == "tiny" for s in shots)
    assert _render(studio, user, project.id) == "done"
    assert len(rendered) == len(board.scenes)
    film = studio.latest_film(user, project.id)
    assert film is not None and probe(studio.media.resolve(film.file_path)).duration > 0
    rendered.clear()
    assert _render(studio, user, project.id) == "done"
    assert rendered == []  # nothing changed: every clip came from the cache


@pytest.mark.slow
def test_studio_draft_and_chained_scenes(studio_for):
    studio = studio_for("ltx", chain=True)
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A red car drives through the city. It reaches the beach at sunset.")
    )
    final, draft = studio.shots(board), studio.shots(board, quality="draft")
    assert draft[0].width < final[0].width and draft[0].steps == 1
    assert final[0].init_image is None and final[1].init_image == f"{final[0].content_hash()}.last.png"
    engine = studio.engine()
    seen_at_unload = []
    real_unload = engine.unload
    engine.unload = lambda: (seen_at_unload.append(engine._i2v is not None), real_unload())[1]
    assert _render(studio, user, project.id) == "done"
    frames_dir = studio.settings.data_dir / "frames"
    assert (frames_dir / final[1].init_image).is_file()  # scene 2 started from scene 1's last frame
    assert seen_at_unload == [True]  # the image-to-video pipeline was built, and the job unloaded it
    assert engine._i2v is None and engine._pipe is None
    # the chained clip was colour-matched to the first clip's reference
    ref_first = frames_dir / f"{final[0].content_hash()}.ref.png"
    ref_second = frames_dir / f"{final[1].content_hash()}.ref.png"
    assert np.array_equal(np.asarray(Image.open(ref_first)), np.asarray(Image.open(ref_second)))
