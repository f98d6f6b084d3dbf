"""`launch.py --check`: a table of what this machine can do, for the creator and for bug reports."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys

from app.settings import Settings


def _ffmpeg() -> tuple[bool, str]:
    try:
        from models.ffmpeg import ffmpeg_exe

        exe = ffmpeg_exe()
        first = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=20).stdout.splitlines()[0]
        return True, first.split(" Copyright")[0]
    except Exception as exc:  # the table reports a missing piece; it never stops at one
        return False, f"missing ({type(exc).__name__})"


def preset_on_disk(settings: Settings, name: str, preset: dict) -> tuple[bool, str]:
    """Whether a video preset's weights are present: built-in engines need none."""
    if preset.get("kind") == "animatic":
        return True, "built in"
    repo = preset.get("repo", "")
    if not repo:
        return False, "no weights configured"
    from models.errors import UserError
    from models.video.diffusion import resolve_model_path

    try:
        return True, str(resolve_model_path(repo, settings.models_dir, preset.get("label", repo)))
    except UserError:
        return False, f"not downloaded: python launch.py --download {name}"


def capability_rows(settings: Settings) -> list[tuple[str, bool, str]]:
    from models.fonts import cjk_font_path
    from models.vram import probe_device

    rows: list[tuple[str, bool, str]] = [("Python", sys.version_info >= (3, 11), platform.python_version())]
    device = probe_device()
    rows.append(("torch", device.torch_version is not None, device.torch_version or "not installed"))
    rows.append(("device", True, f"{device.device}: {device.name}"))
    vram = f"{device.total_gib:.1f} GiB total, {device.free_gib:.1f} GiB free" if device.device == "cuda" else "none"
    rows.append(("VRAM", device.device == "cuda", vram))
    rows.append(("ffmpeg", *_ffmpeg()))
    font = cjk_font_path()
    rows.append(("CJK font", font is not None, font.name if font else "missing: Chinese subtitles would be boxes"))
    espeak = shutil.which("espeak-ng")
    rows.append(("espeak-ng", espeak is not None, espeak or "not installed (optional)"))
    for name, preset in settings.video.presets.items():
        ok, detail = preset_on_disk(settings, name, preset.model_dump())
        mark = " (selected)" if name == settings.video.engine else ""
        rows.append((f"preset {name}{mark}", ok, detail))
    rows.append(("data folder", True, str(settings.data_dir)))
    return rows


def print_capabilities(settings: Settings) -> None:
    rows = capability_rows(settings)
    width = max(len(name) for name, _, _ in rows)
    print("Storyreel capability check")
    for name, ok, detail in rows:
        print(f"  {'ok ' if ok else ' - '} {name.ljust(width)}  {detail}")
