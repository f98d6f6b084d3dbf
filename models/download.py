"""`python -m models.download PRESET` (and `launch.py --download PRESET`): fetch a preset's weights.

The only code in Storyreel that goes online. It lifts the hub's offline switch for its own call only and
puts it back afterwards, so nothing else in the process can reach the network.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from models.video.presets import local_dir_name

OFFLINE_VARS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


@contextmanager
def hub_online() -> Iterator[None]:
    """Let huggingface_hub reach the hub inside this block only (it reads the switch at import time, so
    the module constant is flipped too), then restore both exactly."""
    import huggingface_hub.constants as constants

    saved_env = {k: os.environ.get(k) for k in OFFLINE_VARS}
    saved_const = constants.HF_HUB_OFFLINE
    for k in OFFLINE_VARS:
        os.environ.pop(k, None)
    constants.HF_HUB_OFFLINE = False
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE = saved_const
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def repos_of(preset: dict[str, Any]) -> list[str]:
    """Hub repos a preset needs: its model and, for image-only video models, the keyframe model."""
    repos = [preset.get("repo"), preset.get("keyframe_repo")]
    return [r for r in repos if r and not (Path(r).expanduser().is_absolute() or str(r).startswith("."))]


def download_repo(repo: str, models_dir: Path, revision: str | None = None, snapshot: Any = None) -> Path:
    """Download one repo into models_dir/<owner--name> with a progress bar; return the folder.

    `snapshot` is huggingface_hub.snapshot_download unless a caller (a test) passes its own.
    """
    if snapshot is None:
        from huggingface_hub import snapshot_download as snapshot
    dest = Path(models_dir) / local_dir_name(repo)
    dest.mkdir(parents=True, exist_ok=True)
    with hub_online():
        # Only the diffusers layout: skip the original-format checkpoints many repos also carry.
        snapshot(
            repo_id=repo,
            revision=revision,
            local_dir=str(dest),
            ignore_patterns=["*.pt", "*.pth", "*.ckpt", "*.gguf", "*.onnx", "*.msgpack", "*.h5"],
        )
    return dest


def download_presets(
    presets: Mapping[str, Mapping[str, Any]], names: Sequence[str], models_dir: Path, snapshot: Any = None
) -> int:
    """Download the weights of the named presets (dicts as in settings.toml). Returns an exit code:
    0 done, 1 a download failed, 2 an unknown preset. Messages go to stdout/stderr: this is a CLI's body."""
    unknown = [p for p in names if p not in presets]
    if unknown:
        print(f"unknown preset(s): {', '.join(unknown)}; known: {', '.join(sorted(presets))}", file=sys.stderr)
        return 2
    for name in names:
        preset = dict(presets[name])
        repos = repos_of(preset)
        if not repos:
            print(f"{name}: nothing to download (no hub repo in this preset)")
            continue
        for repo in repos:
            print(f"{name}: downloading {repo} into {models_dir}")
            try:
                revision = preset.get("revision") if repo == preset.get("repo") else None
                path = download_repo(repo, models_dir, revision, snapshot=snapshot)
            except Exception as exc:  # network, disk, auth: one clear line, no traceback
                print(f"{name}: download of {repo} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
                return 1
            print(f"{name}: {repo} is in {path}")
    return 0
