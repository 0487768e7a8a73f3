"""The vcbadge error tree.

Every error carries a stable ``code`` (a slug used in ``--json`` output and in the docs) and a
``path`` (a JSON pointer into the input, ``""`` for the whole document). Inside
``Verifier.verify`` these errors become check results; they are raised only by low-level calls
and by ``VerificationResult.raise_for_outcome``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "AddressNotAllowed",
    "BakingError",
    "CanonicalizationError",
    "ComplexityLimit",
    "ConnectionFailed",
    "ContentTypeError",
    "ContextNotAllowed",
    "ControllerMismatch",
    "DIDResolutionError",
    "DNSTimeout",
    "ExampleContext",
    "HTTPStatusError",
    "HostNotAllowed",
    "InputError",
    "InvalidSignature",
    "InvalidVerificationMethod",
    "Issue",
    "KeyFormatError",
    "LimitExceeded",
    "ModelError",
    "NetworkError",
    "NetworkTimeout",
    "PolicyViolation",
    "ProofPurposeError",
    "RedirectRefused",
    "RelativeIri",
    "ResolutionError",
    "ResponseTooLarge",
    "Revoked",
    "SchemaError",
    "SchemeNotAllowed",
    "StatusListUnavailable",
    "StatusStoreError",
    "Suspended",
    "TLSError",
    "UndefinedTerm",
    "UnsupportedError",
    "ValidityPeriodError",
    "VcbadgeError",
    "VerificationError",
]


_E = TypeVar("_E", bound="VcbadgeError")


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

    def at(self: _E, path: str) -> _E:
        """A new error of the same class, code and message located at ``path`` (the error
        itself is never changed in flight); raise it ``from`` this one. An error that already
        has a path keeps it: the innermost location is the most precise."""
        return self._derived(message=self.message, path=self.path or path)

    def under(self: _E, prefix: str) -> _E:
        """A new error like this one whose path is put under ``prefix`` (a JSON pointer): an
        error raised inside a JWK at ``/kty`` becomes ``/header/jwk/kty``."""
        return self._derived(message=self.message, path=prefix + self.path)

    def noted(self: _E, note: str) -> _E:
        """A new error like this one whose message ends with ``note`` (say, the URL a redirect
        started from); raise it ``from`` this one."""
        return self._derived(message=f"{self.message} {note}", path=self.path)

    def _derived(self: _E, *, message: str, path: str) -> _E:
        # Built by hand, not with copy.copy: how an exception is copied can be changed from
        # outside (importing dask's distributed makes copy.copy share the original's __dict__),
        # and the original must never change.
        derived = type(self).__new__(type(self))
        derived.__dict__.update(dict(self.__dict__))
        derived.message = message
        derived.path = path
        derived.args = (message,)
        derived.__cause__ = self
        return derived


class InputError(VcbadgeError, ValueError):
    """The input is malformed: not JSON, duplicate keys, wrong shape, too large."""

    code = "invalid_input"


@dataclass(frozen=True)
class Issue:
    """One problem found in a document: where (JSON pointer), what, and a stable code."""

    path: str
    message: str
    code: str = "model_invalid"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message, "code": self.code}


class _InputErrorWithIssues(InputError):
    """An input error that found several problems: ``issues`` lists them all, ``path`` and
    the message are those of the first."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        path: str = "",
        issues: Sequence[Issue] = (),
    ) -> None:
        super().__init__(message, code=code, path=path)
        self.issues: tuple[Issue, ...] = tuple(issues)


class ModelError(_InputErrorWithIssues):
    """The input does not satisfy the Open Badges / VC data model.

    ``issues`` lists every problem found (``path`` and the message are those of the first).
    """

    code = "model_invalid"


class SchemaError(_InputErrorWithIssues):
    """The document does not validate against a JSON Schema named by its ``credentialSchema``.

    ``issues`` lists every failure, each with the instance path (JSON pointer).
    """

    code = "schema_invalid"


class KeyFormatError(InputError):
    """A key, multibase value, JWK or key file cannot be decoded."""

    code = "key_format"


class LimitExceeded(InputError):
    """A configured limit (bytes, nesting depth, work) was exceeded."""

    code = "limit_exceeded"


class BakingError(InputError):
    """A badge image cannot be baked or unbaked: not a PNG/SVG, malformed (truncated, bad CRC,
    unsafe XML), over a size limit, or it carries no credential, two, or an Open Badges 2.0
    assertion. ``code`` says which (see ``vcbadge.bake``)."""

    code = "baking_failed"


