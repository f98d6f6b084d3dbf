"""Storyboard operations, prompt building and the studio's writer, with the planner (no model)."""

from __future__ import annotations

import pytest

from app.i18n import TEXTS
from app.settings import SettingsError, load_settings
from app.studio import Studio
from app.write import WriteRequest
from models.errors import UserError
from models.storyboard import MAX_SCENES, Camera, Character, Scene, Storyboard, storyboard_schema
from models.writers import edit
from models.writers.planner import plan_storyboard
from models.writers.prompts import NEGATIVE_PROMPT, english_only, is_multilingual, scene_prompt


@pytest.fixture
def board() -> Storyboard:
    return plan_storyboard("A fox crosses a frozen river. An owl watches from a pine. Morning comes at last.")


@pytest.fixture
def zh_board() -> Storyboard:
    board = plan_storyboard("小狐狸走过结冰的河，它停下来回头看。猫头鹰在松树上看着。清晨终于来了。")
    return board.model_copy(
        update={"characters": [Character(name="小狐狸", look="a small red fox with a white-tipped tail")]}
    )


def _numbers(b: Storyboard) -> list[int]:
    return [s.number for s in b.scenes]


# -- operations -------------------------------------------------------------------------------------------
def test_add_scene_after_and_first(board):
    added = edit.add_scene(board, after=1)
    assert len(added.scenes) == 4 and _numbers(added) == [1, 2, 3, 4]
    assert added.scenes[1].narration == "" and added.scenes[2] == board.scenes[1].model_copy(update={"number": 3})
    first = edit.add_scene(board, after=0, scene={"description": "Snow falls on a dark forest", "duration": 3})
    assert first.scenes[0].description == "Snow falls on a dark forest"
    assert edit.add_scene(board).scenes[-1].number == 4
    assert len(board.scenes) == 3  # the input is never changed


def test_delete_move_and_their_refusals(board):
    deleted = edit.delete_scene(board, 2)
    assert [s.narration for s in deleted.scenes] == [board.scenes[0].narration, board.scenes[2].narration]
    moved = edit.move_scene(board, 3, 1)
    assert moved.scenes[0].narration == board.scenes[2].narration and _numbers(moved) == [1, 2, 3]
    for call, key in [
        (lambda: edit.delete_scene(board, 4), "scene_missing"),
        (lambda: edit.move_scene(board, 0, 1), "scene_missing"),
        (lambda: edit.delete_scene(edit.delete_scene(edit.delete_scene(board, 1), 1), 1), "scene_last"),
        (lambda: edit.merge_scenes(board, 3), "scene_merge_last"),
        (lambda: edit.add_scene(board, scene={"description": "", "duration": 3}), "storyboard_invalid"),
        (lambda: edit.replace_scene(board, 1, duration=99), "storyboard_invalid"),
        (lambda: edit.replace_scene(board, 1, camera="dolly_zoom"), "storyboard_invalid"),
        (lambda: edit.replace_scene(board, "two", duration=3), "scene_missing"),
    ]:
        with pytest.raises(UserError) as err:
            call()
        assert err.value.key == key


def test_too_many_scenes_is_refused(board):
    # issue 12 raised the limit from 20 to MAX_SCENES (40) so that a 2-minute film keeps 3–5 s scenes
    for _ in range(MAX_SCENES - len(board.scenes)):
        board = edit.add_scene(board)
    assert len(board.scenes) == MAX_SCENES
    with pytest.raises(UserError) as err:
        edit.add_scene(board)
    assert err.value.key == "scene_limit"


def test_split_and_merge(board, zh_board):
    # issue 12 gives each clause its own scene, so the sentence to split is put in scene 1 here
    zh_board = edit.replace_scene(zh_board, 1, narration="小狐狸走过结冰的河，它停下来回头看。")
    split = edit.split_scene(zh_board, 1)
    assert len(split.scenes) == len(zh_board.scenes) + 1
    a, b = split.scenes[0], split.scenes[1]
    assert a.narration and b.narration and a.narration + b.narration == zh_board.scenes[0].narration
    assert a.duration + b.duration == pytest.approx(zh_board.scenes[0].duration)
    assert a.seed != b.seed
    merged = edit.merge_scenes(split, 1)
    assert merged.scenes[0].narration == zh_board.scenes[0].narration and len(merged.scenes) == len(zh_board.scenes)
    one_sentence = edit.replace_scene(board, 1, narration="Snow.")
    with pytest.raises(UserError) as err:
        edit.split_scene(one_sentence, 1)
    assert err.value.key == "scene_unsplittable"
    short = edit.replace_scene(board, 1, duration=1.5)
    with pytest.raises(UserError) as err:
        edit.split_scene(short, 1)
    assert err.value.key == "scene_too_short"


def test_rewrite_without_a_model(board, zh_board):
    night = edit.rewrite_scene_rules(board, 2, "at night")
    assert "at night" in night.scenes[1].description and night.scenes[0] == board.scenes[0]
    dramatic = edit.rewrite_scene_rules(zh_board, 1, "更戏剧化一些")
    assert "dramatic lighting" in dramatic.scenes[0].description
    assert dramatic.scenes[0].description.isascii()
    for instruction, key in [
        ("", "instruction_empty"),
        ("x" * 400, "instruction_too_long"),
        ("改一下", "instruction_unknown"),
    ]:
        with pytest.raises(UserError) as err:
            edit.rewrite_scene_rules(board, 1, instruction)
        assert err.value.key == key


