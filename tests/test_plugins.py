"""A plug-in registered by an outside module (tests/plugin_fixture, loaded as an installed entry point) is
listed by the registry and used by the studio when settings name it: its writer writes, its engine renders,
its voice narrates, and /health's "loaded" flags follow what the plug-in parts hold. No app/ code names it."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.rest import build_router
from app.settings import load_settings
from app.studio import Studio
from app.write import WriteRequest
from models import registry as registry_module
from models.errors import UserError
from models.registry import ENTRY_POINT_GROUP, load_registry


def api_for(studio: Studio) -> FastAPI:
    """The studio's REST routes, asked as the local creator (login off)."""
    api = FastAPI()
    api.include_router(build_router(studio, lambda request: studio.local_user()))
    return api


@pytest.fixture
def plugin_registry(monkeypatch):
    """The registry as the studio loads it, with the fixture installed as an entry point of our group."""
    installed = [EntryPoint("fixture", "tests.plugin_fixture:register", ENTRY_POINT_GROUP)]
    monkeypatch.setattr(registry_module, "entry_points", lambda group: installed if group == ENTRY_POINT_GROUP else [])
    return load_registry()


def test_plugin_parts_are_listed_beside_the_builtins(plugin_registry):
    assert {"planner", "llm", "fixture_writer"} <= set(plugin_registry.kinds("writer"))
    assert {"animatic", "diffusion", "fixture_video"} <= set(plugin_registry.kinds("video"))
    assert {"auto", "espeak", "fixture_voice"} <= set(plugin_registry.kinds("voice"))
    assert {"rules", "semantic", "fixture_check"} <= set(plugin_registry.kinds("text_check"))


def test_studio_uses_the_plugin_safety_check_from_settings(plugin_registry, tmp_path):
    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path / "data")},
                             moderation={"text_checks": ["rules", "fixture_check"], "image_check": "none"})  # fmt: skip
    studio = Studio(settings, registry=plugin_registry)
    try:
        user = studio.local_user()
        with pytest.raises(UserError) as err:
            studio.create_project(user, WriteRequest(idea="A kite over the dunes, then a zyzzyvax."))
        assert err.value.key == "moderation_blocked"
        check = plugin_registry.fixture_parts.checks[0]
        assert "A kite over the dunes, then a zyzzyvax." in check.seen
        assert studio.projects(user) == [] and studio.guard.audit()[0].categories == "violence"
        project, _ = studio.create_project(
            user, WriteRequest(idea="A kite over the dunes.")
        )  # the plug-in lets this through
        assert project.id is not None
    finally:
        studio.close()


def test_studio_uses_the_plugin_writer_engine_and_voice_from_settings(plugin_registry, tmp_path):
    settings = load_settings(
        tmp_path / "none.toml",
        environ={},
        paths={"data_dir": str(tmp_path / "data")},
        storyboard={"writer": "fx", "presets": {"fx": {"kind": "fixture_writer", "label": "Fixture writer"}}},
        video={"engine": "fxv", "presets": {"fxv": {"kind": "fixture_video"}}},
        narration={"engine": "fixture_voice"},
        render={"short_side": 64, "fps": 8},
        assembly={"x264_preset": "ultrafast"},
        music={"source": "none"},
    )
    studio = Studio(settings, registry=plugin_registry)
    parts = plugin_registry.fixture_parts
    try:
        user = studio.local_user()
        health = TestClient(api_for(studio))
        assert not studio.llm_loaded and not studio.video_loaded
        assert {k: health.get("/health").json()[k] for k in ("llm_loaded", "video_loaded")} == {
            "llm_loaded": False, "video_loaded": False}  # fmt: skip
        project, board = studio.create_project(user, WriteRequest(idea="A kite over the dunes."))
        writer, voice = parts.writers[0], parts.voices[0]
        assert writer.ideas == ["A kite over the dunes."] and writer.options["label"] == "Fixture writer"
        assert board.title.startswith("Fixture:") and studio.llm_loaded  # the plug-in writer holds its model
        assert health.get("/health").json()["llm_loaded"] is True
        assert health.get("/api/model/status").json()["writer"] == "fx"
        assert voice.spoken == [s.narration for s in board.scenes]  # narrated by the plug-in voice at save
        assert all(s.duration >= voice.seconds(s.narration) for s in board.scenes)

        job = studio.submit_render(user, project.id)
        assert studio.jobs.run_pending() == 1 and studio.jobs.get(job.id).status == "done"
        engine = parts.engines[0]
        assert [s.engine for s in engine.rendered] == ["fxv"] * len(board.scenes)
        assert not studio.video_loaded  # unloaded after the job
        assert studio.latest_film(user, project.id) is not None
    finally:
        studio.close()
