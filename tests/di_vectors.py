"""Helpers shared by the W3C Data Integrity vector tests (reading the reference corpus)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vcbadge.jsonld.loader import BundledLoader, default_loader

CITIZENSHIP = "https://w3id.org/citizenship/v4rc1"
PROOF_CONFIG_DEFAULTS = ("@context", "type", "cryptosuite", "created", "verificationMethod")


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(read_text(path))


def loader_with_citizenship(reference: Path) -> BundledLoader:
    # The citizenship context is not bundled (no badge uses it); the employment vectors need
    # it, so the tests add the published document explicitly, as any caller may.
    index = read_json(reference / "contexts" / "index.json")["contexts"]
    document = read_json(reference / "contexts" / index[CITIZENSHIP]["file"])
    return default_loader().with_documents({CITIZENSHIP: document})


def extra_options(proof_config: dict[str, Any]) -> dict[str, Any]:
    """The members of a vector's proof configuration that ``create_proof`` does not set itself."""
    return {
        key: value
        for key, value in proof_config.items()
        if key not in (*PROOF_CONFIG_DEFAULTS, "proofPurpose")
    }
