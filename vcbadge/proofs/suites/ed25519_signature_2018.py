"""The legacy Ed25519Signature2018 proof type (W3C CCG Ed25519 Signature 2018, on the Linked Data
Proofs algorithm of ``jsonld-signatures``), verify only.

What didkit, and so Open edX, signs by default. The hashing is that of Ed25519Signature2020:
RDFC-1.0 (URDNA2015) of the proof options (the proof without ``jws``, read under its own
``@context`` when it carries one, else under the document's) and of the document without its
proof, each hashed with SHA-256, concatenated proof hash first. The signature is not a
``proofValue`` but a *detached* JWS with an unencoded payload (RFC 7797) in ``jws``:
``base64url(header) + ".." + base64url(signature)``, where the header must be exactly the
protected header ``{"alg": "EdDSA", "b64": false, "crit": ["b64"]}`` (members in any order),
and the Ed25519 signature is over ``ASCII(base64url(header)) || "." || proof-hash || doc-hash``
(the 64 raw hash bytes, not base64url: that is what ``b64: false`` means).

The key comes from an ``Ed25519VerificationKey2018`` method (``publicKeyBase58``, as didkit's
did:key documents and older DID documents publish it) or, like every Ed25519 suite here, from
``Ed25519VerificationKey2020`` / ``Multikey`` (``publicKeyMultibase``) or a JWK.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from vcbadge._b64url import b64url_decode
from vcbadge._json import loads_strict
from vcbadge._multibase import base58_decode
from vcbadge.errors import InputError, InvalidSignature, KeyFormatError
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.proofs.hashing import ProofSignature
from vcbadge.proofs.suites._common import EDDSA_HASHES, SIGNATURE_LENGTHS, DataIntegritySuite
from vcbadge.protocols import PublicKey

__all__ = ["DETACHED_JWS_HEADER", "ED25519_2018_CONTEXT", "Ed25519Signature2018"]

# A 32-byte key is at most 44 base58 characters; base58 decoding is quadratic, so anything
# much longer is refused before it is decoded.
_MAX_BASE58_KEY_CHARS = 64

ED25519_2018_CONTEXT = "https://w3id.org/security/suites/ed25519-2018/v1"
"""The suite's own context; the VC 1.1 base context also defines its terms."""

DETACHED_JWS_HEADER: Mapping[str, object] = {"alg": "EdDSA", "b64": False, "crit": ["b64"]}
"""The only protected header an Ed25519Signature2018 ``jws`` may carry."""


