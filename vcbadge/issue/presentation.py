"""Presenting credentials: a Verifiable Presentation signed by the holder for one verifier.

An employer's hiring system sends the candidate a one-time ``challenge`` (and names itself
with a ``domain``); the candidate's wallet answers with :func:`present`. The holder's proof has
purpose ``authentication`` and covers the challenge and domain, so the presentation cannot be
replayed to another verifier or for another request.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from vcbadge.clock import SystemClock
from vcbadge.errors import InputError
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.data_integrity import add_proof, create_proof
from vcbadge.proofs.jose import enveloped_credential
from vcbadge.proofs.jws import looks_like_compact_jws
from vcbadge.proofs.registry import CryptosuiteRegistry, default_registry
from vcbadge.protocols import Clock, DocumentLoader, Signer

__all__ = ["present"]

_VC_V2 = "https://www.w3.org/ns/credentials/v2"
# The suite a holder key signs with unless the caller names one.
_DEFAULT_SUITES = {
    "Ed25519": "eddsa-rdfc-2022",
    "P-256": "ecdsa-rdfc-2019",
    "P-384": "ecdsa-rdfc-2019",
}


def present(
    credentials: Iterable[Mapping[str, Any] | str],
    holder_key: Signer,
    *,
    challenge: str,
    domain: str | None = None,
    suite: str | None = None,
    presentation_id: str | None = None,
    at: datetime | None = None,
    clock: Clock | None = None,
    loader: DocumentLoader | None = None,
    registry: CryptosuiteRegistry | None = None,
) -> dict[str, Any]:
    """A VC 2.0 ``VerifiablePresentation`` of ``credentials``, signed by ``holder_key``.

    ``credentials`` are secured credentials as issued: Data Integrity JSON objects, or compact
    JWS strings (VC-JWT / VC-JOSE-COSE), which are carried as ``EnvelopedVerifiableCredential``.
    The ``holder`` is the key's controller. The proof (``suite``, by default eddsa-rdfc-2022 for
    Ed25519 keys and ecdsa-rdfc-2019 for P-256/P-384) has purpose ``authentication`` and carries
    ``challenge`` and ``domain``.

    Raises:
        InputError: ``presentation_challenge_missing`` for an empty challenge,
            ``key_algorithm_mismatch`` when no suite fits the key.
        CanonicalizationError: a credential uses a context or term the loader does not define.
    """
    if not isinstance(challenge, str) or not challenge:
        raise InputError(
            "a presentation must answer the verifier's challenge (a non-empty string)",
            code="presentation_challenge_missing",
        )
    if domain is not None and (not isinstance(domain, str) or not domain):
        raise InputError("domain, when given, must be a non-empty string", code="invalid_input")
    suites = registry or default_registry()
    name = suite or _DEFAULT_SUITES.get(holder_key.algorithm)
    if name is None:
        raise InputError(
            f"no Data Integrity suite signs with {holder_key.algorithm} keys",
            code="key_algorithm_mismatch",
        )
    chosen = suites.require(name)
    embedded: list[Any] = []
    for index, credential in enumerate(credentials):
        if isinstance(credential, str):
            if not looks_like_compact_jws(credential):
                raise InputError(
                    "a credential given as text must be a compact JWS",
                    code="jwt_malformed",
                    path=f"/verifiableCredential/{index}",
                )
            embedded.append(enveloped_credential(credential.strip()))
        elif isinstance(credential, Mapping):
            embedded.append(copy.deepcopy(dict(credential)))
        else:
            raise InputError(
                f"credential {index} is neither a JSON object nor a compact JWS",
                code="invalid_input",
                path=f"/verifiableCredential/{index}",
            )
    holder = holder_key.verification_method.split("#", 1)[0]
    presentation: dict[str, Any] = {"@context": [_VC_V2], "type": ["VerifiablePresentation"]}
    if presentation_id is not None:
        presentation["id"] = presentation_id
    presentation["holder"] = holder
    presentation["verifiableCredential"] = embedded
    options: dict[str, Any] = {"challenge": challenge}
    if domain is not None:
        options["domain"] = domain
    proof = create_proof(
        presentation,
        suite=chosen,
        signer=holder_key,
        canonicalizer=Canonicalizer(loader or default_loader()),
        created=at or (clock or SystemClock()).now(),
        proof_purpose="authentication",
        options=options,
    )
    return add_proof(presentation, proof)
