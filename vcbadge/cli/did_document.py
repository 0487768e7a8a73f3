"""``vcbadge did-document``: the public document an issuer publishes for its key (``did.json``
for a did:web issuer, or the controller document at its HTTPS URL), and a JWKS for JWT
consumers.

    vcbadge did-document KEY.json [--did-web HOST[/PATH]] [-o did.json] [--jwks jwks.json]

Only public key material is ever written: the key file's secret is read to know the key and
never leaves it.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from vcbadge.cli._exit import EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import dumps_pretty, load_key_file, refuse_overwriting_key, write_text
from vcbadge.errors import DIDResolutionError
from vcbadge.keys.controller_document import DID_CONTEXT, controller_document
from vcbadge.keys.keyfile import SigningKey
from vcbadge.keys.public_keys import private_members_in_document
from vcbadge.keys.rsa import RsaKey
from vcbadge.proofs.jws import jose_algorithm_for
from vcbadge.resolve.did_web import did_web_to_url

__all__ = ["did_web_for", "jwk_set", "public_document", "register", "run"]

_JWK_CONTEXT = "https://w3id.org/security/jwk/v1"


def did_web_for(location: str) -> str:
    """The did:web DID of ``HOST[:PORT][/PATH]``: ``badges.example.edu`` is
    ``did:web:badges.example.edu`` (document at ``/.well-known/did.json``),
    ``example.edu/issuers/eng`` is ``did:web:example.edu:issuers:eng`` (at
    ``/issuers/eng/did.json``), a port is written ``%3A``.

    Raises:
        argparse.ArgumentTypeError: not a host name (with optional port and path) that makes
            a well-formed did:web (the method's own rules: a DNS name, no IP address...).
    """
    text = location.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    host, _, path = text.strip("/").partition("/")
    if not host:
        raise argparse.ArgumentTypeError(f"{location!r}: give a host name, e.g. badges.example.edu")
    segments = [segment for segment in path.split("/") if segment]
    did = "did:web:" + ":".join([host.replace(":", "%3A"), *segments])
    try:
        did_web_to_url(did)
    except DIDResolutionError as error:
        raise argparse.ArgumentTypeError(f"{location!r}: {error.message}") from None
    return did


def public_document(key: SigningKey) -> dict[str, Any]:
    """The DID / controller document of ``key``'s controller, listing the key's public part
    for ``assertionMethod`` (and ``authentication``, for presentations): a ``Multikey``
    method for Ed25519 and P-256/P-384 keys, a ``JsonWebKey`` method for RSA."""
    if isinstance(key, RsaKey):
        method = key.to_verification_method()
        document: dict[str, Any] = {
            "@context": [DID_CONTEXT, _JWK_CONTEXT],
            "id": key.controller,
            "verificationMethod": [method],
            "assertionMethod": [method["id"]],
            "authentication": [method["id"]],
        }
    else:
        document = controller_document(
            key.public_key(), purposes=("assertionMethod", "authentication")
        )
    # What is published must never carry the secret, whatever a key class returns.
    if private_members_in_document(document):
        raise AssertionError("a public document would carry private key material")
    return document


def jwk_set(key: SigningKey) -> dict[str, Any]:
    """A JWK Set with ``key``'s public JWK, its ``kid`` the verification method id (what a
    VC-JWT header names), ``alg`` the key's JWS algorithm and ``use`` ``sig``."""
    jwk = {
        **key.public_key().to_jwk(),
        "kid": key.verification_method,
        "alg": jose_algorithm_for(key.algorithm),
        "use": "sig",
    }
    return {"keys": [jwk]}


def where_published(controller: str) -> str:
    """A sentence saying where the document of ``controller`` must be served."""
    if controller.startswith("did:web:"):
        return f"serve it at {did_web_to_url(controller)} (Content-Type: application/json)"
    if controller.startswith("https://"):
        return f"serve it at {controller} (Content-Type: application/json)"
    method = ":".join(controller.split(":")[:2])
    return f"{method} identifiers carry their key: verifiers need no published document"


def register(subparsers: Any) -> None:
    """Add the ``did-document`` sub-command."""
    parser = subparsers.add_parser(
        "did-document",
        help="write the public DID document (did.json) of a key file, and a JWKS",
        description=(
            "Write the document an issuer publishes for the key in KEY.json: its did.json for "
            "a did:web controller (make the key with vcbadge keygen --did-web HOST), or the "
            "controller document for an https controller. The key is listed for "
            "assertionMethod and authentication (Multikey; JsonWebKey for RSA). Only public "
            "key material is written. With --jwks also a JWK Set for consumers of VC-JWTs."
        ),
    )
    parser.add_argument("key", metavar="KEY.json", help="key file written by vcbadge keygen")
    parser.add_argument(
        "--did-web",
        type=did_web_for,
        metavar="HOST[/PATH]",
        help="check that the key's controller is this did:web (refused otherwise)",
    )
    parser.add_argument(
        "-o", "--output", metavar="did.json", help="write here instead of standard output"
    )
    parser.add_argument("--jwks", metavar="FILE", help="also write a JWK Set (jwks.json) here")
    parser.add_argument(
        "--force", action="store_true", help="let -o or --jwks replace a file holding a key"
    )
    parser.add_argument("--json", action="store_true", help="errors as JSON on standard output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the document (and the JWKS) of the key's controller."""
    key = load_key_file(args.key)
    if args.did_web is not None and key.controller != args.did_web:
        raise CliError(
            f"{args.key}: its controller is {key.controller}, not {args.did_web}; make a key "
            f"for it with vcbadge keygen --did-web (or --controller {args.did_web})",
            EX_USAGE,
        )
    # Every output is checked before anything is written: a refusal leaves nothing half done.
    for target in (args.output, args.jwks):
        if target is not None:
            refuse_overwriting_key(target, force=args.force)
    document = public_document(key)
    write_text(dumps_pretty(document), args.output, force=args.force, kind="JSON")
    if args.jwks is not None:
        write_text(
            json.dumps(jwk_set(key), indent=2) + "\n", args.jwks, force=args.force, kind="JSON"
        )
    if args.output is not None:
        print(f"vcbadge: wrote {args.output}: {where_published(key.controller)}", file=sys.stderr)
    return EX_OK
