"""controller_document: what an issuer publishes so verifiers can find and authorize its keys."""

from __future__ import annotations

import pytest

from vcbadge.keys import Ed25519Key, controller_document

ISSUER = "https://badges.example.edu/issuers/1"


def test_lists_every_key_for_every_purpose() -> None:
    first = Ed25519Key.from_seed(b"\x01" * 32, controller=ISSUER)
    second = Ed25519Key.from_seed(b"\x02" * 32, controller=ISSUER)
    document = controller_document(first, second, purposes=("assertionMethod", "authentication"))
    assert document["id"] == ISSUER
    assert [m["id"] for m in document["verificationMethod"]] == [
        first.verification_method,
        second.verification_method,
    ]
    assert document["assertionMethod"] == document["authentication"]
    assert document["assertionMethod"] == [first.verification_method, second.verification_method]


def test_refuses_mixed_controllers_and_no_keys() -> None:
    with pytest.raises(ValueError, match="different controllers"):
        controller_document(
            Ed25519Key.from_seed(b"\x01" * 32, controller=ISSUER),
            Ed25519Key.from_seed(b"\x02" * 32),
        )
    with pytest.raises(ValueError, match="at least one key"):
        controller_document()
