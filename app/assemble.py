"""Film assembly: the scenes' clips, in order, with their subtitles, into one H.264 + AAC MP4.

One ffmpeg filter graph on imageio-ffmpeg's bundled binary does the whole job. The subtitle files (SRT
and VTT) are written beside the film, timed to the scenes as assembled.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import pysubs2
from pydantic import BaseModel

from models.errors import UserError
from models.ffmpeg import FFmpegError, MediaInfo, probe, run_ffmpeg
from models.fonts import FONT_FAMILY, cjk_font_path

log = logging.getLogger(__name__)


class ClipPart(BaseModel):
    """One scene of the film: its clip file, how long it lasts, and its subtitle."""

    path: Path
    duration: float
    subtitle: str = ""


class AssemblyOptions(BaseModel):
    width: int
    height: int
    fps: int
    x264_preset: str = "veryfast"
    crf: int = 23
    burn_subtitles: bool = True
    subtitle_size: int = 26


class AssembledFilm(BaseModel):
    path: Path
    srt_path: Path
    vtt_path: Path
    info: MediaInfo


def build_subtitles(parts: list[ClipPart], font_size: int, width: int, height: int) -> pysubs2.SSAFile:
    """One cue per scene with narration, from the scene's start to its end in the assembled film."""
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"], subs.info["PlayResY"] = str(width), str(height)
    style = subs.styles["Default"]
    style.fontname, style.fontsize = FONT_FAMILY, round(font_size * min(width, height) / 480)
    style.outline, style.shadow, style.marginv = 2, 0, int(height * 0.05)
    start = 0.0
    for part in parts:
        if part.subtitle.strip():
            end = start + part.duration
            subs.append(pysubs2.SSAEvent(start=round(start * 1000), end=round(end * 1000) - 1, text=part.subtitle))
        start += part.duration
    return subs


def _check_clip(part: ClipPart, index: int) -> MediaInfo:
    try:
        info = probe(part.path)
    except FFmpegError:
        raise UserError("clip_unreadable", scene=index + 1) from None
    if info.video_streams == 0:
        raise UserError("clip_unreadable", scene=index + 1)
    return info


def assemble(parts: list[ClipPart], out_path: Path, options: AssemblyOptions) -> AssembledFilm:
    """Write the film to out_path (atomically: a temporary name first) with .srt and .vtt beside it."""
    if not parts:
        raise UserError("film_no_clips")
    for i, part in enumerate(parts):
        _check_clip(part, i)
    w, h, fps = options.width, options.height, options.fps
    total = sum(p.duration for p in parts)
    subs = build_subtitles(parts, options.subtitle_size, w, h)
    srt_path, vtt_path = out_path.with_suffix(".srt"), out_path.with_suffix(".vtt")

    with tempfile.TemporaryDirectory(prefix="storyreel-assemble-") as tmp:
        work = Path(tmp)
        # ffmpeg runs inside the work folder with relative names: the subtitles filter's path syntax
        # cannot take a Windows drive colon, and the font folder is linked in the same way.
        subs.save(str(work / "subs.ass"))
        font = cjk_font_path()
        if font is not None:
            (work / "fonts").mkdir()
            shutil.copy(font, work / "fonts" / font.name)
        args: list[str] = []
        for part in parts:
            args += ["-i", str(part.path.resolve())]
        args += ["-f", "lavfi", "-t", f"{total:.3f}", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]
        chains = []
        for i, part in enumerate(parts):
            # Every clip is brought to the film's size (scaled and padded, never stretched), rate and length.
            chains.append(
                f"[{i}:v]scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,"
                f"setsar=1,fps={fps},format=yuv420p,trim=duration={part.duration:.4f},setpts=PTS-STARTPTS[v{i}]"
            )
        joined = "".join(f"[v{i}]" for i in range(len(parts)))
        chains.append(f"{joined}concat=n={len(parts)}:v=1:a=0[cat]")
        if options.burn_subtitles and len(subs):
            fontsdir = ":fontsdir=fonts" if font is not None else ""
            chains.append(f"[cat]subtitles=subs.ass{fontsdir}[vout]")
        else:
            chains.append("[cat]null[vout]")
        tmp_out = work / "film.mp4"
        args += [
            "-filter_complex", ";".join(chains),
            "-map", "[vout]", "-map", f"{len(parts)}:a",
            "-c:v", "libx264", "-preset", options.x264_preset, "-crf", str(options.crf), "-pix_fmt", "yuv420p",
            "-r", str(fps), "-c:a", "aac", "-b:a", "160k", "-t", f"{total:.3f}",
            "-movflags", "+faststart", "film.mp4",
        ]  # fmt: skip
        run_ffmpeg(args, cwd=work)
        info = probe(tmp_out)
        # Subtitles first, film last: a film file that exists is always complete and has its subtitles.
        subs.save(str(srt_path))
        subs.save(str(vtt_path))
        part_path = out_path.with_name(f".{out_path.stem}.part{out_path.suffix}")
        shutil.move(tmp_out, part_path)
        part_path.replace(out_path)
    log.info("assembled %s: %.2f s, %dx%d", out_path.name, info.duration, info.width, info.height)
    return AssembledFilm(path=out_path, srt_path=srt_path, vtt_path=vtt_path, info=info)
