"""The verification page in a real browser: Debian's Chromium, driven by selenium through
chromedriver (the ``chromium`` and ``chromium-driver`` packages, installed by .ci/run), against
the app served by uvicorn on loopback. A person uploads a baked badge, pastes one, and reads
the outcome on the page."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asgi_server import ServerThread
from web_world import Badges

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,  # a browser
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason=(
            "Chromium and chromedriver are not both installed "
            "(apt-get install chromium chromium-driver; .ci/run installs them)"
        ),
    ),
]


def click_and_read(driver: Any, button: str) -> str:
    """Press the submit button ``button`` (a CSS selector) and return the text of the page
    the form leads to, once it has replaced the form."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    form_page = driver.find_element(By.TAG_NAME, "html")

    def replaced(current: Any) -> bool:
        try:
            form_page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # Asked in the middle of the navigation, Chromium may answer that the node is
            # in no document yet rather than stale: not replaced yet, ask again.
            if "does not belong to the document" in str(error):
                return False
            raise
        return False

    driver.find_element(By.CSS_SELECTOR, button).click()
    WebDriverWait(driver, 60).until(replaced)
    WebDriverWait(driver, 60).until(
        lambda current: current.execute_script("return document.readyState") == "complete"
    )
    return str(driver.find_element(By.TAG_NAME, "body").text)


def submit_file(driver: Any, server: ServerThread, path: Path) -> str:
    from selenium.webdriver.common.by import By

    driver.get(server.url("/"))
    driver.find_element(By.ID, "badge").send_keys(str(path))
    return click_and_read(driver, "#badge ~ button")


def test_uploading_a_valid_and_a_revoked_baked_badge(
    serve: Callable[..., ServerThread], browser: Any, badge_dir: Path
) -> None:
    server = serve()
    shown = submit_file(browser, server, badge_dir / "valid.png")
    assert "✓ VALID" in shown
    assert "Python 101" in shown
    assert "uploaded file valid.png" in shown

    shown = submit_file(browser, server, badge_dir / "revoked.png")
    assert "✗ INVALID" in shown
    assert "Python 202" in shown
    assert "revoked" in shown


def test_pasting_a_credential(
    serve: Callable[..., ServerThread], browser: Any, badges: Badges
) -> None:
    from selenium.webdriver.common.by import By

    server = serve()
    driver = browser
    driver.get(server.url("/"))
    area = driver.find_element(By.ID, "text")
    # Typing 3 KB of JSON key by key is slow; set the value as a person's paste would.
    driver.execute_script("arguments[0].value = arguments[1];", area, json.dumps(badges.valid))
    shown = click_and_read(driver, "#text ~ button")
    assert "✓ VALID" in shown
    assert "pasted text" in shown


def test_an_offline_app_has_no_url_field(serve: Callable[..., ServerThread], browser: Any) -> None:
    from selenium.webdriver.common.by import By

    server = serve(offline=True)
    browser.get(server.url("/"))
    assert 'id="url"' not in browser.page_source  # (find_elements would wait for it)
    assert "runs offline" in browser.find_element(By.TAG_NAME, "body").text


def test_an_upload_over_the_cap_is_a_readable_refusal(
    serve: Callable[..., ServerThread], browser: Any, tmp_path: Path
) -> None:
    server = serve(max_upload_bytes=64 * 1024)
    large = tmp_path / "large.png"
    # Just over the cap: the server answers before reading it all, and the browser must still
    # get the answer (a much larger upload may see the connection closed under it instead).
    large.write_bytes(b"\0" * (100 * 1024))
    shown = submit_file(browser, server, large)
    assert "Not verified" in shown
    assert "upload_too_large" in shown
