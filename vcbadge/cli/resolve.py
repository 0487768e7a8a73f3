"""``vcbadge resolve``: show the DID document, controller document or key behind an identifier.

Exit status: 0 resolved; 2 could not be resolved (not found, network failure, offline,
unsupported method: the message says which, with its code); 65 the identifier is malformed
(``invalid_did``); 64 usage error.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_INDETERMINATE, CliError
from vcbadge.cli._io import CliInputError, describe_error, dumps_pretty, write_stdout_utf8
from vcbadge.cli._verifier import add_resolution_options, build_resolver
from vcbadge.errors import ResolutionError, UnsupportedError, VcbadgeError
from vcbadge.keys.public_keys import private_members_in_document

__all__ = ["register", "run"]

_RELATIONSHIPS = (
    "assertionMethod",
    "authentication",
    "capabilityInvocation",
    "capabilityDelegation",
    "keyAgreement",
)


def register(subparsers: Any) -> None:
    """Add the ``resolve`` sub-command."""
    parser = subparsers.add_parser(
        "resolve",
        help="show the DID or controller document (or key) behind a DID or URL",
        description=(
            "Resolve a DID (did:key, did:jwk, did:web) or an https URL to its DID document, "
            "controller document or key document, and list its verification methods and what "
            "each is authorized for. With a #fragment, show that verification method. Online "
            "by default, through the same guarded transport as 'vcbadge verify' (HTTPS only, "
            "timeouts, size cap, no private or loopback addresses). Exit status: 0 resolved, "
            "2 could not be resolved, 65 malformed identifier, 64 usage error."
        ),
    )
    parser.add_argument("identifier", metavar="DID_OR_URL", help="a DID, DID URL or https URL")
    parser.add_argument("--json", action="store_true", help="print the document as JSON")
    add_resolution_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Resolve and print; the exit status says whether it worked."""
    identifier: str = args.identifier
    if ":" not in identifier:
        raise CliError(f"{identifier!r} is not a DID or an absolute URL", EX_DATAERR)
    resolver = build_resolver(args)
    base, _, fragment = identifier.partition("#")
    try:
        document = resolver.resolve(base)
        shown = _method(document, identifier) if fragment else document
    except (ResolutionError, UnsupportedError) as error:
        message = f"cannot resolve {identifier}: {describe_error(error)}"
        raise CliError(message, _exit(error)) from None
    except VcbadgeError as error:
        message = f"cannot resolve {identifier}: {describe_error(error)}"
        raise CliError(message, EX_DATAERR) from None
    _refuse_secrets(identifier, document, args)
    if args.json:
        write_stdout_utf8(dumps_pretty(shown))
    else:
        write_stdout_utf8(_summary(identifier, document, shown))
    return 0


def _refuse_secrets(identifier: str, document: Mapping[str, Any], args: argparse.Namespace) -> None:
    """Never print a document that carries private key material (a key file given with --doc,
    or a published document leaking its issuer's secret): say where, not what."""
    secrets = private_members_in_document(document)
    if not secrets:
        return
    given = dict(args.doc).get(identifier.partition("#")[0])
    source = f"the document given for it ({given})" if given else "its published document"
    raise CliInputError(
        f"cannot show {identifier}: {source} holds private key material at {secrets[0]} "
        "(a key file?); a DID or controller document publishes public keys only "
        "[private_key_in_document]",
        EX_DATAERR,
        code="private_key_in_document",
        file=given or identifier,
    )


def _exit(error: VcbadgeError) -> int:
    # A malformed identifier is bad input; anything else means "could not find out".
    return EX_DATAERR if error.code == "invalid_did" else EX_INDETERMINATE


def _absolute(reference: str, document_id: str) -> str:
    return document_id + reference if reference.startswith("#") else reference


def _methods(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    document_id = str(document.get("id", ""))
    found: dict[str, Mapping[str, Any]] = {}
    if document.get("controller") and isinstance(document.get("type"), str):
        found[document_id] = document  # a key document: the document is the method
    for member in ("verificationMethod", *_RELATIONSHIPS):
        entries = document.get(member)
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                found.setdefault(_absolute(entry["id"], document_id), entry)
    return list(found.values())


def _method(document: Mapping[str, Any], method_id: str) -> Mapping[str, Any]:
    document_id = str(document.get("id", ""))
    for method in _methods(document):
        if _absolute(str(method.get("id")), document_id) == method_id:
            return method
    raise ResolutionError(
        f"the document has no verification method {method_id}",
        code="verification_method_not_found",
    )


def _purposes(document: Mapping[str, Any], method_id: str) -> list[str]:
    document_id = str(document.get("id", ""))
    purposes = []
    for relationship in _RELATIONSHIPS:
        entries = document.get(relationship)
        for entry in entries if isinstance(entries, list) else [entries]:
            reference = entry.get("id") if isinstance(entry, Mapping) else entry
            if isinstance(reference, str) and _absolute(reference, document_id) == method_id:
                purposes.append(relationship)
                break
    return purposes


def _summary(identifier: str, document: Mapping[str, Any], shown: Mapping[str, Any]) -> str:
    document_id = str(document.get("id", ""))
    lines = [f"{identifier}", f"  id: {document_id}"]
    if document.get("controller"):
        lines.append(f"  controller: {document['controller']}")
    methods = [shown] if shown is not document else _methods(document)
    if not methods:
        lines.append("  no verification methods")
    for method in methods:
        method_id = _absolute(str(method.get("id")), document_id)
        purposes = _purposes(document, method_id)
        lines.append(f"  {method_id}")
        lines.append(f"    type: {method.get('type')}")
        lines.append(f"    authorized for: {', '.join(purposes) or 'nothing'}")
    return "\n".join(lines) + "\n"
