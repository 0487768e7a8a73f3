"""``vcbadge api login``, ``vcbadge push`` and ``vcbadge pull``: the command-line client of an
Open Badges 3.0 (or CLR 2.0) REST API (``vcbadge.api.ApiClient``).

``api login`` registers a client with the provider when the token file holds none for it,
sends the learner to the provider's authorization page (a browser, or the printed URL), waits
for the redirect on a one-shot listener on 127.0.0.1, and keeps the client and its tokens in
the token file (written atomically, readable by its owner only). ``push`` upserts one badge
(a JSON credential, a VC-JWT, or a baked PNG/SVG image); ``pull`` reads every credential the
tokens may read, verifies each, and writes only those that are VALID.

Exit status: 0 success; ``pull``: 1 when a pulled credential was INVALID, 2 when one was
INDETERMINATE or the provider could not be reached or refused the request; ``push``: 1 when
the provider refused the badge (its verifier said no), 2 for every other failure of the
provider or the network; 64 usage, 65 bad input (the badge, or a token file that is not
one), 66 a missing badge or token file, 73 a file that cannot be written. ``--json`` prints
one JSON object. The client library raises errors with codes; this module maps them to exit
statuses and to the options the user can change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import stat
import sys
import webbrowser
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vcbadge._json import loads_strict
from vcbadge.atomic_files import replace_durably
from vcbadge.cli._badge_input import read_badge_input
from vcbadge.cli._exit import (
    EX_CANTCREAT,
    EX_DATAERR,
    EX_INDETERMINATE,
    EX_INVALID,
    EX_NOINPUT,
    EX_OK,
    EX_USAGE,
    CliError,
)
from vcbadge.cli._io import CliInputError, describe_error, dumps_pretty, write_stdout_utf8
from vcbadge.cli._verifier import add_verification_options, build_verifier
from vcbadge.errors import InputError, VcbadgeError
from vcbadge.verify import Outcome

if TYPE_CHECKING:  # the client (and the network stack) is imported when a command runs
    from vcbadge.api.client import ApiClient
    from vcbadge.api.standards import ApiStandard
    from vcbadge.http import GuardedTransport

__all__ = ["register", "run_login", "run_pull", "run_push"]

# The token file's format; a later version may read older ones.
TOKEN_FILE_VERSION = 1
DEFAULT_TOKEN_FILE = "vcbadge-api-tokens.json"
# RFC 7591 software_id: the same for every installation of the vcbadge command line.
SOFTWARE_ID = "5e0c7a52-3d8b-4f1e-9a6c-2b7d4e8f1a03"
_SERVICES = ("ob", "clr")


def register(subparsers: Any) -> None:
    """Add the ``api`` (``api login``), ``push`` and ``pull`` sub-commands."""
    api = subparsers.add_parser(
        "api",
        help="sign in to an Open Badges 3.0 / CLR 2.0 API (see push and pull)",
        description="Commands about an Open Badges 3.0 or CLR 2.0 REST API provider.",
    )
    actions = api.add_subparsers(dest="api_command", metavar="ACTION", required=True)
    login = actions.add_parser(
        "login",
        help="authorize vcbadge at a provider and keep the tokens in a file",
        description=(
            "Register vcbadge as a client of the provider at BASE_URL (unless the token file "
            "already holds a client of it), open the provider's authorization page in a browser "
            "(or print its URL with --no-browser), wait for the provider to redirect back to a "
            "one-shot listener on 127.0.0.1, redeem the code (PKCE S256) and keep the client and "
            "its tokens in the token file, readable by you only. "
            "Exit status: 0 signed in; 2 the provider refused or could not be reached; "
            "65 the token file is not one; 73 it cannot be written."
        ),
    )
    _add_connection_options(login, "--to")
    login.add_argument(
        "--scope",
        metavar="SCOPES",
        help="the scopes to ask for, space-separated (default: every scope of the API)",
    )
    login.add_argument(
        "--no-browser",
        action="store_true",
        help="print the authorization URL instead of opening a browser",
    )
    login.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=300.0,
        metavar="SECONDS",
        help="how long to wait for the authorization (default: 300)",
    )
    login.add_argument(
        "--callback-port",
        type=int,
        default=0,
        metavar="PORT",
        help="the listener's port on 127.0.0.1 (default: a free one)",
    )
    login.add_argument(
        "--callback-certfile",
        metavar="PEM",
        help=(
            "serve the listener over HTTPS with this certificate (for a provider that accepts "
            "only https redirect URIs); with --callback-keyfile"
        ),
    )
    login.add_argument("--callback-keyfile", metavar="PEM", help="the key of --callback-certfile")
    login.add_argument(
        "--client-name",
        default="vcbadge command line",
        metavar="NAME",
        help="the name the provider's consent page shows (default: vcbadge command line)",
    )
    login.add_argument("--json", action="store_true", help="print the result as JSON")
    login.set_defaults(handler=run_login)

    push = subparsers.add_parser(
        "push",
        help="push a badge to an Open Badges 3.0 / CLR 2.0 API (a learner's backpack)",
        description=(
            "Upsert BADGE (a JSON credential, a VC-JWT, or a baked PNG/SVG image, or - for "
            "standard input) at the provider at BASE_URL with the tokens of 'vcbadge api login'. "
            "The provider verifies it before it stores it. "
            "Exit status: 0 stored (created or replaced); 1 the provider refused the badge; "
            "2 any other refusal, or the provider could not be reached; 65 BADGE is not a "
            "credential; 66 BADGE or the token file is missing."
        ),
    )
    push.add_argument("badge", metavar="BADGE", help="the credential or badge image, or -")
    _add_connection_options(push, "--to")
    push.add_argument("--json", action="store_true", help="print the result as JSON")
    push.set_defaults(handler=run_push)

    pull = subparsers.add_parser(
        "pull",
        help="pull, verify and save the credentials an Open Badges 3.0 / CLR 2.0 API holds",
        description=(
            "Read every credential the tokens of 'vcbadge api login' may read from the provider "
            "at BASE_URL (page by page), verify each as 'vcbadge verify' would, and write those "
            "that are VALID into DIR (one file per credential id: .json or .jwt); the others are "
            "reported and not written. "
            "Exit status: 0 every credential was VALID; 1 one was INVALID; 2 one was "
            "INDETERMINATE, or the provider refused or could not be reached; 66 the token file "
            "is missing; 73 DIR cannot be written."
        ),
    )
    _add_connection_options(pull, "--from")
    pull.add_argument(
        "-o",
        "--output",
        default=".",
        metavar="DIR",
        help="the directory to write the credentials into (default: the current one)",
    )
    pull.add_argument(
        "--limit",
        type=_positive_count,
        metavar="N",
        help="credentials per page to ask for (default: the provider's)",
    )
    pull.add_argument("--json", action="store_true", help="print the result as JSON")
    add_verification_options(pull)
    pull.set_defaults(handler=run_pull)


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of seconds")
    return seconds


def _positive_count(value: str) -> int:
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def _add_connection_options(parser: argparse.ArgumentParser, flag: str) -> None:
    parser.add_argument(
        flag,
        dest="base_url",
        required=True,
        metavar="BASE_URL",
        help="the provider: https://host, the part before /ims/ob/v3p0",
    )
    parser.add_argument(
        "--token-file",
        default=DEFAULT_TOKEN_FILE,
        metavar="FILE",
        help=(
            "where 'vcbadge api login' keeps the client and tokens of one provider "
            f"(default: {DEFAULT_TOKEN_FILE}); use one file per provider"
        ),
    )
    parser.add_argument(
        "--api",
        choices=_SERVICES,
        default="ob",
        help="the API: ob (Open Badges 3.0, the default) or clr (CLR 2.0)",
    )
    parser.add_argument(
        "--ca-bundle",
        metavar="PEM",
        help="trust these CA certificates instead of the default ones (a private PKI)",
    )
    parser.add_argument(
        "--allow-address",
        action="append",
        default=[],
        metavar="ADDRESS",
        help=(
            "let the connection reach this address or network although it is not public "
            "(127.0.0.1 for a provider on this machine, 10.0.0.0/8 on an intranet); repeatable"
        ),
    )


# The token file


def _read_token_file(path: str) -> dict[str, Any] | None:
    """The token file's content, None when there is none; refused when others may read it
    or it is not one."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CliInputError(
            f"{path}: cannot read: {error.strerror}", EX_NOINPUT, code="file_unreadable", file=path
        ) from None
    if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        raise CliInputError(
            f"{path}: the token file may be read by others (mode {stat.S_IMODE(mode):o}); "
            f"run 'chmod 600 {path}' or sign in again with a new file",
            EX_DATAERR,
            code="token_file_exposed",
            file=path,
        )
    try:
        document = loads_strict(Path(path).read_bytes())
    except (InputError, OSError) as error:
        shown = describe_error(error) if isinstance(error, InputError) else str(error)
        raise CliInputError(
            f"{path}: not a token file: {shown}", EX_DATAERR, code="not_a_token_file", file=path
        ) from None
    if not isinstance(document, dict) or document.get("version") != TOKEN_FILE_VERSION:
        raise CliInputError(
            f"{path}: not a vcbadge token file (version {TOKEN_FILE_VERSION})",
            EX_DATAERR,
            code="not_a_token_file",
            file=path,
        )
    return document


