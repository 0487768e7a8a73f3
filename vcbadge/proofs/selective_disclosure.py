"""ecdsa-sd-2023 selective disclosure (W3C Data Integrity ECDSA Cryptosuites v1.0, 3.4-3.5).

An issuer signs a *base proof*: the canonical N-Quads of the credential, with every blank node
relabelled by an HMAC of its canonical label, split into the *mandatory* statements (those the
issuer's JSON pointers select, hashed together) and the others, each signed alone with a
one-time P-256 key. The issuer's key signs ``proof hash || one-time public key || mandatory
hash``. The holder keeps that proof and presents a *derived proof*: the mandatory statements
plus the ones they chose to reveal, with the signatures of the revealed ones, the label map
that turns the verifier's canonical labels back into the HMAC labels, and the positions of the
mandatory statements among what is revealed.

This module is pure (keys and the canonicalizer are given): the issuer's side
(:func:`create_base_proof`), the holder's (:func:`verify_base_proof`, :func:`derive`) and the
verifier's (:func:`verify_derived_proof`), and both ``proofValue`` forms (multibase base64url
of a three-byte header and strict CBOR, ``vcbadge._cbor``). A base proof is for the holder,
never for a verifier, and is refused as one (``sd_base_proof_presented``).

Selecting by JSON pointer follows the specification's ``selectJsonLd`` on a *skolemized* copy
(every blank node given an IRI under a random ``urn:bnid:`` prefix, through a JSON-LD expand and
compact round trip), so a selected fragment keeps naming the same nodes; the pointers therefore
address the document as compacted under its own contexts (as Digital Bazaar's implementation
does: a one-element array the context does not keep as a set is no array to point into).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError

from vcbadge._b64url import b64url_decode, b64url_encode
from vcbadge._cbor import CborError, CborValue, decode_cbor, encode_cbor
from vcbadge._time import format_datetime
from vcbadge.errors import CanonicalizationError, InputError, InvalidSignature, KeyFormatError
from vcbadge.jsonld.nquads import Quad, serialize_quad
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys.ec import EcKey
from vcbadge.proofs.hashing import HashData
from vcbadge.protocols import PublicKey, Signer

__all__ = [
    "BASE_PROOF_HEADER",
    "DERIVED_PROOF_HEADER",
    "BaseProofValue",
    "DerivedProofValue",
    "create_base_proof",
    "derive",
    "labelled_canonical_nquads",
    "parse_base_proof_value",
    "parse_derived_proof_value",
    "select_json_ld",
    "serialize_base_proof_value",
    "serialize_derived_proof_value",
    "verify_base_proof",
    "verify_derived_proof",
]

BASE_PROOF_HEADER = b"\xd9\x5d\x00"
"""The bytes before the CBOR of a base proof (the CBOR head of tag 23808)."""
DERIVED_PROOF_HEADER = b"\xd9\x5d\x01"
"""The bytes before the CBOR of a derived proof (tag 23809)."""

_P256_PUBLIC_PREFIX = b"\x80\x24"  # the p256-pub multicodec, as a varint
_SIGNATURE_LENGTH = 64  # P-256 r || s
_HMAC_LENGTH = 32  # HMAC-SHA-256 key and label digest
_PUBLIC_KEY_LENGTH = len(_P256_PUBLIC_PREFIX) + 33  # compressed point
_MAX_PROOF_VALUE_CHARS = 1 << 20  # about 12 000 statements; an OB badge has some 50-200


@dataclass(frozen=True)
class BaseProofValue:
    """What a base proof's ``proofValue`` carries (issuer to holder only)."""

    base_signature: bytes
    public_key: bytes
    """The one-time P-256 key as Multikey bytes: ``0x80 0x24`` + compressed point."""
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    """One per non-mandatory statement, in canonical order."""
    mandatory_pointers: tuple[str, ...]


