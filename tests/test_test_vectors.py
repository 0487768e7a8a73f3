"""test_vectors/ is a product: the checked-in files are exactly what the generator builds, the
manifest hashes match, and every case gives its declared result when run as a consumer would."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from vcbadge import FixedClock, Issuer, Profile, Verifier
from vcbadge._time import parse_datetime
from vcbadge.keys import Ed25519Key

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "test_vectors"
MANIFEST = json.loads((VECTORS / "manifest.json").read_text())


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_test_vectors", ROOT / "scripts" / "generate_test_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checked_in_vectors_equal_the_generator_output() -> None:
    built = _generator().build_files()
    on_disk = {
        str(path.relative_to(VECTORS)): path.read_bytes() for path in VECTORS.rglob("*.json")
    }
    assert sorted(on_disk) == sorted(built)
    for name, data in built.items():
        assert on_disk[name] == data, f"{name} differs: rerun scripts/generate_test_vectors.py"


@pytest.mark.parametrize("entry", MANIFEST["cases"], ids=lambda entry: entry["id"])
def test_case(entry: dict[str, Any]) -> None:
    data = (VECTORS / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    case = json.loads(data)
    assert {
        "id",
        "description",
        "spec",
        "type",
        "keys",
        "documents",
        "input",
        "expected",
        "at",
        "version",
    } <= set(case)
    if case["type"] == "verify":
        verifier = Verifier.offline(
            documents=case["documents"], clock=FixedClock(parse_datetime(case["at"]))
        )
        result = verifier.verify(case["input"])
        assert result.outcome.value == case["expected"]["outcome"]
        assert [check.code for check in result.failed] == case["expected"]["codes"]
    else:
        entry_key = case["keys"][0]
        key = Ed25519Key.from_multikey(
            entry_key["publicKeyMultibase"], entry_key["secretKeyMultibase"]
        )
        issuer = Issuer(Profile.from_json(case["input"]["issuer"]), key=key)
        signed = issuer.issue(
            case["input"]["credential"], at=parse_datetime(case["input"]["created"])
        )
        assert signed == case["expected"]["output"]
