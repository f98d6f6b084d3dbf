"""A real browser (Debian's Chromium through Playwright) uses the studio as a creator would."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("SR_TEST_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
SCREENSHOT = os.environ.get("SR_TEST_SCREENSHOT")  # set to a path to refresh the README's picture


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None and not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does) to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_creator_writes_renders_and_plays_a_film(studio_server, browser):
    server = studio_server.start()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    hosts = set()
    page.on("request", lambda req: hosts.add(urlparse(req.url).hostname))
    page.goto(server.url)
    page.locator("#idea textarea").fill("A lighthouse at night by the sea. A keeper climbs the stairs. Dawn comes.")
    page.locator("#write").click()
    page.wait_for_function("() => document.querySelector('#message')?.innerText.includes('scenes written')",
                           timeout=60000)  # fmt: skip
    page.get_by_role("tab", name="Storyboard").click()
    page.wait_for_function("() => document.querySelector('#board')?.innerText.includes('A keeper climbs')",
                           timeout=20000)  # fmt: skip
    page.get_by_role("tab", name="Render").click()
    page.locator("#render").click()
    page.wait_for_function("() => document.querySelector('#status textarea')?.value.startsWith('Done')",
                           timeout=120000)  # fmt: skip
    page.wait_for_function("() => document.querySelector('#render_player video')?.readyState >= 2", timeout=30000)
    size = page.evaluate("() => { const v = document.querySelector('#render_player video');"
                         " return [v.videoWidth, v.videoHeight, v.duration]; }")  # fmt: skip
    assert size[:2] == [832, 480] and size[2] > 5
    if SCREENSHOT:
        page.evaluate("() => { const v = document.querySelector('#render_player video'); v.currentTime = 2; }")
        page.wait_for_timeout(800)
        page.screenshot(path=SCREENSHOT, full_page=True)
    assert hosts <= {"127.0.0.1", "localhost"}, f"the page contacted {hosts}"


def test_chinese_browser_gets_chinese_interface_and_messages(studio_server, browser):
    server = studio_server.start()
    page = browser.new_page(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    page.goto(server.url)
    page.get_by_role("tab", name="分镜").wait_for(timeout=30000)
    # The shipped CJK font comes from the studio itself, so Chinese never shows as boxes, CDN or not.
    page.wait_for_function("() => document.fonts.check('16px \"Storyreel CJK\"', '分镜')", timeout=20000)
    page.locator("#write").click()  # no idea typed: a clear message in Chinese, nothing created
    page.get_by_text("请先输入一个创意").first.wait_for(timeout=20000)


def test_html_in_ideas_shows_as_text_everywhere(studio_server, browser):
    server = studio_server.start()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    page.goto(server.url)
    idea = '<img src=x onerror="window.__xss=1"><b>Bold</b> A boat on a lake. <script>window.__xss=2</script> It sails.'
    page.locator("#idea textarea").fill(idea)
    page.locator("#write").click()
    page.wait_for_function("() => document.querySelector('#message')?.innerText.includes('scenes written')",
                           timeout=60000)  # fmt: skip
    page.get_by_role("tab", name="Storyboard").click()
    page.wait_for_function("() => document.querySelector('#board')?.innerText.includes('<img src=x')", timeout=20000)
    page.get_by_role("tab", name="Library").click()
    page.locator("#lib_refresh").click()
    page.wait_for_function("() => document.querySelector('#library')?.innerText.includes('<img src=x')",
                           timeout=20000)  # fmt: skip
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#board b, #library b, #board img, #library img").count() == 0


def test_lan_login_logout_and_admin_tab(tmp_path, browser):
    from app.accounts import Accounts
    from storage.db import Database
    from tests.conftest import StudioServer

    data = tmp_path / "data"
    accounts = Accounts(Database(data / "storyreel.db"), data / "jwt.secret")
    accounts.create_user("ann", "ann password")
    accounts.create_user("boss", "boss password", role="admin")
    server = StudioServer(data, env={"STORYREEL_AUTH__REQUIRE_LOGIN": "true"}).start()
    try:
        page = browser.new_page(locale="en-US")
        hosts = set()
        page.on("request", lambda req: hosts.add(urlparse(req.url).hostname))
        for name, admin in (("ann", False), ("boss", True)):
            page.goto(server.url)
            page.get_by_label("username").fill(name)
            page.get_by_label("password").fill(f"{name} password")
            page.get_by_role("button", name="Login").click()
            page.get_by_role("tab", name="Storyboard").wait_for(timeout=30000)
            page.wait_for_timeout(1000)  # the Admin tab is shown by the page's load event
            assert (page.get_by_role("tab", name="Admin").count() == 1) == admin
            page.locator("#logout").click()
            page.get_by_role("button", name="Login").wait_for(timeout=30000)
        page.goto(server.url)
        page.get_by_label("username").fill("ann")
        page.get_by_label("password").fill("wrong password")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Incorrect", exact=False).first.wait_for(timeout=20000)
        assert hosts <= {"127.0.0.1", "localhost"}, f"the page contacted {hosts}"
    finally:
        server.stop()
