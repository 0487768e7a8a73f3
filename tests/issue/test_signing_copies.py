"""What the faster signing path must keep: the caller's credential is never changed, the signed
credential shares nothing with it, the private key scan reports what it always did, and the
copy it signs is what ``copy.deepcopy`` would have made."""

from __future__ import annotations

import copy
from collections import OrderedDict
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

import pytest

from vcbadge import Verifier
from vcbadge.clock import FixedClock
from vcbadge.errors import ModelError
from vcbadge.issue import Issuer
from vcbadge.issue._prepare import detached_copy
from vcbadge.keys import EcKey, Ed25519Key
from vcbadge.keys.public_keys import private_members_in_document
from vcbadge.model import Achievement, AchievementCredential, Criteria
from vcbadge.model.profile import Profile
from vcbadge.proofs.data_integrity import add_proof, attach_proof
from vcbadge.store import SQLiteStatusStore

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(bytes(range(32)))
P256 = EcKey.from_private_scalar((7).to_bytes(32, "big"), "P-256")


def _award() -> AchievementCredential:
    achievement = Achievement(
        id="https://badges.example.edu/achievements/1",
        name="Teamwork",
        description="Worked well in a team.",
        criteria=Criteria(narrative="Team project."),
        tag=["team", "work"],
    )
    return AchievementCredential.award(
        achievement,
        recipient_email="ada@example.org",
        salt="s",
        id="urn:uuid:1b0d4d35-0f7c-4c8e-9d6b-3b1f0c2a7e55",
    )


def _issuer(key: Any = KEY, **options: Any) -> Issuer:
    return Issuer(Profile(id=key.controller), key=key, clock=FixedClock(NOW), **options)


def _every_container(node: Any) -> list[Any]:
    found = [node] if isinstance(node, (dict, list)) else []
    if isinstance(node, dict):
        for item in node.values():
            found.extend(_every_container(item))
    elif isinstance(node, list):
        for item in node:
            found.extend(_every_container(item))
    return found


def _shares_nothing(signed: Any, credential: Any) -> None:
    ours = {id(node) for node in _every_container(credential)}
    assert not any(id(node) in ours for node in _every_container(signed))


@pytest.mark.parametrize(
    "issuer",
    [
        pytest.param(lambda: _issuer(), id="eddsa-rdfc-2022"),
        pytest.param(lambda: _issuer(check_schema=False), id="no-schema"),
        pytest.param(lambda: _issuer(suite="eddsa-jcs-2022"), id="eddsa-jcs-2022"),
        pytest.param(lambda: _issuer(suite="Ed25519Signature2020"), id="Ed25519Signature2020"),
        pytest.param(lambda: _issuer(P256, suite="ecdsa-sd-2023"), id="ecdsa-sd-2023"),
    ],
)
def test_the_signed_credential_and_the_input_never_share_a_member(issuer: Any) -> None:
    credential = _award().to_json()
    credential.pop("issuer", None)
    before = copy.deepcopy(credential)
    signed = issuer().issue(credential)
    assert credential == before
    _shares_nothing(signed, credential)
    # Changing either afterwards leaves the other as it was.
    subject = signed["credentialSubject"]
    subject["achievement"]["name"] = "Changed after signing"
    subject["achievement"]["tag"].append("more")
    assert credential == before
    snapshot = copy.deepcopy(signed)
    credential["credentialSubject"]["achievement"]["criteria"]["narrative"] = "Changed input"
    credential["@context"].append("https://example.org/more")
    assert signed == snapshot


def test_a_model_credential_is_signed_without_being_changed() -> None:
    award = _award()
    before = award.to_json()
    signed = _issuer().issue(award)
    assert award.to_json() == before
    signed["credentialSubject"]["achievement"]["name"] = "Changed after signing"
    assert award.to_json() == before


def test_what_the_issuer_adds_goes_to_the_copy_only(tmp_path: Any) -> None:
    """Issuer, validFrom, credentialStatus (VC 2.0), an id and the status and Data Integrity
    contexts (VC 1.1) are set on the signed copy, never on the caller's dict."""
    store = SQLiteStatusStore.create(tmp_path / "status.db", base_url="https://x.example/status")
    credential = _award().to_json()
    for member in ("issuer", "validFrom"):
        credential.pop(member, None)
    before = copy.deepcopy(credential)
    signed = _issuer(status_store=store).issue(credential)
    assert credential == before
    assert {"issuer", "validFrom", "credentialStatus", "proof"} <= set(signed)
    _shares_nothing(signed, credential)

    legacy = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": KEY.controller,
        "credentialSubject": {"id": "did:example:ada"},
    }
    before = copy.deepcopy(legacy)
    signed = _issuer(status_store=store).issue(legacy)
    assert legacy == before
    assert {"id", "issuanceDate", "credentialStatus"} <= set(signed)
    assert len(signed["@context"]) == 3
    _shares_nothing(signed, legacy)


