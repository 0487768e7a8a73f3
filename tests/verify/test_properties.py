"""Properties: sign→verify is VALID for generated credentials; any mutation of a signed
credential makes verification fail (INVALID for the credential body)."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Image,
    Issuer,
    Outcome,
    Profile,
    Verifier,
)
from vcbadge.keys import Ed25519Key

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
pytestmark = pytest.mark.slow  # long hypothesis properties

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
slugs = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)


@st.composite
def credentials(draw: st.DrawFn) -> tuple[Ed25519Key, dict[str, Any]]:
    key = Ed25519Key.from_seed(draw(st.binary(min_size=32, max_size=32)))
    achievement = Achievement(
        id=f"https://badges.example.edu/achievements/{draw(slugs)}",
        name=draw(texts),
        description=draw(texts),
        criteria=Criteria(narrative=draw(texts)),
        image=draw(st.none() | st.just(Image(id="https://badges.example.edu/img.png"))),
        # Unique: JSON-LD arrays are unordered sets, so removing one of two equal tags is not a
        # change of the signed statements (and rightly still verifies).
        tag=draw(st.none() | st.lists(texts, min_size=1, max_size=3, unique=True)),
    )
    if draw(st.booleans()):
        award = AchievementCredential.award(achievement, recipient=f"did:example:{draw(slugs)}")
    else:
        award = AchievementCredential.award(
            achievement, recipient_email=f"{draw(slugs)}@example.org", salt=draw(slugs)
        )
    issuer = Issuer(Profile(id=key.did, name=draw(texts)), key=key, clock=FixedClock(NOW))
    return key, issuer.issue(award)


@SETTINGS
@given(credentials())
def test_sign_then_verify_is_valid(generated: tuple[Ed25519Key, dict[str, Any]]) -> None:
    _, signed = generated
    result = VERIFIER.verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()


def _locations(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every member path below the root (object keys and array indexes)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            found.append((*path, key))
            found.extend(_locations(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.append((*path, index))
            found.extend(_locations(child, (*path, index)))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


# Changing which key signed or which suite is named can make the key unresolvable or the suite
# unknown: that is INDETERMINATE rather than INVALID, and still never VALID. The proof `type`
# names the suite too (suites are looked up by type and cryptosuite: Ed25519Signature2020 has
# no cryptosuite), so an unknown type is `unknown_proof_type`.
_INDETERMINATE_ALLOWED = {
    ("proof", "verificationMethod"),
    ("proof", "cryptosuite"),
    ("proof", "type"),
}


@SETTINGS
@given(credentials(), st.data())
def test_any_mutation_fails(
    generated: tuple[Ed25519Key, dict[str, Any]], data: st.DataObject
) -> None:
    _, signed = generated
    mutated = copy.deepcopy(signed)
    locations = _locations(mutated)
    path = data.draw(st.sampled_from(locations), label="path")
    parent = _parent(mutated, path)
    leaf = parent[path[-1]]
    action = data.draw(st.sampled_from(["change", "remove", "add"]), label="action")
    if action == "add" or (action == "change" and isinstance(leaf, (dict, list))):
        target = leaf if isinstance(leaf, dict) else parent if isinstance(parent, dict) else None
        if target is None:
            target = mutated
        name = data.draw(st.sampled_from(["description", "comment", "extraMember", "name"]))
        old = target.get(name)
        target[name] = data.draw(texts.filter(lambda text: text != old), label="value")
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(leaf, bool):
        parent[path[-1]] = not leaf
    else:
        parent[path[-1]] = data.draw(
            texts.filter(lambda text: text != str(leaf)), label="replacement"
        )
    if mutated == signed:
        return
    result = VERIFIER.verify(mutated)
    if tuple(p for p in path if not isinstance(p, int))[:2] in _INDETERMINATE_ALLOWED:
        assert result.outcome is not Outcome.VALID
    else:
        assert result.outcome is Outcome.INVALID, (path, action, result.to_dict())


@SETTINGS
@given(credentials(), credentials())
def test_proof_moved_to_another_credential_is_invalid(
    first: tuple[Ed25519Key, dict[str, Any]], second: tuple[Ed25519Key, dict[str, Any]]
) -> None:
    _, one = first
    _, other = second
    transplanted = copy.deepcopy(other)
    transplanted["proof"] = copy.deepcopy(one["proof"])
    transplanted["issuer"] = copy.deepcopy(one["issuer"])
    result = VERIFIER.verify(transplanted)
    assert result.outcome is Outcome.INVALID
