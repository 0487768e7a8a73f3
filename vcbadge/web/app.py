"""``create_app``: the verification web app as a Starlette application.

Routes: ``GET /`` (the form), ``POST /verify`` (verify what the viewer gave, answer with the
badge page), ``GET /healthz``. More routes (the Open Badges API) are added with ``routes=``
(e.g. a ``Mount``), so ``vcbadge serve`` runs one application.

Why no CSRF token: the app changes nothing. ``POST /verify`` has no side effect but a
verification, carries no ambient authority (no cookies, no session, no login) and answers the
same whoever asks, so a cross-site form post gains an attacker nothing they could not get by
posting themselves. The URL field makes the server fetch a URL, but only through the guarded
transport (HTTPS, public addresses only), which is the same for any caller. Routes added later
that act for a logged-in user (the API's consent page) need their own CSRF protection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vcbadge.bake import BakeLimits, unwrap_received
from vcbadge.display import CONTENT_SECURITY_POLICY
from vcbadge.errors import AddressNotAllowed, HostNotAllowed, NetworkError, SchemeNotAllowed
from vcbadge.protocols import Transport
from vcbadge.verify import Policy, Verifier
from vcbadge.web.form import FormLimits, FormRefused, Submission, read_submission
from vcbadge.web.pages import badge_page, form_page, refusal_page

__all__ = [
    "BADGE_MEDIA_TYPES",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "SECURITY_HEADERS",
    "SecurityHeadersMiddleware",
    "create_app",
]

# The largest badge image vcbadge reads (BakeLimits), plus room for the multipart framing.
DEFAULT_MAX_UPLOAD_BYTES = BakeLimits().max_image_bytes + 64 * 1024

# What a badge URL may serve: a credential (JSON, VC-JWT) or a badge image. Static servers
# send files they do not know as text/plain or application/octet-stream; the verifier reads
# the content, whatever it was labelled.
BADGE_MEDIA_TYPES = (
    "application/json",
    "application/ld+json",
    "application/vc+ld+json",
    "application/vc",
    "application/vc+jwt",
    "application/jwt",
    "image/png",
    "image/svg+xml",
    "text/plain",
    "application/octet-stream",
)

# On every response. The page's own policy (nothing loaded, no script) plus: forms post only
# here, no other site frames the app (clickjacking a verdict), no base-URL games.
SECURITY_HEADERS: Mapping[str, str] = {
    "content-security-policy": (
        f"{CONTENT_SECURITY_POLICY}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    # A result page shows the recipient's badge: no cache keeps it.
    "cache-control": "no-store",
}

# URL refusals that are the viewer's URL's fault (400), not the remote server's (502).
_REFUSED_URLS = (SchemeNotAllowed, HostNotAllowed, AddressNotAllowed)


class SecurityHeadersMiddleware:
    """Sets :data:`SECURITY_HEADERS` on every HTTP response of the app it wraps, except those
    a response already carries: an app mounted in it (the Open Badges API, whose consent page
    shows the client's logo and redirects to the client) states its own policy, and the
    verification pages state none, so they get these."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode("latin-1") not in present
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _refusal(status: int, message: str, code: str) -> HTMLResponse:
    # The headers are set here too: a 500 page is answered outside the middleware stack.
    return HTMLResponse(refusal_page(message, code), status_code=status, headers=SECURITY_HEADERS)


def create_app(
    *,
    verifier_factory: Callable[[], Verifier] | None = None,
    transport: Transport | None = None,
    offline: bool = False,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    routes: Sequence[BaseRoute] = (),
    debug: bool = False,
) -> Starlette:
    """The verification web app.

    Args:
        verifier_factory: makes the one verifier every request shares (vcbadge's verifiers
            are immutable and safe to share between threads); called once, here. Default:
            ``Verifier.online()``, or ``Verifier.offline()`` when ``offline``.
        transport: fetches the badge at a URL the viewer gives (default: a
            :class:`vcbadge.http.GuardedTransport` capped at ``max_upload_bytes``: HTTPS only,
            no private addresses). Tests pass one that trusts their loopback server.
        offline: never fetch a badge by URL (the form leaves the field out and a URL is
            refused with ``url_fetch_disabled``).
        max_upload_bytes: the cap on a request body (an uploaded file with its form framing),
            enforced while it streams in: 413 ``upload_too_large`` past it. Pasted text is
            capped at the verifier's ``Policy.max_bytes``.
        routes: more routes, after the app's own (e.g. ``Mount("/ims/ob/v3p0", api)``).
        debug: Starlette's debug mode (tracebacks in responses): never in production.
    """
    if max_upload_bytes <= 0:
        raise ValueError("max_upload_bytes must be positive")
    if verifier_factory is None:
        verifier_factory = Verifier.offline if offline else Verifier.online
    verifier = verifier_factory()
    fetcher: Transport | None = None
    if not offline:
        if transport is None:
            from vcbadge.http import GuardedTransport

            transport = GuardedTransport(max_bytes=max_upload_bytes)
        fetcher = transport
    policy: Policy = verifier.policy
    limits = FormLimits(max_body_bytes=max_upload_bytes, max_text_bytes=policy.max_bytes)
    start_page = form_page(max_upload_bytes=max_upload_bytes, urls_allowed=fetcher is not None)

    async def home(request: Request) -> Response:
        return HTMLResponse(start_page)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def verify(request: Request) -> Response:
        try:
            submission = await read_submission(request.headers, request.stream(), limits)
            data, source = await _badge_of(submission, fetcher)
        except FormRefused as refused:
            return _refusal(refused.status, refused.message, refused.code)
        except NetworkError as error:
            status = 400 if isinstance(error, _REFUSED_URLS) or error.code == "invalid_url" else 502
            return _refusal(status, f"the badge could not be fetched: {error}", error.code)
        page = await run_in_threadpool(_verified_page, verifier, data, source)
        return HTMLResponse(page)

    async def server_error(request: Request, exc: Exception) -> Response:
        return _refusal(500, "the verifier failed unexpectedly; nothing was kept", "internal_error")

    return Starlette(
        debug=debug,
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/verify", verify, methods=["POST"], name="verify"),
            Route("/healthz", healthz, methods=["GET"]),
            *routes,
        ],
        middleware=[Middleware(SecurityHeadersMiddleware)],
        exception_handlers={500: server_error},
    )


async def _badge_of(submission: Submission, fetcher: Transport | None) -> tuple[bytes | str, str]:
    """The badge to verify and where it came from, for the page's footer."""
    if submission.file is not None:
        name = submission.filename
        return submission.file, f"uploaded file {name}" if name else "uploaded file"
    if submission.text is not None:
        return submission.text, "pasted text"
    assert submission.url is not None
    if fetcher is None:
        raise FormRefused(
            "this verifier runs offline: it does not fetch badges by URL (upload the file)",
            code="url_fetch_disabled",
            status=400,
        )
    url = submission.url
    response = await run_in_threadpool(lambda: fetcher.get(url, accept=BADGE_MEDIA_TYPES))
    return response.body, url


def _verified_page(verifier: Verifier, data: bytes | str, source: str) -> str:
    checked_at = verifier.clock.now().replace(microsecond=0)
    result = verifier.verify(data, at=checked_at)
    image: bytes | None = None
    if isinstance(data, bytes):
        received = unwrap_received(data)
        if received.image_bytes is not None:
            image = received.image_bytes
            if received.baked is not None:
                source = f"{source}: {received.baked.describe()}"
    document: Any = result.document
    credential = document if isinstance(document, Mapping) else None
    return badge_page(credential, result, image=image, source=source, checked_at=checked_at)
