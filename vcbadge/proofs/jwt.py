"""VC-JWT as Open Badges 3.0 section 8.2 ("JSON Web Token Proof Format") defines it, and the
choice between the three ways a JWS can carry a credential.

The OB 3.0 form (section 8.2.4.1, since OB 3.0 moved to VC Data Model 2.0): the JWT payload
*is* the credential, its members at the top level, next to registered claims derived from it.
The header's ``typ``, when present, is ``"JWT"`` (section 8.2.3):

=======  =============================================================
``iss``  ``issuer.id`` (or ``issuer`` when it is a string)
``jti``  ``id``
``nbf``  ``validFrom`` (VC 2.0) / ``issuanceDate`` (VC 1.1), NumericDate
``exp``  ``validUntil`` / ``expirationDate``, NumericDate
``sub``  ``credentialSubject.id``
=======  =============================================================

The encoding is fixed by the credential's data model, on issuing and on verifying
(:class:`JwtEncoding`): a VC 2.0 credential goes at the top level (OB 3.0) or, with
``typ: "vc+jwt"``, is a VC-JOSE-COSE payload (:mod:`vcbadge.proofs.jose`); a VC 1.1 credential
goes in a ``vc`` claim (the VC Data Model 1.1 JWT encoding older OB 3.0 issuers use). Any other
combination is described by no specification and is never VALID. The header names the key with
``kid`` (the verification method's DID URL or URL) or carries it as ``jwk`` (public only). On
verification every claim must agree with the credential; :func:`claim_mismatches` says where it
does not.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from enum import Enum
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.errors import InputError, ModelError, VerificationError
from vcbadge.keys.public_keys import private_jwk_members
from vcbadge.proofs.jose import VC_JOSE_TYP
from vcbadge.proofs.jws import jose_algorithm_for, sign_compact
from vcbadge.protocols import Signer
from vcbadge.vcdm import VC_V1, VC_V2, data_model_version, issuer_id

__all__ = [
    "REGISTERED_CLAIMS",
    "VC_JWT_TYP",
    "JwtEncoding",
    "claim_mismatches",
    "claims_for",
    "credential_of",
    "data_model_mismatch",
    "encode_vc_jwt",
    "encoding_of",
    "media_type",
]

VC_JWT_TYP = "JWT"

REGISTERED_CLAIMS = ("iss", "jti", "sub", "nbf", "exp")
"""The registered claims OB 3.0 derives from the credential, in the order they are compared."""


class JwtEncoding(Enum):
    """How a JWS carries a credential, as read from the header's ``typ`` and the payload."""

    OB3 = "OB 3.0 VC-JWT"
    """The credential's members at the top level of the payload, ``typ`` absent or ``JWT``."""
    VC_CLAIM = "VC 1.1 VC-JWT ('vc' claim)"
    """The credential in the ``vc`` claim, ``typ`` absent or ``JWT``."""
    VC_JOSE_COSE = "VC-JOSE-COSE"
    """``typ: vc+jwt``, the payload is the credential."""

    @property
    def data_model(self) -> str:
        """The only credential data model version the encoding is defined for."""
        return "1.1" if self is JwtEncoding.VC_CLAIM else "2.0"

    @property
    def credential_path(self) -> str:
        """Where the credential sits in ``{"header", "payload", "signature"}``."""
        return "/payload/vc" if self is JwtEncoding.VC_CLAIM else "/payload"

    @property
    def claims_required(self) -> bool:
        """Whether each registered claim the credential implies must be present (VC-JWT), or
        only compared when present (VC-JOSE-COSE)."""
        return self is not JwtEncoding.VC_JOSE_COSE

    @property
    def typ(self) -> str:
        """The ``typ`` the encoding requires when the header has one."""
        return VC_JOSE_TYP if self is JwtEncoding.VC_JOSE_COSE else VC_JWT_TYP


def media_type(value: object) -> object:
    """A ``typ``/``cty`` value as compared: RFC 7515 section 4.1.9 media types compare
    case-insensitively, with ``application/`` optional."""
    return value.lower().removeprefix("application/") if isinstance(value, str) else value


