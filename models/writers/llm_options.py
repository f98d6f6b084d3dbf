"""What configures the LLM storyboard writer, and the one error it raises when its model cannot be used.

Kept apart from the writer so the loader, the settings and the writer share these without importing torch.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EMBEDDED = "embedded"


class LLMUnavailable(RuntimeError):
    """The configured model cannot be loaded; the message says why and what to install or fix."""


class LLMOptions(BaseModel):
    """Which model, where, and how it decodes (the `[storyboard.presets.*]` settings)."""

    model: str = Field(EMBEDDED, description="'embedded', a folder with config.json, or a .gguf file")
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = "auto"
    quantization: Literal["none", "4bit"] = "none"
    device: Literal["auto", "cpu", "cuda"] = "auto"
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    top_p: float = Field(0.95, gt=0.0, le=1.0)
    max_new_tokens: int = Field(1500, ge=16, le=16384)
    # Longest description (characters) one beat may get in "beats" mode. Its token budget is this plus the
    # JSON around it: every allowed token holds at least one character, so the JSON always closes.
    beat_chars: int = Field(90, ge=20, le=400)
    mode: Literal["auto", "whole", "beats"] = "auto"
    threads: int | None = Field(None, ge=1, le=256)
