"""Resource limits: the size cap is applied before any copy of the input, and counts of proofs,
credentials, status entries and schemas are refused before any of them is checked."""

from __future__ import annotations

import copy
import time
import tracemalloc
from datetime import datetime, timezone
from typing import Any

import pytest
from jose_helpers import unsigned

from vcbadge import FixedClock, Issuer, Outcome, Verifier
from vcbadge._json import exceeds_max_bytes, loads_strict
from vcbadge.errors import LimitExceeded
from vcbadge.issue.presentation import present
from vcbadge.keys import Ed25519Key
from vcbadge.verify import Policy
from vcbadge.verify.result import VerificationResult

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(bytes([7]) * 32)
HOLDER = Ed25519Key.from_seed(bytes([9]) * 32)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
MIB = 1024 * 1024


def _signed() -> dict[str, Any]:
    issuer = Issuer({"id": KEY.controller, "type": ["Profile"]}, key=KEY, clock=FixedClock(NOW))
    return issuer.issue(unsigned())


SIGNED = _signed()


def _failed(result: VerificationResult) -> list[tuple[str, str, str]]:
    return [(c.name, c.code, c.path) for c in result.failed]


# --- the size cap comes before any copy ----------------------------------------------------


def _peak_while(action: Any) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda n: "{" + " " * n + "}", id="json-text"),
        pytest.param(lambda n: "a" * n + "." + "b" * 10 + "." + "c" * 10, id="jws-shaped-text"),
        pytest.param(lambda n: " " * n + "eyJ.eyJ.sig", id="leading-whitespace"),
        pytest.param(lambda n: b"{" + b" " * n + b"}", id="bytes"),
        pytest.param(lambda n: bytearray(b"{" + b" " * n + b"}"), id="bytearray"),
        pytest.param(lambda n: memoryview(b"{" + b" " * n + b"}"), id="memoryview"),
    ],
)
def test_oversized_input_is_refused_without_copying_it(make: Any) -> None:
    huge = make(40 * MIB)  # ten times the default 4 MiB cap
    results: list[VerificationResult] = []
    peak = _peak_while(lambda: results.append(VERIFIER.verify(huge)))
    assert _failed(results[0]) == [("parse", "limit_exceeded", "")]
    # A copy, a decode or a strip of the input would cost 40 MiB or more.
    assert peak < MIB, f"verifying a 40 MiB input allocated {peak} bytes"


def test_oversized_presentation_is_refused_without_copying_it() -> None:
    huge = "{" + " " * (40 * MIB) + "}"
    results: list[VerificationResult] = []
    peak = _peak_while(lambda: results.append(VERIFIER.verify_presentation(huge, challenge="c")))
    assert _failed(results[0]) == [("parse", "limit_exceeded", "")]
    assert peak < MIB


