"""LAN mode (login on): every route refuses strangers, users see only their own work, admins see all,
nothing connects outside loopback, and the seed's chapter-5 REST snippets run with a bearer token."""

import json
import re
import textwrap
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from app.accounts import Accounts
from storage.db import Database
from tests.conftest import ROOT, StudioServer

pytestmark = pytest.mark.slow

PASSWORDS = {"admin": "admin password", "ann": "ann password", "bob": "bob password"}
# Routes a stranger may reach in LAN mode: the login page and its assets, and the health probe.
PUBLIC = {"/health", "/api/auth/login", "/api/auth/refresh", "/api/auth/register"}


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    data = tmp_path_factory.mktemp("lan") / "data"
    accounts = Accounts(Database(data / "storyreel.db"), data / "jwt.secret")
    for name, password in PASSWORDS.items():
        accounts.create_user(name, password, role="admin" if name == "admin" else "user")
    netlog = data.parent / "net.jsonl"
    env = {"STORYREEL_AUTH__REQUIRE_LOGIN": "true", "SR_NETWATCH_LOG": str(netlog),
           "PYTHONPATH": str(ROOT / "tests" / "netwatch")}  # fmt: skip
    server = StudioServer(data, env=env).start()
    server.netlog = netlog
    clients = {name: Client(server.url, auth=(name, pw), verbose=False, download_files=False)
               for name, pw in PASSWORDS.items()}  # fmt: skip
    # ann makes a project, renders it, and so owns a project, clips, a film and its subtitles
    project_id, table, _ = clients["ann"].predict("A paper boat on a river. It drifts past a town. It reaches the sea.",
                                                  api_name="/write_storyboard")  # fmt: skip
    _, _, film_id = clients["ann"].predict(project_id, api_name="/render")
    server.ann = {"project": int(project_id), "film": int(film_id), "table": table}
    server.clients = clients
    yield server
    server.stop()


def login_cookies(server, name) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=60)
    resp = client.post("/login", data={"username": name, "password": PASSWORDS[name]})
    assert resp.status_code == 200, resp.text
    return client


def token(server, name) -> dict:
    resp = httpx.post(f"{server.url}api/auth/login", json={"username": name, "password": PASSWORDS[name]}, timeout=30)
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def test_anonymous_is_refused_everywhere(lan):
    anon = httpx.Client(base_url=lan.url, timeout=30)
    spec = anon.get("/api/openapi.json")
    assert spec.status_code in (401, 403)  # even the API description needs a login
    spec = httpx.get(f"{lan.url}api/openapi.json", headers=token(lan, "ann"), timeout=30)
    routes = [(path, method) for path, ops in spec.json()["paths"].items() for method in ops]
    assert len(routes) >= 9
    for path, method in routes:
        if path in PUBLIC:
            continue
        url = path.replace("{task_id}", str(lan.ann["project"])).replace("{kind}", "film")
        url = url.replace("{item_id}", str(lan.ann["film"]))
        resp = anon.request(method.upper(), url, json={"prompt": "x"} if method == "post" else None)
        assert resp.status_code in (401, 403), (method, url, resp.status_code)
    assert anon.post("/api/auth/register", json={"username": "x", "password": "long enough"}).status_code == 403
    # Gradio's own routes: the page's config, every named endpoint, the file route
    endpoints = lan.clients["admin"].view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert len(endpoints) >= 9
    assert anon.get("/gradio_api/info").status_code in (401, 403)
    assert anon.get("/config").status_code in (401, 403)
    for name in endpoints:
        resp = anon.post(f"/gradio_api/call{name}", json={"data": [lan.ann["project"]]})
        assert resp.status_code in (401, 403), (name, resp.status_code)
    media_dir = lan.data_dir / "media"
    film_file = next(media_dir.rglob("*.mp4"))
    for probe in (f"/gradio_api/file={film_file}", f"/file={film_file}"):
        assert anon.get(probe).status_code in (401, 403, 404)


def test_another_user_gets_404_on_everything_of_anns(lan):
    bob = login_cookies(lan, "bob")
    pid, fid = lan.ann["project"], lan.ann["film"]
    clip_ids = [c for c in range(1, 20)]
    for kind in ("film", "srt", "vtt"):
        assert bob.get(f"/media/{kind}/{fid}").status_code == 404
    assert all(bob.get(f"/media/clip/{c}").status_code == 404 for c in clip_ids)
    assert httpx.get(f"{lan.url}api/tasks/{pid}", headers=token(lan, "bob"), timeout=30).status_code == 404
    listing = httpx.get(f"{lan.url}api/tasks", headers=token(lan, "bob"), timeout=30).json()
    assert pid not in [t["task_id"] for t in listing]
    client = lan.clients["bob"]
    for endpoint, args in [("/load_storyboard", [pid]), ("/save_storyboard", [pid, lan.ann["table"]]),
                           ("/render", [pid]), ("/cancel_render", [pid]), ("/film", [pid])]:  # fmt: skip
        with pytest.raises(Exception, match="does not exist"):
            client.predict(*args, api_name=endpoint)
    assert pid not in [row[0] for row in client.predict(api_name="/library")["data"]]
    with pytest.raises(Exception, match="administrator"):
        client.predict(api_name="/admin_overview")
    # Gradio's file route does not check owners, so no user media may ever be reachable through it
    film_file = next((lan.data_dir / "media").rglob("*.mp4"))
    assert bob.get(f"/gradio_api/file={film_file}").status_code in (403, 404)


