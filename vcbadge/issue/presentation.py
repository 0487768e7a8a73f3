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
from vcbadge.vcdm import VC_V2

__all__ = ["Holder", "present"]

# The suite a holder key signs with unless the caller names one.
_DEFAULT_SUITES = {
    "Ed25519": "eddsa-rdfc-2022",
    "P-256": "ecdsa-rdfc-2019",
    "P-384": "ecdsa-rdfc-2019",
}


class Holder:
    """Presents credentials for one holder, as :class:`vcbadge.Issuer` issues them for one
    issuer.

    ``key`` is any :class:`vcbadge.protocols.Signer`; the presentation's ``holder`` is ``id``,
    by default the key's ``controller`` (a did:key, or the DID or URL that publishes the key:
    a key published at its own URL names its controller separately, so the holder is never
    guessed from the method id). ``suite`` names the proof format (by default
    eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256/P-384).

    Raises:
        InputError: ``key_algorithm_mismatch`` when no suite fits the key.
    """

    def __init__(
        self,
        key: Signer,
        *,
        id: str | None = None,
        suite: str | None = None,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        registry: CryptosuiteRegistry | None = None,
    ) -> None:
        self.key = key
        self.id = id if id is not None else key.controller
        name = suite or _DEFAULT_SUITES.get(key.algorithm)
        if name is None:
            raise InputError(
                f"no Data Integrity suite signs with {key.algorithm} keys",
                code="key_algorithm_mismatch",
            )
        self.suite = (registry or default_registry()).require(name)
        self.clock = clock or SystemClock()
        self._canonicalizer = Canonicalizer(loader or default_loader())

    def present(
        self,
        credentials: Iterable[Mapping[str, Any] | str],
        *,
        challenge: str,
        domain: str | None = None,
        presentation_id: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """A VC 2.0 ``VerifiablePresentation`` of ``credentials``, signed by the holder's key.

        ``credentials`` are secured credentials as issued: Data Integrity JSON objects, or
        compact JWS strings (VC-JWT / VC-JOSE-COSE), which are carried as
        ``EnvelopedVerifiableCredential``. The proof has purpose ``authentication`` and
        carries ``challenge`` and ``domain``.

        Raises:
            InputError: ``presentation_challenge_missing`` for an empty challenge.
            CanonicalizationError: a credential uses a context or term the loader does not
                define.
        """
        if not isinstance(challenge, str) or not challenge:
            raise InputError(
                "a presentation must answer the verifier's challenge (a non-empty string)",
                code="presentation_challenge_missing",
            )
        if domain is not None and (not isinstance(domain, str) or not domain):
            raise InputError("domain, when given, must be a non-empty string", code="invalid_input")
        presentation: dict[str, Any] = {"@context": [VC_V2], "type": ["VerifiablePresentation"]}
        if presentation_id is not None:
            presentation["id"] = presentation_id
        presentation["holder"] = self.id
        presentation["verifiableCredential"] = _embedded(credentials)
        options: dict[str, Any] = {"challenge": challenge}
        if domain is not None:
            options["domain"] = domain
        proof = create_proof(
            presentation,
            suite=self.suite,
            signer=self.key,
            canonicalizer=self._canonicalizer,
            created=at or self.clock.now(),
            proof_purpose="authentication",
            options=options,
        )
        return add_proof(presentation, proof)


def _embedded(credentials: Iterable[Mapping[str, Any] | str]) -> list[Any]:
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
    return embedded


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
    """``Holder(holder_key, ...).present(credentials, ...)`` in one call; the holder is the
    key's controller. See :class:`Holder`."""
    holder = Holder(holder_key, suite=suite, loader=loader, clock=clock, registry=registry)
    return holder.present(
        credentials,
        challenge=challenge,
        domain=domain,
        presentation_id=presentation_id,
        at=at,
    )
