"""Going live as an issuer, end to end, as a CLI user would (issue 13's "done means").

Everything the issuer does goes through ``vcbadge`` commands (run in-process with
``vcbadge.cli.main``): a did:web key, a status store, a 200-row class roster issued with status
entries and baked into images, the status lists published. The issuer's site is a real static
web server (the standard library's, with its stock content types) over HTTPS on loopback, with
the test CA; the verifier fetches the DID document and the status lists from it.

The verifying side is Python: the ``vcbadge verify`` command cannot be told to trust the test
CA or to reach a loopback address (rightly), so ``Verifier.online`` is given the transport that
does, exactly as in tests/resolve/test_online_verification.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import loopback_server
import pytest
from badge_images import make_png
from loopback_server import PINNED_HOST, StaticFileServer
from test_docs import ROOT, fenced_blocks

from vcbadge import Outcome, Verifier
from vcbadge.bake import unbake
from vcbadge.cli import main
from vcbadge.clock import SystemClock
from vcbadge.http import GuardedTransport
from vcbadge.resolve import CachingTransport, DidWebResolver

# The loopback fixtures this module uses (pytest finds fixtures by name in the module).
loopback_ca = loopback_server.loopback_ca
loopback_certificate = loopback_server.loopback_certificate
loopback_transport = loopback_server.loopback_transport
static_server = loopback_server.static_server


ROWS = 200
ACHIEVEMENT = {
    "id": "https://badges.example.test/achievements/py101",
    "type": ["Achievement"],
    "name": "Python 101",
    "description": "Wrote, tested and packaged a small Python program.",
    "criteria": {"narrative": "Pass the final project."},
}


def _vcbadge(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> str:
    """Run one command; it must succeed. Returns its standard output."""
    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    assert code == 0, f"vcbadge {' '.join(map(str, argv))}: {captured.err}"
    assert "Traceback" not in captured.err
    return captured.out


def _verifier(transport: GuardedTransport, server: StaticFileServer) -> Verifier:
    """A fresh online verifier (nothing cached) that may reach the test server's did:web."""
    did_web = DidWebResolver(
        CachingTransport(transport, clock=SystemClock()),
        allowed_ports={server.port},
        allowed_hosts={PINNED_HOST},
    )
    return Verifier.online(transport=transport, methods={"web": did_web})


def _status_failures(result: Any) -> list[tuple[str, str]]:
    return [(check.outcome.value, check.code) for check in result.failed]


