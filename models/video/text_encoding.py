"""Prompt embeddings for a diffusion pipeline. With the run-once policy the text encoder is loaded on its
own, used, and freed; the embeddings are kept on the CPU for the shots that follow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models import vram
from models.errors import UserError
from models.video.families import FamilySpec


class PromptEncoder:
    """Encodes prompts through the pipeline's own `encode_prompt`, caching run-once embeddings."""

    def __init__(self, spec: FamilySpec, model_path: Path, dtype_name: str, engine: str) -> None:
        self.spec, self.model_path, self.dtype_name, self.engine = spec, model_path, dtype_name, engine
        self._embeds: dict[tuple[str, str], dict[str, Any]] = {}

    def clear(self) -> None:
        self._embeds.clear()

    def encode(self, pipe: Any, policy: vram.MemoryPolicy, prompt: str, negative: str, cfg: bool) -> dict[str, Any]:
        key = (prompt, negative)
        device = vram.execution_device(pipe, policy)
        if key in self._embeds:
            return {k: v.to(device) for k, v in self._embeds[key].items()}
        loaded_here = pipe.text_encoder is None
        if loaded_here:
            pipe.text_encoder = self.load_text_encoder(device)
        try:
            kw: dict[str, Any] = dict(
                prompt=prompt, negative_prompt=negative or None, do_classifier_free_guidance=cfg, device=device
            )
            if (n := self.spec.max_sequence_length(pipe)) is not None:
                kw["max_sequence_length"] = n
            out = pipe.encode_prompt(**kw)
        finally:
            if loaded_here:
                pipe.text_encoder = None
                vram.release_memory()
        embeds = {k: v for k, v in zip(self.spec.embed_names, out, strict=True) if v is not None}
        if loaded_here:
            self._embeds[key] = {k: v.cpu() for k, v in embeds.items()}
        return embeds

    def load_text_encoder(self, device: Any) -> Any:
        import transformers

        index = json.loads((self.model_path / "model_index.json").read_text())
        library, cls = index["text_encoder"]
        if library != "transformers":
            raise UserError(
                "engine_missing", engine=self.engine, detail=f"text encoder from {library} is not supported"
            )
        model = getattr(transformers, cls).from_pretrained(
            str(self.model_path / "text_encoder"), dtype=vram.torch_dtype(self.dtype_name)
        )
        return vram.place_module(model, device).eval()
