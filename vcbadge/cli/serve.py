"""``vcbadge serve``: run the verification web app (:mod:`vcbadge.web`) with uvicorn.

HTTPS with ``--certfile`` and ``--keyfile``; without them, plain HTTP, and only on a loopback
address (for trying it out on one machine), said loudly on start.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import sys
from typing import Any

from vcbadge.cli._exit import EX_NOINPUT, EX_USAGE, CliError
from vcbadge.cli._verifier import add_verification_options, build_verifier

__all__ = ["is_loopback", "register", "run"]


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
            "unless --offline, which also turns off fetching badges by URL). Runs until "
            "interrupted; exit status 0, or 64 usage error, 66 a certificate or key file "
            "missing."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--certfile", metavar="F", help="TLS certificate chain (PEM)")
    parser.add_argument("--keyfile", metavar="F", help="TLS private key (PEM)")
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


def run(args: argparse.Namespace) -> int:
    """Build the app and serve it until interrupted."""
    if args.at is not None:
        raise CliError("--at does not apply to 'serve': badges are verified as of now", EX_USAGE)
    if not 0 < args.port < 65536:
        raise CliError(f"--port {args.port}: not a TCP port", EX_USAGE)
    tls = _check_tls(args)
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
    app = create_app(verifier_factory=lambda: verifier, offline=args.offline)
    scheme = "https" if tls else "http"
    host = f"[{args.host}]" if ":" in args.host else args.host
    if not tls:
        print(
            f"WARNING: serving PLAIN HTTP (no TLS) on {scheme}://{host}:{args.port}/ - "
            "for this machine only; give --certfile and --keyfile to serve HTTPS",
            file=sys.stderr,
        )
    print(f"vcbadge: verification page on {scheme}://{host}:{args.port}/", file=sys.stderr)
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        server_header=False,
        log_level="info",
    )
    # uvicorn stops on Ctrl-C and raises it again: for a server, that is the normal end.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run()
    return 0
