"""Contexts meant for examples and tests (the W3C examples contexts, the undefined-terms
catch-all) are refused by default by the verifier and by the issuer, and allowed by an explicit
switch."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone
from typing import Any

import pytest
from jose_helpers import failed

from vcbadge import FixedClock, Issuer, Outcome, Verifier
from vcbadge.cli import main
from vcbadge.errors import ContextNotAllowed, ExampleContext
from vcbadge.jsonld.contexts import example_context_urls, example_contexts_in
from vcbadge.jsonld.loader import BundledLoader, ExampleContextGuard, default_loader
from vcbadge.keys import Ed25519Key
from vcbadge.verify import Policy

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(bytes([5]) * 32)
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
EXAMPLES_V1 = "https://www.w3.org/2018/credentials/examples/v1"
UNDEFINED_TERMS = "https://www.w3.org/ns/credentials/undefined-terms/v2"
ALLOWING = Policy(allow_example_contexts=True)


def _credential(extra_context: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", extra_context],
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "issuer": KEY.controller,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ada", "name": "Ada"},
    }


def _issuer(*, allow: bool = False, suite: str = "eddsa-rdfc-2022") -> Issuer:
    return Issuer(
        {"id": KEY.controller, "type": ["Profile"]},
        key=KEY,
        suite=suite,
        clock=FixedClock(NOW),
        allow_example_contexts=allow,
    )


def test_the_example_contexts_are_the_three_marked_in_the_manifest() -> None:
    assert example_context_urls() == {EXAMPLES_V1, EXAMPLES_V2, UNDEFINED_TERMS}


@pytest.mark.parametrize("url", [EXAMPLES_V2, UNDEFINED_TERMS])
def test_verifier_refuses_a_credential_signed_under_an_example_context(url: str) -> None:
    signed = _issuer(allow=True).issue(_credential(url))
    result = Verifier.offline(clock=FixedClock(NOW)).verify(signed)
    assert result.outcome is Outcome.INVALID
    contexts = [c for c in result.checks if c.name == "contexts"]
    assert [(c.code, c.path) for c in contexts] == [("example_context", "/@context/1")]
    assert "examples and tests" in contexts[0].message
    assert "allow_example_contexts" in contexts[0].message


@pytest.mark.parametrize("url", [EXAMPLES_V2, UNDEFINED_TERMS])
def test_policy_switch_accepts_it(url: str) -> None:
    signed = _issuer(allow=True).issue(_credential(url))
    result = Verifier.offline(clock=FixedClock(NOW), policy=ALLOWING).verify(signed)
    assert result.outcome is Outcome.VALID, failed(result)


def test_refused_whatever_loader_the_verifier_is_given() -> None:
    signed = _issuer(allow=True).issue(_credential(EXAMPLES_V2))
    loader = BundledLoader({"https://example.org/ctx": {"@context": {}}})
    result = Verifier.offline(clock=FixedClock(NOW), loader=loader).verify(signed)
    assert ("contexts", "example_context", "/@context/1") in failed(result)


@pytest.mark.parametrize("method", ["issue_jwt", "issue_enveloped"])
def test_jwt_issuer_refuses_by_default(method: str) -> None:
    from vcbadge.issue.jwt import JwtIssuer

    jwt_issuer = JwtIssuer({"id": KEY.controller, "type": ["Profile"]}, key=KEY)
    with pytest.raises(ExampleContext):
        getattr(jwt_issuer, method)(_credential(EXAMPLES_V2))


def test_verifier_refuses_it_in_a_vc_jwt() -> None:
    from vcbadge.proofs.jwt import encode_vc_jwt

    token = encode_vc_jwt(_credential(EXAMPLES_V2), KEY)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(token)
    assert "example_context" in {code for _, code, _ in failed(result)}
    allowed = Verifier.offline(clock=FixedClock(NOW), policy=ALLOWING).verify(token)
    assert "example_context" not in {code for _, code, _ in failed(allowed)}


def test_refused_in_a_presentation() -> None:
    from vcbadge.issue.presentation import present

    signed = _issuer(allow=True).issue(_credential(EXAMPLES_V2))
    holder = Ed25519Key.from_seed(bytes([6]) * 32)
    presentation = present([signed], holder, challenge="c", at=NOW)
    result = Verifier.offline(clock=FixedClock(NOW)).verify_presentation(
        presentation, challenge="c"
    )
    assert ("contexts", "example_context", "/verifiableCredential/0/@context/1") in failed(result)


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
@pytest.mark.parametrize("url", [EXAMPLES_V2, EXAMPLES_V1, UNDEFINED_TERMS])
def test_issuer_refuses_by_default(suite: str, url: str) -> None:
    credential = _credential(url)
    with pytest.raises(ExampleContext) as refused:
        _issuer(suite=suite).issue(credential)
    assert refused.value.code == "example_context"
    assert refused.value.path == "/@context/1"
    assert isinstance(refused.value, ContextNotAllowed)
    assert "allow_example_contexts=True" in refused.value.message


def test_issuer_signs_with_the_flag() -> None:
    signed = _issuer(allow=True).issue(_credential(EXAMPLES_V2))
    assert "proof" in signed


def test_example_contexts_in_names_each_entry() -> None:
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", {"x": "y"}, EXAMPLES_V2]}
    assert example_contexts_in(document) == [("/@context/2", EXAMPLES_V2)]
    assert example_contexts_in({"@context": UNDEFINED_TERMS}) == [("/@context/0", UNDEFINED_TERMS)]
    assert example_contexts_in({}) == []


def test_guard_passes_other_urls_to_its_loader() -> None:
    guard = ExampleContextGuard(default_loader())
    assert guard("https://www.w3.org/ns/credentials/v2")["documentUrl"] == (
        "https://www.w3.org/ns/credentials/v2"
    )
    with pytest.raises(ExampleContext):
        guard(EXAMPLES_V2)
    with pytest.raises(ContextNotAllowed) as unknown:
        guard("https://unknown.example/ctx")
    assert unknown.value.code == "context_not_allowed"
    assert guard.inner is default_loader()


def test_guard_is_immutable_and_picklable() -> None:
    guard = ExampleContextGuard(default_loader())
    with pytest.raises(AttributeError):
        guard._inner = default_loader()  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(guard))
    with pytest.raises(ExampleContext):
        copy(EXAMPLES_V2)


def test_the_default_loader_still_serves_them() -> None:
    # Canonicalizing an example is not accepting a credential: tools keep working.
    assert default_loader()(EXAMPLES_V2)["documentUrl"] == EXAMPLES_V2


def test_cli_refuses_and_the_flag_allows(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    signed = _issuer(allow=True).issue(_credential(EXAMPLES_V2))
    path = tmp_path / "example.json"
    path.write_text(json.dumps(signed), encoding="utf-8")
    assert main(["verify", str(path), "--offline", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert "example_context" in {check["code"] for check in report["checks"]}
    code = main(["verify", str(path), "--offline", "--json", "--allow-example-contexts"])
    report = json.loads(capsys.readouterr().out)
    assert "example_context" not in {check["code"] for check in report["checks"]}
    assert code == 0, report


@pytest.mark.parametrize("method", ["issue_jwt", "issue_enveloped"])
def test_jwt_issuer_signs_with_the_flag_and_the_verifier_follows_its_policy(method: str) -> None:
    from vcbadge.issue.jwt import JwtIssuer

    jwt_issuer = JwtIssuer(
        {"id": KEY.controller, "type": ["Profile"]},
        key=KEY,
        clock=FixedClock(NOW),
        allow_example_contexts=True,
    )
    token = getattr(jwt_issuer, method)(_credential(EXAMPLES_V2))
    refused = Verifier.offline(clock=FixedClock(NOW)).verify(token)
    assert "example_context" in {code for _, code, _ in failed(refused)}
    allowed = Verifier.offline(clock=FixedClock(NOW), policy=ALLOWING).verify(token)
    assert allowed.outcome is Outcome.VALID, allowed.failed


def test_the_guard_says_what_it_certainly_serves() -> None:
    """The contexts step skips loading a URL the loader certainly serves; the guard never
    claims an example context, nor a URL its inner loader cannot vouch for without loading."""
    from vcbadge.jsonld.loader import BundledLoader, ExampleContextGuard

    guard = ExampleContextGuard(BundledLoader())
    assert "https://www.w3.org/ns/credentials/v2" in guard
    assert "https://www.w3.org/ns/credentials/examples/v2" not in guard
    assert "https://unknown.example/context" not in guard
    assert 42 not in guard
    opaque = ExampleContextGuard(lambda url, options=None: BundledLoader()(url))
    assert "https://www.w3.org/ns/credentials/v2" not in opaque
