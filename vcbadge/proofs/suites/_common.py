"""What the cryptosuite modules share: one implementation every suite here configures with data
(transformation, hash per key type, proof type), proofValue encoding, keys from verification
methods, the two transformations (RDFC-1.0 and JCS) and the SHA-384 variant of a canonicalizer."""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from vcbadge._multibase import decode_base58btc_multibase, encode_base58btc_multibase
from vcbadge.errors import InvalidSignature, InvalidVerificationMethod, KeyFormatError
from vcbadge.jsonld.jcs import canonicalize_jcs
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys.public_keys import NO_KEY, published_key_algorithm
from vcbadge.keys.public_keys import public_key_from_method as public_key_from_published_method
from vcbadge.proofs.hashing import HashData, ProofSignature
from vcbadge.protocols import PublicKey

__all__ = [
    "DATA_INTEGRITY_PROOF",
    "ECDSA_HASHES",
    "EDDSA_HASHES",
    "SIGNATURE_LENGTHS",
    "DataIntegritySuite",
    "decode_base58_proof_value",
    "encode_base58_proof_value",
    "hash_jcs",
    "hash_rdfc",
    "public_key_from_method",
    "require_key_algorithm",
]

DATA_INTEGRITY_PROOF = "DataIntegrityProof"
"""The proof ``type`` of every Data Integrity cryptosuite (which ``cryptosuite`` names)."""

SIGNATURE_LENGTHS = {"Ed25519": 64, "P-256": 64, "P-384": 96}
"""Raw signature length per key algorithm (Ed25519; ECDSA as IEEE P1363 ``r || s``)."""

EDDSA_HASHES = {"Ed25519": "sha256"}
"""The hash the EdDSA suites use (SHA-256)."""

ECDSA_HASHES = {"P-256": "sha256", "P-384": "sha384"}
"""The hash (and RDFC-1.0 hash) the ECDSA suites use per curve."""


class DataIntegritySuite:
    """A cryptosuite as data over the one algorithm every suite here shares.

    Transform the document and the proof configuration (RDFC-1.0 or JCS), hash each with the
    hash of the signing key's algorithm, and carry the signature as a multibase base58btc
    ``proofValue``. A subclass sets ``cryptosuite`` (or, for a Linked Data Proofs suite,
    ``proof_type``, by default ``DataIntegrityProof``), ``transformation`` and
    ``hash_algorithms`` (key algorithm -> hash), and is stateless; its ``name`` is the
    cryptosuite, or the proof type where there is none.
    The Linked Data Proofs suites (Ed25519Signature2018/2020) also set ``own_proof_context``,
    and Ed25519Signature2018 ``signature_member = "jws"`` with its own ``read_signature``.
    """

    name: ClassVar[str]
    proof_type: ClassVar[str] = DATA_INTEGRITY_PROOF
    cryptosuite: ClassVar[str | None] = None
    transformation: ClassVar[Literal["rdfc", "jcs"]]
    hash_algorithms: ClassVar[Mapping[str, str]]
    legacy: ClassVar[bool] = False
    own_proof_context: ClassVar[bool] = False
    signature_member: ClassVar[str] = "proofValue"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = cls.cryptosuite or cls.proof_type

    @property
    def key_algorithms(self) -> frozenset[str]:
        """Key algorithms the suite signs with (a signer's or public key's ``algorithm``)."""
        return frozenset(self.hash_algorithms)

    @property
    def embeds_proof_context(self) -> bool:
        """Whether the proof carries ``@context``: with JCS the context is part of what is
        signed, while RDFC-1.0 borrows the document's when hashing the configuration."""
        return self.transformation == "jcs"

    def hash_data(
        self,
        unsecured_document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        canonicalizer: Canonicalizer,
        *,
        key_algorithm: str | None = None,
    ) -> HashData:
        """Transform both inputs and hash each with the hash of ``key_algorithm`` (needed only
        by suites that sign with several key types; JCS leaves the canonicalizer unused)."""
        hash_algorithm = self.hash_algorithms[self._signing_algorithm(key_algorithm)]
        if self.transformation == "jcs":
            return hash_jcs(unsecured_document, proof_config, hash_algorithm=hash_algorithm)
        return hash_rdfc(
            unsecured_document, proof_config, canonicalizer, hash_algorithm=hash_algorithm
        )

    def encode_proof_value(self, signature: bytes) -> str:
        """The multibase base58btc ``proofValue`` of a signature."""
        return encode_base58_proof_value(signature)

    def decode_proof_value(
        self, proof_value: object, *, path: str, key_algorithm: str | None = None
    ) -> bytes:
        """Decode a ``proofValue``; anything but base58btc of the key algorithm's signature
        length (64 bytes for Ed25519 and P-256, 96 for P-384) is an invalid signature."""
        return decode_base58_proof_value(
            proof_value, path=path, key_algorithm=self._signing_algorithm(key_algorithm)
        )

    def read_signature(
        self, proof: Mapping[str, Any], *, path: str, key_algorithm: str
    ) -> ProofSignature:
        """The signature in the proof's ``proofValue``; the hashes alone are signed."""
        return ProofSignature(
            self.decode_proof_value(
                proof.get("proofValue"), path=f"{path}/proofValue", key_algorithm=key_algorithm
            )
        )

    def public_key_from_method(self, method: Mapping[str, Any], *, path: str) -> PublicKey:
        """The public key of a Multikey, Ed25519VerificationKey2020 or JWK method, if it is of
        a type the suite signs with."""
        return public_key_from_method(
            method, suite_name=self.name, key_algorithms=self.key_algorithms, path=path
        )

    def _signing_algorithm(self, key_algorithm: str | None) -> str:
        if len(self.hash_algorithms) == 1:
            # A suite with one key type needs no hint and has never checked one it is given.
            (only,) = self.hash_algorithms
            return only
        return require_key_algorithm(self.name, self.key_algorithms, key_algorithm)


