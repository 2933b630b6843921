"""Drive the dashboard over HTTP like its browser does: sign in, record each page's callback requests, replay them.

Recording uses headless Chromium's network log, so the replayed requests are exactly what a user's browser sends
when it opens each page (initial callbacks with their real inputs). Used by bench/load.py and bench/pages.py.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import requests


@dataclass
class RecordedCall:
    page: str
    output: str
    body: dict


# A reader scrolling on by one screen: deferred sections are drawn as they come into view, so a jump to the bottom
# would leave the ones in between undrawn.
SCROLL_ON_JS = "window.scrollBy({top: window.innerHeight, behavior: 'instant'});"


def sign_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{base_url}/login", data={"username": username, "password": password},
                            allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"sign-in as {username} failed: HTTP {response.status_code}")
    return session


def chromium(*, performance_log: bool = False):
    """Headless Debian Chromium, 1500 x 1200 (with the network log kept when asked)."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--window-size=1500,1200"):
        options.add_argument(flag)
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(options=options)


def signed_in_browser(base_url: str, username: str, password: str, *, performance_log: bool = False):
    """Headless Chromium signed in through the form (with the network log kept when asked)."""
    from selenium.webdriver.common.by import By

    driver = chromium(performance_log=performance_log)
    driver.get(f"{base_url}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    time.sleep(2)
    return driver


def record_page_calls(base_url: str, username: str, password: str, paths: list[str],
                      settle_seconds: float = 4.0) -> list[RecordedCall]:
    """Open each page in headless Chromium and capture the /_dash-update-component request bodies it sends."""
    driver = signed_in_browser(base_url, username, password, performance_log=True)
    calls: list[RecordedCall] = []
    try:
        for path in paths:
            driver.get_log("performance")  # drop what the previous page sent
            driver.get(f"{base_url}{path}")
            # Scrolled through to the bottom meanwhile, a screen at a time, as a reader would: sections below the
            # first screen are drawn (and send their callbacks) only when they come into view.
            until = time.monotonic() + settle_seconds
            while time.monotonic() < until:
                driver.execute_script(SCROLL_ON_JS)
                time.sleep(0.25)
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message.get("method") != "Network.requestWillBeSent":
                    continue
                request = message["params"]["request"]
                if request["url"].endswith("/_dash-update-component") and request.get("postData"):
                    body = json.loads(request["postData"])
                    calls.append(RecordedCall(path, body["output"], body))
    finally:
        driver.quit()
    return calls


def replay(session: requests.Session, base_url: str, call: RecordedCall) -> tuple[int, float, int]:
    """POST one recorded callback; returns (status, seconds, response bytes)."""
    started = time.perf_counter()
    response = session.post(f"{base_url}/_dash-update-component", json=call.body, timeout=60)
    return response.status_code, time.perf_counter() - started, len(response.content)
