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
    outputs = list(_handler(demo, "write_storyboard")("A fox crosses a frozen river. An owl watches.", False, None))
    *partial, final = outputs
    project_id, table, message = final
    assert isinstance(project_id, int) and isinstance(table, pd.DataFrame) and str(project_id) in message
    assert len(table) == len(studio.storyboard(studio.local_user(), project_id).scenes)
    assert all(len(step) == 3 for step in partial)


def test_write_storyboard_bad_idea_is_a_clear_error(demo_and_studio):
    demo, _ = demo_and_studio
    with pytest.raises(gr.Error) as err:
        list(_handler(demo, "write_storyboard")("   ", False, None))
    assert "idea" in str(err.value.message).lower()
