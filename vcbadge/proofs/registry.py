"""Cryptosuites by name: which are *known* (implemented) is separate from which are *allowed*.

A registry is an ordinary object; there is no global mutable registry. The verification policy
names the allowed suites, and a suite that is known but not allowed is refused with its own code.

A suite's ``name`` is its ``cryptosuite`` value for ``DataIntegrityProof`` suites
(``eddsa-rdfc-2022``) and its proof ``type`` for the legacy suites that have no ``cryptosuite``
member (``Ed25519Signature2020``); :meth:`CryptosuiteRegistry.for_proof` finds the suite of a
proof from its ``(type, cryptosuite)`` pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from vcbadge.errors import ModelError, UnsupportedError
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.hashing import HashData, ProofSignature
from vcbadge.proofs.suites._common import DATA_INTEGRITY_PROOF
from vcbadge.proofs.suites.ecdsa_jcs_2019 import EcdsaJcs2019
from vcbadge.proofs.suites.ecdsa_rdfc_2019 import EcdsaRdfc2019
from vcbadge.proofs.suites.ecdsa_sd_2023 import EcdsaSd2023
from vcbadge.proofs.suites.ed25519_signature_2018 import Ed25519Signature2018
from vcbadge.proofs.suites.ed25519_signature_2020 import Ed25519Signature2020
from vcbadge.proofs.suites.eddsa_jcs_2022 import EddsaJcs2022
from vcbadge.proofs.suites.eddsa_rdfc_2022 import Eddsa2022Legacy, EddsaRdfc2022
from vcbadge.protocols import PublicKey

__all__ = [
    "DATA_INTEGRITY_PROOF",
    "Cryptosuite",
    "CryptosuiteRegistry",
    "PublicKey",
    "default_registry",
]


class Cryptosuite(Protocol):
    """What the Data Integrity layer needs from a cryptosuite."""

    @property
    def name(self) -> str:
        """Registry and policy name: the ``cryptosuite`` value, or the legacy proof type."""

    @property
    def proof_type(self) -> str:
        """The proof ``type``: ``DataIntegrityProof`` or a legacy type."""

    @property
    def cryptosuite(self) -> str | None:
        """The proof's ``cryptosuite`` member; None for legacy types that have none."""

    @property
    def key_algorithms(self) -> frozenset[str]:
        """Key algorithms the suite signs with (a signer's or public key's ``algorithm``)."""

    @property
    def embeds_proof_context(self) -> bool:
        """Whether the proof carries ``@context`` (the JCS suites) instead of borrowing the
        document's when its configuration is hashed (the RDFC suites)."""

    @property
    def own_proof_context(self) -> bool:
        """Linked Data Proofs suites (Ed25519Signature2018/2020): a proof's own ``@context``
        is the one its options are read under, whatever the document's. Otherwise (Data
        Integrity) a proof ``@context`` must be a prefix of the document's."""

    @property
    def signature_member(self) -> str:
        """The proof member holding the signature: ``proofValue``, or ``jws``
        (Ed25519Signature2018); the proof options are the proof without it."""

    @property
    def legacy(self) -> bool:
        """A legacy name kept only to verify deployed credentials; never used to issue."""

    def hash_data(
        self,
        unsecured_document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        canonicalizer: Canonicalizer,
        *,
        key_algorithm: str | None = None,
    ) -> HashData: ...

    def encode_proof_value(self, signature: bytes) -> str: ...

    def decode_proof_value(
        self, proof_value: object, *, path: str, key_algorithm: str | None = None
    ) -> bytes: ...

    def read_signature(
        self, proof: Mapping[str, Any], *, path: str, key_algorithm: str
    ) -> ProofSignature:
        """The proof's signature, and what precedes the hashes in the signed bytes."""

    def public_key_from_method(self, method: Mapping[str, Any], *, path: str) -> PublicKey: ...


