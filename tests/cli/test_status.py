"""``vcbadge status``: init, revoke, suspend, unsuspend, show, publish, and what verify sees."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from vcbadge import Issuer, Profile
from vcbadge.keys import Ed25519Key
from vcbadge.store import SQLiteStatusStore

BASE = "https://badges.example.edu/status"
CREDENTIAL = "https://badges.example.edu/credentials/1001"


def _issue(store_path: Path, key: Ed25519Key, target: Path) -> None:
    with SQLiteStatusStore(store_path) as store:
        issuer = Issuer(Profile(id=key.did), key=key, status_store=store)
        credential = issuer.issue(
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": CREDENTIAL,
                "type": ["VerifiableCredential"],
                "issuer": key.did,
                "credentialSubject": {"id": "did:example:ada"},
            }
        )
    target.write_text(json.dumps(credential), encoding="utf-8")


def test_the_whole_story(cli, tmp_path: Path, key: Ed25519Key, key_file: Path) -> None:
    store = tmp_path / "status.db"
    created = cli("status", "init", "--store", store, "--base-url", BASE, "--suspension")
    assert created.code == 0, created.err
    assert "revocation and suspension lists" in created.out
    badge = tmp_path / "badge.json"
    _issue(store, key, badge)
    out = tmp_path / "public"
    revocation = f"{BASE}/revocation/1.json={out / 'revocation' / '1.json'}"
    suspension = f"{BASE}/suspension/1.json={out / 'suspension' / '1.json'}"

    published = cli("status", "publish", "--store", store, "--key", key_file, "--out", out)
    assert published.code == 0, published.err
    assert published.out.splitlines() == [
        f"serve {out / 'revocation' / '1.json'} at {BASE}/revocation/1.json",
        f"serve {out / 'suspension' / '1.json'} at {BASE}/suspension/1.json",
        "  as Content-Type: application/json, Cache-Control: max-age=300 or less",
    ]
    assert published.err == ""
    assert cli("verify", badge, "--doc", revocation, "--doc", suspension).code == 0

    suspended = cli("status", "suspend", CREDENTIAL, "--store", store, "--by", "dean")
    assert suspended.code == 0
    assert suspended.out.startswith("suspended ")
    cli("status", "publish", "--store", store, "--key", key_file, "--out", out)
    verified = cli("verify", badge, "--doc", revocation, "--doc", suspension, "--json")
    assert verified.code == 1
    assert [c["code"] for c in verified.json()["checks"] if c["name"] == "status"] == [
        "ok",
        "suspended",
    ]
    again = cli("status", "suspend", CREDENTIAL, "--store", store, "--by", "dean")
    assert "already suspended" in again.out
    assert cli("status", "unsuspend", CREDENTIAL, "--store", store, "--by", "dean").code == 0

    revoked = cli(
        "status", "revoke", CREDENTIAL, "--store", store, "--by", "registrar",
        "--reason", "awarded by mistake",
    )  # fmt: skip
    assert revoked.code == 0
    assert "publish the lists" in revoked.out
    cli("status", "publish", "--store", store, "--key", key_file, "--out", out)
    verified = cli("verify", badge, "--doc", revocation, "--doc", suspension)
    assert verified.code == 1
    assert "revoked" in verified.out

    shown = cli("status", "show", CREDENTIAL, "--store", store)
    assert shown.code == 0
    assert shown.out.splitlines()[0] == f"{CREDENTIAL}: REVOKED"
    assert "revoke by registrar: awarded by mistake" in shown.out
    as_json = cli("status", "show", CREDENTIAL, "--store", store, "--json").json()
    assert as_json["revoked"] is True
    assert [e["action"] for e in as_json["events"]] == ["suspend", "unsuspend", "revoke"]


def test_publish_to_stdout(cli, tmp_path: Path, key: Ed25519Key, key_file: Path) -> None:
    store = tmp_path / "status.db"
    cli("status", "init", "--store", store, "--base-url", BASE)
    _issue(store, key, tmp_path / "badge.json")
    published = cli("status", "publish", "--store", store, "--key", key_file, "--valid-for", "24")
    assert published.code == 0, published.err
    lists = published.json()
    assert list(lists) == [f"{BASE}/revocation/1.json"]
    assert "validUntil" in lists[f"{BASE}/revocation/1.json"]


def test_errors(cli, tmp_path: Path) -> None:
    store = tmp_path / "status.db"
    missing = cli("status", "revoke", CREDENTIAL, "--store", store, "--by", "me")
    assert missing.code == 66
    assert "no such status store" in missing.err
    assert not store.exists()
    assert cli("status", "init", "--store", store, "--base-url", BASE).code == 0
    again = cli("status", "init", "--store", store, "--base-url", BASE)
    assert again.code == 65
    assert "already exists" in again.err
    unknown = cli("status", "revoke", CREDENTIAL, "--store", store, "--by", "me")
    assert unknown.code == 65
    assert "[unknown_credential]" in unknown.err
    no_suspension = cli("status", "suspend", CREDENTIAL, "--store", store, "--by", "me")
    assert no_suspension.code == 65
    bad_url = cli("status", "init", "--store", tmp_path / "x.db", "--base-url", "ftp:/x")
    assert bad_url.code == 65
    assert "[store_config]" in bad_url.err
    assert cli("status", "revoke", CREDENTIAL, "--store", store).code == 64  # --by required
    assert cli("status").code == 64


def test_only_init_creates_and_a_damaged_or_restored_store_is_refused(
    cli, tmp_path: Path, key: Ed25519Key, key_file: Path
) -> None:
    store = tmp_path / "status.db"
    created = cli("status", "init", "--store", store, "--base-url", BASE)
    assert f"watermark: {store}.watermark" in created.out
    backup = tmp_path / "backup.db"
    backup.write_bytes(store.read_bytes())
    _issue(store, key, tmp_path / "badge.json")
    assert cli("status", "publish", "--store", store, "--key", key_file).code == 0

    store.write_bytes(backup.read_bytes())  # an older backup put back
    for suffix in ("-wal", "-shm"):
        store.with_name(store.name + suffix).unlink(missing_ok=True)
    for action in (
        ("status", "show", CREDENTIAL, "--store", store),
        ("status", "publish", "--store", store, "--key", key_file),
    ):
        refused = cli(*action)
        assert refused.code == 65
        assert "[store_rolled_back]" in refused.err

    store.write_bytes(b"")  # emptied
    emptied = cli("status", "revoke", CREDENTIAL, "--store", store, "--by", "me")
    assert emptied.code == 65
    assert "[store_damaged]" in emptied.err
    assert store.stat().st_size == 0  # not re-created


def test_init_with_a_watermark_elsewhere(cli, tmp_path: Path) -> None:
    watermark = tmp_path / "elsewhere" / "status.watermark"
    created = cli(
        "status", "init", "--store", tmp_path / "status.db", "--base-url", BASE,
        "--watermark", watermark,
    )  # fmt: skip
    assert created.code == 0, created.err
    assert json.loads(watermark.read_text(encoding="utf-8"))["lists"] == {}


def test_init_says_where_the_lists_go(cli, tmp_path: Path) -> None:
    created = cli("status", "init", "--store", tmp_path / "status.db", "--base-url", BASE)
    assert created.out.splitlines()[0].endswith(f"lists at {BASE}/<purpose>/<n>.json")


def test_a_store_from_before_list_extensions_keeps_its_urls_and_is_warned_about(
    cli, tmp_path: Path, key: Ed25519Key, key_file: Path
) -> None:
    """A store whose settings have no list extension (created before it was introduced) keeps
    publishing at the extension-less URLs its credentials name, and publish warns that the
    server must be told the content type."""
    store = tmp_path / "status.db"
    cli("status", "init", "--store", store, "--base-url", BASE)
    with sqlite3.connect(store) as connection:
        connection.execute("DELETE FROM meta WHERE key = 'list_extension'")
    connection.close()
    badge = tmp_path / "badge.json"
    _issue(store, key, badge)
    issued = json.loads(badge.read_text(encoding="utf-8"))
    assert issued["credentialStatus"]["statusListCredential"] == f"{BASE}/revocation/1"

    out = tmp_path / "public"
    published = cli("status", "publish", "--store", store, "--key", key_file, "--out", out)
    assert published.code == 0, published.err
    assert published.out.splitlines()[0] == (
        f"serve {out / 'revocation' / '1'} at {BASE}/revocation/1"
    )
    assert "no extension" in published.err
    assert "application/octet-stream" in published.err
    revocation = f"{BASE}/revocation/1={out / 'revocation' / '1'}"
    assert cli("verify", badge, "--doc", revocation).code == 0


def test_a_store_with_an_unknown_list_extension_is_refused(cli, tmp_path: Path) -> None:
    store = tmp_path / "status.db"
    cli("status", "init", "--store", store, "--base-url", BASE)
    with sqlite3.connect(store) as connection:
        connection.execute("UPDATE meta SET value = '.exe' WHERE key = 'list_extension'")
    connection.close()
    refused = cli("status", "show", CREDENTIAL, "--store", store)
    assert refused.code == 65
    assert "[store_damaged]" in refused.err
