"""The options that say how keys are found and credentials judged (``--offline``, ``--doc``,
``--trust``, ``--at``), shared by ``verify``, ``show`` and ``resolve`` so that each command
resolves an identifier exactly as the others do."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.cli._exit import EX_USAGE, CliError
from vcbadge.cli._io import read_public_document
from vcbadge.protocols import Resolver
from vcbadge.resolve import offline_resolver
from vcbadge.verify import Policy, Verifier

__all__ = [
    "add_resolution_options",
    "add_verification_options",
    "build_resolver",
    "build_verifier",
]


def _moment(value: str) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 date-time with a time zone (e.g. 2025-01-31T12:00:00Z)"
        ) from None


def _document_spec(value: str) -> tuple[str, str]:
    identifier, separator, path = value.rpartition("=")
    if not separator or not identifier or not path:
        raise argparse.ArgumentTypeError(f"expected URL_OR_DID=FILE, got {value!r}")
    if ":" not in identifier:
        raise argparse.ArgumentTypeError(f"{identifier!r} is not a DID or an absolute URL")
    if "#" in identifier:
        raise argparse.ArgumentTypeError(
            f"give the DID or URL of the document without a #fragment: {identifier!r}"
        )
    return identifier, path


def _add_offline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never use the network: only did:key, did:jwk and --doc documents",
    )


def _add_doc(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--doc",
        action="append",
        type=_document_spec,
        default=[],
        metavar="URL_OR_DID=FILE",
        help=(
            "serve the JSON document in FILE (a DID document or controller document) for that "
            "DID or URL, ahead of any other resolution (repeatable)"
        ),
    )


def add_resolution_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--offline`` and ``--doc``, which :func:`build_resolver` reads."""
    _add_offline(parser)
    _add_doc(parser)


def add_verification_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--offline``, ``--trust``, ``--at``, ``--allow-example-contexts`` and ``--doc``,
    which :func:`build_verifier` reads (``--at`` is left for the command to pass to the
    verifier)."""
    _add_offline(parser)
    parser.add_argument(
        "--trust",
        action="append",
        metavar="ISSUER",
        help="accept only credentials from this issuer id (repeat for several)",
    )
    parser.add_argument(
        "--at",
        type=_moment,
        metavar="ISO",
        help="verify as of this moment (ISO 8601 with a time zone) instead of now",
    )
    parser.add_argument(
        "--allow-example-contexts",
        action="store_true",
        help=(
            "accept credentials that use the W3C examples contexts or the undefined-terms "
            "context (for tests and demos: the terms they define belong to no real vocabulary, "
            "so they are refused by default with example_context)"
        ),
    )
    _add_doc(parser)


def _documents(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for identifier, path in args.doc:
        if identifier in documents:
            raise CliError(f"--doc: {identifier} is given twice", EX_USAGE)
        documents[identifier] = read_public_document(path, what="a document given with --doc")
    return documents


def build_resolver(args: argparse.Namespace) -> Resolver:
    """The resolver the options of :func:`add_resolution_options` ask for."""
    documents = _documents(args)
    if args.offline:
        return offline_resolver(documents)
    # Imported here so that an offline command never imports the network stack.
    from vcbadge.defaults import default_resolver

    return default_resolver(documents=documents)


def build_verifier(args: argparse.Namespace) -> Verifier:
    """The verifier the options of :func:`add_verification_options` ask for."""
    policy = Policy.default()
    if args.trust:
        policy = policy.replace(trusted_issuers=frozenset(args.trust))
    if args.allow_example_contexts:
        policy = policy.replace(allow_example_contexts=True)
    documents = _documents(args)
    if args.offline:
        return Verifier.offline(documents=documents, policy=policy)
    return Verifier.online(documents=documents, policy=policy)
