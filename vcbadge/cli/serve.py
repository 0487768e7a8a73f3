"""``vcbadge serve``: run the verification web app (:mod:`vcbadge.web`) with uvicorn, and
with ``--store`` the Open Badges 3.0 and CLR 2.0 REST APIs (:mod:`vcbadge.api`) in the same app.

HTTPS with ``--certfile`` and ``--keyfile``; without them, plain HTTP, and only on a loopback
address (for trying it out on one machine), said loudly on start.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import sys
import warnings
from typing import Any
from urllib.parse import urlsplit

from vcbadge.cli._exit import EX_NOINPUT, EX_USAGE, CliError
from vcbadge.cli._verifier import add_verification_options, build_verifier

__all__ = ["is_loopback", "register", "run"]

SHUTDOWN_SECONDS = 5


def register(subparsers: Any) -> None:
    """Add the ``serve`` sub-command."""
    parser = subparsers.add_parser(
        "serve",
        help="run the badge verification web app (needs 'pip install vcbadge[web]')",
        description=(
            "Serve a web page where anyone uploads or pastes a badge (PNG, SVG, JSON, VC-JWT) "
            "or gives its URL and sees it verified. Uploads are verified in memory and never "
            "stored. HTTPS with --certfile and --keyfile; without them plain HTTP, allowed "
            "only on a loopback address. Verification works as in 'vcbadge verify' (online "
            "unless --offline, which also turns off fetching badges by URL). With --store, "
            "the same app also serves the Open Badges 3.0 and CLR 2.0 REST APIs at "
            "/ims/ob/v3p0 and /ims/clr/v2p0, every credential pushed to them verified the same "
            "way before it is stored. Runs until interrupted; exit status 0, or 64 usage "
            "error, 66 a certificate or key file missing."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--certfile", metavar="F", help="TLS certificate chain (PEM)")
    parser.add_argument("--keyfile", metavar="F", help="TLS private key (PEM)")
    api = parser.add_argument_group(
        "the Open Badges and CLR REST APIs (need 'pip install vcbadge[api]')"
    )
    api.add_argument(
        "--store",
        metavar="FILE_OR_URL",
        help="serve the APIs, keeping clients, tokens, credentials and profiles here: a SQLite "
        "file (created if missing) or a postgresql:// URL",
    )
    api.add_argument(
        "--user",
        metavar="NAME:PASSWORD",
        action="append",
        default=[],
        help="an account of the APIs' built-in login page (repeatable; for development and "
        "tests: the password is visible to other users of this machine)",
    )
    api.add_argument(
        "--base-url",
        metavar="URL",
        help="the public URL of this server, as the discovery documents advertise it "
        "(default: the scheme, host and port it listens on)",
    )
    api.add_argument(
        "--allow-loopback-redirects",
        action="store_true",
        help="let clients register http://127.0.0.1:PORT and http://[::1]:PORT redirect URIs "
        "(RFC 8252, for command-line clients such as 'vcbadge api login'); Open Badges 3.0 "
        "asks for HTTPS redirect URIs, so this is off unless given",
    )
    api.add_argument(
        "--privacy-policy-url",
        metavar="URL",
        help="the privacy policy the discovery documents name (default: the base URL)",
    )
    add_verification_options(parser)
    parser.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (``localhost`` or a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_tls(args: argparse.Namespace) -> bool:
    if (args.certfile is None) != (args.keyfile is None):
        raise CliError("--certfile and --keyfile go together", EX_USAGE)
    if args.certfile is None:
        if not is_loopback(args.host):
            raise CliError(
                f"refusing to serve plain HTTP on {args.host}: give --certfile and --keyfile, "
                "or listen on a loopback address (127.0.0.1, ::1, localhost)",
                EX_USAGE,
            )
        return False
    for path in (args.certfile, args.keyfile):
        if not os.path.isfile(path):
            raise CliError(f"{path}: no such file", EX_NOINPUT)
    return True


def _accounts(args: argparse.Namespace) -> dict[str, str]:
    if args.store is None:
        for option, given in (("--user", args.user), ("--base-url", args.base_url)):
            if given:
                raise CliError(f"{option} applies to the APIs: give --store too", EX_USAGE)
        if args.allow_loopback_redirects:
            raise CliError(
                "--allow-loopback-redirects applies to the APIs: give --store too", EX_USAGE
            )
        if args.privacy_policy_url is not None:
            raise CliError("--privacy-policy-url applies to the APIs: give --store too", EX_USAGE)
        return {}
    if not args.user:
        raise CliError("--store needs at least one --user NAME:PASSWORD to sign in with", EX_USAGE)
    accounts: dict[str, str] = {}
    for given in args.user:
        name, colon, password = given.partition(":")
        if not colon or not name or not password:
            raise CliError("--user takes NAME:PASSWORD, both non-empty", EX_USAGE)
        if name in accounts:
            raise CliError(f"--user {name}: given twice", EX_USAGE)
        accounts[name] = password
    return accounts


def _base_url(args: argparse.Namespace, *, tls: bool, host: str) -> str:
    if args.base_url is None:
        return f"{'https' if tls else 'http'}://{host}:{args.port}"
    parts = urlsplit(args.base_url)
    plain_loopback = parts.scheme == "http" and not tls and is_loopback(parts.hostname or "")
    if not (parts.scheme == "https" or plain_loopback) or not parts.hostname:
        raise CliError(
            f"--base-url {args.base_url}: give an https:// URL (http:// only for a loopback "
            "host while serving plain HTTP)",
            EX_USAGE,
        )
    if parts.query or parts.fragment:
        raise CliError(f"--base-url {args.base_url}: no query or fragment", EX_USAGE)
    given: str = args.base_url
    return given.rstrip("/")


def _api_routes(
    args: argparse.Namespace, verifier: Any, accounts: dict[str, str], base_url: str
) -> list[Any]:
    """The OB 3.0 and CLR 2.0 API apps, sharing one store, mounted at their paths."""
    try:
        from starlette.routing import Mount

        from vcbadge.api import CLR20, OB30, ApiStore, ApiStoreError, create_api
    except ImportError as error:
        raise CliError(
            f"'vcbadge serve --store' needs the api extra ({error.name} is missing): "
            "pip install 'vcbadge[api]'",
            EX_USAGE,
        ) from None
    try:
        store = ApiStore.open(args.store)
    except ApiStoreError as error:  # its message names the store, a URL's password masked
        status = EX_USAGE if error.code == "store_schema_newer" else EX_NOINPUT
        raise CliError(f"--store: {error.message}", status) from None
    routes = []
    with warnings.catch_warnings():
        # Plain HTTP on loopback is announced on start, louder than a Python warning.
        warnings.simplefilter("ignore", UserWarning)
        for standard in (OB30, CLR20):
            api = create_api(
                store,
                verifier=verifier,
                base_url=base_url + standard.path,
                privacy_policy_url=args.privacy_policy_url or base_url + "/",
                users=accounts,
                standard=standard,
                allow_loopback_http=base_url.startswith("http://"),
                allow_loopback_redirects=args.allow_loopback_redirects,
            )
            routes.append(Mount(standard.path, api))
    return routes


def run(args: argparse.Namespace) -> int:
    """Build the app and serve it until interrupted."""
    if args.at is not None:
        raise CliError("--at does not apply to 'serve': badges are verified as of now", EX_USAGE)
    if not 0 < args.port < 65536:
        raise CliError(f"--port {args.port}: not a TCP port", EX_USAGE)
    tls = _check_tls(args)
    accounts = _accounts(args)
    try:
        import uvicorn

        from vcbadge.web import create_app
    except ImportError as error:
        raise CliError(
            f"'vcbadge serve' needs the web extra ({error.name} is missing): "
            "pip install 'vcbadge[web]'",
            EX_USAGE,
        ) from None
    verifier = build_verifier(args)
    scheme = "https" if tls else "http"
    host = f"[{args.host}]" if ":" in args.host else args.host
    routes: list[Any] = []
    if args.store is not None:
        base_url = _base_url(args, tls=tls, host=host)
        routes = _api_routes(args, verifier, accounts, base_url)
    app = create_app(verifier_factory=lambda: verifier, offline=args.offline, routes=routes)
    if not tls:
        print(
            f"WARNING: serving PLAIN HTTP (no TLS) on {scheme}://{host}:{args.port}/ - "
            "for this machine only; give --certfile and --keyfile to serve HTTPS",
            file=sys.stderr,
        )
    print(f"vcbadge: verification page on {scheme}://{host}:{args.port}/", file=sys.stderr)
    if routes:
        for route in routes:
            print(f"vcbadge: API at {base_url}{route.path}/discovery", file=sys.stderr)
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        server_header=False,
        log_level="info",
        # Over TLS, a client holding an idle keep-alive connection (any browser) would make
        # the shutdown wait for it; Ctrl-C ends the server within this many seconds.
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
    )
    # uvicorn stops on Ctrl-C and raises it again: for a server, that is the normal end.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run()
    return 0
