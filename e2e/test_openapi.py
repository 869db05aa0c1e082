"""The API document tells the truth: schemathesis checks every operation of /api/openapi.yaml against a real server.

A throw-away `ledger serve` (its own demo database, not the browser tests' server: the run files complaints, registers
estates and companies and publishes disclosures) is fuzzed with `--checks all` once with a district regulator's token
(gulou) and once with a property company's token (company). Any failure fails the test, with schemathesis's report.

Environment:
  LEDGER_SCHEMATHESIS_EXAMPLES   examples per operation (default 25)
  LEDGER_SCHEMATHESIS_SEED       the generator's seed (default fixed, so that a failure can be reproduced)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import PASSWORD, start_server, stop_server

EXAMPLES = os.environ.get("LEDGER_SCHEMATHESIS_EXAMPLES", "25")
SEED = os.environ.get("LEDGER_SCHEMATHESIS_SEED", "20240701")
RUN_TIMEOUT = 600  # seconds for one schemathesis run
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"


def _schemathesis() -> list[str]:
    found = shutil.which("schemathesis")
    if found:
        return [found]
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        pytest.fail("schemathesis is not installed (make deps installs it: pip install schemathesis)")
    return [sys.executable, "-m", "schemathesis.cli"]


def _login(base_url: str, username: str) -> str:
    request = urllib.request.Request(
        base_url + "/api/v1/session", method="POST",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return json.loads(response.read().decode())["token"]


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("openapi"))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def tokens(api_server) -> dict[str, str]:
    # All tokens are fetched before any run: fuzzing POST /api/v1/session with wrong passwords locks this address out
    # of further logins (429) for a while, which is what the document promises.
    return {name: _login(api_server.url, username)
            for name, username in [("regulator", "gulou"), ("company", "company"), ("logout", "gulou")]}


def _run(api_server, token: str, label: str, *filters: str) -> None:
    report = api_server.workdir / f"schemathesis-{label}"
    command = [
        *_schemathesis(), "--config-file", str(CONFIG), "run", f"{api_server.url}/api/openapi.yaml",
        "--checks", "all",
        "--max-examples", EXAMPLES,
        "--seed", SEED,
        "--generation-database", "none",
        "--workers", "1",
        "--request-timeout", "30",
        "--no-color",
        "--report", "junit", "--report-dir", str(report),
        "-H", f"Authorization: Bearer {token}",
        *filters,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=api_server.workdir)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"schemathesis ({label}) did not finish in {RUN_TIMEOUT}s:\n{error.stdout or ''}")
    output = result.stdout + result.stderr
    print(output)
    assert api_server.alive(), f"ledger serve died during the {label} run; log:\n{api_server.log_tail()}"
    assert result.returncode == 0, (
        f"schemathesis found failures with the {label} token (exit {result.returncode}):\n{output[-20000:]}\n"
        f"server log (tail):\n{api_server.log_tail(4000)}")


# DELETE /api/v1/session ends the token's own session: inside the main runs it would turn every later request into a
# 401 and leave nothing else tested. It runs alone, last, with a token of its own.
NOT_LOGOUT = ["--exclude-operation-id", "logout"]


def test_document_holds_for_a_regulator(api_server, tokens):
    _run(api_server, tokens["regulator"], "regulator", *NOT_LOGOUT)


def test_document_holds_for_a_company(api_server, tokens):
    _run(api_server, tokens["company"], "company", *NOT_LOGOUT)


def test_document_holds_for_logging_out(api_server, tokens):
    _run(api_server, tokens["logout"], "logout", "--include-operation-id", "logout")