def test_signed_credentials_still_verify() -> None:
    verifier = Verifier.offline(clock=FixedClock(NOW))
    credential = _award().to_json()
    for issuer in (_issuer(), _issuer(suite="eddsa-jcs-2022")):
        assert verifier.verify(issuer.issue(credential)).outcome.value == "VALID"


def test_a_non_dict_mapping_is_copied_too() -> None:
    credential = _award().to_json()
    credential.pop("issuer", None)
    frozen = MappingProxyType(credential)
    signed = _issuer().issue(frozen)
    _shares_nothing(signed, credential)
    assert "proof" not in credential


# --- detached_copy is copy.deepcopy(dict(...)) -------------------------------------------------


class _Opaque:
    def __init__(self, value: int) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"_Opaque({self.value})"


def _same_copy(original: Any) -> tuple[Any, Any]:
    mine, theirs = detached_copy(original), copy.deepcopy(dict(original))
    assert type(mine) is dict
    assert repr(mine) == repr(theirs)
    _shares_nothing(mine, original)
    return mine, theirs


def test_detached_copy_of_plain_json() -> None:
    original = {"a": [1, 2.5, True, None, "x", {"b": [[]]}], "c": {}}
    mine, _ = _same_copy(original)
    assert mine == original


def test_detached_copy_keeps_what_deepcopy_keeps() -> None:
    """A member reached twice stays one object; a cycle is copied as a cycle; other types
    (tuples, ordered dicts, objects, keys that are not strings) are deepcopy's."""
    shared = {"x": 1}
    mine, _ = _same_copy({"a": shared, "b": [shared]})
    assert mine["a"] is mine["b"][0]
    assert mine["a"] is not shared

    cyclic: dict[str, Any] = {"name": "loop"}
    cyclic["self"] = cyclic
    mine = detached_copy({"top": cyclic})
    assert mine["top"]["self"] is mine["top"]
    assert mine["top"] is not cyclic

    opaque = _Opaque(3)
    mine, _ = _same_copy({"t": (1, [2]), "o": OrderedDict(a=[1]), "x": opaque, "k": {1: "one"}})
    assert isinstance(mine["o"], OrderedDict)
    assert mine["x"] is not opaque
    assert mine["x"].value == 3
    assert mine["t"][1] is not None


def test_detached_copy_of_a_very_deep_tree_is_deepcopys() -> None:
    deep: Any = "leaf"
    for _ in range(300):
        deep = [deep]
    mine = detached_copy({"deep": deep})
    assert mine == {"deep": deep}
    assert mine["deep"] is not deep


# --- attach_proof / add_proof -----------------------------------------------------------------


def test_add_proof_copies_and_attach_proof_does_not() -> None:
    document: dict[str, Any] = {"a": {"b": 1}}
    proof = {"type": "DataIntegrityProof"}
    added = add_proof(document, proof)
    assert "proof" not in document
    assert added["a"] is not document["a"]
    attached = attach_proof(document, proof)
    assert attached is document
    assert document["proof"] == proof
    assert document["proof"] is not proof
    again = attach_proof(document, {"type": "Second"})
    assert [item["type"] for item in again["proof"]] == ["DataIntegrityProof", "Second"]


# --- the private key scan: one pass, the same findings -----------------------------------------


def test_private_key_scan_reports_every_pointer_in_document_order() -> None:
    document = {
        "list": [{"privateKeyPem": "x"}, "text", [{"kty": "EC", "d": "x", "x": "y"}]],
        "a~b/c": {"privateKeyJwk": {"kty": "EC", "d": "x"}},
        "frozen": MappingProxyType({"secretKeyMultibase": "z"}),
        "tuple": ({"privateKeyHex": "not scanned: a tuple is not JSON"},),
        "d": "only a JWK's d is private",
    }
    assert private_members_in_document(document) == [
        "/list/0/privateKeyPem",
        "/list/2/0/d",
        "/a~0b~1c/privateKeyJwk",
        "/frozen/secretKeyMultibase",
    ]


def test_private_key_scan_stops_at_the_same_depth() -> None:
    def nested(levels: int) -> Any:
        node: Any = {"privateKeyBase58": "x"}
        for _ in range(levels):
            node = {"n": node}
        return node

    assert private_members_in_document(nested(64)) == ["/n" * 64 + "/privateKeyBase58"]
    assert private_members_in_document(nested(65)) == []


def test_a_private_key_deep_in_a_list_is_refused_with_its_pointer() -> None:
    credential = _award().to_json()
    credential["evidence"] = [{"id": "https://x.example/e", "keys": [{"privateKeyJwk": {}}]}]
    with pytest.raises(ModelError) as raised:
        _issuer().issue(credential)
    assert (raised.value.code, raised.value.path) == (
        "private_key_in_document",
        "/evidence/0/keys/0/privateKeyJwk",
    )
