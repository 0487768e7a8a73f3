"""What every issuer does to a credential before it secures it, whatever the proof format:
``Issuer`` (Data Integrity) and ``JwtIssuer`` (JOSE) must fill in and refuse exactly the same
things, or a credential would be accepted by one and refused by the other."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime
from vcbadge.errors import ModelError
from vcbadge.model.base import OBModel
from vcbadge.model.profile import Profile
from vcbadge.protocols import Signer
from vcbadge.vcdm import VC_V2
from vcbadge.verify.pipeline import envelope
from vcbadge.verify.result import Outcome

__all__ = ["is_vc2", "require_key_controlled_by", "require_valid_envelope", "unsigned_document"]


def require_key_controlled_by(profile: Profile, key: Signer) -> None:
    """Refuse an issuer profile that is not the controller of the signing key: verifiers check
    exactly that, so every credential would be rejected."""
    # A key published at its own URL (an HTTPS Multikey document) names its controller
    # separately; otherwise the controller is the method id without its fragment.
    controller = getattr(key, "controller", None) or key.verification_method.split("#", 1)[0]
    if controller != profile.id:
        raise ModelError(
            f"the issuer profile id {profile.id} is not the controller of the key "
            f"{key.verification_method}; verifiers would reject every credential",
            code="issuer_not_controller",
            path="/issuer/id",
        )


def unsigned_document(
    credential: OBModel | Mapping[str, Any],
    *,
    profile: Profile,
    now: datetime,
    issuer_noun: str,
) -> dict[str, Any]:
    """A copy of ``credential`` as JSON, with ``issuer`` defaulted to ``profile`` and
    ``validFrom`` (VC 2.0) or ``issuanceDate`` (VC 1.1) to ``now``.

    Raises ``ModelError``: ``already_signed``, or ``issuer_not_controller`` when the credential
    names another issuer (``issuer_noun`` is how the message names the caller).
    """
    document = (
        credential.to_json() if isinstance(credential, OBModel) else copy.deepcopy(dict(credential))
    )
    if "proof" in document:
        raise ModelError("the credential is already signed", code="already_signed", path="/proof")
    issuer = document.get("issuer")
    if issuer is None:
        document["issuer"] = profile.to_json()
    else:
        issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
        if issuer_id != profile.id:
            raise ModelError(
                f"the credential names issuer {issuer_id!r}, this {issuer_noun} is {profile.id}",
                code="issuer_not_controller",
                path="/issuer",
            )
    if is_vc2(document):
        document.setdefault("validFrom", format_datetime(now))
    else:
        document.setdefault("issuanceDate", format_datetime(now))
    return document


def require_valid_envelope(document: Mapping[str, Any]) -> None:
    """Raise the first envelope problem (``vcbadge.verify.pipeline.envelope``) as a
    ``ModelError``, so nothing a verifier would refuse gets signed."""
    for check in envelope(document):
        if check.outcome is not Outcome.VALID:
            raise ModelError(check.message, code=check.code, path=check.path)


def is_vc2(document: Mapping[str, Any]) -> bool:
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    return bool(first == VC_V2)
