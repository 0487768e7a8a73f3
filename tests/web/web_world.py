"""Helpers for the web app tests: badges (valid, revoked; JSON, VC-JWT, PNG, SVG) and a real
uvicorn server on a free loopback port (imported by name: conftest.py puts this folder on the
path)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from badge_images import ISSUED_AT, achievement, issuer_key, make_png, make_svg

from vcbadge import AchievementCredential, FixedClock, Issuer, Profile, Verifier
from vcbadge.bake import bake
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.store import SQLiteStatusStore

VALID_ID = "urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e01"
REVOKED_ID = "urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e02"
STATUS_BASE = "https://badges.example.edu/status"


@dataclass(frozen=True)
class Badges:
    """A valid and a revoked badge of one did:key issuer, and the status list that says so."""

    valid: dict[str, Any]
    revoked: dict[str, Any]
    valid_jwt: str
    status_lists: dict[str, dict[str, Any]]

    def verifier(self) -> Verifier:
        """An offline verifier that knows the published status list."""
        return Verifier.offline(documents=self.status_lists)

    def png(self, credential: dict[str, Any] | str) -> bytes:
        return bake(make_png(24, 24), credential)

    def svg(self, credential: dict[str, Any] | str) -> bytes:
        return bake(make_svg(), credential)


def make_badges(directory: Path) -> Badges:
    """A valid and a revoked badge, their status list in a new store under ``directory``."""
    key = issuer_key()
    profile = Profile(id=key.did, name="Example University")
    store = SQLiteStatusStore.create(directory / "status.db", base_url=STATUS_BASE)
    try:
        issuer = Issuer(profile, key=key, clock=FixedClock(ISSUED_AT), status_store=store)
        valid = issuer.issue(
            AchievementCredential.award(achievement(), recipient="did:example:ada", id=VALID_ID)
        )
        revoked = issuer.issue(
            AchievementCredential.award(
                achievement(name="Python 202"), recipient="did:example:bob", id=REVOKED_ID
            )
        )
        store.revoke(REVOKED_ID, actor="registrar", reason="awarded in error")
        lists = issuer.publish_status_lists()
    finally:
        store.close()
    jwt_issuer = JwtIssuer(profile, key=key, clock=FixedClock(ISSUED_AT))
    token = jwt_issuer.issue_jwt(
        AchievementCredential.award(
            achievement(name="Python 303"),
            recipient="did:example:ada",
            id="urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e03",
        )
    )
    return Badges(valid=valid, revoked=revoked, valid_jwt=token, status_lists=lists)
