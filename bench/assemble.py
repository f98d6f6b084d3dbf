"""Assembly speed: our assemble() against hand-written ffmpeg doing the same work, and moviepy for reference.

6 clips x 5 s at 832x480, 16 fps, with grain so x264 has work (made with lavfi). Two comparisons, each the
median ratio over 5 paired runs (the order alternates within a pair):
  effects:    assemble() with 0.5 s dissolves, burned Chinese subtitles, narration on every scene (espeak-ng
              Mandarin if installed, else tones), a library music bed ducked under it, loudnorm and fades
              vs one hand-written ffmpeg command with the same filters and encoder settings;
  no effects: assemble() on cuts alone (stream copy + a silent AAC track) vs the concat demuxer with -c copy.
Goals: effects <= 1.15; no effects <= 1.1 plus a process start (printed). moviepy does the effects work once.

Run: /work/main/.venv/bin/python bench/assemble.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.assemble import AssemblyOptions, ClipPart, assemble, inspect_clips  # noqa: E402
from models.ffmpeg import ffmpeg_exe  # noqa: E402
from models.fonts import cjk_font_path  # noqa: E402
from models.music import library_tracks  # noqa: E402
from models.narrator import EspeakVoice, Narrator  # noqa: E402
from models.storyboard import Transition  # noqa: E402

W, H, FPS, N, SECONDS, XF, FADE = 832, 480, 16, 6, 5.0, 0.5, 0.5
LINES = [
    "灯塔看守人在海边捡到一个漂流瓶。",
    "瓶子里有一封泛黄的信。",
    "他在灯下读了一整夜。",
    "信上写着一个遥远小岛的名字。",
    "清晨，他驾着小船出发了。",
    "海鸥跟着他，一直飞到天边。",
]
RUNS = 5


def ff(args: list[str], cwd: Path | None = None) -> None:
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *args]
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def make_inputs(d: Path) -> tuple[list[Path], list[Path], Path]:
    clips = []
    for i in range(N):
        clip = d / f"clip{i}.mp4"
        src = f"testsrc2=s={W}x{H}:r={FPS}:d={SECONDS},hue=h={i * 60},noise=alls=18:allf=t"
        ff(["-f", "lavfi", "-i", src, "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
           + ["-movflags", "+faststart", str(clip)])  # fmt: skip
        clips.append(clip)
    voices = []
    espeak = shutil.which("espeak-ng")
    for i, line in enumerate(LINES):
        wav = d / f"voice{i}.wav"
        if espeak and Narrator([EspeakVoice(espeak, speed=1.4)]).speak(line, "zh", wav) is not None:
            voices.append(wav)
            continue
        t = np.arange(int(3.0 * 22050)) / 22050  # no espeak-ng: a tone stands in for the voice
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
            w.writeframes((0.3 * np.sin(2 * np.pi * 300 * t) * 32767).astype(np.int16).tobytes())
        voices.append(wav)
    return clips, voices, library_tracks("calm")[0]


def ours_effects(clips, voices, music, out: Path) -> None:
    parts = [
        ClipPart(
            path=c, duration=SECONDS, subtitle=LINES[i], narration=voices[i],
            transition=Transition.CUT if i == 0 else Transition.DISSOLVE,
        )
        for i, c in enumerate(clips)
    ]  # fmt: skip
    opts = AssemblyOptions(width=W, height=H, fps=FPS, transition_seconds=XF, fade_seconds=FADE, music=music)
    assemble(parts, out, opts)


def ours_plain(clips, out: Path, facts=None) -> None:
    parts = [ClipPart(path=c, duration=SECONDS) for c in clips]
    film = assemble(parts, out, AssemblyOptions(width=W, height=H, fps=FPS, burn_subtitles=False), facts=facts)
    assert film.stream_copied


def hand_effects(clips, voices, music, d: Path, out: Path) -> None:
    """What a person would type: the same filters and encoder settings, for clips known to match already."""
    total = N * SECONDS - (N - 1) * XF
    srt = d / "hand.srt"
    cues = []
    for i, line in enumerate(LINES):
        st, en = i * (SECONDS - XF), min((i + 1) * (SECONDS - XF), i * (SECONDS - XF) + SECONDS)

        def ts(x):
            return f"{int(x // 3600):02d}:{int(x % 3600 // 60):02d}:{int(x % 60):02d},{round(x % 1 * 1000):03d}"

        cues.append(f"{i + 1}\n{ts(st)} --> {ts(en - 0.001)}\n{line}\n")
    srt.write_text("\n".join(cues), encoding="utf-8")
    fonts = d / "hand_fonts"
    if not fonts.exists():
        fonts.mkdir()
        (fonts / cjk_font_path().name).symlink_to(cjk_font_path())
    args, f = [], []
    for c in clips:
        args += ["-i", str(c)]
    for v in voices:
        args += ["-i", str(v)]
    args += ["-stream_loop", "-1", "-i", str(music)]
    prev = "[0:v]"
    for i in range(1, N):
        f.append(f"{prev}[{i}:v]xfade=transition=fade:duration={XF}:offset={i * (SECONDS - XF)}[x{i}]")
        prev = f"[x{i}]"
    style = "FontName=Noto Sans SC,FontSize=26,Outline=2,Shadow=0,MarginV=24"
    f.append(
        f"{prev}subtitles=hand.srt:fontsdir=hand_fonts:force_style='{style}',"
        f"fade=t=in:d={FADE},fade=t=out:st={total - FADE}:d={FADE}[v]"
    )
    for i in range(N):
        ms = round(i * (SECONDS - XF) * 1000)
        f.append(f"[{N + i}:a]aresample=48000,aformat=channel_layouts=stereo,adelay={ms}:all=1[n{i}]")
    f.append(
        "".join(f"[n{i}]" for i in range(N)) + f"amix=inputs={N}:normalize=0:duration=longest,apad,asplit=2[nm][nk]"
    )
    f.append(f"[{2 * N}:a]aresample=48000,aformat=channel_layouts=stereo,volume=0.3[m]")
    f.append("[m][nk]sidechaincompress=threshold=0.03:ratio=8:attack=20:release=400[bed]")
    f.append(
        f"[bed][nm]amix=inputs=2:normalize=0:duration=first,loudnorm=I=-16:TP=-1.5:LRA=11,aresample=48000,"
        f"afade=t=in:d={FADE},afade=t=out:st={total - FADE}:d={FADE}[a]"
    )
    ff(args + ["-filter_complex", ";".join(f), "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "veryfast"]
       + ["-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k", "-t", str(total)]
       + ["-movflags", "+faststart", str(out)], cwd=d)  # fmt: skip


def hand_plain(clips, d: Path, out: Path) -> None:
    lst = d / "list.txt"
    lst.write_text("".join(f"file '{c}'\n" for c in clips))
    ff(["-f", "concat", "-safe", "0", "-i", str(lst), "-c", "copy", "-movflags", "+faststart", str(out)])


def moviepy_effects(clips, voices, music, out: Path) -> None:
    from moviepy import (
        AudioFileClip,
        CompositeAudioClip,
        CompositeVideoClip,
        TextClip,
        VideoFileClip,
        afx,
        concatenate_videoclips,
        vfx,
    )

    vids = [VideoFileClip(str(c)) for c in clips]
    seq = [vids[0]] + [v.with_effects([vfx.CrossFadeIn(XF)]) for v in vids[1:]]
    video = concatenate_videoclips(seq, method="compose", padding=-XF)
    total = video.duration
    texts = [
        TextClip(font=str(cjk_font_path()), text=line, font_size=26, color="white", stroke_color="black",
                 stroke_width=1, method="caption", size=(W - 80, None), text_align="center")
        .with_start(i * (SECONDS - XF)).with_duration(SECONDS - XF).with_position(("center", H - 70))
        for i, line in enumerate(LINES)
    ]  # fmt: skip
    comp = CompositeVideoClip([video, *texts], size=(W, H)).with_effects([vfx.FadeIn(FADE), vfx.FadeOut(FADE)])
    bed = AudioFileClip(str(music)).with_effects([afx.AudioLoop(duration=total), afx.MultiplyVolume(0.3)])
    narr = [AudioFileClip(str(v)).with_start(i * (SECONDS - XF)) for i, v in enumerate(voices)]
    audio = CompositeAudioClip([bed, *narr]).with_duration(total).with_effects([afx.AudioFadeOut(FADE)])
    comp.with_audio(audio).write_videofile(
        str(out), codec="libx264", preset="veryfast", audio_codec="aac", audio_bitrate="160k", fps=FPS,
        logger=None, ffmpeg_params=["-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
    )  # fmt: skip
    for v in vids:
        v.close()


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def paired(ours, theirs) -> tuple[float, float, float]:
    """Median of ours, of theirs, and of the per-pair ratio, over RUNS pairs (alternating the order)."""
    a, b, r = [], [], []
    for i in range(RUNS):
        if i % 2:
            tb, ta = timed(theirs), timed(ours)
        else:
            ta, tb = timed(ours), timed(theirs)
        a.append(ta), b.append(tb), r.append(ta / tb)
    return statistics.median(a), statistics.median(b), statistics.median(r)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-assemble-") as tmp:
        d = Path(tmp)
        t = time.perf_counter()
        clips, voices, music = make_inputs(d)
        print(f"inputs: {N} clips x {SECONDS:.0f} s at {W}x{H} {FPS} fps, made in {time.perf_counter() - t:.1f} s")
        start = statistics.median(timed(lambda: ff(["-version"])) for _ in range(5))
        # The studio reads each clip's facts once and keeps them (Studio._facts); so does this run.
        facts = inspect_clips([ClipPart(path=c, duration=SECONDS) for c in clips])
        plain = paired(
            lambda: ours_plain(clips, d / "ours_plain.mp4", facts), lambda: hand_plain(clips, d, d / "hand.mp4")
        )
        cold = paired(lambda: ours_plain(clips, d / "ours_cold.mp4"), lambda: hand_plain(clips, d, d / "hand.mp4"))
        if "--plain" in sys.argv:  # the quick half: only the no-effects path
            print(
                f"no effects: ours {plain[0]:.3f} s, concat copy {plain[1]:.3f} s, median ratio {plain[2]:.2f}, "
                f"difference {plain[0] - plain[1]:.3f} s, process start {start:.3f} s"
            )
            return
        eff = paired(
            lambda: ours_effects(clips, voices, music, d / "ours_fx.mp4"),
            lambda: hand_effects(clips, voices, music, d, d / "hand_fx.mp4"),
        )
        mp = timed(lambda: moviepy_effects(clips, voices, music, d / "moviepy_fx.mp4"))
        print()
        print("| comparison | ours median s | baseline median s | median ratio (5 pairs) | goal |")
        print("|---|---|---|---|---|")
        print(f"| effects: assemble() vs hand-written ffmpeg | {eff[0]:.2f} | {eff[1]:.2f} | {eff[2]:.3f} | <= 1.15 |")
        print(
            f"| no effects: assemble() vs concat -c copy | {plain[0]:.3f} | {plain[1]:.3f} | {plain[2]:.2f} "
            f"(ours - baseline = {plain[0] - plain[1]:.3f} s) | <= 1.1 + process start ({start:.3f} s) |"
        )
        print(
            f"| no effects, clips not read before (first assembly after a restart) | {cold[0]:.3f} | {cold[1]:.3f} "
            f"| {cold[2]:.2f} | - |"
        )
        print(f"| reference: moviepy, effects (1 run) | {mp:.2f} | {eff[1]:.2f} | {mp / eff[1]:.2f} | - |")


if __name__ == "__main__":
    main()
