"""VC-JOSE-COSE (W3C "Securing Verifiable Credentials using JOSE and COSE"), JOSE part.

An *enveloped* credential: the JWS payload is the VC 2.0 credential itself (media type
``application/vc``), the header says ``typ: "vc+jwt"`` (media type ``application/vc+jwt``)
and ``cty: "vc"``, and names the key with ``kid``. Registered claims (``iss``, ``sub``,
``jti``, ``nbf``, ``exp``) are optional; when present they must agree with the credential.

Inside a presentation, or anywhere a credential object is expected, the token travels as an
``EnvelopedVerifiableCredential`` whose ``id`` is the ``data:application/vc+jwt,<token>`` URL.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from vcbadge.errors import InputError, ModelError
from vcbadge.proofs.jws import jose_algorithm_for, sign_compact
from vcbadge.protocols import Signer
from vcbadge.vcdm import ENVELOPED_CREDENTIAL, VC_V2, data_model_version, type_list

__all__ = [
    "ENVELOPED_TYPE",
    "MEDIA_TYPE",
    "VC_JOSE_CTY",
    "VC_JOSE_TYP",
    "encode_enveloped",
    "enveloped_credential",
    "is_enveloped_credential",
    "token_of_enveloped",
]

MEDIA_TYPE = "application/vc+jwt"
VC_JOSE_TYP = "vc+jwt"
VC_JOSE_CTY = "vc"
ENVELOPED_TYPE = ENVELOPED_CREDENTIAL
_DATA_PREFIX = f"data:{MEDIA_TYPE},"


def encode_enveloped(credential: Mapping[str, Any], signer: Signer) -> str:
    """Sign ``credential`` (VC 2.0, unsigned) as a VC-JOSE-COSE compact JWS.

    Raises:
        ModelError: ``jose_requires_vc2`` for a VC 1.1 credential (use VC-JWT for those),
            ``already_signed`` when it carries a Data Integrity proof.
    """
    if data_model_version(credential) != "2.0":
        raise ModelError(
            f"VC-JOSE-COSE secures VC Data Model 2.0 credentials (first @context {VC_V2})",
            code="jose_requires_vc2",
            path="/@context/0",
        )
    if "proof" in credential:
        raise ModelError(
            "an enveloped credential is secured by its JWS; remove the Data Integrity proof",
            code="already_signed",
            path="/proof",
        )
    header = {
        "alg": jose_algorithm_for(signer.algorithm),
        "kid": signer.verification_method,
        "typ": VC_JOSE_TYP,
        "cty": VC_JOSE_CTY,
    }
    return sign_compact(header, copy.deepcopy(dict(credential)), signer)


def enveloped_credential(token: str) -> dict[str, Any]:
    """The ``EnvelopedVerifiableCredential`` object carrying ``token`` (VC 2.0 section 4.13)."""
    return {"@context": VC_V2, "id": _DATA_PREFIX + token, "type": ENVELOPED_TYPE}


def is_enveloped_credential(value: object) -> bool:
    """Whether ``value`` is an object typed ``EnvelopedVerifiableCredential``."""
    if not isinstance(value, Mapping):
        return False
    return ENVELOPED_TYPE in type_list(value.get("type"))


def token_of_enveloped(value: Mapping[str, Any]) -> str:
    """The compact JWS inside an ``EnvelopedVerifiableCredential``.

    Raises:
        InputError: ``jwt_malformed`` (path ``/id``) when ``id`` is not a
            ``data:application/vc+jwt,`` URL.
    """
    identifier = value.get("id")
    if not isinstance(identifier, str) or not identifier.startswith(_DATA_PREFIX):
        raise InputError(
            f"an {ENVELOPED_TYPE} id must be a '{_DATA_PREFIX}<compact JWS>' URL",
            code="jwt_malformed",
            path="/id",
        )
    return identifier[len(_DATA_PREFIX) :]
