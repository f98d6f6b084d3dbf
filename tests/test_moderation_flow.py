"""Moderation inside the studio: the idea, the written storyboard, every edited cell and REST input are
checked; a block names the category and nothing is stored or rendered; a warn waits for confirmation;
every decision lands in the audit log; admins edit the rules."""

import pytest

from models.errors import UserError

BLOCKED = "A documentary that shows how to kill someone quietly. Then the town sleeps. Dawn."
WARNED = "一个恐怖故事：碎尸案发生在小镇。警察赶到现场。真相大白。"
HARMLESS = "Fried chicken night: 炸鸡 at the harbour. A killer whale jumps. Everyone claps."


def test_blocked_idea_names_the_category_and_stores_nothing(studio):
    user = studio.local_user()
    with pytest.raises(UserError) as err:
        studio.create_project(user, BLOCKED)
    assert err.value.key == "moderation_blocked"
    assert "violence" in err.value.params["message_en"].lower() and "暴力" in err.value.params["message_zh"]
    assert studio.projects(user) == []
    entry = studio.guard.audit()[0]
    assert (entry.action, entry.source, entry.username) == ("block", "idea", user.username)
    assert "violence" in entry.categories and "kill someone" in entry.text_excerpt


def test_warned_idea_waits_for_confirmation(studio):
    user = studio.local_user()
    with pytest.raises(UserError) as err:
        studio.create_project(user, WARNED)
    assert err.value.key == "moderation_warn" and studio.projects(user) == []
    project, _ = studio.create_project(user, WARNED, confirmed=True)
    assert [p.id for p in studio.projects(user)] == [project.id]
    assert {a.action for a in studio.guard.audit()} == {"warn"}


def test_harmless_words_with_banned_pieces_pass(studio):
    project, _ = studio.create_project(studio.local_user(), HARMLESS)
    assert project.id and studio.guard.audit() == []


def test_an_edited_cell_is_checked_and_refusal_changes_nothing(studio):
    user = studio.local_user()
    project, board = studio.create_project(user, "A lantern festival. Children laugh. Fireworks bloom.")
    edited = board.model_copy(deep=True)
    edited.scenes[1].narration = "Now we explain how to torture someone."
    with pytest.raises(UserError) as err:
        studio.save_storyboard(user, project.id, edited)
    assert err.value.key == "moderation_blocked"
    assert studio.storyboard(user, project.id) == board.renumbered()
    assert studio.guard.audit()[0].source == "edit"


def test_admin_rule_edits_take_effect_and_bad_rows_change_nothing(studio):
    user = studio.local_user()
    project, _ = studio.create_project(user, "A purple giraffe dances in the rain. It bows. The end.")
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
    assert studio.create_project(studio.local_user(), WARNED)[0].id
    studio.close()


class DarkFrames:
    """A stand-in image classifier plug-in: flags mostly dark frames as 'nsfw_test'."""

    def classify(self, image):
        return [("nsfw_test", 1.0 if image.mean() < 60 else 0.0)]


def dark_frames_hook():
    return DarkFrames()


def test_optional_keyframe_classifier_blocks_a_clip(tmp_path):
    from app.settings import load_settings
    from app.studio import Studio

    settings = load_settings(environ={}, paths={"data_dir": str(tmp_path)},
                             moderation={"image_hook": "tests.test_moderation_flow:dark_frames_hook"})  # fmt: skip
    studio = Studio(settings)
    user = studio.local_user()
    night, _ = studio.create_project(user, "A city at night under the stars. The moon rises. Midnight falls.")
    job = studio.submit_render(user, night.id)
    studio.jobs.run_pending()
    failed = studio.jobs.get(job.id)
    assert failed.status == "failed" and "moderation_blocked" in failed.error
    assert studio.clips(user, night.id) == [] and studio.guard.audit()[0].source == "keyframe"
    day, _ = studio.create_project(user, "A sunny beach by the sea at noon. Children play. The sun shines.")
    job = studio.submit_render(user, day.id)
    studio.jobs.run_pending()
    assert studio.jobs.get(job.id).status == "done"
    studio.close()
