"""The running studio, driven through gradio_client as a script would: an idea in, an MP4 out, and
everything still there after a restart."""

import re
import sqlite3

import httpx
import pytest
from gradio_client import Client

from models.ffmpeg import probe

pytestmark = pytest.mark.slow

IDEA = "夜晚的海边，一个灯塔看守人发现了一个漂流瓶。他读了瓶中的信。黎明时，他驾船出海。"


def scene_seconds(table) -> list[float]:
    return [float(row[3]) for row in table["data"]]


def test_idea_in_mp4_out_and_it_survives_a_restart(studio_server, tmp_path):
    server = studio_server.start()
    client = Client(server.url, verbose=False, download_files=False)
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/write_storyboard", "/render", "/save_storyboard", "/film", "/library"} <= set(endpoints)

    project_id, table, message = client.predict(IDEA, api_name="/write_storyboard")
    assert project_id >= 1 and 3 <= len(table["data"]) <= 8 and str(project_id) in message

    status, player, film_id = client.predict(project_id, api_name="/render")
    assert f"/media/film/{int(film_id)}" in player
    # Narration-first timing may lengthen scenes at render time; the stored storyboard says by how much.
    table = client.predict(project_id, api_name="/load_storyboard")
    expected = sum(scene_seconds(table))

    film_path = tmp_path / "film.mp4"
    resp = httpx.get(f"{server.url}media/film/{int(film_id)}", timeout=30)
    assert resp.status_code == 200 and resp.headers["content-type"] == "video/mp4"
    film_path.write_bytes(resp.content)
    info = probe(film_path)
    assert abs(info.duration - expected) <= 0.5
    assert (info.width, info.height) == (832, 480) and round(info.fps) == 16
    assert info.video_codec == "h264"
    srt = httpx.get(f"{server.url}media/srt/{int(film_id)}", timeout=30).text
    assert "灯塔" in srt

    db = sqlite3.connect(server.data_dir / "storyreel.db")
    assert db.execute("select count(*) from projects where id=?", (project_id,)).fetchone()[0] == 1
    n_scenes = db.execute("select count(*) from scenes where project_id=?", (project_id,)).fetchone()[0]
    assert n_scenes == len(table["data"])
    assert db.execute("select count(*) from clips where project_id=?", (project_id,)).fetchone()[0] == n_scenes
    db.close()

    server.stop()
    server.start()  # a restart of the studio
    client = Client(server.url, verbose=False, download_files=False)
    library = client.predict(api_name="/library")
    assert project_id in [row[0] for row in library["data"]]
    reloaded = client.predict(project_id, api_name="/load_storyboard")
    assert reloaded["data"] == table["data"]
    assert f"/media/film/{int(film_id)}" in client.predict(project_id, api_name="/film")
    again = httpx.get(f"{server.url}media/film/{int(film_id)}", timeout=30)
    assert again.status_code == 200 and again.content == film_path.read_bytes()  # the film still plays


def test_edited_storyboard_is_validated_over_the_api(studio_server):
    server = studio_server.start()
    client = Client(server.url, verbose=False, download_files=False)
    project_id, table, _ = client.predict("A kite over green hills. It climbs. It lands.", api_name="/write_storyboard")
    table["data"][0][3] = 99  # seconds out of range
    with pytest.raises(Exception, match="seconds must be at most 30"):
        client.predict(project_id, table, api_name="/save_storyboard")
    table["data"][0][3] = 3
    table["data"][1][4] = "zoom_wildly"
    with pytest.raises(Exception, match="push_in"):  # the message lists the allowed camera moves
        client.predict(project_id, table, api_name="/save_storyboard")
    table["data"][1][4] = "pan_left"
    saved, message = client.predict(project_id, table, api_name="/save_storyboard")
    assert saved["data"][0][3] == 3 and saved["data"][1][4] == "pan_left" and "saved" in message


def test_reassembly_reuses_the_clips(studio_server):
    server = studio_server.start()
    client = Client(server.url, verbose=False, download_files=False)
    project_id, _, _ = client.predict("A red kite over green hills. It climbs. It lands.", False,
                                      api_name="/write_storyboard")  # fmt: skip
    _, _, first_film = client.predict(project_id, api_name="/render")
    table = client.predict(project_id, api_name="/load_storyboard")
    db = sqlite3.connect(server.data_dir / "storyreel.db")
    clips_before = db.execute("select id, file_path from clips order by id").fetchall()
    player, message = client.predict(project_id, "procedural", "tender", 0.4, None, "dissolve", False, 30,
                                     api_name="/reassemble")  # fmt: skip
    film_id = int(re.search(r"/media/film/(\d+)", player).group(1))
    assert film_id != int(first_film)
    assert db.execute("select id, file_path from clips order by id").fetchall() == clips_before  # nothing rendered
    film = httpx.get(f"{server.url}media/film/{film_id}", timeout=30)
    path = server.data_dir.parent / "again.mp4"
    path.write_bytes(film.content)
    n = len(table["data"])
    overlap = 0.5  # [assembly] transition_seconds: each dissolve overlaps two scenes
    assert abs(probe(path).duration - (sum(scene_seconds(table)) - (n - 1) * overlap)) <= 0.1
    db.close()


def test_storyboard_edit_operations_over_the_api(studio_server):
    server = studio_server.start()
    client = Client(server.url, verbose=False, download_files=False)
    pid, table, _ = client.predict("A fox wakes in its den. It runs across the snow. It finds its family.", False,
                                   api_name="/write_storyboard")  # fmt: skip
    n = len(table["data"])
    narrations = [row[2] for row in table["data"]]
    added, _ = client.predict(pid, 1, "add", 1, api_name="/edit_storyboard")
    assert len(added["data"]) == n + 1 and [r[0] for r in added["data"]] == list(range(1, n + 2))
    deleted, _ = client.predict(pid, 2, "delete", 1, api_name="/edit_storyboard")
    assert [r[2] for r in deleted["data"]] == narrations
    moved, _ = client.predict(pid, 1, "move", n, api_name="/edit_storyboard")
    assert moved["data"][-1][2] == narrations[0]
    merged, _ = client.predict(pid, 1, "merge", 1, api_name="/edit_storyboard")
    assert len(merged["data"]) == n - 1
    rewritten, _ = client.predict(pid, 1, "at night", api_name="/rewrite_scene")
    assert "night" in rewritten["data"][0][1].lower()
    with pytest.raises(Exception, match="(?i)scene"):
        client.predict(pid, 99, "delete", 1, api_name="/edit_storyboard")  # a clear refusal, nothing changed
    assert client.predict(pid, api_name="/load_storyboard")["data"] == rewritten["data"]
