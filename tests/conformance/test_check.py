"""``vcbadge check``: no error on what is right (every positive vector, the valid reference
examples), the right finding (code, level, JSON path) on each thing that is wrong."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from badge_images import make_png
from reference_corpus import reference_root, requires_reference
from schema_documents import achievement_subject, teamwork_badge
from signing import sign_eddsa

from vcbadge._time import parse_datetime
from vcbadge.bake import bake_png
from vcbadge.cli import main
from vcbadge.conformance.check import LINTS, Finding, check_credential, exit_status
from vcbadge.conformance.vectors import VectorSet
from vcbadge.errors import KeyFormatError
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import Ed25519Key
from vcbadge.model import Profile

VECTORS = VectorSet.load()
POSITIVE = [c for c in VECTORS.of_type("verify", "status") if c.expected["outcome"] == "VALID"]
AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
CREATED = datetime(2024, 6, 1, tzinfo=timezone.utc)
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
KEY = Ed25519Key.from_seed(bytes(range(32)))
SUBJECT = "/credentialSubject"
ACHIEVEMENT = "/credentialSubject/achievement"
ACHIEVEMENT_IMAGE = ACHIEVEMENT + "/image/id"


def badge(**members: Any) -> dict[str, Any]:
    """The teamwork badge, issued by KEY's did:key, with ``members`` replaced."""
    document = teamwork_badge(
        OB_SCHEMA,
        issuer={"id": KEY.did, "type": ["Profile"]},
        credentialSubject=achievement_subject("urn:uuid:2f1c8c5e-4d3a-4b7e-9a60-6c0f7d1e5b21"),
    )
    document["@context"] = [*document["@context"], EXTENSIONS]
    document.update(members)
    return document


def signed(document: dict[str, Any]) -> dict[str, Any]:
    return sign_eddsa(document, KEY, created=CREATED)


def codes(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(finding.level, finding.code, finding.path) for finding in findings}


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level == "error"]


# What is right gives no error.


def test_the_signed_badge_is_clean() -> None:
    assert check_credential(signed(badge()), at=AT) == []


@pytest.mark.parametrize("case", POSITIVE, ids=lambda case: case.id)
def test_no_error_on_a_positive_vector(case: Any) -> None:
    findings = check_credential(
        case.input,
        documents=case.documents,
        at=parse_datetime(case.at),
        challenge=case.data.get("challenge"),
        domain=case.data.get("domain"),
    )
    assert errors(findings) == []


@pytest.mark.parametrize("case", VECTORS.of_type("sign"), ids=lambda case: case.id)
def test_no_error_on_what_a_sign_vector_signs(case: Any) -> None:
    output = case.expected["output"]
    findings = check_credential(output, documents=case.documents, at=case.verification_time)
    assert errors(findings) == []


def test_a_vc_jwt_is_checked_inside() -> None:
    document = badge()
    document["credentialSubject"]["achievement"]["image"] = {
        "id": "data:image/png;base64,iVBO-w0_GgoAAAANSUhEUg==",
        "type": "Image",
    }
    token = JwtIssuer(Profile(id=KEY.did), key=KEY).issue_jwt(document, alg="EdDSA", at=CREATED)
    findings = check_credential(token, at=AT)
    assert codes(findings) == {
        ("error", "image_data_base64url", ACHIEVEMENT_IMAGE),
    }


# The 1EdTech validator files vcbadge verifies VALID (tests/proofs/test_1edtech_validator_files.py)
VALID_VALIDATOR_FILES = [
    "ob30/simple.json",
    "ob30/simple-context-alias.json",
    "ob30/simple-context-version.json",
    "ob30/simple-did-web-method.json",
    "ob30/simple-eddsa-2022.json",
    "ob30/simple_v1.json",
]
IMPL_GUIDE_KEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


def _controller_document(credential: dict[str, Any]) -> dict[str, Any]:
    # Their verificationMethod URLs do not resolve: serve there the key the fragment names when
    # it is a Multikey, else the implementation-guide key (as test_1edtech_validator_files).
    proofs = credential["proof"]
    method = (proofs[0] if isinstance(proofs, list) else proofs)["verificationMethod"]
    base, fragment = method.split("#", 1)
    try:
        key = Ed25519Key.from_multikey(fragment).public_key_multibase
    except KeyFormatError:
        key = IMPL_GUIDE_KEY
    return {
        base: {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": base,
            "verificationMethod": [
                {
                    "id": method,
                    "type": "Multikey",
                    "controller": base,
                    "publicKeyMultibase": key,
                }
            ],
            "assertionMethod": [method],
        }
    }


@requires_reference
@pytest.mark.parametrize("name", VALID_VALIDATOR_FILES)
def test_no_error_on_a_valid_1edtech_validator_file(name: str) -> None:
    root = reference_root()
    assert root is not None
    data = (root / "examples" / "1edtech-validator" / name).read_bytes()
    credential = json.loads(data)
    documents = _controller_document(credential)
    findings = check_credential(
        data, documents=documents, at=parse_datetime("2024-06-01T00:00:00Z")
    )
    assert errors(findings) == []


