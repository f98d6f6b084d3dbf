"""Timing happens when a storyboard is saved: its lines are spoken (once per text and voice) and its scene
lengths filled in before any render; a render of a timed storyboard never rewrites it (one whose new lines are
still unspoken is timed by the render job, not on submission); re-assembly speaks nothing and renders nothing;
and what ffmpeg read of each clip is kept, so a restarted studio reads no clip again.

The voice and the engine are the fixture plug-in's (tests/plugin_fixture), registered through the registry,
so every synthesis and every render is counted."""

from __future__ import annotations

import math
import threading
import time

import pytest

import app.film
from app.settings import load_settings
from app.studio import Studio
from app.timing import NARRATION_GAP_SECONDS
from app.write import WriteRequest
from models.registry import load_registry
from models.storyboard import Transition
from tests.guard_support import query
from tests.plugin_fixture import register

FPS = 8


@pytest.fixture
def make_studio(tmp_path):
    made = []

    def make() -> Studio:
        registry = load_registry(plugins=False)
        register(registry)
        settings = load_settings(
            tmp_path / "none.toml",
            environ={},
            paths={"data_dir": str(tmp_path / "data")},
            video={"engine": "fxv", "presets": {"fxv": {"kind": "fixture_video"}}},
            narration={"engine": "fixture_voice"},
            render={"short_side": 64, "fps": FPS},
            storyboard={"min_scenes": 3, "max_scenes": 3, "default_scene_seconds": 1.0},
            assembly={"x264_preset": "ultrafast", "transition_seconds": 0.5},
            music={"source": "none"},
        )
        studio = Studio(settings, registry=registry)
        made.append(studio)
        return studio

    yield make
    for studio in made:
        studio.close()


def expected_durations(board, voice) -> list[float]:
    """What timing must give: each scene holds its line, a gap and the next scene's entering overlap."""
    out = []
    for i, scene in enumerate(board.scenes):
        nxt = board.scenes[i + 1] if i + 1 < len(board.scenes) else None
        tail = 0.5 if nxt is not None and nxt.transition != Transition.CUT else 0.0
        needed = math.ceil((voice.seconds(scene.narration) + NARRATION_GAP_SECONDS + tail) * FPS - 1e-9) / FPS
        out.append(min(30.0, max(scene.duration, needed)))
    return out


def scene_rows(studio, project_id):
    return query(studio.db.path, "select * from scenes where project_id=? order by id", (project_id,))


def test_saving_fills_durations_from_the_spoken_lines(make_studio):
    studio = make_studio()
    voice_of = lambda: studio.registry.fixture_parts.voices[0]  # noqa: E731 - built on first use
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A lighthouse keeper finds a bottle. He reads it. He sails away.")
    )
    voice = voice_of()
    assert sorted(voice.spoken) == sorted(s.narration for s in board.scenes)  # written → spoken at once
    stored = studio.storyboard(user, project.id)
    for scene in stored.scenes:  # the table shows durations that hold the spoken line, before any render
        assert scene.duration >= voice.seconds(scene.narration) + NARRATION_GAP_SECONDS
    assert [s.duration for s in stored.scenes] == expected_durations(stored, voice)
    assert studio.clips(user, project.id) == []  # nothing rendered yet

    edited = stored.model_copy(deep=True)
    edited.scenes[1].narration = "A much longer line now, spoken slowly over the water at dusk."
    edited.scenes[2].duration = 1.0  # shortened below its line: timing gives the line its room back
    edited.scenes[2].transition = Transition.CUT
    voice.spoken.clear()
    saved = studio.save_storyboard(user, project.id, edited)
    assert voice.spoken == [edited.scenes[1].narration]  # only the changed line is spoken again
    assert studio.storyboard(user, project.id) == saved
    assert [s.duration for s in saved.scenes] == expected_durations(edited, voice)
    assert saved.scenes[1].duration > stored.scenes[1].duration


