"""Film assembly: the scenes' clips, in order, into one H.264 + AAC MP4 with transitions, burned-in
subtitles, narration, a music bed ducked under it, loudness normalisation and fades.

One ffmpeg filter graph on imageio-ffmpeg's bundled binary does the whole job; when nothing needs
re-encoding (all cuts, nothing to burn in, no audio work, clips already in the film's format) the clips
are concatenated with stream copy instead. Assembly is a pure function of the clips and the options, so a
film can be re-assembled with other music, transitions or subtitle style without rendering anything.

Timeline: a scene's `transition` says how it ENTERS from the previous one. A cut adds no overlap; any
other transition overlaps the two scenes by `transition_seconds`, so the scene starts that much earlier
in the film. All times are whole frames, so durations, cue times and xfade offsets agree exactly.
The subtitle files (SRT and VTT) are written beside the film, timed to the scenes as assembled.

Why one module of ~540 lines: the timeline, the subtitle cues, the clip inspection and the filter graph
share one frame arithmetic, and splitting them would spread one ffmpeg command over several files. The
assemble *stage* (options, music, clip facts, the film's row) is app/film.py.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

import pysubs2
from pydantic import BaseModel, Field

from models.errors import UserError
from models.ffmpeg import FFmpegError, MediaInfo, ffmpeg_exe, media_info, probe, run_ffmpeg
from models.fonts import FONT_FAMILY, cjk_font_path
from models.storyboard import Transition

log = logging.getLogger(__name__)

# The xfade effect of each transition. "fade" goes through black; "dissolve" is the film editor's
# dissolve, a cross-fade (xfade's own "dissolve" is a noisy pixel scatter); wipe and slide move left.
XFADE = {
    Transition.FADE: "fadeblack",
    Transition.DISSOLVE: "fade",
    Transition.WIPE: "wipeleft",
    Transition.SLIDE: "slideleft",
}
AUDIO_RATE = 48000
# Colour looks, applied to the joined picture before the subtitles are burned in (so subtitles stay white).
LOOKS = {
    "none": "",
    "warm": "colorbalance=rs=0.10:gs=0.02:bs=-0.10:rm=0.08:bm=-0.08:rh=0.05:bh=-0.05",
    "cool": "colorbalance=rs=-0.10:bs=0.10:rm=-0.08:bm=0.08:rh=-0.05:bh=0.05",
    # teal shadows, warm highlights, a gentle S-curve and slightly less saturation
    "filmic": "colorbalance=rs=-0.06:bs=0.06:rh=0.06:bh=-0.06,curves=preset=medium_contrast,eq=saturation=0.9",
    "bw": "hue=s=0,curves=preset=medium_contrast",
}
Look = Literal["none", "warm", "cool", "filmic", "bw"]
MAX_LUT_SIZE = 128


class ClipPart(BaseModel):
    """One scene of the film: its clip file, how long it lasts, and its subtitle.

    `transition` is how the scene enters from the previous one (ignored for the first scene);
    `narration` is a speech file placed at the scene's start in the film.
    """

    path: Path
    duration: float
    subtitle: str = ""
    transition: Transition = Transition.CUT
    narration: Path | None = None


class AssemblyOptions(BaseModel):
    width: int
    height: int
    fps: int
    x264_preset: str = "veryfast"
    crf: int = 23
    burn_subtitles: bool = True
    subtitle_size: int = 26
    # Seconds two scenes overlap in a non-cut transition (clamped to half the shorter scene).
    transition_seconds: float = Field(0.5, ge=0, le=5)
    # Fade in from black at the start and out to black (and silence) at the end; 0 for none.
    fade_seconds: float = Field(0.0, ge=0, le=5)
    # Clips of another shape: "pad" keeps the whole picture (bars), "crop" fills the frame. Never stretched.
    fit: Literal["pad", "crop"] = "pad"
    music: Path | None = None
    music_loop: bool = True
    music_volume: float = Field(0.3, ge=0, le=2)
    narration_volume: float = Field(1.0, ge=0, le=4)
    duck_music: bool = True  # lower the music while narration plays (sidechain compression)
    normalize_loudness: bool = True  # EBU R128, -16 LUFS integrated (one-pass loudnorm)
    stream_copy: bool = True  # allow plain concatenation without re-encoding when nothing needs it
    look: Look = "none"  # a colour look (LOOKS)
    lut: Path | None = None  # a .cube 3D LUT file, applied after the look


class AssembledFilm(BaseModel):
    path: Path
    srt_path: Path
    vtt_path: Path
    info: MediaInfo
    # Scene start times in the film (seconds), after transition overlaps.
    scene_starts: list[float] = Field(default_factory=list)
    stream_copied: bool = False
    # Font files libass loaded for burned-in subtitles, and characters no loaded font could draw.
    fonts_loaded: list[Path] = Field(default_factory=list)
    missing_glyphs: list[str] = Field(default_factory=list)


class SceneTiming(BaseModel):
    """Where a scene sits in the assembled film, in frames."""

    frames: int
    start: int
    overlap: int  # frames shared with the previous scene (its entering transition)


def plan_timeline(parts: list[ClipPart], fps: int, transition_seconds: float) -> list[SceneTiming]:
    """Each scene's length, start and entering overlap in whole frames of the film."""
    frames = [max(1, round(p.duration * fps)) for p in parts]
    want = round(transition_seconds * fps)
    timings: list[SceneTiming] = []
    start = 0
    for i, part in enumerate(parts):
        overlap = 0
        if i > 0 and part.transition != Transition.CUT:
            # An overlap longer than half a scene would swallow it (and xfade needs frames on both sides).
            overlap = min(want, frames[i - 1] // 2, frames[i] // 2)
            start -= overlap
        timings.append(SceneTiming(frames=frames[i], start=start, overlap=overlap))
        start += frames[i]
    return timings


def total_frames(timings: list[SceneTiming]) -> int:
    return timings[-1].start + timings[-1].frames if timings else 0


def build_subtitles(
    parts: list[ClipPart],
    font_size: int,
    width: int,
    height: int,
    timings: list[SceneTiming] | None = None,
    fps: int = 0,
) -> pysubs2.SSAFile:
    """One cue per scene with narration, from the scene's start in the film to where the next scene starts
    (or the scene's end), so two cues never show at once. Without timings, scenes are laid end to end."""
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"], subs.info["PlayResY"] = str(width), str(height)
    subs.info["WrapStyle"] = "0"  # smart wrapping: long (and Chinese) lines break across the frame
    style = subs.styles["Default"]
    style.fontname, style.fontsize = FONT_FAMILY, round(font_size * min(width, height) / 480)
    style.outline, style.shadow, style.marginv = 2, 0, int(height * 0.05)
    style.marginl = style.marginr = int(width * 0.05)
    if timings is None:
        starts, ends, t = [], [], 0.0
        for part in parts:
            starts.append(t)
            ends.append(t + part.duration)
            t += part.duration
    else:
        starts = [tm.start / fps for tm in timings]
        ends = [
            min(tm.start + tm.frames, timings[i + 1].start if i + 1 < len(timings) else tm.start + tm.frames) / fps
            for i, tm in enumerate(timings)
        ]
    for part, start, end in zip(parts, starts, ends, strict=True):
        if part.subtitle.strip():
            event = pysubs2.SSAEvent(start=round(start * 1000), end=round(end * 1000) - 1, text=part.subtitle)
            subs.append(event)
    return subs


# -- looking at the inputs ------------------------------------------------------------------------------
class ClipFacts(BaseModel):
    """What assembly needs to know of a clip: its MediaInfo plus a signature of its video stream's codec
    parameters (codec, profile, pixel format, size, rate, time base): equal signatures concatenate safely."""

    info: MediaInfo
    signature: str


_INPUT = re.compile(r"^Input #(\d+),", re.M)
_VIDEO_LINE = re.compile(r"Stream #\S+.*?: Video: (.*)")
_NOISE = re.compile(r", \d+ kb/s|\(default\)|\[SAR [^\]]*\]|/0x[0-9a-f]+|0x[0-9a-f]+|\s+")


def inspect_clips(parts: list[ClipPart]) -> list[ClipFacts]:
    """Read every clip's facts with ONE ffmpeg process (a process per clip costs more than a stream-copy
    concatenation). A missing, empty or corrupt clip raises a UserError naming its scene."""
    for i, part in enumerate(parts):
        if not Path(part.path).is_file():
            raise UserError("clip_missing", scene=i + 1)
        if Path(part.path).stat().st_size == 0:
            raise UserError("clip_unreadable", scene=i + 1)
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin"]
    for part in parts:
        # The codec parameters are in the MP4 header: no need to decode seconds of each clip to find them.
        cmd += ["-analyzeduration", "0", "-probesize", "65536", "-i", str(Path(part.path).resolve())]
    report = subprocess.run(cmd, capture_output=True, text=True, errors="replace").stderr
    sections = _INPUT.split(report)[1:]  # [index, text, index, text...]
    by_index = {int(sections[k]): sections[k + 1] for k in range(0, len(sections), 2)}
    facts: list[ClipFacts] = []
    for i in range(len(parts)):
        text = by_index.get(i)
        if text is None:  # ffmpeg stops at the first unreadable input
            raise UserError("clip_unreadable", scene=i + 1)
        info = _media_info(text)
        if info.video_streams == 0 or info.duration <= 0:
            raise UserError("clip_unreadable", scene=i + 1)
        line = _VIDEO_LINE.search(text)
        signature = _NOISE.sub("", line.group(1)) if line else ""
        facts.append(ClipFacts(info=info, signature=signature))
    return facts


def _media_info(text: str) -> MediaInfo:
    return media_info(text) or MediaInfo(duration=0)


def _check_audio(path: Path, key: str, **params: object) -> None:
    try:
        info = probe(path)
    except FFmpegError:
        raise UserError(key, **params) from None
    if info.audio_streams == 0 or info.duration <= 0:
        raise UserError(key, **params)


def check_lut(path: Path) -> None:
    """UserError('lut_invalid') unless the file is a 3D .cube LUT ffmpeg's lut3d can read: a LUT_3D_SIZE
    of 2..128 and exactly size³ rows of three numbers."""
    path = Path(path)
    size, rows = None, 0
    try:
        with path.open(encoding="utf-8", errors="strict") as f:
            for line in f:
                words = line.split()
                if not words or words[0].startswith("#") or words[0] in ("TITLE", "DOMAIN_MIN", "DOMAIN_MAX"):
                    continue
                if words[0] == "LUT_3D_SIZE" and len(words) == 2 and words[1].isdigit():
                    size = int(words[1])
                    continue
                if len(words) != 3 or size is None:
                    raise ValueError(line[:40])
                [float(w) for w in words]
                rows += 1
    except (OSError, UnicodeDecodeError, ValueError):
        raise UserError("lut_invalid", name=path.name) from None
    if size is None or not 2 <= size <= MAX_LUT_SIZE or rows != size**3:
        raise UserError("lut_invalid", name=path.name)


def _look_filters(options: AssemblyOptions) -> list[str]:
    filters = [LOOKS[options.look]] if LOOKS[options.look] else []
    if options.lut is not None:
        filters.append("lut3d=file=look.cube:interp=tetrahedral")  # linked into the work folder
    return filters


# -- building the ffmpeg command --------------------------------------------------------------------------
def _fit_filter(fit: str, w: int, h: int) -> str:
    if fit == "crop":
        return f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}"
    return f"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2"


