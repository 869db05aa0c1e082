"""Browser tests for Commons Ledger (小区公共收益阳光监管平台).

One `ledger serve` runs for the whole session on a free loopback port, over a fresh SQLite database
filled by `ledger demo --no-serve` with a small deterministic data set. Each test drives its own
headless Chromium through chromedriver; every wait is an explicit WebDriverWait.

Environment:
  LEDGER_BIN        the ledger executable (default: .build/debug/ledger under the repository root)
  LEDGER_E2E_ESTATES / LEDGER_E2E_COMPANIES   size of the demo data set (default 300 / 40)
  CHROMIUM_BIN, CHROMEDRIVER_BIN               browser and driver (default: found on PATH)
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

REPO_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Ledger@2024"
WAIT_SECONDS = 20
STARTUP_DEADLINE = 90  # seconds for the demo load plus the server becoming healthy


# --------------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------------

def _ledger_binary() -> Path:
    configured = os.environ.get("LEDGER_BIN")
    path = Path(configured) if configured else REPO_ROOT / ".build" / "debug" / "ledger"
    if not path.is_absolute():
        path = REPO_ROOT / path
    # The binary may be mid-rebuild for a moment; give it a bounded grace period before failing.
    deadline = time.monotonic() + float(os.environ.get("LEDGER_BIN_WAIT", "60"))
    while not (path.is_file() and os.access(path, os.X_OK)):
        if time.monotonic() > deadline:
            pytest.exit(f"ledger binary not found at {path}: build it first (swift build) or set LEDGER_BIN", returncode=2)
        time.sleep(0.5)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200 and json.loads(response.read().decode()).get("status") == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


class LedgerServer:
    """A running `ledger serve` and where its log is."""

    def __init__(self, url: str, process: subprocess.Popen, log_path: Path, workdir: Path):
        self.url = url
        self.process = process
        self.log_path = log_path
        self.workdir = workdir

    def log_tail(self, limit: int = 12_000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return text[-limit:]

    def alive(self) -> bool:
        return self.process.poll() is None


_SERVER: LedgerServer | None = None


def start_server(workdir: Path) -> LedgerServer:
    """Loads the demo data into a fresh SQLite database under `workdir` and starts `ledger serve --test-hooks` over it on
    a free loopback port; returns once /healthz answers. Stop it with `stop_server`."""
    binary = _ledger_binary()
    database = f"sqlite://{workdir / 'ledger.sqlite'}"
    env = dict(os.environ, LEDGER_LOG_LEVEL=os.environ.get("LEDGER_LOG_LEVEL", "info"))
    env.pop("LEDGER_DATABASE_URL", None)

    demo = subprocess.run(
        [str(binary), "demo", "--no-serve", "--database", database,
         "--estates", os.environ.get("LEDGER_E2E_ESTATES", "300"),
         "--companies", os.environ.get("LEDGER_E2E_COMPANIES", "40"),
         "--seed", "20240701"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=STARTUP_DEADLINE,
    )
    if demo.returncode != 0:
        pytest.exit(f"`ledger demo --no-serve` failed ({demo.returncode}):\n{demo.stdout}\n{demo.stderr}", returncode=3)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = workdir / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        # --test-hooks: POST /api/test/clock and /api/test/jobs let test_problem_ladder.py move the clock instead of waiting.
        [str(binary), "serve", "--database", database, "--port", str(port), "--hostname", "127.0.0.1", "--test-hooks"],
        cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    log.close()  # the child keeps its own descriptor
    server = LedgerServer(url, process, log_path, workdir)
    deadline = time.monotonic() + STARTUP_DEADLINE
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            reason = f"exited with {process.returncode}" if process.poll() is not None else f"not healthy after {STARTUP_DEADLINE}s"
            process.kill()
            process.wait()
            pytest.exit(f"ledger serve {reason}; log:\n{server.log_tail()}", returncode=3)
        time.sleep(0.1)
    return server


def stop_server(server: LedgerServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def ledger_server(tmp_path_factory) -> LedgerServer:
    global _SERVER
    server = start_server(tmp_path_factory.mktemp("ledger"))
    _SERVER = server
    yield server
    _SERVER = None
    stop_server(server)


@pytest.fixture(scope="session")
def base_url(ledger_server: LedgerServer) -> str:
    return ledger_server.url


def call_test_hook(base_url: str, path: str) -> dict:
    """Calls a `serve --test-hooks` route (POST, no body) and returns its JSON."""
    request = urllib.request.Request(base_url + path, method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode())


# --------------------------------------------------------------------------------------------------
# Browsers
# --------------------------------------------------------------------------------------------------

def _find(name: str, env_var: str, *candidates: str) -> str:
    configured = os.environ.get(env_var)
    if configured:
        return configured
    for candidate in (name, *candidates):
        found = shutil.which(candidate)
        if found:
            return found
    pytest.exit(f"{name} not found on PATH (apt-get install chromium chromium-driver, or set {env_var})", returncode=2)


def _new_driver() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = _find("chromium", "CHROMIUM_BIN", "chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1024", "--lang=zh-CN", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    service = Service(executable_path=_find("chromedriver", "CHROMEDRIVER_BIN"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    return driver


def _replaced(marker):
    """A wait condition: the old page's root element is gone. Headless Chromium reports a replaced node either as
    stale or as "Node with given id does not belong to the document"; both mean the new page is there."""
    def check(_driver) -> bool:
        try:
            marker.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


class Browser:
    """A Chromium session against the test server, with the few helpers the tests share."""

    def __init__(self, driver: webdriver.Chrome, base_url: str):
        self.driver = driver
        self.base_url = base_url

    # navigation and waiting -----------------------------------------------------------------------
    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def open(self, path: str) -> None:
        self.driver.get(self.url(path))
        self.wait_loaded()

    def wait(self, seconds: float = WAIT_SECONDS) -> WebDriverWait:
        return WebDriverWait(self.driver, seconds)

    def wait_loaded(self) -> None:
        self.wait().until(lambda d: d.execute_script("return document.readyState") == "complete")

    def element(self, css: str):
        return self.wait().until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def elements(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def has(self, css: str) -> bool:
        return bool(self.driver.find_elements(By.CSS_SELECTOR, css))

    def path(self) -> str:
        current = self.driver.current_url
        return current[len(self.base_url):] if current.startswith(self.base_url) else current

    def submit(self, button_css: str = "main form.form button[type=submit]") -> None:
        """Clicks a submit button and waits for the next page to replace this one. A click refused with "Node with
        given id does not belong to the document" (headless Chromium, just after a load) never reached the page, so
        the button is found again and clicked again."""
        for attempt in range(3):
            marker = self.driver.find_element(By.TAG_NAME, "html")
            try:
                self.element(button_css).click()
                break
            except WebDriverException as error:
                if "does not belong to the document" not in str(error) or attempt == 2:
                    raise
        self.wait().until(_replaced(marker))
        self.wait_loaded()

    def follow(self, element) -> None:
        """Clicks a link and waits until the next page has replaced this one (not merely until a page is loaded)."""
        marker = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        self.wait().until(_replaced(marker))
        self.wait_loaded()

    def type_into(self, css: str, value: str, clear: bool = True) -> None:
        """Types into a field. Headless Chromium sometimes answers a key event with "Node with given id does not belong
        to the document" just after a page loads; the element is then found again and the typing repeated."""
        for attempt in range(3):
            try:
                field = self.element(css)
                if clear:
                    field.clear()
                if value:
                    field.send_keys(value)
                return
            except WebDriverException as error:
                if "does not belong to the document" not in str(error) or attempt == 2:
                    raise

    def fill(self, field_id: str, value: str) -> None:
        self.type_into(f"#{field_id}", value)

    def field_error(self, field_id: str) -> str | None:
        """The text of the `span.field-error` right after the field, or None when there is none."""
        found = self.driver.find_elements(
            By.XPATH, f"//*[@id='{field_id}']/following-sibling::*[1][self::span and contains(@class,'field-error')]")
        return found[0].text.strip() if found else None

    # sessions -------------------------------------------------------------------------------------
    def login(self, username: str, password: str = PASSWORD) -> None:
        self.open("/login")
        self.type_into("input[name=username]", username)
        self.type_into("input[name=password]", password)
        self.submit("main form[action='/login'] button[type=submit]")
        if self.has("#login-error"):
            raise AssertionError(f"login as {username} failed: {self.element('#login-error').text}")
        self.element("#current-user")
        assert self.path() == "/", f"after login expected the home page, got {self.driver.current_url}"

    def logout(self) -> None:
        self.submit("header form[action='/logout'] button[type=submit]")


