"""Safety net (issue 10): who may call what, in LAN mode (login on).

Every admin-only Gradio endpoint and REST route is refused to a normal user and to an anonymous caller and
changes nothing; every project endpoint is refused for another user's project (through gradio_client, REST
and the media route) and changes nothing in the database, and the owner may call each of them."""

from __future__ import annotations

import re

import httpx
import pytest
from gradio_client import Client

from tests.conftest import StudioServer
from tests.guard_support import query, seed_users, snapshot

pytestmark = pytest.mark.slow

PASSWORDS = {"admin": "admin password", "ann": "ann password", "bob": "bob password"}
IDEA = "A paper lantern floats over a lake. A girl watches from the shore. The lantern reaches the stars."

# Every named endpoint, by who may call it. A new endpoint must be placed in one of these, so that it is
# guarded too.
ADMIN_ENDPOINTS = {"/admin_overview", "/admin_save_user", "/moderation_overview", "/save_moderation_rules",
                   "/admin_system", "/admin_queue_up", "/admin_queue_down", "/admin_queue_cancel",
                   "/moderation_examples", "/add_moderation_example", "/remove_moderation_example"}  # fmt: skip
PROJECT_ENDPOINTS = {"/load_storyboard", "/save_storyboard", "/edit_storyboard", "/rewrite_scene", "/render",
                     "/cancel_render", "/reassemble", "/film", "/save_bible", "/reroll_scene", "/lock_scene",
                     "/render_scene", "/rename_project", "/duplicate_project", "/delete_project",
                     "/finish_film"}  # fmt: skip
OWN_ENDPOINTS = {"/write_storyboard", "/library", "/change_password"}  # act only on the caller's own things
# Every REST route, by who may call it (the same rule: a new route must be placed here).
ADMIN_ROUTES = {("/api/auth/register", "post")}  # with [auth] allow_register off, the default
PROJECT_ROUTES = {
    ("/api/tasks/{task_id}", "get"),
    ("/media/{kind}/{item_id}", "get"),
    ("/api/tasks/{task_id}/storyboard", "get"),
    ("/api/tasks/{task_id}/storyboard", "put"),
    ("/api/tasks/{task_id}/render", "post"),
    ("/api/tasks/{task_id}/scenes/{number}/render", "post"),
}
OTHER_ROUTES = {("/api/tasks", "get"), ("/api/tasks", "post"), ("/api/auth/login", "post"),
                ("/api/auth/refresh", "post"), ("/api/auth/me", "get"), ("/health", "get"),
                ("/api/model/status", "get"), ("/api/queue", "get")}  # fmt: skip
RULE_COLUMNS = ["category", "pattern", "action", "language", "enabled", "is_allow"]


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    data = tmp_path_factory.mktemp("guard_access") / "data"
    data.mkdir(parents=True)
    seed_users(data, {name: (pw, "admin" if name == "admin" else "user") for name, pw in PASSWORDS.items()})
    server = StudioServer(data, env={"STORYREEL_AUTH__REQUIRE_LOGIN": "true"}).start()
    server.db = data / "storyreel.db"
    server.clients = {name: Client(server.url, auth=(name, pw), verbose=False, download_files=False)
                      for name, pw in PASSWORDS.items()}  # fmt: skip
    ann = server.clients["ann"]
    project_id, _, _ = ann.predict(IDEA, api_name="/write_storyboard")
    _, _, film_id = ann.predict(project_id, api_name="/render")
    pid = int(project_id)
    server.ann = {
        "project": pid,
        "film": int(film_id),
        "clips": [r[0] for r in query(server.db, "select id from clips where project_id=?", (pid,))],
        "job": query(server.db, "select id from jobs where project_id=? order by id desc", (pid,))[0][0],
    }
    server.clients["admin"].predict("a purple giraffe ritual at the full moon", "violence", "block",
                                    api_name="/add_moderation_example")  # fmt: skip
    server.example = query(server.db, "select id from moderation_example")[0][0]
    yield server
    server.stop()


def bearer(server, name: str) -> dict[str, str]:
    resp = httpx.post(f"{server.url}api/auth/login", json={"username": name, "password": PASSWORDS[name]}, timeout=30)
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def web_login(server, name: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=60)
    assert client.post("/login", data={"username": name, "password": PASSWORDS[name]}).status_code == 200
    return client


