"""Playwright helpers for the browser journeys: one headless Chromium per session, pages per test.

The fixtures are made available to the tests through tests/conftest.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = (1366, 900)
PHONE = (375, 812)
RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM calls
    # while a loop runs. The tests use the ORM from this thread (demo data, assertions), so allow it for
    # as long as Playwright lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Factory: ``new_page(viewport=(w, h))`` gives a fresh page (own cookies) at the live server."""
    contexts = []

    def _new_page(viewport: tuple[int, int] = DESKTOP) -> Page:
        width, height = viewport
        phone = width < 576
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def login(page: Page, username: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("[data-testid=current-user]")).to_be_attached()


def screenshot(page: Page, request: pytest.FixtureRequest, step: str) -> Path:
    """Save ``test-results/<test-name>-<step>.png`` for a human to look at."""
    RESULTS_DIR.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    path = RESULTS_DIR / f"{name}-{step}.png"
    page.screenshot(path=path, full_page=True)
    return path


OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !el.closest('.table-responsive')) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      wide.push(el.tagName.toLowerCase() + id + cls + ' right=' + Math.round(r.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10)};
}"""


def assert_no_horizontal_overflow(page: Page, width: int) -> None:
    """The page does not scroll sideways at ``width`` (tables may scroll inside .table-responsive)."""
    result = page.evaluate(OVERFLOW_JS)
    assert result["scrollWidth"] <= width + 1, (
        f"{page.url} is {result['scrollWidth']}px wide at a {width}px viewport; "
        f"elements reaching past the right edge: {result['wide']}"
    )


def nav_to(page: Page, label: str, group: str | None = None) -> None:
    """Follow a menu link; open its dropdown group first (and the collapsed menu on a phone)."""
    nav = page.locator("#mainnav")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and "show" not in (nav.get_attribute("class") or ""):
        toggler.click()
        expect(nav).to_have_class(re.compile(r"\bshow\b"))
    if group:
        nav.get_by_role("button", name=group).or_(nav.get_by_role("link", name=group)).first.click()
    nav.get_by_role("link", name=label, exact=True).click()
