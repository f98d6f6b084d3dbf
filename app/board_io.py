"""A storyboard read back from a table of cells (the Storyboard tab's, or the REST API's scene list) with
the same checks for both: every refused cell names its scene and field, in English and Chinese."""

from __future__ import annotations

from pydantic import ValidationError

from models.errors import UserError
from models.storyboard import Camera, Scene, Storyboard, Transition


def _cell(value, cast):
    if value is None or (isinstance(value, float) and value != value):  # NaN from an emptied cell
        return cast()
    return cast(value)


def table_rows(table) -> list[list]:
    """The rows of an edited table: a DataFrame from the page, or {"headers", "data"} over the API."""
    if table is None:
        return []
    if isinstance(table, dict):
        return [list(row) for row in table.get("data") or []]
    return table.values.tolist()


def frame_to_storyboard(frame, base: Storyboard) -> Storyboard:
    """Read an edited storyboard table back into a Storyboard; UserError naming the bad cell otherwise."""
    rows = table_rows(frame)
    seeds = {s.number: s.seed for s in base.scenes}
    # What the table does not show (a scene's facts, whether its description was edited, fields added later)
    # is kept from the stored scene of that row.
    table_fields = {"number", "description", "narration", "duration", "camera", "transition", "seed"}
    hidden = {s.number: s.model_dump(exclude=table_fields) for s in base.scenes}
    described = {s.number: s.description for s in base.scenes}
    durations = {s.number: s.duration for s in base.scenes}
    scenes = []
    for i, row in enumerate(rows, 1):
        row = list(row) + [None] * (6 - len(row))
        if all(_cell(c, str).strip() == "" for c in row[1:3]):
            continue  # an empty line added by the table editor
        try:
            camera = _cell(row[4], str).strip() or Camera.STATIC.value
            transition = _cell(row[5], str).strip() or Transition.CUT.value
            kept = dict(hidden.get(i, {}))
            if i in described and _cell(row[1], str).strip() != described[i]:
                kept["description_edited"] = True  # a person's words are kept, never recomposed from facts
            seconds = float(_cell(row[3], float) or 0)
            if i in durations and abs(seconds - durations[i]) < 0.05:
                seconds = durations[i]  # the table shows tenths: an unchanged cell keeps the exact length
            scenes.append(
                Scene(
                    **kept,
                    number=len(scenes) + 1,
                    description=_cell(row[1], str),
                    narration=_cell(row[2], str),
                    duration=seconds,
                    camera=camera,
                    transition=transition,
                    seed=seeds.get(i, base.scenes[-1].seed + i),
                )
            )
        except ValidationError as err:
            raise cell_error(err, i) from None
        except (ValueError, TypeError):  # a number cell holding words
            raise UserError("cell_invalid", where_en=f"scene {i}, ", where_zh=f"第 {i} 个镜头的", field_en="seconds",
                            field_zh="秒数", problem_en="must be a number", problem_zh="必须是数字") from None  # fmt: skip
    if not scenes:
        raise UserError("storyboard_empty")
    try:
        return Storyboard.model_validate({**base.model_dump(exclude={"scenes"}), "scenes": scenes})
    except ValidationError as err:
        raise cell_error(err) from None


FIELD_NAMES = {
    "description": ("visual description", "画面描述"),
    "narration": ("narration", "旁白"),
    "duration": ("seconds", "秒数"),
    "camera": ("camera", "镜头运动"),
    "transition": ("transition", "转场"),
    "title": ("title", "标题"),
    "style": ("style", "风格"),
    "characters": ("characters", "角色"),
    "name": ("name", "名字"),
    "look": ("look", "外貌"),
    "seed": ("seed", "随机种子"),
}


def cell_error(err: ValidationError, scene: int = 0) -> UserError:
    """A validation error as a message in both languages: which scene, which field, what is wrong."""
    first = err.errors()[0]
    field = next((str(p) for p in reversed(first["loc"]) if str(p) in FIELD_NAMES), str(first["loc"][-1]))
    kind, ctx = first["type"], first.get("ctx") or {}
    allowed = {"camera": ", ".join(c.value for c in Camera), "transition": ", ".join(x.value for x in Transition)}
    if field in allowed:
        problem = (f"use one of: {allowed[field]}", f"只能是：{allowed[field]}")
    elif kind == "less_than_equal":
        problem = (f"must be at most {ctx.get('le')}", f"不能超过 {ctx.get('le')}")
    elif kind == "greater_than_equal":
        problem = (f"must be at least {ctx.get('ge')}", f"不能小于 {ctx.get('ge')}")
    elif kind == "string_too_long":
        problem = (f"is too long (at most {ctx.get('max_length')} characters)",
                   f"太长了（最多 {ctx.get('max_length')} 个字符）")  # fmt: skip
    elif kind in ("string_too_short", "missing"):
        problem = ("must not be empty", "不能为空")
    elif kind in ("float_parsing", "int_parsing", "float_type", "int_type"):
        problem = ("must be a number", "必须是数字")
    elif kind == "too_long":
        problem = (
            f"has too many entries (at most {ctx.get('max_length')})",
            f"条目太多（最多 {ctx.get('max_length')} 条）",
        )
    else:
        problem = (first["msg"], first["msg"])
    en, zh = FIELD_NAMES.get(field, (field, field))
    where_en, where_zh = (f"scene {scene}, ", f"第 {scene} 个镜头的") if scene else ("", "")
    return UserError("cell_invalid", where_en=where_en, where_zh=where_zh, field_en=en, field_zh=zh,
                     problem_en=problem[0], problem_zh=problem[1])  # fmt: skip
