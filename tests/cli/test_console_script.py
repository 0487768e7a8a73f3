"""The command runs as a separate process, with real exit codes and streams."""

from __future__ import annotations

import subprocess
import sys

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


def test_demo_then_verify_in_a_subprocess(tmp_path):
    demo = run("demo", cwd=tmp_path)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert str(tmp_path.resolve() / "vcbadge-demo" / "credential.json") in demo.stdout
    valid = run("verify", "vcbadge-demo/credential.json", cwd=tmp_path)
    assert valid.returncode == 0
    invalid = run("verify", "--json", "vcbadge-demo/tampered.json", cwd=tmp_path)
    assert invalid.returncode == 1
    assert '"invalid_signature"' in invalid.stdout
    usage = run("verify", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 64
    assert "Traceback" not in usage.stderr
