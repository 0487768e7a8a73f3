"""Every display test runs with sockets disabled: rendering a badge never uses the network.

The rich credentials (a full OB 3.0 badge, a revoked one, a CLR bundling a good and a forged
badge with an endorsement) come from scripts/screenshot_badge.py, so that the pages tested are
the pages of the documentation's screenshots."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from badge_images import no_network

from vcbadge import FixedClock, Verifier
from vcbadge.keys import Ed25519Key
from vcbadge.verify import VerificationResult

__all__ = ["no_network"]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshot_badge.py"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"


@pytest.fixture(autouse=True)
def _offline(no_network: None) -> None:
    """Apply ``no_network`` to every test in this folder."""


@pytest.fixture(scope="session")
def showcase() -> ModuleType:
    """scripts/screenshot_badge.py, imported."""
    spec = importlib.util.spec_from_file_location("screenshot_badge", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("screenshot_badge", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def rich(showcase: ModuleType) -> tuple[dict[str, Any], VerificationResult]:
    """The full OB 3.0 badge of the screenshots, signed, and its (VALID) result."""
    credential = showcase.university().issue(showcase.rich_draft())
    return credential, Verifier.offline(clock=FixedClock(showcase.CHECKED)).verify(credential)


@pytest.fixture(scope="session")
def clr(showcase: ModuleType) -> tuple[dict[str, Any], VerificationResult]:
    """A signed CLR bundling the rich badge and a forged copy ("Python 901"), endorsed by
    another issuer; and its (INVALID) result."""
    issuer = showcase.university()
    good = issuer.issue(showcase.rich_draft())
    forged = issuer.issue(
        showcase.rich_draft(credential_id="urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e03")
    )
    forged["credentialSubject"]["achievement"]["name"] = "Python 901"
    endorser = showcase.university("Example Accreditor", Ed25519Key.from_seed(bytes(range(50, 82))))
    endorsement = endorser.issue(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2", showcase.OB_CONTEXT],
            "id": "urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e09",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": "Endorsement of Python 101",
            "credentialSubject": {
                "id": "https://badges.example.edu/achievements/python-101",
                "type": ["EndorsementSubject"],
                "endorsementComment": "A rigorous course.",
            },
        }
    )
    record = issuer.issue(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                CLR_CONTEXT,
                showcase.OB_CONTEXT,
            ],
            "id": "urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e10",
            "type": ["VerifiableCredential", "ClrCredential"],
            "name": "Ada's learner record",
            "credentialSubject": {
                "id": "did:example:ada",
                "type": ["ClrSubject"],
                "verifiableCredential": [good, forged],
            },
            "endorsement": [endorsement],
        }
    )
    return record, Verifier.offline(clock=FixedClock(showcase.CHECKED)).verify(record)