def _write_token_file(path: str, client: ApiClient, redirect_uri: str) -> None:
    document = {
        "version": TOKEN_FILE_VERSION,
        "base_url": client.base_url,
        "api": client.service.path,
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "redirect_uri": redirect_uri,
        "tokens": client.tokens.as_json() if client.tokens else None,
    }
    try:
        replace_durably(Path(path), json.dumps(document, indent=2) + "\n", mode=0o600)
    except OSError as error:
        raise CliInputError(
            f"{path}: cannot write: {error.strerror or error}",
            EX_CANTCREAT,
            code="cannot_write",
            file=path,
        ) from None


def _service(args: argparse.Namespace) -> ApiStandard:
    from vcbadge.api.standards import CLR20, OB30

    return CLR20 if args.api == "clr" else OB30


def _transport(args: argparse.Namespace) -> GuardedTransport:
    from vcbadge.http import GuardedTransport

    try:
        return GuardedTransport(ca_bundle=args.ca_bundle, allowed_addresses=args.allow_address)
    except ValueError as error:
        raise CliError(f"--ca-bundle/--allow-address: {error}", EX_USAGE) from None


def _client(args: argparse.Namespace, saved: Mapping[str, Any] | None) -> ApiClient:
    """A client of ``args.base_url``; resumed from ``saved`` when it is for the same provider
    and API."""
    from vcbadge.api.client import ApiClient, ApiClientError, Tokens

    service = _service(args)
    try:
        fresh = ApiClient(args.base_url, transport=_transport(args), service=service)
    except ApiClientError as error:
        raise CliError(f"{args.base_url}: {describe_error(error)}", EX_USAGE) from None
    if not _same_provider(saved, fresh):
        return fresh
    assert saved is not None
    tokens = None
    if saved.get("tokens") is not None:
        try:
            tokens = Tokens.from_json(saved["tokens"])
        except InputError as error:
            raise CliInputError(
                f"{args.token_file}: {describe_error(error)}",
                EX_DATAERR,
                code="not_a_token_file",
                file=args.token_file,
            ) from None
    return ApiClient(
        fresh.base_url,
        transport=_transport(args),
        service=service,
        client_id=str(saved.get("client_id")),
        client_secret=str(saved.get("client_secret")),
        tokens=tokens,
    )


