"""The LLM writer with a tiny random-weight Llama built in code, saved as a safetensors folder and as a GGUF
file, and loaded through the same `load_causal_lm` the studio uses for a real model.

Random weights write random tokens; constrained decoding is what makes their output valid JSON. That is
what these tests show: every document the model writes parses and matches the schema it was given."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np
import pytest
import torch

from app.write import WriteRequest
from models.errors import UserError
from models.storyboard import Storyboard, description_schema, scene_schema, storyboard_schema
from models.writers.llm import LLMOptions, LLMUnavailable, LLMWriter, SceneStream, load_causal_lm, resolve_model
from models.writers.planner import PlannerOptions

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CORPUS = [
    '{"title": "The kite", "style": "watercolour", "characters": [], "scenes": [{"description": "A girl runs"}]}',
    "A lighthouse keeper finds a message in a bottle at dawn, soft light, wide shot of the sea.",
    "一个关于小女孩在雨天放风筝的温馨故事。灯塔看守人在海边捡到一个漂流瓶。",
    "static push_in pull_out pan_left pan_right tracking aerial narration duration camera description",
]


def build_tokenizer():
    """A byte-level BPE tokenizer trained in code (every byte is a token, so any text encodes)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=420, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    backend.train_from_iterator(CORPUS * 4, trainer)
    tok = PreTrainedTokenizerFast(
        tokenizer_object=backend, bos_token="<|im_start|>", eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    tok.chat_template = CHAT_TEMPLATE
    return tok


def build_model(vocab: int):
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=vocab,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        tie_word_embeddings=False,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=0,
    )
    return LlamaForCausalLM(config).eval()


