"""A badge given by URL: fetched only through the guarded transport (a real HTTPS server on
loopback, trusted through the test CA), and every refused URL shown with its code."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from loopback_server import LoopbackServer, Route
from starlette.testclient import TestClient
from web_world import Badges

from vcbadge.http import GuardedTransport


def test_a_badge_json_at_a_url_is_fetched_and_verified(
    make_client: Callable[..., TestClient],
    loopback: LoopbackServer,
    loopback_transport: GuardedTransport,
    badges: Badges,
) -> None:
    loopback.routes["/badges/1.json"] = Route(
        json.dumps(badges.valid).encode(), headers={"Content-Type": "application/json"}
    )
    client = make_client(transport=loopback_transport)
    url = loopback.url("/badges/1.json")
    response = client.post("/verify", files={"url": (None, url)})
    assert response.status_code == 200
    assert "✓ VALID" in response.text
    assert url in response.text  # the footer says where it came from
    assert loopback.hits["/badges/1.json"] == 1


def test_a_baked_png_at_a_url_shows_its_image(
    make_client: Callable[..., TestClient],
    loopback: LoopbackServer,
    loopback_transport: GuardedTransport,
    badges: Badges,
) -> None:
    loopback.routes["/revoked.png"] = Route(
        badges.png(badges.revoked), headers={"Content-Type": "image/png"}
    )
    client = make_client(transport=loopback_transport)
    response = client.post("/verify", files={"url": (None, loopback.url("/revoked.png"))})
    assert "✗ INVALID" in response.text
    assert "revoked" in response.text
    assert 'src="data:image/png;base64,' in response.text


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("https://127.0.0.1/badge.json", 400, "private_address"),
        ("https://10.1.2.3/badge.json", 400, "private_address"),
        ("https://169.254.169.254/latest/meta-data/", 400, "private_address"),
        ("https://[::1]/badge.json", 400, "private_address"),
        ("http://badges.example.org/badge.json", 400, "scheme_not_allowed"),
        ("file:///etc/passwd", 400, "scheme_not_allowed"),
        ("https://localhost/badge.json", 400, "host_not_allowed"),
        ("https://user:pw@badges.example.org/b.json", 400, "invalid_url"),
    ],
)
def test_the_default_transport_refuses_urls_that_are_not_public_https(
    client: TestClient, url: str, status: int, code: str
) -> None:
    # The app's own transport: nothing here reaches a socket.
    response = client.post("/verify", files={"url": (None, url)})
    assert response.status_code == status, response.text[:400]
    assert f"<code>{code}</code>" in response.text
    assert "could not be fetched" in response.text


@pytest.mark.parametrize(
    ("route", "code"),
    [
        (Route(b"nope", status=404, headers={"Content-Type": "text/plain"}), "http_status"),
        (Route(b"<html></html>", headers={"Content-Type": "text/html"}), "content_type"),
    ],
    ids=["404", "html"],
)
def test_a_remote_failure_is_a_502_with_its_code(
    make_client: Callable[..., TestClient],
    loopback: LoopbackServer,
    loopback_transport: GuardedTransport,
    route: Route,
    code: str,
) -> None:
    loopback.routes["/x"] = route
    client = make_client(transport=loopback_transport)
    response = client.post("/verify", files={"url": (None, loopback.url("/x"))})
    assert response.status_code == 502
    assert f"<code>{code}</code>" in response.text


def test_a_remote_badge_over_the_transport_cap_is_refused(
    make_client: Callable[..., TestClient],
    loopback: LoopbackServer,
    loopback_transport: GuardedTransport,
) -> None:
    # loopback_transport caps responses at 64 KiB.
    loopback.routes["/big.json"] = Route(
        b"[" + b"0," * 40_000 + b"0]", headers={"Content-Type": "application/json"}
    )
    client = make_client(transport=loopback_transport)
    response = client.post("/verify", files={"url": (None, loopback.url("/big.json"))})
    assert response.status_code == 502
    assert "<code>response_too_large</code>" in response.text


def test_an_offline_app_offers_no_url_field_and_refuses_urls(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(offline=True)
    assert 'name="url"' not in client.get("/").text
    response = client.post("/verify", files={"url": (None, "https://badges.example.org/b")})
    assert response.status_code == 400
    assert "<code>url_fetch_disabled</code>" in response.text