def examples(server) -> list[tuple]:
    return query(server.db, "select id, text, category, action from moderation_example order by id")


def rules(server) -> list[tuple]:
    return query(server.db, "select category, pattern, action, language, enabled, is_allow from moderation_rule "
                            "order by id")  # fmt: skip


def admin_calls(lan) -> list[tuple[str, list]]:
    """Each admin endpoint with arguments that would do harm if they were obeyed."""
    return [
        ("/admin_overview", []),
        ("/moderation_overview", []),
        ("/admin_save_user", ["mallory", "mallory password", "admin", True]),  # a new admin
        ("/admin_save_user", ["bob", "bob's new password", "admin", True]),  # raise oneself to admin
        ("/admin_save_user", ["admin", "", "user", False]),  # disable the administrator
        ("/save_moderation_rules", [{"headers": RULE_COLUMNS, "data": []}]),  # wipe every rule
        ("/admin_system", []),
        ("/admin_queue_up", [lan.ann["job"]]),
        ("/admin_queue_down", [lan.ann["job"]]),
        ("/admin_queue_cancel", [lan.ann["job"]]),
        ("/moderation_examples", []),
        ("/add_moderation_example", ["a kite over green hills", "violence", "block"]),  # block harmless text
        ("/remove_moderation_example", [lan.example]),  # drop the admin's example
    ]


