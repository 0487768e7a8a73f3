"""The W3C VC Data Model 2.0 test-suite inputs (../shared/reference/examples/
vc-data-model-2.0-test-suite) through vcbadge's envelope step.

The file name says the expectation: ``-ok`` must pass the envelope, ``-fail`` must fail it with
a path, ``-fail-or-inject`` must fail it too (vcbadge never injects a missing base context).
A few expectations are not data-model structure and are checked where vcbadge decides them:

- JSON-LD processing (a protected term redefined, a type that expands to no URL): the issuer
  refuses to canonicalize, hence to sign, them — the W3C suite sends these files to an issuer.
- Self-asserted credentials in a presentation (VC 2.0 "Presentations Including Holder Claims"):
  whether the issuer of an unsigned credential is the one who signed the presentation needs the
  presentation's proof, so the proof and nested-credential steps decide.

Like the W3C harness (its ``createRequestBody``), a credential input without an issuer gets the
issuer under test, and the ``PAST DATE``/``FUTURE DATE`` placeholders a year either side of now.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from reference_corpus import reference_root, requires_reference
from signing import sign_eddsa

from vcbadge import FixedClock, Issuer, Outcome, Verifier
from vcbadge._time import format_datetime
from vcbadge.errors import CanonicalizationError
from vcbadge.keys import Ed25519Key
from vcbadge.verify.result import Check

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
KEY = Ed25519Key.from_seed(bytes([21]) * 32)
CHALLENGE = "vc2-conformance"
# The W3C harness's own signing identity; its presentation inputs name it as holder/issuer.
HARNESS_DID = "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"

_ROOT = reference_root()
SUITE = _ROOT / "examples" / "vc-data-model-2.0-test-suite" if _ROOT else None
FILES = sorted(SUITE.rglob("*.json")) if SUITE else []

# Only a JSON-LD processor sees these (VC 2.0 section 4.5 Types: every type MUST expand to a
# URL; JSON-LD 1.1: a protected term MUST NOT be redefined).
JSON_LD_ONLY = {
    # pyld refuses to redefine a protected term, or a term mapped to a value that is no IRI.
    "credential-redef-type-fail.json": "canonicalization_failed",
    "credential-redef-type2-fail.json": "canonicalization_failed",
    "credential-type-mapped-nonurl-fail.json": "canonicalization_failed",
    # {"@vocab": null} leaves the type unmapped: safe mode names it (pyld alone would crash on
    # the null vocabulary, see vcbadge.jsonld.safe_mode).
    "credential-type-unmapped-fail.json": "undefined_term",
}
# VC 2.0 section 4.13.4: a self-asserted credential secured only by the presentation needs a
# holder, and its issuer MUST be that holder. Expected: rejected, by the step named.
SELF_ASSERTED = {
    # holder is optional (VC Data Model 2.0 section 4.13), so the presentation's own proof binds
    # no controller; without a holder the unsigned credential cannot be self-asserted by it.
    "presentation-self-asserted-vc-no-holder.json": (
        "proof",
        "proof_missing",
        "/verifiableCredential/0/proof",
    ),
    "presentation-self-asserted-vc-holder-mismatch.json": (
        "proof",
        "controller_mismatch",
        "/proof",
    ),
    "presentation-self-asserted-vc-issuer-mismatch.json": (
        "proof",
        "proof_missing",
        "/verifiableCredential/0/proof",
    ),
}


def _cases(wanted: Callable[[str], bool] = lambda name: True) -> list[Any]:
    """One parameter per input file whose name ``wanted`` accepts (ids: the file names); a
    single skipped one, with the reason, when the corpus is absent."""
    if SUITE is None:
        return [pytest.param(None, id="corpus-absent", marks=requires_reference)]
    return [
        pytest.param(path, id=path.relative_to(SUITE).as_posix())
        for path in FILES
        if wanted(path.name)
    ]


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _as_issued(document: dict[str, Any], issuer_id: str) -> dict[str, Any]:
    """What the W3C harness gives an issuer: its own id where the input names none, dates
    filled in the placeholders."""
    document = copy.deepcopy(document)
    issuer = document.get("issuer")
    if "issuer" not in document:
        document["issuer"] = issuer_id
    elif isinstance(issuer, dict) and "id" not in issuer:
        issuer["id"] = issuer_id
    year = timedelta(days=365)
    placeholders = {"PAST DATE": NOW - year, "FUTURE DATE": NOW + year}
    for member in ("validFrom", "validUntil"):
        if document.get(member) in placeholders:
            document[member] = format_datetime(placeholders[document[member]])
    return document


def _envelope_checks(document: dict[str, Any], name: str) -> list[Check]:
    if name.startswith("presentation-"):
        result = VERIFIER.verify_presentation(document, challenge=CHALLENGE)
    else:
        result = VERIFIER.verify(_as_issued(document, KEY.controller))
    return [check for check in result.checks if check.name == "envelope"]


@requires_reference
def test_the_suite_is_all_there() -> None:
    assert SUITE is not None
    names = [path.name for path in FILES]
    assert len(names) == 120
    suffixes = {
        "ok": sum(name.endswith("-ok.json") for name in names),
        "fail": sum(name.endswith("-fail.json") for name in names),
        "inject": sum(name.endswith("-fail-or-inject.json") for name in names),
    }
    assert suffixes == {"ok": 65, "fail": 49, "inject": 3}
    assert set(names) - {n for n in names if n.endswith(("-ok.json", "-fail.json"))} == {
        "credential-missing-base-context-fail-or-inject.json",
        "credential-no-context-fail-or-inject.json",
        "presentation-no-context-fail-or-inject.json",
        *SELF_ASSERTED,
    }


@pytest.mark.parametrize("path", _cases())
def test_envelope(path: Path | None) -> None:
    assert path is not None
    name = path.name
    document = _load(path)
    checks = _envelope_checks(document, name)
    failures = [check for check in checks if check.outcome is not Outcome.VALID]
    if name.endswith("-ok.json") or name in JSON_LD_ONLY or name in SELF_ASSERTED:
        # JSON_LD_ONLY and SELF_ASSERTED are well-formed envelopes: see the tests below.
        assert checks, name
        assert not failures, [(c.code, c.path, c.message) for c in failures]
        return
    assert name.endswith(("-fail.json", "-fail-or-inject.json")), name
    assert failures, f"{name}: the envelope accepted it"
    assert all(check.outcome is Outcome.INVALID and check.path for check in failures)
    if name.endswith("-fail-or-inject.json"):
        assert [c.code for c in failures] == ["envelope_context"]


@pytest.mark.parametrize("path", _cases(JSON_LD_ONLY.__contains__))
def test_json_ld_rules_are_enforced_by_the_issuer(path: Path | None) -> None:
    assert path is not None
    issuer = Issuer({"id": KEY.controller, "type": ["Profile"]}, key=KEY, clock=FixedClock(NOW))
    document = _as_issued(_load(path), KEY.controller)
    with pytest.raises(CanonicalizationError) as raised:
        issuer.issue(document)
    assert raised.value.code == JSON_LD_ONLY[path.name]


@pytest.mark.parametrize("path", _cases(SELF_ASSERTED.__contains__))
def test_self_asserted_credentials_need_the_holder_as_issuer(path: Path | None) -> None:
    assert path is not None
    # The harness signs as HARNESS_DID; vcbadge signs as KEY, so KEY takes its place.
    text = path.read_text(encoding="utf-8").replace(HARNESS_DID, KEY.controller)
    presentation = json.loads(text)
    signed = sign_eddsa(
        presentation, KEY, created=NOW, purpose="authentication", options={"challenge": CHALLENGE}
    )
    result = VERIFIER.verify_presentation(signed, challenge=CHALLENGE)
    assert result.outcome is Outcome.INVALID
    name, code, where = SELF_ASSERTED[path.name]
    assert any(
        (c.name, c.code) == (name, code) and c.path.startswith(where) for c in result.failed
    ), [(c.name, c.code, c.path) for c in result.failed]


@pytest.mark.parametrize(
    "path",
    # credential-proof-ok is already signed: an issuer refuses it (already_signed) by design.
    _cases(
        lambda name: (
            name.endswith("-ok.json")
            and not name.startswith(("presentation-", "credential-proof-"))
        )
    ),
)
def test_acceptable_credentials_are_issued(path: Path | None) -> None:
    """The W3C suite's issuer side: vcbadge signs every -ok credential input."""
    assert path is not None
    issuer = Issuer(
        {"id": KEY.controller, "type": ["Profile"]},
        key=KEY,
        clock=FixedClock(NOW),
        allow_example_contexts=True,  # the W3C suite's inputs use the examples context
        allow_expired=True,  # some have a validUntil in 2023: acceptable, though already past
    )
    issued = issuer.issue(_as_issued(_load(path), KEY.controller))
    assert issued["proof"]["proofPurpose"] == "assertionMethod"
