"""A tiny video decoder (TAEHV's decoder) for live previews: latents to RGB frames in milliseconds.

TAEHV (madebyollin/taehv, MIT) is a small conv net trained to decode the latents of Wan 2.1/2.2, CogVideoX,
HunyuanVideo and LTX-2 the way their own VAEs do, from the latents the transformer works on (no scale or
shift applied). Only its decoder is written here, laid out module for module as in TAEHV's `nn.Sequential`
(so its published `.safetensors` files load by key: `decoder.1.weight`, `decoder.3.conv.0.weight`, ...).
Its weights are downloaded beside a preset by `--download` (preview_repo / preview_file).

A preview needs neither every frame nor the full size: temporal upsampling is turned off (one frame per
latent frame) and only as many ×2 spatial stages run as the preview's size asks for. The weights are the
same either way (an Upsample has none; a TGrow trained with stride 2 keeps its last frame's channels, as
TAEHV's own `patch_tgrow_layers` does). There are no TAEHV weights for LTX-Video 0.9.x (TAEHV covers LTX-2
only): those presets preview through the latent projection in models/video/frames.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

log = logging.getLogger(__name__)

WIDTHS = (256, 128, 64, 64)  # the base decoder's channels per stage


def _conv(n_in: int, n_out: int, bias: bool = True) -> nn.Conv2d:
    return nn.Conv2d(n_in, n_out, 3, padding=1, bias=bias)


class Clamp(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x / 3) * 3  # keeps stray latents from blowing up the decoder


class MemBlock(nn.Module):
    """A residual conv block that also sees the previous frame's input (its one frame of memory)."""

    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.conv = nn.Sequential(
            _conv(n_in * 2, n_out), nn.ReLU(inplace=True), _conv(n_out, n_out), nn.ReLU(inplace=True),
            _conv(n_out, n_out),
        )  # fmt: skip
        self.skip = nn.Conv2d(n_in, n_out, 1, bias=False) if n_in != n_out else nn.Identity()
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor, past: torch.Tensor) -> torch.Tensor:
        return self.act(self.conv(torch.cat([x, past], 1)) + self.skip(x))