def _same_provider(saved: Mapping[str, Any] | None, client: ApiClient) -> bool:
    return (
        saved is not None
        and saved.get("base_url") == client.base_url
        and saved.get("api") == client.service.path
        and isinstance(saved.get("client_id"), str)
        and isinstance(saved.get("client_secret"), str)
    )


def _signed_in(args: argparse.Namespace) -> ApiClient:
    _client(args, None)  # a BASE_URL that is not one is a usage error, whatever the file holds
    saved = _read_token_file(args.token_file)
    if saved is None:
        raise CliInputError(
            f"{args.token_file}: no such token file; sign in first with "
            f"'vcbadge api login --to {args.base_url} --token-file {args.token_file}'",
            EX_NOINPUT,
            code="file_not_found",
            file=args.token_file,
        )
    client = _client(args, saved)
    if client.tokens is None:
        raise CliInputError(
            f"{args.token_file}: holds no tokens for {client.base_url}{client.service.path}; "
            "sign in first with 'vcbadge api login'",
            EX_DATAERR,
            code="not_signed_in",
            file=args.token_file,
        )
    return client


def _keep_tokens(args: argparse.Namespace, client: ApiClient) -> None:
    """Write the tokens back when a refresh replaced them (refresh tokens rotate)."""
    saved = _read_token_file(args.token_file) or {}
    kept = saved.get("tokens")
    if client.tokens is not None and kept != client.tokens.as_json():
        _write_token_file(args.token_file, client, str(saved.get("redirect_uri", "")))


