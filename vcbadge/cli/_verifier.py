"""The options that say how keys are found and credentials judged (``--offline``, ``--doc``,
``--trust``, ``--trust-registry``, ``--at``), shared by ``verify``, ``show`` and ``resolve`` so
that each command resolves an identifier exactly as the others do."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.cli._exit import EX_DATAERR, EX_NOINPUT, EX_USAGE, CliError
from vcbadge.cli._io import CliInputError, describe_error, read_public_document
from vcbadge.errors import InputError
from vcbadge.protocols import Resolver, TrustRegistry
from vcbadge.resolve import offline_resolver
from vcbadge.trust import load_registry_file
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


# KIND= prefixes of --trust-registry (vcbadge.defaults.TRUST_REGISTRY_KINDS, which this module
# must not import: it would import the network stack for offline commands).
_REGISTRY_KINDS = ("list", "openid-federation")


def _registry_spec(value: str) -> tuple[str, str]:
    kind, separator, location = value.partition("=")
    if separator and kind in _REGISTRY_KINDS:
        if not location:
            raise argparse.ArgumentTypeError(f"{kind}= needs a file or URL")
        return kind, location
    if not value:
        raise argparse.ArgumentTypeError("expected [KIND=]FILE_OR_URL")
    return "list", value


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
        "--trust-registry",
        action="append",
        type=_registry_spec,
        default=[],
        metavar="[KIND=]FILE_OR_URL",
        help=(
            "a registry of issuers you rely on, which makes the issuer trust answer 'known' "
            "for the issuers it lists: a JSON file or https: URL of a vcbadge allow-list or a "
            "Digital Credentials Consortium registry (KIND list, the default), or "
            "openid-federation=URL of an OpenID Federation trust anchor. Repeatable; asked in "
            "order, most authoritative first. It never changes VALID/INVALID/INDETERMINATE "
            "(--trust does)"
        ),
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


def _registries(args: argparse.Namespace) -> list[TrustRegistry]:
    registries: list[TrustRegistry] = []
    for kind, location in args.trust_registry:
        remote = kind != "list" or location.lower().startswith(("https:", "http:"))
        if remote and args.offline:
            raise CliError(
                f"--trust-registry {location}: fetching a registry needs the network "
                "(without --offline, or give a saved copy of the registry as a file)",
                EX_USAGE,
            )
        if remote:
            # Imported here so that an offline command never imports the network stack.
            from vcbadge.defaults import trust_registry

            try:
                registries.append(trust_registry(location, kind=kind))
            except ValueError as error:
                raise CliError(f"--trust-registry {location}: {error}", EX_USAGE) from None
            continue
        try:
            registries.append(load_registry_file(location))
        except FileNotFoundError:
            raise CliError(f"--trust-registry {location}: no such file", EX_NOINPUT) from None
        except OSError as error:
            raise CliError(f"--trust-registry {location}: {error.strerror}", EX_NOINPUT) from None
        except InputError as error:
            raise CliInputError(
                f"--trust-registry {location}: {describe_error(error)}",
                EX_DATAERR,
                code=error.code,
                file=location,
            ) from None
    return registries


def build_verifier(args: argparse.Namespace) -> Verifier:
    """The verifier the options of :func:`add_verification_options` ask for."""
    policy = Policy.default()
    if args.trust:
        policy = policy.replace(trusted_issuers=frozenset(args.trust))
    if args.allow_example_contexts:
        policy = policy.replace(allow_example_contexts=True)
    documents = _documents(args)
    registries = _registries(args)
    if args.offline:
        return Verifier.offline(documents=documents, policy=policy, trust_registries=registries)
    return Verifier.online(documents=documents, policy=policy, trust_registries=registries)
