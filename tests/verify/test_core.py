"""The verification core: one regression test for each bug the "one verification core" review
found, and the behaviour the core now owns (holderless presentations, images from Python,
limits in Policy, immutable verifiers, one error-to-outcome mapping)."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from badge_images import make_png
from jose_helpers import failed, unsigned
from signing import sign_eddsa

from vcbadge import Check, FixedClock, Issuer, Outcome, Policy, VerificationResult, Verifier
from vcbadge.bake import bake
from vcbadge.errors import (
    ControllerMismatch,
    DIDResolutionError,
    InvalidSignature,
    ResolutionError,
    Revoked,
    Suspended,
    UnsupportedError,
    VerificationError,
)
from vcbadge.issue.presentation import Holder, present
from vcbadge.keys import Ed25519Key
from vcbadge.keys.controller_document import controller_document
from vcbadge.proofs.data_integrity import unsecured
from vcbadge.protocols import Response

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
ISSUER_KEY = Ed25519Key.from_seed(bytes([21]) * 32)
ISSUER = Issuer(
    {"id": ISSUER_KEY.controller, "type": ["Profile"]}, key=ISSUER_KEY, clock=FixedClock(NOW)
)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
CHALLENGE = "a-one-time-challenge"


def signed(**members: Any) -> dict[str, Any]:
    credential = unsigned()
    credential.update(members)
    return ISSUER.issue(credential)


# --- bug: a holder key published at its own URL --------------------------------------------------


def test_a_holder_key_published_at_its_own_url_presents_and_verifies() -> None:
    controller = "https://holder.example/controller"
    key_url = "https://keys.example/holder-key-1"
    key = Ed25519Key.from_seed(bytes([22]) * 32, controller=controller, key_id=key_url)
    assert key.verification_method == key_url
    presentation = present([signed()], key, challenge=CHALLENGE, at=NOW)
    # The holder is the key's controller, not the key URL with its "fragment" cut off.
    assert presentation["holder"] == controller
    documents = {
        controller: controller_document(key, purposes=("authentication",)),
        key_url: {
            **key.to_multikey_document(),
            "@context": "https://w3id.org/security/multikey/v1",
        },
    }
    verifier = Verifier.offline(documents=documents, clock=FixedClock(NOW))
    result = verifier.verify_presentation(presentation, challenge=CHALLENGE)
    assert result.outcome is Outcome.VALID, failed(result)


def test_holder_mirrors_issuer() -> None:
    key = Ed25519Key.from_seed(bytes([23]) * 32)
    holder = Holder(key, clock=FixedClock(NOW))
    assert holder.id == key.controller
    presentation = holder.present([signed()], challenge=CHALLENGE, domain="hr.example")
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE, domain="hr.example")
    assert result.outcome is Outcome.VALID, failed(result)


# --- holder is optional (VC Data Model 2.0 section 4.13) -----------------------------------------


def _holderless(presentation: dict[str, Any], key: Ed25519Key) -> dict[str, Any]:
    document = unsecured(presentation)
    del document["holder"]
    return sign_eddsa(
        document, key, created=NOW, purpose="authentication", options={"challenge": CHALLENGE}
    )


def test_a_presentation_without_holder_verifies_and_says_its_key_is_unbound() -> None:
    key = Ed25519Key.from_seed(bytes([24]) * 32)
    presentation = _holderless(present([signed()], key, challenge=CHALLENGE, at=NOW), key)
    assert "holder" not in presentation
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE)
    assert result.outcome is Outcome.VALID, failed(result)
    (proof_check,) = [c for c in result.checks if (c.name, c.path) == ("proof", "/proof")]
    assert "no holder is named" in proof_check.message


def test_a_holder_bound_presentation_keeps_its_binding() -> None:
    key = Ed25519Key.from_seed(bytes([25]) * 32)
    presentation = present([signed()], key, challenge=CHALLENGE, at=NOW)
    presentation["holder"] = "did:example:someone-else"
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE)
    assert ("proof", "controller_mismatch", "/proof/verificationMethod") in failed(result)


def test_a_holderless_presentation_with_a_tampered_credential_is_invalid() -> None:
    key = Ed25519Key.from_seed(bytes([26]) * 32)
    presentation = _holderless(present([signed()], key, challenge=CHALLENGE, at=NOW), key)
    presentation["verifiableCredential"][0]["name"] = "Forged"
    result = VERIFIER.verify_presentation(presentation, challenge=CHALLENGE)
    assert result.outcome is Outcome.INVALID


# --- bug: Verifier.online(documents=...) ignored JSON Schemas ------------------------------------


class RefusingTransport:
    """A transport that must not be used: every fetch is a failure the test would see."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def get(self, url: str, *, accept: Any) -> Response:
        self.asked.append(url)
        raise DIDResolutionError(f"no network in this test: {url}")