def _refusal(error: VcbadgeError, args: argparse.Namespace, file: str) -> CliInputError:
    """A library error as the command reports it: the exit status, and what to do."""
    hint = {
        "api_not_authorized": "; sign in again with 'vcbadge api login'",
        "api_insufficient_scope": "; sign in again with 'vcbadge api login' and a --scope "
        "that allows it",
        "private_address": "; a provider on this machine or an intranet needs --allow-address",
        "host_not_allowed": "; give the provider's public host name",
        "tls": "; a provider with a private certificate authority needs --ca-bundle",
        "api_registration_refused": "; a provider that takes only https redirect URIs needs "
        "--callback-certfile and --callback-keyfile",
    }.get(error.code, "")
    exit_code = EX_INVALID if error.code == "api_credential_refused" else EX_INDETERMINATE
    return CliInputError(
        f"{args.base_url}: {describe_error(error)}{hint}", exit_code, code=error.code, file=file
    )


# api login


def run_login(args: argparse.Namespace) -> int:
    """Register (when needed), authorize through the browser and the loopback listener, keep
    the tokens."""
    import ssl

    from vcbadge.api.client import LoopbackRedirectListener

    if bool(args.callback_certfile) != bool(args.callback_keyfile):
        raise CliError("--callback-certfile and --callback-keyfile go together", EX_USAGE)
    tls = None
    if args.callback_certfile:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            tls.load_cert_chain(args.callback_certfile, args.callback_keyfile)
        except (OSError, ssl.SSLError) as error:
            raise CliError(f"--callback-certfile: {error}", EX_NOINPUT) from None
    saved = _read_token_file(args.token_file)
    client = _client(args, saved)
    # A registered client keeps its redirect URI (matched exactly): listen on its port again.
    registered = saved.get("redirect_uri") if saved and client.client_id else None
    port = args.callback_port or _port_of(registered, tls is not None)
    try:
        listener = LoopbackRedirectListener(port=port, tls=tls)
    except OSError:
        if args.callback_port:
            raise CliError(f"--callback-port {port}: cannot listen on it", EX_USAGE) from None
        listener = LoopbackRedirectListener(tls=tls)
    with listener:
        try:
            if client.client_id is None or listener.redirect_uri != registered:
                client.tokens = None  # another client's tokens are not this one's
                client.register(_registration(args, listener.redirect_uri))
            _write_token_file(args.token_file, client, listener.redirect_uri)
            tokens = client.log_in(
                listener,
                open_url=lambda url: _show_authorization(url, browser=not args.no_browser),
                scope=args.scope,
                timeout=args.timeout,
            )
        except VcbadgeError as error:
            raise _refusal(error, args, args.token_file) from None
    _write_token_file(args.token_file, client, listener.redirect_uri)
    report = {
        "outcome": "SIGNED_IN",
        "base_url": client.base_url,
        "api": client.service.name,
        "client_id": client.client_id,
        "scope": tokens.scope,
        "expires_at": tokens.expires_at.isoformat(),
        "token_file": args.token_file,
    }
    if args.json:
        write_stdout_utf8(dumps_pretty(report))
    else:
        write_stdout_utf8(
            f"signed in to {client.base_url} ({client.service.name}); tokens kept in "
            f"{args.token_file}\n"
        )
    return EX_OK


def _port_of(redirect_uri: object, tls: bool) -> int:
    from urllib.parse import urlsplit

    if not isinstance(redirect_uri, str):
        return 0
    parts = urlsplit(redirect_uri)
    if parts.hostname != "127.0.0.1" or (parts.scheme == "https") != tls:
        return 0
    return parts.port or 0


def _registration(args: argparse.Namespace, redirect_uri: str) -> Any:
    """The client's metadata. The OB 3.0 rules want every URL of a client on one host: a
    command-line client's only host is the loopback listener's."""
    from urllib.parse import urlsplit

    from vcbadge import __version__
    from vcbadge.api.client import ClientRegistration

    home = f"https://{urlsplit(redirect_uri).hostname}"
    return ClientRegistration(
        client_name=args.client_name,
        client_uri=f"{home}/",
        logo_uri=f"{home}/logo.png",
        tos_uri=f"{home}/terms",
        policy_uri=f"{home}/privacy",
        software_id=SOFTWARE_ID,
        software_version=__version__,
        redirect_uris=(redirect_uri,),
        scope=args.scope,
    )


def _show_authorization(url: str, *, browser: bool) -> None:
    print(f"Open this page to sign in and allow vcbadge:\n  {url}", file=sys.stderr, flush=True)
    if browser:
        webbrowser.open(url)


# push


