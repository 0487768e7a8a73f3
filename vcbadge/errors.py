"""The vcbadge error tree.

Every error carries a stable ``code`` (a slug used in ``--json`` output and in the docs) and a
``path`` (a JSON pointer into the input, ``""`` for the whole document). Inside
``Verifier.verify`` these errors become check results; they are raised only by low-level calls
and by ``VerificationResult.raise_for_outcome``.
"""

from __future__ import annotations

__all__ = [
    "CanonicalizationError",
    "ComplexityLimit",
    "ContextNotAllowed",
    "ControllerMismatch",
    "DIDResolutionError",
    "InputError",
    "InvalidSignature",
    "InvalidVerificationMethod",
    "KeyFormatError",
    "LimitExceeded",
    "ModelError",
    "NetworkError",
    "PolicyViolation",
    "ProofPurposeError",
    "RelativeIri",
    "ResolutionError",
    "UndefinedTerm",
    "UnsupportedError",
    "ValidityPeriodError",
    "VcbadgeError",
    "VerificationError",
]


class VcbadgeError(Exception):
    """Base of every error vcbadge raises on purpose."""

    code: str = "vcbadge_error"

    def __init__(self, message: str, *, code: str | None = None, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.path = path

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        return f"{self.message}{where}"


class InputError(VcbadgeError, ValueError):
    """The input is malformed: not JSON, duplicate keys, wrong shape, too large."""

    code = "invalid_input"


class ModelError(InputError):
    """The input does not satisfy the Open Badges / VC data model."""

    code = "model_invalid"


class KeyFormatError(InputError):
    """A key, multibase value, JWK or key file cannot be decoded."""

    code = "key_format"


class LimitExceeded(InputError):
    """A configured limit (bytes, nesting depth, work) was exceeded."""

    code = "limit_exceeded"


class UnsupportedError(VcbadgeError):
    """Something known to exist but not supported or not allowed (cryptosuite, DID method...)."""

    code = "unsupported"


class CanonicalizationError(VcbadgeError):
    """JSON-LD expansion or RDFC-1.0 canonicalization failed."""

    code = "canonicalization_failed"


class ContextNotAllowed(CanonicalizationError):
    """A ``@context`` URL is not among the documents the loader serves."""

    code = "context_not_allowed"


class UndefinedTerm(CanonicalizationError):
    """A property or type that no context defines (it would be silently dropped)."""

    code = "undefined_term"


class RelativeIri(CanonicalizationError):
    """A value that would become a relative IRI, which RDF cannot carry meaningfully."""

    code = "relative_iri"


class ComplexityLimit(CanonicalizationError):
    """RDFC-1.0 exceeded its work limit (for example a poisoned dataset)."""

    code = "complexity_limit"


class VerificationError(VcbadgeError):
    """The credential is bad: verification outcome INVALID."""

    code = "verification_failed"


class InvalidSignature(VerificationError):
    code = "invalid_signature"


class ProofPurposeError(VerificationError):
    """The key is not authorized for the proof purpose by its controller."""

    code = "proof_purpose"


class InvalidVerificationMethod(VerificationError):
    """The ``verificationMethod`` is not a usable identifier (not absolute, malformed DID)."""

    code = "invalid_verification_method"


class ControllerMismatch(VerificationError):
    """The verification method's controller is not the credential's issuer."""

    code = "controller_mismatch"


class ValidityPeriodError(VerificationError):
    code = "validity_period"


class PolicyViolation(VerificationError):
    code = "policy_violation"


class ResolutionError(VcbadgeError):
    """Something needed to decide could not be obtained: outcome INDETERMINATE."""

    code = "resolution_failed"


class DIDResolutionError(ResolutionError):
    code = "did_resolution"


class NetworkError(ResolutionError):
    code = "network"
