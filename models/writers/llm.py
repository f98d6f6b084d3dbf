"""LLM storyboard writers: a causal LM through transformers (a safetensors folder or a GGUF file), its
decoding constrained by xgrammar to the storyboard JSON schema so every output parses, and scenes
streamed to the caller as soon as each scene's JSON object closes.

What reaches the user always goes through the planner's clean-up (`refine.refine`): a small model writes
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

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

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
from models.writers.compose import SHOT_NAMES, with_looks
from models.writers.constrained import ConstrainedLM
from models.writers.facts import Cast, Person
from models.writers.grounding import Grounding
from models.writers.json_stream import SceneStream
from models.writers.llm_loading import (  # re-exported: callers import these from models.writers.llm
    EMBEDDED_FILE,
    convert_gguf,
    converted_folder,
    embedded_model_path,
    load_causal_lm,
    resolve_model,
)
from models.writers.llm_options import EMBEDDED, LLMOptions, LLMUnavailable
from models.writers.llm_prompts import LANGUAGE_NAMES, REWRITE_SYSTEM, WHOLE_SYSTEM, beat_prompt, english_moments
from models.writers.llm_tidy import description_of, echoes, tidy_cut, without_repeats
from models.writers.narration_timing import scene_seconds
from models.writers.planner import PlannerOptions, clean_idea, distinct_descriptions, plan_storyboard
from models.writers.quality import is_generic
from models.writers.refine import Draft, refine

log = logging.getLogger(__name__)

__all__ = [
    "EMBEDDED",
    "EMBEDDED_FILE",
    "ConstrainedLM",
    "LLMOptions",
    "LLMUnavailable",
    "LLMWriter",
    "SceneStream",
    "convert_gguf",
    "converted_folder",
    "embedded_model_path",
    "load_causal_lm",
    "resolve_model",
    "tidy_cut",
    "without_repeats",
    "writer_unavailable",
]

SMALL_MODEL_PARAMS = 1_000_000_000
BEAT_JSON_TOKENS = 4  # the closing '"}' and end of text; the opening is in the prompt (DESCRIPTION_PREFIX)
DESCRIPTION_PREFIX = '{"description": "'
_description_of = description_of  # the name the tests know


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

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory now (it loads on first use)."""
        return self._lm is not None

    # The video engine's memory neighbour: what this writer holds on the card, and how to free it.
    def held_bytes(self) -> int:
        """Bytes the loaded model holds on the accelerator (0 when not loaded or on the CPU)."""
        from models import vram

        lm = self._lm
        return vram.accelerator_bytes(lm.model) if lm is not None else 0

    def unload(self) -> None:
        """Drop the model (it loads again on next use), so a video model can have the card."""
        from models import vram

        with self._load_lock:
            self._lm = None
        vram.release_memory()

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
        prompts = [beat_prompt(m) for m in english_moments(idea, plan)]
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
        """The plan's first len(raws) scenes, each described by the model where it wrote something new that
        names something of the idea; the planner's description otherwise."""
        texts: list[str] = []  # what the model wrote, to catch it repeating itself
        written: list[str] = []
        ground = Grounding(plan)
        looks = {c.name.lower(): c.look for c in plan.characters}
        cast = Cast(people={c.name: Person(name=c.name, look=c.look) for c in plan.characters})
        moments = english_moments("", plan)
        event_of = {plan_index: e for e, (plan_index, _words) in enumerate(ground.events)}
        for i, (scene, raw, hint) in enumerate(zip(plan.scenes, raws, moments, strict=False)):
            text = description_of(raw, self.options.beat_chars)
            # Kept only when it names something of the idea (the same grounding check as a whole storyboard's),
            # shows the event its beat is for where the beat is one of the idea's events (a fisherman at the
            # harbour is grounded, yet no storm), says more than the hint it was given (a tiny model often
            # copies it back, and the planner's description of the same facts is richer), says nothing that
            # could belong to any film, and is not a repeat; the planner's otherwise. The beat's shot leads
            # either way.
            if (
                text
                and ground.grounded(text, looks)
                and (i not in event_of or ground.covers(text, looks, event_of[i]))
                and not is_generic(text)
                and not echoes(text, hint)
                and not any(near_duplicate(text, t) for t in texts)
            ):
                texts.append(text)
                body = with_looks(text.rstrip(". "), cast)  # the story bible's look, as in every other scene
                written.append(f"{SHOT_NAMES[scene.facts.shot]}: {body[:1].lower() + body[1:]}. {plan.style}")
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


def writer_unavailable(err: LLMUnavailable) -> UserError:
    return UserError("writer_unavailable", detail=str(err))
