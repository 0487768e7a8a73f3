"""``ApiStore``: what the Open Badges API provider keeps, through SQLAlchemy 2.

Clients, authorization codes, tokens, login sessions, the learners' credentials and profiles,
in one database: a SQLite file by default (no server), or any SQLAlchemy URL (PostgreSQL for several
hosts). Secrets are hashed at rest: a client secret, an authorization code, an access or
refresh token and a login session id are stored as their SHA-256, never as themselves, so a
copy of the database lets nobody act as a client or a learner.

Every method opens its own short transaction: the store is safe to share between the threads
of one process and between processes on one database.

Migrations: ``vcbadge_api_schema`` records the versions applied; :meth:`ApiStore.open` creates
missing tables, then runs each step of ``_MIGRATIONS`` from the stored version up to
``SCHEMA_VERSION``. A later version adds its step there.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

__all__ = ["ApiStore", "CredentialConflict", "StoredCredential", "digest"]

SCHEMA_VERSION = 2
# What a row of version 1 (Open Badges only) belongs to.
_FIRST_API = "ob"


def digest(secret: str) -> str:
    """The SHA-256 (hex) under which a secret is stored and looked up."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class _Base(DeclarativeBase):
    pass


class SchemaVersion(_Base):
    """One row: the version of these tables, for the migrations a later version adds."""

    __tablename__ = "vcbadge_api_schema"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)


class ClientRow(_Base):
    """A registered client (RFC 7591): its metadata as JSON and its secret's hash."""

    __tablename__ = "vcbadge_api_clients"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    metadata_json: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[float] = mapped_column(Float)

    @property
    def client_metadata(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.metadata_json)
        return value


class CodeRow(_Base):
    """An authorization code (hashed), single-use: ``used`` is set when it is redeemed."""

    __tablename__ = "vcbadge_api_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("vcbadge_api_clients.client_id"))
    user_id: Mapped[str] = mapped_column(String(255))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[float] = mapped_column(Float)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class TokenRow(_Base):
    """An access token and its refresh token (both hashed), bound to a client and a user.

    ``code_hash`` is the authorization code the grant started from, carried over on refresh:
    a replayed code revokes every token of its grant (RFC 6749 §4.1.2).
    """

    __tablename__ = "vcbadge_api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("vcbadge_api_clients.client_id"))
    user_id: Mapped[str] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(Text)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    issued_at: Mapped[float] = mapped_column(Float)
    expires_in: Mapped[int] = mapped_column(Integer)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    # The duck-typed interface Authlib's grants and revocation endpoint call.
    def check_client(self, client: Any) -> bool:
        return bool(self.client_id == client.get_client_id())

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self, now: float | None = None) -> bool:
        moment = time.time() if now is None else now
        return moment >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str:
        return self.user_id


class LoginRow(_Base):
    """A login session of the built-in login form (its cookie's hash)."""

    __tablename__ = "vcbadge_api_logins"
    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[float] = mapped_column(Float)