def encoding_of(header: Mapping[str, Any], payload: Mapping[str, Any]) -> JwtEncoding:
    """The encoding a token uses: a ``vc`` claim is the VC 1.1 VC-JWT; a payload with
    ``@context`` is VC-JOSE-COSE when ``typ`` says ``vc+jwt``, else the OB 3.0 form. Whether
    ``typ`` is the one the encoding requires is checked with the rest of the header.

    Raises:
        InputError: ``jwt_malformed`` (path ``/payload``) when the payload has neither ``vc``
            nor ``@context``; ``jwt_payload_ambiguous`` when it has both.
    """
    has_vc, has_context = "vc" in payload, "@context" in payload
    if has_vc and has_context:
        raise InputError(
            "the payload has both a 'vc' claim (VC 1.1 VC-JWT) and a top-level '@context' "
            "(OB 3.0 VC-JWT or VC-JOSE-COSE); which one is the credential is ambiguous",
            code="jwt_payload_ambiguous",
            path="/payload",
        )
    if has_vc:
        return JwtEncoding.VC_CLAIM
    if has_context:
        if media_type(header.get("typ")) == VC_JOSE_TYP:
            return JwtEncoding.VC_JOSE_COSE
        return JwtEncoding.OB3
    raise InputError(
        "the payload is neither a credential (no top-level '@context': OB 3.0 VC-JWT or "
        "VC-JOSE-COSE) nor a VC 1.1 VC-JWT (no 'vc' claim)",
        code="jwt_malformed",
        path="/payload",
    )


def credential_of(payload: Mapping[str, Any], encoding: JwtEncoding) -> dict[str, Any]:
    """The credential a payload carries: the ``vc`` claim, the payload without the registered
    claims (OB 3.0), or the whole payload (VC-JOSE-COSE, which has no claims of its own).

    Raises:
        InputError: ``jwt_malformed`` (path ``/payload/vc``) when ``vc`` is not an object.
    """
    if encoding is JwtEncoding.VC_CLAIM:
        vc = payload.get("vc")
        if not isinstance(vc, dict):
            raise InputError(
                "the 'vc' claim of a VC 1.1 VC-JWT must be a JSON object",
                code="jwt_malformed",
                path="/payload/vc",
            )
        return vc
    if encoding is JwtEncoding.OB3:
        return {name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}
    return dict(payload)


def data_model_mismatch(encoding: JwtEncoding, credential: Mapping[str, Any]) -> ModelError | None:
    """The error when ``credential``'s data model is not the one ``encoding`` is defined for
    (None when it is, or when the data model is unknown: the credential checks report that).

    Codes: ``jwt_top_level_requires_vc2`` (a VC 1.1 credential in the OB 3.0 form),
    ``jwt_vc_claim_requires_vc1`` (a VC 2.0 credential in a ``vc`` claim),
    ``jose_requires_vc2`` (a VC 1.1 VC-JOSE-COSE payload). The path is ``/@context/0`` of the
    credential.
    """
    version = data_model_version(credential)
    if version is None or version == encoding.data_model:
        return None
    if encoding is JwtEncoding.VC_CLAIM:
        return ModelError(
            "the token carries the credential in a 'vc' claim, the JWT encoding of VC Data "
            f"Model 1.1, but the credential is VC Data Model 2.0 ({VC_V2}); OB 3.0 puts a "
            "VC 2.0 credential's members at the top level of the payload",
            code="jwt_vc_claim_requires_vc1",
            path="/@context/0",
        )
    if encoding is JwtEncoding.OB3:
        return ModelError(
            f"the token is an {encoding.value} with the credential's members at the top level "
            "of the payload, a form defined for VC Data Model 2.0 credentials, but the "
            f"credential is VC Data Model 1.1 ({VC_V1}), whose JWT encoding carries it in a "
            "'vc' claim",
            code="jwt_top_level_requires_vc2",
            path="/@context/0",
        )
    return ModelError(
        f"the token is {encoding.value} (typ 'vc+jwt'), whose payload must be a VC Data Model "
        f"2.0 credential ({VC_V2}); this one is VC Data Model 1.1",
        code="jose_requires_vc2",
        path="/@context/0",
    )


