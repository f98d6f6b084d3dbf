"""Seeing on a CPU what a GPU placement would do.

On a CPU, offload moves weights from the CPU to the CPU: a model that runs with its weights still
"offloaded" computes the right numbers and no test notices. `poisoned_offload` makes offloaded weights
unusable, as they are on a real card: while diffusers' group offload holds a module group offloaded, its
floating tensors hold NaN (the real values are kept aside and put back when the group is onloaded). A
decode that runs with the VAE offloaded then returns NaN instead of silently working. Sequential offload
(accelerate) needs no help: its offloaded weights sit on the meta device and fail the same way.
"""

from __future__ import annotations

import contextlib
from typing import Any

import torch


def _tensors(group: Any) -> list[torch.Tensor]:
    out = [*group.parameters, *group.buffers]
    for m in group.modules:
        out += [*m.parameters(), *m.buffers()]
    return [t for t in out if t.is_floating_point()]


@contextlib.contextmanager
def poisoned_offload():
    from diffusers.hooks.group_offloading import ModuleGroup

    kept: dict[int, torch.Tensor] = {}
    real_on, real_off = ModuleGroup.onload_, ModuleGroup.offload_

    def poison(group: Any) -> None:
        for t in _tensors(group):
            if id(t) not in kept:
                kept[id(t)] = t.data
                t.data = torch.full_like(t.data, float("nan"))

    def onload(self):
        for t in _tensors(self):
            if id(t) in kept:
                t.data = kept.pop(id(t))
        return real_on(self)

    def offload(self):
        result = real_off(self)
        poison(self)
        return result

    ModuleGroup.onload_, ModuleGroup.offload_ = onload, offload
    try:
        yield poison
    finally:
        ModuleGroup.onload_, ModuleGroup.offload_ = real_on, real_off


def poison_offloaded_groups(pipe: Any, poison) -> int:
    """Poison every group-offloaded module group of a freshly placed pipeline (they start offloaded)."""
    groups = {}
    for name in ("transformer", "transformer_2", "unet", "vae", "text_encoder", "image_encoder"):
        module = getattr(pipe, name, None)
        if module is None:
            continue
        for sub in module.modules():
            registry = getattr(sub, "_diffusers_hook", None)
            hook = registry.get_hook("group_offloading") if registry is not None else None
            if hook is not None:
                groups[id(hook.group)] = hook.group
    for group in groups.values():
        poison(group)
    return len(groups)


def module_states(pipe: Any) -> dict[str, tuple[str, str]]:
    """(dtype, device) of every component: the dtypes of its floating parameters, and where they are."""
    states = {}
    for name in ("transformer", "unet", "vae", "text_encoder", "image_encoder"):
        module = getattr(pipe, name, None)
        if module is None:
            continue
        params = [p for p in module.parameters() if p.is_floating_point()]
        dtypes = sorted({str(p.dtype).replace("torch.", "") for p in params})
        devices = sorted({p.device.type for p in params})
        states[name] = ("+".join(dtypes), "+".join(devices))
    return states
