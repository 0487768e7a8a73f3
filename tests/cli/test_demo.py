"""vcbadge demo."""

from __future__ import annotations

import json
import stat

from vcbadge import Verifier
from vcbadge.bake import unbake
from vcbadge.cli.demo import DEMO_FILES


def test_demo_runs_twice_in_the_same_directory(cli, tmp_path):
    directory = tmp_path / "demo"
    (tmp_path / "demo").mkdir()
    other = directory / "notes.txt"
    other.write_text("mine", encoding="utf-8")
    for _ in range(2):
        result = cli("demo", "--dir", directory)
        assert result.code == 0, result.out + result.err
        for name in DEMO_FILES:
            path = directory / name
            assert path.is_file()
            assert str(path.resolve()) in result.out
        assert "VALID" in result.out
        assert "✗ proof invalid_signature" in result.out
        assert "✗ status revoked" in result.out
    assert other.read_text(encoding="utf-8") == "mine"
    assert stat.S_IMODE((directory / "key.json").stat().st_mode) == 0o600
    status_list = json.loads((directory / "status-list.json").read_text())
    verifier = Verifier.offline(documents={status_list["id"]: status_list})
    credential = (directory / "credential.json").read_bytes()
    revoked = verifier.verify(credential)
    assert [check.code for check in revoked.failed] == ["revoked"]
    assert unbake((directory / "badge.png").read_bytes()) == json.dumps(
        json.loads(credential), separators=(",", ":"), ensure_ascii=False
    )
    tampered = verifier.verify((directory / "tampered.json").read_bytes())
    assert [check.code for check in tampered.failed] == ["invalid_signature", "revoked"]
    document = json.loads(credential)
    assert "OpenBadgeCredential" in document["type"]
    assert document["credentialSubject"]["achievement"]["image"]["id"].startswith("data:")
    assert document["credentialSubject"]["identifier"][0]["hashed"] is True


def test_demo_default_directory(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("demo")
    assert result.code == 0
    assert str(tmp_path.resolve() / "vcbadge-demo") in result.out
    assert (tmp_path / "vcbadge-demo" / "credential.json").is_file()
    status_doc = "https://badges.example.edu/status/revocation/1.json=vcbadge-demo/status-list.json"
    revoked = cli("verify", "--offline", "--doc", status_doc, "vcbadge-demo/badge.png")
    assert revoked.code == 1
    assert "✗ status revoked" in revoked.out
    # Without the status list nothing can be said about revocation: never VALID.
    assert cli("verify", "--offline", "vcbadge-demo/credential.json").code == 2
    assert cli("verify", "--offline", "vcbadge-demo/tampered.json").code == 1


def test_demo_dir_that_is_a_file(cli, tmp_path):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = cli("demo", "--dir", target)
    assert result.code == 73
    assert "not a directory" in result.err
