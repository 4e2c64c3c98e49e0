"""End-to-end tests: the real pages in Debian's Chromium, driven by Playwright.

One browser per test session (per xdist worker), one fresh browser context per test, the
application served by pytest-django's ``live_server``. A failed test leaves a full-page
screenshot and the page's HTML in ``test-artifacts/``.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API keeps an asyncio event loop in the test thread; without this the
# ORM calls of the tests themselves refuse to run ("You cannot call this from an async
# context"). The browser stays open for the rest of the session, so it is set for good.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "secret-pass-123"  # what tests.factories.UserFactory sets
TIMEOUT_MS = 10_000


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "e2e: drives the web interface in a real browser (tests/e2e)"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark the end-to-end tests and run them last: once the session's browser runs,
    an asyncio loop counts as running in the test thread, which other tests (and other
    users of Playwright's sync API) do not expect."""
    e2e_dir = Path(__file__).parent
    e2e = [item for item in items if e2e_dir in Path(item.path).parents]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    chosen = set(e2e)
    items[:] = [item for item in items if item not in chosen] + e2e


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that fixtures can tell at teardown
    whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module", autouse=True)
def _empty_database_to_restore(django_db_setup, django_db_blocker):
    """Empty the test database, so that each test's ``serialized_rollback`` restores the
    migrated data (default pipeline, reason lists …) into clean tables.

    A test with ``transaction=True`` but without ``serialized_rollback`` leaves behind
    the content types and permissions Django recreates after its flush; restoring the
    snapshot on top of those fails on their unique keys. Module scope, because
    pytest-django restores the snapshot in a function-scoped fixture that runs before
    any function-scoped fixture of ours."""
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: the end-to-end tests need Debian's Chromium "
            "(apt-get install chromium; bin/run-tests installs it)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI=true: failing instead of skipping.", pytrace=False)
        pytest.skip(message)
    expect.set_options(timeout=TIMEOUT_MS)
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    playwright = sync_playwright().start()
    # From here on an asyncio loop counts as running in this thread, and asgiref hands
    # Django a new set of connection objects (thread-critical locals follow the loop).
    # Give them the snapshot of the migrated data that pytest-django took on the old
    # ones, or ``serialized_rollback`` silently restores nothing.
    for alias, snapshot in snapshots.items():
        if snapshot is not None:
            connections[alias]._test_serialized_contents = snapshot
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield browser
    browser.close()
    playwright.stop()


def _new_page(browser, live_server, **context_options):
    options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}
    options.update(context_options)
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _artifact_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid).strip("_")


def _clear_artifacts(request) -> None:
    """Drop what an earlier failed run of this test left, so nothing stale misleads."""
    for suffix in (".png", ".html"):
        (ARTIFACTS / f"{_artifact_name(request)}{suffix}").unlink(missing_ok=True)


def _save_artifacts(request, page) -> None:
    reports = (getattr(request.node, f"report_{when}", None) for when in ("setup", "call"))
    failed = any(report is not None and report.failed for report in reports)
    if not failed or page.is_closed():
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = _artifact_name(request)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # a crashed page must not hide the test's own failure
        print(f"Could not save the failure artifacts of {request.node.nodeid}: {exc}")


def _settle(page) -> None:
    """Let the htmx requests the page still has in flight finish. The live server would
    otherwise still be answering one, inside its own transaction, when the teardown
    empties the tables, and PostgreSQL ends the two in a deadlock."""
    if page.is_closed():
        return
    try:
        page.wait_for_function("!document.querySelector('.htmx-request')", timeout=5000)
    except Exception as exc:  # a crashed page must not hide the test's own outcome
        print(f"Could not wait for the page's requests to finish: {exc}")


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser context (no cookies) at 1280x900, British English."""
    _clear_artifacts(request)
    page = _new_page(browser, live_server)
    yield page
    _save_artifacts(request, page)
    _settle(page)
    page.context.close()


@pytest.fixture
def phone_page(request, browser, live_server):
    """A fresh browser context the size of a phone (390x844, touch)."""
    _clear_artifacts(request)
    page = _new_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    )
    yield page
    _save_artifacts(request, page)
    _settle(page)
    page.context.close()


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log in through the real login page and wait until the app's first page shows."""
    page.goto("/login/")
    page.locator('input[name="username"]').fill(user.username)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-menu")).to_be_attached()
    # The page's scripts (htmx, Bootstrap) run before "load"; a click before that is lost.
    page.wait_for_load_state()


@pytest.fixture
def login():
    """``login(page, user)``: log in through the login page."""
    return log_in


def drag_card(page, card, target) -> None:
    """Drag ``card`` onto ``target`` with real pointer events: press, several moves over
    the target, release. SortableJS ignores ``locator.drag_to``, which jumps in one step.
    A target column outside the board's visible part is scrolled into view first, as a
    user would."""
    card.scroll_into_view_if_needed()
    target.evaluate("node => node.scrollIntoView({block: 'nearest', inline: 'nearest'})")
    width = page.viewport_size["width"]

    def visible_middle(box) -> tuple[float, float]:
        left, right = max(box["x"], 0), min(box["x"] + box["width"], width)
        assert right - left > 10, f"not on screen for a drag: {box}"
        return (left + right) / 2, box["y"]

    x, y = visible_middle(card.locator("h3").bounding_box())
    page.mouse.move(x, y + 8)
    page.mouse.down()
    box = target.bounding_box()
    x, y = visible_middle(box)
    y += min(box["height"] / 2, 40)
    page.mouse.move(x, y, steps=12)
    # SortableJS moves the card into the column under the pointer as it is dragged over;
    # it ignores some moves while it animates, so keep nudging until the card is there.
    for nudge in range(20):
        if target.locator(card).count():
            break
        page.mouse.move(x, y + (nudge % 2) * 6, steps=2)
        page.wait_for_timeout(25)
    page.mouse.up()


@pytest.fixture
def drag():
    """``drag(page, card, target)``: drag a board card onto a column."""
    return drag_card