def test_every_endpoint_is_classified(lan):
    endpoints = set(lan.clients["admin"].view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert ADMIN_ENDPOINTS | PROJECT_ENDPOINTS | OWN_ENDPOINTS <= endpoints  # the guarded names still exist
    unknown = endpoints - ADMIN_ENDPOINTS - PROJECT_ENDPOINTS - OWN_ENDPOINTS
    assert not unknown, f"new endpoints {unknown}: add them to a list above so their access is tested"


def test_every_rest_route_is_classified(lan):
    spec = httpx.get(f"{lan.url}api/openapi.json", headers=bearer(lan, "admin"), timeout=30).json()
    routes = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert ADMIN_ROUTES | PROJECT_ROUTES | OTHER_ROUTES <= routes
    unknown = routes - ADMIN_ROUTES - PROJECT_ROUTES - OTHER_ROUTES
    assert not unknown, f"new routes {unknown}: add them to a list above so their access is tested"


def test_admin_endpoints_are_refused_to_a_user(lan):
    users, rule_rows = query(lan.db, "select * from users order by id"), rules(lan)
    example_rows = examples(lan)
    assert len(example_rows) == 1  # the admin's example is there to be removed
    assert len(rule_rows) > 20  # the shipped rules are there to be wiped
    bob = lan.clients["bob"]
    for endpoint, args in admin_calls(lan):
        with pytest.raises(Exception, match="administrator") as err:
            bob.predict(*args, api_name=endpoint)
        assert "Traceback" not in str(err.value)
    assert query(lan.db, "select * from users order by id") == users
    assert rules(lan) == rule_rows
    # bob's old password still works and he is still a user
    assert query(lan.db, "select role from users where username='bob'") == [("user",)]
    bearer(lan, "bob")
    assert examples(lan) == example_rows


def test_admin_endpoints_are_refused_to_an_anonymous_caller(lan):
    users, rule_rows = query(lan.db, "select * from users order by id"), rules(lan)
    example_rows = examples(lan)
    assert len(example_rows) == 1  # the admin's example is there to be removed
    anon = httpx.Client(base_url=lan.url, timeout=30)
    for endpoint, args in admin_calls(lan):
        resp = anon.post(f"/gradio_api/call{endpoint}", json={"data": args})
        assert resp.status_code in (401, 403), (endpoint, resp.status_code)
    # the same, with a bearer token of a normal user (Gradio's routes know only their login cookie)
    as_bob = httpx.Client(base_url=lan.url, timeout=30, headers=bearer(lan, "bob"))
    for endpoint, args in admin_calls(lan):
        resp = as_bob.post(f"/gradio_api/call{endpoint}", json={"data": args})
        assert resp.status_code in (401, 403), (endpoint, resp.status_code)
    assert query(lan.db, "select * from users order by id") == users
    assert rules(lan) == rule_rows
    assert examples(lan) == example_rows


def test_admin_endpoints_work_for_the_admin(lan):
    """The other side of the refusals above: the same calls, by the admin, do what they say."""
    admin = lan.clients["admin"]
    users, _ = admin.predict(api_name="/admin_overview")
    assert {"admin", "ann", "bob"} <= {row[1] for row in users["data"]}
    rule_table, audit = admin.predict(api_name="/moderation_overview")
    assert len(rule_table["data"]) == len(rules(lan))
    admin.predict("carol", "carol password", "user", True, api_name="/admin_save_user")
    assert query(lan.db, "select role, active from users where username='carol'") == [("user", 1)]
    extra = ["studio_policy", "purple giraffe", "block", "any", True, False]
    saved, _ = admin.predict({"headers": RULE_COLUMNS, "data": [*rule_table["data"], extra]},
                             api_name="/save_moderation_rules")  # fmt: skip
    assert len(saved["data"]) == len(rule_table["data"]) + 1
    assert ("studio_policy", "purple giraffe") in [r[:2] for r in rules(lan)]
    admin.predict({"headers": RULE_COLUMNS, "data": rule_table["data"]}, api_name="/save_moderation_rules")
    assert len(rules(lan)) == len(rule_table["data"])
    listed = admin.predict(api_name="/moderation_examples")
    assert [r[0] for r in listed["data"]] == [lan.example]


def test_admin_rest_routes_are_refused_to_a_user_and_an_anonymous_caller(lan):
    """Creating users over REST is the admin-only route (with [auth] allow_register off, the default)."""
    before = query(lan.db, "select * from users order by id")
    body = {"username": "eve", "password": "eve password"}
    assert httpx.post(f"{lan.url}api/auth/register", json=body, timeout=30).status_code in (401, 403)
    resp = httpx.post(f"{lan.url}api/auth/register", json=body, headers=bearer(lan, "bob"), timeout=30)
    assert resp.status_code == 403
    assert query(lan.db, "select * from users order by id") == before
    resp = httpx.post(f"{lan.url}api/auth/register", json=body, headers=bearer(lan, "admin"), timeout=30)
    assert resp.status_code == 201 and resp.json()["username"] == "eve"
    assert query(lan.db, "select role from users where username='eve'") == [("user",)]


def test_another_users_project_is_refused_through_gradio_and_nothing_changes(lan):
    pid = lan.ann["project"]
    before = snapshot(lan.db, pid)
    assert before["scenes"] and before["clips"] and before["films"]
    table = lan.clients["ann"].predict(pid, api_name="/load_storyboard")
    table["data"][0][2] = "bob was here"
    calls = [
        ("/load_storyboard", [pid]),
        ("/save_storyboard", [pid, table, True]),
        ("/edit_storyboard", [pid, 1, "delete", 1]),
        ("/edit_storyboard", [pid, 1, "add", 1]),
        ("/rewrite_scene", [pid, 1, "at night"]),
        ("/render", [pid]),
        ("/cancel_render", [pid]),
        ("/reassemble", [pid, "none", "calm", 0.3, None, "storyboard", False, 26]),
        ("/film", [pid]),
        ("/save_bible", [pid, "bob's style", {"headers": ["name", "look"], "data": []}, True]),
        ("/reroll_scene", [pid, 1]),
        ("/lock_scene", [pid, 1, True]),
        ("/render_scene", [pid, 1, "final"]),
        ("/finish_film", [pid, "2", "1"]),
        ("/rename_project", [pid, "bob was here"]),
        ("/duplicate_project", [pid]),
        ("/delete_project", [pid, True]),
    ]
    assert {c[0] for c in calls} == PROJECT_ENDPOINTS
    bob = lan.clients["bob"]
    for endpoint, args in calls:
        with pytest.raises(Exception, match="does not exist"):
            bob.predict(*args, api_name=endpoint)
    assert pid not in [row[0] for row in bob.predict(api_name="/library")["data"]]
    assert snapshot(lan.db, pid) == before
    assert not query(lan.db, "select id from jobs where user_id=(select id from users where username='bob')")


def test_another_users_project_is_refused_over_rest_and_media(lan):
    pid, fid, job = lan.ann["project"], lan.ann["film"], lan.ann["job"]
    before = snapshot(lan.db, pid)
    headers = bearer(lan, "bob")
    assert httpx.get(f"{lan.url}api/tasks/{pid}", headers=headers, timeout=30).status_code == 404
    board = httpx.get(f"{lan.url}api/tasks/{pid}/storyboard", headers=bearer(lan, "ann"), timeout=30).json()
    for method, url, body in (("GET", f"api/tasks/{pid}/storyboard", None), ("PUT", f"api/tasks/{pid}/storyboard", board),
                              ("POST", f"api/tasks/{pid}/render", None), ("POST", f"api/tasks/{pid}/scenes/1/render", None)):  # fmt: skip
        assert httpx.request(method, f"{lan.url}{url}", headers=headers, json=body, timeout=30).status_code == 404, url
    listing = httpx.get(f"{lan.url}api/tasks", headers=headers, timeout=30).json()
    assert pid not in [t["task_id"] for t in listing]
    media = [f"/media/{kind}/{fid}" for kind in ("film", "srt", "vtt")]
    media += [f"/media/clip/{c}" for c in lan.ann["clips"]] + [f"/media/preview/{job}"]
    cookie_bob, token_bob = web_login(lan, "bob"), httpx.Client(base_url=lan.url, headers=headers, timeout=30)
    anon = httpx.Client(base_url=lan.url, timeout=30)
    for url in media:
        assert cookie_bob.get(url).status_code == 404, url
        assert token_bob.get(url).status_code == 404, url
        assert anon.get(url).status_code in (401, 403), url
    assert snapshot(lan.db, pid) == before


def test_the_owner_may_call_every_project_endpoint(lan):
    pid, fid = lan.ann["project"], lan.ann["film"]
    ann = lan.clients["ann"]
    table = ann.predict(pid, api_name="/load_storyboard")
    stored = query(lan.db, "select narration from scenes where project_id=? order by scene_number", (pid,))
    assert [row[2] for row in table["data"]] == [r[0] for r in stored]
    n = len(table["data"])
    table["data"][0][2] = "The lantern rises slowly."
    saved, _ = ann.predict(pid, table, True, api_name="/save_storyboard")
    assert query(lan.db, "select narration from scenes where project_id=? and scene_number=1", (pid,)) == [
        ("The lantern rises slowly.",)
    ]
    added, _ = ann.predict(pid, n, "add", 1, api_name="/edit_storyboard")
    assert len(added["data"]) == n + 1
    deleted, _ = ann.predict(pid, n + 1, "delete", 1, api_name="/edit_storyboard")
    assert len(deleted["data"]) == n
    rewritten, _ = ann.predict(pid, 1, "at night", api_name="/rewrite_scene")
    assert "night" in query(lan.db, "select description from scenes where project_id=? and scene_number=1",
                            (pid,))[0][0].lower()  # fmt: skip
    assert "render" in ann.predict(pid, api_name="/cancel_render").lower()  # nothing running: a plain answer
    _, _, new_film = ann.predict(pid, api_name="/render")
    assert int(new_film) > fid
    player, _ = ann.predict(pid, "none", "calm", 0.3, None, "storyboard", False, 26, api_name="/reassemble")
    reassembled = int(re.search(r"/media/film/(\d+)", player).group(1))
    assert reassembled > int(new_film)
    assert f"/media/film/{reassembled}" in ann.predict(pid, api_name="/film")
    assert query(lan.db, "select count(*) from films where project_id=?", (pid,))[0][0] == 3
    headers = bearer(lan, "ann")
    task = httpx.get(f"{lan.url}api/tasks/{pid}", headers=headers, timeout=30).json()
    assert task["status"] == "completed" and task["result"]["video_url"] == f"/media/film/{reassembled}"
    web = web_login(lan, "ann")
    for url in [f"/media/{kind}/{fid}" for kind in ("film", "srt", "vtt")] + [f"/media/clip/{lan.ann['clips'][0]}"]:
        assert web.get(url).status_code == 200, url
        assert httpx.get(f"{lan.url}{url[1:]}", headers=headers, timeout=30).status_code == 200, url
    assert web.get(f"/media/preview/{lan.ann['job']}").status_code == 200
