"""What vcbadge issues, vcbadge's default verifier accepts: for every issuing option (every
proof suite and key type, VC-JWT and VC-JOSE-COSE, inline context objects, VC 1.1 and 2.0),
over generated credentials."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jose_helpers import failed, unsigned

from vcbadge import FixedClock, Issuer, Outcome, Verifier
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import EcKey, Ed25519Key

pytestmark = pytest.mark.slow  # long hypothesis properties, every issuing option

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
ED25519 = Ed25519Key.from_seed(bytes([31]) * 32)
P256 = EcKey.generate("P-256")
P384 = EcKey.generate("P-384")

DATA_INTEGRITY = [
    ("eddsa-rdfc-2022", ED25519),
    ("eddsa-jcs-2022", ED25519),
    ("Ed25519Signature2020", ED25519),
    ("ecdsa-rdfc-2019", P256),
    ("ecdsa-rdfc-2019", P384),
    ("ecdsa-jcs-2019", P256),
    ("ecdsa-jcs-2019", P384),
]

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Terms an inline context may add: names that no bundled context protects, each mapped to an
# absolute IRI, used in the credential subject with a plain string value.
TERM = st.from_regex(r"[a-z][a-zA-Z]{2,12}", fullmatch=True).map(lambda name: f"x{name}")
INLINE = st.dictionaries(TERM, st.text(min_size=0, max_size=20), min_size=0, max_size=4)


def credential_with(extra_terms: dict[str, str], version: str) -> dict[str, Any]:
    credential = unsigned(version)
    if version == "1.1":
        credential["issuanceDate"] = "2025-01-01T00:00:00Z"
    if extra_terms:
        credential["@context"].append(
            {term: f"https://vocab.example.org/terms#{term}" for term in extra_terms}
        )
        credential["credentialSubject"].update(extra_terms)
    return credential


@pytest.mark.parametrize(("suite", "key"), DATA_INTEGRITY, ids=lambda v: getattr(v, "algorithm", v))
@SETTINGS
@given(extra_terms=INLINE, version=st.sampled_from(["2.0", "1.1"]))
def test_every_data_integrity_option_verifies(
    suite: str, key: Ed25519Key | EcKey, extra_terms: dict[str, str], version: str
) -> None:
    issuer = Issuer(
        {"id": key.controller, "type": ["Profile"]}, key=key, suite=suite, clock=FixedClock(NOW)
    )
    signed = issuer.issue(credential_with(extra_terms, version))
    result = VERIFIER.verify(signed)
    assert result.outcome is Outcome.VALID, failed(result)


@pytest.mark.parametrize("key", [ED25519, P256, P384], ids=lambda key: key.algorithm)
@SETTINGS
@given(extra_terms=INLINE)
def test_every_jose_option_verifies(key: Ed25519Key | EcKey, extra_terms: dict[str, str]) -> None:
    issuer = JwtIssuer({"id": key.controller, "type": ["Profile"]}, key=key, clock=FixedClock(NOW))
    credential = credential_with(extra_terms, "2.0")
    for token in (issuer.issue_jwt(credential), issuer.issue_enveloped(credential)):
        result = VERIFIER.verify(token)
        assert result.outcome is Outcome.VALID, failed(result)
