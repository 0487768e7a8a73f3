"""Fixtures for the CLI tests: run ``main`` in-process and files to feed it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vcbadge.cli import main
from vcbadge.keys import Ed25519Key, save_key
from vcbadge.model import Achievement, AchievementCredential, Criteria, Image

SEED = bytes(range(32))


@dataclass(frozen=True)
class Run:
    """What one ``vcbadge`` invocation did."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


CliRunner = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """``cli("verify", "x.json")`` runs ``main`` in-process; never a traceback on stderr."""

    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert isinstance(code, int)
        return Run(code, captured.out, captured.err)

    return run


def _achievement() -> Achievement:
    return Achievement(
        id="https://badges.example.edu/achievements/py101",
        name="Python 101",
        description="Wrote and tested a small Python program.",
        criteria=Criteria(narrative="Pass the final project."),
        image=Image(id="https://badges.example.edu/images/py101.png"),
    )


def _unsigned_credential(**extra: Any) -> dict[str, Any]:
    draft = AchievementCredential.award(_achievement(), recipient="did:example:learner-1", **extra)
    return draft.to_json()


def _write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def unsigned_credential() -> Callable[..., dict[str, Any]]:
    """``unsigned_credential(**award_options)``: an unsigned OpenBadgeCredential (no issuer)."""
    return _unsigned_credential


@pytest.fixture
def write_json() -> Callable[[Path, Any], Path]:
    """``write_json(path, document)`` writes pretty JSON and returns the path."""
    return _write_json


@pytest.fixture
def key() -> Ed25519Key:
    return Ed25519Key.from_seed(SEED)


@pytest.fixture
def key_file(tmp_path: Path, key: Ed25519Key) -> Path:
    path = tmp_path / "key.json"
    save_key(key, path)
    return path


@pytest.fixture
def unsigned_file(tmp_path: Path) -> Path:
    return _write_json(tmp_path / "unsigned.json", _unsigned_credential())


@pytest.fixture
def signed_file(cli: CliRunner, tmp_path: Path, unsigned_file: Path, key_file: Path) -> Path:
    out = tmp_path / "signed.json"
    result = cli("issue", unsigned_file, "--key", key_file, "-o", out)
    assert result.code == 0, result.err
    return out