def claims_for(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The registered claims OB 3.0 derives from ``credential``."""
    start_member, end_member = _date_members(credential)
    claims: dict[str, Any] = {}
    issuer = issuer_id(credential)
    if issuer is not None:
        claims["iss"] = issuer
    # A date that does not parse gives no claim; the envelope check reports the date itself.
    start = _numeric_date_or_none(credential.get(start_member))
    if start is not None:
        claims["nbf"] = start
    end = _numeric_date_or_none(credential.get(end_member))
    if end is not None:
        claims["exp"] = end
    if isinstance(credential.get("id"), str):
        claims["jti"] = credential["id"]
    subject_id = _subject_id(credential)
    if subject_id is not None:
        claims["sub"] = subject_id
    return claims


def encode_vc_jwt(
    credential: Mapping[str, Any],
    signer: Signer,
    *,
    public_jwk: Mapping[str, str] | None = None,
) -> str:
    """Sign ``credential`` (unsigned, complete) as an OB 3.0 VC-JWT, ``typ: "JWT"``.

    A VC 2.0 credential is the payload, its members at the top level next to the registered
    claims (OB 3.0 section 8.2.4.1); a VC 1.1 credential goes in a ``vc`` claim, the only JWT
    encoding VC Data Model 1.1 has. The header names the key with ``kid``
    (``signer.verification_method``), or, when ``public_jwk`` is given, carries that public key
    as ``jwk`` instead.

    Raises:
        ModelError: ``already_signed`` when the credential has a Data Integrity proof;
            ``jwt_reserved_member`` when a VC 2.0 credential has a member named like a
            registered claim or ``vc`` (it would be overwritten by, or read as, the claim).
        InputError: ``jwt_private_key_in_header`` when ``public_jwk`` holds a private key.
    """
    if "proof" in credential:
        raise ModelError(
            "a VC-JWT is secured by its signature; remove the Data Integrity proof first",
            code="already_signed",
            path="/proof",
        )
    top_level = data_model_version(credential) != "1.1"
    reserved = [name for name in (*REGISTERED_CLAIMS, "vc") if name in credential]
    if top_level and reserved:
        raise ModelError(
            f"the credential has a member {reserved[0]!r}; in an OB 3.0 VC-JWT the credential's "
            "members share the payload with the JWT claims, so that name is reserved",
            code="jwt_reserved_member",
            path=f"/{reserved[0]}",
        )
    header: dict[str, Any] = {"alg": jose_algorithm_for(signer.algorithm), "typ": VC_JWT_TYP}
    if public_jwk is not None:
        private = private_jwk_members(public_jwk)
        if private:
            raise InputError(
                f"refusing to put private key material ({private[0]!r}) in a JWT header",
                code="jwt_private_key_in_header",
            )
        header["jwk"] = dict(public_jwk)
    else:
        header["kid"] = signer.verification_method
    document = copy.deepcopy(dict(credential))
    if top_level:
        payload = {**document, **claims_for(credential)}
    else:
        payload = {**claims_for(credential), "vc": document}
    return sign_compact(header, payload, signer)


def claim_mismatches(
    payload: Mapping[str, Any], credential: Mapping[str, Any], *, required: bool = True
) -> list[VerificationError]:
    """Every registered claim that is missing or disagrees with ``credential`` (OB 3.0
    section 8.2.6.1).

    With ``required`` (VC-JWT, both forms) each claim the credential implies must be present
    (``jwt_claim_missing``); otherwise (VC-JOSE-COSE, where the claims are optional) only claims
    that are present are compared. A claim that disagrees, or that is present when the
    credential has no member for it, is ``jwt_claim_mismatch``. Paths name the claim
    (``/payload/iss``).
    """
    errors: list[VerificationError] = []
    expected = claims_for(credential)
    for claim in REGISTERED_CLAIMS:
        present = claim in payload
        implied = claim in expected
        if not present and not implied:
            continue
        if not present:
            if required:
                errors.append(
                    VerificationError(
                        f"the '{claim}' claim is missing; a VC-JWT must carry it, and the "
                        f"credential implies {expected[claim]!r}",
                        code="jwt_claim_missing",
                        path=f"/payload/{claim}",
                    )
                )
            continue
        value = payload[claim]
        if not implied:
            errors.append(
                _mismatch(
                    claim,
                    f"the '{claim}' claim is {value!r} but the credential has no matching member",
                )
            )
        elif claim in ("nbf", "exp"):
            if not _same_second(value, expected[claim]):
                errors.append(
                    _mismatch(
                        claim,
                        f"the '{claim}' claim is {value!r}, the credential's date "
                        f"is {expected[claim]!r} (seconds since the epoch)",
                    )
                )
        elif value != expected[claim]:
            errors.append(
                _mismatch(
                    claim,
                    f"the '{claim}' claim is {value!r}, the credential says {expected[claim]!r}",
                )
            )
    return errors


def numeric_date(value: str) -> int | float:
    """An XML Schema dateTimeStamp as a JWT NumericDate (whole seconds as an integer)."""
    seconds = parse_datetime(value).timestamp()
    return int(seconds) if seconds.is_integer() else seconds


def _numeric_date_or_none(value: object) -> int | float | None:
    if not isinstance(value, str):
        return None
    try:
        return numeric_date(value)
    except ValueError:
        return None


def _same_second(claim: object, expected: int | float) -> bool:
    if isinstance(claim, bool) or not isinstance(claim, (int, float)) or not math.isfinite(claim):
        return False
    # NumericDate may drop the fraction of a second (RFC 7519 section 2).
    return math.floor(claim) == math.floor(expected)


def _mismatch(claim: str, message: str) -> VerificationError:
    return VerificationError(message, code="jwt_claim_mismatch", path=f"/payload/{claim}")


def _date_members(credential: Mapping[str, Any]) -> tuple[str, str]:
    if data_model_version(credential) == "2.0":
        return "validFrom", "validUntil"
    return "issuanceDate", "expirationDate"


def _subject_id(credential: Mapping[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    value = subject.get("id") if isinstance(subject, Mapping) else None
    return value if isinstance(value, str) else None
