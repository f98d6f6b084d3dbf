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


def _is_local(repo: str) -> bool:
    return Path(repo).expanduser().is_absolute() or str(repo).startswith(".")


def repos_of(preset: dict[str, Any]) -> list[str]:
    """Hub repos a preset needs: its model and, for image-only video models, the keyframe model."""
    repos = [preset.get("repo"), preset.get("keyframe_repo")]
    return [r for r in repos if r and not _is_local(r)]


def files_of(preset: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, file) pairs a preset needs beside its model folders: the step-distill LoRA and the preview
    decoder. A source is a hub repo id or the https URL of the file; local folders need no download."""
    pairs = [
        (preset.get("lora_repo"), preset.get("lora_file")),
        (preset.get("preview_repo"), preset.get("preview_file")),
    ]
    return [(r, f) for r, f in pairs if r and f and not _is_local(r)]


def single_file_dir(source: str, models_dir: Path | None) -> Path:
    """The folder a single downloaded file lives in: the source itself when it is a local folder, the
    repo's folder for a hub repo (beside the models), models_dir/files for a URL."""
    if _is_local(source):
        return Path(source).expanduser()
    root = Path(models_dir or ".")
    return root / "files" if source.startswith("https://") else root / local_dir_name(source)


def download_file(source: str, filename: str, models_dir: Path, fetch: Any = None) -> Path:
    """One file from a hub repo (hf_hub_download, the repo's path kept) or an https URL, into
    single_file_dir(source). `fetch(source, filename, folder)` replaces the network in tests."""
    folder = single_file_dir(source, models_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if fetch is not None:
        fetch(source, filename, folder)
    elif source.startswith("https://"):
        import urllib.request

        tmp = folder / f"{filename}.part"
        urllib.request.urlretrieve(source, tmp)  # noqa: S310 - an https URL the settings file names
        tmp.replace(folder / filename)
    else:
        from huggingface_hub import hf_hub_download

        with hub_online():
            hf_hub_download(repo_id=source, filename=filename, local_dir=str(folder))
    return folder / filename


# The diffusers folder layout: model_index.json at the root, one folder per component with its config,
# tokenizer files and safetensors weights. Root-level files are original-format single-file checkpoints
# (LTX-Video's ltx-video-2b-v0.9*.safetensors, FLUX's flux1-schnell.safetensors, SD 1.5's .ckpt): tens of
# GB the studio never reads. `*` matches "/" in the hub's filter, so "*/" means "inside a folder".
LAYOUT_FILES = ["model_index.json", "*/*.json", "*/*.txt", "*/*.model", "*/*.tiktoken"]
OTHER_FORMATS = ["*.pt", "*.pth", "*.ckpt", "*.gguf", "*.onnx", "*.msgpack", "*.h5", "*.bin"]
VARIANTS = ("fp16", "fp32", "bf16")


def download_patterns(variant: str | None = None) -> tuple[list[str], list[str]]:
    """(allow, ignore) patterns for snapshot_download: the diffusers layout and one copy of the weights,
    the `variant`'s (diffusion_pytorch_model.fp16.safetensors, sharded or not) or the plain files. Repos
    such as SVD-XT carry both an fp16 and an fp32 copy of every component: only one is fetched."""
    if variant:
        return [*LAYOUT_FILES, f"*/*.{variant}.safetensors", f"*/*.{variant}-*.safetensors"], OTHER_FORMATS
    tagged = [f"*.{v}.*" for v in VARIANTS] + [f"*.{v}-*" for v in VARIANTS]
    return [*LAYOUT_FILES, "*/*.safetensors"], [*OTHER_FORMATS, *tagged]


def gated_message(repo: str) -> str:
    return (
        f"{repo} is a gated repository: accept its licence at https://huggingface.co/{repo} while logged in, "
        "then log in here with `hf auth login` (or set HF_TOKEN to a read token) and run the download again"
    )


def download_repo(
    repo: str, models_dir: Path, revision: str | None = None, snapshot: Any = None, variant: str | None = None
) -> Path:
    """Download one repo into models_dir/<owner--name> with a progress bar; return the folder.

    `snapshot` is huggingface_hub.snapshot_download unless a caller (a test) passes its own.
    """
    if snapshot is None:
        from huggingface_hub import snapshot_download as snapshot
    dest = Path(models_dir) / local_dir_name(repo)
    dest.mkdir(parents=True, exist_ok=True)
    allow, ignore = download_patterns(variant)
    with hub_online():
        snapshot(repo_id=repo, revision=revision, local_dir=str(dest), allow_patterns=allow, ignore_patterns=ignore)
    return dest


def _is_gated(exc: Exception) -> bool:
    try:
        from huggingface_hub.errors import GatedRepoError
    except ImportError:  # an older huggingface_hub
        return "gated" in str(exc).lower()
    return isinstance(exc, GatedRepoError) or "gated" in str(exc).lower()


def download_presets(
    presets: Mapping[str, Mapping[str, Any]],
    names: Sequence[str],
    models_dir: Path,
    snapshot: Any = None,
    fetch: Any = None,
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
        files = files_of(preset)
        if not repos and not files:
            print(f"{name}: nothing to download (no hub repo in this preset)")
            continue
        for repo in repos:
            print(f"{name}: downloading {repo} into {models_dir}")
            try:
                main = repo == preset.get("repo")
                revision = preset.get("revision") if main else None
                variant = preset.get("variant") if main else preset.get("keyframe_variant")
                path = download_repo(repo, models_dir, revision, snapshot=snapshot, variant=variant)
            except Exception as exc:  # network, disk, auth: one clear line, no traceback
                if _is_gated(exc):
                    print(f"{name}: {gated_message(repo)}", file=sys.stderr)
                else:
                    print(f"{name}: download of {repo} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
                return 1
            print(f"{name}: {repo} is in {path}")
        for source, filename in files:
            print(f"{name}: downloading {filename} from {source}")
            try:
                path = download_file(source, filename, models_dir, fetch=fetch)
            except Exception as exc:  # network, disk, auth: one clear line, no traceback
                print(
                    f"{name}: download of {filename} from {source} failed: {type(exc).__name__}: {exc}", file=sys.stderr
                )
                return 1
            print(f"{name}: {filename} is in {path.parent}")
    return 0
