"""Helpers shared by the JOSE and presentation tests (importable: tests/ is on pythonpath)."""

from __future__ import annotations

import json
from typing import Any

from vcbadge._b64url import b64url_encode
from vcbadge.protocols import Signer
from vcbadge.verify import VerificationResult

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def unsigned(version: str = "2.0") -> dict[str, Any]:
    """An unsigned OB 3.0 credential without issuer (VC 2.0, or 1.1)."""
    base = (
        "https://www.w3.org/ns/credentials/v2"
        if version == "2.0"
        else "https://www.w3.org/2018/credentials/v1"
    )
    return {
        "@context": [base, OB_CONTEXT],
        "id": "urn:uuid:5a1c7c34-0b3c-4bd2-9e4f-3f4f2a5a0001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Python 101",
        "credentialSubject": {
            "id": "did:example:ada",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.edu/achievements/py101",
                "type": ["Achievement"],
                "name": "Python 101",
                "description": "Writes and tests small Python programs.",
                "criteria": {"narrative": "Pass the final project."},
            },
        },
    }


def forge(header: dict[str, Any], payload: dict[str, Any], signer: Signer | None) -> str:
    """A token built by hand, signed (or not) without any of vcbadge's header rules."""
    signing_input = (
        b64url_encode(json.dumps(header).encode())
        + "."
        + b64url_encode(json.dumps(payload).encode())
    )
    signature = signer.sign(signing_input.encode()) if signer is not None else b""
    return f"{signing_input}.{b64url_encode(signature)}"


def failed(result: VerificationResult) -> list[tuple[str, str, str]]:
    """(name, code, path) of every check that is not VALID."""
    return [(c.name, c.code, c.path) for c in result.failed]
