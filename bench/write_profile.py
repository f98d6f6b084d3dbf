"""Where writing a storyboard spends its CPU in the web process (issue 15): cProfile of one warm write.

A studio (thread backend: everything in this process, as the web process did before the writer process) with
the configured writer and voice writes a few storyboards for one creator (so retrieval has past storyboards
to embed and every model is loaded), then one more write is profiled. Prints the write's wall and CPU time,
the load average, the CPU time per part (writer, retrieval embeddings, moderation, speech, storage) and the
top functions by cumulative time. `--backend worker` profiles the same write with the writer and speech in
their own processes: what is left in the web process.

Run: .venv/bin/python bench/write_profile.py [--backend thread|worker] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.privacy import apply_offline_env  # noqa: E402

apply_offline_env()

IDEAS = [
    "A fox wakes in its den. It runs across the snow. It finds a frozen river. It sleeps under the moon.",
    "A kite lifts off a green hill. It climbs above a village. It loops in the wind. It lands by a river.",
    "A train leaves a snowy station. It crosses a bridge. It enters a tunnel. It arrives at the sea.",
]
TIMED = "A girl plants a seed. Rain falls on the garden. A tree grows tall. She reads under its shade."
# Parts by the function whose cumulative time is theirs (file suffix, function name).
PARTS = {
    "writer (Writing.stream)": ("app/write.py", "stream"),
    "  of which retrieval (Retriever.rank)": ("models/writers/retrieval.py", "rank"),
    "writer process (WriterProcess.stream, waiting)": ("app/writer.py", "stream"),
    "moderation (ContentGuard.check)": ("app/moderation_store.py", "check"),
    "speech and timing (Timing.timed)": ("app/timing.py", "timed"),
    "storage (ProjectStore.create)": ("storage/projects.py", "create"),
    "embeddings, all callers (E5Embedder and USEEmbedder._encode)": ("models/embedder.py", "_encode"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="thread", choices=["thread", "worker"])
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    from app.settings import load_settings
    from app.studio import Studio
    from app.write import WriteRequest

    data = Path(tempfile.mkdtemp(prefix="storyreel-write-profile-")) / "data"
    settings = load_settings(environ={}, paths={"data_dir": str(data)}, jobs={"backend": args.backend})
    studio = Studio(settings)
    studio.start()
    try:
        user = studio.local_user()
        for idea in IDEAS:  # warm: models loaded, past storyboards to retrieve from
            studio.create_project(user, WriteRequest(idea=idea))
        profile = cProfile.Profile()
        load = os.getloadavg()
        wall, cpu = time.perf_counter(), time.process_time()
        profile.enable()
        studio.create_project(user, WriteRequest(idea=TIMED))
        profile.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        studio.close()
    stats = pstats.Stats(profile)
    print(f"backend {args.backend}: one warm write took {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU in this "
          f"process   load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}   cores {os.cpu_count()}")  # fmt: skip
    print("  cumulative time in the writing thread by part (wall time: waiting on another process counts):")
    for label, (suffix, name) in PARTS.items():
        found = [v for (file, _, fn), v in stats.stats.items() if file.endswith(suffix) and fn == name]  # type: ignore[attr-defined]
        if found:
            print(f"  {label:52s} {sum(v[3] for v in found) * 1000:7.0f} ms")
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