def encode_base58_proof_value(signature: bytes) -> str:
    """``z`` + base58btc of the signature, the ``proofValue`` of every suite here."""
    return encode_base58btc_multibase(signature)


def decode_base58_proof_value(proof_value: object, *, path: str, key_algorithm: str) -> bytes:
    """Decode a ``proofValue``; anything but base58btc of the algorithm's signature length is
    an invalid signature (``invalid_signature``)."""
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise InvalidSignature(
            "proofValue must be a multibase base58btc string (starting with 'z')", path=path
        )
    expected = SIGNATURE_LENGTHS[key_algorithm]
    # base58 needs fewer than 1.4 characters a byte; refuse what cannot be a signature before
    # decoding it, since base58 decoding is quadratic in the length.
    if len(proof_value) > 2 * expected:
        raise InvalidSignature(
            f"proofValue has {len(proof_value)} characters, too many for a {key_algorithm} "
            "signature",
            path=path,
        )
    try:
        signature = decode_base58btc_multibase(proof_value)
    except ValueError as exc:
        raise InvalidSignature(f"proofValue is not valid base58btc: {exc}", path=path) from exc
    if len(signature) != expected:
        raise InvalidSignature(
            f"proofValue decodes to {len(signature)} bytes; a {key_algorithm} signature has "
            f"{expected}",
            path=path,
        )
    return signature


def require_key_algorithm(
    suite_name: str, key_algorithms: frozenset[str], key_algorithm: str | None
) -> str:
    """``key_algorithm`` if the suite signs with it; ``InvalidVerificationMethod``
    (``key_type_mismatch``) otherwise."""
    if key_algorithm not in key_algorithms:
        raise InvalidVerificationMethod(
            f"{suite_name} proofs are made with {' or '.join(sorted(key_algorithms))} keys, "
            f"not {key_algorithm}",
            code="key_type_mismatch",
        )
    return key_algorithm


def public_key_from_method(
    method: Mapping[str, Any], *, suite_name: str, key_algorithms: frozenset[str], path: str
) -> PublicKey:
    """The public key a verification method publishes, if the suite may use it.

    A key of another type than the suite's is refused with ``key_type_mismatch`` (INVALID)
    before the key is decoded; reading the key is
    :func:`vcbadge.keys.public_keys.public_key_from_method` (``key_format`` for an undecodable
    key, or one that publishes private members).
    """
    try:
        algorithm = published_key_algorithm(method)
        if algorithm != NO_KEY:
            require_key_algorithm(suite_name, key_algorithms, algorithm)
    except (KeyFormatError, InvalidVerificationMethod) as error:
        raise error.at(path) from error
    return public_key_from_published_method(method, path=path)


def hash_rdfc(
    unsecured_document: Mapping[str, Any],
    proof_config: Mapping[str, Any],
    canonicalizer: Canonicalizer,
    *,
    hash_algorithm: str = "sha256",
) -> HashData:
    """RDFC-1.0 canonicalization of both inputs, each hashed with ``hash_algorithm``.

    With ``"sha384"`` RDFC-1.0 itself also runs with SHA-384 (ecdsa-rdfc-2019 on P-384): the
    canonical blank-node labels depend on it.
    """
    if canonicalizer.hash_algorithm != hash_algorithm:
        canonicalizer = _variant(canonicalizer, hash_algorithm)
    canonical_proof = canonicalizer.canonicalize(proof_config)
    canonical_document = canonicalizer.canonicalize(unsecured_document)
    return _hashed(canonical_document, canonical_proof, hash_algorithm)


def hash_jcs(
    unsecured_document: Mapping[str, Any],
    proof_config: Mapping[str, Any],
    *,
    hash_algorithm: str = "sha256",
) -> HashData:
    """RFC 8785 serialization of both inputs, each hashed with ``hash_algorithm``."""
    return _hashed(
        canonicalize_jcs(unsecured_document), canonicalize_jcs(proof_config), hash_algorithm
    )


def _hashed(canonical_document: str, canonical_proof: str, hash_algorithm: str) -> HashData:
    return HashData(
        canonical_document=canonical_document,
        canonical_proof_config=canonical_proof,
        document_hash=hashlib.new(hash_algorithm, canonical_document.encode("utf-8")).digest(),
        proof_hash=hashlib.new(hash_algorithm, canonical_proof.encode("utf-8")).digest(),
    )


# One SHA-384 twin per canonicalizer a caller passes, so its context caches are reused across
# P-384 proofs; weak keys let the twin go when the caller drops its canonicalizer.
_VARIANTS: weakref.WeakKeyDictionary[Canonicalizer, dict[str, Canonicalizer]] = (
    weakref.WeakKeyDictionary()
)
_VARIANTS_LOCK = threading.Lock()


def _variant(canonicalizer: Canonicalizer, hash_algorithm: str) -> Canonicalizer:
    with _VARIANTS_LOCK:
        twins = _VARIANTS.setdefault(canonicalizer, {})
        twin = twins.get(hash_algorithm)
        if twin is None:
            twin = Canonicalizer(
                canonicalizer.loader,
                hash_algorithm=hash_algorithm,
                safe=canonicalizer.safe,
                max_work=canonicalizer.max_work,
                max_depth=canonicalizer.max_depth,
                max_quads=canonicalizer.max_quads,
                context_cache_size=canonicalizer.context_cache_size,
            )
            twins[hash_algorithm] = twin
        return twin
