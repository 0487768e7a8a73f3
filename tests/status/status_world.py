"""Helpers for the status tests: an issuer, signed status list credentials, credentials."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from vcbadge import FixedClock, Issuer, Policy, Profile, Verifier
from vcbadge.keys import Ed25519Key
from vcbadge.status.bitstring import MIN_LIST_BITS, Bitstring, encode_status_list
from vcbadge.store.publish import build_status_list_credential

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
BASE = "https://badges.example.edu/status"
VC_V2 = "https://www.w3.org/ns/credentials/v2"


def entry(
    index: int,
    purpose: str = "revocation",
    url: str = f"{BASE}/revocation/1",
    kind: str = "BitstringStatusListEntry",
    **extra: Any,
) -> dict[str, Any]:
    """A credentialStatus entry."""
    return {
        "id": f"{url}#{index}",
        "type": kind,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
        **extra,
    }


@dataclass
class World:
    """One issuer (and a stranger), signing lists and credentials at a fixed time."""

    key: Ed25519Key = field(default_factory=lambda: Ed25519Key.from_seed(bytes(range(32))))
    stranger: Ed25519Key = field(default_factory=lambda: Ed25519Key.from_seed(bytes(range(32, 64))))
    now: datetime = NOW

    def issuer(self, key: Ed25519Key | None = None) -> Issuer:
        key = key or self.key
        return Issuer(Profile(id=key.did), key=key, clock=FixedClock(self.now))

    def status_list(
        self,
        url: str = f"{BASE}/revocation/1",
        *,
        purpose: str = "revocation",
        set_bits: Iterable[int] = (),
        key: Ed25519Key | None = None,
        encoded: str | None = None,
        values: Mapping[int, int] | None = None,
        size: int = 1,
        valid_until: datetime | None = None,
        ttl: timedelta | None = None,
        change: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A signed BitstringStatusListCredential (``encoded`` replaces the encodedList)."""
        signer = key or self.key
        draft = build_status_list_credential(
            url,
            issuer=signer.did,
            purpose=purpose,
            indexes=set(set_bits),
            valid_from=self.now - timedelta(days=1),
            valid_until=valid_until,
            ttl=ttl,
        )
        if values is not None:
            bits = bytearray(MIN_LIST_BITS * size // 8)
            for index, value in values.items():
                for offset in range(size):
                    if value & (1 << (size - 1 - offset)):
                        bit = index * size + offset
                        bits[bit // 8] |= 0x80 >> (bit % 8)
            draft["credentialSubject"]["encodedList"] = encode_status_list(Bitstring(bytes(bits)))
        if encoded is not None:
            draft["credentialSubject"]["encodedList"] = encoded
        draft.update(change or {})
        return self.issuer(signer).issue(draft, at=self.now - timedelta(days=1))

    def credential(
        self, status: Any, *, key: Ed25519Key | None = None, **members: Any
    ) -> dict[str, Any]:
        signer = key or self.key
        draft: dict[str, Any] = {
            "@context": [VC_V2],
            "id": "https://badges.example.edu/credentials/1",
            "type": ["VerifiableCredential"],
            "issuer": signer.did,
            "credentialSubject": {"id": "did:example:ada"},
            **members,
        }
        if status is not None:
            draft["credentialStatus"] = status
        return self.issuer(signer).issue(draft, at=self.now - timedelta(days=2))

    def verifier(
        self,
        documents: Iterable[Mapping[str, Any]] = (),
        *,
        policy: Policy | None = None,
        now: datetime | None = None,
    ) -> Verifier:
        served = {document["id"]: document for document in documents}
        return Verifier.offline(documents=served, policy=policy, clock=FixedClock(now or self.now))