SCHEMA_URL = "https://schemas.example.edu/badge.json"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "$id": SCHEMA_URL,
    "type": "object",
    "required": ["name"],
}


@pytest.mark.parametrize("mode", ["offline", "online"])
def test_schemas_given_as_documents_are_used_online_and_offline(mode: str) -> None:
    credential = signed(credentialSchema=[{"id": SCHEMA_URL, "type": "JsonSchema"}])
    transport = RefusingTransport()
    documents = {SCHEMA_URL: SCHEMA}
    verifier = (
        Verifier.offline(documents=documents, clock=FixedClock(NOW))
        if mode == "offline"
        else Verifier.online(documents=documents, clock=FixedClock(NOW), transport=transport)
    )
    result = verifier.verify(credential)
    assert result.outcome is Outcome.VALID, failed(result)
    assert any(c.name == "schema" and c.outcome is Outcome.VALID for c in result.checks)
    assert SCHEMA_URL not in transport.asked


# --- bug: raise_for_outcome always raised the base class -----------------------------------------


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("revoked", Revoked),
        ("suspended", Suspended),
        ("invalid_signature", InvalidSignature),
        ("controller_mismatch", ControllerMismatch),
        ("something_else", VerificationError),
    ],
)
def test_raise_for_outcome_raises_the_error_the_code_names(
    code: str, error: type[VerificationError]
) -> None:
    result = VerificationResult.of(
        [Check(name="status", outcome=Outcome.INVALID, code=code, message="m", path="/x")]
    )
    with pytest.raises(error) as raised:
        result.raise_for_outcome()
    assert type(raised.value) is error
    assert (raised.value.code, raised.value.path) == (code, "/x")


def test_raise_for_outcome_on_indeterminate_is_a_resolution_error() -> None:
    result = VerificationResult.of(
        [Check(name="status", outcome=Outcome.INDETERMINATE, code="status_unchecked", message="m")]
    )
    with pytest.raises(ResolutionError):
        result.raise_for_outcome()


# --- bug: errors mutated in flight ---------------------------------------------------------------