@pytest.fixture
def browsers(base_url, ledger_server, request):
    """A factory of independent browser sessions (separate cookie jars); all are closed afterwards."""
    opened: list[Browser] = []

    def make() -> Browser:
        assert ledger_server.alive(), f"ledger serve died; log:\n{ledger_server.log_tail()}"
        browser = Browser(_new_driver(), base_url)
        opened.append(browser)
        return browser

    yield make

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for index, browser in enumerate(opened):
        if failed:
            _save_artifacts(browser, ledger_server.workdir / "failures", f"{request.node.name}-{index}")
        browser.driver.quit()


@pytest.fixture
def browser(browsers) -> Browser:
    return browsers()


@pytest.fixture
def driver(browser) -> webdriver.Chrome:
    return browser.driver


@pytest.fixture
def unique() -> str:
    """A short random suffix that keeps each test's records apart from every other test's."""
    return secrets.token_hex(4).upper()


def _save_artifacts(browser: Browser, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)
    try:
        browser.driver.save_screenshot(str(folder / f"{safe}.png"))
        (folder / f"{safe}.html").write_text(browser.driver.page_source)
        print(f"\nbrowser state saved: {folder / safe}.png / .html (at {browser.driver.current_url})")
    except Exception as error:  # the browser may be gone already
        print(f"\ncould not save browser state: {error}")


# --------------------------------------------------------------------------------------------------
# Reporting: attach the server log to every failing test
# --------------------------------------------------------------------------------------------------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    if report.failed and _SERVER is not None:
        report.sections.append(("ledger serve log (tail)", _SERVER.log_tail()))
    return report
