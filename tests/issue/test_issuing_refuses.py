"""Issuing refuses what verifying would reject: the OB MUST rules, the official JSON Schema, a
validity window already closed; the switches that sign anyway must be named."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from vcbadge import Verifier
from vcbadge._b64url import b64url_decode
from vcbadge.clock import FixedClock
from vcbadge.errors import ModelError, SchemaError
from vcbadge.issue import Issuer
from vcbadge.issue._prepare import OFFICIAL_SCHEMAS
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import Ed25519Key, RsaKey
from vcbadge.model import Achievement, AchievementCredential, Criteria
from vcbadge.schema.bundled import bundled_schemas
from vcbadge.store import SQLiteStatusStore

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(bytes(range(32)))
PROFILE = {"id": KEY.controller, "type": ["Profile"]}


def _credential(**award: Any) -> dict[str, Any]:
    achievement = Achievement(
        id="https://badges.example.edu/achievements/py101",
        name="Python 101",
        description="Wrote and tested a small Python program.",
        criteria=Criteria(narrative="Pass the final project."),
    )
    return AchievementCredential.award(
        achievement, recipient="did:example:learner", **award
    ).to_json()


@pytest.fixture(scope="module")
def rsa_key() -> RsaKey:
    return RsaKey.generate()


def _issuers(rsa_key: RsaKey, **options: Any) -> list[tuple[str, Any]]:
    """Each issuer's way of signing, so every refusal is tested on both."""
    clock = FixedClock(NOW)
    jwt = JwtIssuer(
        {"id": rsa_key.controller, "type": ["Profile"]}, key=rsa_key, clock=clock, **options
    )
    signers: list[tuple[str, Any]] = [("jwt", jwt.issue_jwt), ("jose", jwt.issue_enveloped)]
    if not options:
        signers.append(("di", Issuer(PROFILE, key=KEY, clock=clock).issue))
    return signers


def test_every_official_schema_is_bundled() -> None:
    assert set(OFFICIAL_SCHEMAS.values()) <= set(bundled_schemas())


def test_missing_criteria_is_refused_by_every_issuer(rsa_key: RsaKey) -> None:
    document = _credential()
    del document["credentialSubject"]["achievement"]["criteria"]
    for name, sign in _issuers(rsa_key):
        with pytest.raises(ModelError) as raised:
            sign(document)
        assert raised.value.path == "/credentialSubject/achievement/criteria", name


def test_a_schema_failure_is_refused_with_its_path(rsa_key: RsaKey) -> None:
    document = _credential()
    document["credentialSubject"]["achievement"]["name"] = 5
    for name, sign in _issuers(rsa_key):
        with pytest.raises(SchemaError) as raised:
            sign(document)
        assert raised.value.code == "schema_invalid", name
        assert raised.value.path == "/credentialSubject/achievement/name", name
        assert "check_schema=False" in raised.value.message


def test_check_schema_false_signs_what_the_schema_refuses(rsa_key: RsaKey) -> None:
    document = _credential()
    document["credentialSubject"]["achievement"]["name"] = 5
    for name, sign in _issuers(rsa_key, check_schema=False):
        assert sign(document), name


def test_a_named_credential_schema_is_checked_too(rsa_key: RsaKey) -> None:
    # The W3C VC 2.0 schema is bundled: a credential naming it is held to it. A VC 1.1
    # credential passes the OB rules (the official OB 3.0 schema describes VC 2.0 only) but
    # not that schema, whose first @context must be the VC 2.0 one.
    schema = {
        "id": "https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json",
        "type": "JsonSchema",
    }
    for name, sign in _issuers(rsa_key):
        assert sign({**_credential(), "credentialSchema": schema}), name
    vc11 = {**_credential(data_model="1.1"), "credentialSchema": schema}
    for name, sign in _issuers(rsa_key):
        with pytest.raises(SchemaError) as raised:
            sign(vc11)
        assert raised.value.path == "/@context/0", name
        assert "a credentialSchema entry" in raised.value.message


