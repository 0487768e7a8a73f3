"""docs/how-to/push-a-badge-to-a-backpack.md runs: its ``vcbadge api login``, ``push`` and
``pull`` commands and its Python blocks, against vcbadge's provider served by uvicorn over TLS
(a throw-away CA) on 127.0.0.1.

The page names the wallet ``https://backpack.example.org``; the test puts the provider's
address in its place, and adds to each command only what a wallet on this machine with a
private CA needs (``--ca-bundle``, ``--allow-address 127.0.0.1``, and the listener's TLS
certificate: the provider takes only HTTPS redirect URIs). The learner's browser is played by
plain ``requests`` posting the login and consent forms.
"""

from __future__ import annotations

import json
import threading
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from api_world import PASSWORD, USER, Credentials
from asgi_server import ServerThread
from consent_walk import walk_consent
from loopback_server import TestCertificateAuthority, unused_port
from starlette.routing import Mount
from test_docs import ROOT, assert_output_matches, commands, fenced_blocks

from vcbadge import Verifier
from vcbadge.api import ApiStore, create_api
from vcbadge.cli import main
from vcbadge.web import create_app

DOC = ROOT / "docs" / "how-to" / "push-a-badge-to-a-backpack.md"
WALLET = "https://backpack.example.org"


@pytest.fixture
def wallet(store: ApiStore, tmp_path: Path) -> Iterator[tuple[str, TestCertificateAuthority]]:
    ca = TestCertificateAuthority(tmp_path)
    certfile, keyfile = ca.issue(["127.0.0.1"], stem="wallet")
    port = unused_port()
    origin = f"https://127.0.0.1:{port}"
    api = create_api(
        store,
        verifier=Verifier.offline(),
        base_url=f"{origin}/ims/ob/v3p0",
        privacy_policy_url=f"{origin}/privacy",
        users={USER: PASSWORD},
    )
    app = create_app(offline=True, routes=[Mount("/ims/ob/v3p0", api)])
    server = ServerThread(app, port=port, ssl_certfile=str(certfile), ssl_keyfile=str(keyfile))
    server.start()
    try:
        yield origin, ca
    finally:
        server.stop()


def test_the_commands_and_the_python_blocks_run(
    wallet: tuple[str, TestCertificateAuthority],
    credentials: Credentials,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    origin, ca = wallet
    monkeypatch.chdir(tmp_path)
    Path("badge.json").write_text(json.dumps(credentials.first), encoding="utf-8")
    browser = requests.Session()
    browser.verify = str(ca.ca_path)
    browser.trust_env = False
    walks: list[threading.Thread] = []

    def open_in_browser(url: str, *args: Any, **kwargs: Any) -> bool:
        def walk() -> None:
            browser.get(walk_consent(browser, url, user=USER, password=PASSWORD), timeout=10)

        walks.append(threading.Thread(target=walk, daemon=True))
        walks[-1].start()
        return True

    monkeypatch.setattr(webbrowser, "open", open_in_browser)
    listener_cert, listener_key = ca.issue(["127.0.0.1"], stem="listener")
    here = ["--ca-bundle", str(ca.ca_path), "--allow-address", "127.0.0.1"]
    extra = {
        "api": [*here, "--callback-certfile", str(listener_cert), "--callback-keyfile",
                str(listener_key)],
        "push": here,
        "pull": here,
    }  # fmt: skip

    ran = []
    for block in fenced_blocks(DOC):
        if block.kind != "console":
            continue
        for command in commands(block):
            argv = [arg.replace(WALLET, origin) for arg in command.argv]
            argv += extra[argv[0]]
            capsys.readouterr()
            code = main(argv)
            captured = capsys.readouterr()
            where = f"{DOC.name}:{command.line}"
            assert code == command.exit_code, f"{where}: exit {code}\n{captured.err}"
            shown = [line.replace(WALLET, origin) for line in command.shown]
            assert_output_matches(shown, captured.out, where)
            ran.append(argv[0])
    for walk in walks:
        walk.join(timeout=10)
    assert ran == ["api", "push", "push", "pull"]
    assert (tmp_path / "tokens.json").is_file()
    assert [json.loads(path.read_text(encoding="utf-8")) for path in Path("pulled").iterdir()] == [
        credentials.first
    ]

    # The Python blocks: the platform's registration, then Ada's consent, then push and pull.
    register, use = (block.text for block in fenced_blocks(DOC) if block.kind == "python")
    assert register.count(f'"{WALLET}"') == 1
    assert register.count("GuardedTransport()") == 1
    register = register.replace(f'"{WALLET}"', repr(origin)).replace(
        "GuardedTransport()",
        f"GuardedTransport(ca_bundle={str(ca.ca_path)!r}, allowed_addresses=['127.0.0.1'])",
    )
    namespace: dict[str, Any] = {"__name__": "how_to_example"}
    exec(compile(register, f"{DOC.name}[python 1]", "exec"), namespace)
    namespace["callback_url"] = walk_consent(
        browser, namespace["pending"].url, user=USER, password=PASSWORD
    )
    namespace["badge"] = credentials.jwt
    capsys.readouterr()
    exec(compile(use, f"{DOC.name}[python 2]", "exec"), namespace)
    printed = capsys.readouterr().out.split()
    browser.close()
    # A new client of the same learner: the badge the command pushed and the JWT.
    assert printed[0] == "201"
    assert sorted(printed[1:]) == ["dict", "str"]
