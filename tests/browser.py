"""Headless-Chromium helpers: serve the app on a free port, sign in through the form, read the console."""

from __future__ import annotations

import socket

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import ROLE_USERS, TEST_PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(dash_duo, app) -> str:
    """Start the app in a thread on a free port (parallel test workers never collide); return its base URL."""
    dash_duo.start_server(app, navigate=False, port=free_port())
    return dash_duo.server.url.rstrip("/")


def sign_in(dash_duo, base_url: str, role: str) -> None:
    username = ROLE_USERS[role][0] if role in ROLE_USERS else role
    driver = dash_duo.driver
    driver.get(f"{base_url}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 20).until(EC.presence_of_element_located((By.ID, "main-nav")))


def open_page(dash_duo, base_url: str, path: str, ready_selector: str, timeout: int = 30, *,
              reveal: bool = True) -> None:
    """Navigate and wait until `ready_selector` is present and Dash has finished its callbacks; with `reveal`, then
    scroll through the page as a reader would, so that every deferred section below the fold is drawn."""
    dash_duo.driver.get(f"{base_url}{path}")
    WebDriverWait(dash_duo.driver, timeout).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ready_selector))
    )
    wait_until_idle(dash_duo, timeout)
    if reveal:
        reveal_deferred(dash_duo, timeout)


_EMPTY_DEFERRED = ("return Array.from(document.querySelectorAll('.deferred-section'))"
                   ".filter(e => e.offsetParent !== null && e.childElementCount === 0)")


def reveal_deferred(dash_duo, timeout: int = 30) -> None:
    """Scroll each visible, still empty deferred section into view and wait until it is drawn (sections in closed
    tabs stay empty until their tab is opened)."""
    driver = dash_duo.driver
    while sections := driver.execute_script(_EMPTY_DEFERRED):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", sections[0])
        WebDriverWait(driver, timeout).until(lambda d, section=sections[0]: d.execute_script(
            "return arguments[0].childElementCount > 0", section))
        wait_until_idle(dash_duo, timeout)
    # Back to the top, where the reader started (and where tests find the filter bar); instantly, as Bootstrap
    # makes scrolling smooth.
    driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'});")


def wait_until_idle(dash_duo, timeout: int = 30) -> None:
    """Dash marks the document with data-dash-is-loading while callbacks run."""
    WebDriverWait(dash_duo.driver, timeout).until(
        lambda d: d.execute_script("return document.querySelector('[data-dash-is-loading=\"true\"]') === null")
    )


def console_errors(dash_duo) -> list[dict]:
    """SEVERE browser console entries (errors), excluding the favicon request a headless browser makes."""
    return [entry for entry in dash_duo.get_logs() or [] if "favicon.ico" not in entry.get("message", "")]


def graph_titles(dash_duo) -> list[str]:
    return [el.text for el in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .gtitle")]