def _permute(w: np.ndarray, heads: int) -> np.ndarray:
    # llama.cpp stores q/k rows interleaved for its rope; transformers undoes this when it reads a GGUF.
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def write_gguf(model, tok, path: Path) -> None:
    """The model and tokenizer as a llama-architecture GGUF, under llama.cpp's tensor and metadata names."""
    import gguf

    cfg = model.config
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("tiny-random-llama")
    writer.add_context_length(cfg.max_position_embeddings)
    writer.add_embedding_length(cfg.hidden_size)
    writer.add_block_count(cfg.num_hidden_layers)
    writer.add_feed_forward_length(cfg.intermediate_size)
    writer.add_head_count(cfg.num_attention_heads)
    writer.add_head_count_kv(cfg.num_key_value_heads)
    writer.add_rope_dimension_count(cfg.hidden_size // cfg.num_attention_heads)
    writer.add_rope_freq_base(float(cfg.rope_parameters["rope_theta"]))
    writer.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    vocab = tok.backend_tokenizer.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    merges = json.loads(tok.backend_tokenizer.to_str())["model"]["merges"]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_merges([m if isinstance(m, str) else " ".join(m) for m in merges])
    writer.add_token_types([gguf.TokenType.CONTROL if t in SPECIALS else gguf.TokenType.NORMAL for t in tokens])
    writer.add_bos_token_id(vocab["<|im_start|>"])
    writer.add_eos_token_id(vocab["<|im_end|>"])
    writer.add_pad_token_id(vocab["<|endoftext|>"])
    writer.add_chat_template(CHAT_TEMPLATE)
    names = {
        "model.embed_tokens.weight": "token_embd.weight",
        "model.norm.weight": "output_norm.weight",
        "lm_head.weight": "output.weight",
    }
    per_layer = {
        "input_layernorm": "attn_norm",
        "self_attn.q_proj": "attn_q",
        "self_attn.k_proj": "attn_k",
        "self_attn.v_proj": "attn_v",
        "self_attn.o_proj": "attn_output",
        "post_attention_layernorm": "ffn_norm",
        "mlp.gate_proj": "ffn_gate",
        "mlp.up_proj": "ffn_up",
        "mlp.down_proj": "ffn_down",
    }
    for name, tensor in model.state_dict().items():
        array = tensor.detach().float().numpy()
        m = re.match(r"model\.layers\.(\d+)\.(.+)\.weight", name)
        if m:
            target = f"blk.{m.group(1)}.{per_layer[m.group(2)]}.weight"
            if m.group(2) == "self_attn.q_proj":
                array = _permute(array, cfg.num_attention_heads)
            elif m.group(2) == "self_attn.k_proj":
                array = _permute(array, cfg.num_key_value_heads)
        else:
            target = names[name]
        writer.add_tensor(target, np.ascontiguousarray(array))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """{'folder': safetensors folder, 'gguf': GGUF file, 'model': the in-memory model} of one random model."""
    root = tmp_path_factory.mktemp("tiny-llm")
    tok = build_tokenizer()
    model = build_model(len(tok))
    folder = root / "tiny-llama"
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    gguf_path = root / "tiny-llama.gguf"
    write_gguf(model, tok, gguf_path)
    return {"folder": folder, "gguf": gguf_path}


# -- an independent check of the JSON-schema subset the writer uses ------------------------------------------
def schema_errors(value, schema: dict, where: str = "$") -> list[str]:
    errors: list[str] = []
    kind = schema.get("type")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        props = schema.get("properties", {})
        errors += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            errors += [f"{where}: extra {k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                errors += schema_errors(v, props[k], f"{where}.{k}")
    elif kind == "array":
        if not isinstance(value, list):
            return [f"{where}: not an array"]
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", 10**9):
            errors.append(f"{where}: {len(value)} items")
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{where}: not a string"]
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 10**9):
            errors.append(f"{where}: length {len(value)}")
        if "pattern" in schema and not re.fullmatch(schema["pattern"].strip("^$"), value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    elif kind == "integer" and not (isinstance(value, int) and not isinstance(value, bool)):
        errors.append(f"{where}: not an integer")
    return errors


def test_schema_check_can_fail():
    schema = storyboard_schema(3, 8, "en")
    assert schema_errors({"title": "x", "style": "", "characters": [], "scenes": []}, schema)
    assert schema_errors({"description": "中文描述不是英文的"}, description_schema())


# -- loading -----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_gguf_and_folder_load_the_same_model(tiny_models):
    """The GGUF written here and the safetensors folder load, through the studio's loader, to the same
    network: same tokenizer ids, same logits."""
    options = LLMOptions(device="cpu")
    m1, t1 = load_causal_lm(resolve_model(str(tiny_models["folder"])), options)
    m2, t2 = load_causal_lm(resolve_model(str(tiny_models["gguf"])), options)
    text = "A lighthouse keeper 在海边 finds a bottle."
    ids1, ids2 = t1(text)["input_ids"], t2(text)["input_ids"]
    assert ids1 == ids2
    with torch.inference_mode():
        a = m1(torch.tensor([ids1])).logits
        b = m2(torch.tensor([ids2])).logits
    assert torch.allclose(a, b, atol=1e-4)


@pytest.mark.slow
def test_gguf_is_converted_once_and_reloaded_from_the_cache(tiny_models, tmp_path):
    from models.writers.llm import converted_folder

    options = LLMOptions(device="cpu")
    direct, tok = load_causal_lm(tiny_models["gguf"], options)
    cache = tmp_path / "cache"
    first, _ = load_causal_lm(tiny_models["gguf"], options, cache)
    folder = converted_folder(tiny_models["gguf"], cache)
    assert (folder / "config.json").is_file() and (folder / "tokenizer.json").is_file()
    stamp = (folder / "config.json").stat().st_mtime
    second, tok2 = load_causal_lm(tiny_models["gguf"], options, cache)
    assert (folder / "config.json").stat().st_mtime == stamp  # read, not written again
    ids = tok("a fox 在海边")["input_ids"]
    assert tok2("a fox 在海边")["input_ids"] == ids
    with torch.inference_mode():
        logits = [m(torch.tensor([ids])).logits for m in (direct, first, second)]
    assert torch.allclose(logits[0], logits[2], atol=1e-2)  # the cache holds FP16 weights
    assert torch.equal(logits[1], logits[2])


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(LLMUnavailable, match="config.json"):
        resolve_model(str(tmp_path / "nowhere"))
    with pytest.raises(LLMUnavailable, match="does not exist"):
        resolve_model(str(tmp_path / "missing.gguf"))


def test_four_bit_without_gpu_is_refused(tiny_models):
    with pytest.raises(LLMUnavailable, match="CUDA"):
        load_causal_lm(tiny_models["folder"], LLMOptions(device="cpu", quantization="4bit"))


# -- constrained decoding with random weights --------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("source", ["folder", "gguf"])
def test_random_model_writes_schema_valid_storyboards(tiny_models, source):
    writer = LLMWriter(LLMOptions(model=str(tiny_models[source]), device="cpu", max_new_tokens=6000, mode="whole"))
    opts = PlannerOptions(min_scenes=3, max_scenes=4, target_seconds=20)
    for idea in ["A fox crosses a frozen river at dawn.", "一个关于小女孩在雨天放风筝的温馨故事"]:
        language = "zh" if "故事" in idea else "en"
        schema = writer.whole_schema(opts, language)
        raw = writer.lm.generate_json(writer.whole_messages(idea, opts, language), schema, 6000)
        document = json.loads(raw)  # the point: random weights, yet it parses...
        assert schema_errors(document, schema) == []  # ...and matches the schema
        board = writer.write(idea, opts)
        Storyboard.model_validate(board.model_dump())
        assert 3 <= len(board.scenes) <= 4
        assert board.language == language


@pytest.mark.slow
def test_scenes_stream_before_the_storyboard_ends(tiny_models):
    writer = LLMWriter(LLMOptions(model=str(tiny_models["gguf"]), device="cpu", max_new_tokens=6000, mode="whole"))
    opts = PlannerOptions(min_scenes=3, max_scenes=4)
    boards = list(writer.stream("A robot learns to paint in a rainy city.", opts))
    counts = [len(b.scenes) for b in boards]
    assert len(boards) >= 4  # one per scene as its JSON object closed, then the cleaned-up final
    assert counts[:-1] == list(range(1, len(boards)))
    assert 3 <= counts[-1] <= 4


@pytest.mark.slow
def test_beats_mode_with_random_model(tiny_models):
    writer = LLMWriter(LLMOptions(model=str(tiny_models["folder"]), device="cpu", mode="beats"))
    raw = writer.lm.generate_json([{"role": "user", "content": "a fox"}], description_schema(), 200)
    assert schema_errors(json.loads(raw), description_schema()) == []
    boards = list(writer.stream("灯塔看守人在海边捡到一个漂流瓶。他在烛光下读信。第二天清晨，他扬帆出海。"))
    assert [len(b.scenes) for b in boards] == [1, 2, 3]
    final = boards[-1]
    assert all(re.fullmatch(r"[ -~]+", s.description) for s in final.scenes)  # English-only descriptions
    assert all(re.search(r"[\u4e00-\u9fff]", s.narration) for s in final.scenes)


@pytest.mark.slow
def test_rewrite_scene_with_random_model_stays_valid(tiny_models):
    writer = LLMWriter(LLMOptions(model=str(tiny_models["folder"]), device="cpu", max_new_tokens=1500))
    opts = PlannerOptions()
    board = writer.write("A fox crosses a frozen river. An owl watches. Morning comes.", opts)
    raw = writer.lm.generate_json([{"role": "user", "content": "x"}], scene_schema("en"), 1500)
    assert schema_errors(json.loads(raw), scene_schema("en")) == []
    new = writer.rewrite_scene(board, 2, "at night", opts)
    assert len(new.scenes) == len(board.scenes)
    assert new.scenes[0] == board.scenes[0] and new.scenes[2] == board.scenes[2]
    with pytest.raises(UserError) as err:
        writer.rewrite_scene(board, 9, "at night", opts)
    assert err.value.key == "scene_missing"


@pytest.mark.slow
def test_closing_the_stream_stops_generation(tiny_models):
    writer = LLMWriter(LLMOptions(model=str(tiny_models["folder"]), device="cpu", max_new_tokens=6000, mode="whole"))
    stream = writer.lm.stream_json([{"role": "user", "content": "x"}], storyboard_schema(3, 8, "en"), 6000)
    first = next(stream)
    stream.close()  # joins the worker thread; it must not keep generating
    assert isinstance(first, str)
    assert not [t for t in threading.enumerate() if t.name == "storyboard-llm"]


def test_tidy_cut_ends_at_a_boundary():
    from models.writers.llm import tidy_cut

    assert tidy_cut("A robot paints a flower. The camera captures a ", 47) == "A robot paints a flower."
    text = "A robot paints a flower in a city, the camera pans acr"
    assert tidy_cut(text, len(text)) == "A robot paints a flower in a city"
    assert tidy_cut("A robot paints", 90) == "A robot paints"  # ended by the model: kept whole


def test_description_loops_and_prompt_echo_are_cut():
    from models.writers.llm import _description_of, without_repeats

    assert (
        without_repeats("A city, a mother, a father, a home, a mother, a father")
        == "A city, a mother, a father, a home"
    )
    assert without_repeats("a window a window a window a window") == ""
    assert _description_of('{"description": "Moment: a girl flies a kite"}') == "a girl flies a kite"


def test_scene_stream_finds_scenes_as_they_close():
    doc = {
        "title": "t {x}",
        "style": "s",
        "characters": [{"name": "a", "look": "b"}],
        "scenes": [{"description": 'a "quoted" {brace}', "narration": "n"}, {"description": "b", "narration": "m"}],
    }
    text = json.dumps(doc, ensure_ascii=False)
    stream, found = SceneStream(), []
    for i in range(0, len(text), 7):  # arbitrary chunking, as tokens arrive
        found += stream.feed(text[i : i + 7])
    assert found == doc["scenes"]


@pytest.mark.slow
def test_studio_uses_the_configured_llm_writer(tiny_models, tmp_path):
    """A writer preset naming a model folder is one setting away; the studio streams its scenes."""
    from app.settings import load_settings
    from app.studio import Studio

    settings = load_settings(
        paths={"data_dir": str(tmp_path / "data")},
        storyboard={
            "writer": "tiny",
            "max_scenes": 4,
            "presets": {"tiny": {"model": str(tiny_models["gguf"]), "device": "cpu", "mode": "whole",
                                 "max_new_tokens": 6000}},
        },
        # The random-weight model writes token soup (",ds a dcamwVston t bot bot bot …" 36 times), which the semantic
        # layer retrained on batches 1-22 scores as hate; this test is about the writer preset, so the rules alone
        # check it (tests/test_moderation*.py test the semantic layer).
        moderation={"text_checks": ["rules"]},
    )  # fmt: skip
    studio = Studio(settings)
    try:
        user = studio.local_user()
        steps = list(studio.create_project_stream(user, WriteRequest(idea="A fox crosses a frozen river at dawn.")))
        assert len(steps) >= 4 and steps[-1][0] is not None
        assert studio.writer() is studio.writer()  # built once: the model stays loaded on the instance
        project, board = steps[-1]
        assert studio.storyboard(user, project.id) == board
        rewritten = studio.rewrite_scene(user, project.id, 1, "at night")
        assert len(rewritten.scenes) == len(board.scenes)
    finally:
        studio.close()


# -- beats mode goes through the planner's grounding (issue 12) ----------------------------------------------
FISHERMAN = "一位老渔夫在黎明时分出海，遇到一场暴风雨，最后平安回到港口，家人在码头等他。"


def test_beat_hints_come_from_scene_facts():
    from models.writers.llm_prompts import english_moments
    from models.writers.planner import plan_storyboard

    plan = plan_storyboard(FISHERMAN, PlannerOptions(target_seconds=30))
    moments = english_moments(FISHERMAN, plan)
    assert len(moments) == len(plan.scenes)
    assert all(re.fullmatch(r"[ -~]+", m) for m in moments)  # English only: the tiny model reads no Chinese
    assert all("fisherman" in m or "family" in m for m in moments)
    assert any("storm" in m for m in moments) and any("harbour" in m for m in moments)
    steps = english_moments("How to fold a paper crane: fold the square in half, open it, fold the wings.",
                            plan_storyboard("How to fold a paper crane: fold the square in half, open it, fold the "
                                            "wings.", PlannerOptions(target_seconds=20)))  # fmt: skip
    assert any(m.startswith("hands fold") for m in steps)


def test_a_model_description_is_kept_only_when_grounded():
    from models.writers.llm_prompts import english_moments
    from models.writers.planner import plan_storyboard

    plan = plan_storyboard(FISHERMAN, PlannerOptions(target_seconds=30))
    writer = LLMWriter(LLMOptions(model="unused", device="cpu", mode="beats"))  # no model is loaded here
    raws = [
        json.dumps({"description": "An old fisherman in a yellow coat rows a small boat across a calm sea"}),
        json.dumps({"description": "A neon city skyline with flying cars and a giant robot"}),  # invented
        json.dumps({"description": "An old fisherman in a yellow coat rows a small boat across a calm sea"}),  # again
        json.dumps({"description": english_moments(FISHERMAN, plan)[3]}),  # the hint given back, nothing more
        json.dumps({"description": "The old fisherman at a moment in a story, the storm"}),  # generic words
    ]
    board = writer._beats_board(plan, raws)
    assert len(board.scenes) == 5 and not writer.loaded
    assert plan.characters[0].look in board.scenes[0].description  # the story bible's look is added
    assert board.scenes[0].description.startswith(f"{plan.scenes[0].description.split(':')[0]}: an old fisherman")
    assert plan.style in board.scenes[0].description
    assert board.scenes[1].description == plan.scenes[1].description  # nothing of the idea: the planner's
    assert board.scenes[2].description == plan.scenes[2].description  # a repeat: the planner's
    assert board.scenes[3].description == plan.scenes[3].description  # an echo: the planner's (richer)
    assert board.scenes[4].description == plan.scenes[4].description  # generic: the planner's


@pytest.mark.slow
def test_random_model_beats_fall_back_to_the_planners_descriptions(tiny_models):
    from models.writers.planner import plan_storyboard

    options = PlannerOptions(target_seconds=20)
    writer = LLMWriter(LLMOptions(model=str(tiny_models["folder"]), device="cpu", mode="beats"))
    final = writer.write(FISHERMAN, options)
    plan = plan_storyboard(FISHERMAN, options)
    assert len(writer.raw_outputs) == len(plan.scenes)  # the model was asked for every beat
    # A random model's descriptions name nothing of the idea: every scene shows the planner's.
    assert [s.description for s in final.scenes] == [s.description for s in plan.scenes]
    assert [s.narration for s in final.scenes] == [s.narration for s in plan.scenes]


def test_a_model_description_of_an_event_beat_must_show_that_event():
    """Beats mode checks Grounding.covers as refine() does: a grounded description that shows another event
    (the fisherman at the harbour, written for the storm's beat) gives way to the planner's beat."""
    from models.writers.grounding import Grounding
    from models.writers.planner import plan_storyboard

    plan = plan_storyboard(FISHERMAN, PlannerOptions(target_seconds=30))
    ground = Grounding(plan)
    storm = next(i for i, _words in ground.events if "storm" in plan.scenes[i].description)
    writer = LLMWriter(LLMOptions(model="unused", device="cpu", mode="beats"))  # no model is loaded here
    elsewhere = "An old fisherman in a yellow coat ties his boat to a post while gulls circle overhead"
    shows_it = "Huge waves and lightning in a black storm toss the old fisherman's small boat"
    raws = [json.dumps({"description": "x"})] * storm
    kept_elsewhere = writer._beats_board(plan, [*raws, json.dumps({"description": elsewhere})])
    assert ground.grounded(elsewhere, {})  # it names the fisherman: grounded, yet not the storm
    assert kept_elsewhere.scenes[storm].description == plan.scenes[storm].description
    kept = writer._beats_board(plan, [*raws, json.dumps({"description": shows_it})])
    assert kept.scenes[storm].description != plan.scenes[storm].description
    assert "lightning" in kept.scenes[storm].description
