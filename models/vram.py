"""The one place that knows about the accelerator: what device there is and how much memory it has.

Every VRAM decision asks this module; nothing else calls torch.cuda directly.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

log = logging.getLogger(__name__)
GIB = 1024**3


class DeviceInfo(BaseModel):
    torch_version: str | None = None
    device: str = "cpu"  # "cuda" or "cpu"
    name: str = "CPU"
    total_bytes: int = 0
    free_bytes: int = 0

    @property
    def total_gib(self) -> float:
        return self.total_bytes / GIB

    @property
    def free_gib(self) -> float:
        return self.free_bytes / GIB


def probe_device() -> DeviceInfo:
    """Describe the compute device; CPU when torch is missing or sees no CUDA device."""
    try:
        import torch
    except ImportError:
        return DeviceInfo()
    info = DeviceInfo(torch_version=torch.__version__)
    if torch.cuda.is_available():
        free, total = torch.cuda.mem_get_info()
        info.device, info.name = "cuda", torch.cuda.get_device_name(0)
        info.total_bytes, info.free_bytes = total, free
    return info
