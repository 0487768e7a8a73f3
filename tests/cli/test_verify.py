"""vcbadge verify: outcomes, exit codes, --json, --at, --trust, --trust-registry, --doc."""

from __future__ import annotations

import io
import json

import pytest

from vcbadge.keys import Ed25519Key, controller_document, save_key

CHECK_MEMBERS = {"name", "outcome", "code", "message", "path"}
ISSUER_URL = "https://example.edu/issuers/1"


def test_valid_credential_exits_0_with_banner_and_one_line_per_check(cli, signed_file):
    result = cli("verify", signed_file)
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert lines[0] == "VALID"
    checks = [line for line in lines[1:] if not line.startswith("issuer: ")]
    assert all(line.startswith("✓ ") for line in checks)
    assert lines[-1].startswith("issuer: self-asserted (did:key): ")
    assert any(line.startswith("✓ proof ok /proof: ") for line in lines)
    assert result.err == ""


def test_json_output_shape(cli, signed_file):
    result = cli("verify", "--json", "--offline", signed_file)
    assert result.code == 0
    report = result.json()
    assert set(report) == {"outcome", "checks", "issuer_trust"}
    assert report["issuer_trust"]["level"] == "self_asserted"
    assert report["outcome"] == "VALID"
    assert [check["name"] for check in report["checks"]][:2] == ["parse", "envelope"]
    for check in report["checks"]:
        assert set(check) == CHECK_MEMBERS
        assert check["outcome"] == "VALID"


def test_tampered_credential_exits_1_with_invalid_signature(cli, tmp_path, signed_file):
    document = json.loads(signed_file.read_text())
    document["credentialSubject"]["achievement"]["name"] = "Python 901"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document), encoding="utf-8")
    result = cli("verify", "--json", tampered)
    assert result.code == 1
    report = result.json()
    assert report["outcome"] == "INVALID"
    failed = [check for check in report["checks"] if check["outcome"] != "VALID"]
    assert [(check["name"], check["code"]) for check in failed] == [("proof", "invalid_signature")]
    human = cli("verify", tampered)
    assert human.code == 1
    assert human.out.splitlines()[0] == "INVALID"
    assert "✗ proof invalid_signature /proof: " in human.out


