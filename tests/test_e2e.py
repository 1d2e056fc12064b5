"""End-to-end: the lessons in a real JupyterLab, driven by headless Chromium.

For every lesson with a slider demo: open it, wait until the kernel is really
ready, Run All, move a slider with the keyboard and by dragging, and check that
the demo's image changed and that no cell shows an error. Screenshots go to
``build/e2e/``. Every request not to 127.0.0.1 is blocked.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright``
package; ``.ci/run`` installs both. Without them the tests are skipped.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TOKEN = "dlcourse-e2e"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUT = ROOT / "build" / "e2e"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"),
]


def _lessons_with_sliders():
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")):
        if re.search(r"^widgets\.\w+\(", path.read_text(encoding="utf-8"), re.M):
            found.append(path.stem)
    return found


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a scratch copy of the lessons (saving must not touch the repo)."""
    pytest.importorskip("playwright", reason="the playwright package is not installed")
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", course / "notebooks")
    config = tmp_path_factory.mktemp("jupyter-config")
    (config / "labconfig").mkdir()
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    settings = tmp_path_factory.mktemp("lab-settings")
    port = _free_port()
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", f"--port={port}",
           "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={course}",
           "--LabApp.news_url=None", f"--LabApp.user_settings_dir={settings}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config))
    log = open(tmp_path_factory.mktemp("log") / "lab.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not start; see {log.name}")
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, lab):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked = []

    def only_local(route):
        if route.request.url.startswith(lab):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_local)
    pg = ctx.new_page()
    pg.blocked = blocked
    yield pg
    ctx.close()
    _shutdown_kernels(lab)


def _shutdown_kernels(lab):
    """End every session, so one lesson's kernel (and its background threads) cannot slow the next."""
    sessions = json.load(urllib.request.urlopen(f"{lab}/api/sessions?token={TOKEN}", timeout=10))
    for s in sessions:
        req = urllib.request.Request(f"{lab}/api/sessions/{s['id']}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(req, timeout=30)


def _errors(page):
    """Text of every error or stderr output on the page."""
    found = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    return [found.nth(i).inner_text()[:300] for i in range(found.count())]


def _at(handle, end):
    """Whether a noUiSlider handle sits at its "min" or "max" (then move it the other way)."""
    return handle.get_attribute("aria-valuenow") == handle.get_attribute(f"aria-value{end}")


def _image_src(handle):
    box = handle.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    return box.locator("img").first


def _wait_for_new_src(page, img, old, timeout=20_000):
    page.wait_for_function("([el, old]) => el.getAttribute('src') !== old",
                           arg=[img.element_handle(), old], timeout=timeout)


@pytest.mark.parametrize("lesson", _lessons_with_sliders())
def test_lesson_runs_and_sliders_redraw(page, lab, lesson):
    # a workspace of its own, reset, so no tab from an earlier test is restored
    page.goto(f"{lab}/lab/workspaces/e2e-{lesson}/tree/notebooks/{lesson}.ipynb?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    # the kernel is really ready only when its name shows *and* it is idle
    page.wait_for_selector(".jp-Toolbar-kernelName:has-text('Python 3')", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator("li[data-command='runmenu:run-all']").click()
    handle = page.locator(".widget-slider .noUi-handle").first
    try:
        handle.wait_for(timeout=120_000)
    except Exception:
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"{lesson}-failed.png"), full_page=True)
        raise AssertionError(f"{lesson}: no slider appeared after Run All; errors shown: {_errors(page)}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)

    img = _image_src(handle)
    handle.scroll_into_view_if_needed()
    before = img.get_attribute("src")
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft" if _at(handle, "max") else "ArrowRight")
    _wait_for_new_src(page, img, before)

    after_keys = img.get_attribute("src")
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + (50 if _at(handle, "min") else -50), y, steps=5)
    page.mouse.up()
    _wait_for_new_src(page, img, after_keys)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)

    texts = _errors(page)
    assert not texts, f"{lesson}: cells show errors: {texts}"
    assert not [u for u in page.blocked if "127.0.0.1" in u]
    OUT.mkdir(parents=True, exist_ok=True)
    img.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / f"{lesson}.png"))


# --- Voilà: the demos as standalone pages -----------------------------------------------

APPS = sorted(p.stem for p in (ROOT / "apps").glob("*.ipynb"))


@pytest.fixture(scope="module", params=APPS)
def voila_app(request, tmp_path_factory):
    """``make playground`` (and the other apps) served by Voilà on 127.0.0.1."""
    voila = Path(sys.executable).parent / "voila"
    if not voila.exists():
        pytest.skip("voila is not installed")
    port = _free_port()
    log = open(tmp_path_factory.mktemp("voila") / "voila.log", "w")
    proc = subprocess.Popen([str(voila), str(ROOT / "apps" / f"{request.param}.ipynb"), "--no-browser",
                             f"--port={port}", "--Voila.ip=127.0.0.1"], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url + "/api", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # the server answers
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"voila did not start; see {log.name}")
            time.sleep(0.3)
    yield request.param, url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_voila_app_works_offline(browser, voila_app):
    name, url = voila_app
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    blocked = []

    def only_local(route):
        if route.request.url.startswith(url):
            route.continue_()
        else:  # e.g. the icon fonts Voilà asks a CDN for
            blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_local)
    page = ctx.new_page()
    try:
        page.goto(url + "/", timeout=90_000)
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.wait_for(timeout=120_000)
        img = _image_src(handle)
        img.wait_for(timeout=60_000)
        before = img.get_attribute("src")
        handle.focus()
        for _ in range(3):
            page.keyboard.press("ArrowLeft" if _at(handle, "max") else "ArrowRight")
        _wait_for_new_src(page, img, before, timeout=30_000)
        assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        OUT.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(4000)  # let a background-training demo finish before the picture
        page.screenshot(path=str(OUT / f"voila-{name}.png"))
    finally:
        ctx.close()
