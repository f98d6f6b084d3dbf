"""A causal LM whose decoding xgrammar constrains to a JSON schema, so every output parses: one document,
a batch of them, or a stream of text deltas written by a worker thread."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from typing import Any


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
