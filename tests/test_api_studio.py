"""Every public endpoint of the running studio, through gradio_client and REST (LAN mode, one server for
the module): what it does, the bad edits it refuses with a message in the asker's language (and nothing
changed), and that nobody reaches another user's project through it."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest
from gradio_client import Client

from app.accounts import Accounts
from storage.db import Database
from tests.conftest import StudioServer

pytestmark = pytest.mark.slow

PASSWORDS = {"admin": "admin password", "ann": "ann password", "bob": "bob password"}
IDEA = "A kite over green hills. It climbs into the wind. It lands by a river."
# Every public Gradio endpoint is named here with the test that uses it: a new endpoint without a test fails.
EXERCISED = {
    "/write_storyboard", "/load_storyboard", "/save_storyboard", "/save_bible", "/edit_storyboard",
    "/rewrite_scene", "/reroll_scene", "/lock_scene", "/render_scene", "/render", "/cancel_render", "/film",
    "/reassemble", "/library", "/rename_project", "/duplicate_project", "/delete_project", "/change_password",
    "/admin_overview", "/admin_system", "/admin_save_user", "/admin_queue_up", "/admin_queue_down",
    "/admin_queue_cancel", "/moderation_overview", "/save_moderation_rules", "/moderation_examples",
    "/add_moderation_example", "/remove_moderation_example", "/finish_film",
}  # fmt: skip


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    data = tmp_path_factory.mktemp("api") / "data"
    accounts = Accounts(Database(data / "storyreel.db"), data / "jwt.secret")
    for name, password in PASSWORDS.items():
        accounts.create_user(name, password, role="admin" if name == "admin" else "user")
    env = {"STORYREEL_AUTH__REQUIRE_LOGIN": "true", "STORYREEL_RENDER__SHORT_SIDE": "128",
           "STORYREEL_ASSEMBLY__X264_PRESET": "ultrafast", "STORYREEL_NARRATION__ENGINE": "none"}  # fmt: skip
    server = StudioServer(data, env=env).start()
    server.clients = {n: Client(server.url, auth=(n, p), verbose=False, download_files=False)
                      for n, p in PASSWORDS.items()}  # fmt: skip
    server.tokens = {}
    for name, password in PASSWORDS.items():
        resp = httpx.post(f"{server.url}api/auth/login", json={"username": name, "password": password}, timeout=30)
        server.tokens[name] = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    yield server
    server.stop()


def rest(lan, method: str, path: str, who: str = "ann", lang: str = "en", **kwargs) -> httpx.Response:
    headers = {**lan.tokens[who], "Accept-Language": "zh-CN" if lang == "zh" else "en-US"}
    return httpx.request(method, f"{lan.url}{path.lstrip('/')}", headers=headers, timeout=120, **kwargs)


def clip_count(lan, project_id: int) -> int:
    db = sqlite3.connect(lan.data_dir / "storyreel.db")
    try:
        return db.execute("select count(*) from clips where project_id=?", (project_id,)).fetchone()[0]
    finally:
        db.close()


def wait_idle(lan, who: str = "ann", timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not rest(lan, "GET", "/api/queue", who).json():
            return
        time.sleep(0.5)
    raise AssertionError("the queue did not empty")


def test_every_public_endpoint_is_exercised_here(lan):
    endpoints = set(lan.clients["admin"].view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert endpoints == EXERCISED, endpoints ^ EXERCISED
    spec = rest(lan, "GET", "/api/openapi.json").json()["paths"]
    for path in ("/api/tasks", "/api/tasks/{task_id}/storyboard", "/api/tasks/{task_id}/render",
                 "/api/tasks/{task_id}/scenes/{number}/render", "/api/queue"):  # fmt: skip
        assert path in spec and all(op.get("description") or op.get("summary") for op in spec[path].values())
    params = spec["/api/tasks"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert params.endswith("TaskIn")


def test_storyboard_endpoints_and_bad_edits(lan):
    ann = lan.clients["ann"]
    pid, table, message = ann.predict(IDEA, False, "travel", 20, "auto", "1:1", None, "draft", "watercolour",
                                      api_name="/write_storyboard")  # fmt: skip
    n = len(table["data"])
    assert str(pid) in message and n >= 3
    assert ann.predict(pid, api_name="/load_storyboard")["data"] == table["data"]

    table["data"][0][2] = "The kite rises over the hills."
    saved, message = ann.predict(pid, table, False, api_name="/save_storyboard")
    assert saved["data"][0][2] == "The kite rises over the hills." and "saved" in message
    for col, value, expected in ((3, 99, "at most 30"), (4, "zoom_wildly", "push_in"), (3, "long", "number")):
        bad = {**saved, "data": [list(r) for r in saved["data"]]}
        bad["data"][1][col] = value
        with pytest.raises(Exception, match=expected):
            ann.predict(pid, bad, False, api_name="/save_storyboard")
    assert ann.predict(pid, api_name="/load_storyboard")["data"] == saved["data"]  # nothing changed

    board, _ = ann.predict(pid, "pencil sketch", {"headers": ["n", "l"], "data": [["Kite", "a red diamond kite"]]},
                           False, api_name="/save_bible")  # fmt: skip
    with pytest.raises(Exception, match="characters|name"):
        ann.predict(pid, "x", {"headers": ["n", "l"], "data": [["", "a look without a name"]]}, False,
                    api_name="/save_bible")  # fmt: skip

    added, _ = ann.predict(pid, 1, "add", 1, api_name="/edit_storyboard")
    assert len(added["data"]) == n + 1
    for args, expected in (((pid, 99, "delete", 1), "no scene 99"), ((pid, 1, "explode", 1), "Unknown edit"),
                           ((pid, n + 1, "merge", 1), "last one")):  # fmt: skip
        with pytest.raises(Exception, match=expected):
            ann.predict(*args, api_name="/edit_storyboard")
    ann.predict(pid, 2, "delete", 1, api_name="/edit_storyboard")
    rewritten, _ = ann.predict(pid, 1, "at night", api_name="/rewrite_scene")
    assert "night" in rewritten["data"][0][1]
    with pytest.raises(Exception, match="how to change"):
        ann.predict(pid, 1, "   ", api_name="/rewrite_scene")

    before = rest(lan, "GET", f"/api/tasks/{pid}/storyboard").json()["scenes"][1]["seed"]
    ann.predict(pid, 2, api_name="/reroll_scene")
    assert rest(lan, "GET", f"/api/tasks/{pid}/storyboard").json()["scenes"][1]["seed"] != before
    ann.predict(pid, 2, True, api_name="/lock_scene")
    with pytest.raises(Exception, match="locked"):
        ann.predict(pid, 2, api_name="/reroll_scene")
    with pytest.raises(Exception, match="locked"):
        ann.predict(pid, 2, "final", api_name="/render_scene")
    ann.predict(pid, 2, False, api_name="/lock_scene")

    bob = lan.clients["bob"]
    for endpoint, args in (("/load_storyboard", [pid]), ("/save_bible", [pid, "x", {"headers": ["n", "l"], "data": []}, False]),
                           ("/reroll_scene", [pid, 1]), ("/lock_scene", [pid, 1, True]),
                           ("/render_scene", [pid, 1, "final"]), ("/edit_storyboard", [pid, 1, "delete", 1])):  # fmt: skip
        with pytest.raises(Exception, match="does not exist"):
            bob.predict(*args, api_name=endpoint)


def test_render_one_scene_then_the_film_then_reassemble(lan):
    ann = lan.clients["ann"]
    pid, table, _ = ann.predict(IDEA, api_name="/write_storyboard")
    html, message = ann.predict(pid, 2, "final", api_name="/render_scene")
    assert "/media/clip/" in html and "2" in message
    assert clip_count(lan, pid) == 1  # that scene alone
    status, player, film_id = ann.predict(pid, "final", api_name="/render")
    assert f"/media/film/{int(film_id)}" in player and "<track" in player
    assert clip_count(lan, pid) == len(table["data"])  # scene 2's clip is reused, the others rendered once
    assert f"/media/film/{int(film_id)}" in ann.predict(pid, api_name="/film")
    player, _ = ann.predict(pid, "none", "calm", 0.3, None, "fade", False, 24, "bw", None, api_name="/reassemble")
    assert "/media/film/" in player and clip_count(lan, pid) == len(table["data"])  # nothing rendered
    player, _ = ann.predict(pid, "1", "1", api_name="/finish_film")  # finishing off: the final clips as they are
    assert "/media/film/" in player and clip_count(lan, pid) == len(table["data"])
    with pytest.raises(Exception, match="LUT"):
        ann.predict(pid, "none", "calm", 0.3, None, "cut", False, 24, "lut", None, api_name="/reassemble")
    assert "cancelled" in ann.predict(pid, api_name="/cancel_render").lower()
    with pytest.raises(Exception, match="does not exist"):
        lan.clients["bob"].predict(pid, "final", api_name="/render")


def test_library_endpoints(lan):
    ann = lan.clients["ann"]
    pid, _, _ = ann.predict("A paper lantern floats over a dark lake. It drifts to the far shore.",
                            api_name="/write_storyboard")  # fmt: skip
    title, message = ann.predict(pid, "Lantern night", api_name="/rename_project")
    assert title == "" and "Lantern night" in message
    with pytest.raises(Exception, match="1 to 200"):
        ann.predict(pid, "   ", api_name="/rename_project")
    found = ann.predict("lantern", api_name="/library")["data"]
    assert [row[0] for row in found] == [pid] and found[0][1] == "Lantern night"
    copy, message = ann.predict(pid, api_name="/duplicate_project")
    assert int(copy) != pid and "copy" in message
    with pytest.raises(Exception, match="Confirm"):
        ann.predict(int(copy), False, api_name="/delete_project")
    assert "Deleted" in ann.predict(int(copy), True, api_name="/delete_project")
    assert [row[0] for row in ann.predict("lantern", api_name="/library")["data"]] == [pid]
    assert lan.clients["bob"].predict("lantern", api_name="/library")["data"] == []
    with pytest.raises(Exception, match="does not exist"):
        lan.clients["bob"].predict(pid, True, api_name="/delete_project")
    with pytest.raises(Exception, match="at least"):
        lan.clients["bob"].predict("x", api_name="/change_password")


def test_admin_endpoints_are_for_admins(lan):
    admin, ann = lan.clients["admin"], lan.clients["ann"]
    users, jobs = admin.predict(api_name="/admin_overview")
    assert users["headers"][:2] == ["ID", "User name"] and {"ann", "bob"} <= {r[1] for r in users["data"]}
    assert jobs["headers"][:2] == ["Job", "Position"]
    text, presets = admin.predict(api_name="/admin_system")
    assert "VRAM" in text and presets["headers"][0] == "Preset" and "animatic" in [r[0] for r in presets["data"]]
    users, _, message = admin.predict("carol", "carol password", "user", True, api_name="/admin_save_user")
    assert "carol" in {r[1] for r in users["data"]}
    rules, audit = admin.predict(api_name="/moderation_overview")
    assert rules["headers"][0] == "Category" and audit["headers"][0] == "When"
    saved, message = admin.predict(rules, api_name="/save_moderation_rules")
    assert len(saved["data"]) == len(rules["data"])
    # the queue: two renders of ann's, the second moved up, then cancelled
    first, _, _ = ann.predict("A bee visits a flower. It flies home.", api_name="/write_storyboard")
    second, _, _ = ann.predict("A snail climbs a wall. It rests at the top.", api_name="/write_storyboard")
    jobs = [rest(lan, "POST", f"/api/tasks/{p}/render").json()["job_id"] for p in (first, second)]
    with pytest.raises(Exception, match="administrator"):
        ann.predict(jobs[1], api_name="/admin_queue_up")
    queued = [e["job_id"] for e in rest(lan, "GET", "/api/queue", "admin").json()]
    if jobs[1] in queued and queued.index(jobs[1]) > 1:  # only a job still waiting behind another can move up
        admin.predict(jobs[1], api_name="/admin_queue_up")
    for name in ("/admin_queue_down", "/admin_queue_cancel"):
        try:
            admin.predict(jobs[1], api_name=name)
        except Exception as err:  # the job may have started or finished meanwhile: then it cannot move
            assert "cannot move" in str(err) or name == "/admin_queue_cancel"
    wait_idle(lan, "admin")
    for name in ("/admin_overview", "/admin_system", "/moderation_overview"):
        with pytest.raises(Exception, match="administrator"):
            ann.predict(api_name=name)


def test_an_admin_example_changes_the_verdict_of_a_paraphrase_at_once(lan):
    """The examples panel: an example added through the admin endpoint blocks a paraphrase of it from the next
    check (no restart), is listed with who added it, is audited, and once removed lets the paraphrase pass."""
    admin, ann = lan.clients["admin"], lan.clients["ann"]
    policy = "The purple giraffe ritual is performed at the full moon."
    paraphrase = "At every full moon the villagers perform the ritual of the purple giraffe."
    before, _, _ = ann.predict(paraphrase, api_name="/write_storyboard")  # passes before the example
    assert int(before) > 0
    table, text_box, message = admin.predict(policy, "violence", "block", api_name="/add_moderation_example")
    assert table["headers"] == ["ID", "Text", "Category", "Block/allow", "Who", "When"]
    row = next(r for r in table["data"] if r[1] == policy)
    assert row[2:5] == ["graphic violence", "block", "admin"] and text_box == "" and "Example saved" in message
    projects = len(rest(lan, "GET", "/api/tasks").json())
    with pytest.raises(Exception, match="graphic violence"):
        ann.predict(paraphrase, api_name="/write_storyboard")
    resp = rest(lan, "POST", "/api/tasks", json={"prompt": paraphrase, "render": False}, lang="zh")
    assert resp.status_code == 400 and resp.json()["detail"]["code"] == "moderation_blocked"
    assert "血腥暴力" in resp.json()["detail"]["message"]
    assert len(rest(lan, "GET", "/api/tasks").json()) == projects  # nothing stored
    listed = admin.predict(api_name="/moderation_examples")
    assert [r[1] for r in listed["data"]] == [r[1] for r in table["data"]]
    _, audit = admin.predict(api_name="/moderation_overview")
    assert any(r[2] == "example:add" and policy[:40] in r[6] for r in audit["data"])
    with pytest.raises(Exception, match="administrator"):
        ann.predict(row[0], api_name="/remove_moderation_example")
    with pytest.raises(Exception, match="Pick an example"):
        admin.predict(None, api_name="/remove_moderation_example")
    with pytest.raises(Exception, match="needs a text"):
        admin.predict("   ", "violence", "block", api_name="/add_moderation_example")
    table, message = admin.predict(row[0], api_name="/remove_moderation_example")
    assert policy not in [r[1] for r in table["data"]] and f"Example {row[0]} removed" in message
    after, _, _ = ann.predict(paraphrase, api_name="/write_storyboard")
    assert int(after) > int(before)


def test_rest_tasks_with_options_and_storyboards(lan):
    resp = rest(lan, "POST", "/api/tasks", json={"prompt": IDEA, "seconds": 20, "genre": "travel", "aspect": "9:16",
                                                 "language": "en", "render": False})  # fmt: skip
    assert resp.status_code == 201, resp.text
    tid = resp.json()["task_id"]
    assert rest(lan, "GET", "/api/queue").json() == [] or all(e["project_id"] != tid for e in rest(
        lan, "GET", "/api/queue").json())  # render false: nothing queued  # fmt: skip
    board = rest(lan, "GET", f"/api/tasks/{tid}/storyboard").json()
    assert board["aspect"] == "9:16" and board["language"] == "en" and board["scenes"][0]["number"] == 1
    assert {"description", "narration", "seconds", "camera", "transition"} <= set(board["scenes"][0])

    board["scenes"][0]["narration"] = "The kite waits on the grass."
    board["scenes"].append({"description": "The kite rests in a tree at sunset", "narration": "The end."})
    resp = rest(lan, "PUT", f"/api/tasks/{tid}/storyboard", json=board)
    assert resp.status_code == 200, resp.text
    assert resp.json()["scenes"][0]["narration"] == "The kite waits on the grass."
    assert resp.json()["scenes"][-1]["description"].startswith("The kite rests")

    stored = resp.json()
    for scene_patch, code_lang, expected in (({"seconds": 99}, "zh", "不能超过 30"), ({"camera": "spin"}, "en", "push_in"),
                                             ({"description": ""}, "en", "must not be empty")):  # fmt: skip
        bad = {**stored, "scenes": [dict(s) for s in stored["scenes"]]}
        bad["scenes"][0].update(scene_patch)
        resp = rest(lan, "PUT", f"/api/tasks/{tid}/storyboard", lang=code_lang, json=bad)
        assert resp.status_code == 400 and resp.json()["detail"]["code"] == "cell_invalid"
        assert expected in resp.json()["detail"]["message"]
    bad = {**stored, "scenes": [{**stored["scenes"][0], "narration": "A film about child pornography."}]}
    resp = rest(lan, "PUT", f"/api/tasks/{tid}/storyboard", json=bad)
    assert resp.status_code == 400 and resp.json()["detail"]["code"] == "moderation_blocked"
    assert rest(lan, "GET", f"/api/tasks/{tid}/storyboard").json() == stored  # nothing changed
    assert rest(lan, "PUT", f"/api/tasks/{tid}/storyboard", json={"scenes": []}).status_code == 400

    resp = rest(lan, "POST", f"/api/tasks/{tid}/scenes/2/render", json={"quality": "draft"})
    assert resp.status_code == 202 and resp.json()["scenes"] == [2]
    assert rest(lan, "POST", f"/api/tasks/{tid}/scenes/99/render").status_code == 400
    wait_idle(lan)
    assert clip_count(lan, tid) == 1
    resp = rest(lan, "POST", f"/api/tasks/{tid}/render", json={})
    assert resp.status_code == 202 and resp.json()["scenes"] is None
    wait_idle(lan)
    task = rest(lan, "GET", f"/api/tasks/{tid}").json()
    assert task["status"] == "completed" and task["result"]["video_url"].startswith("/media/film/")

    for path, method in ((f"/api/tasks/{tid}/storyboard", "GET"), (f"/api/tasks/{tid}/storyboard", "PUT"),
                         (f"/api/tasks/{tid}/render", "POST"), (f"/api/tasks/{tid}/scenes/1/render", "POST")):  # fmt: skip
        resp = rest(lan, method, path, "bob", json=stored if method == "PUT" else {})
        assert resp.status_code == 404, (path, resp.status_code)
    bad = rest(lan, "POST", "/api/tasks", lang="zh", json={"prompt": "海边的灯塔。看守人点亮了灯。", "language": "en"})
    assert bad.status_code == 400 and "中文" in bad.json()["detail"]["message"]
    bad = rest(lan, "POST", "/api/tasks", json={"prompt": IDEA, "engine": "wan21-t2v-1_3b", "render": False})
    assert bad.status_code == 400 and "--download wan21-t2v-1_3b" in bad.json()["detail"]["message"]