def _schema_valid_spec_examples() -> list[str]:
    root = reference_root()
    if root is None:
        return []
    index = json.loads((root / "examples" / "index.json").read_text(encoding="utf-8"))
    return [
        entry["file"]
        for entry in index["examples"]
        if entry["group"] == "ob-v3p0-spec"
        and entry["file"].endswith(".json")
        and all(
            result == "valid"
            for result in entry.get("observed_by_corpus_builder", {})
            .get("json_schema", {"none": "none"})
            .values()
        )
        # The equality samples use the W3C examples context: an error vcbadge reports on
        # purpose (verifiers refuse it by default: example_context).
        and "credentials/examples" not in json.dumps(entry.get("contexts", []))
    ]


@requires_reference
def test_no_error_on_the_schema_valid_spec_examples_before_signing() -> None:
    root = reference_root()
    assert root is not None
    names = _schema_valid_spec_examples()
    assert len(names) >= 6
    for name in names:
        data = (root / "examples" / name).read_bytes()
        assert errors(check_credential(data, verify=False)) == [], name


# What is wrong gives its finding. Unsigned: only the lints and rules speak.


def _with(path: list[str], value: Any, **members: Any) -> dict[str, Any]:
    document = badge(**members)
    target = document
    for member in path[:-1]:
        target = target[member]
    target[path[-1]] = value
    return document


