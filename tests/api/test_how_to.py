"""docs/how-to/open-badges-api.md runs: its mount serves the API in the web app, and its
registration request registers a client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_docs import ROOT, fenced_blocks

DOC = ROOT / "docs" / "how-to" / "open-badges-api.md"


def blocks(kind: str) -> list[str]:
    return [block.text for block in fenced_blocks(DOC) if block.kind == kind]


def test_the_mount_serves_the_api_and_the_registration_registers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the doc's store is api.db in the working directory
    (mount,) = blocks("python")
    namespace: dict[str, Any] = {"__name__": "how_to_example"}
    exec(compile(mount, f"{DOC.name}[0]", "exec"), namespace)
    (request,) = blocks("json")
    try:
        with TestClient(namespace["app"], base_url="https://badges.example.edu") as client:
            discovery = client.get("/ims/ob/v3p0/discovery").json()
            scheme = discovery["components"]["securitySchemes"]["OAuth2ACG"]
            registered = client.post(scheme["x-imssf-registrationUrl"], json=json.loads(request))
        assert registered.status_code == 201, registered.text
        assert registered.json()["client_secret"]
        assert (tmp_path / "api.db").is_file()
    finally:
        namespace["store"].close()
