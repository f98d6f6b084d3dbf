"""The diffusion video engine: one diffusers pipeline behind the `VideoEngine` interface, for every family in
`models.video.families` (Wan, LTX-Video, CogVideoX, Stable Video Diffusion with a text-to-image keyframe).

Reads top to bottom as a job does: choose the memory policy for the card as it is now; load the pipeline
(on the CPU); draw the job's keyframes and encode its prompts while the card is still free; place the
denoiser; then for each shot plan it on the model's grid, call the pipeline, and fit the clip to the film. What differs between
families is asked of the family spec (grid, call arguments, prompt length, latent layout); the engine
never asks which family it holds. Memory decisions are `models.vram`'s.

About 490 lines, over the ~400 guideline on purpose: the job's order (policy, load, keyframes, prompts,
placement, render, continuity) is the one thing to read top to bottom here; the parts that are not about
that order already live beside it (families/, frames, presets, keyframes, text_encoding, speedups,
card_table).
"""

from __future__ import annotations

import inspect
import logging
import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from PIL import Image
from pydantic import ValidationError

from models import vram
from models.errors import UserError
from models.video.base import Cancelled, ProgressFn, Shot, VideoEngine
from models.video.families import FAMILIES, FamilySpec
from models.video.frames import colour_match, fit, frames_for, resample, retime, save_png, snap
from models.video.keyframes import KeyframeMaker
from models.video.presets import (
    DiffusionPreset,
    RenderStatus,
    local_dir_name,
    model_size_on_disk,
    resolve_model_path,
)
from models.video.previews import PreviewCadence, Previewer
from models.video.speedups import SpeedState, apply_load_speedups, compile_failed, configure
from models.video.text_encoding import PromptEncoder

log = logging.getLogger(__name__)
GB = 1e9

__all__ = [
    "FAMILIES",
    "DiffusionEngine",
    "DiffusionPreset",
    "FamilySpec",
    "RenderStatus",
    "build_engine",
    "chain_frame_name",
    "colour_match",
    "fit",
    "frames_for",
    "local_dir_name",
    "resolve_model_path",
    "retime",
    "snap",
]


class MemoryNeighbour(Protocol):
    """Another model sharing the card (the storyboard LLM): freed when the video model needs the room."""

    def held_bytes(self) -> int: ...

    def unload(self) -> None: ...


