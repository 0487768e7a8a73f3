"""ecdsa-sd-2023 without the W3C corpus: the strict CBOR subset, every refusal of a proof
value with its code, issuing and deriving an Open Badge (pointers, tampering), and the OB rules
a disclosure must still satisfy."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Outcome,
    Verifier,
)
from vcbadge._b64url import b64url_encode
from vcbadge._cbor import CborError, CborValue, decode_cbor, encode_cbor
from vcbadge.errors import (
    CanonicalizationError,
    InputError,
    InvalidSignature,
    UnsupportedError,
)
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey, Ed25519Key
from vcbadge.proofs.registry import default_registry
from vcbadge.proofs.selective_disclosure import (
    BASE_PROOF_HEADER,
    DERIVED_PROOF_HEADER,
    create_base_proof,
    derive,
    parse_base_proof_value,
    parse_derived_proof_value,
    select_json_ld,
    serialize_derived_proof_value,
    verify_base_proof,
)
from vcbadge.proofs.suites.ecdsa_sd_2023 import EcdsaSd2023

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)
KEY = EcKey.from_private_scalar(bytes([7]) * 32, "P-256")
CANONICALIZER = Canonicalizer(default_loader())
# What an Open Badge must keep in every disclosure (see docs/tutorials/proof-formats.md).
OB_MANDATORY = [
    "/issuer",
    "/validFrom",
    "/name",
    "/credentialSubject/type",
    "/credentialSubject/identifier",
    "/credentialSubject/achievement",
]

# --- CBOR -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [0, 23, 24, 255, 256, 65_536, 1 << 32, b"", b"\x00" * 64, "", "é/~1", [], [[b"a"], 3],
     {0: b"x", 10: b"y"}, [b"s", b"k", [b"1", b"2"], {1: b"z"}, [0, 4, 5]]],
)  # fmt: skip
def test_cbor_round_trip(value: Any) -> None:
    assert decode_cbor(encode_cbor(value)) == value


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "ends early"),
        (b"\x18\x05", "shortest form"),  # 5 with a one-byte argument
        (b"\x19\x00\xff", "shortest form"),
        (b"\x1a\x00\x00\xff\xff", "shortest form"),
        (b"\x1b\x00\x00\x00\x00\xff\xff\xff\xff", "shortest form"),
        (b"\x20", "major type 1"),  # -1
        (b"\xc0\x00", "major type 6"),  # a tag
        (b"\xf5", "major type 7"),  # true
        (b"\xf9\x3c\x00", "major type 7"),  # half float
        (b"\x9f\x00\xff", "additional information 31"),  # indefinite array
        (b"\x5f\x41\x00\xff", "additional information 31"),  # indefinite bytes
        (b"\x1c", "additional information 28"),
        (b"\x00\x00", "follow"),
        (b"\x42\x00", "ends early"),
        (b"\x9a\xff\xff\xff\xff", "declares"),  # four billion entries, no input
        (b"\xa2\x00\x40\x00\x40", "twice"),
        (b"\xa1\x40\x40", "unsigned integers"),
        (b"\x62\xc3\x28", "UTF-8"),
        (b"\x81\x81\x81\x81\x81\x00", "deeply"),
    ],
)
def test_cbor_refuses(data: bytes, why: str) -> None:
    with pytest.raises(CborError, match=why):
        decode_cbor(data)


def test_cbor_encoder_refuses_what_the_decoder_would() -> None:
    for value in (-1, True, 1.5, None, {"a": b""}, 1 << 64):
        with pytest.raises(CborError):
            encode_cbor(value)  # type: ignore[arg-type]


# --- proofValue refusals --------------------------------------------------------------------

SIG, PUB, HMAC = b"\x01" * 64, b"\x80\x24" + KEY.public_bytes, b"\x02" * 32


def _value(header: bytes, components: Any) -> str:
    return "u" + b64url_encode(header + encode_cbor(components))


DERIVED: list[CborValue] = [SIG, PUB, [SIG], {0: HMAC}, [0]]


def _derived_with(index: int, replacement: Any) -> str:
    components = list(DERIVED)
    components[index] = replacement
    return _value(DERIVED_PROOF_HEADER, components)


@pytest.mark.parametrize(
    "proof_value",
    [
        None,
        "z3abc",
        "u***",
        "uAA",
        _value(b"\xd9\x5d\x02", DERIVED),
        _value(DERIVED_PROOF_HEADER, DERIVED[:4]),
        "u" + b64url_encode(DERIVED_PROOF_HEADER + encode_cbor(DERIVED) + b"\x00"),
        _derived_with(0, SIG[:63]),
        _derived_with(1, b"\xed\x01" + bytes(33)),  # an Ed25519 multicodec prefix
        _derived_with(1, PUB[:34]),
        _derived_with(2, SIG),
        _derived_with(2, [SIG[:10]]),
        _derived_with(3, [HMAC]),
        _derived_with(3, {0: HMAC[:31]}),
        _derived_with(4, [3, 1]),
        _derived_with(4, [1, 1]),
        _derived_with(4, [b"\x00"]),
        "u" + "A" * (1 << 20),
    ],
    ids=lambda v: str(v)[:24],
)
def test_malformed_derived_proof_value(proof_value: object) -> None:
    with pytest.raises(InvalidSignature) as caught:
        parse_derived_proof_value(proof_value, path="/proof/proofValue")
    assert caught.value.code == "sd_proof_value_malformed"
    assert caught.value.path == "/proof/proofValue"


def test_one_form_is_not_read_as_the_other() -> None:
    base = _value(BASE_PROOF_HEADER, [SIG, PUB, HMAC, [SIG], ["/issuer"]])
    with pytest.raises(InvalidSignature) as caught:
        parse_derived_proof_value(base, path="/p")
    assert caught.value.code == "sd_base_proof_presented"
    with pytest.raises(InvalidSignature) as caught:
        parse_base_proof_value(_value(DERIVED_PROOF_HEADER, DERIVED), path="/p")
    assert caught.value.code == "sd_proof_value_malformed"
    with pytest.raises(InvalidSignature) as caught:
        parse_base_proof_value(_value(BASE_PROOF_HEADER, [SIG, PUB, HMAC, [SIG], [1]]), path="/p")
    assert caught.value.code == "sd_proof_value_malformed"


# --- Issuing and deriving an Open Badge ------------------------------------------------------


def _badge(name: str = "Python 101") -> dict[str, Any]:
    achievement = Achievement(
        id="https://badges.example.edu/a/py101",
        name=name,
        description="Writes, tests and ships small Python programs.",
        criteria=Criteria(narrative="Pass the final project."),
    )
    credential = AchievementCredential.award(
        achievement, recipient_email="ada@example.org", salt="s1"
    ).to_json()
    credential["issuer"] = {"id": KEY.did, "type": ["Profile"], "name": "Example U"}
    credential["validFrom"] = "2025-01-01T00:00:00Z"
    credential["description"] = "Awarded for the spring term."
    return credential


def _based(mandatory: list[str], credential: dict[str, Any] | None = None) -> dict[str, Any]:
    document = credential if credential is not None else _badge()
    proof = create_base_proof(
        document,
        signer=KEY,
        canonicalizer=CANONICALIZER,
        mandatory_pointers=mandatory,
        created=NOW,
    )
    return {**document, "proof": proof}


def _verify(document: dict[str, Any]) -> Any:
    return EcdsaSd2023().verify_proof(
        document, document["proof"], public_key=KEY, canonicalizer=CANONICALIZER, path="/proof"
    )


def test_disclosure_carries_mandatory_and_chosen_members_only() -> None:
    derived = derive(
        _based(OB_MANDATORY), selective_pointers=["/description"], canonicalizer=CANONICALIZER
    )
    assert derived["description"] == "Awarded for the spring term."
    assert derived["credentialSubject"]["achievement"]["name"] == "Python 101"
    assert derived["id"].startswith("urn:uuid:")  # not a blank node: always disclosed
    _verify(derived)
    withheld = derive(_based(OB_MANDATORY), selective_pointers=[], canonicalizer=CANONICALIZER)
    assert "description" not in withheld
    _verify(withheld)


def test_base_proof_signs_nothing_it_cannot_see() -> None:
    credential = _badge()
    credential["credentialSubject"]["favouriteColour"] = "green"  # no context defines it
    with pytest.raises(CanonicalizationError) as caught:
        _based(OB_MANDATORY, credential)
    assert caught.value.code == "undefined_term"


@pytest.mark.parametrize(
    ("pointer", "code"),
    [
        ("issuer", "sd_pointer_invalid"),
        ("/nothing", "sd_pointer_not_found"),
        ("/credentialSubject/identifier/7", "sd_pointer_not_found"),
        ("/credentialSubject/identifier/01", "sd_pointer_not_found"),
        ("/name/0", "sd_pointer_not_found"),
    ],
)
def test_pointer_that_selects_nothing_is_refused(pointer: str, code: str) -> None:
    with pytest.raises(InputError) as caught:
        _based([pointer])
    assert caught.value.code == code
    base = _based(OB_MANDATORY)
    with pytest.raises(InputError) as caught:
        derive(base, selective_pointers=[pointer], canonicalizer=CANONICALIZER)
    assert caught.value.code == code


def test_select_json_ld_keeps_ids_types_and_array_order() -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:x",
        "type": ["VerifiableCredential"],
        "list": [{"id": "_:b0", "type": "A", "v": 1}, {"type": "B", "v": 2}, {"v": 3}],
        "a~b/c": 4,
    }
    selected = select_json_ld(["/list/2/v", "/list/0/v", "/a~0b~1c"], document)
    assert selected == {
        "id": "urn:x",
        "type": ["VerifiableCredential"],
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "list": [{"type": "A", "v": 1}, {"v": 3}],
        "a~b/c": 4,
    }


def test_derive_refuses_an_altered_or_missing_base_proof() -> None:
    base = _based(OB_MANDATORY)
    base["awardedDate"] = "2025-01-02T00:00:00Z"  # one statement more than was signed
    with pytest.raises(InputError) as caught:
        derive(base, selective_pointers=[], canonicalizer=CANONICALIZER)
    assert caught.value.code == "sd_base_proof_mismatch"
    with pytest.raises(InputError) as caught:
        derive(_badge(), selective_pointers=[], canonicalizer=CANONICALIZER)
    assert caught.value.code == "sd_base_proof_required"


def test_issuing_needs_a_p256_key() -> None:
    with pytest.raises(InputError) as caught:
        create_base_proof(
            _badge(),
            signer=Ed25519Key.generate(),
            canonicalizer=CANONICALIZER,
            mandatory_pointers=[],
            created=NOW,
        )
    assert caught.value.code == "key_algorithm_mismatch"


def _tamper_cases() -> list[tuple[str, Callable[[dict[str, Any]], None], str]]:
    def mandatory_value(d: dict[str, Any]) -> None:
        d["credentialSubject"]["achievement"]["name"] = "Python 201"

    def disclosed_value(d: dict[str, Any]) -> None:
        d["description"] = "Awarded for the autumn term."

    def withheld_disclosure(d: dict[str, Any]) -> None:
        del d["description"]

    def reordered_signatures(d: dict[str, Any]) -> None:
        derived = parse_derived_proof_value(d["proof"]["proofValue"], path="")
        swapped = dataclasses.replace(derived, signatures=derived.signatures[::-1])
        d["proof"]["proofValue"] = serialize_derived_proof_value(swapped)

    def mandatory_passed_off_as_optional(d: dict[str, Any]) -> None:
        derived = parse_derived_proof_value(d["proof"]["proofValue"], path="")
        fewer = dataclasses.replace(derived, mandatory_indexes=derived.mandatory_indexes[1:])
        d["proof"]["proofValue"] = serialize_derived_proof_value(fewer)

    def proof_option(d: dict[str, Any]) -> None:
        d["proof"]["created"] = "2025-03-02T00:00:00Z"

    return [
        ("mandatory value", mandatory_value, "invalid_signature"),
        ("disclosed value", disclosed_value, "sd_statement_signature_invalid"),
        ("withheld disclosure", withheld_disclosure, "sd_signature_count_mismatch"),
        ("reordered signatures", reordered_signatures, "sd_statement_signature_invalid"),
        ("index dropped", mandatory_passed_off_as_optional, "sd_signature_count_mismatch"),
        ("proof option", proof_option, "invalid_signature"),
    ]


@pytest.mark.parametrize(("what", "tamper", "code"), _tamper_cases(), ids=lambda c: str(c))
def test_tampered_disclosure_is_refused(
    what: str, tamper: Callable[[dict[str, Any]], None], code: str
) -> None:
    # Two disclosed non-mandatory statements, so that reordering their signatures matters.
    mandatory = [pointer for pointer in OB_MANDATORY if pointer != "/name"]
    derived = derive(
        _based(mandatory), selective_pointers=["/description", "/name"], canonicalizer=CANONICALIZER
    )
    tamper(derived)
    with pytest.raises(InvalidSignature) as caught:
        _verify(derived)
    assert caught.value.code == code, what


def test_chained_proof_is_not_supported() -> None:
    derived = derive(_based(OB_MANDATORY), selective_pointers=[], canonicalizer=CANONICALIZER)
    derived["proof"]["previousProof"] = "urn:uuid:one"
    with pytest.raises(UnsupportedError) as caught:
        _verify(derived)
    assert caught.value.code == "sd_previous_proof_unsupported"


def test_shared_algorithm_is_closed() -> None:
    suite = default_registry()["ecdsa-sd-2023"]
    assert isinstance(suite, EcdsaSd2023)
    with pytest.raises(UnsupportedError) as caught:
        suite.hash_data({}, {}, CANONICALIZER)
    assert caught.value.code == "sd_shared_algorithm"
    with pytest.raises(UnsupportedError):
        suite.read_signature({}, path="", key_algorithm="P-256")


# --- Through the verifier: OB rules on what is disclosed --------------------------------------

VERIFIER = Verifier.offline(clock=FixedClock(datetime(2025, 3, 2, tzinfo=timezone.utc)))


def test_disclosure_without_achievement_name_is_invalid_under_ob_rules() -> None:
    # The issuer left the achievement's name out of the mandatory pointers and the holder did
    # not reveal it: the signature may hold, but an Open Badge without it is not one.
    mandatory = [
        pointer for pointer in OB_MANDATORY if pointer != "/credentialSubject/achievement"
    ] + [f"/credentialSubject/achievement/{m}" for m in ("id", "type", "description", "criteria")]
    derived = derive(_based(mandatory), selective_pointers=[], canonicalizer=CANONICALIZER)
    assert "name" not in derived["credentialSubject"]["achievement"]
    _verify(derived)
    result = VERIFIER.verify(derived)
    assert result.outcome is Outcome.INVALID
    assert [(c.name, c.code, c.path) for c in result.failed if c.name == "ob_conformance"] == [
        ("ob_conformance", "ob_member_missing", "/credentialSubject/achievement/name")
    ]


def test_disclosed_badge_is_valid_through_the_verifier() -> None:
    derived = derive(_based(OB_MANDATORY), selective_pointers=[], canonicalizer=CANONICALIZER)
    result = VERIFIER.verify(derived)
    assert result.outcome is Outcome.VALID, result.to_dict()


def test_holder_checks_its_base_proof() -> None:
    base = _based(OB_MANDATORY)
    verify_base_proof(base, public_key=KEY, canonicalizer=CANONICALIZER)
    other = EcKey.generate("P-256")
    with pytest.raises(InvalidSignature) as caught:
        verify_base_proof(base, public_key=other, canonicalizer=CANONICALIZER)
    assert caught.value.code == "invalid_signature"
    base["credentialSubject"]["achievement"]["name"] = "Python 201"  # mandatory
    with pytest.raises(InvalidSignature) as caught:
        verify_base_proof(base, public_key=KEY, canonicalizer=CANONICALIZER)
    assert caught.value.code == "invalid_signature"
    base = _based(OB_MANDATORY)
    base["description"] = "Awarded for the autumn term."  # not mandatory
    with pytest.raises(InvalidSignature) as caught:
        verify_base_proof(base, public_key=KEY, canonicalizer=CANONICALIZER)
    assert caught.value.code == "sd_statement_signature_invalid"
    base["awardedDate"] = "2025-01-02T00:00:00Z"
    with pytest.raises(InputError) as refused:
        verify_base_proof(base, public_key=KEY, canonicalizer=CANONICALIZER)
    assert refused.value.code == "sd_base_proof_mismatch"


def test_deriving_nothing_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        derive(_based([]), selective_pointers=[], canonicalizer=CANONICALIZER)
    assert caught.value.code == "sd_nothing_selected"
    # With no mandatory pointers, what the holder reveals is all there is, and it verifies.
    _verify(derive(_based([]), selective_pointers=["/issuer"], canonicalizer=CANONICALIZER))


def test_select_json_ld_merges_overlapping_pointers() -> None:
    document = {"type": "T", "list": [{"type": "A", "v": 1, "w": 2}], "node": {"a": 1, "b": 2}}
    whole_first = select_json_ld(["/list", "/list/0/v", "/node", "/node/a"], document)
    part_first = select_json_ld(["/list/0/v", "/list", "/node/a", "/node"], document)
    expected = {"type": "T", "list": document["list"], "node": document["node"]}
    assert whole_first == part_first == expected
