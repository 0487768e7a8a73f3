"""``JwtIssuer``: issue credentials secured with JOSE: OB 3.0 VC-JWT or VC-JOSE-COSE.

Separate from :class:`vcbadge.issue.Issuer` (Data Integrity) because the keys differ: JOSE
also signs with RSA (RS256, the algorithm OB 3.0 requires every implementation to accept),
which no Data Integrity cryptosuite uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge.clock import SystemClock
from vcbadge.errors import InputError
from vcbadge.issue._prepare import (
    add_status_entries,
    require_key_controlled_by,
    require_valid_credential,
    unsigned_document,
)
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.model.base import OBModel
from vcbadge.model.profile import Profile
from vcbadge.proofs.jose import encode_enveloped
from vcbadge.proofs.jws import jose_algorithm_for
from vcbadge.proofs.jwt import encode_vc_jwt
from vcbadge.protocols import Clock, DocumentLoader, Signer, StatusAllocator

__all__ = ["JwtIssuer"]


class JwtIssuer:
    """Issues JOSE-secured credentials for one issuer profile.

    ``key`` is any :class:`vcbadge.protocols.Signer` whose ``algorithm`` is ``Ed25519``
    (EdDSA), ``P-256`` (ES256), ``P-384`` (ES384) or ``RSA`` (RS256), e.g. ``Ed25519Key``,
    ``EcKey``, ``RsaKey`` or an HSM adapter. As for Data Integrity, the profile ``id`` must be
    the controller of the key, because verifiers check exactly that.

    The credential is held to the same rules as with :class:`vcbadge.issue.Issuer`, including
    the refusal of the contexts meant for examples and tests unless
    ``allow_example_contexts=True``, of a credential that does not validate against its
    official JSON Schema unless ``check_schema=False``, and of one whose ``validUntil`` has
    already passed unless ``allow_expired=True``. With ``status_store`` (:mod:`vcbadge.store`)
    every credential gets ``credentialStatus`` entries, as with the Data Integrity issuer.

    >>> from vcbadge.keys.rsa import RsaKey
    >>> key = RsaKey.generate()
    >>> issuer = JwtIssuer({"id": key.controller, "type": ["Profile"]}, key=key)
    >>> token = issuer.issue_jwt(credential)          # doctest: +SKIP
    """

    def __init__(
        self,
        profile: Profile | Mapping[str, Any],
        *,
        key: Signer,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        allow_example_contexts: bool = False,
        status_store: StatusAllocator | None = None,
        check_schema: bool = True,
        allow_expired: bool = False,
    ) -> None:
        self.profile = profile if isinstance(profile, Profile) else Profile.from_json(profile)
        self.key = key
        self.algorithm = jose_algorithm_for(key.algorithm)
        self.clock = clock or SystemClock()
        self.allow_example_contexts = allow_example_contexts
        self.status_store = status_store
        self.check_schema = check_schema
        self.allow_expired = allow_expired
        self._canonicalizer = Canonicalizer(loader or default_loader())
        require_key_controlled_by(self.profile, key)

    def issue_jwt(
        self,
        credential: OBModel | Mapping[str, Any],
        *,
        alg: str | None = None,
        embed_jwk: bool | None = None,
        at: datetime | None = None,
    ) -> str:
        """The credential as an OB 3.0 VC-JWT (compact JWS text, ``typ: "JWT"``).

        A VC 2.0 credential is issued in the OB 3.0 form: its members at the top level of the
        payload with the registered claims ``iss``, ``jti``, ``sub``, ``nbf`` (and ``exp``). A
        VC 1.1 credential is issued in a ``vc`` claim, the JWT encoding VC 1.1 defines and
        older OB 3.0 verifiers expect (see :func:`vcbadge.proofs.jwt.encode_vc_jwt`).

        ``alg`` (optional) states the expected JWS algorithm and must be the key's. The header
        names the key with ``kid``, or carries the public key as ``jwk`` when ``embed_jwk`` is
        true; by default the ``jwk`` is embedded only for a did:jwk issuer (whose identifier
        *is* that key, so verifiers need no resolution). Raises ``ModelError`` or
        ``CanonicalizationError`` before anything is signed.
        """
        self._check_alg(alg)
        document = self._prepare(credential, at)
        if embed_jwk is None:
            embed_jwk = self.profile.id.startswith("did:jwk:")
        public_jwk = None
        if embed_jwk:
            to_jwk = getattr(self.key, "to_jwk", None)
            if to_jwk is None:
                raise InputError(
                    "this signer cannot give its public JWK; use kid (embed_jwk=False)",
                    code="public_jwk_unavailable",
                )
            public_jwk = to_jwk()
        return encode_vc_jwt(document, self.key, public_jwk=public_jwk)

    def issue_enveloped(
        self,
        credential: OBModel | Mapping[str, Any],
        *,
        alg: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """The credential (VC 2.0) secured with VC-JOSE-COSE: a ``vc+jwt`` compact JWS whose
        payload is the credential. Wrap it with
        :func:`vcbadge.proofs.jose.enveloped_credential` to put it in a presentation."""
        self._check_alg(alg)
        return encode_enveloped(self._prepare(credential, at), self.key)

    def _check_alg(self, alg: str | None) -> None:
        if alg is not None and alg != self.algorithm:
            raise InputError(
                f"alg {alg} was asked for, but the key {self.key.verification_method} signs "
                f"{self.algorithm}",
                code="key_algorithm_mismatch",
            )

    def _prepare(
        self, credential: OBModel | Mapping[str, Any], at: datetime | None
    ) -> dict[str, Any]:
        document = unsigned_document(
            credential,
            profile=self.profile,
            now=at or self.clock.now(),
            issuer_noun="issuer",
            allow_expired=self.allow_expired,
        )
        kind = type(credential).__name__ if isinstance(credential, OBModel) else None
        require_valid_credential(
            document,
            kind=kind,
            allow_example_contexts=self.allow_example_contexts,
            check_schema=self.check_schema,
        )
        if self.status_store is not None:
            add_status_entries(document, self.status_store)
        # A JWS signs bytes, not RDF, but a credential whose terms no context defines means
        # something else to every JSON-LD consumer: refuse it as the Data Integrity issuer does.
        self._canonicalizer.canonicalize(document)
        return document
