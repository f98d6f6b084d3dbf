#!/usr/bin/env python3
"""Storyreel's double-click entry point.

First run: creates .venv beside this file and installs what Storyreel needs (the CUDA build of torch
where an NVIDIA GPU is found, the CPU build otherwise; xformers only with CUDA, never required).
Later runs start in seconds. Then it starts the studio and opens the browser.

    python launch.py                 start the studio on http://127.0.0.1:7860
    python launch.py --lan           listen on all interfaces (needs login on: [auth] require_login)
    python launch.py --check         print what this machine can do, then exit
    python launch.py --download P    fetch the weights of video preset P (the only network access)
    python launch.py --test          run the test suite (extra arguments go to pytest)

This file uses only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import venv
import webbrowser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TORCH_VERSION = "2.13.0"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_CUDA_INDEX = "https://download.pytorch.org/whl/cu128"  # Windows needs it; Linux PyPI wheels are CUDA builds
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-data.txt"]


def say(message: str) -> None:
    print(f"[storyreel] {message}", flush=True)


# -- bootstrap (runs with the system Python) -----------------------------------------------------------
def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def inside_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def has_nvidia_gpu() -> bool:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return False
    try:
        return subprocess.run([exe, "-L"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def pip(*args: str, check: bool = True) -> bool:
    cmd = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", *args]
    ok = subprocess.run(cmd).returncode == 0
    if check and not ok:
        raise SystemExit(f"[storyreel] installing failed: {' '.join(args)}\nCheck your connection and run again.")
    return ok


def install_stamp(cuda: bool) -> str:
    digest = hashlib.sha256(f"torch={TORCH_VERSION} cuda={cuda}".encode())
    for req in REQUIREMENTS:
        digest.update(req.read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create .venv and install the requirements when missing or changed (a no-op on later runs)."""
    cuda = has_nvidia_gpu()
    stamp_file = VENV / ".storyreel-installed"
    stamp = install_stamp(cuda)
    if stamp_file.exists() and stamp_file.read_text() == stamp and venv_python().exists():
        return
    if not venv_python().exists():
        say(f"first run: creating {VENV.name} (this takes a few minutes once)")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say(f"installing torch {TORCH_VERSION} ({'CUDA' if cuda else 'CPU'} build)")
    if cuda and os.name == "nt":
        pip(f"torch=={TORCH_VERSION}", "--index-url", TORCH_CUDA_INDEX)
    elif cuda:
        pip(f"torch=={TORCH_VERSION}")
    elif not pip(
        f"torch=={TORCH_VERSION}", "--index-url", TORCH_CPU_INDEX, "--retries", "1", "--timeout", "30", check=False
    ):
        pip(f"torch=={TORCH_VERSION}")  # the CPU index was unreachable: take what the default index offers
    say("installing Storyreel's requirements")
    pip("-r", str(REQUIREMENTS[0]))
    pip("--no-deps", "-r", str(REQUIREMENTS[1]))  # data-only packages: their files, not their dependencies
    if cuda and not pip("xformers", f"torch=={TORCH_VERSION}", check=False):
        say("xformers is not available for this torch; Storyreel uses PyTorch's own attention instead")
    stamp_file.write_text(stamp)
    say("installation complete")


# -- inside the venv -----------------------------------------------------------------------------------
def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="launch.py", description="Start the Storyreel studio.")
    parser.add_argument("--lan", action="store_true", help="listen on all interfaces (requires login)")
    parser.add_argument("--port", type=int, help="TCP port (default from settings.toml)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    parser.add_argument("--data-dir", help="folder for projects, the database and media")
    parser.add_argument("--settings", help="settings file (default: settings.toml beside launch.py)")
    parser.add_argument("--check", action="store_true", help="print the capability table and exit")
    parser.add_argument("--download", metavar="PRESET", help="download a video preset's weights and exit")
    parser.add_argument("--install-only", action="store_true", help="install the environment and exit")
    parser.add_argument("--test", action="store_true", help="run the test suite (other arguments go to pytest)")
    return parser.parse_known_args(argv)


def open_browser_when_up(url: str) -> None:
    def wait_and_open() -> None:
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "health", timeout=1)  # noqa: S310 - our own localhost server
            except OSError:
                time.sleep(0.5)
                continue
            webbrowser.open(url)
            return

    threading.Thread(target=wait_and_open, daemon=True).start()


def run_in_venv(args: argparse.Namespace, rest: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    if args.test:
        import pytest

        return pytest.main(rest or [])
    if rest:
        print(f"launch.py: unrecognised arguments: {' '.join(rest)}", file=sys.stderr)
        return 2
    import logging

    from app.settings import SettingsError, load_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides: dict = {}
    if args.lan:
        overrides.setdefault("server", {})["host"] = "0.0.0.0"
    if args.port is not None:
        overrides.setdefault("server", {})["port"] = args.port
    if args.no_browser:
        overrides.setdefault("server", {})["open_browser"] = False
    if args.data_dir:
        overrides.setdefault("paths", {})["data_dir"] = str(Path(args.data_dir).resolve())
    try:
        settings = load_settings(Path(args.settings) if args.settings else None, **overrides)
    except SettingsError as err:
        print(f"Storyreel cannot start: {err}", file=sys.stderr)
        return 2
    if args.check:
        from app.check import print_capabilities

        print_capabilities(settings)
        return 0
    if args.download:
        from app.privacy import apply_offline_env
        from models.download import download_presets

        apply_offline_env()  # the download lifts this for its own call only
        presets = {name: p.model_dump() for name, p in settings.video.presets.items()}
        return download_presets(presets, [args.download], settings.models_dir)
    from app.server import serve

    if settings.server.open_browser:
        open_browser_when_up(f"http://127.0.0.1:{settings.server.port}/")
    serve(settings)
    return 0


def main(argv: list[str]) -> int:
    args, rest = parse_args(argv)
    if not inside_venv():
        if sys.version_info < (3, 11):  # noqa: UP036 - this check is what tells users of older Pythons
            say(f"Python 3.11 or newer is needed; this is {platform.python_version()}")
            return 2
        ensure_environment()
        if args.install_only:
            return 0
        return subprocess.call([str(venv_python()), str(Path(__file__).resolve()), *argv])
    if args.install_only:
        return 0
    return run_in_venv(args, rest)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
