"""GuardedTransport.request (API calls: any method, a body, every status, no redirects followed)
against a real HTTPS server on loopback: an ASGI app served by uvicorn with the test CA's
certificate."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback_server import LOOPBACK, TestCertificateAuthority

from vcbadge.errors import (
    AddressNotAllowed,
    HostNotAllowed,
    NetworkTimeout,
    ResponseTooLarge,
    SchemeNotAllowed,
)
from vcbadge.http import GuardedTransport

pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")
from asgi_server import ServerThread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

BIG = 100 * 1024  # over the test transport's 64 KiB cap


class EchoServer:
    """uvicorn on 127.0.0.1 (a free port, TLS) serving the routes the tests call; ``hits``
    counts requests per path."""

    def __init__(self, certificate: tuple[Path, Path]) -> None:
        self.hits: dict[str, int] = {}
        app = Starlette(
            routes=[
                Route("/echo", self.echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
                Route("/moved", self.moved, methods=["POST"]),
                Route("/target", self.echo, methods=["GET", "POST"]),
                Route("/big", self.big),
                Route("/slow", self.slow),
            ]
        )
        cert, key = certificate
        self.server = ServerThread(app, ssl_certfile=str(cert), ssl_keyfile=str(key))

    def count(self, request: Request) -> None:
        self.hits[request.url.path] = self.hits.get(request.url.path, 0) + 1

    async def echo(self, request: Request) -> Response:
        self.count(request)
        body = await request.body()
        status = int(request.query_params.get("status", "200"))
        return JSONResponse(
            {
                "method": request.method,
                "body": body.decode(),
                "content_type": request.headers.get("content-type"),
                "authorization": request.headers.get("authorization"),
                "host": request.headers.get("host"),
            },
            status_code=status,
        )

    async def moved(self, request: Request) -> Response:
        self.count(request)
        return RedirectResponse("/target", status_code=307)

    async def big(self, request: Request) -> Response:
        return Response(b"x" * BIG, media_type="application/json")

    async def slow(self, request: Request) -> Response:
        await asyncio.sleep(3)
        return JSONResponse({})

    def url(self, path: str, host: str = "localhost") -> str:
        return f"https://{host}:{self.server.port}{path}"

    def start(self) -> EchoServer:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
def echo(loopback_certificate: tuple[Path, Path]) -> Iterator[EchoServer]:
    server = EchoServer(loopback_certificate).start()
    try:
        yield server
    finally:
        server.stop()


def test_a_post_with_a_body_and_headers(
    echo: EchoServer, loopback_transport: GuardedTransport
) -> None:
    response = loopback_transport.request(
        "POST",
        echo.url("/echo?status=201"),
        headers={"Content-Type": "text/plain", "Authorization": "Bearer abc"},
        content=b"a.b.c",
    )
    assert response.status == 201
    assert response.media_type == "application/json"
    seen = json.loads(response.body)
    assert seen["method"] == "POST"
    assert seen["body"] == "a.b.c"
    assert seen["content_type"] == "text/plain"
    assert seen["authorization"] == "Bearer abc"
    assert seen["host"] == echo.url("/").split("/")[2]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "get"])
def test_other_methods(echo: EchoServer, loopback_transport: GuardedTransport, method: str) -> None:
    response = loopback_transport.request(method, echo.url("/echo"), content=b"{}")
    assert response.status == 200
    assert method.upper() in response.body.decode()


@pytest.mark.parametrize("status", [400, 401, 404, 429, 500, 503])
def test_an_error_status_is_returned_with_its_body(
    echo: EchoServer, loopback_transport: GuardedTransport, status: int
) -> None:
    response = loopback_transport.request("GET", echo.url(f"/echo?status={status}"))
    assert response.status == status
    assert b'"method":"GET"' in response.body


def test_a_redirect_is_returned_not_followed(
    echo: EchoServer, loopback_transport: GuardedTransport
) -> None:
    response = loopback_transport.request("POST", echo.url("/moved"), content=b"secret")
    assert response.status == 307
    assert response.headers["location"] == "/target"
    assert echo.hits == {"/moved": 1}  # the body was not replayed to the target


def test_a_private_address_is_refused_unless_allowed(
    echo: EchoServer, loopback_ca: TestCertificateAuthority
) -> None:
    guarded = GuardedTransport(ca_bundle=loopback_ca.ca_path)
    with pytest.raises(AddressNotAllowed) as refused:
        guarded.request("POST", echo.url("/echo", host="127.0.0.1"), content=b"x")
    assert refused.value.code == "private_address"
    assert echo.hits == {}
    allowed = GuardedTransport(ca_bundle=loopback_ca.ca_path, allowed_addresses=LOOPBACK)
    assert allowed.request("POST", echo.url("/echo", host="127.0.0.1")).status == 200


def test_a_local_host_name_is_refused_unless_allowed(
    echo: EchoServer, loopback_ca: TestCertificateAuthority
) -> None:
    guarded = GuardedTransport(ca_bundle=loopback_ca.ca_path, allowed_addresses=LOOPBACK)
    with pytest.raises(HostNotAllowed) as refused:
        guarded.request("GET", echo.url("/echo"))
    assert refused.value.code == "host_not_allowed"
    assert echo.hits == {}


def test_plain_http_is_refused(loopback_transport: GuardedTransport) -> None:
    with pytest.raises(SchemeNotAllowed) as refused:
        loopback_transport.request("POST", "http://localhost/echo", content=b"x")
    assert refused.value.code == "scheme_not_allowed"


def test_the_size_cap_holds(echo: EchoServer, loopback_transport: GuardedTransport) -> None:
    with pytest.raises(ResponseTooLarge) as refused:
        loopback_transport.request("GET", echo.url("/big"))
    assert refused.value.code == "response_too_large"


def test_a_slow_answer_times_out(echo: EchoServer, loopback_transport: GuardedTransport) -> None:
    started = time.monotonic()
    with pytest.raises(NetworkTimeout) as refused:
        loopback_transport.request("GET", echo.url("/slow"))
    assert refused.value.code == "timeout"
    assert time.monotonic() - started < 2.9  # the 0.5 s read timeout, not the server's 3 s


@pytest.mark.parametrize("header", ["Host", "content-length", "Transfer-Encoding", "Connection"])
def test_the_transport_sets_its_own_framing_headers(
    loopback_transport: GuardedTransport, header: str
) -> None:
    with pytest.raises(ValueError, match=header):
        loopback_transport.request("POST", "https://localhost/echo", headers={header: "x"})


def test_an_unknown_method_is_refused(loopback_transport: GuardedTransport) -> None:
    with pytest.raises(ValueError, match="method"):
        loopback_transport.request("CONNECT", "https://localhost/echo")


def test_accept_must_name_a_media_type(loopback_transport: GuardedTransport) -> None:
    with pytest.raises(ValueError, match="accept"):
        loopback_transport.request("GET", "https://localhost/echo", accept=())


@pytest.mark.parametrize(
    "header",
    [{"Authorization": "Bearer a\r\nX-Injected: 1"}, {"X-A\nB": "1"}, {"X-A": "a\x00b"}],
)
def test_a_header_with_a_line_break_is_refused(
    loopback_transport: GuardedTransport, header: dict[str, str]
) -> None:
    with pytest.raises(ValueError, match="line break"):
        loopback_transport.request("GET", "https://localhost/echo", headers=header)
