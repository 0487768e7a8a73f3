"""A genuine badge that names the official OB 3.0 JSON Schema verifies VALID offline and online
without fetching it: the fixture was signed by Digital Bazaar's stack (the interop oracle,
eddsa-rdfc-2022, did:key) from a credential vcbadge's tests wrote, and committed as data."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from badge_images import make_png
from jose_helpers import failed

from vcbadge import Outcome, Verifier
from vcbadge.bake import bake
from vcbadge.protocols import Response

SIGNED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "digital-bazaar-ob3-official-schema.json").read_text(
        encoding="utf-8"
    )
)
OFFICIAL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


class NoNetwork:
    """A transport that records what was asked and refuses it."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def get(self, url: str, *, accept: Any) -> Response:
        from vcbadge.errors import ConnectionFailed

        self.asked.append(url)
        raise ConnectionFailed(f"no network in this test: {url}")


def test_the_fixture_names_the_official_schema() -> None:
    assert SIGNED["credentialSchema"][0]["id"] == OFFICIAL


def test_verifies_offline() -> None:
    result = Verifier.offline().verify(SIGNED)
    assert result.outcome is Outcome.VALID, failed(result)
    assert ("schema", "ok", "/credentialSchema/0") in [
        (c.name, c.code, c.path) for c in result.checks
    ]


def test_verifies_online_without_fetching_the_official_schema() -> None:
    transport = NoNetwork()
    result = Verifier.online(transport=transport).verify(SIGNED)
    assert result.outcome is Outcome.VALID, failed(result)
    assert transport.asked == []


def test_verifies_baked_into_a_png() -> None:
    result = Verifier.offline().verify(bake(make_png(), SIGNED))
    assert result.outcome is Outcome.VALID, failed(result)


def test_a_credential_that_breaks_the_official_schema_is_invalid_on_the_schema_too() -> None:
    broken = copy.deepcopy(SIGNED)
    del broken["credentialSubject"]["achievement"]["criteria"]
    result = Verifier.offline().verify(broken)
    assert result.outcome is Outcome.INVALID
    codes = {(c.name, c.code) for c in result.failed}
    assert ("schema", "schema_invalid") in codes
    assert ("proof", "invalid_signature") in codes


@pytest.mark.parametrize("mode", ["offline", "online"])
def test_an_unreachable_custom_schema_is_indeterminate(mode: str) -> None:
    custom = copy.deepcopy(SIGNED)
    custom["credentialSchema"].append(
        {"id": "https://schemas.example.edu/custom.json", "type": "1EdTechJsonSchemaValidator2019"}
    )
    verifier = Verifier.offline() if mode == "offline" else Verifier.online(transport=NoNetwork())
    result = verifier.verify(custom)
    assert ("schema", "schema_unavailable", "/credentialSchema/1") in failed(result)