def test_render_changes_no_scene_row_and_reassembly_speaks_and_renders_nothing(make_studio, monkeypatch):
    studio = make_studio()
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A cat on a roof. The moon rises. The cat jumps down.")
    )
    parts = studio.registry.fixture_parts
    before = scene_rows(studio, project.id)
    job = studio.submit_render(user, project.id)
    assert studio.jobs.run_pending() == 1 and studio.jobs.get(job.id).status == "done", studio.jobs.get(job.id).error
    assert scene_rows(studio, project.id) == before  # every column, last_modified_at included
    engine, voice = parts.engines[0], parts.voices[0]
    assert len(engine.rendered) == len(board.scenes)

    engine.rendered.clear()
    voice.spoken.clear()
    films = [studio.reassemble(user, project.id, music=m, mood="happy") for m in ("procedural", "none")]
    assert all(f.id for f in films) and films[0].id != films[1].id
    assert voice.spoken == [] and engine.rendered == []  # no speech synthesis, no clip render
    assert scene_rows(studio, project.id) == before


def test_restarted_studio_reads_no_clip_to_assemble(make_studio, monkeypatch):
    studio = make_studio()
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="Snow on a quiet forest. A fox appears. It runs home.")
    )
    studio.submit_render(user, project.id)
    assert studio.jobs.run_pending() == 1 and studio.latest_film(user, project.id) is not None
    facts = query(studio.db.path, "select facts_json from clips where project_id=?", (project.id,))
    assert len(facts) == len(board.scenes) and all('"signature"' in f for (f,) in facts)  # kept with each clip
    studio.close()

    reads = []
    real = app.film.inspect_clips
    monkeypatch.setattr(app.film, "inspect_clips", lambda parts: (reads.append(len(parts)), real(parts))[1])
    restarted = make_studio()
    film = restarted.reassemble(restarted.local_user(), project.id, burn_subtitles=False)
    assert film.duration_sec > 0
    assert reads == []  # the first assembly after the restart read no clip with ffmpeg


class GatedSpeaker:
    """The background speech process's seam (app/speech.py SpeechProcess.speak), in this process: it speaks with
    the studio's own voice once the test lets it go, so a test can act while the lines are still unspoken."""

    def __init__(self, studio: Studio) -> None:
        self.studio, self.go, self.lines = studio, threading.Event(), []

    def speak(self, text, language, dest):
        assert self.go.wait(30), "the test never let the background speak"
        self.lines.append(text)
        return self.studio.timing.narrator().speak(text, language, dest)

    def close(self) -> None:
        self.go.set()


class SilentSpeaker:
    """A background speech process that speaks nothing (a studio stopped before it spoke the new lines)."""

    def speak(self, text, language, dest):
        return None

    def close(self) -> None:
        pass


def settled(studio: Studio, project_id: int) -> None:
    deadline = time.monotonic() + 30
    while studio.timing_pending(project_id):
        assert time.monotonic() < deadline, "the background never timed the storyboard"
        time.sleep(0.02)


IDEA = "A lighthouse keeper finds a bottle. He reads it. He sails away."


def test_a_new_storyboard_is_shown_at_once_and_timed_by_its_speech_in_the_background(make_studio):
    """Beside a speech process (issue 15) writing never waits for a voice: the board comes back timed by an
    estimate of its lines (never longer than they are), and their speech, below the page, gives the same
    durations a board timed before it was shown gets."""
    studio = make_studio()
    gate = studio.timing.background = GatedSpeaker(studio)
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    voice = studio.registry.fixture_parts.voices[0]
    assert voice.spoken == [] and studio.timing_pending(project.id)  # shown before any line is spoken
    assert studio.storyboard(user, project.id) == board
    gate.go.set()
    settled(studio, project.id)
    assert sorted(gate.lines) == sorted(s.narration for s in board.scenes)
    timed = studio.storyboard(user, project.id)
    assert [s.duration for s in timed.scenes] == expected_durations(board, voice)
    assert all(e.duration <= t.duration for e, t in zip(board.scenes, timed.scenes, strict=True))
    assert studio.timing.timed(user.id, timed)[0] == timed  # nothing left to speak or lengthen

    gate.lines.clear()  # a second storyboard of known lines is timed at once: nothing to speak later
    voice.spoken.clear()
    # (the first storyboard, now a past one of the same idea, may shape its shots: retrieval, models/writers)
    again, shown = studio.create_project(user, WriteRequest(idea=IDEA))
    assert not studio.timing_pending(again.id) and gate.lines == []
    stored = studio.storyboard(user, again.id)
    assert stored == shown and studio.timing.timed(user.id, stored)[0] == stored and voice.spoken == []