@pytest.mark.parametrize("offset", [timedelta(0), -timedelta(seconds=1), -timedelta(days=400)])
def test_a_closed_validity_window_is_refused(rsa_key: RsaKey, offset: timedelta) -> None:
    document = _credential(valid_from=NOW - timedelta(days=800), valid_until=NOW + offset)
    for name, sign in _issuers(rsa_key):
        with pytest.raises(ModelError) as raised:
            sign(document)
        assert raised.value.code == "already_expired", name
        assert raised.value.path == "/validUntil"
        assert "allow_expired=True" in raised.value.message


def test_vc11_expiration_date_in_the_past_is_refused(rsa_key: RsaKey) -> None:
    document = _credential(
        data_model="1.1", valid_from=NOW - timedelta(days=30), valid_until=NOW - timedelta(days=1)
    )
    for name, sign in _issuers(rsa_key):
        with pytest.raises(ModelError) as raised:
            sign(document)
        assert (raised.value.code, raised.value.path) == ("already_expired", "/expirationDate"), (
            name
        )


def test_allow_expired_signs_a_past_window(rsa_key: RsaKey) -> None:
    document = _credential(valid_from=NOW - timedelta(days=30), valid_until=NOW - timedelta(days=1))
    for name, sign in _issuers(rsa_key, allow_expired=True):
        assert sign(document), name


def test_a_future_valid_from_is_scheduled_not_refused(rsa_key: RsaKey) -> None:
    document = _credential(valid_from=NOW + timedelta(days=7), valid_until=NOW + timedelta(days=60))
    signed = Issuer(PROFILE, key=KEY, clock=FixedClock(NOW)).issue(document)
    verifier = Verifier.offline()
    assert verifier.verify(signed, at=NOW).failed[0].code == "not_yet_valid"
    assert verifier.verify(signed, at=NOW + timedelta(days=8)).outcome.value == "VALID"
    for name, sign in _issuers(rsa_key):
        assert sign(document), name


def test_a_still_open_window_is_signed(rsa_key: RsaKey) -> None:
    document = _credential(valid_until=NOW + timedelta(seconds=1))
    for name, sign in _issuers(rsa_key):
        assert sign(document), name


def test_jwt_issuer_adds_status_entries_from_a_store(tmp_path: Path, rsa_key: RsaKey) -> None:
    path = tmp_path / "status.db"
    SQLiteStatusStore.create(path, base_url="https://badges.example.edu/status").close()
    with SQLiteStatusStore(path) as store:
        issuer = JwtIssuer(
            {"id": rsa_key.controller, "type": ["Profile"]}, key=rsa_key, status_store=store
        )
        token = issuer.issue_jwt(_credential())
        record_ids = [record[0] for record in store.iter_records()]
    payload = json.loads(b64url_decode(token.split(".")[1]))
    entries = payload["credentialStatus"]
    # One purpose (the store keeps revocation lists only): one entry, not a list.
    assert entries["statusPurpose"] == "revocation"
    assert entries["statusListCredential"].startswith(
        "https://badges.example.edu/status/revocation/"
    )
    assert record_ids == [payload["id"]]


_PRIVATE_JWK = {"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"}


@pytest.mark.parametrize(
    ("member", "value", "pointer"),
    [
        ("secretKeyMultibase", "z3u2...", "/credentialSubject/secretKeyMultibase"),
        ("key", _PRIVATE_JWK, "/credentialSubject/key/d"),
    ],
)
def test_private_key_material_is_never_signed(
    rsa_key: RsaKey, member: str, value: Any, pointer: str
) -> None:
    document = _credential()
    document["credentialSubject"][member] = value
    for name, sign in _issuers(rsa_key):
        with pytest.raises(ModelError) as raised:
            sign(document)
        assert (raised.value.code, raised.value.path) == ("private_key_in_document", pointer), name
        assert "z3u2" not in raised.value.message