# -- prompts ----------------------------------------------------------------------------------------------
def test_story_bible_reaches_every_prompt(zh_board):
    for scene in zh_board.scenes:
        prompt = scene_prompt(zh_board, scene)
        assert "a small red fox with a white-tipped tail" in prompt and zh_board.style in prompt
        assert prompt.isascii()  # English-only encoders (LTX, CogVideoX) get English only
    wan = scene_prompt(zh_board, zh_board.scenes[0], multilingual=True)
    assert "小狐狸" in wan and zh_board.scenes[0].narration in wan


def test_camera_phrasing_and_negative_prompt(board):
    scene = board.scenes[0].model_copy(update={"camera": Camera.PAN_LEFT})
    assert "pan to the left" in scene_prompt(board, scene)
    assert "watermark" in NEGATIVE_PROMPT
    assert english_only("a fox 狐狸, at dawn") == "a fox, at dawn"
    assert is_multilingual({"kind": "wan_t2v"}) and not is_multilingual({"kind": "ltx"})
    assert is_multilingual({"kind": "ltx", "multilingual_prompts": True})


# -- schema -----------------------------------------------------------------------------------------------
def test_llm_schema_bounds():
    schema = storyboard_schema(3, 8, "zh")
    scenes = schema["properties"]["scenes"]
    assert (scenes["minItems"], scenes["maxItems"]) == (3, 8)
    assert list(schema["properties"])[-1] == "scenes"  # scenes last, so they stream after the title
    assert scenes["items"]["properties"]["camera"]["enum"] == [c.value for c in Camera]


def test_scene_validation_rules():
    with pytest.raises(ValueError):
        Scene(number=1, description="x", duration=0.5)
    with pytest.raises(ValueError):
        Storyboard(title="t", scenes=[Scene(number=2, description="x")])


# -- the studio's writer ----------------------------------------------------------------------------------
@pytest.fixture
def studio(tmp_path):
    settings = load_settings(paths={"data_dir": str(tmp_path / "data")})
    studio = Studio(settings)
    yield studio
    studio.close()


def test_studio_streams_then_stores_the_project(studio):
    user = studio.local_user()
    steps = list(studio.create_project_stream(user, WriteRequest(idea="A fox crosses a frozen river. An owl watches.")))
    assert steps[-1][0] is not None and all(p is None for p, _ in steps[:-1])
    project, board = steps[-1]
    assert studio.storyboard(user, project.id) == board
    project2, board2 = studio.create_project(user, WriteRequest(idea="一只猫在窗台上晒太阳。"))
    assert board2.language == "zh" and project2.id != project.id


def test_studio_edits_are_saved(studio):
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A fox crosses a frozen river. An owl watches. Morning comes.")
    )
    studio.edit_storyboard(user, project.id, "move", number=3, to=1)
    studio.edit_storyboard(user, project.id, "delete", number=2)
    saved = studio.storyboard(user, project.id)
    assert [s.narration for s in saved.scenes] == [board.scenes[2].narration, board.scenes[1].narration]
    rewritten = studio.rewrite_scene(user, project.id, 1, "at night")
    assert "at night" in studio.storyboard(user, project.id).scenes[0].description == rewritten.scenes[0].description
    with pytest.raises(UserError) as err:
        studio.edit_storyboard(user, project.id, "explode", number=1)
    assert err.value.key == "storyboard_invalid"


def test_studio_target_length_and_shots(studio):
    board = studio.write_storyboard("A fox crosses a frozen river. An owl watches.", target_seconds=40)
    assert abs(board.duration - 40) <= 10
    for bad in (1, 10_000, "long"):
        with pytest.raises(UserError) as err:
            studio.write_storyboard("A fox.", target_seconds=bad)
        assert err.value.key == "target_invalid"
    shots = studio.shots(board)
    assert all(board.style in shot.prompt and shot.negative_prompt == NEGATIVE_PROMPT for shot in shots)


def test_missing_model_is_a_user_error(tmp_path):
    settings = load_settings(
        paths={"data_dir": str(tmp_path / "data")},
        storyboard={"writer": "mine", "presets": {"mine": {"model": str(tmp_path / "absent.gguf")}}},
    )
    studio = Studio(settings)
    try:
        with pytest.raises(UserError) as err:
            studio.write_storyboard("A fox.")
        assert err.value.key == "writer_unavailable" and "absent.gguf" in err.value.params["detail"]
    finally:
        studio.close()


def test_writer_settings_are_checked():
    with pytest.raises(SettingsError, match="storyboard.writer"):
        load_settings(storyboard={"writer": "gpt5"})
    with pytest.raises(SettingsError, match="quantization"):
        load_settings(storyboard={"presets": {"x": {"quantization": "2bit"}}})
    with pytest.raises(SettingsError, match="target_seconds"):
        load_settings(storyboard={"target_seconds": 1})
    settings = load_settings(environ={"STORYREEL_STORYBOARD__WRITER": "smollm2"})
    assert settings.storyboard.writer == "smollm2" and settings.storyboard.presets["smollm2"].model == "embedded"


def test_every_error_key_has_both_languages():
    keys = ["writer_unavailable", "scene_missing", "scene_last", "scene_limit", "scene_too_short",
            "scene_unsplittable", "scene_merge_last", "instruction_empty", "instruction_too_long",
            "instruction_unknown", "target_invalid", "idea_empty", "idea_too_long", "idea_no_words", "storyboard_writing"]  # fmt: skip
    for key in keys:
        assert TEXTS[key]["en"] and TEXTS[key]["zh"]
