"""The command runs as a separate process, with real exit codes and streams."""

from __future__ import annotations

import subprocess
import sys

import pytest

ENTRY = "from vcbadge.cli import main; raise SystemExit(main())"


def run(*argv: object, cwd: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *map(str, argv)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_demo_then_verify_in_a_subprocess(tmp_path):
    demo = run("demo", cwd=tmp_path)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert str(tmp_path.resolve() / "vcbadge-demo" / "credential.json") in demo.stdout
    # Offline, with the published status list given: subprocesses are outside the test suite's
    # in-process network guard, so they must never be asked to fetch anything.
    status = "https://badges.example.edu/status/revocation/1.json=vcbadge-demo/status-list.json"
    revoked = run("verify", "--offline", "--doc", status, "vcbadge-demo/badge.png", cwd=tmp_path)
    assert revoked.returncode == 1
    assert "revoked" in revoked.stdout
    invalid = run(
        "verify",
        "--offline",
        "--json",
        "--doc",
        status,
        "vcbadge-demo/tampered.json",
        cwd=tmp_path,
    )
    assert invalid.returncode == 1
    assert '"invalid_signature"' in invalid.stdout
    usage = run("verify", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 64
    assert "Traceback" not in usage.stderr
