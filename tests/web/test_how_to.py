"""docs/how-to/show-verified-badges.md runs: its Flask view verifies uploads (kept in memory),
and its Starlette mount serves the form and answers it under the prefix."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from badge_images import chunk, make_png
from starlette.testclient import TestClient
from test_docs import ROOT, fenced_blocks
from web_world import Badges

from vcbadge.bake import bake

DOC = ROOT / "docs" / "how-to" / "show-verified-badges.md"


def python_blocks() -> list[str]:
    return [block.text for block in fenced_blocks(DOC) if block.kind == "python"]


def run_block(index: int, badges: Badges) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "how_to_example"}
    exec(compile(python_blocks()[index], f"{DOC.name}[{index}]", "exec"), namespace)
    return namespace


def test_the_doc_has_the_flask_and_the_starlette_example() -> None:
    blocks = python_blocks()
    assert len(blocks) == 2
    assert "from flask import" in blocks[0]
    assert "Mount(" in blocks[1]


def flask_app(badges: Badges) -> Any:
    namespace = run_block(0, badges)
    # The doc's verifier is online; the test's knows the status list without the network.
    namespace["verifier"] = badges.verifier()
    namespace["verify_badge"].__globals__["verifier"] = namespace["verifier"]
    return namespace["app"]


def test_the_flask_view_verifies_a_baked_badge_and_a_revoked_one(badges: Badges) -> None:
    app = flask_app(badges)
    with app.test_client() as client:
        response = client.post(
            "/badges/verify",
            data={"badge": (io.BytesIO(badges.png(badges.valid)), "badge.png")},
            content_type="multipart/form-data",
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "✓ VALID" in page
        assert "<header>Example School</header>" in page  # the fragment in the app's page
        assert 'src="data:image/png;base64,' in page
        assert "&lt;div" not in page  # inserted, not escaped twice
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]

        response = client.post(
            "/badges/verify",
            data={"badge": (io.BytesIO(json.dumps(badges.revoked).encode()), "r.json")},
            content_type="multipart/form-data",
        )
        assert "✗ INVALID" in response.get_data(as_text=True)
        assert client.post("/badges/verify", data={}).status_code == 400


def test_the_flask_view_keeps_a_large_upload_in_memory(
    badges: Badges, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = flask_app(badges)
    filler = chunk(b"tEXt", b"Comment\0" + b"x" * (2 * 1024 * 1024))
    image = bake(make_png(24, 24, before_idat=[filler]), badges.valid)
    # Encoded here: Werkzeug's test client would itself spool a large form to a temporary file.
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="badge"; filename="large.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + image + b"\r\n--XyZ--\r\n"
    )
    private_temp = tmp_path / "tmp"
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the upload was about to be written to a temporary file")

    # A SpooledTemporaryFile rolls over to disk through tempfile.TemporaryFile.
    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    with app.test_client() as client:
        response = client.post(
            "/badges/verify", data=body, content_type="multipart/form-data; boundary=XyZ"
        )
    assert response.status_code == 200
    assert "✓ VALID" in response.get_data(as_text=True)
    assert os.listdir(private_temp) == []


def test_the_flask_view_refuses_an_upload_over_its_cap(badges: Badges) -> None:
    app = flask_app(badges)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    with app.test_client() as client:
        response = client.post(
            "/badges/verify",
            data={"badge": (io.BytesIO(b"\0" * 100_000), "big.png")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 413


def test_the_mounted_starlette_app_answers_under_its_prefix(
    badges: Badges, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vcbadge import Verifier

    # The doc's app verifies online; here the same app verifies offline with the status list.
    monkeypatch.setattr(Verifier, "online", staticmethod(badges.verifier))
    site = run_block(1, badges)["site"]
    with TestClient(site) as client:
        form = client.get("/verify-a-badge/")
        assert form.status_code == 200
        assert 'action="verify"' in form.text
        response = client.post(
            "/verify-a-badge/verify",
            files={"badge": ("badge.png", badges.png(badges.revoked), "image/png")},
        )
        assert response.status_code == 200
        assert "✗ INVALID" in response.text
        assert "revoked" in response.text