def _seconds(frames: int, fps: int) -> str:
    return f"{frames / fps:.6f}"


def _graph_command(
    parts: list[ClipPart], timings: list[SceneTiming], options: AssemblyOptions, subtitles: str | None
) -> list[str]:
    """The ffmpeg arguments (inputs, filter graph, encoders) that write film.mp4 in the work folder."""
    w, h, fps = options.width, options.height, options.fps
    total_f = total_frames(timings)
    total = _seconds(total_f, fps)
    args: list[str] = []
    for part in parts:
        args += ["-i", str(Path(part.path).resolve())]
    chains: list[str] = []
    for i, tm in enumerate(timings):
        # Each clip becomes exactly its scene's frames in the film's size, rate and time base: scaled and
        # padded or cropped (never stretched), its last frame held if the clip is short.
        chains.append(
            f"[{i}:v]{_fit_filter(options.fit, w, h)},setsar=1,fps={fps},format=yuv420p,"
            f"tpad=stop_mode=clone:stop=-1,trim=end_frame={tm.frames},setpts=PTS-STARTPTS,settb=1/{fps}[v{i}]"
        )
    acc = "[v0]"
    for i in range(1, len(parts)):
        tm = timings[i]
        if tm.overlap == 0:
            chains.append(f"{acc}[v{i}]concat=n=2:v=1:a=0,settb=1/{fps}[j{i}]")
        else:
            effect = XFADE[parts[i].transition]
            chains.append(
                f"{acc}[v{i}]xfade=transition={effect}:duration={_seconds(tm.overlap, fps)}:"
                f"offset={_seconds(tm.start, fps)}[j{i}]"
            )
        acc = f"[j{i}]"
    video = [f"{acc}null", *_look_filters(options)]
    if subtitles:
        video.append(f"subtitles={subtitles}:fontsdir=fonts")
    fade_f = min(round(options.fade_seconds * fps), total_f // 2)
    if fade_f > 0:
        video.append(f"fade=t=in:d={_seconds(fade_f, fps)}")
        video.append(f"fade=t=out:st={_seconds(total_f - fade_f, fps)}:d={_seconds(fade_f, fps)}")
    chains.append(",".join(video) + "[vout]")

    # Audio: narration lines at their scenes' starts, over a music bed ducked under them.
    to_stereo = f"aresample={AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
    next_input = len(parts)
    voice_labels = []
    for part, tm in zip(parts, timings, strict=True):
        if part.narration is None:
            continue
        args += ["-i", str(Path(part.narration).resolve())]
        delay = round(tm.start / fps * 1000)
        chains.append(
            f"[{next_input}:a]{to_stereo},volume={options.narration_volume},adelay={delay}:all=1[n{next_input}]"
        )
        voice_labels.append(f"[n{next_input}]")
        next_input += 1
    mix_inputs: list[str] = []
    if voice_labels:
        mix = f"amix=inputs={len(voice_labels)}:normalize=0:duration=longest," if len(voice_labels) > 1 else ""
        chains.append(f"{''.join(voice_labels)}{mix}apad=whole_dur={total},atrim=end={total}[voice]")
    if options.music is not None:
        if options.music_loop:
            args += ["-stream_loop", "-1"]
        args += ["-i", str(Path(options.music).resolve())]
        chains.append(
            f"[{next_input}:a]{to_stereo},apad=whole_dur={total},atrim=end={total},asetpts=PTS-STARTPTS,"
            f"volume={options.music_volume}[music]"
        )
        next_input += 1
        if voice_labels and options.duck_music:
            # The narration is the sidechain key: the music dips while someone speaks.
            chains.append("[voice]asplit=2[voice_mix][voice_key]")
            chains.append("[music][voice_key]sidechaincompress=threshold=0.03:ratio=8:attack=20:release=400[bed]")
            mix_inputs += ["[bed]", "[voice_mix]"]
        else:
            mix_inputs += ["[music]"] + (["[voice]"] if voice_labels else [])
    elif voice_labels:
        mix_inputs.append("[voice]")
    if not mix_inputs:  # a silent track, so every film has the same streams
        args += ["-f", "lavfi", "-t", total, "-i", f"anullsrc=channel_layout=stereo:sample_rate={AUDIO_RATE}"]
        chains.append(f"[{next_input}:a]anull[aout]")
    else:
        audio = [f"amix=inputs={len(mix_inputs)}:normalize=0:duration=first" if len(mix_inputs) > 1 else "anull"]
        if options.normalize_loudness:
            # One-pass loudnorm works at 192 kHz internally; resample back to the film's rate.
            audio += ["loudnorm=I=-16:TP=-1.5:LRA=11", f"aresample={AUDIO_RATE}"]
        else:
            audio += ["alimiter=limit=0.95:level=disabled"]
        if fade_f > 0:
            d = _seconds(fade_f, fps)
            audio += [f"afade=t=in:d={d}", f"afade=t=out:st={_seconds(total_f - fade_f, fps)}:d={d}"]
        chains.append(f"{''.join(mix_inputs)}{','.join(audio)}[aout]")
    args += [
        "-filter_complex", ";".join(chains),
        "-map", "[vout]", "-map", "[aout]",
        "-c:v", "libx264", "-preset", options.x264_preset, "-crf", str(options.crf), "-pix_fmt", "yuv420p",
        "-r", str(fps), "-c:a", "aac", "-b:a", "160k", "-ar", str(AUDIO_RATE), "-frames:v", str(total_f),
        "-t", total, "-movflags", "+faststart", "film.mp4",
    ]  # fmt: skip
    return args


def _copy_command(parts: list[ClipPart], total: str) -> list[str]:
    """Concatenate the clips without re-encoding anything. The film has no sound to carry (no narration,
    no music), so it gets no audio stream: encoding a silent one would cost more than the copy itself."""
    return [
        # -xerror: the concat demuxer skips a clip it cannot open and still exits 0; a film must not.
        "-xerror", "-f", "concat", "-safe", "0", "-i", "clips.txt",
        "-map", "0:v", "-c:v", "copy", "-t", total, "-movflags", "+faststart", "film.mp4",
    ]  # fmt: skip


def _concat_list(parts: list[ClipPart]) -> str:
    # The concat demuxer's quoting: a single quote closes, an escaped one, then reopens.
    lines = []
    for part in parts:
        quoted = str(Path(part.path).resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'\n")
    return "".join(lines)


def _can_stream_copy(
    facts: list[ClipFacts], timings: list[SceneTiming], options: AssemblyOptions, burn: bool, audio_work: bool
) -> bool:
    if not options.stream_copy or burn or audio_work or options.fade_seconds > 0 or _look_filters(options):
        return False
    if any(t.overlap for t in timings):
        return False
    first = facts[0].signature
    for fact, tm in zip(facts, timings, strict=True):
        info = fact.info
        if fact.signature != first or info.video_codec != "h264" or info.audio_streams:
            return False
        if (info.width, info.height) != (options.width, options.height) or round(info.fps) != options.fps:
            return False
        # Stream copy cannot trim or pad: each clip must already be its scene's length (within a frame).
        if abs(info.duration - tm.frames / options.fps) > 1.0 / options.fps:
            return False
    return True


_LOADED_FONT = re.compile(r"Loading font file '([^']+)'")
_MISSING_GLYPH = re.compile(r"Glyph 0x([0-9A-Fa-f]+) not found")


def _link_font(font: Path, folder: Path) -> None:
    """Put the shipped font (only it) in the subtitles filter's font folder: a link, or a copy where links
    are not allowed (Windows without developer mode)."""
    folder.mkdir()
    try:
        (folder / font.name).symlink_to(font)
    except OSError:
        shutil.copy(font, folder / font.name)


def _known_facts(parts: list[ClipPart], facts: list[ClipFacts] | None) -> list[ClipFacts]:
    """The caller's facts about its clips (read before, e.g. cached by the studio) when it has them for
    every clip, after a cheap check that each file is still there; otherwise read them now."""
    if facts is None or len(facts) != len(parts):
        return inspect_clips(parts)
    for i, part in enumerate(parts):
        path = Path(part.path)
        if not path.is_file():
            raise UserError("clip_missing", scene=i + 1)
        if path.stat().st_size == 0:
            raise UserError("clip_unreadable", scene=i + 1)
    return facts


def assemble(
    parts: list[ClipPart], out_path: Path, options: AssemblyOptions, facts: list[ClipFacts] | None = None
) -> AssembledFilm:
    """Write the film to out_path (atomically: a temporary name first) with .srt and .vtt beside it.

    Raises UserError for bad inputs: no clips, a missing or unreadable clip, a narration or music file
    that is not audio, or an encode that fails (its ffmpeg report is logged).
    """
    if not parts:
        raise UserError("film_no_clips")
    out_path = Path(out_path)
    facts = _known_facts(parts, facts)
    for i, part in enumerate(parts):
        if part.narration is not None:
            _check_audio(part.narration, "narration_unreadable", scene=i + 1)
    if options.music is not None:
        _check_audio(options.music, "music_unreadable", name=Path(options.music).name)
    if options.lut is not None:
        check_lut(options.lut)
    w, h, fps = options.width, options.height, options.fps
    timings = plan_timeline(parts, fps, options.transition_seconds)
    total_f = total_frames(timings)
    subs = build_subtitles(parts, options.subtitle_size, w, h, timings, fps)
    burn = options.burn_subtitles and len(subs) > 0
    audio_work = options.music is not None or any(p.narration is not None for p in parts)
    copy = _can_stream_copy(facts, timings, options, burn, audio_work)
    srt_path, vtt_path = out_path.with_suffix(".srt"), out_path.with_suffix(".vtt")
    fonts_loaded: list[Path] = []
    missing: list[str] = []

    with tempfile.TemporaryDirectory(prefix="storyreel-assemble-") as tmp:
        work = Path(tmp)
        # ffmpeg runs inside the work folder with relative names: the subtitles filter's path syntax
        # cannot take a Windows drive colon, and the font folder is linked in the same way.
        font = cjk_font_path()
        if options.lut is not None:
            # lut3d's file option cannot take a Windows drive colon either: a fixed name in the work folder.
            shutil.copyfile(options.lut, work / "look.cube")
        if copy:
            (work / "clips.txt").write_text(_concat_list(parts), encoding="utf-8")
            args = _copy_command(parts, _seconds(total_f, fps))
        else:
            subtitles = None
            if burn:
                subs.save(str(work / "subs.ass"))
                if font is None:
                    log.warning("the CJK font package is missing: Chinese subtitles may show as boxes")
                    (work / "fonts").mkdir()
                else:
                    _link_font(font, work / "fonts")
                subtitles = "subs.ass"
            args = _graph_command(parts, timings, options, subtitles)
            # libass reports the font files it loads and each glyph it cannot draw at verbose level.
            args = ["-loglevel", "verbose", *args] if burn else args
        try:
            report = run_ffmpeg(args, cwd=work)
        except FFmpegError as exc:
            log.error("assembly of %s failed: %s", out_path.name, exc)
            if facts is not None:
                inspect_clips(parts)  # the given facts may be stale: name the broken clip if there is one
            raise UserError("film_failed") from exc
        if burn:
            for name in dict.fromkeys(_LOADED_FONT.findall(report)):  # libass loads once per graph setup
                # The link in the work folder resolves to the shipped file; a copy stands for it.
                fonts_loaded.append(font if font is not None and Path(name).name == font.name else Path(name))
            missing = sorted({chr(int(code, 16)) for code in _MISSING_GLYPH.findall(report)})
            if missing:
                log.warning("no font could draw %s in the subtitles of %s", "".join(missing), out_path.name)
        tmp_out = work / "film.mp4"
        if copy:  # nothing was re-encoded: the film is what the clips and the silent track say
            info = MediaInfo(duration=total_f / fps, width=w, height=h, fps=float(fps), video_codec="h264",
                             video_streams=1)  # fmt: skip
        else:
            info = probe(tmp_out)
        # Subtitles first, film last: a film file that exists is always complete and has its subtitles.
        for dest in (srt_path, vtt_path):
            part_sub = dest.with_name(f".{dest.stem}.part{dest.suffix}")
            subs.save(str(part_sub))
            os.replace(part_sub, dest)
        part_path = out_path.with_name(f".{out_path.stem}.part{out_path.suffix}")
        try:
            shutil.move(tmp_out, part_path)
            os.replace(part_path, out_path)
        finally:
            part_path.unlink(missing_ok=True)
    log.info("assembled %s: %.2f s, %dx%d%s", out_path.name, info.duration, info.width, info.height, " (copy)" * copy)
    return AssembledFilm(
        path=out_path,
        srt_path=srt_path,
        vtt_path=vtt_path,
        info=info,
        scene_starts=[t.start / fps for t in timings],
        stream_copied=copy,
        fonts_loaded=fonts_loaded,
        missing_glyphs=missing,
    )
