"""Properties of every issuable suite, through the public Issuer and Verifier:

* what vcbadge signs verifies (VALID);
* any change to a signed credential's content or signature makes it INVALID;
* a proof moved onto another credential is INVALID;
* a key of the wrong type for the suite is refused with ``key_type_mismatch``.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from multiformats import multibase

from vcbadge import FixedClock, Issuer, Outcome, Policy, Profile, Verifier
from vcbadge.keys import EcKey, Ed25519Key, controller_document
from vcbadge.proofs.registry import default_registry

pytestmark = pytest.mark.slow

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
ISSUER = "did:web:badges.example.edu"
ED = Ed25519Key.from_seed(bytes([5]) * 32, controller=ISSUER, key_id="#ed25519")
P256 = EcKey.from_private_scalar(bytes([6]) * 32, "P-256", controller=ISSUER, key_id="#p256")
P384 = EcKey.from_private_scalar(bytes([7]) * 48, "P-384", controller=ISSUER, key_id="#p384")
# The documents below use the W3C examples context, which is refused by default.
VERIFIER = Verifier.offline(
    documents={ISSUER: controller_document(ED, P256, P384)},
    clock=FixedClock(NOW),
    policy=Policy(allow_example_contexts=True),
)

# (suite, key) pairs: every issuable suite with every key type it signs with.
CASES: list[tuple[str, Ed25519Key | EcKey]] = [
    ("eddsa-rdfc-2022", ED),
    ("eddsa-jcs-2022", ED),
    ("Ed25519Signature2020", ED),
    ("ecdsa-rdfc-2019", P256),
    ("ecdsa-rdfc-2019", P384),
    ("ecdsa-jcs-2019", P256),
    ("ecdsa-jcs-2019", P384),
]
ISSUERS = {
    (suite, key.algorithm): Issuer(
        Profile(id=ISSUER),
        key=key,
        suite=suite,
        clock=FixedClock(NOW),
        allow_example_contexts=True,
    )
    for suite, key in CASES
}

names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


def _credential(subject_name: str, achievement: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "id": "urn:uuid:3f1b8c2e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "ExampleAchievementCredential"],
        "issuer": ISSUER,
        "validFrom": "2024-06-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "name": subject_name,
            "achievement": {"name": achievement, "level": 3},
        },
    }


def _string_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _string_leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _string_leaves(v, (*path, i))]
    return [path] if isinstance(value, (str, int)) and not isinstance(value, bool) else []


def _set(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def _issue(suite: str, algorithm: str, credential: dict[str, Any]) -> dict[str, Any]:
    return ISSUERS[(suite, algorithm)].issue(credential)


for_every_case = pytest.mark.parametrize(
    ("suite", "key"), CASES, ids=[f"{suite}-{key.algorithm}" for suite, key in CASES]
)
common = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@for_every_case
@common
@given(subject=names, achievement=names)
def test_signed_credentials_verify(
    suite: str, key: Ed25519Key | EcKey, subject: str, achievement: str
) -> None:
    signed = _issue(suite, key.algorithm, _credential(subject, achievement))
    result = VERIFIER.verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()


@for_every_case
@common
@given(data=st.data())
def test_any_change_to_the_content_is_invalid(
    suite: str, key: Ed25519Key | EcKey, data: st.DataObject
) -> None:
    signed = _issue(suite, key.algorithm, _credential("Ada", "Python 101"))
    body = {k: v for k, v in signed.items() if k != "proof"}
    path = data.draw(st.sampled_from(_string_leaves(body)), label="path")
    old = _get(signed, path)
    new = data.draw(
        (st.integers() if isinstance(old, int) else names).filter(lambda v: v != old),
        label="new value",
    )
    tampered = copy.deepcopy(signed)
    _set(tampered, path, new)
    result = VERIFIER.verify(tampered)
    assert result.outcome is Outcome.INVALID, (path, new, result.to_dict())


@for_every_case
@common
@given(data=st.data())
def test_any_change_to_the_signature_is_invalid(
    suite: str, key: Ed25519Key | EcKey, data: st.DataObject
) -> None:
    signed = _issue(suite, key.algorithm, _credential("Ada", "Python 101"))
    signature = bytearray(multibase.decode(signed["proof"]["proofValue"]))
    index = data.draw(st.integers(0, len(signature) - 1), label="byte")
    signature[index] ^= data.draw(st.integers(1, 255), label="xor")
    tampered = copy.deepcopy(signed)
    tampered["proof"]["proofValue"] = multibase.encode(bytes(signature), "base58btc")
    result = VERIFIER.verify(tampered)
    assert result.outcome is Outcome.INVALID
    assert [c.code for c in result.failed] == ["invalid_signature"]


@for_every_case
@common
@given(first=names, second=names)
def test_a_proof_moved_to_another_credential_is_invalid(
    suite: str, key: Ed25519Key | EcKey, first: str, second: str
) -> None:
    one = _issue(suite, key.algorithm, _credential(first, "Python 101"))
    other = _issue(suite, key.algorithm, _credential(second, "Python 201"))
    moved = {**other, "proof": one["proof"]}
    result = VERIFIER.verify(moved)
    assert result.outcome is Outcome.INVALID
    assert [c.code for c in result.failed] == ["invalid_signature"]


@pytest.mark.parametrize(
    ("suite", "wrong"),
    [
        ("eddsa-rdfc-2022", P256),
        ("eddsa-jcs-2022", P384),
        ("Ed25519Signature2020", P256),
        ("ecdsa-rdfc-2019", ED),
        ("ecdsa-jcs-2019", ED),
    ],
)
def test_a_key_of_the_wrong_type_is_refused(suite: str, wrong: Ed25519Key | EcKey) -> None:
    right = ED if wrong is not ED else P256
    signed = _issue(suite, right.algorithm, _credential("Ada", "Python 101"))
    # The proof now names a method that holds another type of key than the suite uses.
    signed["proof"]["verificationMethod"] = wrong.verification_method
    result = VERIFIER.verify(signed)
    assert result.outcome is Outcome.INVALID
    assert [(c.code, c.path) for c in result.failed] == [
        ("key_type_mismatch", "/proof/verificationMethod")
    ]


def test_every_issuable_suite_is_covered() -> None:
    # ecdsa-sd-2023 is issued as a base proof for a holder and verified only once derived
    # (tests/proofs/test_ecdsa_sd_2023.py): issue-then-verify does not apply to it.
    issuable = {name for name, suite in default_registry().items() if not suite.legacy}
    assert {suite for suite, _ in CASES} == issuable - {"ecdsa-sd-2023"}