class CredentialRow(_Base):
    """A learner's credential: as JSON text, or a compact JWS (``jws``), stored through the
    API named by ``api`` (``ob`` or ``clr``: each API lists only its own)."""

    __tablename__ = "vcbadge_api_credentials"
    __table_args__ = (UniqueConstraint("user_id", "issuer_id", "credential_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    api: Mapped[str] = mapped_column(String(16), default=_FIRST_API, server_default=_FIRST_API)
    user_id: Mapped[str] = mapped_column(String(255), index=True)
    issuer_id: Mapped[str] = mapped_column(Text)
    credential_id: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    jws: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[float] = mapped_column(Float)


class ProfileRow(_Base):
    """A learner's profile (an OB 3.0 / CLR 2.0 ``Profile`` as JSON text), one per API."""

    __tablename__ = "vcbadge_api_profiles"
    api: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[float] = mapped_column(Float)


def _credentials_per_api(connection: Connection) -> None:
    """Version 1 to 2: credentials say which API stored them (the CLR 2.0 API came);
    profiles (a new table, made by ``create_all``)."""
    connection.execute(
        text(
            "ALTER TABLE vcbadge_api_credentials ADD COLUMN api VARCHAR(16) "
            f"NOT NULL DEFAULT '{_FIRST_API}'"
        )
    )


# The step from each version to the next.
_MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _credentials_per_api}


class CredentialConflict(Exception):
    """A credential of the same issuer and id is stored through the other API."""


@dataclass(frozen=True, kw_only=True)
class StoredCredential:
    """A credential as the API returns it: JSON text or a compact JWS."""

    body: str
    jws: bool


class ApiStore:
    """The provider's database. Build with :meth:`open` (a path or an SQLAlchemy URL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, location: str | Path) -> ApiStore:
        """Open (creating the tables if missing) the store at a SQLite file path or a database
        URL such as ``postgresql://user@host/db``."""
        text = str(location)
        url = text if "://" in text else f"sqlite:///{Path(text)}"
        if url.startswith(("postgresql://", "postgres://")):
            # psycopg 3 (the postgres extra), not SQLAlchemy's default psycopg2.
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        store = cls(create_engine(url))
        try:
            store._migrate()
        except BaseException:
            store.close()
            raise
        return store

    def _migrate(self) -> None:
        with self.engine.begin() as connection:
            _Base.metadata.create_all(connection)
            stored = connection.scalar(select(func.max(SchemaVersion.version)))
            if stored is not None and stored > SCHEMA_VERSION:
                raise RuntimeError(
                    f"the store's schema is version {stored}, newer than this vcbadge "
                    f"({SCHEMA_VERSION}): upgrade vcbadge"
                )
            # No row: the tables were just made, at the current version.
            version = SCHEMA_VERSION if stored is None else stored
            while version < SCHEMA_VERSION:
                _MIGRATIONS[version](connection)
                version += 1
            if stored != SCHEMA_VERSION:
                connection.execute(insert(SchemaVersion).values(version=version))

    def schema_version(self) -> int:
        """The version of the store's tables."""
        with self._session() as session:
            return int(session.scalar(select(func.max(SchemaVersion.version))) or 0)

    def drop_tables(self) -> None:
        """Drop every table of the store (uninstalling; tests on a shared database)."""
        _Base.metadata.drop_all(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    # Clients

    def add_client(self, client_id: str, secret: str, client_metadata: dict[str, Any]) -> None:
        with self._session() as session:
            session.add(
                ClientRow(
                    client_id=client_id,
                    secret_hash=digest(secret),
                    metadata_json=json.dumps(client_metadata),
                    issued_at=time.time(),
                )
            )

    def client(self, client_id: str) -> ClientRow | None:
        with self._session() as session:
            return session.get(ClientRow, client_id)

    # Codes

    def add_code(self, row: CodeRow) -> None:
        with self._session() as session:
            session.add(row)

    def redeem_code(self, code: str, client_id: str, *, now: float) -> CodeRow | None:
        """The code's row if it was issued to ``client_id``, unused and unexpired, marking it
        used in the same statement (two concurrent redemptions cannot both win). A code
        presented again revokes every token its grant issued."""
        code_hash = digest(code)
        with self._session() as session:
            row = session.get(CodeRow, code_hash)
            if row is None or row.client_id != client_id:
                return None
            consumed = session.execute(
                update(CodeRow)
                .where(CodeRow.code_hash == code_hash, CodeRow.used.is_(False))
                .values(used=True)
            )
            if getattr(consumed, "rowcount", 0) != 1:
                session.execute(
                    update(TokenRow).where(TokenRow.code_hash == code_hash).values(revoked=True)
                )
                return None
            if now >= row.expires_at:
                return None
            return row

    # Tokens

    def add_token(self, row: TokenRow) -> None:
        with self._session() as session:
            session.add(row)

    def token_by_access(self, access_token: str) -> TokenRow | None:
        with self._session() as session:
            return session.scalars(
                select(TokenRow).where(TokenRow.access_hash == digest(access_token))
            ).first()

    def token_by_refresh(self, refresh_token: str) -> TokenRow | None:
        with self._session() as session:
            return session.scalars(
                select(TokenRow).where(TokenRow.refresh_hash == digest(refresh_token))
            ).first()

    def revoke_token(self, token_id: int) -> None:
        with self._session() as session:
            session.execute(update(TokenRow).where(TokenRow.id == token_id).values(revoked=True))

    # Login sessions

    def add_login(self, session_id: str, user_id: str, lifetime: float) -> None:
        with self._session() as session:
            session.add(
                LoginRow(
                    session_hash=digest(session_id),
                    user_id=user_id,
                    expires_at=time.time() + lifetime,
                )
            )

    def login_user(self, session_id: str) -> str | None:
        with self._session() as session:
            row = session.get(LoginRow, digest(session_id))
            if row is None or time.time() >= row.expires_at:
                return None
            return row.user_id

    # Credentials

    def upsert_credential(
        self,
        *,
        api: str = _FIRST_API,
        user_id: str,
        issuer_id: str,
        credential_id: str,
        valid_from: str,
        body: str,
        jws: bool,
    ) -> bool:
        """Store a credential through ``api``; True if it was new. One already stored with the
        same issuer and id is replaced when this one's ``validFrom`` is not older (the newer
        wins); :class:`CredentialConflict` when that one was stored through another API."""
        with self._session() as session:
            row = session.scalars(
                select(CredentialRow).where(
                    CredentialRow.user_id == user_id,
                    CredentialRow.issuer_id == issuer_id,
                    CredentialRow.credential_id == credential_id,
                )
            ).first()
            if row is None:
                session.add(
                    CredentialRow(
                        api=api,
                        user_id=user_id,
                        issuer_id=issuer_id,
                        credential_id=credential_id,
                        valid_from=valid_from,
                        body=body,
                        jws=jws,
                        updated_at=time.time(),
                    )
                )
                return True
            if row.api != api:
                raise CredentialConflict(f"stored through the {row.api} API")
            if valid_from >= row.valid_from:
                row.valid_from, row.body, row.jws = valid_from, body, jws
                row.updated_at = time.time()
            return False

    def credentials(
        self,
        user_id: str,
        *,
        limit: int,
        offset: int,
        since: float | None,
        api: str = _FIRST_API,
    ) -> tuple[int, Sequence[StoredCredential]]:
        """The total count of the user's credentials stored through ``api`` (changed at or
        after ``since``) and one page of them, oldest first."""
        condition = [CredentialRow.user_id == user_id, CredentialRow.api == api]
        if since is not None:
            condition.append(CredentialRow.updated_at >= since)
        with self._session() as session:
            total = session.scalar(
                select(func.count()).select_from(CredentialRow).where(*condition)
            )
            rows = session.scalars(
                select(CredentialRow)
                .where(*condition)
                .order_by(CredentialRow.id)
                .limit(limit)
                .offset(offset)
            ).all()
        return int(total or 0), [StoredCredential(body=row.body, jws=row.jws) for row in rows]

    # Profiles

    def profile(self, user_id: str, *, api: str = _FIRST_API) -> str | None:
        """The user's profile (JSON text) stored through ``api``, or None."""
        with self._session() as session:
            row = session.get(ProfileRow, (api, user_id))
            return None if row is None else row.body

    def put_profile(self, user_id: str, body: str, *, api: str = _FIRST_API) -> None:
        """Store (create or replace) the user's profile through ``api``."""
        with self._session() as session:
            row = session.get(ProfileRow, (api, user_id))
            if row is None:
                session.add(ProfileRow(api=api, user_id=user_id, body=body, updated_at=time.time()))
            else:
                row.body, row.updated_at = body, time.time()
