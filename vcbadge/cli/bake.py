"""``vcbadge bake`` and ``vcbadge unbake``: put a credential into a PNG/SVG badge image, and take
it out again."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from vcbadge.bake import BakeLimits, bake, extract
from vcbadge.cli._exit import EX_CANTCREAT, EX_DATAERR, CliError
from vcbadge.cli._io import (
    STDIN,
    check_output_type,
    display_name,
    read_bytes,
    write_text,
)
from vcbadge.cli._remedies import BAKE_REMEDIES, describe_with_flags
from vcbadge.errors import BakingError

__all__ = ["register", "run_bake", "run_unbake"]

# What ``unbake`` writes, for the output name's extension (an OB 2.0 hosted URL is plain text).
_PAYLOAD_TYPES = {"json": "JSON", "jwt": "JWT", "url": "text"}


def register(subparsers: Any) -> None:
    """Add the ``bake`` and ``unbake`` sub-commands."""
    baker = subparsers.add_parser(
        "bake",
        help="bake a credential into a PNG or SVG badge image",
        description=(
            "Bake an Open Badges 3.0 credential (a JSON file, or a compact VC-JWT) into a PNG "
            "(iTXt chunk 'openbadgecredential') or SVG (<openbadges:credential>) image, keeping "
            "the rest of the image as it is. An image that already carries a credential is "
            "refused unless --replace is given. Exit status: 0 baked, 65 the image or "
            "credential cannot be used, 66 an input is missing, 73 OUT cannot be written or "
            "exists (without --force)."
        ),
    )
    baker.add_argument("image", metavar="IMAGE", help="the badge image (PNG or SVG)")
    baker.add_argument(
        "credential", metavar="CREDENTIAL", help="the credential file (JSON or VC-JWT), or -"
    )
    baker.add_argument("-o", "--output", metavar="OUT", required=True, help="the baked image")
    baker.add_argument(
        "--replace", action="store_true", help="replace a credential the image already carries"
    )
    baker.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    baker.set_defaults(handler=run_bake)

    unbaker = subparsers.add_parser(
        "unbake",
        help="print the credential baked into a PNG or SVG badge image",
        description=(
            "Print (or write to OUT) the credential baked into a PNG or SVG badge image, exactly "
            "as baked: JSON or a compact VC-JWT. An Open Badges 2.0 assertion is printed too, "
            "with a note on standard error that vcbadge verifies Open Badges 3.0 only. Exit "
            "status: 0 found, 65 the image is broken or carries no credential (or two), "
            "66 IMAGE is missing, 73 OUT cannot be written."
        ),
    )
    unbaker.add_argument("image", metavar="IMAGE", help="the badge image (PNG or SVG), or -")
    unbaker.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    unbaker.set_defaults(handler=run_unbake)


def _baking_failed(source: str, error: BakingError) -> CliError:
    described = describe_with_flags(error, BAKE_REMEDIES)
    return CliError(f"{display_name(source)}: {described}", EX_DATAERR)


def _write_new(target: str, data: bytes, *, force: bool) -> Path:
    path = Path(target)
    try:
        with open(path, "wb" if force else "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise CliError(f"{target}: exists; give --force to overwrite it", EX_CANTCREAT) from None
    except OSError as exc:
        raise CliError(f"{target}: cannot write: {exc.strerror or exc}", EX_CANTCREAT) from None
    return Path(os.path.abspath(path))


def run_bake(args: argparse.Namespace) -> int:
    """Bake CREDENTIAL into IMAGE and write OUT."""
    limits = BakeLimits()
    if args.image == STDIN and args.credential == STDIN:
        raise CliError("IMAGE and CREDENTIAL cannot both be standard input", EX_DATAERR)
    image = read_bytes(args.image, limit=limits.max_image_bytes)
    credential = read_bytes(args.credential, limit=limits.max_payload_bytes)
    try:
        baked = bake(image, credential, replace=args.replace, limits=limits)
    except BakingError as error:
        source = args.credential if error.code == "invalid_payload" else args.image
        raise _baking_failed(source, error) from None
    found = extract(baked, limits=limits)
    check_output_type(args.output, found.image.upper())
    written = _write_new(args.output, baked, force=args.force)
    print(f"baked into {written}: {found.describe()}")
    return 0


def run_unbake(args: argparse.Namespace) -> int:
    """Print the credential baked into IMAGE (or write it to OUT)."""
    limits = BakeLimits()
    image = read_bytes(args.image, limit=limits.max_image_bytes)
    try:
        found = extract(image, limits=limits)
    except BakingError as error:
        raise _baking_failed(args.image, error) from None
    if found.version != "3.0":
        print(
            f"vcbadge: note: {display_name(args.image)} carries an {found.describe()}; "
            "vcbadge verifies Open Badges 3.0 credentials only",
            file=sys.stderr,
        )
    write_text(found.payload + "\n", args.output, kind=_PAYLOAD_TYPES[found.format])
    return 0
