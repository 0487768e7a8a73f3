"""VC-JWT as Open Badges 3.0 section 8.2 ("JSON Web Token Proof Format") defines it.

The JWT carries the credential in the ``vc`` claim, next to registered claims derived from it
(VC Data Model 1.1 JWT encoding, which OB 3.0 adopts for both data model versions):

=======  =============================================================
``iss``  ``issuer.id`` (or ``issuer`` when it is a string)
``jti``  ``id``
``nbf``  ``validFrom`` (VC 2.0) / ``issuanceDate`` (VC 1.1), NumericDate
``exp``  ``validUntil`` / ``expirationDate``, NumericDate
``sub``  ``credentialSubject.id``
=======  =============================================================

The JOSE header is ``alg``, ``typ: "JWT"`` and either ``kid`` (the verification method's
DID URL or URL) or ``jwk`` (the public key; never a private one). On verification every claim
must agree with the credential; :func:`claim_mismatches` says where it does not.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.errors import InputError, ModelError, VerificationError
from vcbadge.keys.public_keys import private_jwk_members
from vcbadge.proofs.jws import jose_algorithm_for, sign_compact
from vcbadge.protocols import Signer
from vcbadge.vcdm import data_model_version, issuer_id

__all__ = ["VC_JWT_TYP", "claim_mismatches", "claims_for", "credential_of", "encode_vc_jwt"]

VC_JWT_TYP = "JWT"


def claims_for(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The registered claims OB 3.0 derives from ``credential`` (without ``vc``)."""
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
    """Sign ``credential`` (unsigned, complete) as an OB 3.0 VC-JWT.

    The header names the key with ``kid`` (``signer.verification_method``), or, when
    ``public_jwk`` is given, carries that public key as ``jwk`` instead.

    Raises:
        ModelError: ``already_signed`` when the credential has a Data Integrity proof.
        InputError: ``jwt_private_key_in_header`` when ``public_jwk`` holds a private key.
    """
    if "proof" in credential:
        raise ModelError(
            "a VC-JWT is secured by its signature; remove the Data Integrity proof first",
            code="already_signed",
            path="/proof",
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
    payload = {**claims_for(credential), "vc": copy.deepcopy(dict(credential))}
    return sign_compact(header, payload, signer)


def credential_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The credential in the ``vc`` claim.

    Raises:
        InputError: ``jwt_malformed`` (path ``/payload/vc``) when ``vc`` is not an object.
    """
    vc = payload.get("vc")
    if not isinstance(vc, dict):
        raise InputError(
            "the JWT payload has no 'vc' object (OB 3.0 VC-JWT)",
            code="jwt_malformed",
            path="/payload/vc",
        )
    return vc


def claim_mismatches(
    payload: Mapping[str, Any], credential: Mapping[str, Any], *, required: bool = True
) -> list[VerificationError]:
    """Every registered claim that disagrees with ``credential`` (OB 3.0 section 8.2.6).

    With ``required`` (VC-JWT) a claim the credential implies must be present; otherwise
    (VC-JOSE-COSE, where the claims are optional) only claims that are present are compared.
    Each error has code ``jwt_claim_mismatch`` and the path of the claim (``/payload/iss``).
    """
    errors: list[VerificationError] = []
    expected = claims_for(credential)
    for claim in ("iss", "jti", "sub", "nbf", "exp"):
        present = claim in payload
        implied = claim in expected
        if not present and not implied:
            continue
        if not present:
            if required:
                errors.append(
                    _mismatch(
                        claim,
                        f"the '{claim}' claim is missing; the credential implies "
                        f"{expected[claim]!r}",
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