def test_multibyte_text_is_measured_in_utf8_without_encoding_it_whole() -> None:
    # 1.5 Mi characters of 3-byte UTF-8: under the cap in characters, over it in bytes.
    text = '{"a": "' + "€" * (3 * MIB // 2) + '"}'
    results: list[VerificationResult] = []
    peak = _peak_while(lambda: results.append(VERIFIER.verify(text)))
    assert _failed(results[0]) == [("parse", "limit_exceeded", "")]
    assert peak < MIB


def test_text_just_under_the_cap_in_utf8_is_parsed() -> None:
    policy = Policy(max_bytes=1000)
    text = '{"a": "' + "€" * 300 + '"}'  # 910 bytes, 310 characters
    assert not exceeds_max_bytes(text, 1000)
    result = Verifier.offline(policy=policy).verify(text)
    assert ("parse", "limit_exceeded", "") not in _failed(result)
    assert result.checks[0].outcome is Outcome.VALID


@pytest.mark.parametrize(
    ("data", "limit", "over"),
    [
        ("a" * 10, 10, False),
        ("a" * 11, 10, True),
        ("é" * 5, 10, False),  # 10 bytes
        ("é" * 6, 10, True),  # 12 bytes
        ("€" * 3, 9, False),
        ("😀" * 3, 11, True),  # 12 bytes
        ("\ud800", 3, False),  # a lone surrogate counts 3 bytes (and is refused later)
        (b"x" * 11, 10, True),
        (bytearray(10), 10, False),
        (memoryview(b"x" * 11), 10, True),
        (memoryview(bytes(8)).cast("I"), 7, True),  # measured in bytes, not elements
    ],
)
def test_exceeds_max_bytes(data: Any, limit: int, over: bool) -> None:
    assert exceeds_max_bytes(data, limit) is over


def test_exceeds_max_bytes_counts_long_multibyte_text_in_chunks() -> None:
    text = "é" * (200 * 1024)  # 400 KiB of UTF-8 over several chunks
    assert exceeds_max_bytes(text, 400 * 1024 - 1)
    assert not exceeds_max_bytes(text, 400 * 1024)


def test_loads_strict_refuses_oversized_bytearray_before_copying() -> None:
    huge = bytearray(b" " * (40 * MIB))
    errors: list[LimitExceeded] = []

    def parse() -> None:
        try:
            loads_strict(huge)
        except LimitExceeded as error:
            errors.append(error)

    peak = _peak_while(parse)
    assert [error.code for error in errors] == ["limit_exceeded"]
    assert peak < MIB


def test_a_big_badge_image_may_exceed_the_credential_cap_but_not_the_image_cap() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(5 * MIB)
    result = VERIFIER.verify(png)
    # Not refused by the 4 MiB credential cap: the image reader judged it (and found it broken).
    assert result.checks[0].name == "image"
    assert result.checks[0].code != "limit_exceeded"
    bigger = b"\x89PNG\r\n\x1a\n" + bytes(17 * MIB)
    assert _failed(VERIFIER.verify(bigger)) == [("image", "too_large", "")]


# --- counts ------------------------------------------------------------------------------------


def test_ten_thousand_proofs_are_refused_fast() -> None:
    document = copy.deepcopy(SIGNED)
    document["proof"] = [copy.deepcopy(SIGNED["proof"]) for _ in range(10_000)]
    started = time.perf_counter()
    result = VERIFIER.verify(document)
    elapsed = time.perf_counter() - started
    assert result.outcome is Outcome.INVALID
    proof_checks = [c for c in result.checks if c.name == "proof"]
    assert [(c.code, c.path) for c in proof_checks] == [("too_many_proofs", "/proof")]
    assert "10000 proofs" in proof_checks[0].message
    # One signature check costs about a millisecond; 10,000 of them would take seconds.
    assert elapsed < 2.0


def test_proofs_up_to_the_limit_are_each_checked() -> None:
    document = copy.deepcopy(SIGNED)
    document["proof"] = [copy.deepcopy(SIGNED["proof"]) for _ in range(3)]
    result = Verifier.offline(clock=FixedClock(NOW), policy=Policy(max_proofs=3)).verify(document)
    assert [c.path for c in result.checks if c.name == "proof"] == [
        "/proof/0",
        "/proof/1",
        "/proof/2",
    ]
    refused = Verifier.offline(clock=FixedClock(NOW), policy=Policy(max_proofs=2)).verify(document)
    assert ("proof", "too_many_proofs", "/proof") in _failed(refused)


def test_presentation_with_too_many_proofs_is_refused_before_binding() -> None:
    presentation = present([SIGNED], HOLDER, challenge="c", at=NOW)
    presentation["proof"] = [copy.deepcopy(presentation["proof"]) for _ in range(1000)]
    result = VERIFIER.verify_presentation(presentation, challenge="c")
    assert ("proof", "too_many_proofs", "/proof") in _failed(result)
    assert not [c for c in result.checks if c.name == "challenge"]


def test_presentation_with_too_many_credentials_is_refused() -> None:
    presentation = present([SIGNED] * 3, HOLDER, challenge="c", at=NOW)
    verifier = Verifier.offline(clock=FixedClock(NOW), policy=Policy(max_credentials=2))
    result = verifier.verify_presentation(presentation, challenge="c")
    assert _failed(result) == [("envelope", "too_many_credentials", "/verifiableCredential")]
    assert not [c for c in result.checks if c.path.startswith("/verifiableCredential/")]
    allowed = Verifier.offline(clock=FixedClock(NOW), policy=Policy(max_credentials=3))
    checks = allowed.verify_presentation(presentation, challenge="c").checks
    assert "too_many_credentials" not in {c.code for c in checks}
    assert ("proof", "/verifiableCredential/2/proof") in {(c.name, c.path) for c in checks}


def test_too_many_nested_credentials_are_refused() -> None:
    document = copy.deepcopy(SIGNED)
    document["credentialSubject"]["verifiableCredential"] = [{"type": "x"}] * 5
    verifier = Verifier.offline(clock=FixedClock(NOW), policy=Policy(max_credentials=4))
    nested = [c for c in verifier.verify(document).checks if c.name == "nested_credential"]
    assert [(c.outcome, c.code) for c in nested] == [(Outcome.INVALID, "too_many_credentials")]


def test_too_many_status_entries_are_refused_before_any_fetch() -> None:
    document = copy.deepcopy(SIGNED)
    document["credentialStatus"] = [
        {
            "id": f"https://status.example/1#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": "https://status.example/1",
        }
        for index in range(17)
    ]
    status = [c for c in VERIFIER.verify(document).checks if c.name == "status"]
    assert [(c.outcome, c.code, c.path) for c in status] == [
        (Outcome.INVALID, "too_many_status_entries", "/credentialStatus")
    ]


def test_too_many_schemas_are_refused_before_any_is_validated() -> None:
    document = copy.deepcopy(SIGNED)
    document["credentialSchema"] = [
        {"id": f"https://schemas.example/{index}.json", "type": "1EdTechJsonSchemaValidator2019"}
        for index in range(17)
    ]
    schema = [c for c in VERIFIER.verify(document).checks if c.name == "schema"]
    assert [(c.outcome, c.code, c.path) for c in schema] == [
        (Outcome.INVALID, "too_many_schemas", "/credentialSchema")
    ]


@pytest.mark.parametrize(
    "limit", ["max_proofs", "max_credentials", "max_status_entries", "max_schemas"]
)
def test_count_limits_must_be_positive(limit: str) -> None:
    with pytest.raises(ValueError, match=limit):
        Policy(**{limit: 0})
