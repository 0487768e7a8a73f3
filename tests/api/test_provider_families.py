"""Token families and expiry: a rotated refresh token presented again revokes every token of
its family (RFC 9700 §4.14.2), so does a replayed code after refreshes (RFC 6749 §4.1.2);
refresh tokens and login sessions expire; what can no longer be used is purged."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from api_world import BASE, REDIRECT_URI, Flow, MovableClock, pkce
from sqlalchemy import func, select
from starlette.testclient import TestClient

from vcbadge.api import ApiStore
from vcbadge.api.app import LOGIN_LIFETIME, PURGE_INTERVAL
from vcbadge.api.oauth import ACCESS_TOKEN_LIFETIME, CODE_LIFETIME, REFRESH_TOKEN_LIFETIME
from vcbadge.api.store import CodeRow, LoginRow, TokenRow, digest

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def registered(http: TestClient) -> Flow:
    flow = Flow(http)
    assert flow.register().status_code == 201
    return flow


def refresh(flow: Flow, refresh_token: str) -> Any:
    return flow.token(grant_type="refresh_token", refresh_token=refresh_token)


def reads(flow: Flow, access_token: str) -> int:
    return flow.http.get(f"{BASE}/credentials", headers=bearer(access_token)).status_code


def rows(store: ApiStore, table: Any) -> int:
    with store.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


# Reuse of a rotated refresh token


def test_a_reused_refresh_token_revokes_its_whole_family(flow: Flow) -> None:
    first = flow.tokens()
    second = refresh(flow, first["refresh_token"]).json()
    third = refresh(flow, second["refresh_token"]).json()
    assert reads(flow, third["access_token"]) == 200

    reused = refresh(flow, first["refresh_token"])  # rotated twice ago: stolen, or replayed

    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert reads(flow, third["access_token"]) == 401
    assert refresh(flow, third["refresh_token"]).json()["error"] == "invalid_grant"


def test_the_reuse_of_the_last_rotated_token_revokes_the_new_pair(flow: Flow) -> None:
    first = flow.tokens()
    second = refresh(flow, first["refresh_token"]).json()
    assert refresh(flow, first["refresh_token"]).status_code == 400
    assert reads(flow, second["access_token"]) == 401
    assert refresh(flow, second["refresh_token"]).status_code == 400


def test_another_family_of_the_same_client_and_user_survives(flow: Flow) -> None:
    victim = flow.tokens()
    flow.http.cookies.clear()  # sign in again
    other = flow.tokens()  # a second authorization: its own family
    refresh(flow, victim["refresh_token"])
    refresh(flow, victim["refresh_token"])
    assert reads(flow, other["access_token"]) == 200
    assert refresh(flow, other["refresh_token"]).status_code == 200


def revoke(flow: Flow, token: str) -> None:
    response = flow.http.post(f"{BASE}/oauth/revoke", data={"token": token}, auth=flow.basic)
    assert response.status_code == 200, response.text


def test_revoking_a_refresh_token_revokes_its_grant(flow: Flow) -> None:
    """RFC 7009 §2.1: the access tokens of the same grant go with a refresh token."""
    first = flow.tokens()
    second = refresh(flow, first["refresh_token"]).json()
    flow.http.cookies.clear()
    other = flow.tokens()
    revoke(flow, second["refresh_token"])
    assert reads(flow, second["access_token"]) == 401
    assert refresh(flow, second["refresh_token"]).status_code == 400
    assert reads(flow, other["access_token"]) == 200  # another grant


def test_a_replayed_code_revokes_the_tokens_of_its_refreshes(flow: Flow) -> None:
    verifier, challenge = pkce()
    form = {"grant_type": "authorization_code", "code": flow.code(challenge),
            "redirect_uri": REDIRECT_URI, "code_verifier": verifier}  # fmt: skip
    first = flow.token(**form).json()
    refreshed = refresh(flow, first["refresh_token"]).json()
    assert flow.token(**form).status_code == 400
    assert reads(flow, refreshed["access_token"]) == 401
    assert refresh(flow, refreshed["refresh_token"]).status_code == 400


def test_a_revoked_family_takes_no_new_token(flow: Flow, store: ApiStore) -> None:
    """A token saved into a family after it was revoked (the refresh that raced the reuse)
    is refused, not left alive."""
    flow.tokens()
    with store.engine.connect() as connection:
        token_id, family = connection.execute(select(TokenRow.id, TokenRow.code_hash)).one()
    store.revoke_family(family)
    late = TokenRow(
        client_id=flow.client_id, user_id="ada", scope="", access_hash=digest("late access"),
        refresh_hash=digest("late refresh"), code_hash=family, issued_at=0.0, expires_in=60,
        revoked=False,
    )  # fmt: skip
    assert store.add_token(late) is False
    assert store.token_by_access("late access") is None
    assert store.add_token(late, rotating=token_id) is False


def test_two_concurrent_refreshes_with_one_token_save_one_successor(
    flow: Flow, store: ApiStore
) -> None:
    """Two refreshes with the same token at once: exactly one successor is saved (the loser
    is a reuse), on SQLite and PostgreSQL alike."""
    flow.tokens()
    with store.engine.connect() as connection:
        token_id, family = connection.execute(select(TokenRow.id, TokenRow.code_hash)).one()
    start = threading.Barrier(2)
    saved: list[bool] = []

    def rotate(name: str) -> None:
        successor = TokenRow(
            client_id=flow.client_id, user_id="ada", scope="", access_hash=digest(name),
            refresh_hash=digest(f"{name} refresh"), code_hash=family, issued_at=0.0,
            expires_in=60, revoked=False,
        )  # fmt: skip
        start.wait()
        saved.append(store.add_token(successor, rotating=token_id))

    threads = [threading.Thread(target=rotate, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(saved) == [False, True]


def test_a_refresh_token_expires(serve: Callable[..., TestClient]) -> None:
    clock = MovableClock(START)
    flow = registered(serve(clock=clock))
    tokens = flow.tokens()
    clock.advance(REFRESH_TOKEN_LIFETIME - 1)
    renewed = refresh(flow, tokens["refresh_token"])
    assert renewed.status_code == 200
    clock.advance(REFRESH_TOKEN_LIFETIME)  # the renewed one's lifetime counts from its issue
    expired = refresh(flow, renewed.json()["refresh_token"])
    assert expired.status_code == 400
    assert expired.json()["error"] == "invalid_grant"


# Login sessions


def test_a_login_session_expires(serve: Callable[..., TestClient]) -> None:
    clock = MovableClock(START)
    flow = registered(serve(clock=clock))
    _, challenge = pkce()
    url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
    consent = flow.log_in(url)
    assert "Allow access?" in consent.text
    clock.advance(LOGIN_LIFETIME - 1)
    assert "Allow access?" in flow.http.get(url).text
    clock.advance(1)
    again = flow.http.get(url)
    assert 'type="password"' in again.text
    assert "Allow access?" not in again.text


# Purging


def test_expired_rows_are_purged_by_a_later_token_request(
    serve: Callable[..., TestClient], store: ApiStore
) -> None:
    clock = MovableClock(START)
    flow = registered(serve(clock=clock))
    tokens = flow.tokens()  # a login session, a redeemed code, a token row
    refresh(flow, tokens["refresh_token"])  # a rotated row kept for reuse detection
    _, challenge = pkce()
    flow.http.cookies.clear()  # sign in again: a second login session
    flow.code(challenge)  # a code never redeemed
    assert (rows(store, LoginRow), rows(store, CodeRow), rows(store, TokenRow)) == (2, 2, 2)

    clock.advance(max(LOGIN_LIFETIME, CODE_LIFETIME, ACCESS_TOKEN_LIFETIME) + PURGE_INTERVAL)
    refresh(flow, "not a token")  # any token request purges what is due
    # Logins and the unused code are gone; the rotated token is still there, so its reuse is
    # still caught, and the redeemed code heads a family that still has tokens.
    assert (rows(store, LoginRow), rows(store, CodeRow), rows(store, TokenRow)) == (0, 1, 2)
    assert refresh(flow, tokens["refresh_token"]).status_code == 400

    clock.advance(REFRESH_TOKEN_LIFETIME)
    refresh(flow, "not a token")
    assert (rows(store, LoginRow), rows(store, CodeRow), rows(store, TokenRow)) == (0, 0, 0)


def test_unexpired_rows_are_kept(store: ApiStore, flow: Flow) -> None:
    flow.tokens()
    before = (rows(store, LoginRow), rows(store, CodeRow), rows(store, TokenRow))
    assert store.purge_expired(datetime.now(timezone.utc).timestamp()) == 0
    assert (rows(store, LoginRow), rows(store, CodeRow), rows(store, TokenRow)) == before


def test_a_purge_deletes_a_bounded_batch(store: ApiStore) -> None:
    for number in range(5):
        store.add_login(f"session {number}", "ada", expires_at=100.0)
    assert store.purge_expired(200.0, batch=2) == 2
    assert rows(store, LoginRow) == 3
    assert store.purge_expired(200.0, batch=2) == 2
    assert store.purge_expired(200.0, batch=2) == 1
    assert rows(store, LoginRow) == 0


def test_the_token_endpoint_purges_at_most_once_per_interval(
    serve: Callable[..., TestClient], store: ApiStore
) -> None:
    clock = MovableClock(START)
    flow = registered(serve(clock=clock))
    refresh(flow, "not a token")  # the first purge of this app
    store.add_login("old", "ada", expires_at=START.timestamp())
    clock.advance(PURGE_INTERVAL - 1)
    refresh(flow, "not a token")
    assert rows(store, LoginRow) == 1
    clock.advance(1)
    refresh(flow, "not a token")
    assert rows(store, LoginRow) == 0
