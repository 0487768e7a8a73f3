"""``vcbadge serve --store``: the verification page and the Open Badges 3.0 and CLR 2.0 APIs in
one app, started by the command as a user would, and driven over TLS by the spec-only client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_world import PASSWORD, USER, Credentials
from asgi_server import running, wait_for_port
from loopback_server import TestCertificateAuthority, unused_port
from spec_client import PROFILE_READ, READ, UPSERT, SpecClient

from vcbadge.cli import main

CLR = "https://purl.imsglobal.org/spec/clr/v2p0/scope/"


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--user", "ada:pw"], 64, "--user applies to the APIs: give --store too"),
        (["--base-url", "https://badges.example"], 64, "--base-url applies to the APIs"),
        (["--privacy-policy-url", "https://x.example/p"], 64, "--privacy-policy-url applies"),
        (["--store", "{tmp}/api.db"], 64, "--store needs at least one --user"),
        (["--store", "{tmp}/api.db", "--user", "ada"], 64, "--user takes NAME:PASSWORD"),
        (["--store", "{tmp}/api.db", "--user", ":pw"], 64, "--user takes NAME:PASSWORD"),
        (
            ["--store", "{tmp}/api.db", "--user", "ada:a", "--user", "ada:b"],
            64,
            "--user ada: given twice",
        ),
        (
            ["--store", "{tmp}/api.db", "--user", "ada:pw", "--base-url", "http://badges.example"],
            64,
            "give an https:// URL",
        ),
        (
            ["--store", "{tmp}/api.db", "--user", "ada:pw", "--base-url", "https://b.example/?x"],
            64,
            "no query or fragment",
        ),
        (["--store", "{tmp}/no/such/dir/api.db", "--user", "ada:pw"], 66, "--store: "),
        (["--allow-loopback-redirects"], 64, "--allow-loopback-redirects applies to the APIs"),
    ],
)
def test_serve_refuses_api_options(
    argv: list[str], status: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = [part.replace("{tmp}", str(tmp_path)) for part in argv]
    assert main(["serve", "--offline", *given]) == status
    assert message in capsys.readouterr().err


def test_a_database_password_is_never_shown(capsys: pytest.CaptureFixture[str]) -> None:
    port = unused_port()  # nothing listens there: the connection is refused
    dsn = f"postgresql://vcbadge:hunter2-secret@127.0.0.1:{port}/badges?connect_timeout=2"
    assert main(["serve", "--offline", "--store", dsn, "--user", "ada:pw"]) == 66
    error = capsys.readouterr().err
    assert "--store: " in error
    assert "hunter2-secret" not in error
    assert "vcbadge:***@127.0.0.1" in error


@pytest.mark.slow  # a child Python process
def test_serve_runs_both_apis_over_tls(
    tmp_path: Path, credentials: Credentials, store_location: str
) -> None:
    ca = TestCertificateAuthority(tmp_path)
    certfile, keyfile = ca.issue(["localhost", "127.0.0.1"])
    port = unused_port()
    base = f"https://localhost:{port}"
    log = tmp_path / "stderr.txt"
    with running(
        log, "--port", port, "--certfile", certfile, "--keyfile", keyfile, "--offline",
        "--store", store_location, "--user", f"{USER}:{PASSWORD}", "--base-url", base,
    ) as process:  # fmt: skip
        wait_for_port(port, process)
        ob = SpecClient(f"{base}/ims/ob/v3p0", ca.ca_path)
        clr = SpecClient(f"{base}/ims/clr/v2p0", ca.ca_path)
        try:
            assert ob.discover().status_code == 200
            assert ob.discovery["servers"][0]["url"].startswith(base)
            assert ob.register(f"{READ} {UPSERT} {PROFILE_READ}").status_code == 201
            access = ob.tokens(f"{READ} {UPSERT}")["access_token"]
            # Each response is closed (``with``): one left open holds its connection, and the
            # server's shutdown waits for open connections.
            with ob.call("POST", "/credentials", access, json=credentials.first) as pushed:
                assert pushed.status_code == 201, pushed.text
            with ob.call("GET", "/credentials", access) as listed:
                assert listed.json()["credential"] == [credentials.first]

            assert clr.discover().status_code == 200
            scopes: dict[str, Any] = clr.flow["scopes"]
            assert f"{CLR}credential.readonly" in scopes
            with ob.browser.get(f"{base}/", timeout=10) as page:
                assert "Verify an Open Badge" in page.text
        finally:
            for client in (ob, clr):
                client.http.close()
                client.browser.close()
    error = log.read_text()
    assert process.returncode == 0, error
    assert f"API at {base}/ims/ob/v3p0/discovery" in error
    assert f"API at {base}/ims/clr/v2p0/discovery" in error
    assert PASSWORD not in error
