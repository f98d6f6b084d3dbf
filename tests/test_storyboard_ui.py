"""The create tab's handler streams the storyboard into the table and ends with the API's old outputs."""

from __future__ import annotations

import gradio as gr
import pandas as pd
import pytest

from app.settings import load_settings
from app.studio import Studio
from app.ui.studio import build_blocks


@pytest.fixture
def demo_and_studio(tmp_path):
    studio = Studio(load_settings(paths={"data_dir": str(tmp_path / "data")}))
    demo = build_blocks(studio)
    yield demo, studio
    studio.close()


def _handler(demo: gr.Blocks, api_name: str):
    return next(f.fn for f in demo.fns.values() if f.api_name == api_name)


def test_write_storyboard_streams_then_returns_project_table_message(demo_and_studio):
    demo, studio = demo_and_studio
    write = _handler(demo, "write_storyboard")
    outputs = list(write("A fox crosses a frozen river. An owl watches.", False, "story", 20, "auto", "1:1", None,
                         "draft", "ink drawing", None))  # fmt: skip
    *partial, final = outputs
    project_id, table, message = final
    assert isinstance(project_id, int) and isinstance(table, pd.DataFrame) and str(project_id) in message
    assert len(table) == len(studio.storyboard(studio.local_user(), project_id).scenes)
    assert all(len(step) == 3 for step in partial)
    assert studio.render_choices(studio.local_user(), project_id).aspect == "1:1"  # the Create choices are kept
    assert studio.storyboard(studio.local_user(), project_id).style == "ink drawing"


def test_write_storyboard_bad_idea_is_a_clear_error(demo_and_studio):
    demo, _ = demo_and_studio
    with pytest.raises(gr.Error) as err:
        list(_handler(demo, "write_storyboard")("   ", False, "auto", 0, "auto", "16:9", None, "final", None, None))
    assert "idea" in str(err.value.message).lower()


def test_table_save_keeps_what_the_table_does_not_show():
    """Facts and the edited flag are not columns of the table: a save keeps them, and marks an edited text."""
    from app.ui.common import frame_to_storyboard, storyboard_frame
    from models.storyboard import Scene, SceneFacts, Storyboard, Weather

    facts = SceneFacts(subjects=["fox"], weather=Weather.SNOW)
    base = Storyboard(title="t", scenes=[Scene(number=1, description="a fox", facts=facts),
                                         Scene(number=2, description="an owl")])  # fmt: skip
    table = storyboard_frame(base, "en")
    table.iloc[1, 1] = "an owl at night"
    board = frame_to_storyboard(table, base)
    assert board.scenes[0].facts == facts and not board.scenes[0].description_edited
    assert board.scenes[1].description_edited and board.scenes[1].description == "an owl at night"
