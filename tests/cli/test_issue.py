"""vcbadge issue."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from vcbadge import Verifier
from vcbadge._b64url import b64url_decode
from vcbadge.keys import controller_document
from vcbadge.store import SQLiteStatusStore
from vcbadge.verify.recipient import recipient_check


def test_issue_writes_pretty_signed_json_that_verifies(cli, signed_file, key):
    text = signed_file.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert '\n  "@context": [\n' in text
    document = json.loads(text)
    assert document["issuer"] == {"id": key.did, "type": ["Profile"]}
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["proof"]["verificationMethod"] == key.verification_method
    assert Verifier.offline().verify(signed_file.read_bytes()).outcome.value == "VALID"


def test_issue_to_stdout_with_issuer_name(cli, unsigned_file, key_file, key):
    result = cli("issue", unsigned_file, "--key", key_file, "--issuer-name", "Example U")
    assert result.code == 0, result.err
    document = result.json()
    assert document["issuer"] == {"id": key.did, "type": ["Profile"], "name": "Example U"}
    assert result.out.endswith("}\n")


def test_issue_keeps_an_issuer_that_is_the_key_controller(
    cli, tmp_path, key, key_file, unsigned_credential, write_json
):
    issuer = {"id": key.did, "type": ["Profile"], "name": "Given in the input"}
    path = write_json(tmp_path / "in.json", {**unsigned_credential(), "issuer": issuer})
    result = cli("issue", path, "--key", key_file)
    assert result.code == 0, result.err
    assert result.json()["issuer"] == issuer


def test_issue_refuses_an_issuer_that_is_not_the_key_controller(
    cli, tmp_path, key_file, unsigned_credential, write_json
):
    path = write_json(
        tmp_path / "in.json", {**unsigned_credential(), "issuer": "https://other.example"}
    )
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "issuer_not_controller" in result.err
    assert result.out == ""


def test_issue_issuer_name_conflicts_with_an_issuer_in_the_input(
    cli, tmp_path, key, key_file, unsigned_credential, write_json
):
    path = write_json(tmp_path / "in.json", {**unsigned_credential(), "issuer": key.did})
    result = cli("issue", path, "--key", key_file, "--issuer-name", "X")
    assert result.code == 64
    assert "--issuer-name" in result.err


def test_issue_not_json_is_a_data_error(cli, tmp_path, key_file):
    path = tmp_path / "in.json"
    path.write_text("{not json", encoding="utf-8")
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert result.err.startswith(f"vcbadge: error: {path}: not valid JSON")
    assert "[invalid_json]" in result.err
    assert result.err.count("\n") == 1


def test_issue_duplicate_key_names_key_and_path(cli, tmp_path, key_file):
    path = tmp_path / "in.json"
    path.write_text('{"credentialSubject": {"name": "a", "name": "b"}}', encoding="utf-8")
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "duplicate object key 'name' at /credentialSubject [duplicate_key]" in result.err


@pytest.mark.parametrize("content", ["[]", '"credential"', "42", "null"])
def test_issue_wrong_top_level_type(cli, tmp_path, key_file, content):
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "must contain a credential" in result.err


def test_issue_missing_input_and_missing_key(cli, tmp_path, unsigned_file, key_file):
    missing_input = cli("issue", tmp_path / "nope.json", "--key", key_file)
    assert missing_input.code == 66
    assert "no such file" in missing_input.err
    missing_key = cli("issue", unsigned_file, "--key", tmp_path / "nokey.json")
    assert missing_key.code == 66
    assert "no such key file" in missing_key.err


def test_issue_unreadable_key_files(cli, tmp_path, unsigned_file, key_file):
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not a key", encoding="utf-8")
    garbage.chmod(0o600)
    result = cli("issue", unsigned_file, "--key", garbage)
    assert result.code == 65
    assert str(garbage) in result.err
    key_file.chmod(0o644)
    exposed = cli("issue", unsigned_file, "--key", key_file)
    assert exposed.code == 65
    assert "key_file_permissions" in exposed.err
    assert cli("issue", unsigned_file, "--key", tmp_path).code == 66


def test_issue_undefined_term_is_refused_before_signing(
    cli, tmp_path, key_file, unsigned_credential, write_json
):
    path = write_json(tmp_path / "in.json", {**unsigned_credential(), "notATerm": 1})
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "cannot sign" in result.err
    assert "undefined_term" in result.err


def test_issue_from_stdin(cli, monkeypatch, unsigned_file, key_file):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(unsigned_file.read_bytes())))
    result = cli("issue", "-", "--key", key_file)
    assert result.code == 0, result.err
    assert "proof" in result.json()


def test_issue_unknown_suite_is_a_usage_error(cli, unsigned_file, key_file):
    result = cli("issue", unsigned_file, "--key", key_file, "--suite", "bbs-2023")
    assert result.code == 64
    assert "invalid choice" in result.err


def test_issue_requires_key(cli, unsigned_file):
    assert cli("issue", unsigned_file).code == 64


# -- the proof format follows the key ---------------------------------------------------------


@pytest.mark.parametrize(
    ("key_type", "cryptosuite"),
    [("ed25519", "eddsa-rdfc-2022"), ("p256", "ecdsa-rdfc-2019"), ("p384", "ecdsa-rdfc-2019")],
)
def test_issue_infers_the_suite_from_the_key(cli, tmp_path, unsigned_file, key_type, cryptosuite):
    key_path = tmp_path / "key.json"
    assert cli("keygen", "--type", key_type, "-o", key_path).code == 0
    result = cli("issue", unsigned_file, "--key", key_path)
    assert result.code == 0, result.err
    signed = result.json()
    assert signed["proof"]["cryptosuite"] == cryptosuite
    assert Verifier.offline().verify(signed).outcome.value == "VALID"


def test_issue_with_an_rsa_key_signs_a_vc_jwt(cli, tmp_path, unsigned_file):
    key_path = tmp_path / "rsa.json"
    assert cli("keygen", "--type", "rsa", "-o", key_path).code == 0
    result = cli("issue", unsigned_file, "--key", key_path)
    assert result.code == 0, result.err
    token = result.out.strip()
    assert json.loads(b64url_decode(token.split(".")[0]))["alg"] == "RS256"
    assert Verifier.offline().verify(token).outcome.value == "VALID"
    refused = cli("issue", unsigned_file, "--key", key_path, "--format", "di")
    assert refused.code == 64
    assert "--format jwt" in refused.err


@pytest.mark.parametrize(
    ("key_type", "suite", "named"),
    [
        ("p256", "eddsa-rdfc-2022", "--suite ecdsa-rdfc-2019"),
        ("p384", "Ed25519Signature2020", "--suite ecdsa-rdfc-2019"),
        ("ed25519", "ecdsa-jcs-2019", "--suite eddsa-rdfc-2022"),
    ],
)
def test_a_wrong_suite_names_the_right_one(cli, tmp_path, unsigned_file, key_type, suite, named):
    key_path = tmp_path / "key.json"
    assert cli("keygen", "--type", key_type, "-o", key_path).code == 0
    result = cli("issue", unsigned_file, "--key", key_path, "--suite", suite, "--json")
    assert result.code == 64
    assert named in result.err
    assert result.json()["code"] == "usage_error"


def test_suite_is_not_for_jwt(cli, unsigned_file, key_file):
    result = cli(
        "issue", unsigned_file, "--key", key_file, "--format", "jwt", "--suite", "eddsa-jcs-2022"
    )
    assert result.code == 64
    assert "--suite" in result.err


# -- a file that is not a key -----------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_a_credential_given_as_key_is_called_what_it_is(cli, tmp_path, unsigned_file, mode):
    # Before, mode 600 ended in "internal error: TypeError", mode 644 asked to chmod it.
    wrong = tmp_path / "notakey.json"
    wrong.write_bytes(unsigned_file.read_bytes())
    wrong.chmod(mode)
    result = cli("issue", unsigned_file, "--key", wrong, "--json")
    assert result.code == 65
    assert result.err.count("\n") == 1
    assert "not a vcbadge key file" in result.err
    assert "credential" in result.err
    assert "chmod" not in result.err
    report = result.json()
    assert (report["code"], report["file"]) == ("not_a_key_file", str(wrong))


def test_a_did_document_given_as_key(cli, tmp_path, unsigned_file, key, write_json):
    document = write_json(tmp_path / "did.json", controller_document(key))
    result = cli("issue", unsigned_file, "--key", document)
    assert result.code == 65
    assert "public keys only" in result.err
    assert "[not_a_key_file]" in result.err


# -- an output that would overwrite a key -----------------------------------------------------


def test_output_onto_a_key_file_is_refused_unless_forced(cli, unsigned_file, key_file):
    before = key_file.read_bytes()
    result = cli("issue", unsigned_file, "--key", key_file, "-o", key_file, "--json")
    assert result.code == 73
    assert result.json()["code"] == "would_overwrite_key"
    assert key_file.read_bytes() == before
    forced = cli("issue", unsigned_file, "--key", key_file, "-o", key_file, "--force")
    assert forced.code == 0
    assert "proof" in json.loads(key_file.read_text())


def test_output_onto_an_ordinary_file_is_replaced(cli, tmp_path, unsigned_file, key_file):
    out = tmp_path / "signed.json"
    out.write_text("old")
    assert cli("issue", unsigned_file, "--key", key_file, "-o", out).code == 0
    assert "proof" in json.loads(out.read_text())


# -- what issuing refuses ---------------------------------------------------------------------


def test_issue_refuses_a_missing_criteria(cli, tmp_path, unsigned_credential, key_file, write_json):
    document = unsigned_credential()
    del document["credentialSubject"]["achievement"]["criteria"]
    result = cli("issue", write_json(tmp_path / "in.json", document), "--key", key_file)
    assert result.code == 65
    assert "/credentialSubject/achievement/criteria" in result.err
    assert result.out == ""


def test_issue_refuses_a_schema_failure_unless_skipped(
    cli, tmp_path, unsigned_credential, key_file, write_json
):
    document = unsigned_credential()
    document["credentialSubject"]["achievement"]["name"] = 5
    path = write_json(tmp_path / "in.json", document)
    result = cli("issue", path, "--key", key_file, "--json")
    assert result.code == 65
    assert "[schema_invalid]" in result.err
    assert "--skip-schema" in result.err
    for proof_format in ("di", "jwt"):
        skipped = cli("issue", path, "--key", key_file, "--format", proof_format, "--skip-schema")
        assert skipped.code == 0, (proof_format, skipped.err)


def test_issue_refuses_an_expired_credential_unless_allowed(
    cli, tmp_path, unsigned_credential, key_file, write_json
):
    document = unsigned_credential(
        valid_from=datetime(2020, 1, 1, tzinfo=timezone.utc),
        valid_until=datetime(2021, 1, 1, tzinfo=timezone.utc),
    )
    path = write_json(tmp_path / "in.json", document)
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "[already_expired]" in result.err
    assert "--allow-expired" in result.err
    for proof_format in ("di", "jose"):
        allowed = cli("issue", path, "--key", key_file, "--format", proof_format, "--allow-expired")
        assert allowed.code == 0, (proof_format, allowed.err)


def test_a_scheduled_badge_is_signed_with_a_note(
    cli, tmp_path, unsigned_credential, key_file, write_json
):
    start = datetime.now(timezone.utc) + timedelta(days=30)
    path = write_json(tmp_path / "in.json", unsigned_credential(valid_from=start))
    result = cli("issue", path, "--key", key_file)
    assert result.code == 0, result.err
    assert "not_yet_valid" in result.err


# -- status entries from a store --------------------------------------------------------------


@pytest.fixture
def status_db(tmp_path):
    path = tmp_path / "status.db"
    SQLiteStatusStore.create(
        path, base_url="https://badges.example.edu/status", suspension=True
    ).close()
    return path


@pytest.mark.parametrize(
    ("purpose", "expected"),
    [
        (None, ["revocation", "suspension"]),
        ("revocation", ["revocation"]),
        ("suspension", ["suspension"]),
    ],
)
def test_issue_with_a_status_store(cli, unsigned_file, key_file, status_db, purpose, expected):
    options = ["--status-purpose", purpose] if purpose else []
    result = cli("issue", unsigned_file, "--key", key_file, "--status-store", status_db, *options)
    assert result.code == 0, result.err
    signed = result.json()
    entries = signed["credentialStatus"]
    entries = entries if isinstance(entries, list) else [entries]
    assert [entry["statusPurpose"] for entry in entries] == expected
    # The store knows the credential: revoking it later works (it used to be unknown_credential).
    revoked = cli("status", "revoke", signed["id"], "--store", status_db, "--by", "registrar")
    assert revoked.code == 0, revoked.err


def test_status_purpose_the_store_does_not_keep(cli, tmp_path, unsigned_file, key_file):
    path = tmp_path / "revocation-only.db"
    SQLiteStatusStore.create(path, base_url="https://badges.example.edu/status").close()
    result = cli(
        "issue",
        unsigned_file,
        "--key",
        key_file,
        "--status-store",
        path,
        "--status-purpose",
        "suspension",
    )
    assert result.code == 64
    assert "status init --suspension" in result.err


def test_status_store_must_exist(cli, tmp_path, unsigned_file, key_file):
    result = cli("issue", unsigned_file, "--key", key_file, "--status-store", tmp_path / "none.db")
    assert result.code == 66
    assert "vcbadge status init" in result.err
    assert not (tmp_path / "none.db").exists()
    assert (
        cli("issue", unsigned_file, "--key", key_file, "--status-purpose", "revocation").code == 64
    )


def test_jwt_with_a_status_store(cli, unsigned_file, key_file, status_db):
    result = cli(
        "issue", unsigned_file, "--key", key_file, "--format", "jwt", "--status-store", status_db
    )
    assert result.code == 0, result.err
    payload = json.loads(b64url_decode(result.out.strip().split(".")[1]))
    assert len(payload["credentialStatus"]) == 2


# -- batch ------------------------------------------------------------------------------------


def test_batch_options_need_batch_and_batch_needs_its_options(
    cli, tmp_path, unsigned_file, key_file
):
    assert cli("issue", unsigned_file, "--key", key_file, "--out-dir", tmp_path).code == 64
    assert cli("issue", "--key", key_file).code == 64
    roster = tmp_path / "roster.csv"
    roster.write_text("id,email\n1,a@example.edu\n")
    assert cli("issue", "--key", key_file, "--batch", roster).code == 64
    assert cli("issue", unsigned_file, "--key", key_file, "--batch", roster).code == 64


def test_batch_uses_the_issuer_built_like_a_single_credential(
    cli, tmp_path, key_file, status_db, write_json
):
    template = write_json(
        tmp_path / "achievement.json",
        {
            "id": "https://badges.example.edu/achievements/py101",
            "type": ["Achievement"],
            "name": "Python 101",
            "description": "Wrote and tested a small Python program.",
            "criteria": {"narrative": "Pass the final project."},
        },
    )
    roster = tmp_path / "roster.csv"
    roster.write_text("id,email\n1,a@example.edu\n2,b@example.edu\n")
    out = tmp_path / "out"
    argv = ["issue", "--key", key_file, "--batch", roster, "--template", template]
    result = cli(
        *argv, "--out-dir", out, "--status-store", status_db, "--status-purpose", "revocation"
    )
    assert result.code == 0, result.err
    issued = sorted(out.glob("*.json"))
    assert len(issued) == 2
    signed = json.loads(issued[0].read_text())
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["credentialStatus"]["statusPurpose"] == "revocation"
    # Each row's recipient, hashed: exactly one credential is a@example.edu's.
    codes = sorted(
        recipient_check(json.loads(path.read_text()), "a@example.edu").code for path in issued
    )
    assert codes == ["ok", "recipient_mismatch"]
    again = cli(*argv, "--out-dir", out, "--status-store", status_db)
    assert again.code == 0, again.err
    assert len(sorted(out.glob("*.json"))) == 2


def test_a_key_file_given_as_the_credential_is_refused_unechoed(cli, key_file, key):
    result = cli("issue", key_file, "--key", key_file, "--json")
    assert result.code == 65
    assert result.json()["code"] == "private_key_in_document"
    assert key.secret_key_multibase not in result.out + result.err


def test_no_command_writes_its_output_over_a_key_file(cli, tmp_path, signed_file, key_file):
    """The class: every output written through the CLI's one writer refuses a key file."""
    from badge_images import make_png

    image = tmp_path / "badge.png"
    image.write_bytes(make_png())
    baked = tmp_path / "baked.png"
    assert cli("bake", image, signed_file, "-o", baked).code == 0
    before = key_file.read_bytes()
    for argv in (
        ("unbake", baked, "-o", key_file),
        ("show", signed_file, "--offline", "-o", key_file),
        ("did-document", key_file, "-o", key_file),
    ):
        result = cli(*argv)
        assert result.code == 73, argv
        assert "[would_overwrite_key]" in result.err, argv
        assert key_file.read_bytes() == before, argv
