"""``ApiStore``: what the Open Badges API provider keeps, through SQLAlchemy 2.

Clients, authorization codes, tokens, login sessions, the learners' credentials and profiles,
in one database: a SQLite file by default (no server), or any SQLAlchemy URL (PostgreSQL for several
hosts). Secrets are hashed at rest: a client secret, an authorization code, an access or
refresh token and a login session id are stored as their SHA-256, never as themselves, so a
copy of the database lets nobody act as a client or a learner.

Every method opens its own short transaction: the store is safe to share between the threads
of one process and between processes on one database. What the database refuses (it cannot be
reached, a statement fails) is raised as :class:`ApiStoreError` (``store_unavailable``), whose
message never shows the password of a database URL.

Tokens come in families: the tokens of one grant, from the authorization code through every
refresh, carry the hash of that code (``code_hash``), and the code's row is the family's head.
A replayed code (RFC 6749 §4.1.2) or a rotated refresh token presented again (RFC 9700
§4.14.2) revokes the whole family, and marks its head so that a token being saved at that very
moment is refused too: every change to a family first locks its head row.

Rows that can no longer be used are deleted by :meth:`ApiStore.purge_expired`, a bounded number
per call: login sessions and unused codes once expired, tokens once their refresh token has
expired, a redeemed code once no token of its family is left.

Migrations: ``vcbadge_api_schema`` records the versions applied; :meth:`ApiStore.open` creates
missing tables, then runs each step of ``_MIGRATIONS`` from the stored version up to
``SCHEMA_VERSION``. A later version adds its step there.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from vcbadge.errors import VcbadgeError

__all__ = [
    "ApiStore",
    "ApiStoreError",
    "CredentialConflict",
    "StoredCredential",
    "digest",
    "masked_location",
]

SCHEMA_VERSION = 3
# How long a refresh token may be used after it was issued (each refresh issues a new one).
REFRESH_TOKEN_LIFETIME = 30 * 24 * 3600
# At most this many rows of each table deleted by one purge_expired call.
PURGE_BATCH = 500
_T = TypeVar("_T")
# What a row of version 1 (Open Badges only) belongs to.
_FIRST_API = "ob"


class ApiStoreError(VcbadgeError):
    """The API store cannot be opened or used: ``store_unavailable`` (the database cannot be
    reached, opened or written; the message says why, a URL's password masked) or
    ``store_schema_newer`` (its tables were made by a newer vcbadge)."""

    code = "store_unavailable"


def masked_location(location: str) -> str:
    """``location`` (a path or a database URL) with the password of any
    ``scheme://user:password@host`` in it shown as ``***``."""
    # Up to the last "@" before the path: a password may itself hold an unencoded "@".
    return re.sub(r"(://[^:/@\s]*:)[^/\s]*@", r"\1***@", location)


def _shown_error(error: BaseException, password: str | None) -> str:
    """The first line of what the database driver said, with no password in it."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if password:
        text = text.replace(password, "***")
    return masked_location(text)


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
    """An authorization code (hashed), single-use: ``used`` is set when it is redeemed; the
    head of the token family it starts (``family_revoked``)."""

    __tablename__ = "vcbadge_api_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("vcbadge_api_clients.client_id"))
    user_id: Mapped[str] = mapped_column(String(255))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    # The head of the token family this code started: set when the family is revoked.
    family_revoked: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("FALSE")
    )


class TokenRow(_Base):
    """An access token and its refresh token (both hashed), bound to a client and a user.

    ``code_hash`` is the authorization code the grant started from, carried over on refresh:
    it names the token family, which a replayed code (RFC 6749 §4.1.2) or a reused refresh
    token (RFC 9700 §4.14.2) revokes whole.
    """

    __tablename__ = "vcbadge_api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("vcbadge_api_clients.client_id"))
    user_id: Mapped[str] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(Text)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    issued_at: Mapped[float] = mapped_column(Float, index=True)
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

    def is_refresh_expired(self, now: float) -> bool:
        """Whether the refresh token is past ``REFRESH_TOKEN_LIFETIME``."""
        return now >= self.issued_at + REFRESH_TOKEN_LIFETIME

    def get_user(self) -> str:
        return self.user_id


class LoginRow(_Base):
    """A login session of the built-in login form (its cookie's hash)."""

    __tablename__ = "vcbadge_api_logins"
    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[float] = mapped_column(Float, index=True)


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


def _token_families(connection: Connection) -> None:
    """Version 2 to 3: a code row heads its token family (``family_revoked``); the columns
    that purge_expired selects on are indexed."""
    connection.execute(
        text(
            "ALTER TABLE vcbadge_api_codes ADD COLUMN family_revoked BOOLEAN NOT NULL DEFAULT FALSE"
        )
    )
    for table, column in _PURGE_INDEXES:
        connection.execute(
            text(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column} ON {table} ({column})")
        )


# The indexes version 3 added (named as SQLAlchemy names those of ``index=True``).
_PURGE_INDEXES = (
    ("vcbadge_api_codes", "expires_at"),
    ("vcbadge_api_tokens", "issued_at"),
    ("vcbadge_api_logins", "expires_at"),
)

# The step from each version to the next.
_MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _credentials_per_api,
    2: _token_families,
}


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
        self._password = engine.url.password

    @classmethod
    def open(cls, location: str | Path) -> ApiStore:
        """Open (creating the tables if missing) the store at a SQLite file path or a database
        URL such as ``postgresql://user@host/db``.

        Raises:
            ApiStoreError: ``store_unavailable`` when the database cannot be reached, opened
                or its tables made (a missing driver, a malformed URL included);
                ``store_schema_newer`` when a newer vcbadge made its tables. The message
                names the location with its password masked.
        """
        given = str(location)
        url = given if "://" in given else f"sqlite:///{Path(given)}"
        if url.startswith(("postgresql://", "postgres://")):
            # psycopg 3 (the postgres extra), not SQLAlchemy's default psycopg2.
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        shown = masked_location(given)
        try:
            password = make_url(url).password
        except (ArgumentError, ValueError):
            password = None
        try:
            store = cls(create_engine(url))
        except (SQLAlchemyError, ImportError, ValueError) as error:  # ValueError: a bad port
            reason = _shown_error(error, None if password is None else str(password))
            raise ApiStoreError(f"{shown}: cannot open the API store: {reason}") from error
        try:
            store._migrate(f"{shown}: cannot open the API store")
        except BaseException:
            store.close()
            raise
        return store

    def _migrate(self, failing: str) -> None:
        with self._transaction(failing) as connection:
            _Base.metadata.create_all(connection)
            stored = connection.scalar(select(func.max(SchemaVersion.version)))
            if stored is not None and stored > SCHEMA_VERSION:
                raise ApiStoreError(
                    f"{failing}: its schema is version {stored}, newer than this vcbadge "
                    f"({SCHEMA_VERSION}): upgrade vcbadge",
                    code="store_schema_newer",
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
        with self._transaction() as connection:
            _Base.metadata.drop_all(connection)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def _unavailable(
        self, error: SQLAlchemyError, failing: str = "the API store failed"
    ) -> ApiStoreError:
        reason = _shown_error(error, None if self._password is None else str(self._password))
        return ApiStoreError(f"{failing}: {reason}")

    @contextmanager
    def _transaction(self, failing: str = "the API store failed") -> Iterator[Connection]:
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as error:
            raise self._unavailable(error, failing) from error

    @contextmanager
    def _session(self, *, retryable: bool = False) -> Iterator[Session]:
        """A transaction; ``retryable``: an ``IntegrityError`` (a lost race on a unique key)
        is raised as it is, for :meth:`_retried` to run the transaction again."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except IntegrityError as error:
            if retryable:
                raise
            raise self._unavailable(error) from error
        except SQLAlchemyError as error:
            raise self._unavailable(error) from error

    def _retried(self, operation: Callable[[], _T]) -> _T:
        """``operation`` (a read-then-write of one transaction), run again once when a
        concurrent transaction inserted the same key first: the second run sees that row."""
        try:
            return operation()
        except IntegrityError:
            pass
        try:
            return operation()
        except IntegrityError as error:
            raise self._unavailable(error) from error

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
        presented again revokes every token of its family."""
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
            replayed = getattr(consumed, "rowcount", 0) != 1
            if not replayed:
                return None if now >= row.expires_at else row
        self.revoke_family(code_hash)
        return None

    # Tokens

    def add_token(self, row: TokenRow, *, rotating: int | None = None) -> bool:
        """Save ``row``, a token of the family its ``code_hash`` names; with ``rotating``, the
        id of the token whose refresh it answers, which is revoked in the same transaction.
        False (nothing saved) when the family has been revoked or is gone, or when the
        rotated token was already revoked: a concurrent refresh with the same token won."""
        with self._session() as session:
            if not self._lock_family(session, row.code_hash):
                return False
            if rotating is not None:
                rotated = session.execute(
                    update(TokenRow)
                    .where(TokenRow.id == rotating, TokenRow.revoked.is_(False))
                    .values(revoked=True)
                )
                if getattr(rotated, "rowcount", 0) != 1:
                    return False
            session.add(row)
            return True

    @staticmethod
    def _lock_family(session: Session, family: str) -> bool:
        """Lock the family's head row (a write: a row lock on PostgreSQL, the write lock on
        SQLite) until the transaction ends; whether the family is still alive."""
        session.execute(
            update(CodeRow)
            .where(CodeRow.code_hash == family)
            .values(family_revoked=CodeRow.family_revoked)
        )
        revoked = session.scalar(select(CodeRow.family_revoked).where(CodeRow.code_hash == family))
        return revoked is False

    def revoke_family(self, family: str) -> None:
        """Revoke every access and refresh token of the family ``family`` (an authorization
        code's hash), and every token saved into it later."""
        with self._session() as session:
            self._lock_family(session, family)
            session.execute(
                update(CodeRow).where(CodeRow.code_hash == family).values(family_revoked=True)
            )
            session.execute(
                update(TokenRow).where(TokenRow.code_hash == family).values(revoked=True)
            )

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

    def add_login(self, session_id: str, user_id: str, *, expires_at: float) -> None:
        with self._session() as session:
            session.add(
                LoginRow(session_hash=digest(session_id), user_id=user_id, expires_at=expires_at)
            )

    def login_user(self, session_id: str, *, now: float) -> str | None:
        """The user of an unexpired login session, or None."""
        with self._session() as session:
            row = session.get(LoginRow, digest(session_id))
            if row is None or now >= row.expires_at:
                return None
            return row.user_id

    # Expiry

    def purge_expired(self, now: float, *, batch: int = PURGE_BATCH) -> int:
        """Delete at most ``batch`` rows of each kind that can no longer be used: expired
        login sessions, expired unused codes, tokens whose refresh token has expired (a
        rotated or revoked one is kept until then, to recognize its reuse), and expired
        redeemed codes with no token left in their family. The number of rows deleted."""
        families_left = exists().where(TokenRow.code_hash == CodeRow.code_hash)
        targets = (
            (LoginRow.session_hash, LoginRow.expires_at <= now),
            (TokenRow.id, TokenRow.issued_at <= now - REFRESH_TOKEN_LIFETIME),
            (
                CodeRow.code_hash,
                (CodeRow.expires_at <= now) & (CodeRow.used.is_(False) | ~families_left),
            ),
        )
        deleted = 0
        with self._session() as session:
            for key, condition in targets:
                chosen = select(key).where(condition).limit(batch)
                table = key.class_
                result = session.execute(
                    delete(table)
                    .where(key.in_(chosen))
                    .execution_options(synchronize_session=False)
                )
                deleted += int(getattr(result, "rowcount", 0) or 0)
        return deleted

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
        wins, also between concurrent requests); :class:`CredentialConflict` when that one
        was stored through another API."""

        def attempt() -> bool:
            with self._session(retryable=True) as session:
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
                            api=api, user_id=user_id, issuer_id=issuer_id,
                            credential_id=credential_id, valid_from=valid_from, body=body,
                            jws=jws, updated_at=time.time(),
                        )
                    )  # fmt: skip
                    session.flush()  # a concurrent insert of the same key fails here
                    return True
                if row.api != api:
                    raise CredentialConflict(f"stored through the {row.api} API")
                # Conditional: a concurrent replacement by a newer one is not undone.
                session.execute(
                    update(CredentialRow)
                    .where(CredentialRow.id == row.id, CredentialRow.valid_from <= valid_from)
                    .values(valid_from=valid_from, body=body, jws=jws, updated_at=time.time())
                    .execution_options(synchronize_session=False)
                )
                return False

        return self._retried(attempt)

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
        """Store (create or replace) the user's profile through ``api``, in one statement on
        SQLite and PostgreSQL (``INSERT ... ON CONFLICT DO UPDATE``): two concurrent first
        profiles of one user both succeed, the later one stays."""
        moment = time.time()
        values = {"api": api, "user_id": user_id, "body": body, "updated_at": moment}
        dialect = self.engine.dialect.name
        if dialect in ("sqlite", "postgresql"):
            make = sqlite.insert if dialect == "sqlite" else postgresql.insert
            statement = make(ProfileRow).values(**values)
            upsert = statement.on_conflict_do_update(
                index_elements=[ProfileRow.api, ProfileRow.user_id],
                set_={"body": statement.excluded.body,
                      "updated_at": statement.excluded.updated_at},
            )  # fmt: skip
            with self._session() as session:
                session.execute(upsert)
            return

        def attempt() -> None:  # another database: read, then insert or update
            with self._session(retryable=True) as session:
                row = session.get(ProfileRow, (api, user_id))
                if row is None:
                    session.add(ProfileRow(**values))
                    session.flush()
                else:
                    row.body, row.updated_at = body, moment

        self._retried(attempt)
