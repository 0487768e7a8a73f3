"""Presentation vectors: a holder's VerifiablePresentation bound to a challenge and a domain.

A presentation case carries the ``challenge`` and ``domain`` it is verified with (the values
the verifier sent), next to ``input``; the proof inside the presentation names the values the
holder answered."""

from __future__ import annotations

from datetime import datetime, timezone

from vcbadge.issue.presentation import present

from .common import Case, ed25519, issue, key_entry, unsigned, verify_case

SPEC = "https://www.w3.org/TR/vc-data-model-2.0/#presentations"
CHALLENGE = "7b1e0c1a-vector-challenge"
DOMAIN = "https://hiring.example.com"
PRESENTED = datetime(2025, 5, 31, 12, 0, tzinfo=timezone.utc)


def cases() -> dict[str, Case]:
    issuer_key = ed25519(0x42)
    holder = ed25519(0x61)
    credential = issue(issuer_key, unsigned(41))
    presentation = present(
        [credential],
        holder,
        challenge=CHALLENGE,
        domain=DOMAIN,
        presentation_id="urn:uuid:00000000-0000-4000-a000-000000000041",
        at=PRESENTED,
    )
    keys = [key_entry(holder, secret=False), key_entry(issuer_key, secret=False)]
    return {
        "presentations/verify-valid.json": verify_case(
            "presentations/verify-valid",
            "A presentation of one badge, signed by its did:key holder (eddsa-rdfc-2022, "
            "proofPurpose authentication), verified with the challenge and domain it answers.",
            presentation,
            "VALID",
            [],
            spec=SPEC,
            keys=keys,
            challenge=CHALLENGE,
            domain=DOMAIN,
        ),
        "presentations/verify-other-challenge.json": verify_case(
            "presentations/verify-other-challenge",
            "The same presentation, verified by a verifier that sent another challenge (a "
            "replay): challenge_mismatch.",
            presentation,
            "INVALID",
            ["challenge_mismatch"],
            spec=SPEC,
            keys=keys,
            challenge="another-challenge",
            domain=DOMAIN,
        ),
        "presentations/verify-other-domain.json": verify_case(
            "presentations/verify-other-domain",
            "The same presentation, verified by another domain: domain_mismatch.",
            presentation,
            "INVALID",
            ["domain_mismatch"],
            spec=SPEC,
            keys=keys,
            challenge=CHALLENGE,
            domain="https://other-verifier.example.org",
        ),
    }
