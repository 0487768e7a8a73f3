"""Key files: 0600 from creation, overwrite semantics, strict loading."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from vcbadge.errors import InputError, KeyFormatError, UnsupportedError
from vcbadge.keys import Ed25519Key, load_key, save_key

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    # With umask 0 a file created with the default mode would be world-readable, so these
    # tests show the 0600 comes from save_key itself.
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _write(path: Path, content: str, mode: int = 0o600) -> Path:
    path.write_text(content, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def key() -> Ed25519Key:
    return Ed25519Key.from_seed(bytes(range(32)), controller="did:web:badges.example.edu")


def test_round_trip(tmp_path: Path, key: Ed25519Key) -> None:
    path = tmp_path / "key.json"
    save_key(key, path)
    loaded = load_key(path)
    assert loaded == key
    assert loaded.has_private_key
    assert loaded.secret_key_multibase == key.secret_key_multibase
    assert loaded.verification_method == key.verification_method
    document = json.loads(path.read_text())
    assert document == {
        "type": "Ed25519",
        "controller": "did:web:badges.example.edu",
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key_multibase,
        "secretKeyMultibase": key.secret_key_multibase,
    }


def test_default_did_key_round_trip(tmp_path: Path) -> None:
    key = Ed25519Key.generate()
    save_key(key, str(tmp_path / "k.json"))
    assert load_key(str(tmp_path / "k.json")) == key


@posix_only
@pytest.mark.usefixtures("permissive_umask")
def test_file_is_0600_from_the_start(
    tmp_path: Path, key: Ed25519Key, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    real_fsync = os.fsync

    def spy_fsync(fd: int) -> None:
        modes.append(stat.S_IMODE(os.fstat(fd).st_mode))  # the secret is written by now
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy_fsync)
    path = tmp_path / "key.json"
    save_key(key, path)
    save_key(key, path, overwrite=True)
    assert modes == [0o600, 0o600]
    assert _mode(path) == 0o600


def test_refuses_to_overwrite(tmp_path: Path, key: Ed25519Key) -> None:
    path = tmp_path / "key.json"
    save_key(key, path)
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        save_key(Ed25519Key.generate(), path)
    assert path.read_bytes() == before


@posix_only
def test_refuses_a_symlink_at_the_path(tmp_path: Path, key: Ed25519Key) -> None:
    target = tmp_path / "elsewhere.json"
    (tmp_path / "key.json").symlink_to(target)
    with pytest.raises(FileExistsError):
        save_key(key, tmp_path / "key.json")
    assert not target.exists()


@posix_only
@pytest.mark.usefixtures("permissive_umask")
def test_overwrite_replaces_atomically_and_keeps_0600(tmp_path: Path, key: Ed25519Key) -> None:
    path = _write(tmp_path / "key.json", "old", 0o644)
    replacement = Ed25519Key.generate()
    save_key(replacement, path, overwrite=True)
    assert _mode(path) == 0o600
    assert load_key(path) == replacement
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.json"]  # no temp file left


def test_overwrite_creates_a_missing_file(tmp_path: Path, key: Ed25519Key) -> None:
    path = tmp_path / "new.json"
    save_key(key, path, overwrite=True)
    assert load_key(path) == key


def test_verify_only_key_is_not_saved(tmp_path: Path, key: Ed25519Key) -> None:
    with pytest.raises(KeyFormatError) as info:
        save_key(key.public_key(), tmp_path / "key.json")
    assert info.value.code == "private_key_missing"


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o666])
def test_load_refuses_group_or_world_access(tmp_path: Path, key: Ed25519Key, mode: int) -> None:
    path = tmp_path / "key.json"
    save_key(key, path)
    path.chmod(mode)
    with pytest.raises(KeyFormatError) as info:
        load_key(path)
    assert info.value.code == "key_file_permissions"
    assert "chmod 600" in info.value.message
    assert str(path) in info.value.message


@posix_only
def test_load_accepts_owner_read_only(tmp_path: Path, key: Ed25519Key) -> None:
    path = tmp_path / "key.json"
    save_key(key, path)
    path.chmod(0o400)
    assert load_key(path) == key


def _document(key: Ed25519Key) -> dict[str, object]:
    return {
        "type": "Ed25519",
        "controller": key.controller,
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key_multibase,
        "secretKeyMultibase": key.secret_key_multibase,
    }


@pytest.mark.parametrize(
    ("mutate", "code", "path"),
    [
        (lambda d: d.pop("secretKeyMultibase"), "key_format", "/secretKeyMultibase"),
        (lambda d: d.update(publicKeyMultibase=42), "key_format", "/publicKeyMultibase"),
        (lambda d: d.update(publicKeyMultibase="zzz"), "key_format", "/publicKeyMultibase"),
        (
            lambda d: d.update(secretKeyMultibase=d["publicKeyMultibase"]),
            "key_format",
            "/secretKeyMultibase",
        ),
        (
            lambda d: d.update(secretKeyMultibase=Ed25519Key.generate().secret_key_multibase),
            "key_mismatch",
            "/secretKeyMultibase",
        ),
        (lambda d: d.update(controller=["did:web:x"]), "key_format", "/controller"),
        (lambda d: d.update(type=None), "key_format", "/type"),
        (lambda d: d.update(controller="no scheme"), "key_format", ""),
    ],
)
def test_malformed_key_files(
    tmp_path: Path, key: Ed25519Key, mutate: object, code: str, path: str
) -> None:
    document = _document(key)
    mutate(document)  # type: ignore[operator]
    file = _write(tmp_path / "key.json", json.dumps(document))
    with pytest.raises(KeyFormatError) as info:
        load_key(file)
    assert info.value.code == code
    assert info.value.path == path
    assert str(file) in info.value.message


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("", "invalid_json"),
        ("[]", "not_a_key_file"),
        ('{"type": "Ed25519", "type": "Ed25519"}', "duplicate_key"),
        ("x" * (64 * 1024 + 1), "limit_exceeded"),
    ],
)
def test_not_a_key_file(tmp_path: Path, content: str, code: str) -> None:
    file = _write(tmp_path / "key.json", content)
    with pytest.raises(KeyFormatError) as info:
        load_key(file)
    assert isinstance(info.value, InputError)
    assert info.value.code == code


def test_other_key_types_are_unsupported(tmp_path: Path, key: Ed25519Key) -> None:
    file = _write(tmp_path / "key.json", json.dumps({**_document(key), "type": "secp256k1"}))
    with pytest.raises(UnsupportedError) as info:
        load_key(file)
    assert info.value.code == "unsupported_key_type"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_key(tmp_path / "absent.json")


def test_rsa_key_file_round_trip_and_errors(tmp_path: Path) -> None:
    from vcbadge.keys import RsaKey

    key = RsaKey.generate()
    path = tmp_path / "rsa.json"
    save_key(key, path)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = load_key(path)
    assert isinstance(loaded, RsaKey)
    assert loaded.verification_method == key.verification_method
    assert loaded.verify(key.sign(b"data"), b"data")
    document = json.loads(path.read_text())
    del document["privateKeyJwk"]["d"]
    broken = tmp_path / "public-only.json"
    broken.write_text(json.dumps(document))
    broken.chmod(0o600)
    with pytest.raises(KeyFormatError) as raised:
        load_key(broken)
    assert raised.value.path == "/privateKeyJwk"


# -- a file that is no key file is called what it is, before any permission advice ----------


def _credential_json() -> str:
    return json.dumps(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {"id": "did:example:learner"},
        }
    )


@pytest.mark.parametrize("mode", [0o600, 0o644])
@pytest.mark.parametrize(
    ("content", "seems"),
    [
        (_credential_json(), "credential"),
        ('{"id": "did:web:x.example", "verificationMethod": []}', "public keys only"),
        ('{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}', "JWK"),
        ('{"keys": []}', "JWK"),
        ('"a string"', "neither secretKeyMultibase nor privateKeyJwk"),
        ('{"publicKeyMultibase": "z6Mk"}', "neither secretKeyMultibase nor privateKeyJwk"),
    ],
)
def test_json_that_is_no_key_file(tmp_path: Path, content: str, seems: str, mode: int) -> None:
    file = _write(tmp_path / "notakey.json", content, mode)
    with pytest.raises(KeyFormatError) as info:
        load_key(file)
    assert info.value.code == "not_a_key_file"
    assert seems in info.value.message
    assert "chmod" not in info.value.message
    assert str(file) in info.value.message


@posix_only
def test_a_key_file_open_to_others_still_gets_the_permission_advice(
    tmp_path: Path, key: Ed25519Key
) -> None:
    file = _write(tmp_path / "key.json", json.dumps(_document(key)), 0o644)
    with pytest.raises(KeyFormatError) as info:
        load_key(file)
    assert info.value.code == "key_file_permissions"


def test_is_key_file(tmp_path: Path, key: Ed25519Key) -> None:
    from vcbadge.keys.keyfile import is_key_file

    saved = tmp_path / "key.json"
    save_key(key, saved)
    assert is_key_file(saved)
    assert not is_key_file(_write(tmp_path / "credential.json", _credential_json()))
    assert not is_key_file(_write(tmp_path / "text.json", "not json"))
    assert not is_key_file(tmp_path / "absent.json")
    assert not is_key_file(tmp_path)


def test_private_members_in_document_names_every_secret_never_a_value(key: Ed25519Key) -> None:
    from vcbadge.keys import RsaKey
    from vcbadge.keys.public_keys import private_members_in_document

    rsa_jwk = RsaKey.generate().to_jwk(include_private=True)
    document = {
        "id": "did:web:x.example",
        "verificationMethod": [
            key.to_multikey_document(),
            {"id": "#2", "publicKeyJwk": rsa_jwk},
            {"id": "#3", "privateKeyMultibase": "z..."},
        ],
        "a/b": {"secretKeyMultibase": "z..."},
        # "d" outside a JWK is an ordinary member name.
        "d": "not a key",
    }
    found = private_members_in_document(document)
    assert "/verificationMethod/1/publicKeyJwk/d" in found
    assert "/verificationMethod/1/publicKeyJwk/p" in found
    assert "/verificationMethod/2/privateKeyMultibase" in found
    assert "/a~1b/secretKeyMultibase" in found
    assert "/d" not in found
    assert private_members_in_document(key.to_multikey_document()) == []
