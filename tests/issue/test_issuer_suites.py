"""Issuer with every suite and any Signer: contexts added per suite, refusals before signing."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from schema_documents import achievement_subject

from vcbadge import FixedClock, InputError, Issuer, ModelError, Outcome, Profile, Verifier
from vcbadge.keys import EcKey, Ed25519Key

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


SUBJECT = achievement_subject("did:example:ada")


def _vc11(issuer: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            OB_CONTEXT,
        ],
        "id": "urn:uuid:6a1b0c2e-1f0e-4a51-9d1c-6b9f3d2a7e01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "credentialSubject": SUBJECT,
    }


class OpaqueSigner:
    """A Signer that only exposes sign(): the key object stays out of reach of vcbadge."""

    def __init__(self, key: Ed25519Key | EcKey) -> None:
        self._sign = key.sign
        self.algorithm = key.algorithm
        self.verification_method = key.verification_method
        self.controller = key.controller
        self.calls = 0

    def sign(self, data: bytes) -> bytes:
        self.calls += 1
        return self._sign(data)


@pytest.mark.parametrize(
    ("suite", "key", "added"),
    [
        ("Ed25519Signature2020", Ed25519Key.from_seed(bytes(32)), ED25519_2020),
        ("eddsa-rdfc-2022", Ed25519Key.from_seed(bytes(32)), DATA_INTEGRITY),
        ("ecdsa-rdfc-2019", EcKey.from_private_scalar(3, "P-384"), DATA_INTEGRITY),
    ],
)
def test_vc11_credentials_get_the_context_their_proof_needs(
    suite: str, key: Ed25519Key | EcKey, added: str
) -> None:
    signer = OpaqueSigner(key)
    issuer = Issuer(Profile(id=key.did), key=signer, suite=suite, clock=FixedClock(NOW))
    signed = issuer.issue(_vc11(key.did))
    assert signed["@context"][-1] == added
    assert signer.calls == 1
    result = Verifier.offline(clock=FixedClock(NOW)).verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()


def test_ed25519_signature_2020_on_vc2_adds_its_context_once() -> None:
    key = Ed25519Key.from_seed(bytes(32))
    issuer = Issuer(Profile(id=key.did), key=key, suite="Ed25519Signature2020")
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB_CONTEXT, ED25519_2020],
        "id": "urn:uuid:6a1b0c2e-1f0e-4a51-9d1c-6b9f3d2a7e02",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": SUBJECT,
    }
    signed = issuer.issue(credential, at=NOW)
    assert signed["@context"].count(ED25519_2020) == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"type": ["VerifiableCredential"]}, "ob_type_missing"),
        (
            {"credentialSubject": {"id": "did:example:ada", "type": ["AchievementSubject"]}},
            "ob_member_missing",
        ),
    ],
)
def test_a_plain_json_ob_credential_is_held_to_the_verifiers_ob_rules(
    change: dict[str, Any], code: str
) -> None:
    """A dict (no model class) using the OB context: the issuer refuses what ob_conformance
    would refuse, before anything is signed."""
    key = Ed25519Key.from_seed(bytes(32))
    signer = OpaqueSigner(key)
    issuer = Issuer(Profile(id=key.did), key=signer)
    credential = {
        **_vc11(key.did),
        "@context": ["https://www.w3.org/ns/credentials/v2", OB_CONTEXT],
    }
    with pytest.raises(ModelError) as refused:
        issuer.issue({**credential, **change}, at=NOW)
    assert code in {issue.code for issue in refused.value.issues}
    assert signer.calls == 0


@pytest.mark.parametrize(
    ("suite", "key", "code"),
    [
        ("ecdsa-rdfc-2019", Ed25519Key.from_seed(bytes(32)), "key_algorithm_mismatch"),
        ("eddsa-jcs-2022", EcKey.from_private_scalar(3, "P-256"), "key_algorithm_mismatch"),
        ("eddsa-2022", Ed25519Key.from_seed(bytes(32)), "legacy_cryptosuite"),
    ],
)
def test_refused_before_anything_is_signed(suite: str, key: Ed25519Key | EcKey, code: str) -> None:
    signer = OpaqueSigner(key)
    with pytest.raises(InputError) as info:
        Issuer(Profile(id=key.did), key=signer, suite=suite)
    assert info.value.code == code
    assert signer.calls == 0
