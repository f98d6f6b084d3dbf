"""Real-ESRGAN upscaling with the real ncnn weights converted to PyTorch, on the CPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from models.video.ncnn import load_ncnn, parse_param, read_weights
from models.video.upscale import SRVGGNetCompact, Upscaler, load_upscaler_net, ncnn_files, network_from_ncnn, upscale

SMOOTH_PSNR = 30.0  # dB against bicubic on a smooth image: the trained network is at ~36.5, shuffled at ~9


def smooth_image(h: int = 96, w: int = 128) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w] / np.array([h, w])[:, None, None]
    r = 0.5 + 0.35 * np.sin(2 * np.pi * (1.2 * x + 0.1)) * np.cos(2 * np.pi * 0.8 * y)
    g = 0.2 + 0.6 * x * y + 0.1 * np.sin(2 * np.pi * 1.5 * y)
    b = 0.7 - 0.4 * y + 0.1 * np.cos(4 * np.pi * x)
    return (np.stack([r, g, b], -1).clip(0, 1) * 255).round().astype(np.uint8)


def cartoon(h: int = 256, w: int = 320) -> np.ndarray:
    """Flat colours with dark outlines: what an anime upscaler is trained to restore."""
    im = Image.new("RGB", (w, h), (120, 180, 230))
    d = ImageDraw.Draw(im)
    d.rectangle([0, int(h * 0.7), w, h], fill=(90, 160, 80))
    d.ellipse([40, 40, 140, 140], fill=(250, 220, 60), outline=(20, 20, 20), width=4)
    d.rectangle([170, 90, 290, 200], fill=(200, 70, 60), outline=(20, 20, 20), width=4)
    d.polygon([(160, 95), (230, 30), (300, 95)], fill=(120, 60, 40), outline=(20, 20, 20), width=4)
    d.line([(20, 230), (300, 160)], fill=(255, 255, 255), width=3)
    return np.asarray(im).copy()


def bicubic(frames: np.ndarray, factor: float, antialias: bool = False) -> np.ndarray:
    x = torch.from_numpy(frames).permute(0, 3, 1, 2).float() / 255
    y = F.interpolate(x, scale_factor=factor, mode="bicubic", align_corners=False, antialias=antialias)
    return (y.clamp(0, 1) * 255).round().byte().permute(0, 2, 3, 1).numpy()


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255**2 / np.mean((a.astype(float) - b.astype(float)) ** 2)))


def shuffled(net: torch.nn.Module) -> torch.nn.Module:
    """The same network with each tensor's values permuted: the weights' statistics, none of their structure."""
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in net.parameters():
            flat = p.view(-1)
            p.copy_(flat[torch.randperm(flat.numel(), generator=g)].view(p.shape))
    return net


@pytest.mark.parametrize("scale", [2, 4])
def test_frames_come_out_scale_times_larger(scale):
    frames = np.stack([smooth_image(), smooth_image()[::-1].copy()])
    out = upscale(frames, scale, device="cpu")
    assert out.shape == (2, 96 * scale, 128 * scale, 3) and out.dtype == np.uint8


def test_the_graph_decides_the_network():
    for scale, out_scale in [(2, 0.5), (3, 0.75), (4, 1.0)]:
        net = load_upscaler_net("animevideov3", scale)
        assert isinstance(net, SRVGGNetCompact)
        assert (net.upscale, net.out_scale) == (4, out_scale)
        assert len(net.body) == 2 * 17 + 1  # 17 conv + PReLU pairs, then the last conv
        assert 600_000 < sum(p.numel() for p in net.parameters()) < 650_000


@pytest.mark.parametrize("scale", [2, 4])
def test_tiled_and_untiled_agree(scale):
    up = Upscaler(scale, device="cpu")
    frame = smooth_image()[None]
    whole = up.upscale(frame, tile=0)
    tiled = up.upscale(frame, tile=40, overlap=20)  # 3 × 4 tiles, none aligned with the frame's middle
    assert np.abs(whole.astype(int) - tiled).max() <= 1
    # and the overlap matters: without context the tiles show seams
    seamed = up.upscale(frame, tile=40, overlap=0)
    assert np.abs(whole.astype(int) - seamed).max() > 2


@pytest.mark.parametrize("scale", [2, 4])
def test_a_smooth_image_upscales_close_to_bicubic_and_shuffled_weights_do_not(scale):
    frame = smooth_image()[None]
    reference = bicubic(frame, scale)
    real = Upscaler(scale, device="cpu").upscale(frame, tile=0)
    assert psnr(real, reference) > SMOOTH_PSNR
    random = Upscaler(scale, device="cpu", net=shuffled(load_upscaler_net("animevideov3", scale)))
    assert psnr(random.upscale(frame, tile=0), reference) < SMOOTH_PSNR


@pytest.mark.parametrize("scale", [2, 4])
def test_the_trained_network_restores_a_downscaled_cartoon_better_than_bicubic(scale):
    original = cartoon()[None]
    small = bicubic(original, 1 / scale, antialias=True)
    restored = Upscaler(scale, device="cpu").upscale(small, tile=0)
    assert psnr(restored, original) > psnr(bicubic(small, scale), original) + 0.5


def test_the_converted_state_dict_is_cached_and_reloads_identically(tmp_path):
    first = load_upscaler_net("animevideov3", 2, cache_dir=tmp_path)
    cached = list(tmp_path.glob("realesr-animevideov3-x2-*.pt"))
    assert len(cached) == 1
    again = load_upscaler_net("animevideov3", 2, cache_dir=tmp_path)
    assert all(torch.equal(a, b) for a, b in zip(first.state_dict().values(), again.state_dict().values(), strict=True))


def test_a_truncated_or_mismatched_blob_is_refused():
    param, weights = ncnn_files("animevideov3", 4)
    layers = parse_param(param.read_text())
    blob = weights.read_bytes()
    with pytest.raises(ValueError, match="ends before"):
        read_weights(layers, blob[: len(blob) // 2])
    with pytest.raises(ValueError, match="not used"):
        read_weights(parse_param(param.read_text()), blob + b"\0" * 8)
    with pytest.raises(ValueError, match="magic"):
        parse_param("hello\n")
    with pytest.raises(ValueError, match="by 4 only"):
        ncnn_files("x4plus", 2)


def test_bad_frames_are_refused():
    up = Upscaler(2, device="cpu")
    with pytest.raises(ValueError, match="uint8"):
        up.upscale(np.zeros((1, 8, 8, 3), np.float32))


@pytest.mark.parametrize("model", ["x4plus", "x4plus-anime"])
def test_rrdbnet_models_convert_and_restore_a_cartoon(model):
    param, weights = ncnn_files(model, 4)
    net = network_from_ncnn(load_ncnn(param, weights))
    original = cartoon(128, 160)[None]
    small = bicubic(original, 0.25, antialias=True)
    restored = Upscaler(4, model, device="cpu", net=net).upscale(small, tile=0)
    assert restored.shape == original.shape
    assert psnr(restored, original) > psnr(bicubic(small, 4), original)
