"""Presentation vectors: a holder's VerifiablePresentation bound to a challenge and a domain.

A presentation case carries the ``challenge`` and ``domain`` it is verified with (the values
the verifier sent), next to ``input``; the proof inside the presentation names the values the
holder answered. ``domain`` is one string or, for a verifier that answers for several, an
array of them (the proof's set must equal it)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from vcbadge.issue.presentation import present

from .common import Case, Json, ed25519, issue, key_entry, sign_below_issuer, unsigned, verify_case

SPEC = "https://www.w3.org/TR/vc-data-model-2.0/#presentations"
DI_PROOFS = "https://www.w3.org/TR/vc-data-integrity/#proofs"
DI_VERIFY = "https://www.w3.org/TR/vc-data-integrity/#verify-proof"
CHALLENGE = "7b1e0c1a-vector-challenge"
DOMAIN = "https://hiring.example.com"
PRESENTED = datetime(2025, 5, 31, 12, 0, tzinfo=timezone.utc)
HOLDER_SPEC = "https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations"
JOBS = "jobs.example.com"
EVIL = "evil.example"


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
    unproven: Json = {name: value for name, value in presentation.items() if name != "proof"}
    # Proofs the Holder refuses to make: signed below it with the options given.
    two_domains = sign_below_issuer(
        unproven,
        holder,
        purpose="authentication",
        options={"challenge": CHALLENGE, "domain": [JOBS, EVIL]},
    )
    # holder is optional (VC Data Model 2.0): the Holder always names one, so a holderless
    # presentation is signed below it, by the same key.
    holderless_body: Json = {name: value for name, value in unproven.items() if name != "holder"}
    holderless = sign_below_issuer(
        holderless_body,
        holder,
        purpose="authentication",
        options={"challenge": CHALLENGE, "domain": DOMAIN},
    )
    unsigned_credential = {name: value for name, value in credential.items() if name != "proof"}
    holderless_unsigned = sign_below_issuer(
        {**holderless_body, "verifiableCredential": [unsigned_credential]},
        holder,
        purpose="authentication",
        options={"challenge": CHALLENGE, "domain": DOMAIN},
    )
    challenge_array = sign_below_issuer(
        unproven,
        holder,
        purpose="authentication",
        options={"challenge": [CHALLENGE], "domain": DOMAIN},
    )
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
        "presentations/verify-domain-set-valid.json": verify_case(
            "presentations/verify-domain-set-valid",
            f"The holder's proof names the set of domains {json.dumps([JOBS, EVIL])}, and the "
            "verifier answers for exactly that set (the case's domain is an array: with "
            "vcbadge's CLI, --domain once per entry): the sets are equal, so the binding "
            "holds.",
            two_domains,
            "VALID",
            [],
            spec=DI_VERIFY,
            keys=keys,
            challenge=CHALLENGE,
            domain=[JOBS, EVIL],
        ),
        "presentations/verify-domain-superset.json": verify_case(
            "presentations/verify-domain-superset",
            f"The same presentation (proof domain {json.dumps([JOBS, EVIL])}), verified by "
            f"{json.dumps(JOBS)} alone. The proof was made for a set of domains that also "
            "names another party, which holds the same presentation and could pass it on: "
            "a proof is bound to a verifier only when its domain set equals the one the "
            "verifier expects, not when it merely contains it. A conforming verifier answers "
            "INVALID, "
            "domain_mismatch.",
            two_domains,
            "INVALID",
            ["domain_mismatch"],
            spec=DI_VERIFY,
            keys=keys,
            challenge=CHALLENGE,
            domain=JOBS,
        ),
        "presentations/verify-challenge-not-string.json": verify_case(
            "presentations/verify-challenge-not-string",
            f"The holder's proof has challenge {json.dumps([CHALLENGE])}: an array holding the "
            "verifier's challenge, not the string itself. Data Integrity requires a string; "
            "under JSON-LD a one-element array means the same statement, so a verifier that "
            "compares after expansion, or tests membership, would accept it. A conforming "
            "verifier compares the string exactly: INVALID, challenge_malformed.",
            challenge_array,
            "INVALID",
            ["challenge_malformed"],
            spec=DI_PROOFS,
            keys=keys,
            challenge=CHALLENGE,
            domain=DOMAIN,
        ),
        "presentations/verify-holderless-valid.json": verify_case(
            "presentations/verify-holderless-valid",
            "A presentation with no holder member (optional in VC Data Model 2.0), signed by "
            "a did:key (proofPurpose authentication) with the verifier's challenge and domain, "
            "carrying a badge signed by its issuer. With no holder there is nothing the "
            "signing key's controller must equal: the proof binds the presentation to the "
            "challenge and domain, and the badge verifies on its own proof. VALID; it says "
            "nothing about who presented it.",
            holderless,
            "VALID",
            [],
            spec=HOLDER_SPEC,
            keys=keys,
            challenge=CHALLENGE,
            domain=DOMAIN,
        ),
        "presentations/verify-holderless-unsigned-credential.json": verify_case(
            "presentations/verify-holderless-unsigned-credential",
            "A holderless presentation carrying the badge without its proof. A credential "
            "secured only by the presentation's proof would have to be self-asserted by the "
            "holder (its issuer the holder), and there is no holder: the credential is "
            "unsecured, proof_missing at /verifiableCredential/0/proof.",
            holderless_unsigned,
            "INVALID",
            ["proof_missing"],
            spec=HOLDER_SPEC,
            keys=keys,
            challenge=CHALLENGE,
            domain=DOMAIN,
        ),
    }
