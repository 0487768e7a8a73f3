"""A ``VerificationResult`` (its checks and issuer trust answer) pickles into a compact form of
plain values, as batch workers send results back one by one, and comes back equal: every
field, every outcome the same member of its Enum, at every pickle protocol, through
``copy`` too."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from vcbadge.trust.answer import IssuerTrust, NameSource, RegistryProblem, TrustLevel
from vcbadge.verify.result import Check, Outcome, VerificationResult

TRUST = IssuerTrust(
    level=TrustLevel.DOMAIN_BOUND,
    issuer_id="did:web:issuer.example",
    reason="the domain names it",
    name="Example University",
    name_source=NameSource.DOMAIN,
    claimed_name="Example U",
    host="issuer.example",
    registry=None,
    url="https://issuer.example/",
    problems=(RegistryProblem(registry="r", code="registry_unavailable", message="down"),),
)
RESULT = VerificationResult.of(
    [
        Check.passed("parse", "well-formed JSON object"),
        Check.invalid("proof", code="invalid_signature", message="no match", path="/proof"),
        Check.indeterminate("status", code="status_unavailable", message="offline", path="/s"),
    ],
    {"id": "urn:uuid:1", "nested": {"list": [1, "two"]}},
    issuer_trust=TRUST,
)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_result_pickles_back_equal_at_every_protocol(protocol: int) -> None:
    restored = pickle.loads(pickle.dumps(RESULT, protocol))
    assert restored == RESULT
    assert restored.document == RESULT.document
    assert restored.issuer_trust == TRUST
    assert [check.outcome for check in restored.checks] == [
        Outcome.VALID,
        Outcome.INVALID,
        Outcome.INDETERMINATE,
    ]
    assert all(type(check.outcome) is Outcome for check in restored.checks)
    assert restored.issuer_trust is not None
    assert restored.issuer_trust.level is TrustLevel.DOMAIN_BOUND
    assert restored.issuer_trust.name_source is NameSource.DOMAIN
    assert restored.outcome is Outcome.INVALID
    assert restored.to_dict() == RESULT.to_dict()


def test_restored_objects_stay_frozen_and_hashable() -> None:
    check = pickle.loads(pickle.dumps(RESULT.checks[1]))
    assert hash(check) == hash(RESULT.checks[1])
    with pytest.raises(AttributeError):
        check.code = "ok"
    trust = pickle.loads(pickle.dumps(TRUST))
    with pytest.raises(AttributeError):
        trust.name = "Someone else"


def test_copy_and_deepcopy_keep_every_field() -> None:
    assert copy.copy(RESULT) == RESULT
    deep = copy.deepcopy(RESULT)
    assert deep == RESULT
    assert deep.issuer_trust == TRUST
    assert deep.document == RESULT.document
    assert deep.document is not RESULT.document


def test_a_result_without_trust_or_checks_pickles_too() -> None:
    empty = VerificationResult.of([])
    restored = pickle.loads(pickle.dumps(empty))
    assert restored == empty
    assert restored.issuer_trust is None
    assert restored.outcome is Outcome.INDETERMINATE


def test_the_pickled_forms_carry_every_field() -> None:
    """The compact forms list fields by position, for speed: a field added to ``Check`` or
    ``IssuerTrust`` fails here until ``__reduce__`` carries it too."""
    check = RESULT.checks[1]
    _, check_values = check.__reduce__()
    assert [field.name for field in dataclasses.fields(Check)] == [
        "name",
        "outcome",
        "code",
        "message",
        "path",
    ]
    assert check_values == (check.name, check.outcome.value, check.code, check.message, "/proof")
    _, trust_values = TRUST.__reduce__()
    names = [field.name for field in dataclasses.fields(IssuerTrust)]
    assert len(trust_values) == len(names)
    assert dict(zip(names, trust_values, strict=True)) == {
        **{name: getattr(TRUST, name) for name in names},
        "level": TRUST.level.value,
        "name_source": TRUST.name_source.value,
    }


def test_results_with_equal_checks_share_them_once_restored() -> None:
    """A batch's results mostly carry the same checks: reading them back reuses the frozen
    checks (and issuer trust answer) restored before, instead of building them again."""
    first = pickle.loads(pickle.dumps(RESULT))
    second = pickle.loads(pickle.dumps(RESULT))
    assert second.checks is first.checks
    assert second.issuer_trust is first.issuer_trust
    other = VerificationResult.of(
        [*RESULT.checks[:2], Check.passed("status", "not revoked", "/s")],
        issuer_trust=dataclasses.replace(TRUST, name="Another University"),
    )
    restored = pickle.loads(pickle.dumps(other))
    assert restored.checks == other.checks
    assert restored.checks is not first.checks
    assert restored.issuer_trust == other.issuer_trust
    assert restored.issuer_trust is not first.issuer_trust


def test_the_memory_of_restored_checks_is_bounded() -> None:
    from vcbadge.trust.answer import _RESTORED_ANSWERS
    from vcbadge.verify.result import _RESTORED_CHECKS

    for number in range(1_000):
        result = VerificationResult.of(
            [Check.passed("proof", f"signature by key {number}")],
            issuer_trust=dataclasses.replace(TRUST, issuer_id=f"did:web:{number}.example"),
        )
        restored = pickle.loads(pickle.dumps(result))
        assert restored == result
        assert restored.issuer_trust == result.issuer_trust
    assert len(_RESTORED_CHECKS) <= _RESTORED_CHECKS.max_entries == 256
    assert len(_RESTORED_ANSWERS) <= _RESTORED_ANSWERS.max_entries == 256
