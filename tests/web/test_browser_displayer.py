"""The 1EdTech Open Badges 3.0 displayer certification cases (test_vectors/displayer/: valid,
expired-not-revoked and revoked-not-expired, in VC 2.0 and VC 1.1 form, with a status list and
with the 1EdTech Revocation List), uploaded through the web app in a real browser: the page must
show the outcome, why, and what a displayer must show (name, description, issuer, issuance
date)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asgi_server import ServerThread
from test_browser import CHROMEDRIVER, CHROMIUM, submit_file

from vcbadge import FixedClock, Verifier
from vcbadge.conformance.vectors import VectorSet

pytestmark = [
    pytest.mark.slow,  # a browser
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason=(
            "Chromium and chromedriver are not both installed "
            "(apt-get install chromium chromium-driver; .ci/run installs them)"
        ),
    ),
]

VECTORS = Path(__file__).resolve().parents[2] / "test_vectors"
CASES = [case for case in VectorSet.load(VECTORS) if case.id.startswith("displayer/")]


def test_every_certification_case_is_here() -> None:
    names = sorted(case.id.removeprefix("displayer/") for case in CASES)
    for form in ("vc2", "vc11"):
        assert f"{form}-valid" in names
        assert f"{form}-expired-not-revoked" in names
        assert f"{form}-revoked-not-expired" in names
        assert f"{form}-revoked-not-expired-revocation-list" in names


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_displayer_shows_each_certification_case(
    case: Any,
    serve: Callable[..., ServerThread],
    browser: Any,
    tmp_path: Path,
) -> None:
    # The case's documents (issuer keys, status lists, revocation lists) and its moment: what
    # a displayer's verifier would fetch, served without a network.
    server = serve(
        verifier_factory=lambda: Verifier.offline(
            documents=case.documents, clock=FixedClock(case.verification_time)
        ),
        offline=True,
    )
    credential = case.input
    upload = tmp_path / "badge.json"
    upload.write_text(json.dumps(credential), encoding="utf-8")
    shown = submit_file(browser, server, upload)

    expected = case.expected["outcome"]
    assert ("✓ VALID" if expected == "VALID" else f"✗ {expected}") in shown
    for code in case.expected.get("codes", []):
        assert code.replace("_", " ") in shown.lower() or code in shown
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] in shown
    assert achievement["description"] in shown
    issuer = credential["issuer"]
    if isinstance(issuer, dict) and issuer.get("name"):
        assert issuer["name"] in shown
    issued = credential.get("validFrom") or credential.get("issuanceDate")
    assert issued is not None
    assert issued[:4] in shown  # the year of issuance, in the page's human date
