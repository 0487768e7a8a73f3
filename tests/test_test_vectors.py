"""test_vectors/ is a product: the checked-in files are exactly what the generator builds, the
manifest hashes match, every case gives its declared result through the Python API as a
consumer would, and every verify and status case gives it through the CLI contract exactly as
another issuer's CI runs it (``vcbadge verify --offline --json --at AT --doc ID=FILE ... FILE``,
the command line ``vcbadge vectors run`` gives vcbadge: :data:`VCBADGE_VERIFIER`).

Nothing here imports the generator's builders except to compare the files: a case is read from
its JSON file and run from what the file says (through :class:`VectorCase`, which reads the
input forms of test_vectors/README.md: JSON, text, or a badge image).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vcbadge import Issuer, Profile, Verifier
from vcbadge._time import parse_datetime
from vcbadge.bake import unbake
from vcbadge.cli import main
from vcbadge.conformance.runner import (
    VCBADGE_VERIFIER,
    VERIFIER_PLACEHOLDERS,
    CommandTemplate,
    verifier_files,
)
from vcbadge.conformance.vectors import IMAGE_TYPES, VectorCase
from vcbadge.errors import BakingError, VcbadgeError
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import canonicalize
from vcbadge.keys import EcKey, Ed25519Key, RsaKey
from vcbadge.resolve import did_web_to_url, resolve_did_jwk, resolve_did_key

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "test_vectors"
MANIFEST = json.loads((VECTORS / "manifest.json").read_text())
CASES = MANIFEST["cases"]
EXIT_CODES = {"VALID": 0, "INVALID": 1, "INDETERMINATE": 2}
TYPES = {"sign", "verify", "status", "canonicalize", "resolve", "bake"}
MEMBERS = {
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
}


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_test_vectors", ROOT / "scripts" / "generate_test_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load(entry: dict[str, Any]) -> dict[str, Any]:
    data = (VECTORS / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"], f"{entry['file']}: stale hash"
    case: dict[str, Any] = json.loads(data)
    assert set(case) >= MEMBERS
    assert (case["id"], case["type"]) == (entry["id"], entry["type"])
    assert case["type"] in TYPES
    assert case["version"] == MANIFEST["version"]
    return case


def _vector_case(entry: dict[str, Any]) -> VectorCase:
    case = _load(entry)
    return VectorCase(id=case["id"], type=case["type"], file=entry["file"], data=case)


def _of_type(*types: str) -> list[dict[str, Any]]:
    return [entry for entry in CASES if entry["type"] in types]


def _ids(entry: dict[str, Any]) -> str:
    return str(entry["id"])


# 1. The files are the generator's output, byte for byte.


@pytest.mark.slow
def test_checked_in_vectors_equal_the_generator_output() -> None:
    built = _generator().build_files()
    on_disk = {
        str(path.relative_to(VECTORS)): path.read_bytes() for path in VECTORS.rglob("*.json")
    }
    assert sorted(on_disk) == sorted(built)
    for name, data in built.items():
        assert on_disk[name] == data, f"{name} differs: rerun scripts/generate_test_vectors.py"


def test_manifest_lists_every_case_once() -> None:
    files = sorted(
        str(path.relative_to(VECTORS))
        for path in VECTORS.rglob("*.json")
        if path.name != "manifest.json"
    )
    assert sorted(entry["file"] for entry in CASES) == files
    assert len({entry["id"] for entry in CASES}) == len(CASES)
    for entry in CASES:
        _load(entry)


def test_every_feature_has_positive_and_negative_cases() -> None:
    outcomes: dict[str, set[str]] = {}
    for entry in _of_type("verify", "status"):
        case = _load(entry)
        folder = entry["file"].split("/")[0]
        outcomes.setdefault(folder, set()).add(case["expected"]["outcome"])
    for folder, seen in outcomes.items():
        assert "VALID" in seen, folder
        assert seen - {"VALID"}, folder


def test_image_inputs_and_recipients_are_well_formed() -> None:
    # The two members 2.2.0 added (README): an image input is exactly {"image", "base64"} and
    # is a PNG or SVG badge; a recipient is a string, never on a presentation.
    images = recipients = 0
    for entry in _of_type("verify", "status"):
        case = _vector_case(entry)
        given = case.data["input"]
        if isinstance(given, dict) and "base64" in given:
            images += 1
            assert set(given) == {"image", "base64"}, case.id
            assert case.image_type in IMAGE_TYPES, case.id
            image = case.input
            assert isinstance(image, bytes)
            if case.image_type == "png":
                assert image.startswith(b"\x89PNG\r\n\x1a\n"), case.id
            else:
                assert b"<svg" in image, case.id
        if "recipient" in case.data:
            recipients += 1
            assert isinstance(case.data["recipient"], str), case.id
            assert not case.is_presentation, case.id
    assert images >= 6
    assert recipients >= 5


# 2. Through the Python API, as a consumer would.


def _verify(case: VectorCase) -> tuple[str, list[str]]:
    verifier = Verifier.offline(documents=case.documents)
    at = case.verification_time
    if case.is_presentation:
        result = verifier.verify_presentation(
            case.data["input"],
            challenge=case.data["challenge"],
            domain=case.data.get("domain"),
            at=at,
        )
    else:
        result = verifier.verify(case.input, at=at, recipient=case.recipient)
    return result.outcome.value, [check.code for check in result.failed]


@pytest.mark.parametrize("entry", _of_type("verify", "status"), ids=_ids)
def test_verify_case_through_the_api(entry: dict[str, Any]) -> None:
    case = _vector_case(entry)
    expected = case.expected
    assert _verify(case) == (expected["outcome"], expected["codes"])


def _signing_key(entry: dict[str, Any]) -> Ed25519Key | EcKey | RsaKey:
    if entry["type"] == "RSA":
        return RsaKey.from_jwk(entry["privateKeyJwk"])
    key_class = Ed25519Key if entry["type"] == "Ed25519" else EcKey
    key = key_class.from_multikey(entry["publicKeyMultibase"], entry["secretKeyMultibase"])
    assert key.verification_method == entry["verificationMethod"]
    return key


@pytest.mark.parametrize("entry", _of_type("sign"), ids=_ids)
def test_sign_case_through_the_api(entry: dict[str, Any]) -> None:
    case = _load(entry)
    key = _signing_key(case["keys"][0])
    given = case["input"]
    profile = Profile.from_json(given["issuer"])
    at = parse_datetime(given["created"])
    output: Any
    if "suite" in given:
        issuer = Issuer(profile, key=key, suite=given["suite"])
        output = issuer.issue(given["credential"], at=at)
    elif given["format"] == "vc-jwt":
        output = JwtIssuer(profile, key=key).issue_jwt(given["credential"], alg=given["alg"], at=at)
    else:
        assert given["format"] == "vc-jose-cose"
        jose = JwtIssuer(profile, key=key)
        output = jose.issue_enveloped(given["credential"], alg=given["alg"], at=at)
    assert output == case["expected"]["output"]
    # What was signed verifies (the sign cases' outputs are also verify inputs).
    verified = Verifier.offline().verify(output, at=parse_datetime(case["at"]))
    assert verified.outcome.value == "VALID", verified.to_dict()


def _answer(run: Callable[[], Any], errors: type[VcbadgeError] = VcbadgeError) -> dict[str, Any]:
    try:
        return {"output": run()}
    except errors as error:
        return {"error": {"code": error.code, "path": error.path}}


def _error_matches(observed: dict[str, Any], expected: dict[str, Any]) -> bool:
    # An expected error names its code, and its path when the path is part of the contract.
    return "error" in observed and all(
        observed["error"][member] == value for member, value in expected["error"].items()
    )


@pytest.mark.parametrize("entry", _of_type("canonicalize"), ids=_ids)
def test_canonicalize_case_through_the_api(entry: dict[str, Any]) -> None:
    case = _load(entry)
    observed = _answer(lambda: canonicalize(case["input"], default_loader()))
    if "output" in case["expected"]:
        assert observed == case["expected"]
    else:
        assert _error_matches(observed, case["expected"]), observed


@pytest.mark.parametrize("entry", _of_type("resolve"), ids=_ids)
def test_resolve_case_through_the_api(entry: dict[str, Any]) -> None:
    case = _load(entry)
    did = case["input"]["did"]
    if case["input"]["want"] == "url":
        observed = _answer(lambda: did_web_to_url(did))
    elif did.startswith("did:jwk:"):
        observed = _answer(lambda: resolve_did_jwk(did))
    else:
        observed = _answer(lambda: resolve_did_key(did))
    if "output" in case["expected"]:
        assert observed == case["expected"]
    else:
        assert _error_matches(observed, case["expected"]), observed


@pytest.mark.parametrize("entry", _of_type("bake"), ids=_ids)
def test_bake_case_through_the_api(entry: dict[str, Any]) -> None:
    case = _load(entry)
    image = base64.b64decode(case["input"]["image"], validate=True)
    observed = _answer(lambda: unbake(image), BakingError)
    if "output" in case["expected"]:
        assert observed == case["expected"]
        baked = Verifier.offline().verify(observed["output"], at=parse_datetime(case["at"]))
        assert baked.outcome.value == "VALID"
    else:
        assert _error_matches(observed, case["expected"]), observed


# 3. Through the CLI contract, as another issuer's CI runs it.


def _run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def _write_input(directory: Path, value: Any) -> Path:
    # A JSON input is written as JSON; a compact JWS (VC-JWT, VC-JOSE-COSE) as a text file.
    if isinstance(value, str):
        path = directory / "input.jwt"
        path.write_text(value + "\n", encoding="utf-8")
    else:
        path = directory / "input.json"
        path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


VERIFY_COMMAND = CommandTemplate.parse(VCBADGE_VERIFIER, allowed=VERIFIER_PLACEHOLDERS)


@pytest.mark.parametrize("entry", _of_type("verify", "status"), ids=_ids)
def test_verify_case_through_the_cli(
    entry: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _vector_case(entry)
    # The files and the command line `vcbadge vectors run` gives vcbadge, run in-process:
    # documents as --doc ID=FILE, --challenge/--domain (once per domain), --recipient, and
    # the input as input.json, input.jwt, input.png or input.svg.
    argv = VERIFY_COMMAND.expand_arguments(*verifier_files(case, tmp_path))
    code, out, err = _run_cli(capsys, argv)
    expected = case.expected
    assert code == EXIT_CODES[expected["outcome"]], (out, err)
    report = json.loads(out)
    assert report["outcome"] == expected["outcome"]
    failed = [check["code"] for check in report["checks"] if check["outcome"] != "VALID"]
    assert failed == expected["codes"]


@pytest.mark.parametrize("entry", _of_type("canonicalize"), ids=_ids)
def test_canonicalize_case_through_the_cli(
    entry: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _load(entry)
    source = _write_input(tmp_path, case["input"])
    code, out, err = _run_cli(capsys, ["canonicalize", str(source)])
    if "output" in case["expected"]:
        assert (code, out) == (0, case["expected"]["output"]), err
    else:
        assert code == 65
        assert f"[{case['expected']['error']['code']}]" in err


@pytest.mark.parametrize(
    "entry",
    [entry for entry in _of_type("resolve") if _load(entry)["input"]["want"] == "document"],
    ids=_ids,
)
def test_resolve_case_through_the_cli(
    entry: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    case = _load(entry)
    code, out, err = _run_cli(capsys, ["resolve", "--offline", "--json", case["input"]["did"]])
    if "output" in case["expected"]:
        assert code == 0, err
        assert json.loads(out) == case["expected"]["output"]
    else:
        # A DID whose key is refused is bad input (exit 65), its code in brackets.
        assert code == 65, (out, err)
        assert f"[{case['expected']['error']['code']}]" in err


@pytest.mark.parametrize("entry", _of_type("bake"), ids=_ids)
def test_bake_case_through_the_cli(
    entry: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _load(entry)
    image = tmp_path / "badge.png"
    image.write_bytes(base64.b64decode(case["input"]["image"], validate=True))
    code, out, err = _run_cli(capsys, ["unbake", str(image)])
    if "output" in case["expected"]:
        assert (code, out) == (0, case["expected"]["output"] + "\n"), err
        verified = _run_cli(capsys, ["verify", "--offline", "--at", case["at"], str(image)])
        assert verified[0] == 0, verified
    else:
        assert code == 65
        assert f"[{case['expected']['error']['code']}]" in err