class CryptosuiteRegistry(Mapping[str, Cryptosuite]):
    """An immutable mapping from suite name to implementation."""

    def __init__(self, suites: Iterable[Cryptosuite]) -> None:
        self._suites: dict[str, Cryptosuite] = {}
        self._by_proof: dict[tuple[str, str | None], Cryptosuite] = {}
        for suite in suites:
            key = (suite.proof_type, suite.cryptosuite)
            if suite.name in self._suites or key in self._by_proof:
                raise ValueError(f"two suites are registered as {suite.name!r} / {key}")
            self._suites[suite.name] = suite
            self._by_proof[key] = suite

    def __getitem__(self, name: str) -> Cryptosuite:
        return self._suites[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._suites)

    def __len__(self) -> int:
        return len(self._suites)

    def require(self, name: object, *, path: str = "") -> Cryptosuite:
        """The suite called ``name``, or ``UnsupportedError`` (code ``unknown_cryptosuite``)."""
        if isinstance(name, str) and name in self._suites:
            return self._suites[name]
        raise UnsupportedError(
            f"unknown cryptosuite {name!r}; known: {', '.join(sorted(self._suites))}",
            code="unknown_cryptosuite",
            path=path,
        )

    def for_proof(self, proof: Mapping[str, Any], *, path: str) -> Cryptosuite:
        """The suite that made ``proof``, from its ``type`` and ``cryptosuite``.

        Raises:
            ModelError: ``proof_malformed`` for a proof without a string ``type``, a
                DataIntegrityProof without a string ``cryptosuite``, or a proof of an unknown
                type that carries no signature at all (neither ``proofValue`` nor ``jws``).
            UnsupportedError: ``unknown_cryptosuite`` / ``unknown_proof_type`` for a proof
                this registry does not implement (the outcome is INDETERMINATE).
        """
        proof_type = proof.get("type")
        if not isinstance(proof_type, str):
            raise _malformed("proof 'type' is missing or not a string", f"{path}/type")
        if proof_type == DATA_INTEGRITY_PROOF:
            cryptosuite = proof.get("cryptosuite")
            if not isinstance(cryptosuite, str):
                raise _malformed(
                    "a DataIntegrityProof must name its 'cryptosuite' (a string)",
                    f"{path}/cryptosuite",
                )
            found = self._by_proof.get((proof_type, cryptosuite))
            if found is None:
                known = ", ".join(self._cryptosuites())
                raise UnsupportedError(
                    f"unknown cryptosuite {cryptosuite!r}; known: {known}",
                    code="unknown_cryptosuite",
                    path=f"{path}/cryptosuite",
                )
            return found
        found = self._by_proof.get((proof_type, None))
        if found is not None:
            return found
        if "proofValue" not in proof and "jws" not in proof:
            # Not a proof of some type we lack: a proof with no signature proves nothing.
            raise _malformed(
                f"proof of type {proof_type!r} has no signature (neither proofValue nor jws)", path
            )
        raise UnsupportedError(
            f"unknown proof type {proof_type!r}; known: {', '.join(self._proof_types())}",
            code="unknown_proof_type",
            path=f"{path}/type",
        )

    def _cryptosuites(self) -> list[str]:
        return sorted(
            str(suite.cryptosuite)
            for suite in self._suites.values()
            if suite.proof_type == DATA_INTEGRITY_PROOF
        )

    def _proof_types(self) -> list[str]:
        return sorted({suite.proof_type for suite in self._suites.values()})


def default_registry() -> CryptosuiteRegistry:
    """Every cryptosuite this version of vcbadge implements, including the legacy ones kept to
    verify deployed credentials only: the draft name ``eddsa-2022`` and the
    ``Ed25519Signature2018`` proof type (didkit's, so Open edX's, default)."""
    return CryptosuiteRegistry(
        [
            EddsaRdfc2022(),
            EddsaJcs2022(),
            EcdsaRdfc2019(),
            EcdsaJcs2019(),
            EcdsaSd2023(),
            Ed25519Signature2020(),
            Eddsa2022Legacy(),
            Ed25519Signature2018(),
        ]
    )


def _malformed(message: str, path: str) -> ModelError:
    return ModelError(message, code="proof_malformed", path=path)