@dataclass(frozen=True)
class DerivedProofValue:
    """What a derived proof's ``proofValue`` carries (holder to verifier)."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    """One per revealed non-mandatory statement, in canonical order."""
    label_map: Mapping[str, str]
    """Canonical blank-node label (``c14n3``) -> HMAC label (``u`` + base64url)."""
    mandatory_indexes: tuple[int, ...]
    """Positions of the mandatory statements among the revealed ones (ascending)."""


def _malformed(message: str, path: str) -> InvalidSignature:
    return InvalidSignature(message, code="sd_proof_value_malformed", path=path)


def _decode(proof_value: object, path: str) -> tuple[bytes, CborValue]:
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise _malformed(
            "an ecdsa-sd-2023 proofValue must be multibase base64url (starting with 'u')", path
        )
    if len(proof_value) > _MAX_PROOF_VALUE_CHARS:
        raise _malformed(f"proofValue is longer than {_MAX_PROOF_VALUE_CHARS} characters", path)
    try:
        raw = b64url_decode(proof_value[1:])
    except ValueError as exc:
        raise _malformed(f"proofValue is not base64url: {exc}", path) from None
    header, body = raw[:3], raw[3:]
    if header not in (BASE_PROOF_HEADER, DERIVED_PROOF_HEADER):
        raise _malformed("proofValue has neither the base nor the derived proof header", path)
    try:
        value = decode_cbor(body)
    except CborError as exc:
        raise _malformed(f"proofValue is not the expected CBOR: {exc}", path) from None
    return header, value


def _fixed_bytes(value: object, length: int, what: str, path: str) -> bytes:
    if not isinstance(value, bytes) or len(value) != length:
        raise _malformed(f"{what} must be {length} bytes", path)
    return value


def _public_key_bytes(value: object, path: str) -> bytes:
    key = _fixed_bytes(value, _PUBLIC_KEY_LENGTH, "the one-time public key", path)
    if not key.startswith(_P256_PUBLIC_PREFIX):
        raise _malformed("the one-time public key is not a P-256 Multikey", path)
    return key


def _signature_list(value: object, path: str) -> tuple[bytes, ...]:
    if not isinstance(value, list):
        raise _malformed("the statement signatures must be an array", path)
    return tuple(
        _fixed_bytes(item, _SIGNATURE_LENGTH, "a statement signature", path) for item in value
    )


def _five(value: CborValue, path: str) -> list[CborValue]:
    if not isinstance(value, list) or len(value) != 5:
        raise _malformed("proofValue must encode an array of five components", path)
    return value


def parse_base_proof_value(proof_value: object, *, path: str) -> BaseProofValue:
    """The components of a base proof's ``proofValue``; ``InvalidSignature``
    (``sd_proof_value_malformed``) for anything else, a derived proof included."""
    header, value = _decode(proof_value, path)
    if header != BASE_PROOF_HEADER:
        raise _malformed("proofValue is a derived proof, not a base proof", path)
    base_signature, public_key, hmac_key, signatures, pointers = _five(value, path)
    if not isinstance(pointers, list) or not all(isinstance(p, str) for p in pointers):
        raise _malformed("the mandatory pointers must be an array of strings", path)
    return BaseProofValue(
        base_signature=_fixed_bytes(base_signature, _SIGNATURE_LENGTH, "the base signature", path),
        public_key=_public_key_bytes(public_key, path),
        hmac_key=_fixed_bytes(hmac_key, _HMAC_LENGTH, "the HMAC key", path),
        signatures=_signature_list(signatures, path),
        mandatory_pointers=tuple(str(p) for p in pointers),
    )


def parse_derived_proof_value(proof_value: object, *, path: str) -> DerivedProofValue:
    """The components of a derived proof's ``proofValue``.

    Raises ``InvalidSignature``: ``sd_base_proof_presented`` for a base proof (the issuer's
    proof to the holder, which carries the HMAC key and is never shown to a verifier),
    ``sd_proof_value_malformed`` for anything else that is not exactly a derived proof.
    """
    header, value = _decode(proof_value, path)
    if header == BASE_PROOF_HEADER:
        raise InvalidSignature(
            "this is an ecdsa-sd-2023 base proof, which the issuer gives the holder; a "
            "verifier is presented a derived proof (what the holder chose to disclose)",
            code="sd_base_proof_presented",
            path=path,
        )
    base_signature, public_key, signatures, compressed, indexes = _five(value, path)
    if not isinstance(compressed, dict):
        raise _malformed("the label map must be a CBOR map", path)
    label_map = {
        f"c14n{index}": "u" + b64url_encode(_fixed_bytes(label, _HMAC_LENGTH, "a label", path))
        for index, label in compressed.items()
    }
    if not isinstance(indexes, list) or not all(isinstance(i, int) for i in indexes):
        raise _malformed("the mandatory indexes must be an array of integers", path)
    mandatory = tuple(int(i) for i in indexes)  # type: ignore[arg-type]
    if any(later <= earlier for earlier, later in itertools.pairwise(mandatory)):
        raise _malformed("the mandatory indexes must be strictly ascending", path)
    return DerivedProofValue(
        base_signature=_fixed_bytes(base_signature, _SIGNATURE_LENGTH, "the base signature", path),
        public_key=_public_key_bytes(public_key, path),
        signatures=_signature_list(signatures, path),
        label_map=label_map,
        mandatory_indexes=mandatory,
    )


def _multibase(header: bytes, value: CborValue) -> str:
    return "u" + b64url_encode(header + encode_cbor(value))


def serialize_base_proof_value(value: BaseProofValue) -> str:
    """The ``proofValue`` of a base proof."""
    return _multibase(
        BASE_PROOF_HEADER,
        [
            value.base_signature,
            value.public_key,
            value.hmac_key,
            list(value.signatures),
            list(value.mandatory_pointers),
        ],
    )


def serialize_derived_proof_value(value: DerivedProofValue) -> str:
    """The ``proofValue`` of a derived proof (the label map compressed to index -> bytes)."""
    compressed: dict[int, CborValue] = {}
    for canonical, label in value.label_map.items():
        if not canonical.startswith("c14n") or not label.startswith("u"):
            raise ValueError(f"label map entry {canonical!r} -> {label!r} is not compressible")
        compressed[int(canonical[4:])] = b64url_decode(label[1:])
    return _multibase(
        DERIVED_PROOF_HEADER,
        [
            value.base_signature,
            value.public_key,
            list(value.signatures),
            compressed,
            list(value.mandatory_indexes),
        ],
    )


def labelled_canonical_nquads(
    document: Mapping[str, Any], canonicalizer: Canonicalizer, label_map: Mapping[str, str]
) -> list[str]:
    """The canonical N-Quads of ``document`` with each canonical blank-node label replaced by
    its ``label_map`` entry, sorted again (the statements the signatures cover, in order).

    Raises ``InvalidSignature`` (``sd_label_map_mismatch``) unless ``label_map`` maps exactly
    the document's blank nodes, to distinct labels.
    """
    quads = canonicalizer.to_quads(document)
    issued = canonicalizer.issued_identifiers("".join(serialize_quad(quad) for quad in quads))
    canonical_labels = set(issued.values())
    if canonical_labels != set(label_map) or len(set(label_map.values())) != len(label_map):
        raise InvalidSignature(
            f"the proof's label map names {len(label_map)} blank nodes; the disclosed "
            f"document has {len(canonical_labels)} (or two share a label)",
            code="sd_label_map_mismatch",
        )
    replacement = {f"_:{source}": f"_:{label_map[target]}" for source, target in issued.items()}
    lines = []
    for quad in quads:
        relabelled = {
            key: (
                {"type": "blank node", "value": replacement[term["value"]]}
                if key != "predicate" and term["type"] == "blank node"
                else term
            )
            for key, term in quad.items()
        }
        lines.append(serialize_quad(relabelled))
    lines.sort()
    return lines


def _one_time_key(public_key: bytes, path: str) -> EcKey:
    try:
        return EcKey.from_public_bytes(public_key[len(_P256_PUBLIC_PREFIX) :], "P-256")
    except KeyFormatError as exc:
        raise _malformed(f"the one-time public key is not a P-256 point: {exc}", path) from None


def verify_derived_proof(
    unsecured_document: Mapping[str, Any],
    proof_config: Mapping[str, Any],
    proof_value: object,
    *,
    public_key: PublicKey,
    canonicalizer: Canonicalizer,
    path: str,
) -> HashData:
    """Raise ``InvalidSignature`` unless ``proof_value`` is a derived proof, by the holder of
    ``public_key``'s base proof, of exactly the statements of ``unsecured_document``.

    ``proof_config`` is the proof without ``proofValue``, with the ``@context`` it is read
    under. Returns the revealed statements (``canonical_document``, HMAC labels) and the
    proof and mandatory hashes (``document_hash`` is the mandatory hash).

    Codes: ``sd_base_proof_presented``, ``sd_proof_value_malformed`` (see
    :func:`parse_derived_proof_value`), ``sd_label_map_mismatch``, ``sd_mandatory_indexes_mismatch``
    (an index past the last statement), ``sd_signature_count_mismatch`` (not one signature per
    revealed non-mandatory statement), ``invalid_signature`` (the issuer's signature does not
    cover these mandatory statements and proof options) and ``sd_statement_signature_invalid``
    (a revealed statement is not the one signed).
    """
    value_path = f"{path}/proofValue"
    derived = parse_derived_proof_value(proof_value, path=value_path)
    canonical_proof = canonicalizer.canonicalize(proof_config)
    proof_hash = hashlib.sha256(canonical_proof.encode("utf-8")).digest()
    try:
        statements = labelled_canonical_nquads(unsecured_document, canonicalizer, derived.label_map)
    except InvalidSignature as error:
        raise error.at(value_path) from None
    if len(derived.signatures) != len(statements) - len(derived.mandatory_indexes):
        raise InvalidSignature(
            f"the proof carries {len(derived.signatures)} statement signatures and "
            f"{len(derived.mandatory_indexes)} mandatory indexes for {len(statements)} "
            "disclosed statements",
            code="sd_signature_count_mismatch",
            path=value_path,
        )
    if derived.mandatory_indexes and derived.mandatory_indexes[-1] >= len(statements):
        raise InvalidSignature(
            f"a mandatory index ({derived.mandatory_indexes[-1]}) is past the "
            f"{len(statements)} disclosed statements",
            code="sd_mandatory_indexes_mismatch",
            path=value_path,
        )
    mandatory_set = set(derived.mandatory_indexes)
    mandatory = [line for index, line in enumerate(statements) if index in mandatory_set]
    optional = [line for index, line in enumerate(statements) if index not in mandatory_set]
    mandatory_hash = hashlib.sha256("".join(mandatory).encode("utf-8")).digest()
    if not public_key.verify(
        derived.base_signature, proof_hash + derived.public_key + mandatory_hash
    ):
        raise InvalidSignature(
            "the issuer's signature does not match the proof options and mandatory statements",
            path=path,
        )
    one_time = _one_time_key(derived.public_key, value_path)
    for index, (signature, statement) in enumerate(zip(derived.signatures, optional, strict=True)):
        if not one_time.verify(signature, statement.encode("utf-8")):
            raise InvalidSignature(
                f"disclosed statement {index} is not the one the issuer signed: "
                f"{statement.strip()}",
                code="sd_statement_signature_invalid",
                path=value_path,
            )
    return HashData(
        canonical_document="".join(statements),
        canonical_proof_config=canonical_proof,
        document_hash=mandatory_hash,
        proof_hash=proof_hash,
    )


# --- Issuing a base proof and deriving a disclosure (the issuer's and the holder's side) -------


def create_base_proof(
    document: Mapping[str, Any],
    *,
    signer: Signer,
    canonicalizer: Canonicalizer,
    mandatory_pointers: Sequence[str],
    created: datetime | None,
    proof_purpose: str = "assertionMethod",
    hmac_key: bytes | None = None,
    one_time_key: EcKey | None = None,
) -> dict[str, Any]:
    """An ecdsa-sd-2023 base proof over ``document`` (unsecured), for the holder.

    ``mandatory_pointers`` (JSON pointers) select what every disclosure must reveal. The HMAC
    key and the one-time P-256 key are fresh unless given (the W3C vectors fix both).

    Raises ``InputError``: ``key_algorithm_mismatch`` (the signer is not P-256),
    ``sd_pointer_invalid`` / ``sd_pointer_not_found`` (a pointer that is not a JSON pointer or
    selects nothing), and the canonicalizer's errors.
    """
    if signer.algorithm != "P-256":
        raise InputError(
            f"ecdsa-sd-2023 signs with P-256 keys, the signer uses {signer.algorithm}",
            code="key_algorithm_mismatch",
        )
    proof_config: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023"}
    if created is not None:
        proof_config["created"] = format_datetime(created)
    proof_config["verificationMethod"] = signer.verification_method
    proof_config["proofPurpose"] = proof_purpose
    # As with every suite, the proofs a document already carries are not signed over.
    document = {name: value for name, value in document.items() if name != "proof"}
    proof_hash = _proof_hash(proof_config, document, canonicalizer)
    key = hmac_key if hmac_key is not None else secrets.token_bytes(_HMAC_LENGTH)
    if len(key) != _HMAC_LENGTH:
        raise InputError(f"the HMAC key must be {_HMAC_LENGTH} bytes", code="invalid_input")
    grouped = _Grouping(document, canonicalizer, key)
    mandatory = grouped.matching(mandatory_pointers)
    statements = grouped.statements
    mandatory_hash = hashlib.sha256(
        "".join(statements[i] for i in sorted(mandatory)).encode("utf-8")
    ).digest()
    one_time = one_time_key if one_time_key is not None else EcKey.generate("P-256")
    if one_time.curve != "P-256":
        raise InputError("the one-time key must be a P-256 key", code="key_algorithm_mismatch")
    public_key = _P256_PUBLIC_PREFIX + one_time.public_bytes
    signatures = tuple(
        one_time.sign(line.encode("utf-8"))
        for index, line in enumerate(statements)
        if index not in mandatory
    )
    value = BaseProofValue(
        base_signature=signer.sign(proof_hash + public_key + mandatory_hash),
        public_key=public_key,
        hmac_key=key,
        signatures=signatures,
        mandatory_pointers=tuple(mandatory_pointers),
    )
    proof = dict(proof_config)
    proof["proofValue"] = serialize_base_proof_value(value)
    return proof


def derive(
    secured_document: Mapping[str, Any],
    *,
    selective_pointers: Sequence[str],
    canonicalizer: Canonicalizer,
) -> dict[str, Any]:
    """The credential a holder presents: what the base proof's mandatory pointers and
    ``selective_pointers`` select from ``secured_document``, with a derived proof.

    Raises ``InputError``: ``sd_base_proof_required`` (the document carries no single
    ecdsa-sd-2023 base proof), ``sd_pointer_invalid`` / ``sd_pointer_not_found``, and
    ``sd_base_proof_mismatch`` (the base proof does not fit the document: altered since it was
    signed), ``sd_nothing_selected`` (no mandatory and no selective pointer);
    ``InvalidSignature`` (``sd_proof_value_malformed``) for an unreadable base proof. The base
    proof's signatures are not checked here: :func:`verify_base_proof` does that.
    """
    proof = _base_proof_of(secured_document)
    base = parse_base_proof_value(proof.get("proofValue"), path="/proof/proofValue")
    document = {key: value for key, value in secured_document.items() if key != "proof"}
    grouped = _Grouping(document, canonicalizer, base.hmac_key)
    mandatory = grouped.matching(base.mandatory_pointers)
    combined_pointers = [*base.mandatory_pointers, *selective_pointers]
    if not combined_pointers:
        raise InputError(
            "the base proof has no mandatory pointers and none was chosen: nothing to disclose",
            code="sd_nothing_selected",
        )
    combined = grouped.matching(combined_pointers)
    optional = [index for index in range(len(grouped.statements)) if index not in mandatory]
    if len(optional) != len(base.signatures):
        raise InputError(
            "the base proof does not fit the document (it has changed since it was signed)",
            code="sd_base_proof_mismatch",
            path="/proof/proofValue",
        )
    ordered = sorted(combined)
    mandatory_indexes = tuple(ordered.index(index) for index in sorted(mandatory))
    signatures = tuple(
        signature
        for index, signature in zip(optional, base.signatures, strict=True)
        if index in combined
    )
    revealed = select_json_ld(combined_pointers, document)
    # The verifier canonicalizes the revealed document afresh: its canonical labels are those
    # of the selected statements with their skolem labels, mapped here to the HMAC labels.
    selected = grouped.selected_quads(combined_pointers)
    issued = canonicalizer.issued_identifiers("".join(serialize_quad(q) for q in selected))
    label_map = {canonical: grouped.labels[source] for source, canonical in issued.items()}
    derived = DerivedProofValue(
        base_signature=base.base_signature,
        public_key=base.public_key,
        signatures=signatures,
        label_map=label_map,
        mandatory_indexes=mandatory_indexes,
    )
    derived_proof = {key: value for key, value in proof.items() if key != "proofValue"}
    derived_proof["proofValue"] = serialize_derived_proof_value(derived)
    revealed["proof"] = derived_proof
    return revealed


def verify_base_proof(
    secured_document: Mapping[str, Any],
    *,
    public_key: PublicKey,
    canonicalizer: Canonicalizer,
) -> None:
    """A holder's check of the base proof it was given, before keeping the credential: the
    issuer's signature over the mandatory statements, and one signature per other statement.

    Not a verifier's check (a verifier is shown derived proofs only), and outside the
    specification, which leaves it to the holder. Raises ``InputError``
    (``sd_base_proof_required``, ``sd_base_proof_mismatch``, pointer codes) or
    ``InvalidSignature`` (``sd_proof_value_malformed``, ``invalid_signature``,
    ``sd_statement_signature_invalid``).
    """
    proof = _base_proof_of(secured_document)
    base = parse_base_proof_value(proof.get("proofValue"), path="/proof/proofValue")
    document = {key: value for key, value in secured_document.items() if key != "proof"}
    grouped = _Grouping(document, canonicalizer, base.hmac_key)
    mandatory = grouped.matching(base.mandatory_pointers)
    optional = [line for index, line in enumerate(grouped.statements) if index not in mandatory]
    if len(optional) != len(base.signatures):
        raise InputError(
            "the base proof does not fit the document (it has changed since it was signed)",
            code="sd_base_proof_mismatch",
            path="/proof/proofValue",
        )
    mandatory_hash = hashlib.sha256(
        "".join(grouped.statements[i] for i in sorted(mandatory)).encode("utf-8")
    ).digest()
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    signed = _proof_hash(config, document, canonicalizer) + base.public_key + mandatory_hash
    if not public_key.verify(base.base_signature, signed):
        raise InvalidSignature(
            "the issuer's signature does not match the proof options and mandatory statements",
            path="/proof",
        )
    one_time = _one_time_key(base.public_key, "/proof/proofValue")
    for signature, statement in zip(base.signatures, optional, strict=True):
        if not one_time.verify(signature, statement.encode("utf-8")):
            raise InvalidSignature(
                f"statement {statement.strip()} is not the one the issuer signed",
                code="sd_statement_signature_invalid",
                path="/proof/proofValue",
            )


def _base_proof_of(secured_document: Mapping[str, Any]) -> Mapping[str, Any]:
    proof = secured_document.get("proof")
    if not isinstance(proof, Mapping) or proof.get("cryptosuite") != "ecdsa-sd-2023":
        raise InputError(
            "the document carries no single ecdsa-sd-2023 base proof",
            code="sd_base_proof_required",
            path="/proof",
        )
    return proof


def _proof_hash(
    proof_config: Mapping[str, Any], document: Mapping[str, Any], canonicalizer: Canonicalizer
) -> bytes:
    config = dict(proof_config)
    if "@context" in document:
        config["@context"] = document["@context"]
    return hashlib.sha256(canonicalizer.canonicalize(config).encode("utf-8")).digest()


class _Grouping:
    """The canonical, HMAC-relabelled statements of a document, and which of them JSON
    pointers select (``canonicalizeAndGroup``): blank nodes are skolemized (given IRIs under
    a random prefix) so that a selected fragment keeps naming the same nodes."""

    def __init__(
        self, document: Mapping[str, Any], canonicalizer: Canonicalizer, hmac_key: bytes
    ) -> None:
        self._canonicalizer = canonicalizer
        self._prefix = f"urn:bnid:_{secrets.token_hex(16)}_"
        # Safe mode first: the skolemizing round trip is plain JSON-LD, which would silently
        # drop a member no context defines; that must be refused, never left unsigned.
        expected = len(canonicalizer.to_quads(document))
        self.skolemized = _skolemize(document, canonicalizer, self._prefix)
        quads = self._deskolemized(self.skolemized)
        if len(quads) != expected:
            raise CanonicalizationError(
                f"the document has {expected} statements, {len(quads)} once skolemized"
            )
        issued = canonicalizer.issued_identifiers("".join(serialize_quad(q) for q in quads))
        self.labels = {
            source: "u"
            + b64url_encode(hmac.new(hmac_key, canonical.encode("utf-8"), "sha256").digest())
            for source, canonical in issued.items()
        }
        self.statements = sorted(self._relabelled(quads))

    def selected_quads(self, pointers: Sequence[str]) -> list[Quad]:
        if not pointers:
            return []
        return self._deskolemized(select_json_ld(pointers, self.skolemized))

    def matching(self, pointers: Sequence[str]) -> set[int]:
        chosen = set(self._relabelled(self.selected_quads(pointers)))
        return {index for index, line in enumerate(self.statements) if line in chosen}

    def _deskolemized(self, document: Mapping[str, Any]) -> list[Quad]:
        quads = self._canonicalizer.to_quads(document)
        for quad in quads:
            for key, term in quad.items():
                if term["type"] == "IRI" and term["value"].startswith(self._prefix):
                    if key == "predicate":
                        raise InputError(
                            "a skolem IRI became a predicate", code="sd_pointer_invalid"
                        )
                    quad[key] = {"type": "blank node", "value": "_:" + term["value"][9:]}
        return quads

    def _relabelled(self, quads: list[Quad]) -> list[str]:
        lines = []
        for quad in quads:
            relabelled = {
                key: (
                    {"type": "blank node", "value": "_:" + self.labels[term["value"][2:]]}
                    if key != "predicate" and term["type"] == "blank node"
                    else term
                )
                for key, term in quad.items()
            }
            lines.append(serialize_quad(relabelled))
        return lines


def _skolemize(
    document: Mapping[str, Any], canonicalizer: Canonicalizer, prefix: str
) -> dict[str, Any]:
    """``document`` with an ``@id`` under ``prefix`` on every node object that lacks one:
    expanded, given ids, compacted again under the document's own contexts."""

    def load(url: str, options: Any = None) -> Any:
        remote = canonicalizer.loader(url, options)
        return {
            "contextUrl": remote.get("contextUrl"),
            "documentUrl": remote.get("documentUrl") or url,
            "document": copy.deepcopy(remote["document"]),
        }

    counter = itertools.count()

    def with_ids(element: Any) -> Any:
        if isinstance(element, list):
            return [with_ids(item) for item in element]
        if not isinstance(element, dict) or "@value" in element:
            return element
        node = {key: with_ids(value) if key != "@type" else value for key, value in element.items()}
        if "@id" not in node and "@list" not in node and "@set" not in node:
            node["@id"] = f"{prefix}{next(counter)}"
        return node

    try:
        options = {
            "documentLoader": load,
            "contextResolver": ContextResolver({}, load),
            "base": None,
        }
        expanded = jsonld.expand(copy.deepcopy(dict(document)), options)
        context = {"@context": copy.deepcopy(document.get("@context", {}))}
        options = {
            "documentLoader": load,
            "contextResolver": ContextResolver({}, load),
            "base": None,
        }
        compacted: dict[str, Any] = jsonld.compact(with_ids(expanded), context, options)
    except JsonLdError as exc:
        raise CanonicalizationError(f"JSON-LD processing failed: {exc}") from None
    return compacted


