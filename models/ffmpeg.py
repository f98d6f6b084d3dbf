"""The bundled ffmpeg (imageio-ffmpeg): running it, probing files, and encoding frames to H.264.

imageio-ffmpeg ships no ffprobe, so probing parses `ffmpeg -i`'s report.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from pydantic import BaseModel

log = logging.getLogger(__name__)


class FFmpegError(RuntimeError):
    """ffmpeg failed; the message carries the last lines it printed."""


@cache
def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], cwd: Path | None = None, timeout: float | None = None) -> str:
    """Run ffmpeg with args; return its stderr report; raise FFmpegError with its tail on failure."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    log.debug("ffmpeg %s", " ".join(args))
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=timeout)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise FFmpegError(f"ffmpeg failed ({proc.returncode}): {tail}")
    return proc.stderr


class MediaInfo(BaseModel):
    duration: float
    width: int = 0
    height: int = 0
    fps: float = 0.0
    video_codec: str = ""
    audio_codec: str = ""
    video_streams: int = 0
    audio_streams: int = 0


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})[, \[]")
_FPS = re.compile(r"(\d+(?:\.\d+)?) fps")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")


def probe(path: Path) -> MediaInfo:
    """Read duration, size, fps and codecs of a media file; raise FFmpegError if it is not media."""
    path = Path(path)
    if not path.is_file():
        raise FFmpegError(f"no such file: {path.name}")
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    info = media_info(proc.stderr)
    if info is None:
        raise FFmpegError(f"{path.name} is not a readable media file")
    return info


def media_info(report: str) -> MediaInfo | None:
    """Parse one input's `ffmpeg -i` report; None when it names no duration (not media)."""
    dur = _DURATION.search(report)
    if dur is None:
        return None
    h, m, s = dur.groups()
    info = MediaInfo(duration=int(h) * 3600 + int(m) * 60 + float(s))
    for line in report.splitlines():
        if (v := _VIDEO.search(line)) is not None:
            info.video_streams += 1
            if info.video_streams == 1:
                info.video_codec, info.width, info.height = v.group(1), int(v.group(2)), int(v.group(3))
                if (f := _FPS.search(line)) is not None:
                    info.fps = float(f.group(1))
        elif (a := _AUDIO.search(line)) is not None:
            info.audio_streams += 1
            info.audio_codec = info.audio_codec or a.group(1)
    return info


def encode_h264(
    frames: Iterable[np.ndarray], path: Path, width: int, height: int, fps: int, preset: str = "veryfast", crf: int = 20
) -> int:
    """Encode RGB uint8 frames to an H.264 MP4 at path; return the number of frames written.

    The caller writes to a temporary path and renames it, so a half-written clip never looks complete.
    """
    writer = imageio_ffmpeg.write_frames(
        str(path),
        (width, height),
        fps=fps,
        codec="libx264",
        pix_fmt_out="yuv420p",
        quality=None,
        macro_block_size=1,
        ffmpeg_log_level="error",
        output_params=["-preset", preset, "-crf", str(crf), "-movflags", "+faststart"],
    )
    writer.send(None)  # start the ffmpeg process
    count = 0
    try:
        for frame in frames:
            if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
                raise ValueError(f"frame {count} is {frame.shape} {frame.dtype}, expected ({height}, {width}, 3) uint8")
            writer.send(np.ascontiguousarray(frame))
            count += 1
    finally:
        writer.close()
    return count


def read_frames(path: Path, width: int, height: int) -> np.ndarray:
    """Every frame of a video as [T, height, width, 3] RGB uint8 (the clip is scaled only if its size differs)."""
    reader = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24", output_params=["-s", f"{width}x{height}"])
    reader.__next__()  # the metadata the reader yields first
    frames = [np.frombuffer(raw, np.uint8).reshape(height, width, 3) for raw in reader]
    if not frames:
        raise FFmpegError(f"{Path(path).name} holds no video frames")
    return np.stack(frames)
