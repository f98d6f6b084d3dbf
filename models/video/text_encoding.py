"""Prompt embeddings for a diffusion pipeline, made before the denoiser is placed.

With the run-once policy the text encoder (UMT5-XXL 11.4 GB, T5-XXL 9.5 GB: larger than most denoisers) is
loaded once per job, encodes every prompt of the job on the device the policy gives it (the card when it
fits there alone, else the CPU), and is freed before the denoiser takes the card. The embeddings are kept on
the CPU, keyed by prompt, negative prompt and whether guidance needs the negative half.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from models import vram
from models.errors import UserError
from models.video.families import FamilySpec

log = logging.getLogger(__name__)

Request = tuple[str, str, bool]  # (prompt, negative prompt, classifier-free guidance)


class PromptEncoder:
    """Encodes prompts through the pipeline's own `encode_prompt` and keeps the embeddings."""

    def __init__(self, spec: FamilySpec, model_path: Path, dtype_name: str, engine: str) -> None:
        self.spec, self.model_path, self.dtype_name, self.engine = spec, model_path, dtype_name, engine
        self._embeds: dict[Request, dict[str, Any]] = {}
        self.loads = 0  # times the text encoder was read from disk

    def clear(self) -> None:
        self._embeds.clear()

    def missing(self, requests: list[Request]) -> list[Request]:
        return [r for r in dict.fromkeys(requests) if r not in self._embeds]

    def encode_all(self, pipe: Any, requests: list[Request], device: Any) -> None:
        """Encode every missing request; a run-once encoder is loaded for this and freed after."""
        todo = self.missing(requests)
        if not todo:
            return
        loaded_here = pipe.text_encoder is None
        if loaded_here:
            pipe.text_encoder = self.load_text_encoder(device)
        try:
            for prompt, negative, cfg in todo:
                kw: dict[str, Any] = dict(
                    prompt=prompt, negative_prompt=negative or None, do_classifier_free_guidance=cfg, device=device
                )
                if (n := self.spec.max_sequence_length(pipe)) is not None:
                    kw["max_sequence_length"] = n
                with vram.inference_mode():
                    out = pipe.encode_prompt(**kw)
                embeds = {k: v for k, v in zip(self.spec.embed_names, out, strict=True) if v is not None}
                self._embeds[(prompt, negative, cfg)] = {k: v.cpu() for k, v in embeds.items()}
        finally:
            if loaded_here:
                pipe.text_encoder = None
                vram.release_memory()

    def get(self, request: Request, device: Any) -> dict[str, Any]:
        return {k: v.to(device) for k, v in self._embeds[request].items()}

    def load_text_encoder(self, device: Any) -> Any:
        import transformers

        index = json.loads((self.model_path / "model_index.json").read_text())
        library, cls = index["text_encoder"]
        if library != "transformers":
            raise UserError(
                "engine_missing", engine=self.engine, detail=f"text encoder from {library} is not supported"
            )
        log.info("loading the text encoder of %s onto %s", self.engine, device)
        model = getattr(transformers, cls).from_pretrained(
            str(self.model_path / "text_encoder"), dtype=vram.torch_dtype(self.dtype_name)
        )
        self.loads += 1
        return vram.place_module(model, device).eval()