class UnsupportedError(VcbadgeError):
    """Something known to exist but not supported or not allowed (cryptosuite, DID method...)."""

    code = "unsupported"


class CanonicalizationError(VcbadgeError):
    """JSON-LD expansion or RDFC-1.0 canonicalization failed."""

    code = "canonicalization_failed"


class ContextNotAllowed(CanonicalizationError):
    """A ``@context`` URL is not among the documents the loader serves."""

    code = "context_not_allowed"


class ExampleContext(ContextNotAllowed):
    """A context W3C publishes for examples and tests (or the undefined-terms catch-all), which
    a production issuer or verifier refuses unless told otherwise."""

    code = "example_context"


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
    """A proof's signature does not verify over the credential as received."""

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
    """The credential is not valid at the moment of verification (before ``validFrom``,
    after ``validUntil`` or ``expirationDate``)."""

    code = "validity_period"


class PolicyViolation(VerificationError):
    """The credential breaks a rule of the verifier's ``Policy``."""

    code = "policy_violation"


class Revoked(VerificationError):
    """A status list says the credential was revoked (permanent)."""

    code = "revoked"


class Suspended(VerificationError):
    """A status list says the credential is suspended (it may be reinstated)."""

    code = "suspended"


class ResolutionError(VcbadgeError):
    """Something needed to decide could not be obtained: outcome INDETERMINATE."""

    code = "resolution_failed"


class DIDResolutionError(ResolutionError):
    """A DID could not be resolved to a usable document (malformed, unknown, or its
    document unusable)."""

    code = "did_resolution"


class NetworkError(ResolutionError):
    """A fetch through the transport failed; ``url`` names what was fetched.

    Subclasses give the reason a stable code. Every one is a ``ResolutionError``: a verifier that
    could not fetch a document cannot decide (INDETERMINATE), whatever the reason.
    """

    code = "network"

    def __init__(
        self, message: str, *, url: str = "", code: str | None = None, path: str = ""
    ) -> None:
        super().__init__(message, code=code, path=path)
        self.url = url


class ConnectionFailed(NetworkError):
    """The host name did not resolve, or no connection could be made to its addresses."""

    code = "connection_failed"


class NetworkTimeout(NetworkError):
    """Connecting, or waiting for the server's response, took longer than the timeout."""

    code = "timeout"


class DNSTimeout(NetworkTimeout):
    """Resolving the host name took longer than the transport's DNS timeout (or what was left
    of the fetch deadline)."""

    code = "dns_timeout"


class HTTPStatusError(NetworkError):
    """The server answered with a status other than 200 (and not a redirect we follow)."""

    code = "http_status"

    def __init__(self, message: str, *, url: str = "", status: int = 0, path: str = "") -> None:
        super().__init__(message, url=url, path=path)
        self.status = status


class ResponseTooLarge(NetworkError):
    """The response body is larger than the transport's byte cap."""

    code = "response_too_large"


class RedirectRefused(NetworkError):
    """A redirect was refused: ``redirect_refused`` (not HTTPS, no usable ``Location``) or
    ``too_many_redirects``."""

    code = "redirect_refused"


class AddressNotAllowed(NetworkError):
    """The host resolves to a loopback, private, link-local, shared, multicast, reserved or
    cloud metadata address, which the transport refuses unless explicitly allowed."""

    code = "private_address"


class HostNotAllowed(NetworkError):
    """The URL's host name is refused before any DNS lookup: an IPv4 address in a non-standard
    form, not a DNS name (RFC 1123), a trailing dot, a single label or a special-use name
    (``localhost``, ``.local``, ``.internal``, ...) the caller has not allowed."""

    code = "host_not_allowed"


class ContentTypeError(NetworkError):
    """The response's media type is not one the caller accepts."""

    code = "content_type"


class TLSError(NetworkError):
    """The TLS handshake failed: untrusted certificate, wrong host name, protocol error."""

    code = "tls"


class SchemeNotAllowed(NetworkError):
    """The URL's scheme is not ``https`` (or the URL is not absolute)."""

    code = "scheme_not_allowed"


class StatusListUnavailable(ResolutionError):
    """A status list (credential) could not be obtained: the status is unknown (INDETERMINATE)."""

    code = "status_list_unavailable"


class StatusStoreError(VcbadgeError):
    """Issuer side: a status store operation failed (list full, unknown credential, publish
    failed, ...); ``code`` says which."""

    code = "status_store_error"
