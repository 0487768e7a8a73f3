"""Finding a verification method in its controller document and checking what it may do.

Pure logic over documents a ``Resolver`` returns: the method must be listed by its controller
under the verification relationship the proof claims (``assertionMethod`` for credentials), and
the method's ``controller`` must be the document that lists it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vcbadge.errors import (
    DIDResolutionError,
    InvalidVerificationMethod,
    ProofPurposeError,
    VcbadgeError,
)
from vcbadge.protocols import Resolver

__all__ = ["AuthorizedMethod", "find_authorized_method"]


@dataclass(frozen=True)
class AuthorizedMethod:
    """A verification method its controller authorizes for the requested purpose."""

    method: Mapping[str, Any]
    controller: str


def find_authorized_method(
    method_id: str, purpose: str, resolver: Resolver, *, path: str
) -> AuthorizedMethod:
    """Resolve ``method_id`` and check that its controller authorizes it for ``purpose``.

    Raises ``ProofPurposeError`` (INVALID) when the controller does not list the method for that
    purpose, and ``ResolutionError`` subclasses (INDETERMINATE) when a document cannot be had.
    """
    if ":" not in method_id:
        raise InvalidVerificationMethod(
            f"verificationMethod {method_id!r} is not an absolute URL or DID URL",
            code="invalid_verification_method",
            path=path,
        )
    base = method_id.split("#", 1)[0]
    document = _resolve(resolver, base, path=path)
    if document.get("id") == method_id and "controller" in document:
        # The URL names the key itself (a Multikey document at an HTTPS URL): its controller
        # document must still list it for the purpose.
        method: Mapping[str, Any] = document
        controller = method.get("controller")
        if not isinstance(controller, str):
            raise ProofPurposeError("the key's 'controller' is not a string", path=path)
        controller_document = _resolve(resolver, controller, path=path)
        _require_id(controller_document, controller, path=path)
    else:
        if method_id.startswith("did:key:") and "#" not in method_id:
            # A did:key is its own single key, so the bare DID names exactly one method
            # (wallets and the 1EdTech validator write it so); other DIDs need the fragment.
            method_id = f"{method_id}#{method_id.removeprefix('did:key:')}"
        _require_id(document, base, path=path)
        controller_document = document
        found = _find_method(document, method_id)
        if found is None:
            raise ProofPurposeError(
                f"{base} does not contain the verification method {method_id}",
                code="verification_method_not_found",
                path=path,
            )
        method = found
        controller = method.get("controller")
        if controller != base:
            raise ProofPurposeError(
                f"verification method {method_id} names controller {controller!r} but is "
                f"published by {base}",
                code="controller_mismatch",
                path=path,
            )
    if not _lists(controller_document, purpose, method_id):
        raise ProofPurposeError(
            f"{controller} does not authorize {method_id} for {purpose}",
            code="proof_purpose",
            path=path,
        )
    return AuthorizedMethod(method=method, controller=controller)


def _resolve(resolver: Resolver, identifier: str, *, path: str) -> Mapping[str, Any]:
    try:
        return resolver.resolve(identifier)
    except VcbadgeError as error:
        if error.code == "invalid_did":
            # A malformed identifier is a defect of the credential, not a failure to look
            # something up: INVALID rather than INDETERMINATE.
            raise InvalidVerificationMethod(
                error.message, code=error.code, path=error.path or path
            ) from error
        raise error.at(path) from error


def _require_id(document: Mapping[str, Any], expected: str, *, path: str) -> None:
    if document.get("id") != expected:
        raise DIDResolutionError(
            f"the document resolved for {expected} has id {document.get('id')!r}",
            code="document_id_mismatch",
            path=path,
        )


def _absolute(reference: str, document_id: str) -> str:
    return document_id + reference if reference.startswith("#") else reference


def _find_method(document: Mapping[str, Any], method_id: str) -> Mapping[str, Any] | None:
    document_id = str(document.get("id", ""))
    candidates: list[Any] = []
    for member in (
        "verificationMethod",
        "assertionMethod",
        "authentication",
        "capabilityInvocation",
        "capabilityDelegation",
        "keyAgreement",
    ):
        value = document.get(member)
        if isinstance(value, list):
            candidates.extend(value)
        elif isinstance(value, Mapping):
            candidates.append(value)
    for candidate in candidates:
        if (
            isinstance(candidate, Mapping)
            and isinstance(candidate.get("id"), str)
            and _absolute(candidate["id"], document_id) == method_id
        ):
            return candidate
    return None


def _lists(document: Mapping[str, Any], purpose: str, method_id: str) -> bool:
    document_id = str(document.get("id", ""))
    entries = document.get(purpose)
    if isinstance(entries, (str, Mapping)):
        entries = [entries]
    if not isinstance(entries, list):
        return False
    for entry in entries:
        reference = entry.get("id") if isinstance(entry, Mapping) else entry
        if isinstance(reference, str) and _absolute(reference, document_id) == method_id:
            return True
    return False