class TGrow(nn.Module):
    """Temporal upsampling: one frame's channels become `stride` frames."""

    def __init__(self, n_f: int, stride: int) -> None:
        super().__init__()
        self.stride = stride
        self.conv = nn.Conv2d(n_f, n_f * stride, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, c, h, w = x.shape
        return self.conv(x).reshape(-1, c, h, w)


class TinyVideoDecoder(nn.Module):
    """TAEHV's base decoder. `space_upscale` says which of the three ×2 stages run (all: the VAE's 8×);
    `time_upscale` which of the three temporal ×2 stages (the trained model: (False, True, True))."""

    def __init__(
        self,
        latent_channels: int = 16,
        patch_size: int = 1,
        space_upscale: tuple[bool, bool, bool] = (True, True, True),
        time_upscale: tuple[bool, bool, bool] = (False, False, False),
    ) -> None:
        super().__init__()
        self.latent_channels, self.patch_size = latent_channels, patch_size
        n = WIDTHS
        layers: list[nn.Module] = [Clamp(), _conv(latent_channels, n[0]), nn.ReLU(inplace=True)]
        for stage in range(3):
            layers += [MemBlock(n[stage], n[stage]) for _ in range(3)]
            layers += [
                nn.Upsample(scale_factor=2 if space_upscale[stage] else 1),
                TGrow(n[stage], 2 if time_upscale[stage] else 1),
                _conv(n[stage], n[stage + 1], bias=False),
            ]
        layers += [nn.ReLU(inplace=True), _conv(n[3], 3 * patch_size**2)]
        self.decoder = nn.Sequential(*layers)
        self.frames_to_trim = 2 ** sum(time_upscale) - 1

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        """(N, T, C, H, W) latents → (N, T', 3, H·s, W·s) RGB in [0, 1], all frames at once."""
        n, t = latents.shape[:2]
        x = latents.reshape(n * t, *latents.shape[2:])
        for block in self.decoder:
            if isinstance(block, MemBlock):
                frames = x.reshape(n, -1, *x.shape[1:])
                # each frame's memory is the previous frame's input; the first frame remembers nothing
                past = F.pad(frames, (0, 0, 0, 0, 0, 0, 1, 0))[:, : frames.shape[1]].reshape(x.shape)
                x = block(x, past)
            else:
                x = block(x)
        if self.patch_size > 1:
            x = F.pixel_shuffle(x, self.patch_size)
        x = x.reshape(n, -1, *x.shape[1:]).clamp(0, 1)
        return x[:, self.frames_to_trim :]

    def load_weights(self, state: dict[str, torch.Tensor]) -> None:
        """Load TAEHV's decoder weights (its encoder's are ignored), reshaping TGrow convs trained with
        temporal stride 2 to this decoder's stride (the last frame's channels, as TAEHV itself does)."""
        own = self.state_dict()
        wanted = {k: v for k, v in state.items() if k.startswith("decoder.")}
        for key, value in wanted.items():
            if key in own and value.shape[0] > own[key].shape[0] and key.endswith(".conv.weight"):
                wanted[key] = value[-own[key].shape[0] :]
        missing = sorted(set(own) - set(wanted))
        if missing:
            raise ValueError(f"not a TAEHV decoder: missing {', '.join(missing[:4])}")
        self.load_state_dict(wanted)


def space_stages(latent_hw: tuple[int, int], max_side: int) -> tuple[bool, bool, bool]:
    """The ×2 stages to run so the preview's long side is the largest it can be without passing max_side."""
    side = max(latent_hw)
    stages = 0
    while stages < 3 and side * 2 ** (stages + 1) <= max_side:
        stages += 1
    return tuple(i < stages for i in range(3))  # type: ignore[return-value]


def load_decoder(
    path: Path, latent_channels: int, space_upscale: tuple[bool, bool, bool], device: str | torch.device = "cpu"
) -> TinyVideoDecoder:
    """A preview decoder from a TAEHV weight file (.safetensors or .pth), in half precision on a GPU."""
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        state = load_file(str(path))
    else:
        state = torch.load(str(path), map_location="cpu", weights_only=True)
    patch = _patch_size(state, latent_channels)
    model = TinyVideoDecoder(latent_channels, patch, space_upscale)
    model.load_weights(state)
    dtype = torch.float16 if torch.device(device).type == "cuda" else torch.float32
    return model.to(device=device, dtype=dtype).eval()


def _patch_size(state: dict[str, torch.Tensor], latent_channels: int) -> int:
    """Wan 2.2's and HunyuanVideo 1.5's decoders end in a pixel shuffle: the last conv's outputs say by how much."""
    first = state.get("decoder.1.weight")
    if first is not None and first.shape[1] != latent_channels:
        raise ValueError(
            f"the preview decoder takes {first.shape[1]} latent channels, the model makes {latent_channels}"
        )
    last = state.get("decoder.22.weight")
    return int(round((last.shape[0] / 3) ** 0.5)) if last is not None else 1


def decode_preview(decoder: TinyVideoDecoder, latents: torch.Tensor, window: int = 2) -> np.ndarray:
    """The middle frame of (N, T, C, H, W) latents as an RGB uint8 image; `window` latent frames up to it
    give the decoder's memory something to remember."""
    t = latents.shape[1]
    mid = t // 2
    clip = latents[:1, max(0, mid - window + 1) : mid + 1]
    param = next(decoder.parameters())
    with torch.inference_mode():
        frames = decoder(clip.to(device=param.device, dtype=param.dtype))
    frame = frames[0, -1].float().permute(1, 2, 0).cpu().numpy()
    return (frame * 255).round().astype(np.uint8)