NEGATIVE = [
    (
        "id_not_uri",
        "error",
        ACHIEVEMENT + "/id",
        _with(["credentialSubject", "achievement", "id"], "achievement-1"),
    ),
    (
        "model_rule",
        "error",
        ACHIEVEMENT + "/criteria",
        _with(["credentialSubject", "achievement", "criteria"], "no"),
    ),
    (
        "schema_ob",
        "error",
        ACHIEVEMENT + "/criteria",
        _with(["credentialSubject", "achievement", "criteria"], "no"),
    ),
    ("schema_vc", "error", "/validFrom", badge(validFrom="yesterday")),
    (
        "context_not_bundled",
        "error",
        "/@context/3",
        badge(**{"@context": [VC2, OB, EXTENSIONS, "https://example.edu/ctx.json"]}),
    ),
    ("context_ob_missing", "error", "/@context", badge(**{"@context": [VC2, EXTENSIONS]})),
    ("context_ob_order", "error", "/@context/2", badge(**{"@context": [VC2, EXTENSIONS, OB]})),
    (
        "context_ob_outdated",
        "warning",
        "/@context/1",
        badge(**{"@context": [VC2, OB.replace("3.0.3", "3.0.2"), EXTENSIONS]}),
    ),
    ("context_extensions_missing", "error", "/@context", badge(**{"@context": [VC2, OB]})),
    ("vc_version_mixed", "error", "/issuanceDate", badge(issuanceDate="2024-01-01T00:00:00Z")),
    (
        "vc_v1_credential",
        "warning",
        "/@context/0",
        badge(
            **{"@context": ["https://www.w3.org/2018/credentials/v1", OB, EXTENSIONS]},
            issuanceDate="2024-01-01T00:00:00Z",
        ),
    ),
    (
        "identity_hash_form",
        "error",
        SUBJECT + "/identifier/0/identityHash",
        _with(
            ["credentialSubject", "identifier"],
            [
                {
                    "type": "IdentityObject",
                    "hashed": True,
                    "identityHash": "md5$0123",
                    "identityType": "emailAddress",
                    "salt": "s",
                }
            ],
        ),
    ),
    (
        "identity_plaintext",
        "warning",
        SUBJECT + "/identifier/0/identityHash",
        _with(
            ["credentialSubject", "identifier"],
            [
                {
                    "type": "IdentityObject",
                    "hashed": False,
                    "identityHash": "ada@example.edu",
                    "identityType": "emailAddress",
                }
            ],
        ),
    ),
    (
        "image_data_uri",
        "error",
        ACHIEVEMENT + "/image/id",
        _with(
            ["credentialSubject", "achievement", "image"],
            {"id": "data:image/gif;base64,R0lGODlh", "type": "Image"},
        ),
    ),
    (
        "image_data_uri",
        "error",
        ACHIEVEMENT + "/image/id",
        _with(
            ["credentialSubject", "achievement", "image"],
            {"id": "data:image/png;base64,iVBORw0KGgo=x", "type": "Image"},
        ),
    ),
    (
        "image_data_base64url",
        "error",
        ACHIEVEMENT + "/image/id",
        _with(
            ["credentialSubject", "achievement", "image"],
            {"id": "data:image/png;base64,iVBO-w0_GgoAAAANSUhEUg==", "type": "Image"},
        ),
    ),
    (
        "credential_schema_missing",
        "warning",
        "/credentialSchema",
        {k: v for k, v in badge().items() if k != "credentialSchema"},
    ),
    (
        "not_a_credential",
        "error",
        "/type",
        {"id": "https://example.edu/p", "type": "Profile", "name": "x"},
    ),
    (
        "openbadges_2",
        "warning",
        "",
        {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:1"},
    ),
]


@pytest.mark.parametrize(
    ("code", "level", "path", "document"),
    NEGATIVE,
    ids=[f"{code}-{index}" for index, (code, *_) in enumerate(NEGATIVE)],
)
def test_the_finding_of_a_negative_example(
    code: str, level: str, path: str, document: dict[str, Any]
) -> None:
    findings = check_credential(document, verify=False)
    assert (level, code, path) in codes(findings), [f.to_dict() for f in findings]
    found = next(f for f in findings if (f.code, f.path) == (code, path))
    assert found.spec.startswith("https://")
    assert found.fix


def test_every_lint_has_a_negative_example() -> None:
    shown = {code for code, *_ in NEGATIVE} | {"schema_clr", "proof_single_array"}
    assert set(LINTS) == shown


def test_a_single_proof_in_an_array_is_a_warning() -> None:
    credential = signed(badge())
    credential["proof"] = [credential["proof"]]
    findings = check_credential(credential, at=AT)
    assert codes(findings) == {("warning", "proof_single_array", "/proof")}


def test_a_clr_credential_is_checked_against_the_clr_schema() -> None:
    document = badge(type=["VerifiableCredential", "ClrCredential"])
    found = {f.code for f in check_credential(document, verify=False)}
    assert "schema_clr" in found


def test_a_tampered_proof_is_an_error_from_verification() -> None:
    credential = signed(badge())
    credential["name"] = "Another badge"
    findings = check_credential(credential, at=AT)
    (finding,) = errors(findings)
    assert (finding.code, finding.path) == ("invalid_signature", "/proof")
    assert finding.spec == "https://www.w3.org/TR/vc-data-integrity/#verify-proof"


def test_what_cannot_be_decided_offline_is_a_warning() -> None:
    document = badge(issuer={"id": "did:web:badges.example.edu", "type": ["Profile"]})
    key = Ed25519Key.from_seed(bytes(range(32)), controller="did:web:badges.example.edu")
    credential = sign_eddsa(document, key, created=CREATED)
    findings = check_credential(credential, at=AT)
    assert findings
    assert {finding.level for finding in findings} == {"warning"}
    assert exit_status(findings) == 0
    assert exit_status(findings, strict=True) == 1


def test_json_that_is_not_strict_is_an_error_before_signing() -> None:
    (finding,) = check_credential(b'{"id": 1, "id": 2}', verify=False)
    assert (finding.level, finding.code) == ("error", "duplicate_key")


# The command.


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["check", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_the_command_exits_by_the_worst_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(signed(badge())), encoding="utf-8")
    warned = tmp_path / "warned.json"
    single = signed(badge())
    single["proof"] = [single["proof"]]
    warned.write_text(json.dumps(single), encoding="utf-8")
    broken = tmp_path / "broken.json"
    tampered = copy.deepcopy(single)
    tampered["name"] = "changed"
    broken.write_text(json.dumps(tampered), encoding="utf-8")
    at = ["--at", "2025-01-01T00:00:00Z"]
    assert run(capsys, str(clean), *at)[:2] == (0, f"{clean}: ok\n")
    code, out, _ = run(capsys, str(clean), str(warned), *at)
    assert code == 0
    assert f"{warned}: 0 error(s), 1 warning(s)" in out
    assert "  warning proof_single_array /proof: " in out
    assert run(capsys, str(clean), str(warned), "--strict", *at)[0] == 1
    code, out, _ = run(capsys, str(clean), str(warned), str(broken), "--json", *at)
    assert code == 1
    body = json.loads(out)
    assert body["ok"] is False
    assert [(f["file"], f["errors"], f["warnings"]) for f in body["files"]] == [
        (str(clean), 0, 0),
        (str(warned), 0, 1),
        (str(broken), 1, 1),
    ]
    finding = body["files"][2]["findings"][0]
    assert set(finding) == {"level", "code", "path", "message", "spec", "fix"}


def test_the_command_checks_a_baked_png_and_an_unsigned_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = tmp_path / "badge.png"
    image.write_bytes(bake_png(make_png(), signed(badge())))
    assert run(capsys, str(image), "--at", "2025-01-01T00:00:00Z")[0] == 0
    image.write_bytes(make_png())
    code, out, _ = run(capsys, str(image), "--json")
    assert code == 1
    assert json.loads(out)["files"][0]["findings"][0]["code"] == "no_credential"
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps(badge(validFrom="yesterday")), encoding="utf-8")
    code, out, _ = run(capsys, str(unsigned), "--unsigned")
    assert code == 1
    assert "error schema_vc /validFrom" in out


def test_the_command_refuses_a_missing_file_and_contradicting_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, str(tmp_path / "none.json"))[0] == 66
    assert run(capsys, str(tmp_path / "none.json"), "--online", "--offline")[0] == 64
