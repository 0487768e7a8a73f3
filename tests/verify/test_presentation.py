"""Verifiable presentations: an authentication proof bound to challenge and domain, and every
presented credential verified with the credential pipeline."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from jose_helpers import failed, unsigned
from signing import sign_eddsa

from vcbadge import FixedClock, Issuer, Outcome, Verifier
from vcbadge.errors import InputError
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.issue.presentation import present
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey, Ed25519Key
from vcbadge.keys.controller_document import controller_document
from vcbadge.proofs.data_integrity import add_proof, create_proof, unsecured
from vcbadge.proofs.registry import default_registry
from vcbadge.verify.presentation import binding, expected_domains

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
ISSUER_KEY = Ed25519Key.from_seed(bytes([7]) * 32)
HOLDER = Ed25519Key.from_seed(bytes([9]) * 32)
CHALLENGE, DOMAIN = "4f1c0e2a-one-time", "hiring.example.com"


def badge(name: str) -> dict[str, Any]:
    credential = unsigned()
    credential["name"] = name
    issuer = Issuer(
        {"id": ISSUER_KEY.controller, "type": ["Profile"]}, key=ISSUER_KEY, clock=FixedClock(NOW)
    )
    return issuer.issue(credential)


BADGES = [badge("Python 101"), badge("SQL 101")]


def vp(**options: Any) -> dict[str, Any]:
    options.setdefault("challenge", CHALLENGE)
    options.setdefault("domain", DOMAIN)
    return present(BADGES, HOLDER, at=NOW, **options)


def test_presentation_is_valid_and_every_credential_is_checked() -> None:
    presentation = vp()
    assert presentation["holder"] == HOLDER.controller
    proof = presentation["proof"]
    assert proof["proofPurpose"] == "authentication"
    assert (proof["challenge"], proof["domain"]) == (CHALLENGE, DOMAIN)
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert result.outcome is Outcome.VALID, failed(result)
    paths = {(c.name, c.path) for c in result.checks}
    assert ("proof", "/proof") in paths
    assert ("challenge", "/proof") in paths
    assert ("proof", "/verifiableCredential/0/proof") in paths
    assert ("proof", "/verifiableCredential/1/proof") in paths


def test_replay_with_another_challenge_fails() -> None:
    result = VERIFIER.verify_presentation(vp(), challenge="another-request", domain=DOMAIN)
    assert failed(result) == [("challenge", "challenge_mismatch", "/proof/challenge")]


def test_another_domain_fails() -> None:
    result = VERIFIER.verify_presentation(vp(), challenge=CHALLENGE, domain="evil.example")
    assert failed(result) == [("domain", "domain_mismatch", "/proof/domain")]


def test_missing_domain_fails_when_expected() -> None:
    presentation = vp(domain=None)
    assert "domain" not in presentation["proof"]
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert failed(result) == [("domain", "domain_missing", "/proof/domain")]
    # A verifier that does not use domains accepts it.
    assert VERIFIER.verify_presentation(presentation, challenge=CHALLENGE).outcome is Outcome.VALID


def test_editing_the_challenge_breaks_the_signature() -> None:
    presentation = vp()
    presentation["proof"]["challenge"] = "another-request"
    result = VERIFIER.verify_presentation(presentation, challenge="another-request", domain=DOMAIN)
    assert failed(result) == [("proof", "invalid_signature", "/proof")]


def _signed_without_challenge() -> dict[str, Any]:
    presentation = unsecured(vp())
    suite = default_registry().require("eddsa-rdfc-2022")
    proof = create_proof(
        presentation,
        suite=suite,
        signer=HOLDER,
        canonicalizer=Canonicalizer(default_loader()),
        created=NOW,
        proof_purpose="authentication",
    )
    return add_proof(presentation, proof)


def test_missing_challenge_fails() -> None:
    result = VERIFIER.verify_presentation(
        _signed_without_challenge(), challenge=CHALLENGE, domain=None
    )
    assert failed(result) == [("challenge", "challenge_missing", "/proof/challenge")]


def test_a_tampered_credential_is_reported_at_its_path() -> None:
    presentation = vp()
    # Re-sign the presentation over a tampered credential: the holder proof is fine, the
    # issuer's proof on the credential is not.
    tampered = copy.deepcopy(BADGES)
    tampered[1]["name"] = "SQL 999"
    presentation = present(tampered, HOLDER, challenge=CHALLENGE, domain=DOMAIN, at=NOW)
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert failed(result) == [("proof", "invalid_signature", "/verifiableCredential/1/proof")]


def test_the_holder_must_control_the_key() -> None:
    presentation = vp()
    presentation["holder"] = ISSUER_KEY.controller
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert ("proof", "controller_mismatch", "/proof/verificationMethod") in failed(result)


def test_the_key_must_be_authorized_for_authentication() -> None:
    holder = Ed25519Key.from_seed(bytes([3]) * 32, controller="did:web:ada.example")
    only_assertion = controller_document(holder, purposes=("assertionMethod",))
    presentation = present(BADGES, holder, challenge=CHALLENGE, at=NOW)
    verifier = Verifier.offline(
        documents={"did:web:ada.example": only_assertion}, clock=FixedClock(NOW)
    )
    result = verifier.verify_presentation(presentation, challenge=CHALLENGE)
    assert failed(result) == [("proof", "proof_purpose", "/proof/verificationMethod")]
    both = controller_document(holder, purposes=("assertionMethod", "authentication"))
    verifier = Verifier.offline(documents={"did:web:ada.example": both}, clock=FixedClock(NOW))
    assert verifier.verify_presentation(presentation, challenge=CHALLENGE).outcome is Outcome.VALID


def test_a_credential_proof_is_not_a_presentation_proof() -> None:
    """An assertionMethod proof (a credential's) cannot stand in for the holder's."""
    presentation = unsecured(vp())
    suite = default_registry().require("eddsa-rdfc-2022")
    proof = create_proof(
        presentation,
        suite=suite,
        signer=HOLDER,
        canonicalizer=Canonicalizer(default_loader()),
        created=NOW,
        options={"challenge": CHALLENGE},
    )
    result = VERIFIER.verify_presentation(add_proof(presentation, proof), challenge=CHALLENGE)
    assert ("proof", "proof_purpose", "/proof/proofPurpose") in failed(result)


def test_jwt_credentials_are_presented_enveloped() -> None:
    key = EcKey.generate(curve="P-256")
    jwt_issuer = JwtIssuer(
        {"id": key.controller, "type": ["Profile"]}, key=key, clock=FixedClock(NOW)
    )
    enveloped = jwt_issuer.issue_enveloped(unsigned())
    vc_jwt = jwt_issuer.issue_jwt(unsigned())
    presentation = present([BADGES[0], enveloped, vc_jwt], HOLDER, challenge=CHALLENGE, at=NOW)
    assert presentation["verifiableCredential"][1]["type"] == "EnvelopedVerifiableCredential"
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE)
    assert result.outcome is Outcome.VALID, failed(result)
    assert any(c.path == "/verifiableCredential/2/id/signature" for c in result.checks)


def test_not_a_presentation() -> None:
    result = VERIFIER.verify_presentation(BADGES[0], challenge=CHALLENGE)
    assert failed(result) == [("envelope", "envelope_invalid", "/type")]
    assert VERIFIER.verify_presentation(b"not json", challenge=CHALLENGE).outcome is Outcome.INVALID


def test_the_verifier_must_give_a_challenge() -> None:
    with pytest.raises(ValueError, match="challenge"):
        VERIFIER.verify_presentation(vp(), challenge="")
    with pytest.raises(InputError) as caught:
        present(BADGES, HOLDER, challenge="")
    assert caught.value.code == "presentation_challenge_missing"


def test_p256_holder() -> None:
    holder = EcKey.generate(curve="P-256")
    presentation = present(BADGES, holder, challenge=CHALLENGE, domain=DOMAIN, at=NOW)
    assert presentation["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert result.outcome is Outcome.VALID, failed(result)


def _signed_with(**options: Any) -> dict[str, Any]:
    """A presentation the holder signed with these proof options (challenge, domain)."""
    return sign_eddsa(
        unsecured(vp()), HOLDER, created=NOW, purpose="authentication", options=options
    )


def test_a_domain_inside_a_larger_set_is_not_bound() -> None:
    """Data Integrity: the proof's set of domains must be the verifier's, not contain it."""
    presentation = _signed_with(challenge=CHALLENGE, domain=[DOMAIN, "evil.example"])
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert result.outcome is Outcome.INVALID
    assert failed(result) == [("domain", "domain_mismatch", "/proof/domain")]


def test_a_one_domain_array_is_that_domain() -> None:
    presentation = _signed_with(challenge=CHALLENGE, domain=[DOMAIN])
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert result.outcome is Outcome.VALID, failed(result)


@pytest.mark.parametrize(
    ("given", "expected", "code"),
    [
        (["a.example", "b.example"], {"b.example", "a.example"}, None),
        (["a.example", "b.example"], ("a.example", "b.example"), None),
        ("a.example", {"a.example"}, None),
        ("a.example", {"a.example", "b.example"}, "domain_mismatch"),
        (["a.example", "b.example"], {"a.example"}, "domain_mismatch"),
        (["a.example", "b.example"], {"a.example", "c.example"}, "domain_mismatch"),
        (["a.example", "a.example"], "a.example", "domain_malformed"),
        ([], "a.example", "domain_malformed"),
        (["a.example", 7], "a.example", "domain_malformed"),
        ({"a.example": True}, "a.example", "domain_malformed"),
        (7, "a.example", "domain_malformed"),
    ],
)
def test_domain_sets_must_match_exactly(given: Any, expected: Any, code: str | None) -> None:
    proof = {"challenge": CHALLENGE, "domain": given}
    checks = list(binding({"proof": proof}, challenge=CHALLENGE, domain=expected))
    domain_check = next(check for check in checks if check.name == "domain")
    if code is None:
        assert domain_check.outcome is Outcome.VALID
    else:
        assert (domain_check.outcome, domain_check.code) == (Outcome.INVALID, code)
        assert domain_check.path == "/proof/domain"


@pytest.mark.parametrize("challenge", [[CHALLENGE], {"@value": CHALLENGE}, 7, True])
def test_a_challenge_that_is_not_a_string_is_refused(challenge: Any) -> None:
    presentation = _signed_with(challenge=challenge, domain=DOMAIN)
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert result.outcome is Outcome.INVALID
    assert failed(result) == [("challenge", "challenge_malformed", "/proof/challenge")]


@pytest.mark.parametrize("given", [CHALLENGE + " ", CHALLENGE.upper(), CHALLENGE[:-1]])
def test_the_challenge_must_be_equal_exactly(given: str) -> None:
    checks = list(binding({"proof": {"challenge": given}}, challenge=CHALLENGE, domain=None))
    assert [(c.outcome, c.code) for c in checks] == [(Outcome.INVALID, "challenge_mismatch")]


@pytest.mark.parametrize("domain", [set(), [""], ["a.example", 7], ""])
def test_the_verifier_must_give_usable_domains(domain: Any) -> None:
    with pytest.raises(ValueError, match="domain"):
        expected_domains(domain)


def test_the_verifier_may_expect_a_set_of_domains() -> None:
    presentation = _signed_with(challenge=CHALLENGE, domain=[DOMAIN, "jobs.example.com"])
    result = VERIFIER.verify_presentation(
        presentation,
        challenge=CHALLENGE,
        domain=frozenset({"jobs.example.com", DOMAIN}),
    )
    assert result.outcome is Outcome.VALID, failed(result)
    smaller = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
    assert failed(smaller) == [("domain", "domain_mismatch", "/proof/domain")]


@pytest.mark.parametrize("domain", [set(), [""], ""])
def test_the_verifier_is_told_of_its_own_mistake_before_any_work(domain: Any) -> None:
    with pytest.raises(ValueError, match="domain"):
        VERIFIER.verify_presentation(
            _signed_with(challenge=CHALLENGE), challenge=CHALLENGE, domain=domain
        )