class DiffusionEngine(VideoEngine):
    """Renders Shots with one diffusers pipeline, chosen by a preset; loads lazily, keeps it between shots."""

    gives_previews = True  # TAEHV's decoder of the current step's latents, or a latent-to-RGB projection

    def __init__(
        self,
        preset: DiffusionPreset,
        models_dir: Path | None = None,
        frames_dir: Path | None = None,
        device_info: vram.DeviceInfo | None = None,
        neighbours: list[MemoryNeighbour] | None = None,
    ) -> None:
        self.preset = preset
        self.spec = FAMILIES[preset.family]
        self.name = preset.name or preset.family
        self.models_dir = Path(models_dir) if models_dir else None
        self.frames_dir = Path(frames_dir) if frames_dir else None
        # A given device (an emulated card, a test) is kept; otherwise the card is probed again at every
        # load, since what is free changes between jobs (the LLM, other programs).
        self._fixed_device = device_info
        self.device_info = device_info or self._probe()
        self.neighbours: list[MemoryNeighbour] = list(neighbours or [])
        self.dtype_name = preset.dtype or self.spec.dtype
        self.status = RenderStatus()
        self.policy: vram.MemoryPolicy | None = None
        # Set once a scene ran out of memory (lower_memory_policy): every later load of this engine uses it
        # instead of the card's fresh choice, which had just proved too hopeful.
        self._lowered: vram.MemoryPolicy | None = None
        self._pipe: Any = None
        self._placed = False
        self._i2v: Any = None
        self._path: Path | None = None
        self._prompts: PromptEncoder | None = None
        self._keyframes: dict[str, np.ndarray] = {}  # by shot hash, drawn before the video model is placed
        self._measured_sec_per_step: float | None = None  # at the family's native size, from real renders
        self.speed = SpeedState()  # the speed options on the loaded pipeline, and those dropped here
        self.lora_problem: str | None = None  # why the preset's distill LoRA is not applied, when it is not
        self.previewer = Previewer(self.spec.layout, preset.preview, self._preview_weights())
        self._lock = threading.Lock()  # one render at a time per loaded model

    @property
    def loaded(self) -> bool:
        return self._pipe is not None

    def _probe(self) -> vram.DeviceInfo:
        return vram.DeviceInfo() if self.preset.device == "cpu" else vram.probe_device()

    # -- the memory policy ----------------------------------------------------------------------------
    @property
    def model_path(self) -> Path:
        if self._path is None:
            self._path = resolve_model_path(self.preset.repo, self.models_dir, self.name)
        return self._path

    @property
    def prompts(self) -> PromptEncoder:
        if self._prompts is None:
            self._prompts = PromptEncoder(self.spec, self.model_path, self.dtype_name, self.name)
        return self._prompts

    def model_size(self, disk: dict[str, int] | None = None) -> vram.ModelSize:
        """Declared sizes from the preset, else the weight files on disk (the chosen variant only).
        Activations follow from the model's size and the family's token count; they are 0 on a CPU."""
        if disk is None:
            disk = model_size_on_disk(self.model_path, self.preset.variant)
        denoiser = (
            self.preset.denoiser_gb * GB
            if self.preset.denoiser_gb
            else sum(disk.get(k, 0) for k in ("transformer", "transformer_2", "unet"))
        )
        te = (
            self.preset.text_encoder_gb * GB
            if self.preset.text_encoder_gb is not None
            else sum(disk.get(k, 0) for k in ("text_encoder", "text_encoder_2", "image_encoder"))
        )
        on_card = self.device_info.device == "cuda"
        experts = 2 if self.preset.denoiser_gb and "transformer_2" in disk else 1
        activations = vram.step_activations(
            int(denoiser / experts), self.spec.native_tokens, self.spec.model_width, self.spec.cfg_batch
        )
        return vram.ModelSize(
            denoiser=int(denoiser),
            text_encoder=int(te),
            vae=int(disk.get("vae") or (self.spec.vae_gb * GB if on_card else 0)),
            activations=activations if on_card else 0,
            vae_decode=int(self.spec.vae_decode_gb * GB) if on_card else 0,
            block=int(denoiser / experts / (40 if denoiser / experts > 20 * GB else 30)),
        )

    def _preview_weights(self) -> Path | None:
        from models.download import single_file_dir

        p = self.preset
        if not (p.preview_repo and p.preview_file):
            return None
        return single_file_dir(p.preview_repo, self.models_dir) / p.preview_file

    def _overrides(self) -> vram.MemoryOverrides:
        p = self.preset
        weights = p.weights
        if weights == "fp8":  # FP8 compute where the card has FP8 units, FP8 storage elsewhere (models.vram)
            weights = vram.fp8_weights(self.device_info)
        return vram.MemoryOverrides(
            **{
                k: v
                for k, v in dict(placement=p.placement, weights=weights, text_encoder=p.text_encoder).items()
                if v != "auto"
            },
            **({"vae_tiling": p.vae_tiling == "on"} if p.vae_tiling != "auto" else {}),
        )

    def choose_policy(self, model: vram.ModelSize | None = None, ram_bytes: int | None = None) -> vram.MemoryPolicy:
        info = self.device_info = self._fixed_device or self._probe()
        return vram.choose_policy(
            info.total_bytes,
            info.free_bytes,
            model or self.model_size(),
            self.spec.name,
            self._overrides(),
            ram_bytes=ram_bytes or vram.system_ram_bytes(),
            llm_bytes=sum(n.held_bytes() for n in self.neighbours),
            device=info.compute_device,
        )

    # -- loading: read from disk, then place once keyframes and prompts are done ----------------------
    def load(self) -> Any:
        """The pipeline, read from disk (on the CPU) as the memory policy says; placed later, by `_place`."""
        if self._pipe is not None:
            return self._pipe
        path = self.model_path  # a missing model is reported before the slow diffusers import
        from diffusers import DiffusionPipeline

        policy = self._lowered or self.choose_policy()
        log.info("loading %s from %s: %s", self.name, path, policy.reason)
        if policy.unload_llm:
            for neighbour in self.neighbours:
                neighbour.unload()
        dtype = vram.torch_dtype(self.dtype_name)
        kwargs: dict[str, Any] = dict(dtype=self._load_dtypes(), **vram.load_kwargs(policy, dtype))
        if self.preset.variant:
            kwargs["variant"] = self.preset.variant
        if policy.text_encoder == "once" and self.spec.has_text:
            kwargs["text_encoder"] = None  # loaded on its own when prompts are encoded, then freed
        try:
            # from_pretrained(dtype=) keeps the layers a model wants in FP32 (Wan's norms and embeddings).
            pipe = DiffusionPipeline.from_pretrained(str(path), **kwargs)
        except (OSError, ValueError) as exc:
            raise UserError("engine_missing", engine=self.name, detail=str(exc).splitlines()[0][:300]) from None
        if type(pipe).__name__ not in self.spec.pipelines:
            raise UserError(
                "engine_missing",
                engine=self.name,
                detail=f"{path.name} holds a {type(pipe).__name__}, not a {self.spec.pipelines[0]}",
            )
        pipe.set_progress_bar_config(disable=True)
        self.speed = SpeedState()
        self.lora_problem = apply_load_speedups(pipe, self.preset, self.models_dir, self.name)
        self._pipe, self.policy, self._placed = pipe, policy, False
        return pipe

    def _load_dtypes(self) -> Any:
        """The load dtype, with the family's FP32 components kept in FP32 (a per-component dtype map)."""
        dtype = vram.torch_dtype(self.dtype_name)
        if not self.spec.fp32_components or self.dtype_name == "float32":
            return dtype
        return {"default": dtype, **{c: vram.torch_dtype("float32") for c in self.spec.fp32_components}}

    def _place(self) -> Any:
        """Put the denoiser where the policy says (once per load): after the keyframes and the prompts."""
        pipe = self.load()
        if not self._placed:
            assert self.policy is not None
            vram.apply_policy(pipe, self.policy, offload_dir=(self.models_dir or Path(".")) / ".offload" / self.name)
            self._placed = True
        return pipe

    def lower_memory_policy(self) -> bool:
        """Step down to the policy models.vram gives after an out-of-memory (one rung more offload, VAE tiled,
        the LLM freed). Offload hooks cannot be undone in place, so the pipeline is dropped and the next render
        loads it again under the lower policy."""
        current = self.policy or self._lowered or self.choose_policy()
        lower = vram.lower_policy(current, self.model_size(), on_card=self.device_info.total_bytes > 0)
        if lower is None:
            return False
        log.warning("%s: %s", self.name, lower.reason)
        self.unload()
        self._lowered = lower
        return True

    def unload(self) -> None:
        """Drop the pipeline and give its memory back (VRAM returns to its baseline)."""
        self._pipe = self._i2v = None
        self._placed = False
        self._keyframes.clear()
        self.previewer.close()
        if self._prompts is not None:
            self._prompts.clear()
        vram.release_memory()

    # -- grid -----------------------------------------------------------------------------------------
    def plan(self, shot: Shot, pipe: Any | None = None) -> tuple[int, int, int]:
        """(width, height, frames) the model renders for a shot, on its own grid, at its own frame rate."""
        size_m, frame_m = (
            self.spec.grid(pipe) if pipe is not None else (self.spec.size_multiple, self.spec.frame_multiple)
        )
        w, h = self.preset.render_size or self.spec.render_size or (shot.width, shot.height)
        if shot.height > shot.width and (self.preset.render_size or self.spec.render_size):
            w, h = h, w  # a fixed-size model still renders portrait shots in portrait
        max_frames = self.preset.max_frames or self.spec.max_frames
        wanted = max(1, math.ceil((shot.frames - 1) / shot.fps * self.spec.model_fps) + 1)
        return snap(w, size_m), snap(h, size_m), frames_for(wanted, frame_m, max_frames, self.spec.fixed_frames)

    def steps(self, shot: Shot) -> int:
        if self.preset.timesteps:  # a distilled schedule is the step count (LTX 0.9.7 distilled: 8)
            return len(self.preset.timesteps)
        return shot.steps or self.preset.steps or self.spec.steps

    def guidance(self, shot: Shot) -> float:
        """One resolution for the job's encoding and the render: the shot's, else the preset's, else the model's."""
        return shot.guidance or self.preset.guidance or self.spec.guidance

    # -- estimates ------------------------------------------------------------------------------------
    def card_speed(self) -> float:
        return self.preset.card_speed or vram.card_speed(self.device_info)

    def _step_scale(self, w: int, h: int, frames: int) -> float:
        nw, nh, nf = self.spec.native
        r = (w * h * frames) / (nw * nh * nf)
        a = self.spec.attention_fraction
        return r * ((1 - a) + a * r)  # linears grow with tokens, attention with tokens²

    def estimate_seconds(self, shot: Shot) -> float:
        w, h, f = self.plan(shot)
        steps = self.steps(shot)
        if self._measured_sec_per_step is not None:
            native = self._measured_sec_per_step
        elif self.preset.sec_per_step:
            native = self.preset.sec_per_step
        else:
            native = self.spec.sec_per_step_h100 / self.card_speed()
        decode = 0.15 * native * 10 * (w * h * f) / math.prod(self.spec.native)  # ≈ ten steps' worth at native
        keyframe = 0.0
        if self.spec.needs_image and not shot.init_image:
            keyframe = 0.05 * native * self.preset.keyframe_steps
        return steps * native * self._step_scale(w, h, f) + decode + keyframe

    # -- a job's shared work: keyframes, then prompts, then the denoiser takes the card ----------------
    def prepare(self, shots: list[Shot]) -> None:
        """Draw every keyframe and encode every prompt of a job while the card is still free, each model
        loaded once, then place the denoiser. render() calls it for its own shot when a job did not."""
        pipe = self.load()
        pending = [s for s in shots if self._needs_keyframe(s) and s.content_hash() not in self._keyframes]
        requests = [self._request(s) for s in shots] if self.spec.has_text else []
        if self._placed and (pending or (requests and self.prompts.missing(requests))):
            if pending:  # a keyframe model cannot join a placed video model on a small card: start over
                log.info("%s: a keyframe is needed after the video model was placed; reloading it after", self.name)
                self.unload()
                pipe = self.load()
        if pending:
            self._draw_keyframes(pipe, pending)
        if requests:
            # Before placement the encoder has the card to itself (when it fits there); once the denoiser is
            # placed, a late prompt is encoded where it cannot take the denoiser's room: the CPU.
            assert self.policy is not None
            device = self.policy.text_encoder_device if not self._placed else "cpu"
            if self.policy.text_encoder == "resident":
                pipe = self._place()
                device = vram.execution_device(pipe, self.policy)
            self.prompts.encode_all(pipe, requests, device)
        self._place()

    def _request(self, shot: Shot) -> tuple[str, str, bool]:
        return shot.prompt, shot.negative_prompt, self.guidance(shot) > 1.0

    def _needs_keyframe(self, shot: Shot) -> bool:
        """An image-only model with no start image: the first scene of a chain, or every unchained one."""
        return self.spec.needs_image and not shot.init_image

    def _draw_keyframes(self, pipe: Any, shots: list[Shot]) -> None:
        maker = KeyframeMaker(self.preset, self.models_dir, self.name, self.device_info)
        try:
            for shot in shots:
                w, h, _ = self.plan(shot, pipe)
                self._keyframes[shot.content_hash()] = maker.draw(shot, w, h)
        finally:
            maker.close()

    # -- images ---------------------------------------------------------------------------------------
    def _start_image(self, shot: Shot, w: int, h: int) -> Image.Image | None:
        path = self._resolve_frame(shot.init_image)
        if path is not None and path.is_file():
            return Image.fromarray(fit(np.asarray(Image.open(path).convert("RGB")), w, h))
        if shot.init_image:
            log.warning("start image %s is missing; rendering scene without it", shot.init_image)
        keyframe = self._keyframes.get(shot.content_hash())
        if keyframe is None and self.spec.needs_image:  # a chained scene whose previous frame is missing
            self.prepare([shot.model_copy(update={"init_image": None})])
            keyframe = self._keyframes[shot.model_copy(update={"init_image": None}).content_hash()]
        return Image.fromarray(fit(keyframe, w, h)) if keyframe is not None else None

    def _resolve_frame(self, name: str | None) -> Path | None:
        if not name:
            return None
        p = Path(name)
        return p if p.is_absolute() or self.frames_dir is None else self.frames_dir / p

    # -- rendering ------------------------------------------------------------------------------------
    def render(
        self, shot: Shot, progress: ProgressFn | None = None, cancel: threading.Event | None = None
    ) -> Iterator[np.ndarray]:
        """Yield shot.frames RGB uint8 frames of shot.width × shot.height; raise Cancelled between steps."""
        with self._lock:
            try:
                frames = self._render(shot, progress, cancel)
            except BaseException as exc:
                # The traceback holds the pipeline's frames, and with them the latents and activations: clear
                # them before giving the memory back, or a cancelled render keeps its VRAM until the next job.
                _drop_frames(exc)
                vram.release_memory()
                raise
            vram.release_memory()
        yield from frames

    def _render(self, shot: Shot, progress: ProgressFn | None, cancel: threading.Event | None) -> np.ndarray:
        if cancel is not None and cancel.is_set():
            raise Cancelled("render cancelled")
        self.prepare([shot])  # nothing to do when the job prepared it
        w, h, nframes = self.plan(shot, self.load())
        image = self._start_image(shot, w, h)
        pipe = self._place()
        steps, guidance = self.steps(shot), self.guidance(shot)
        total = steps
        done = 0
        start = time.perf_counter()
        self.status = RenderStatus(total=total)
        cadence = PreviewCadence(self.preset.preview_every, total, self.preset.preview_budget)

        def tick(latents: Any = None, grid: tuple[int, int, int] | None = None) -> None:
            nonlocal done
            done += 1
            elapsed = time.perf_counter() - start
            self.status = RenderStatus(step=done, total=total, elapsed_s=elapsed, eta_s=elapsed / done * (total - done))
            preview = None
            if progress is not None and latents is not None and cadence.due(done):
                t0 = time.perf_counter()
                preview = self.previewer.image(latents, grid)
                cadence.record(done, time.perf_counter() - t0)
            if progress is not None:
                progress(done, total, preview)
            # Raising here leaves the pipeline at once: the remaining steps and the VAE decode never run.
            if cancel is not None and cancel.is_set():
                raise Cancelled("render cancelled")

        if progress is not None:
            progress(0, total, None)
        use = pipe
        if image is not None and not self.spec.needs_image and not _takes(pipe, "image"):
            if self.spec.i2v_pipeline is None:
                log.info("%s has no image-to-video mode; scene %s starts from text only", self.name, shot.prompt[:40])
                image = None
            else:
                use = self._i2v_pipe(pipe)
        grid = self.spec.latent_grid(use, w, h, nframes)
        kwargs: dict[str, Any] = dict(
            height=h,
            width=w,
            num_frames=nframes,
            num_inference_steps=steps,
            generator=vram.cpu_generator(shot.seed),
            output_type="np",
            callback_on_step_end=lambda p, i, t, k: (tick(k.get("latents"), grid), k)[1],
            callback_on_step_end_tensor_inputs=["latents"],
        )
        if image is not None:
            kwargs["image"] = image
        kwargs.update(self.spec.call_kwargs(shot, guidance, self.preset, self.policy, use))
        distilled = {"timesteps": self.preset.timesteps, "guidance_rescale": self.preset.guidance_rescale}
        kwargs.update({k: v for k, v in distilled.items() if v is not None and _takes(use, k)})
        if self.spec.has_text:
            assert self.policy is not None
            kwargs.update(self.prompts.get(self._request(shot), vram.execution_device(use, self.policy)))
            if (n := self.spec.max_sequence_length(use)) is not None:
                kwargs["max_sequence_length"] = n
        configure(use, self.preset.speed(shot.quality), self.preset, steps, self.speed, self.name)
        with vram.inference_mode():
            try:
                out = use(**kwargs).frames
            except Exception as exc:
                # torch.compile compiles at the first call; a compiler failure surfaces here: undo it, retry once
                if not _compiler_error(exc) or not compile_failed(use, self.speed, exc, self.name):
                    raise
                done, kwargs["generator"] = 0, vram.cpu_generator(shot.seed)  # the same noise again
                out = use(**kwargs).frames
        video = np.asarray(out[0], dtype=np.float32)  # (F, H, W, 3) in [0, 1]
        del out
        self._measure(time.perf_counter() - start, steps, w, h, nframes)
        video = resample(video, self.spec.model_fps, shot.frames, shot.fps)
        clip = (np.clip(video, 0, 1) * 255).round().astype(np.uint8)
        clip = np.stack([fit(f, shot.width, shot.height) for f in clip])
        return self._continuity(shot, clip)

    def _i2v_pipe(self, pipe: Any) -> Any:
        """The image-to-video pipeline over the same modules. Built from the components themselves, not with
        from_pipe: from_pipe casts every module to its `dtype` argument (float32 when absent), which turned a
        bf16 LTX into fp32 in place, and would upcast FP8-stored weights."""
        if self._i2v is None:
            import diffusers

            cls = getattr(diffusers, self.spec.i2v_pipeline)
            names = [n for n in inspect.signature(cls.__init__).parameters if n != "self"]
            self._i2v = cls(**{n: getattr(pipe, n) for n in names if hasattr(pipe, n)})
            self._i2v.set_progress_bar_config(disable=True)
        return self._i2v

    def _measure(self, seconds: float, steps: int, w: int, h: int, frames: int) -> None:
        """Remember this card's real speed, as seconds per step at the family's native size."""
        if steps < 2:
            return
        self._measured_sec_per_step = seconds / steps / self._step_scale(w, h, frames)

    def _continuity(self, shot: Shot, clip: np.ndarray) -> np.ndarray:
        """Colour-match a chained clip to the first clip, and keep this clip's last frame for the next."""
        if self.frames_dir is None:
            return clip
        self.frames_dir.mkdir(parents=True, exist_ok=True)
        key = shot.content_hash()
        prev = self._resolve_frame(shot.init_image)
        ref_path = prev.with_name(prev.name.replace(".last.png", ".ref.png")) if prev else None
        if ref_path is not None and ref_path.is_file() and self.preset.colour_match > 0:
            reference = np.asarray(Image.open(ref_path).convert("RGB"))
            clip = colour_match(clip, reference, self.preset.colour_match)
            reference_out = reference
        else:
            reference_out = clip[0]  # this clip starts a chain: it is the reference for the ones after it
        save_png(clip[-1], self.frames_dir / f"{key}.last.png")
        save_png(reference_out, self.frames_dir / f"{key}.ref.png")
        return clip


