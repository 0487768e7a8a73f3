"""Signed badges for tests that are about where the issuer's key comes from (did:key, did:jwk,
did:web, HTTPS, a plugged-in resolver), not about the badge: one helper, so those tests differ
only in the key and issuer they set up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vcbadge import Achievement, AchievementCredential, Criteria, FixedClock, Issuer, Profile
from vcbadge.keys import Ed25519Key

__all__ = ["first_badge", "issue_badge", "python_101"]


def first_badge() -> Achievement:
    return Achievement(
        id="https://badges.example.edu/a/1",
        name="One",
        description="The first badge.",
        criteria=Criteria(narrative="Do it."),
    )


def python_101() -> Achievement:
    return Achievement(
        id="https://badges.example.edu/achievements/py101",
        name="Python 101",
        description="Writes, tests and ships small Python programs.",
        criteria=Criteria(narrative="Pass the final project."),
    )


def issue_badge(
    key: Ed25519Key,
    *,
    issuer_name: str,
    at: datetime,
    achievement: Achievement | None = None,
    recipient: str = "did:example:a",
) -> dict[str, Any]:
    """``achievement`` (default :func:`first_badge`) awarded to ``recipient`` and signed with
    ``key`` at ``at`` by the issuer the key belongs to (``key.controller``)."""
    issuer = Issuer(Profile(id=key.controller, name=issuer_name), key=key, clock=FixedClock(at))
    awarded = AchievementCredential.award(achievement or first_badge(), recipient=recipient)
    return issuer.issue(awarded)