def test_not_json_is_an_invalid_result_not_an_error(cli, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{oops", encoding="utf-8")
    result = cli("verify", "--json", path)
    assert result.code == 1
    report = result.json()
    assert report["outcome"] == "INVALID"
    assert report["checks"][0]["name"] == "parse"
    assert report["checks"][0]["code"] == "invalid_json"
    assert result.err == ""


def test_duplicate_key_is_an_invalid_parse_check(cli, tmp_path, signed_file):
    text = signed_file.read_text()
    duplicated = text.replace('"description": ', '"description": "x", "description": ', 1)
    path = tmp_path / "dup.json"
    path.write_text(duplicated, encoding="utf-8")
    result = cli("verify", path)
    assert result.code == 1
    assert result.out.splitlines() == [
        "INVALID",
        "✗ parse duplicate_key /credentialSubject/achievement: duplicate object key 'description'",
    ]


@pytest.mark.parametrize("content", ["[]", "1", '"x"'])
def test_wrong_top_level_type_is_invalid(cli, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    result = cli("verify", "--json", path)
    assert result.code == 1
    assert result.json()["checks"][0]["code"] == "not_an_object"


def test_missing_file_exits_66(cli, tmp_path):
    result = cli("verify", tmp_path / "nope.json")
    assert result.code == 66
    assert result.err == f"vcbadge: error: {tmp_path / 'nope.json'}: no such file\n"
    assert result.out == ""


def test_verify_from_stdin(cli, monkeypatch, signed_file):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(signed_file.read_bytes())))
    assert cli("verify", "-").code == 0


def test_at_before_valid_from_is_not_yet_valid(cli, signed_file):
    result = cli("verify", "--json", "--at", "2001-01-01T00:00:00Z", signed_file)
    assert result.code == 1
    failed = [check for check in result.json()["checks"] if check["outcome"] != "VALID"]
    codes = {check["code"] for check in failed}
    assert "not_yet_valid" in codes


@pytest.mark.parametrize("moment", ["2025-01-01", "yesterday", "2025-01-01T00:00:00"])
def test_at_needs_a_date_time_with_zone(cli, signed_file, moment):
    result = cli("verify", "--at", moment, signed_file)
    assert result.code == 64
    assert "--at" in result.err


def test_trust(cli, signed_file, key):
    trusted = cli("verify", "--trust", "did:example:someone", "--trust", key.did, signed_file)
    assert trusted.code == 0
    assert "✓ issuer_trust ok /issuer" in trusted.out
    untrusted = cli("verify", "--json", "--trust", "did:example:someone", signed_file)
    assert untrusted.code == 1
    codes = [check["code"] for check in untrusted.json()["checks"]]
    assert "issuer_not_trusted" in codes


@pytest.fixture
def https_issuer(cli, tmp_path, unsigned_file, write_json):
    """A credential signed by a key whose controller is an HTTPS URL, plus its controller doc."""
    key = Ed25519Key.from_seed(b"\x07" * 32, controller=ISSUER_URL)
    key_path = tmp_path / "https-key.json"
    save_key(key, key_path)
    doc_path = write_json(tmp_path / "controller.json", controller_document(key))
    signed = tmp_path / "https-signed.json"
    issued = cli("issue", unsigned_file, "--key", key_path, "-o", signed)
    assert issued.code == 0, issued.err
    return signed, doc_path


def test_doc_serves_a_controller_document_for_an_https_issuer(cli, https_issuer):
    signed, doc_path = https_issuer
    result = cli("verify", "--doc", f"{ISSUER_URL}={doc_path}", signed)
    assert result.code == 0, result.out
    assert result.out.splitlines()[0] == "VALID"


def test_https_issuer_without_doc_is_indeterminate(cli, https_issuer):
    signed, _ = https_issuer
    result = cli("verify", "--json", "--offline", signed)
    assert result.code == 2
    report = result.json()
    assert report["outcome"] == "INDETERMINATE"
    proof = next(check for check in report["checks"] if check["name"] == "proof")
    assert proof["outcome"] == "INDETERMINATE"
    human = cli("verify", "--offline", signed)
    assert human.code == 2
    assert human.out.splitlines()[0] == "INDETERMINATE"
    assert "? proof " in human.out


def test_doc_for_another_url_does_not_help(cli, https_issuer):
    signed, doc_path = https_issuer
    result = cli("verify", "--offline", "--doc", f"https://example.edu/other={doc_path}", signed)
    assert result.code == 2


@pytest.mark.parametrize(
    "spec",
    ["no-equals-sign", "=file.json", "https://example.edu/x=", "relative=file.json"],
)
def test_doc_spec_must_be_url_or_did_equals_file(cli, signed_file, spec):
    result = cli("verify", "--doc", spec, signed_file)
    assert result.code == 64


def test_doc_file_problems(cli, tmp_path, signed_file):
    missing = cli("verify", "--doc", f"{ISSUER_URL}={tmp_path / 'none.json'}", signed_file)
    assert missing.code == 66
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": 1, "id": 2}', encoding="utf-8")
    duplicate = cli("verify", "--doc", f"{ISSUER_URL}={bad}", signed_file)
    assert duplicate.code == 65
    assert "duplicate_key" in duplicate.err
    fragment = cli("verify", "--doc", f"{ISSUER_URL}#key-1={bad}", signed_file)
    assert fragment.code == 64


def test_credential_with_status_is_indeterminate(cli, tmp_path, key_file, unsigned_credential):
    document = unsigned_credential()
    document["credentialStatus"] = {
        "id": "https://example.edu/status/1#5",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": "https://example.edu/status/1",
    }
    unsigned = tmp_path / "with-status.json"
    unsigned.write_text(json.dumps(document), encoding="utf-8")
    signed = tmp_path / "signed-status.json"
    issued = cli("issue", unsigned, "--key", key_file, "-o", signed)
    if issued.code != 0:
        pytest.skip(f"the bundled contexts cannot sign this status entry: {issued.err}")
    result = cli("verify", "--offline", signed)
    assert result.code == 2


def test_human_output_on_an_ascii_stream(signed_file):
    from vcbadge import Check, Outcome, VerificationResult, Verifier
    from vcbadge.cli._report import render_human

    result = Verifier.offline().verify(signed_file.read_bytes())
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    text = render_human(result, stream)
    assert text.splitlines()[0] == "VALID"
    assert "+ parse ok: well-formed JSON object" in text.splitlines()
    odd = VerificationResult.of(
        [
            Check(
                name="issuer_trust",
                outcome=Outcome.INVALID,
                code="issuer_not_trusted",
                message="Université ✗",
                path="/issuer",
            )
        ]
    )
    escaped = render_human(odd, stream)
    escaped.encode("ascii")
    assert "x issuer_trust issuer_not_trusted /issuer: Universit\\xe9 \\u2717" in escaped


def test_non_ascii_issuer_name_round_trips_through_stdout(cli, unsigned_file, key_file):
    result = cli("issue", unsigned_file, "--key", key_file, "--issuer-name", "Université de Genève")
    assert result.code == 0, result.err
    assert result.json()["issuer"]["name"] == "Université de Genève"


# The issuer trust answer (--trust-registry)

HARVARD = "Harvard University"


@pytest.fixture
def harvard_file(cli, tmp_path, unsigned_file, key_file):
    """A badge signed a minute ago with a fresh did:key whose profile says Harvard."""
    out = tmp_path / "harvard.json"
    result = cli("issue", unsigned_file, "--key", key_file, "--issuer-name", HARVARD, "-o", out)
    assert result.code == 0, result.err
    return out


def test_a_did_key_issuer_name_is_self_asserted(cli, harvard_file, key):
    human = cli("verify", "--offline", harvard_file)
    assert human.code == 0
    assert human.out.splitlines()[0] == "VALID"
    assert (
        f'issuer: self-asserted (did:key): anyone can claim the name "{HARVARD}"'
        in human.out.splitlines()
    )
    report = cli("verify", "--offline", "--json", harvard_file).json()
    trust = report["issuer_trust"]
    assert report["outcome"] == "VALID"
    assert (trust["level"], trust["issuer_id"], trust["name_source"]) == (
        "self_asserted",
        key.did,
        "credential",
    )
    assert trust["claimed_name"] == HARVARD


def test_an_allow_list_file_makes_the_issuer_known(cli, tmp_path, harvard_file, key, write_json):
    registry = write_json(
        tmp_path / "allow.json",
        {
            "name": "Registrar's allow-list",
            "issuers": {key.did: {"name": "Test Issuer of Example U", "url": "https://ex.edu"}},
        },
    )
    report = cli("verify", "--offline", "--json", "--trust-registry", registry, harvard_file)
    assert report.code == 0
    trust = report.json()["issuer_trust"]
    assert (trust["level"], trust["name"], trust["name_source"], trust["registry"]) == (
        "known",
        "Test Issuer of Example U",
        "registry",
        "Registrar's allow-list",
    )
    # The registry's name wins, and the credential's own claim is shown as a claim.
    assert HARVARD in trust["reason"]
    human = cli("verify", "--offline", "--trust-registry", registry, harvard_file)
    assert 'issuer: known: "Test Issuer of Example U", listed in Registrar\'s allow-list' in (
        human.out
    )


def test_a_dcc_registry_file_makes_the_issuer_known(cli, tmp_path, harvard_file, key, write_json):
    dcc = {
        "meta": {"created": "2022-10-27T17:57:31+00:00", "updated": "2025-03-12T16:20:00+00:00"},
        "registry": {key.did: {"name": "Example U", "location": "Cambridge, MA, USA"}},
    }
    registry = write_json(tmp_path / "registry.json", dcc)
    report = cli(
        "verify", "--offline", "--json", "--trust-registry", f"list={registry}", harvard_file
    )
    trust = report.json()["issuer_trust"]
    assert (trust["level"], trust["name"], trust["registry"]) == (
        "known",
        "Example U",
        "registry.json",
    )


def test_an_issuer_not_listed_stays_self_asserted(cli, tmp_path, harvard_file, write_json):
    registry = write_json(
        tmp_path / "allow.json", {"issuers": {"did:web:harvard.edu": {"name": HARVARD}}}
    )
    report = cli("verify", "--offline", "--json", "--trust-registry", registry, harvard_file)
    assert report.code == 0
    assert report.json()["issuer_trust"]["level"] == "self_asserted"


def test_a_malformed_registry_file_exits_65_with_its_code(cli, tmp_path, signed_file, write_json):
    registry = write_json(tmp_path / "bad.json", {"issuers": {"did:key:z6Mk": "Harvard"}})
    result = cli("verify", "--json", "--offline", "--trust-registry", registry, signed_file)
    assert result.code == 65
    assert "trust_registry_malformed" in result.err


def test_a_missing_registry_file_exits_66(cli, tmp_path, signed_file):
    result = cli("verify", "--offline", "--trust-registry", tmp_path / "nope.json", signed_file)
    assert result.code == 66
    assert "nope.json" in result.err


@pytest.mark.parametrize(
    "spec", ["https://registry.example/registry.json", "openid-federation=https://fed.example"]
)
def test_a_registry_url_needs_the_network(cli, signed_file, spec):
    result = cli("verify", "--offline", "--trust-registry", spec, signed_file)
    assert result.code == 64
    assert "network" in result.err


def test_a_federation_that_is_not_https_is_a_usage_error(cli, signed_file):
    result = cli("verify", "--trust-registry", "openid-federation=http://fed.example", signed_file)
    assert result.code == 64
    assert "https" in result.err


def test_an_https_issuer_is_domain_bound_with_the_name_its_document_gives(
    cli, tmp_path, https_issuer, write_json
):
    signed, doc_path = https_issuer
    unnamed = cli("verify", "--json", "--offline", "--doc", f"{ISSUER_URL}={doc_path}", signed)
    trust = unnamed.json()["issuer_trust"]
    assert (trust["level"], trust["host"], trust["name_source"]) == (
        "domain_bound",
        "example.edu",
        "none",
    )
    assert "name not confirmed by the domain" in trust["reason"]
    named = write_json(
        tmp_path / "named.json", {**json.loads(doc_path.read_text()), "name": "Example U"}
    )
    human = cli("verify", "--offline", "--doc", f"{ISSUER_URL}={named}", signed)
    assert human.code == 0
    assert 'issuer: domain-bound to example.edu: "Example U", as that domain names it' in human.out