def _parse_pointer(pointer: object) -> list[str]:
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise InputError(
            f"{pointer!r} is not a JSON pointer (RFC 6901) to a member", code="sd_pointer_invalid"
        )
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def _initial_selection(source: Any) -> dict[str, Any]:
    selection: dict[str, Any] = {}
    if isinstance(source, Mapping):
        node_id = source.get("id")
        if isinstance(node_id, str) and not node_id.startswith("_:"):
            selection["id"] = node_id
        if "type" in source:
            selection["type"] = copy.deepcopy(source["type"])
    return selection


class _Sparse(dict[int, Any]):
    """A selected array while selection runs: only the selected positions, kept in order."""


def select_json_ld(pointers: Sequence[str], document: Mapping[str, Any]) -> dict[str, Any]:
    """The part of ``document`` that ``pointers`` select (``selectJsonLd``): its ``@context``,
    the ``id`` (unless a blank node) and ``type`` of every object on a selected path, and each
    selected value whole. ``InputError`` (``sd_pointer_invalid``, ``sd_pointer_not_found``)
    for a pointer that is malformed or selects nothing."""
    selection = _initial_selection(document)
    if "@context" in document:
        selection["@context"] = copy.deepcopy(document["@context"])
    for pointer in pointers:
        steps = _parse_pointer(pointer)
        value: Any = document
        selected: Any = selection
        for depth, step in enumerate(steps):
            parent, selected_parent = value, selected
            key: str | int = step
            if isinstance(parent, list):
                if not step.isdigit() or (step != "0" and step.startswith("0")):
                    raise InputError(
                        f"{pointer}: {step!r} is not an array index",
                        code="sd_pointer_not_found",
                    )
                key = int(step)
                found = key < len(parent)
            else:
                found = isinstance(parent, Mapping) and step in parent
            if not found:
                raise InputError(f"{pointer} selects nothing", code="sd_pointer_not_found")
            value = parent[key]
            if depth == len(steps) - 1:
                break
            selected = selected_parent.get(key)
            if isinstance(selected, list):  # selected whole by an earlier pointer
                selected = _Sparse(enumerate(selected))
                selected_parent[key] = selected
            if selected is None:
                selected = _Sparse() if isinstance(value, list) else _initial_selection(value)
                selected_parent[key] = selected
        if isinstance(value, Mapping):
            current = selected_parent.get(key)
            merged = dict(current) if isinstance(current, Mapping) else {}
            merged.update(copy.deepcopy(dict(value)))
            selected_parent[key] = merged
        else:
            selected_parent[key] = copy.deepcopy(value)
    densified: dict[str, Any] = _densified(selection)
    return densified


def _densified(value: Any) -> Any:
    if isinstance(value, _Sparse):
        return [_densified(value[index]) for index in sorted(value)]
    if isinstance(value, dict):
        return {key: _densified(item) for key, item in value.items()}
    return value
