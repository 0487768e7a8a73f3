"""``vcbadge keygen``: make a signing key and print its did:key and verification method id."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from vcbadge.cli._exit import EX_CANTCREAT, EX_OK, EX_USAGE, CliError
from vcbadge.errors import KeyFormatError
from vcbadge.keys import Ed25519Key, save_key

__all__ = ["register", "run"]

_SEED_HEX_DIGITS = 64


def _seed(value: str) -> bytes:
    cleaned = value.strip()
    if len(cleaned) != _SEED_HEX_DIGITS:
        raise argparse.ArgumentTypeError(
            f"the seed must be {_SEED_HEX_DIGITS} hexadecimal digits (32 bytes), "
            f"got {len(cleaned)} characters"
        )
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError("the seed must be hexadecimal digits") from None


def register(subparsers: Any) -> None:
    """Add the ``keygen`` sub-command."""
    parser = subparsers.add_parser(
        "keygen",
        help="generate a signing key; print its did:key and verification method id",
        description=(
            "Generate an Ed25519 signing key. Prints two lines on standard output: the did:key "
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
        choices=["ed25519"],
        default="ed25519",
        help="key type (default: ed25519; P-256/P-384 come later)",
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        metavar="HEX",
        help=(
            "derive the key from this 32-byte seed (64 hex digits) instead of generating one; "
            "for tests and reproducible examples only: a seed on the command line is visible "
            "to other local users and in shell history"
        ),
    )
    parser.add_argument(
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
    try:
        if args.seed is not None:
            key = Ed25519Key.from_seed(args.seed, controller=args.controller)
        else:
            key = Ed25519Key.generate(controller=args.controller)
    except KeyFormatError as error:
        raise CliError(f"--controller: {error.message}", EX_USAGE) from None
    if args.output is not None:
        _save(key, args.output, force=args.force)
    print(key.did)
    print(key.verification_method)
    if args.output is not None:
        where = os.path.abspath(args.output)
        print(f"vcbadge: wrote the key to {where} (mode 0600); keep it secret", file=sys.stderr)
    else:
        print(
            "vcbadge: note: the private key was not saved (give -o KEY.json to save it)",
            file=sys.stderr,
        )
    return EX_OK


def _save(key: Ed25519Key, target: str, *, force: bool) -> None:
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