def test_going_live_from_a_roster_to_hosted_revocable_badges(
    static_server: StaticFileServer,
    loopback_transport: GuardedTransport,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    site = static_server.directory
    host = f"{PINNED_HOST}:{static_server.port}"
    did = f"did:web:{PINNED_HOST}%3A{static_server.port}"

    # 1. A key whose controller is the did:web of the issuer's site, and its DID document
    #    written straight into the site.
    keys = _vcbadge(capsys, "keygen", "--did-web", host, "-o", "key.json")
    assert keys.splitlines()[1].startswith(f"{did}#")
    (site / ".well-known").mkdir()
    _vcbadge(
        capsys, "did-document", "key.json", "--did-web", host,
        "-o", site / ".well-known" / "did.json",
    )  # fmt: skip
    assert "secretKeyMultibase" not in (site / ".well-known" / "did.json").read_text("utf-8")

    # 2. A status store whose lists will be served from the same site.
    created = _vcbadge(
        capsys, "status", "init", "--store", "status.db", "--base-url", f"https://{host}/status"
    )
    assert f"https://{host}/status/<purpose>/<n>.json" in created

    # 3. The whole class: 200 rows, emails and DIDs, each badge baked into the class image.
    rows = ["student_id,email,did"]
    rows += [
        f"s{n:03},student{n}@example.org," if n % 10 else f"s{n:03},,did:example:student{n}"
        for n in range(1, ROWS + 1)
    ]
    Path("roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    Path("achievement.json").write_text(json.dumps(ACHIEVEMENT), encoding="utf-8")
    Path("badge.png").write_bytes(make_png(8, 8))
    batch = [
        "issue", "--batch", "roster.csv", "--template", "achievement.json",
        "--key-column", "student_id", "--key", "key.json", "--status-store", "status.db",
        "--out-dir", "awarded", "--bake", "badge.png",
    ]  # fmt: skip
    report = _vcbadge(capsys, *batch)
    assert report.startswith(f"issued {ROWS}, skipped 0 (already issued), failed 0;")
    manifest = [
        json.loads(line)
        for line in Path("awarded/manifest.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(manifest) == ROWS
    assert len({entry["status"][0]["statusListIndex"] for entry in manifest}) == ROWS

    # 4. Publish the status lists into the site, where the command says they must be served.
    published = _vcbadge(
        capsys, "status", "publish", "--store", "status.db", "--key", "key.json",
        "--out", site / "status",
    )  # fmt: skip
    list_url = f"https://{host}/status/revocation/1.json"
    assert f"serve {site / 'status' / 'revocation' / '1.json'} at {list_url}" in published
    assert {entry["status"][0]["statusListCredential"] for entry in manifest} == {list_url}

    # 5. Verify through the server: the baked images and the JSON files are VALID.
    verifier = _verifier(loopback_transport, static_server)
    sample = [manifest[0], manifest[9], manifest[ROWS // 2], manifest[-1]]
    for entry in sample:
        baked = unbake(Path("awarded", entry["image"]).read_bytes())
        result = verifier.verify(baked)
        assert result.outcome is Outcome.VALID, result.to_dict()
        assert json.loads(baked)["id"] == entry["credentialId"]
        assert json.loads(baked)["issuer"]["id"] == did

    # 6. Revoke one, publish again: that one is INVALID (revoked), the others still VALID.
    revoked = manifest[ROWS // 2]
    _vcbadge(
        capsys, "status", "revoke", revoked["credentialId"], "--store", "status.db",
        "--by", "registrar", "--reason", "awarded by mistake",
    )  # fmt: skip
    _vcbadge(
        capsys, "status", "publish", "--store", "status.db", "--key", "key.json",
        "--out", site / "status",
    )  # fmt: skip
    after = _verifier(loopback_transport, static_server)
    result = after.verify(unbake(Path("awarded", revoked["image"]).read_bytes()))
    assert _status_failures(result) == [("INVALID", "revoked")]
    still = json.loads(Path("awarded", manifest[0]["file"]).read_text(encoding="utf-8"))
    assert after.verify(still).outcome is Outcome.VALID

    # 7. Run the same batch again: nothing new is issued, nothing is overwritten.
    before = Path("awarded", manifest[0]["image"]).read_bytes()
    again = _vcbadge(capsys, *batch)
    assert again.startswith(f"issued 0, skipped {ROWS} (already issued), failed 0;")
    assert Path("awarded", manifest[0]["image"]).read_bytes() == before
    records = _vcbadge(capsys, "status", "show", revoked["credentialId"], "--store", "status.db")
    assert records.splitlines()[0].endswith(": REVOKED")


def test_the_checklists_key_rotation_keeps_issued_badges_valid(
    static_server: StaticFileServer,
    loopback_transport: GuardedTransport,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/how-to/go-live.md, "Rotate a key": its Python block (a DID document listing the
    old and the new key) is run as written; badges signed with either key verify through the
    server, and removing the old key (what the page says to do only for a compromised key)
    makes the old key's badges fail."""
    monkeypatch.chdir(tmp_path)
    site = static_server.directory
    host = f"{PINNED_HOST}:{static_server.port}"
    _vcbadge(capsys, "keygen", "--did-web", host, "-o", "issuer-key.json")
    _vcbadge(capsys, "keygen", "--did-web", host, "-o", "issuer-key-2.json")
    (site / ".well-known").mkdir()
    did_json = site / ".well-known" / "did.json"
    _vcbadge(capsys, "did-document", "issuer-key.json", "-o", did_json)

    Path("achievement.json").write_text(json.dumps(ACHIEVEMENT), encoding="utf-8")
    Path("roster.csv").write_text("id,email\nold,ada@example.org\n", encoding="utf-8")
    old_batch = ["--template", "achievement.json", "--key", "issuer-key.json"]
    _vcbadge(capsys, "issue", "--batch", "roster.csv", "--out-dir", "old", *old_batch)
    old_badge = json.loads(Path("old/old.json").read_text(encoding="utf-8"))
    assert _verifier(loopback_transport, static_server).verify(old_badge).outcome is (Outcome.VALID)

    rotation = [
        block.text
        for block in fenced_blocks(ROOT / "docs" / "how-to" / "go-live.md")
        if block.kind == "python"
    ]
    assert len(rotation) == 1, "go-live.md's rotation example is the block this test runs"
    exec(compile(rotation[0], "docs/how-to/go-live.md", "exec"), {"__name__": "go-live"})
    did_json.write_bytes(Path("did.json").read_bytes())

    Path("roster2.csv").write_text("id,email\nnew,grace@example.org\n", encoding="utf-8")
    _vcbadge(
        capsys, "issue", "--batch", "roster2.csv", "--out-dir", "new",
        "--template", "achievement.json", "--key", "issuer-key-2.json",
    )  # fmt: skip
    new_badge = json.loads(Path("new/new.json").read_text(encoding="utf-8"))
    verifier = _verifier(loopback_transport, static_server)
    assert verifier.verify(old_badge).outcome is Outcome.VALID
    assert verifier.verify(new_badge).outcome is Outcome.VALID

    _vcbadge(capsys, "did-document", "issuer-key-2.json", "-o", did_json, "--force")
    after_removal = _verifier(loopback_transport, static_server)
    assert after_removal.verify(new_badge).outcome is Outcome.VALID
    failed = after_removal.verify(old_badge)
    assert failed.outcome is not Outcome.VALID
    assert "verification_method_not_found" in {check.code for check in failed.failed}
