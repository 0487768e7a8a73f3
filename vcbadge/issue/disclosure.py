"""Selective disclosure of Open Badges (ecdsa-sd-2023): what an issuer makes mandatory by
default, and the holder's step of deriving the credential it presents.

An ecdsa-sd-2023 credential is issued with a *base proof* (kept by the holder, never shown to a
verifier) and presented as a *derived* credential that reveals the mandatory members and the
ones the holder chose. A disclosure that leaves out a member OB 3.0 verification requires is
INVALID (``ob_member_missing`` and siblings), so the default mandatory pointers are every member
the ``ob_conformance`` step needs, whatever the holder withholds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.selective_disclosure import derive
from vcbadge.protocols import DocumentLoader

__all__ = ["OB_MANDATORY_POINTERS", "default_mandatory_pointers", "derive_disclosure"]

OB_MANDATORY_POINTERS = (
    "/issuer",
    "/validFrom",
    "/issuanceDate",
    "/validUntil",
    "/expirationDate",
    "/name",
    "/credentialStatus",
    "/credentialSchema",
    "/credentialSubject/type",
    "/credentialSubject/id",
    "/credentialSubject/identifier",
    "/credentialSubject/achievement",
    "/credentialSubject/verifiableCredential",
)
"""The members an Open Badge keeps in every disclosure (those present in the credential):
what OB 3.0 verification requires (the issuer profile, the achievement, the subject's type and
identity, validFrom), what decides whether the badge is still in force (validity dates, status
entries) and the schema it claims. ``@context``, ``id`` and ``type`` are always revealed."""


def default_mandatory_pointers(document: Mapping[str, Any]) -> list[str]:
    """The :data:`OB_MANDATORY_POINTERS` that select something in ``document``."""
    subject = document.get("credentialSubject")
    pointers: list[str] = []
    for pointer in OB_MANDATORY_POINTERS:
        parts = pointer.split("/")[1:]
        if len(parts) == 1:
            present = parts[0] in document
        else:
            present = isinstance(subject, Mapping) and parts[1] in subject
        if present:
            pointers.append(pointer)
    return pointers


def derive_disclosure(
    credential: Mapping[str, Any],
    *,
    reveal: Sequence[str] = (),
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """The credential a holder presents from ``credential`` (as issued, with its ecdsa-sd-2023
    base proof): the mandatory members, plus those the JSON pointers in ``reveal`` select,
    with a derived proof a verifier checks.

    Raises ``InputError`` (``sd_base_proof_required``, ``sd_pointer_invalid``,
    ``sd_pointer_not_found``, ``sd_base_proof_mismatch``, ``sd_nothing_selected``) or
    ``InvalidSignature`` (``sd_proof_value_malformed``); see
    :func:`vcbadge.proofs.selective_disclosure.derive`.
    """
    return derive(
        credential,
        selective_pointers=list(reveal),
        canonicalizer=Canonicalizer(loader or default_loader()),
    )