class Ed25519Signature2018(DataIntegritySuite):
    """Stateless verifier of Ed25519Signature2018 (detached JWS, ``b64: false``)."""

    proof_type = "Ed25519Signature2018"
    transformation = "rdfc"
    hash_algorithms = EDDSA_HASHES
    legacy = True
    own_proof_context = True
    signature_member: ClassVar[str] = "jws"

    def encode_proof_value(self, signature: bytes) -> str:
        """Never used: the suite is kept to verify deployed credentials, not to issue."""
        raise InputError(
            f"{self.name} is a legacy proof type kept to verify old credentials; "
            "issue with a current suite",
            code="legacy_cryptosuite",
        )

    def read_signature(
        self, proof: Mapping[str, Any], *, path: str, key_algorithm: str
    ) -> ProofSignature:
        """The Ed25519 signature of the proof's detached ``jws`` and the JWS signing-input
        prefix (``ASCII(base64url(header)) || "."``) the hashes are appended to.

        Raises ``InvalidSignature`` with its own code per fault: ``jws_malformed`` (not a
        detached compact JWS, undecodable parts, a header that is not a JSON object, a
        signature of the wrong length), ``jws_alg_unsupported`` (``alg`` is not ``EdDSA``),
        ``jws_b64_required`` (``b64`` is not ``false``), ``jws_crit_unsupported`` (``crit``
        is not exactly ``["b64"]``) and ``jws_header_unsupported`` (any other header member,
        which this suite never defines: refused rather than ignored).
        """
        jws_path = f"{path}/jws"
        jws = proof.get("jws")
        if not isinstance(jws, str):
            raise InvalidSignature("jws must be a string", code="jws_malformed", path=jws_path)
        parts = jws.split(".")
        if len(parts) != 3 or parts[1] != "":
            raise InvalidSignature(
                "jws must be a detached compact JWS: header..signature (empty payload)",
                code="jws_malformed",
                path=jws_path,
            )
        encoded_header, _, encoded_signature = parts
        try:
            # Strict JSON: a duplicated member (two "alg"s) must not pass as either one.
            header = loads_strict(b64url_decode(encoded_header), max_bytes=4096, max_depth=4)
            signature = b64url_decode(encoded_signature)
        except ValueError as exc:  # bad base64url, UTF-8 or JSON (InputError is a ValueError)
            raise InvalidSignature(
                f"jws is not decodable: {exc}", code="jws_malformed", path=jws_path
            ) from None
        if not isinstance(header, dict):
            raise InvalidSignature(
                "the jws header is not a JSON object", code="jws_malformed", path=jws_path
            )
        _check_header(header, jws_path)
        expected = SIGNATURE_LENGTHS[key_algorithm]
        if len(signature) != expected:
            raise InvalidSignature(
                f"the jws signature has {len(signature)} bytes; an Ed25519 signature has "
                f"{expected}",
                code="jws_malformed",
                path=jws_path,
            )
        # RFC 7797 section 3: with b64 false the signing input is the header as transmitted,
        # a dot, then the payload bytes themselves (here proof hash || document hash).
        return ProofSignature(signature, signing_prefix=encoded_header.encode("ascii") + b".")

    def public_key_from_method(self, method: Mapping[str, Any], *, path: str) -> PublicKey:
        """Also reads ``publicKeyBase58`` (Ed25519VerificationKey2018)."""
        base58_key = method.get("publicKeyBase58")
        if isinstance(base58_key, str) and "publicKeyMultibase" not in method:
            if method.get("type") != "Ed25519VerificationKey2018":
                raise KeyFormatError(
                    "publicKeyBase58 is read only from an Ed25519VerificationKey2018 method",
                    path=path,
                )
            if len(base58_key) > _MAX_BASE58_KEY_CHARS:
                raise KeyFormatError(
                    f"publicKeyBase58 has {len(base58_key)} characters, too many for an "
                    "Ed25519 key",
                    path=path,
                )
            try:
                raw = base58_decode(base58_key)
                return Ed25519Key.from_public_bytes(raw)
            except KeyFormatError as exc:
                # keeps its code: weak_key must stay weak_key, whatever the encoding
                raise exc.at(path) from None
            except (ValueError, KeyError) as exc:
                raise KeyFormatError(
                    f"publicKeyBase58 is not an Ed25519 key: {exc}", path=path
                ) from None
        return super().public_key_from_method(method, path=path)


def _check_header(header: Mapping[str, Any], path: str) -> None:
    if header.get("alg") != "EdDSA":
        raise InvalidSignature(
            f"jws alg is {header.get('alg')!r}; Ed25519Signature2018 signs with EdDSA",
            code="jws_alg_unsupported",
            path=path,
        )
    # "b64": false must be present and a JSON false (not 0, not "false"), and named critical.
    if header.get("b64") is not False:
        raise InvalidSignature(
            'Ed25519Signature2018 needs a detached unencoded payload ("b64": false)',
            code="jws_b64_required",
            path=path,
        )
    if header.get("crit") != ["b64"]:
        raise InvalidSignature(
            f'jws crit is {header.get("crit")!r}; it must be exactly ["b64"]',
            code="jws_crit_unsupported",
            path=path,
        )
    extra = sorted(set(header) - set(DETACHED_JWS_HEADER))
    if extra:
        raise InvalidSignature(
            f"jws header members {extra} are not part of Ed25519Signature2018",
            code="jws_header_unsupported",
            path=path,
        )
