"""``vcbadge issue``: sign an unsigned credential with a key file."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import (
    describe_error,
    display_name,
    dumps_pretty,
    load_key_file,
    read_json_object,
    write_text,
)
from vcbadge.errors import VcbadgeError
from vcbadge.issue import Issuer
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys.keyfile import SigningKey
from vcbadge.model import Profile
from vcbadge.proofs.registry import default_registry

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``issue`` sub-command."""
    # Legacy names (eddsa-2022) are verified, never issued.
    suites = sorted(name for name, suite in default_registry().items() if not suite.legacy)
    parser = subparsers.add_parser(
        "issue",
        help="sign an unsigned credential (JSON) with a key file",
        description=(
            "Sign the unsigned credential IN (a JSON file, or - for standard input) with the key "
            "in KEY.json and write the signed credential as JSON (2-space indent). When IN has "
            "no issuer, the issuer becomes the key's controller: "
            '{"id": CONTROLLER, "type": ["Profile"]}, named with --issuer-name. When IN names '
            "an issuer, it must be the key's controller. validFrom defaults to now."
        ),
    )
    parser.add_argument("input", metavar="IN.json", help="the unsigned credential, or -")
    parser.add_argument(
        "--key", required=True, metavar="KEY.json", help="key file written by vcbadge keygen"
    )
    parser.add_argument(
        "--suite",
        choices=suites,
        default="eddsa-rdfc-2022",
        help=(
            "Data Integrity proof format (default: eddsa-rdfc-2022). With an Ed25519 key: "
            "eddsa-rdfc-2022, eddsa-jcs-2022 or Ed25519Signature2020 (DCC wallets, Open edX); "
            "with a P-256 or P-384 key: ecdsa-rdfc-2019 or ecdsa-jcs-2019"
        ),
    )
    parser.add_argument(
        "--issuer-name",
        metavar="NAME",
        help="the issuer's name, for a credential that has no issuer yet",
    )
    parser.add_argument(
        "--format",
        choices=["di", "jwt", "jose"],
        default="di",
        help=(
            "di: a JSON credential with a Data Integrity proof (default); jwt: an OB 3.0 VC-JWT "
            "(compact JWS text, typ JWT, the credential's members at the top level of the payload; "
            "a VC 1.1 credential in a 'vc' claim); jose: a VC-JOSE-COSE enveloped credential "
            "(typ vc+jwt, payload = the VC 2.0 credential)"
        ),
    )
    parser.add_argument(
        "--alg",
        choices=["EdDSA", "ES256", "ES384", "RS256"],
        help="with --format jwt/jose: the JWS algorithm, which must be the key's (checked)",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )
    parser.set_defaults(handler=run)


def _issue_jose(args: argparse.Namespace, document: dict[str, Any], key: SigningKey) -> int:
    profile = Profile(id=key.controller, name=args.issuer_name)
    try:
        issuer = JwtIssuer(profile, key=key)
        if args.format == "jwt":
            token = issuer.issue_jwt(document, alg=args.alg)
        else:
            token = issuer.issue_enveloped(document, alg=args.alg)
    except VcbadgeError as error:
        raise CliError(
            f"{display_name(args.input)}: cannot sign: {describe_error(error)}", EX_DATAERR
        ) from None
    write_text(token + "\n", args.output)
    return EX_OK


def run(args: argparse.Namespace) -> int:
    """Read the credential and the key, sign, and write the signed credential."""
    document = read_json_object(args.input, what="a credential (a JSON object)")
    if args.issuer_name is not None and document.get("issuer") is not None:
        issuer = document["issuer"]
        named = issuer.get("id") if isinstance(issuer, Mapping) else issuer
        raise CliError(
            f"--issuer-name is only for a credential without an issuer; "
            f"{display_name(args.input)} already names the issuer {named!r}",
            EX_USAGE,
        )
    key = load_key_file(args.key)
    if args.format != "di":
        return _issue_jose(args, document, key)
    if args.alg is not None:
        raise CliError("--alg is for --format jwt or jose", EX_USAGE)
    usable = default_registry()[args.suite].key_algorithms
    if key.algorithm not in usable:
        raise CliError(
            f"--suite {args.suite} signs with {' or '.join(sorted(usable))} keys; {args.key} "
            f"holds a {key.algorithm} key (make one with vcbadge keygen --type "
            f"{'ed25519' if 'Ed25519' in usable else 'p256'})",
            EX_USAGE,
        )
    profile = Profile(id=key.controller, name=args.issuer_name)
    try:
        issuer = Issuer(profile, key=key, suite=args.suite)
        signed = issuer.issue(document)
    except VcbadgeError as error:
        raise CliError(
            f"{display_name(args.input)}: cannot sign: {describe_error(error)}", EX_DATAERR
        ) from None
    write_text(dumps_pretty(signed), args.output)
    return EX_OK
