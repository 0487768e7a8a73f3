"""vcbadge new: unsigned achievements and credentials that validate and sign as they are."""

from __future__ import annotations

import json

import pytest

from vcbadge import Verifier
from vcbadge.model import IdentityObject

ACHIEVEMENT_OPTIONS = (
    "--name",
    "Python 101",
    "--description",
    "Wrote and tested a small Python program.",
    "--criteria",
    "Pass the final project.",
)


def test_new_achievement_then_credential_validates_and_signs(cli, tmp_path, key_file, key):
    achievement = tmp_path / "achievement.json"
    made = cli(
        "new", "achievement", *ACHIEVEMENT_OPTIONS,
        "--achievement-id", "https://badges.example.edu/achievements/py101",
        "--image", "https://badges.example.edu/py101.png",
        "--achievement-type", "Course",
        "-o", achievement,
    )  # fmt: skip
    assert made.code == 0, made.err
    assert json.loads(achievement.read_text())["criteria"] == {
        "narrative": "Pass the final project."
    }
    assert cli("validate", achievement).code == 0
    credential = tmp_path / "credential.json"
    made = cli(
        "new", "credential", "--achievement", achievement,
        "--recipient-email", "Alice@Example.edu", "--key", key_file, "-o", credential,
    )  # fmt: skip
    assert made.code == 0, made.err
    document = json.loads(credential.read_text())
    assert document["issuer"]["id"] == key.controller
    assert "alice" not in credential.read_text().lower()  # hashed, never in clear
    identity = IdentityObject.from_json(document["credentialSubject"]["identifier"][0])
    assert identity.matches("alice@example.edu")
    validated = cli("validate", credential)
    assert validated.code == 0, validated.out
    signed = tmp_path / "signed.json"
    assert cli("issue", credential, "--key", key_file, "-o", signed).code == 0
    result = Verifier.offline().verify(signed.read_bytes(), recipient="alice@example.edu")
    assert result.outcome.value == "VALID", result.failed


def test_new_credential_inline_with_a_did_and_dates(cli, tmp_path):
    made = cli(
        "new", "credential", *ACHIEVEMENT_OPTIONS,
        "--recipient-did", "did:example:learner", "--issuer", "did:web:badges.example.edu",
        "--issuer-name", "Example University",
        "--valid-from", "2026-01-01T00:00:00Z", "--valid-until", "2030-01-01T00:00:00Z",
        "--id", "https://badges.example.edu/credentials/1",
    )  # fmt: skip
    assert made.code == 0, made.err
    document = made.json()
    assert document["id"] == "https://badges.example.edu/credentials/1"
    assert document["credentialSubject"]["id"] == "did:example:learner"
    assert (document["validFrom"], document["validUntil"]) == (
        "2026-01-01T00:00:00Z",
        "2030-01-01T00:00:00Z",
    )
    assert document["issuer"]["name"] == "Example University"
    credential = tmp_path / "c.json"
    credential.write_text(made.out)
    assert cli("validate", credential).code == 0


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("new", "achievement", "--name", "X", "--description", "Y"), "--criteria"),
        (
            ("new", "credential", "--recipient-did", "did:example:a", "--issuer", "did:example:i"),
            "--name",
        ),
        (
            (
                "new", "credential", *ACHIEVEMENT_OPTIONS, "--recipient-did", "did:example:a",
                "--issuer", "did:example:i", "--valid-from", "2026-01-02T00:00:00Z",
                "--valid-until", "2026-01-01T00:00:00Z",
            ),
            "--valid-until",
        ),
        (
            (
                "new", "credential", *ACHIEVEMENT_OPTIONS, "--recipient-did", "not a uri",
                "--issuer", "did:example:i",
            ),
            "",
        ),
    ],
)  # fmt: skip
def test_new_refuses_what_would_not_be_valid(cli, argv, says):
    result = cli(*argv)
    assert result.code == 64
    assert says in result.err
    assert result.out == ""


def test_new_credential_needs_one_recipient_and_one_issuer(cli):
    base = ("new", "credential", *ACHIEVEMENT_OPTIONS)
    assert cli(*base, "--issuer", "did:example:i").code == 64
    assert cli(*base, "--recipient-did", "did:example:a").code == 64
    both = cli(
        *base, "--recipient-did", "did:example:a", "--recipient-email", "a@example.edu",
        "--issuer", "did:example:i",
    )  # fmt: skip
    assert both.code == 64


def test_new_never_overwrites_a_key(cli, key_file):
    before = key_file.read_bytes()
    result = cli("new", "achievement", *ACHIEVEMENT_OPTIONS, "-o", key_file, "--json")
    assert result.code == 73
    assert result.json()["code"] == "would_overwrite_key"
    assert key_file.read_bytes() == before