def run_push(args: argparse.Namespace) -> int:
    """Upsert one badge."""
    badge = read_badge_input(args.badge, limit=1024 * 1024)
    credential = _credential_of(badge.credential, args.badge)
    client = _signed_in(args)
    try:
        status = client.upsert_credential(credential)
    except VcbadgeError as error:
        _keep_tokens(args, client)
        raise _refusal(error, args, args.badge) from None
    _keep_tokens(args, client)
    created = status == 201
    if args.json:
        write_stdout_utf8(
            dumps_pretty(
                {
                    "outcome": "CREATED" if created else "REPLACED",
                    "status": status,
                    "to": f"{client.base_url}{client.service.path}/credentials",
                    "file": args.badge,
                }
            )
        )
    else:
        what = "stored as a new credential" if created else "replaced the credential it updates"
        write_stdout_utf8(f"{args.badge}: {what} at {client.base_url} (HTTP {status})\n")
    return EX_OK


def _credential_of(credential: bytes | str | None, source: str) -> dict[str, Any] | str:
    if credential is None:
        raise CliInputError(
            f"{source}: the image carries no Open Badges 3.0 credential",
            EX_DATAERR,
            code="no_credential",
            file=source,
        )
    text = credential.decode("utf-8", "replace") if isinstance(credential, bytes) else credential
    if not text.lstrip().startswith("{"):
        return text.strip()
    try:
        document = loads_strict(credential)
    except InputError as error:
        raise CliInputError(
            f"{source}: {describe_error(error)}", EX_DATAERR, code=error.code, file=source
        ) from None
    if not isinstance(document, dict):
        raise CliInputError(
            f"{source}: not a credential", EX_DATAERR, code="not_an_object", file=source
        )
    return document


# pull


def run_pull(args: argparse.Namespace) -> int:
    """Pull, verify, write the VALID ones."""
    verifier = build_verifier(args)
    client = _signed_in(args)
    output = Path(args.output)
    pulled: list[dict[str, Any]] = []
    try:
        for credential in client.get_credentials(limit=args.limit):
            result = verifier.verify(credential, at=args.at)
            entry: dict[str, Any] = {
                "id": _credential_id(result.document, credential),
                "format": "jwt" if isinstance(credential, str) else "json",
                "outcome": result.outcome.value,
                "codes": [check.code for check in result.failed],
            }
            if result.outcome is Outcome.VALID:
                entry["file"] = str(_write_credential(output, entry["id"], credential))
            pulled.append(entry)
    except VcbadgeError as error:
        _keep_tokens(args, client)
        raise _refusal(error, args, args.token_file) from None
    _keep_tokens(args, client)
    outcomes = {entry["outcome"] for entry in pulled}
    if Outcome.INVALID.value in outcomes:
        exit_code = EX_INVALID
    elif Outcome.INDETERMINATE.value in outcomes:
        exit_code = EX_INDETERMINATE
    else:
        exit_code = EX_OK
    if args.json:
        write_stdout_utf8(
            dumps_pretty(
                {
                    "outcome": "PULLED",
                    "from": f"{client.base_url}{client.service.path}/credentials",
                    "written": sum(1 for entry in pulled if "file" in entry),
                    "credentials": pulled,
                    "exit_code": exit_code,
                }
            )
        )
    else:
        for entry in pulled:
            where = entry.get("file") or f"not written ({', '.join(entry['codes'])})"
            write_stdout_utf8(f"{entry['outcome']} {entry['id']}: {where}\n")
        written = sum(1 for entry in pulled if "file" in entry)
        write_stdout_utf8(f"{len(pulled)} pulled, {written} written to {output}\n")
    return exit_code


def _credential_id(document: Any, credential: dict[str, Any] | str) -> str:
    for candidate in (document, credential):
        if isinstance(candidate, Mapping) and isinstance(candidate.get("id"), str):
            return str(candidate["id"])
    text = credential if isinstance(credential, str) else json.dumps(credential, sort_keys=True)
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def _write_credential(directory: Path, identifier: str, credential: dict[str, Any] | str) -> Path:
    """Write one credential under a name made from its id (a hash: an id chosen by whoever
    issued the credential never becomes a path)."""
    stem = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:24]
    if isinstance(credential, str):
        target, content = directory / f"{stem}.jwt", credential + "\n"
    else:
        target, content = directory / f"{stem}.json", dumps_pretty(credential)
    try:
        replace_durably(target, content)
    except OSError as error:
        raise CliInputError(
            f"{target}: cannot write: {error.strerror or error}",
            EX_CANTCREAT,
            code="cannot_write",
            file=str(target),
        ) from None
    return target
