"""``vcbadge keygen``: make a signing key and print its did:key and verification method id."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vcbadge.cli._exit import EX_CANTCREAT, EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import check_output_type
from vcbadge.cli.did_document import did_web_for, where_published
from vcbadge.errors import KeyFormatError
from vcbadge.keys import EcKey, Ed25519Key, RsaKey, save_key
from vcbadge.keys.keyfile import SigningKey

__all__ = ["register", "run"]


@dataclass(frozen=True)
class _KeyType:
    """One ``--type`` choice: how many seed bytes it takes and how to make the key."""

    label: str
    seed_bytes: int | None  # None: the type cannot be derived from a seed
    make: Callable[[bytes | None, str | None], SigningKey]


def _ed25519(seed: bytes | None, controller: str | None) -> SigningKey:
    if seed is None:
        return Ed25519Key.generate(controller=controller)
    return Ed25519Key.from_seed(seed, controller=controller)


def _ec(curve: str) -> Callable[[bytes | None, str | None], SigningKey]:
    def make(seed: bytes | None, controller: str | None) -> SigningKey:
        if seed is None:
            return EcKey.generate(curve, controller=controller)
        return EcKey.from_private_scalar(seed, curve, controller=controller)

    return make


def _rsa(seed: bytes | None, controller: str | None) -> SigningKey:
    # RSA keys have no seed form (refused before this is called); 2048 bits is RS256's minimum.
    return RsaKey.generate(controller=controller)


# Another key type is one more entry here (its --seed length, or None if it has no seed form).
_KEY_TYPES: dict[str, _KeyType] = {
    "ed25519": _KeyType("Ed25519", 32, _ed25519),
    "p256": _KeyType("P-256", 32, _ec("P-256")),
    "p384": _KeyType("P-384", 48, _ec("P-384")),
    "rsa": _KeyType("RSA", None, _rsa),
}


def _seed(value: str) -> bytes:
    cleaned = value.strip()
    try:
        seed = bytes.fromhex(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError("the seed must be hexadecimal digits") from None
    if not seed:
        raise argparse.ArgumentTypeError("the seed must not be empty")
    return seed


def register(subparsers: Any) -> None:
    """Add the ``keygen`` sub-command."""
    parser = subparsers.add_parser(
        "keygen",
        help="generate a signing key; print its did:key and verification method id",
        description=(
            "Generate a signing key (Ed25519 by default; P-256 or P-384 with --type, for the "
            "ecdsa-* suites). Prints two lines on standard output: the did:key "
            "of the key and the id of its verification method (what proofs name). With -o the "
            "key, including its private part, is written to a JSON key file readable only by "
            "you (mode 0600); an existing file is never replaced unless --force is given. "
            "Without -o nothing is written: only the public identifiers are printed and a note "
            "on standard error says the private key was not saved (useful with --seed, which "
            "always gives the same key)."
        ),
    )
    parser.add_argument(
        "--type",
        choices=list(_KEY_TYPES),
        default="ed25519",
        help=(
            "key type (default: ed25519, for eddsa-rdfc-2022, eddsa-jcs-2022 and "
            "Ed25519Signature2020; p256 or p384 for ecdsa-rdfc-2019 and ecdsa-jcs-2019; rsa "
            "(2048 bits, its own did:jwk) for VC-JWT RS256 only)"
        ),
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        metavar="HEX",
        help=(
            "derive the key from this seed instead of generating one: 32 bytes (64 hex digits) "
            "for ed25519 (the RFC 8032 private key) and p256, 48 bytes (96 hex digits) for p384 "
            "(the big-endian private scalar); "
            "for tests and reproducible examples only: a seed on the command line is visible "
            "to other local users and in shell history"
        ),
    )
    identity = parser.add_mutually_exclusive_group()
    identity.add_argument(
        "--did-web",
        type=did_web_for,
        metavar="HOST[/PATH]",
        help=(
            "the key belongs to the did:web of this host (and path): badges.example.edu is "
            "did:web:badges.example.edu; then publish its document (vcbadge did-document)"
        ),
    )
    identity.add_argument(
        "--controller",
        metavar="DID_OR_URL",
        help=(
            "the identity that controls the key (e.g. did:web:example.edu or an HTTPS URL); "
            "default: the key's own did:key. The verification method becomes "
            "CONTROLLER#<publicKeyMultibase>"
        ),
    )
    parser.add_argument("-o", "--output", metavar="KEY.json", help="write the key file here")
    parser.add_argument(
        "--force", action="store_true", help="replace an existing key file given with -o"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Create the key, print its identifiers and save it when ``-o`` is given."""
    key_type = _KEY_TYPES[args.type]
    if args.seed is not None and len(args.seed) != key_type.seed_bytes:
        if key_type.seed_bytes is None:
            raise CliError(f"--seed: a {key_type.label} key cannot be made from a seed", EX_USAGE)
        raise CliError(
            f"--seed: a {key_type.label} seed must be {2 * key_type.seed_bytes} hexadecimal "
            f"digits ({key_type.seed_bytes} bytes), got {2 * len(args.seed)}",
            EX_USAGE,
        )
    controller = args.did_web if args.did_web is not None else args.controller
    try:
        key = key_type.make(args.seed, controller)
    except KeyFormatError as error:
        option = "--seed" if args.seed is not None and "scalar" in error.message else "--controller"
        raise CliError(f"{option}: {error.message}", EX_USAGE) from None
    if args.output is not None:
        check_output_type(args.output, "JSON")  # a key file is JSON
        _save(key, args.output, force=args.force)
    print(key.did)
    print(key.verification_method)
    if args.output is not None:
        where = os.path.abspath(args.output)
        print(f"vcbadge: wrote the key to {where} (mode 0600); keep it secret", file=sys.stderr)
        if args.did_web is not None or (controller or "").startswith("https://"):
            print(
                f"vcbadge: next, write its public document with `vcbadge did-document "
                f"{args.output} -o did.json` and {where_published(key.controller)}",
                file=sys.stderr,
            )
    else:
        print(
            "vcbadge: note: the private key was not saved (give -o KEY.json to save it)",
            file=sys.stderr,
        )
    return EX_OK


def _save(key: SigningKey, target: str, *, force: bool) -> None:
    if os.path.isdir(target):
        raise CliError(f"{target}: is a directory; give a file name for the key", EX_CANTCREAT)
    try:
        save_key(key, target, overwrite=force)
    except FileExistsError:
        raise CliError(
            f"{target}: already exists; refusing to replace a key file (use --force)",
            EX_CANTCREAT,
        ) from None
    except OSError as exc:
        raise CliError(
            f"{target}: cannot write the key: {exc.strerror or exc}", EX_CANTCREAT
        ) from None
