"""The proof step: every Data Integrity (or Linked Data) proof a document carries must verify.

For each proof: a known and allowed suite, the purpose the frame asks for, ``created`` not in
the future and ``expires`` not past, the verification method resolved and authorized by its
controller for that purpose, the controller being the issuer (or the holder, for a
presentation), then the signature over the document as received.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.errors import (
    ControllerMismatch,
    ModelError,
    PolicyViolation,
    ProofPurposeError,
    ValidityPeriodError,
    VcbadgeError,
)
from vcbadge.proofs.data_integrity import proofs_of, verify_proof_signature
from vcbadge.vcdm import party_id
from vcbadge.verify.controller import find_authorized_method
from vcbadge.verify.frame import Frame, Services
from vcbadge.verify.result import Check

__all__ = ["proofs"]


def proofs(
    document: Mapping[str, Any], services: Services, frame: Frame, *, required: bool
) -> Iterator[Check]:
    """One ``proof`` check per proof; ``required``: a document without any is INVALID
    (``proof_missing``), as a Data Integrity credential is; more proofs than
    ``Policy.max_proofs`` are refused before any is verified (``too_many_proofs``). Never
    raises."""
    found = proofs_of(document)
    limit = services.policy.max_proofs
    if len(found) > limit:
        yield Check.invalid(
            "proof",
            code="too_many_proofs",
            message=f"the {_what(frame)} carries {len(found)} proofs, more than the limit of "
            f"{limit}; none of them is verified",
            path="/proof",
        )
        return
    if not found:
        if required:
            yield Check.invalid(
                "proof",
                code="proof_missing",
                message=f"the {_what(frame)} has no proof",
                path="/proof",
            )
        return
    for path, proof in found:
        try:
            yield _verify_one(document, proof, path, services, frame)
        except VcbadgeError as error:
            yield Check.from_error("proof", error, path=path)
        except Exception as error:
            # Not an expected failure: vcbadge could not decide, so never VALID, and say why.
            yield Check.indeterminate(
                "proof",
                code="internal_error",
                message=f"{type(error).__name__}: {error}",
                path=path,
            )


def _what(frame: Frame) -> str:
    return "presentation" if frame.purpose.controller_member == "holder" else "credential"


def _verify_one(
    document: Mapping[str, Any], proof: Any, path: str, services: Services, frame: Frame
) -> Check:
    if not isinstance(proof, Mapping):
        raise ModelError("a proof must be a JSON object", code="proof_malformed", path=path)
    policy, purpose = services.policy, frame.purpose
    # Looked up by (type, cryptosuite): legacy types such as Ed25519Signature2020 have no
    # cryptosuite member.
    suite = services.registry.for_proof(proof, path=path)
    if suite.name not in policy.allowed_cryptosuites:
        raise PolicyViolation(
            f"cryptosuite {suite.name} is not allowed by the policy",
            code="cryptosuite_not_allowed",
            path=f"{path}/cryptosuite" if suite.cryptosuite else f"{path}/type",
        )
    if proof.get("proofPurpose") != purpose.name:
        raise ProofPurposeError(
            f"proofPurpose is {proof.get('proofPurpose')!r}; a {_what(frame)} proof must be "
            f"{purpose.name!r}",
            path=f"{path}/proofPurpose",
        )
    _check_proof_dates(proof, path, services, frame)
    method_id, method_path = proof.get("verificationMethod"), f"{path}/verificationMethod"
    if not isinstance(method_id, str):
        raise ModelError(
            "proof has no verificationMethod", code="proof_malformed", path=method_path
        )
    authorized = find_authorized_method(
        method_id, purpose.name, services.resolver, path=method_path
    )
    binding = _controller_binding(document, authorized.controller, services, frame, method_path)
    public_key = suite.public_key_from_method(authorized.method, path=method_path)
    verify_proof_signature(
        document,
        proof,
        suite=suite,
        public_key=public_key,
        canonicalizer=services.canonicalizer,
        path=path,
    )
    legacy = " (a legacy suite, verify-only; reissue with a current one)" if suite.legacy else ""
    return Check.passed(
        "proof", f"{suite.name} signature by {method_id} verifies{binding}{legacy}", path
    )


def _controller_binding(
    document: Mapping[str, Any], controller: str, services: Services, frame: Frame, path: str
) -> str:
    """Check that the key's controller is the issuer (or holder); returns what the check
    message should add."""
    member = frame.purpose.controller_member
    if member not in document and frame.purpose.member_optional:
        return f"; no {member} is named, so the key's controller {controller} is not bound to one"
    expected = party_id(document, member)
    if controller != expected and not services.policy.unsafe_skip_issuer_controller_check:
        raise ControllerMismatch(
            f"the key is controlled by {controller}, not by the {member} {expected}",
            path=path,
        )
    return ""


def _check_proof_dates(
    proof: Mapping[str, Any], path: str, services: Services, frame: Frame
) -> None:
    skew = services.policy.clock_skew
    for member in ("created", "expires"):
        value = proof.get(member)
        if value is None:
            continue
        try:
            moment = parse_datetime(value) if isinstance(value, str) else None
        except ValueError as exc:
            raise ModelError(str(exc), code="proof_malformed", path=f"{path}/{member}") from exc
        if moment is None:
            raise ModelError(
                f"proof {member!r} must be a string",
                code="proof_malformed",
                path=f"{path}/{member}",
            )
        if member == "created" and moment > frame.now + skew:
            raise ValidityPeriodError(
                f"the proof was created in the future ({value})",
                code="proof_created_in_future",
                path=f"{path}/created",
            )
        if member == "expires" and moment < frame.now - skew:
            raise ValidityPeriodError(
                f"the proof expired at {value}", code="proof_expired", path=f"{path}/expires"
            )