def test_an_edit_saved_before_the_lines_are_spoken_is_kept_and_a_deleted_project_stays_deleted(make_studio):
    studio = make_studio()
    gate = studio.timing.background = GatedSpeaker(studio)
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    edited = board.model_copy(deep=True)
    edited.scenes[0].description = "An edit the creator made while the narration was being spoken."
    saving = threading.Thread(target=lambda: studio.save_storyboard(user, project.id, edited))
    saving.start()  # it waits for the line the background is about to speak, then times the edit itself
    time.sleep(0.2)
    gate.go.set()
    saving.join(30)
    settled(studio, project.id)
    final = studio.storyboard(user, project.id)
    assert final.scenes[0].description == edited.scenes[0].description  # the edit survives either order
    voice = studio.registry.fixture_parts.voices[0]
    assert [s.duration for s in final.scenes] == expected_durations(edited, voice)

    gate.go.clear()
    doomed, _ = studio.create_project(user, WriteRequest(idea="A kite lifts off a green hill. It lands by a river."))
    studio.delete_project(user, doomed.id)
    gate.go.set()
    settled(studio, doomed.id)
    assert studio.store.storyboard(doomed.id) is None
    assert query(studio.db.path, "select id from projects where id=?", (doomed.id,)) == []


def test_a_stale_background_save_changes_nothing(make_studio):
    studio = make_studio()
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    other = board.model_copy(update={"title": "Changed meanwhile"})
    assert not studio.store.save_storyboard_if(project.id, other, board.model_copy(update={"title": "Late"}))
    assert studio.storyboard(user, project.id).title == board.title
    assert studio.store.save_storyboard_if(project.id, studio.store.storyboard(project.id), other)
    assert studio.storyboard(user, project.id).title == "Changed meanwhile"


def test_submitting_a_render_speaks_nothing_and_its_job_times_the_board(make_studio):
    """Submitting a render never waits for a voice (issue 15): a storyboard whose lines are still unspoken (shown
    with estimated durations) is timed by the render job, in the worker, and stored as its save would have stored
    it, so the film and a later re-assembly see the same scene lengths."""
    studio = make_studio()
    studio.timing.background = SilentSpeaker()  # the background speaks nothing in this test
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    voice = studio.registry.fixture_parts.voices[0]
    job = studio.submit_render(user, project.id)
    assert voice.spoken == [] and studio.storyboard(user, project.id) == board  # queued, nothing spoken or changed

    assert studio.jobs.run_pending() == 1 and studio.jobs.get(job.id).status == "done", studio.jobs.get(job.id).error
    assert sorted(voice.spoken) == sorted(s.narration for s in board.scenes)  # the job spoke them
    stored = studio.storyboard(user, project.id)
    assert [s.duration for s in stored.scenes] == expected_durations(board, voice)
    film = studio.latest_film(user, project.id)
    assert film.duration_sec >= sum(s.duration for s in stored.scenes) - 0.5 * (len(stored.scenes) - 1) - 0.2
    voice.spoken.clear()
    engine = studio.registry.fixture_parts.engines[0]
    engine.rendered.clear()
    studio.reassemble(user, project.id)  # the stored durations are the rendered ones: no clip is missing
    assert voice.spoken == [] and engine.rendered == []


def test_a_save_waits_for_another_process_holding_the_database_and_then_sees_its_edit(make_studio, tmp_path):
    """The render worker (another process) stores a timed board with save_storyboard_if: the look and the save
    are one step under SQLite's write lock, so an edit another process commits in between is seen, not
    overwritten. Here a raw connection (as another process would) holds the write lock while it edits."""
    import sqlite3

    studio = make_studio()
    user = studio.local_user()
    project, board = studio.create_project(user, WriteRequest(idea=IDEA))
    other = sqlite3.connect(studio.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE scenes SET description = ? WHERE project_id = ? AND scene_number = 1",
                  ("Edited in another process.", project.id))  # fmt: skip
    result = []
    late = board.model_copy(update={"title": "Late"})
    saving = threading.Thread(target=lambda: result.append(studio.store.save_storyboard_if(project.id, board, late)))
    saving.start()
    time.sleep(0.3)
    assert saving.is_alive()  # waiting for the write lock, not comparing against what was there before
    other.execute("COMMIT")
    other.close()
    saving.join(30)
    assert result == [False]
    kept = studio.storyboard(user, project.id)
    assert kept.title == board.title and kept.scenes[0].description == "Edited in another process."
