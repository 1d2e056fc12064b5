"""End-to-end: a Japanese lesson in headless Chromium shows Japanese in its prose and its plots.

The lesson (``ja/notebooks/02_activations.ipynb``, as saved by ``dlcourse build``) is exported
to HTML by nbconvert and opened from disk; every request off the page is blocked. The page
must show the translated markdown, and the figures the Japanese kernel drew must differ from
the English edition's (their titles and labels are Japanese). Screenshots go to
``build/e2e/japanese-lesson*.png`` for a person to look at.

Needs Debian's ``chromium`` with a CJK font (``fonts-ipafont-gothic``) and ``playwright``;
``.ci/run`` installs them. Without them the test is skipped.
"""
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
LESSON = "02_activations"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"),
]


def _pngs(nb):
    return [out["data"]["image/png"] for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]


def test_a_japanese_lesson_in_chromium(tmp_path):
    pytest.importorskip("playwright", reason="the playwright package is not installed")
    from nbconvert import HTMLExporter
    from playwright.sync_api import sync_playwright

    ja = nbformat.read(ROOT / "ja" / "notebooks" / f"{LESSON}.ipynb", 4)
    en = nbformat.read(ROOT / "notebooks" / f"{LESSON}.ipynb", 4)
    assert _pngs(ja) and len(_pngs(ja)) == len(_pngs(en))
    assert all(a != b for a, b in zip(_pngs(ja), _pngs(en))), "a Japanese figure is the English one"

    body, _ = HTMLExporter().from_notebook_node(ja)
    page_file = tmp_path / f"{LESSON}.html"
    page_file.write_text(body, encoding="utf-8")
    out = ROOT / "build" / "e2e"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            ctx = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="ja-JP")
            ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                      else route.abort())
            page = ctx.new_page()
            page.goto(page_file.as_uri())
            heading = page.inner_text("h1")
            assert "活性化関数" in heading, heading
            assert "この" in page.inner_text("body")
            figure = page.locator("img[src^='data:image/png']").first
            figure.scroll_into_view_if_needed()
            assert figure.evaluate("img => img.complete && img.naturalWidth > 100")
            page.screenshot(path=str(out / "japanese-lesson.png"))
            figure.screenshot(path=str(out / "japanese-lesson-plot.png"))
        finally:
            browser.close()
    for name in ("japanese-lesson.png", "japanese-lesson-plot.png"):
        shot = out / name
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
