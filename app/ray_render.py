"""Scene renders as Ray tasks ([jobs] backend = "ray"): each scene that needs rendering becomes one task
asking for `ray_num_gpus` GPUs (one GPU per scene on a GPU cluster, 0 on CPUs), run on any machine of the
cluster at `ray_address`. A task builds the engine from the same settings and registry as the studio (kept
in the Ray worker between tasks), renders and encodes the clip there, and returns the clip's bytes with its
first frame: clips come back to the studio's own media store through Ray's object store, so the cluster's
machines need no shared disk. The keyframe check, the clip rows and the film's assembly stay on the studio.

The cluster's workers need Storyreel's code and packages (the same Docker image, see docs/scale.md); the
code is found through PYTHONPATH set to this checkout's folder, the same path in the image.
"""

from __future__ import annotations

import functools
import json
import logging
import tempfile
from pathlib import Path

from pydantic import BaseModel

from app.jobs import JobContext
from models.video.base import Cancelled, Shot
from storage.tables import ClipRow, User

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.5


class SceneResult(BaseModel):
    """What a scene task sends back: the encoded clip and its frame count (the studio checks its keyframes)."""

    clip: bytes
    frames: int
    host: str = ""


@functools.lru_cache(maxsize=1)
def _engine(settings_json: str, preset_name: str):
    """The engine for a preset, built once per Ray worker process (a GPU keeps its model between scenes)."""
    from app.settings import Settings
    from app.studio import hooked_registry
    from models.registry import EngineContext

    body = json.loads(settings_json)
    settings = Settings(**body["settings"], base_dir=Path(body["base_dir"]))
    registry = hooked_registry(settings)
    preset = {"name": preset_name, **settings.video.presets[preset_name].model_dump()}
    context = EngineContext(models_dir=settings.models_dir, frames_dir=settings.data_dir / "frames",
                            base_dir=settings.base_dir)  # fmt: skip
    return registry.build("video", preset, context)


def render_scene(settings_json: str, shot_json: str) -> SceneResult:
    """The Ray task: one shot → an H.264 clip's bytes (runs on a cluster machine)."""
    import socket

    from models.ffmpeg import encode_h264

    shot = Shot.model_validate_json(shot_json)
    engine = _engine(settings_json, shot.engine)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.mp4"
        count = encode_h264(engine.render(shot), path, shot.width, shot.height, shot.fps)
        return SceneResult(clip=path.read_bytes(), frames=count, host=socket.gethostname())


def _connect(settings) -> None:
    import ray

    if ray.is_initialized():
        return
    jobs = settings.jobs
    ray.init(address=jobs.ray_address or None, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})  # fmt: skip


def render_on_ray(
    rendering, owner: User, project_id: int, shots: list[Shot], scenes: list[tuple[int, int | None]], ctx: JobContext
) -> list[ClipRow]:
    """Render the shots as Ray tasks, all at once across the cluster; store each clip as it comes back (in
    order) and return their rows. A cancel cancels the tasks still running."""
    import ray

    from app.worker import settings_payload

    settings = rendering.settings
    _connect(settings)
    task = ray.remote(num_gpus=settings.jobs.ray_num_gpus, num_cpus=settings.jobs.ray_num_cpus,
                      max_retries=1)(render_scene)  # fmt: skip
    payload = json.dumps(settings_payload(settings))
    refs = [task.remote(payload, shot.model_dump_json()) for shot in shots]
    log.info("job %d: %d scene(s) sent to Ray", ctx.job_id, len(refs))
    clips: list[ClipRow] = []
    try:
        for i, (ref, shot, (number, scene_id)) in enumerate(zip(refs, shots, scenes, strict=True)):
            ctx.report(i / len(shots) * 0.9, "render_progress", force=True, scene=i + 1, total=len(shots))
            while not ray.wait([ref], timeout=POLL_SECONDS)[0]:
                if ctx.cancel.is_set():
                    raise Cancelled("render cancelled")
            result: SceneResult = ray.get(ref)
            clips.append(_store(rendering, owner, project_id, number, scene_id, shot, result))
    except BaseException:
        for ref in refs:
            ray.cancel(ref, force=False)
        raise
    return clips


def _store(
    rendering, owner: User, project_id: int, number: int, scene_id: int | None, shot: Shot, result: SceneResult
) -> ClipRow:
    """Keep a clip a Ray task sent back, after the same keyframe check (first, middle, last frame) a clip
    rendered here gets."""
    dest = rendering.media.new_path(owner.id, "clips", ".mp4")
    with rendering.media.atomic(dest) as tmp:
        Path(tmp).write_bytes(result.clip)
        rendering.guard.check_clip(owner, number, tmp)
    return rendering.add_clip(owner, project_id, scene_id, shot, dest, result.frames)