class OneErrorResolver:
    """Raises the same error instance every time, so a test can see whether it was changed."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def resolve(self, identifier: str) -> dict[str, Any]:
        raise self.error


def test_an_error_raised_by_a_resolver_is_never_changed() -> None:
    error = DIDResolutionError("the resolver could not answer")
    verifier = Verifier(resolver=OneErrorResolver(error), clock=FixedClock(NOW))
    result = verifier.verify(signed())
    assert result.outcome is Outcome.INDETERMINATE
    (check,) = [c for c in result.failed if c.name == "proof"]
    assert check.path == "/proof/verificationMethod"
    assert error.path == ""  # the caller's error object is untouched
    assert error.message == "the resolver could not answer"


def test_at_and_noted_make_new_errors() -> None:
    error = InvalidSignature("bad")
    located = error.at("/proof")
    noted = error.noted("(redirected from https://a.example)")
    assert (error.path, error.message) == ("", "bad")
    assert (type(located), located.path, located.__cause__) == (InvalidSignature, "/proof", error)
    assert noted.message == "bad (redirected from https://a.example)"
    assert error.at("/x").at("/y").path == "/x"  # the innermost location wins


# --- bug: a Verifier's collaborators could be swapped after it was built -------------------------


@pytest.mark.parametrize("member", ["policy", "loader", "clock", "resolver", "registry", "schemas"])
def test_a_verifier_is_immutable(member: str) -> None:
    verifier = Verifier.offline()
    with pytest.raises(AttributeError):
        setattr(verifier, member, getattr(verifier, member))


# --- bug: Check built positionally ---------------------------------------------------------------


def test_check_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        Check("proof", Outcome.VALID, "ok", "message")  # type: ignore[misc]


def test_check_from_error_is_the_one_mapping() -> None:
    assert Check.from_error("x", ResolutionError("r")).outcome is Outcome.INDETERMINATE
    assert Check.from_error("x", UnsupportedError("u")).outcome is Outcome.INDETERMINATE
    assert Check.from_error("x", InvalidSignature("s")).outcome is Outcome.INVALID
    assert Check.from_error("x", InvalidSignature("s"), path="/p").path == "/p"
    assert Check.from_error("x", InvalidSignature("s", path="/q"), path="/p").path == "/q"


# --- every limit in Policy -----------------------------------------------------------------------


# The schema wants EndorsementCredentials under `endorsement`; nesting badges is the smallest
# way to build depth, and depth is what the nesting limit is about.
NESTING_ISSUER = Issuer(
    {"id": ISSUER_KEY.controller, "type": ["Profile"]},
    key=ISSUER_KEY,
    clock=FixedClock(NOW),
    check_schema=False,
)


def _endorsed(depth: int) -> dict[str, Any]:
    credential = signed()
    for _ in range(depth):
        nesting = unsigned()
        nesting["endorsement"] = [credential]
        credential = NESTING_ISSUER.issue(nesting)
    return credential


def test_max_nesting_is_a_policy_limit() -> None:
    credential = _endorsed(2)
    assert VERIFIER.verify(credential).outcome is Outcome.VALID
    shallow = Verifier.offline(policy=Policy(max_nesting=1), clock=FixedClock(NOW))
    result = shallow.verify(credential)
    assert result.outcome is Outcome.INDETERMINATE
    assert [c.code for c in result.failed] == ["nesting_too_deep"]


def test_canonicalization_work_is_a_policy_limit() -> None:
    credential = signed()
    assert (
        Verifier.offline(policy=Policy(max_canonicalization_quads=5), clock=FixedClock(NOW))
        .verify(credential)
        .outcome
        is not Outcome.VALID
    )


@pytest.mark.parametrize("limit", ["max_nesting", "max_status_depth", "max_canonicalization_work"])
def test_limits_are_validated(limit: str) -> None:
    with pytest.raises(ValueError, match=limit):
        Policy(**{limit: -1})


def test_policy_fields_are_frozen() -> None:
    policy = Policy()
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.max_nesting = 9  # type: ignore[misc]


# --- images from Python --------------------------------------------------------------------------


def test_a_baked_png_verifies_from_python() -> None:
    credential = signed()
    image = bake(make_png(), credential)
    result = VERIFIER.verify(image)
    assert result.outcome is Outcome.VALID, failed(result)
    assert result.checks[0].name == "image"
    assert result.document == credential


def test_a_tampered_baked_png_is_invalid() -> None:
    credential = signed()
    credential["name"] = "Forged"
    result = VERIFIER.verify(bake(make_png(), credential))
    assert result.outcome is Outcome.INVALID


def test_a_jpeg_says_what_it_is() -> None:
    result = VERIFIER.verify(b"\xff\xd8\xff\xe0" + bytes(64))
    assert [(c.name, c.code) for c in result.failed] == [("image", "image_type_unsupported")]
    assert "JPEG" in result.failed[0].message


def test_a_path_is_a_type_error(tmp_path: Path) -> None:
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(signed()), encoding="utf-8")
    with pytest.raises(TypeError, match="read the file"):
        VERIFIER.verify(path)  # type: ignore[arg-type]
    assert VERIFIER.verify(path.read_bytes()).outcome is Outcome.VALID


def test_a_file_name_as_text_is_invalid_and_says_why() -> None:
    result = VERIFIER.verify("badge.png")
    assert [(c.name, c.code) for c in result.failed] == [("parse", "file_name_given")]


# --- one path: every format gets the same credential checks --------------------------------------


def test_status_list_and_nested_depths_are_counted_apart() -> None:
    # A nested credential at nesting depth 2 still has its status checked (the two limits
    # used to share one counter, so a deep endorsement's status was "too deep").
    frame_cls = __import__("vcbadge.verify.frame", fromlist=["Frame"]).Frame
    frame = frame_cls(now=NOW).nested().nested()
    assert (frame.nesting, frame.status_depth) == (2, 0)
    listed = frame.status_list(NOW + timedelta(days=1))
    assert (listed.nesting, listed.status_depth, listed.now) == (2, 1, NOW + timedelta(days=1))
    assert listed.purpose.name == "assertionMethod"
    assert frame.presentation().purpose.controller_member == "holder"


def test_verify_does_not_change_its_input() -> None:
    credential = signed()
    before = copy.deepcopy(credential)
    VERIFIER.verify(credential)
    assert credential == before


def test_derived_errors_never_share_state_even_after_distributed_is_imported() -> None:
    """Importing dask's distributed changes what copy.copy does to exceptions (the copy shared
    the original's attributes, so .at() moved the original too): derived errors are built by
    hand."""
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    error = InvalidSignature("bad")
    located = error.at("/proof")
    noted = error.noted("(again)")
    under = located.under("/outer")
    assert (error.path, error.message) == ("", "bad")
    assert (located.path, noted.message, under.path) == ("/proof", "bad (again)", "/outer/proof")
    assert located.__dict__ is not error.__dict__
