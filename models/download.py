"""`python -m models.download PRESET` (and `launch.py --download PRESET`): fetch a preset's weights.

The only code in Storyreel that goes online. It lifts the hub's offline switch for its own call only and
puts it back afterwards, so nothing else in the process can reach the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from models.video.diffusion import local_dir_name

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


def main(argv: Sequence[str] | None = None, snapshot: Any = None) -> int:
    """CLI: download the weights of one or more presets named in settings.toml. Returns the exit code."""
    # The CLI is an entry point above the layers, like launch.py: it reads the studio's settings.
    from app.settings import SettingsError, load_settings

    parser = argparse.ArgumentParser(prog="python -m models.download", description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="+", metavar="PRESET", help="preset name from [video.presets]")
    parser.add_argument("--settings", type=Path, default=None, help="settings file (default: settings.toml)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.settings)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    presets = settings.video.presets
    unknown = [p for p in args.presets if p not in presets]
    if unknown:
        print(f"unknown preset(s): {', '.join(unknown)}; known: {', '.join(sorted(presets))}", file=sys.stderr)
        return 2
    for name in args.presets:
        preset = presets[name].model_dump()
        repos = repos_of(preset)
        if not repos:
            print(f"{name}: nothing to download (no hub repo in this preset)")
            continue
        for repo in repos:
            print(f"{name}: downloading {repo} into {settings.models_dir}")
            try:
                revision = preset.get("revision") if repo == preset.get("repo") else None
                path = download_repo(repo, settings.models_dir, revision, snapshot=snapshot)
            except Exception as exc:  # network, disk, auth: one clear line, no traceback
                print(f"{name}: download of {repo} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
                return 1
            print(f"{name}: {repo} is in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
