"""Safety net (issue 10): the REST error paths, in LAN mode. A wrong password is 401, repeated failures lock
the name (429), a refresh needs a refresh token, a taken name is refused, an empty prompt is a 4xx with a
clear message, and a malformed body is 422; none is a 5xx, none changes the database."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import StudioServer
from tests.guard_support import query, seed_users

pytestmark = pytest.mark.slow

PASSWORDS = {"admin": "admin password", "ann": "ann password", "tom": "tom password", "wendy": "wendy password"}
MAX_FAILURES = 5  # app/accounts.py: failed logins before a name is locked


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    data = tmp_path_factory.mktemp("guard_rest") / "data"
    data.mkdir(parents=True)
    seed_users(data, {name: (pw, "admin" if name == "admin" else "user") for name, pw in PASSWORDS.items()})
    server = StudioServer(data, env={"STORYREEL_AUTH__REQUIRE_LOGIN": "true"}).start()
    server.db = data / "storyreel.db"
    server.http = httpx.Client(base_url=server.url, timeout=60)
    yield server
    server.http.close()
    server.stop()


def login(lan, name: str, password: str) -> httpx.Response:
    return lan.http.post("/api/auth/login", json={"username": name, "password": password})


def tokens(lan, name: str) -> dict:
    resp = login(lan, name, PASSWORDS[name])
    assert resp.status_code == 200, resp.text
    return resp.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def counts(lan) -> tuple:
    return tuple(query(lan.db, f"select count(*) from {t}")[0][0] for t in ("users", "projects", "jobs", "scenes"))


def test_a_wrong_password_is_401(lan):
    for name, password in (("wendy", "not her password"), ("nobody", "any password"), ("wendy", "")):
        resp = login(lan, name, password)
        assert resp.status_code == 401, (name, resp.status_code)
        assert "access_token" not in resp.text
    assert login(lan, "wendy", PASSWORDS["wendy"]).status_code == 200  # a few failures do not lock her out


def test_repeated_failures_lock_the_name(lan):
    for _ in range(MAX_FAILURES):
        assert login(lan, "tom", "guessing").status_code == 401
    locked = login(lan, "tom", PASSWORDS["tom"])  # even the right password waits now
    assert locked.status_code == 429, locked.text
    detail = locked.json()["detail"]
    assert detail["code"] == "login_throttled" and "try again" in detail["message"]
    zh = lan.http.post("/api/auth/login", json={"username": "tom", "password": PASSWORDS["tom"]},
                       headers={"Accept-Language": "zh-CN,zh;q=0.9"})  # fmt: skip
    assert zh.status_code == 429 and "重试" in zh.json()["detail"]["message"]
    web = httpx.post(f"{lan.url}login", data={"username": "tom", "password": PASSWORDS["tom"]}, timeout=30)
    assert web.status_code != 200  # the page's login is locked too
    assert login(lan, "ann", PASSWORDS["ann"]).status_code == 200  # the lock is on tom's name only


def test_a_refresh_needs_a_refresh_token(lan):
    issued = tokens(lan, "ann")
    for bad in (issued["access_token"], "not.a.token", ""):
        resp = lan.http.post("/api/auth/refresh", json={"refresh_token": bad})
        assert resp.status_code == 401, resp.text
    fresh = lan.http.post("/api/auth/refresh", json={"refresh_token": issued["refresh_token"]})
    assert fresh.status_code == 200 and fresh.json()["access_token"]
    me = lan.http.get("/api/auth/me", headers=bearer(fresh.json()["access_token"]))
    assert me.status_code == 200 and me.json()["username"] == "ann"
    # ...and the other way round: a refresh token is no access token
    assert lan.http.get("/api/auth/me", headers=bearer(issued["refresh_token"])).status_code == 401
    assert lan.http.get("/api/tasks", headers=bearer(issued["refresh_token"])).status_code == 401


def test_a_taken_name_is_refused(lan):
    admin = bearer(tokens(lan, "admin")["access_token"])
    users = query(lan.db, "select * from users order by id")
    resp = lan.http.post("/api/auth/register", json={"username": "ann", "password": "a new password"},
                         headers=admin)  # fmt: skip
    assert resp.status_code == 400 and resp.json()["detail"]["code"] == "username_taken"
    assert query(lan.db, "select * from users order by id") == users
    assert login(lan, "ann", PASSWORDS["ann"]).status_code == 200  # her password is still hers


@pytest.mark.parametrize("prompt", ["", "   \n\t"])
def test_an_empty_prompt_is_refused_with_a_clear_message(lan, prompt):
    headers = bearer(tokens(lan, "ann")["access_token"])
    before = counts(lan)
    resp = lan.http.post("/api/tasks", json={"prompt": prompt}, headers=headers)
    assert resp.status_code == 400, resp.text
    assert resp.json()["detail"]["code"] == "idea_empty" and resp.json()["detail"]["message"]
    zh = lan.http.post("/api/tasks", json={"prompt": prompt}, headers={**headers, "Accept-Language": "zh"})
    assert zh.status_code == 400 and "创意" in zh.json()["detail"]["message"]
    assert counts(lan) == before


def test_malformed_bodies_are_422_and_change_nothing(lan):
    ann = bearer(tokens(lan, "ann")["access_token"])
    admin = bearer(tokens(lan, "admin")["access_token"])
    before = counts(lan)
    json_header = {"Content-Type": "application/json"}
    cases = [
        ("/api/tasks", ann, b'{"prompt": "a kite', "broken JSON"),
        ("/api/tasks", ann, b"{}", "no prompt"),
        ("/api/tasks", ann, b'{"prompt": ["a", "kite"]}', "a list for a string"),
        ("/api/tasks", ann, b"[1, 2]", "not an object"),
        ("/api/auth/login", {}, b'{"username": "ann"', "broken JSON"),
        ("/api/auth/login", {}, b'{"username": "ann"}', "no password"),
        ("/api/auth/refresh", {}, b"{}", "no token"),
        ("/api/auth/register", admin, b'{"username": "zoe"}', "no password"),
    ]
    for path, headers, body, what in cases:
        resp = lan.http.post(path, content=body, headers={**headers, **json_header})
        assert resp.status_code == 422, (path, what, resp.status_code, resp.text)
        assert "Traceback" not in resp.text
    assert counts(lan) == before