def test_owner_and_admin_are_allowed(lan):
    pid, fid = lan.ann["project"], lan.ann["film"]
    for name in ("ann", "admin"):
        web = login_cookies(lan, name)
        resp = web.get(f"/media/film/{fid}")
        assert resp.status_code == 200 and resp.content[4:8] == b"ftyp"
        assert web.get(f"/media/srt/{fid}").status_code == 200
        task = httpx.get(f"{lan.url}api/tasks/{pid}", headers=token(lan, name), timeout=30).json()
        assert task["status"] == "completed" and task["result"]["video_url"] == f"/media/film/{fid}"
        assert lan.clients[name].predict(pid, api_name="/load_storyboard")["data"] == lan.ann["table"]["data"]
    users = lan.clients["admin"].predict(api_name="/admin_overview")[0]
    assert {"admin", "ann", "bob"} <= {row[1] for row in users["data"]}


def test_no_connection_leaves_loopback(lan):
    """The whole session above, plus a download, connected to nothing but this machine."""
    web = login_cookies(lan, "ann")
    assert web.get(f"/media/film/{lan.ann['film']}").status_code == 200
    records = [json.loads(line) for line in Path(lan.netlog).read_text().splitlines()]
    assert any(r["kind"] == "start" for r in records), "the network watch was not loaded in the studio"
    outside = []
    for r in records:
        if r["kind"] == "start":
            continue
        target = r["target"]
        if r["kind"] == "lookup":
            if target.strip("'\"") not in ("localhost", "127.0.0.1", "::1", "None", "0.0.0.0"):
                outside.append(r)
        elif not re.search(r"'(127\.\d+\.\d+\.\d+|::1|localhost)'|^'/|^b?'\\x00|^'\\x00", target) and "/" not in target:
            outside.append(r)
    assert not outside, f"connections outside loopback: {outside[:5]}"


def test_seed_chapter5_snippets_run_with_a_bearer_token(lan):
    # A verbatim copy travels with the tests; where the seed itself lies beside the project, they must agree.
    text = (ROOT / "tests" / "data" / "seed_chapter5.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    for seed in (ROOT.parent / "shared" / "seed").glob("*.txt"):
        assert all(block in seed.read_text(encoding="utf-8") for block in blocks)
    s521 = next(b for b in blocks if "制作一段关于森林探险的短视频" in b)
    s531 = next(b for b in blocks if "多任务生成耗时" in b)
    headers = token(lan, "ann")
    namespace: dict = {}  # one session, as in the seed: 5.3.1 uses the `requests` that 5.2.1 imported
    for snippet in (s521, s531):
        code = snippet.replace("http://localhost:8000/", lan.url)
        code = re.sub(r"requests\.(post|get)\(([^\n]*?)\)", rf"requests.\1(\2, headers={headers!r}, timeout=60)", code)
        code = code.replace(
            "import time\nwhile True:", "import time\ndeadline = time.time() + 300\nwhile time.time() < deadline:"
        )
        started = time.time()
        exec(compile(textwrap.dedent(code), "seed-snippet", "exec"), namespace)  # noqa: S102 - the seed's own test
        assert time.time() - started < 300
    tasks = httpx.get(f"{lan.url}api/tasks", headers=headers, timeout=30).json()
    prompts = {t["prompt"]: t["status"] for t in tasks}
    for prompt in ("制作一段关于森林探险的短视频，包含河流和小动物", "森林探险", "城市夜景", "海滩日落"):
        assert prompts.get(prompt) == "completed"


def test_rest_input_is_moderated(lan):
    headers = token(lan, "bob")
    resp = httpx.post(f"{lan.url}api/tasks", json={"prompt": "A film about child pornography."}, headers=headers,
                      timeout=30)  # fmt: skip
    assert resp.status_code == 400 and resp.json()["detail"]["code"] == "moderation_blocked"
    resp = httpx.post(f"{lan.url}api/tasks", json={"prompt": "小镇发生了碎尸案。警察来了。真相大白。"}, headers=headers,
                      timeout=30)  # fmt: skip
    assert resp.status_code == 400 and resp.json()["detail"]["code"] == "moderation_warn"
    resp = httpx.post(f"{lan.url}api/tasks", json={"prompt": "小镇发生了碎尸案。警察来了。真相大白。", "confirm": True},
                      headers=headers, timeout=30)  # fmt: skip
    assert resp.status_code == 201
    audit = lan.clients["admin"].predict(api_name="/moderation_overview")[1]["data"]
    assert {("bob", "rest", "block"), ("bob", "rest", "warn")} <= {(row[1], row[2], row[3]) for row in audit}
