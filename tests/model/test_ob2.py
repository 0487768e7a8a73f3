"""The Open Badges 2.0 models: every document of the ob2 test vectors round-trips unchanged,
required members and JSON types are enforced with exact pointers, IRI-or-object members keep
their form."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from vcbadge.errors import ModelError
from vcbadge.model.ob2 import (
    OB2_CONTEXT,
    Ob2Alignment,
    Ob2Assertion,
    Ob2BadgeClass,
    Ob2CryptographicKey,
    Ob2Endorsement,
    Ob2Evidence,
    Ob2IdentityObject,
    Ob2Image,
    Ob2Profile,
    Ob2RevocationList,
    is_ob2_context,
)

VECTORS = Path(__file__).resolve().parents[2] / "test_vectors" / "ob2"
CLASSES = {
    "Assertion": Ob2Assertion,
    "BadgeClass": Ob2BadgeClass,
    "Issuer": Ob2Profile,
    "CryptographicKey": Ob2CryptographicKey,
    "RevocationList": Ob2RevocationList,
}


def _payload(token: str) -> Any:
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _vector_documents() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(VECTORS.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        found.extend(case["documents"].values())
        given = case["input"]
        if isinstance(given, dict) and "image" in given:
            continue  # a baked badge image: the assertion inside it is the same as another case's
        if isinstance(given, dict):
            found.append(given)
        elif given.startswith("ey"):
            found.append(_payload(given))
    return found


DOCUMENTS = _vector_documents()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: f"{d['type']}:{d['id']}")
def test_vector_documents_round_trip(document: dict[str, Any]) -> None:
    model = CLASSES[document["type"]].from_json(document)
    assert model.to_json() == document


def test_unknown_members_and_nulls_round_trip() -> None:
    document = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": "https://example.org/assertions/1.json",
        "recipient": {"type": "email", "hashed": False, "identity": "a@example.org", "x": 1},
        "badge": "https://example.org/badge.json",
        "verification": {"type": "hosted"},
        "issuedOn": 1700000000,
        "extensions:Custom": {"value": None},
        "unknownNull": None,
    }
    assert Ob2Assertion.from_json(document).to_json() == document


def test_missing_members_are_reported_with_pointers() -> None:
    with pytest.raises(ModelError) as excinfo:
        Ob2Assertion.from_json({"@context": OB2_CONTEXT, "recipient": {"hashed": "yes"}})
    paths = sorted(issue.path for issue in excinfo.value.issues)
    assert paths == [
        "/badge",
        "/id",
        "/issuedOn",
        "/recipient/hashed",
        "/recipient/identity",
        "/recipient/type",
        "/type",
        "/verification",
    ]


@pytest.mark.parametrize(
    "value", ["2016-12-31T23:59:59Z", "2016-12-31T23:59:59+01:00", "2016-12-31", 1483228799]
)
def test_datetime_forms_accepted(value: Any) -> None:
    document = {
        "type": "Assertion",
        "id": "urn:uuid:1",
        "recipient": {"type": "url", "hashed": False, "identity": "https://a.example"},
        "badge": "https://example.org/b",
        "verification": {"type": "SignedBadge"},
        "issuedOn": value,
    }
    assert Ob2Assertion.from_json(document).issued_on == value


@pytest.mark.parametrize("value", ["yesterday", True, 1.5, "2016-13"])
def test_datetime_garbage_refused(value: Any) -> None:
    with pytest.raises(ModelError) as excinfo:
        Ob2Endorsement.from_json(
            {
                "type": "Endorsement",
                "id": "https://example.org/e",
                "claim": {},
                "issuer": "https://example.org/i",
                "issuedOn": value,
                "verification": {"type": "hosted"},
            }
        )
    assert excinfo.value.path == "/issuedOn"


def test_iri_or_object_members_keep_their_form() -> None:
    badge = Ob2BadgeClass.from_json(
        {
            "type": "BadgeClass",
            "id": "https://example.org/b",
            "name": "B",
            "description": "D",
            "image": {"id": "data:image/png;base64,AAAA", "caption": "c"},
            "criteria": {"narrative": "Do it."},
            "issuer": {
                "type": "Profile",
                "id": "https://example.org/i",
                "publicKey": [
                    "https://example.org/k1",
                    {"type": "CryptographicKey", "id": "https://example.org/k2"},
                ],
            },
            "alignment": [{"targetName": "T", "targetUrl": "https://example.org/t"}],
        }
    )
    assert isinstance(badge.image, Ob2Image)
    assert isinstance(badge.issuer, Ob2Profile)
    assert badge.issuer_id == "https://example.org/i"
    assert badge.issuer.public_key_ids == ["https://example.org/k1", "https://example.org/k2"]
    assert isinstance(badge.alignment, list)
    assert isinstance(badge.alignment[0], Ob2Alignment)


def test_small_classes() -> None:
    assert Ob2Evidence.from_json({"narrative": "n"}).to_json() == {"narrative": "n"}
    with pytest.raises(ModelError):
        Ob2Alignment.from_json({"targetName": "only a name"})
    identity = Ob2IdentityObject(identity="a@example.org", hashed=False)
    assert identity.to_json() == {"type": "email", "identity": "a@example.org", "hashed": False}


def test_built_assertion_names_its_badge() -> None:
    built = Ob2Assertion(
        context=OB2_CONTEXT,
        id="https://example.org/a/1",
        recipient=Ob2IdentityObject(identity="a@example.org", hashed=False),
        badge="https://example.org/b",
        verification={"type": "HostedBadge"},  # type: ignore[arg-type]
        issued_on="2025-01-01T00:00:00Z",
    )
    assert built.badge_id == "https://example.org/b"
    assert built.to_json()["@context"] == OB2_CONTEXT
    assert built.to_json()["type"] == "Assertion"


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (OB2_CONTEXT, True),
        ("https://openbadgespec.org/v2/context.json", True),
        ([OB2_CONTEXT, {"extra": "https://example.org/x"}], True),
        ("https://w3id.org/openbadges/v1", False),
        (None, False),
        (["https://www.w3.org/ns/credentials/v2"], False),
    ],
)
def test_is_ob2_context(context: Any, expected: bool) -> None:
    assert is_ob2_context(context) is expected