def _drop_frames(exc: BaseException) -> None:
    """Clear the locals of every finished frame the exception's traceback holds. frame.clear() alone leaves
    the dict that `locals()` made (diffusers' step callback calls locals()), which still holds the latents."""
    tb = exc.__traceback__.tb_next if exc.__traceback__ else None  # the first frame is this one, still running
    while tb is not None:
        frame = tb.tb_frame
        try:
            frame.f_locals.clear()
            frame.clear()
        except RuntimeError:  # a frame still executing (a generator up the stack): nothing to drop there
            pass
        tb = tb.tb_next


def _takes(pipe: Any, name: str) -> bool:
    """Whether the pipeline's __call__ has this argument (LTXConditionPipeline takes `image` and `timesteps`)."""
    return name in inspect.signature(type(pipe).__call__).parameters


def _compiler_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("torch._dynamo", "torch._inductor"))


def chain_frame_name(previous: Shot) -> str:
    """The init_image a chained scene names: the previous scene's last frame, in the engine's frames folder."""
    return f"{previous.content_hash()}.last.png"


def build_engine(preset: dict[str, Any], models_dir: Path | None, frames_dir: Path | None = None) -> DiffusionEngine:
    """The registry's factory: validate the preset (a typo is an error naming the key), build the engine."""
    try:
        parsed = DiffusionPreset(**preset)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UserError("engine_missing", engine=preset.get("name", "?"), detail=detail) from None
    return DiffusionEngine(parsed, models_dir=models_dir, frames_dir=frames_dir)
