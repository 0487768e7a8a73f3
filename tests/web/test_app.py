"""The verification web app through Starlette's TestClient: every input kind, every refusal
with its status and code, the security headers, and nothing written to disk."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from badge_images import chunk, make_png
from starlette.testclient import TestClient
from web_world import Badges

from vcbadge.bake import bake
from vcbadge.web import SECURITY_HEADERS

PNG = "image/png"


def upload(client: TestClient, name: str, data: bytes, media_type: str = PNG) -> Any:
    return client.post("/verify", files={"badge": (name, data, media_type)})


def paste(client: TestClient, text: str) -> Any:
    return client.post("/verify", files={"text": (None, text)})


def assert_refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text[:500]
    assert f"<code>{code}</code>" in response.text
    assert "Not verified" in response.text


# The start page


def test_the_start_page_offers_upload_paste_and_url_without_script(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert 'type="file" id="badge" name="badge"' in page
    assert '<textarea id="text" name="text"' in page
    assert 'type="url" id="url" name="url"' in page
    assert page.count('method="post" action="verify" enctype="multipart/form-data"') == 3
    assert "<script" not in page.lower()


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok\n")


# Every input kind


def test_uploaded_json_credential_is_verified_valid(client: TestClient, badges: Badges) -> None:
    response = upload(client, "badge.json", json.dumps(badges.valid).encode(), "application/json")
    assert response.status_code == 200
    assert "✓ VALID" in response.text
    assert "Python 101" in response.text
    assert "uploaded file badge.json" in response.text
    assert "<script" not in response.text.lower()


def test_uploaded_vc_jwt_is_verified_valid(client: TestClient, badges: Badges) -> None:
    response = upload(client, "badge.jwt", badges.valid_jwt.encode(), "application/jwt")
    assert response.status_code == 200
    assert "✓ VALID" in response.text
    assert "Python 303" in response.text


def test_uploaded_png_shows_the_image_and_where_the_credential_was(
    client: TestClient, badges: Badges
) -> None:
    response = upload(client, "badge.png", badges.png(badges.valid))
    assert "✓ VALID" in response.text
    assert 'src="data:image/png;base64,' in response.text
    assert "in a PNG iTXt chunk" in response.text


def test_uploaded_svg_is_verified_valid(client: TestClient, badges: Badges) -> None:
    response = upload(client, "badge.svg", badges.svg(badges.valid), "image/svg+xml")
    assert "✓ VALID" in response.text
    assert "data:image/svg+xml" in response.text


def test_a_revoked_badge_is_invalid_and_says_revoked(client: TestClient, badges: Badges) -> None:
    response = upload(client, "revoked.png", badges.png(badges.revoked))
    assert response.status_code == 200
    assert "✗ INVALID" in response.text
    assert "revoked" in response.text
    assert "Python 202" in response.text


def test_a_tampered_badge_is_invalid(client: TestClient, badges: Badges) -> None:
    tampered = json.loads(json.dumps(badges.valid))
    tampered["credentialSubject"]["achievement"]["name"] = "Python 901"
    response = paste(client, json.dumps(tampered))
    assert "✗ INVALID" in response.text
    assert "invalid_signature" in response.text


def test_pasted_json_and_pasted_jwt_are_verified(client: TestClient, badges: Badges) -> None:
    # A textarea sends CRLF line ends: still the same JSON.
    pasted = json.dumps(badges.valid, indent=2).replace("\n", "\r\n")
    assert "✓ VALID" in paste(client, pasted).text
    response = paste(client, "\n" + badges.valid_jwt + "\n")
    assert "✓ VALID" in response.text
    assert "pasted text" in response.text


def test_a_urlencoded_form_is_read_too(client: TestClient, badges: Badges) -> None:
    response = client.post("/verify", data={"text": json.dumps(badges.valid)})
    assert "✓ VALID" in response.text


def test_an_upload_that_is_no_badge_is_shown_invalid(client: TestClient) -> None:
    response = upload(client, "notes.txt", b"hello", "text/plain")
    assert response.status_code == 200
    assert "✗ INVALID" in response.text


# Refusals, each with its status and code


def test_no_badge_given(client: TestClient) -> None:
    response = client.post("/verify", files={"text": (None, "  "), "url": (None, "")})
    assert_refused(response, 400, "no_badge_given")


def test_several_badges_given(client: TestClient, badges: Badges) -> None:
    response = client.post(
        "/verify",
        files={"text": (None, json.dumps(badges.valid)), "url": (None, "https://example.org/b")},
    )
    assert_refused(response, 400, "several_badges_given")


def test_a_field_given_twice_is_malformed(client: TestClient) -> None:
    response = client.post("/verify", files=[("text", (None, "a")), ("text", (None, "b"))])
    assert_refused(response, 400, "form_malformed")


def test_too_many_parts_are_malformed(client: TestClient) -> None:
    fields = [(f"extra{index}", (None, "x")) for index in range(20)]
    assert_refused(client.post("/verify", files=fields), 400, "form_malformed")


def test_a_truncated_multipart_body_is_malformed(client: TestClient) -> None:
    body = b'--XyZ\r\nContent-Disposition: form-data; name="text"\r\n\r\n{"a": 1}'
    response = client.post(
        "/verify", content=body, headers={"content-type": "multipart/form-data; boundary=XyZ"}
    )
    assert_refused(response, 400, "form_malformed")


def test_multipart_without_boundary_is_malformed(client: TestClient) -> None:
    response = client.post("/verify", content=b"x", headers={"content-type": "multipart/form-data"})
    assert_refused(response, 400, "form_malformed")


@pytest.mark.parametrize("media_type", ["application/json", "text/plain", None])
def test_a_body_that_is_not_a_form_is_refused(
    client: TestClient, badges: Badges, media_type: str | None
) -> None:
    headers = {"content-type": media_type} if media_type else {}
    response = client.post("/verify", content=json.dumps(badges.valid).encode(), headers=headers)
    assert_refused(response, 415, "form_type_unsupported")


def test_get_verify_is_not_allowed(client: TestClient) -> None:
    assert client.get("/verify").status_code == 405


# Caps


CAP = 64 * 1024


def test_an_upload_over_the_cap_is_refused_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_upload_bytes=CAP)
    response = upload(client, "big.png", make_png() + b"\0" * CAP)
    assert_refused(response, 413, "upload_too_large")
    assert "65,536 bytes" in response.text


def test_a_declared_length_over_the_cap_is_refused_before_reading(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(max_upload_bytes=CAP)
    sent: list[int] = []

    def body() -> Iterator[bytes]:
        for _ in range(4):
            sent.append(1)
            yield b"x" * 1024

    response = client.post(
        "/verify",
        content=body(),
        headers={
            "content-type": "multipart/form-data; boundary=XyZ",
            "content-length": str(CAP + 1),
        },
    )
    assert_refused(response, 413, "upload_too_large")


@pytest.mark.parametrize("declared", [None, "100"], ids=["chunked", "lying-length"])
def test_a_body_over_the_cap_is_refused_whatever_it_declares(
    make_client: Callable[..., TestClient], declared: str | None
) -> None:
    client = make_client(max_upload_bytes=CAP)
    head = b'--XyZ\r\nContent-Disposition: form-data; name="badge"; filename="b.png"\r\n\r\n'

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(CAP // 4096 + 2):
            yield b"\0" * 4096
        yield b"\r\n--XyZ--\r\n"

    headers = {"content-type": "multipart/form-data; boundary=XyZ"}
    if declared is not None:
        headers["content-length"] = declared
    response = client.post("/verify", content=body(), headers=headers)
    assert_refused(response, 413, "upload_too_large")


def test_pasted_text_over_the_policy_cap_is_refused_413(client: TestClient, badges: Badges) -> None:
    limit = badges.verifier().policy.max_bytes
    response = paste(client, " " * (limit + 1))
    assert_refused(response, 413, "upload_too_large")
    assert "the text field" in response.text


def test_a_url_over_its_cap_is_refused_413(client: TestClient) -> None:
    response = client.post("/verify", files={"url": (None, "https://a.example/" + "a" * 5000)})
    assert_refused(response, 413, "upload_too_large")


def test_a_cap_must_be_positive() -> None:
    from vcbadge.web import create_app

    with pytest.raises(ValueError, match="positive"):
        create_app(max_upload_bytes=0, offline=True)


# Nothing touches the disk


def test_a_large_upload_is_never_written_to_disk(
    client: TestClient, badges: Badges, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 3 MiB: over the 1 MiB at which Starlette's own form parsing spools a file to disk.
    filler = chunk(b"tEXt", b"Comment\0" + b"x" * (3 * 1024 * 1024))
    image = bake(make_png(24, 24, before_idat=[filler]), badges.valid)
    assert len(image) > 3 * 1024 * 1024
    private_temp = tmp_path / "tmp"
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an upload was about to be written to a temporary file")

    # A SpooledTemporaryFile rolls over to disk through tempfile.TemporaryFile.
    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    response = upload(client, "large.png", image)
    assert response.status_code == 200
    assert "✓ VALID" in response.text
    assert os.listdir(private_temp) == []


# Headers on every response


def _responses(make_client: Callable[..., TestClient]) -> list[Any]:
    client = make_client(max_upload_bytes=CAP)
    return [
        client.get("/"),
        client.get("/healthz"),
        client.get("/no-such-page"),
        client.get("/verify"),
        paste(client, "{}"),
        client.post("/verify", content=b"{}", headers={"content-type": "application/json"}),
        upload(client, "big.png", b"\0" * (CAP + 1)),
    ]


def test_every_response_carries_the_security_headers(
    make_client: Callable[..., TestClient],
) -> None:
    statuses = []
    for response in _responses(make_client):
        statuses.append(response.status_code)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.url, name)
        csp = response.headers["content-security-policy"]
        for directive in (
            "default-src 'none'",
            "img-src data:",
            "style-src 'unsafe-inline'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ):
            assert directive in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert statuses == [200, 200, 404, 405, 200, 415, 413]


class _BrokenVerifier:
    """A verifier that fails the way a bug would."""

    def __init__(self, real: Any) -> None:
        self.policy = real.policy
        self.clock = real.clock

    def verify(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")


def test_an_internal_error_is_a_500_page_with_the_headers(
    make_client: Callable[..., TestClient], badges: Badges
) -> None:
    client = make_client(verifier_factory=lambda: _BrokenVerifier(badges.verifier()))
    response = paste(client, json.dumps(badges.valid))
    assert_refused(response, 500, "internal_error")
    assert "a bug" not in response.text  # no internals shown
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value


def test_more_routes_are_served_by_the_same_app_with_the_same_headers(
    make_client: Callable[..., TestClient],
) -> None:
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route

    async def discovery(request: Request) -> JSONResponse:
        return JSONResponse({"openapi": "3.0.1"})

    async def consent(request: Request) -> JSONResponse:
        # A mounted app that states its own policy (a consent page showing a client's logo).
        own = "default-src 'none'; img-src https:; form-action 'self' https:"
        return JSONResponse({}, headers={"Content-Security-Policy": own})

    api = Mount(
        "/ims/ob/v3p0",
        routes=[Route("/discovery", discovery), Route("/consent", consent)],
    )
    client = make_client(routes=[api])
    response = client.get("/ims/ob/v3p0/discovery")
    assert (response.status_code, response.json()) == (200, {"openapi": "3.0.1"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        response.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]
    )
    stated = client.get("/ims/ob/v3p0/consent")
    assert stated.headers.get_list("content-security-policy") == [
        "default-src 'none'; img-src https:; form-action 'self' https:"
    ]
    assert stated.headers["referrer-policy"] == "no-referrer"  # the others still added
    assert client.get("/").status_code == 200  # the verification page is still there
