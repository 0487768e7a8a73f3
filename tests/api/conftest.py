"""Fixtures for the Open Badges API provider tests: a store in a real SQLite file (or the
PostgreSQL server named by VCBADGE_TEST_POSTGRES_DSN), the API mounted in the web app, and
badges signed by vcbadge (helpers in api_world.py, next to this file)."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("authlib", reason="the api extra (Authlib) is not installed")
pytest.importorskip("sqlalchemy", reason="the api extra (SQLAlchemy) is not installed")

# The helper module sits next to this file; tests import it by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_world import BASE, PASSWORD, USER, Credentials, Flow
from badge_images import ISSUED_AT, achievement, issuer_key
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from vcbadge import AchievementCredential, FixedClock, Issuer, Profile, Verifier
from vcbadge.api import ApiStore, create_api
from vcbadge.api.oauth import OB30
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.model import ClrCredential
from vcbadge.web import create_app


@pytest.fixture(scope="session")
def credentials() -> Credentials:
    key = issuer_key()
    profile = Profile(id=key.did, name="Example University")
    issuer = Issuer(profile, key=key, clock=FixedClock(ISSUED_AT))
    first, second = (
        issuer.issue(
            AchievementCredential.award(
                achievement(name=name), recipient="did:example:ada", id=f"urn:uuid:{uuid.uuid4()}"
            )
        )
        for name in ("Python 101", "Python 202")
    )
    jwt = JwtIssuer(profile, key=key, clock=FixedClock(ISSUED_AT)).issue_jwt(
        AchievementCredential.award(
            achievement(name="Python 303"), recipient="did:example:ada",
            id=f"urn:uuid:{uuid.uuid4()}",
        )
    )  # fmt: skip
    later = Issuer(profile, key=key, clock=FixedClock(ISSUED_AT + timedelta(days=1)))
    reissued = later.issue(
        AchievementCredential.award(
            achievement(name="Python 101"), recipient="did:example:ada", id=first["id"]
        )
    )
    return Credentials(first=first, second=second, first_reissued=reissued, jwt=jwt)


@pytest.fixture
def store_location(tmp_path: Path) -> Iterator[str]:
    """A SQLite file, or the PostgreSQL database of VCBADGE_TEST_POSTGRES_DSN (its tables
    dropped at teardown)."""
    dsn = os.environ.get("VCBADGE_TEST_POSTGRES_DSN")
    if not dsn:
        yield str(tmp_path / "api.db")
        return
    leftover = ApiStore.open(dsn)  # a run that was killed may have left its tables
    leftover.drop_tables()
    leftover.close()
    yield dsn
    store = ApiStore.open(dsn)
    store.drop_tables()
    store.close()


@pytest.fixture
def store(store_location: str) -> Iterator[ApiStore]:
    store = ApiStore.open(store_location)
    yield store
    store.close()


@pytest.fixture
def http(store: ApiStore) -> Iterator[TestClient]:
    api = create_api(
        store,
        verifier=Verifier.offline(),
        base_url=BASE,
        privacy_policy_url="https://testserver/privacy",
        users={USER: PASSWORD},
    )
    app = create_app(offline=True, routes=[Mount("/ims/ob/v3p0", api)])
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


@pytest.fixture
def flow(http: TestClient) -> Flow:
    flow = Flow(http)
    assert flow.register().status_code == 201
    return flow


@pytest.fixture(scope="session")
def clr_credential(credentials: Credentials) -> dict[str, object]:
    """A ClrCredential signed by vcbadge, bundling the first badge."""
    key = issuer_key()
    issuer = Issuer(
        Profile(id=key.did, name="Example University"), key=key, clock=FixedClock(ISSUED_AT)
    )
    record = ClrCredential.bundle(
        [credentials.first], name="Ada's learner record", learner="did:example:ada",
        id=f"urn:uuid:{uuid.uuid4()}",
    )  # fmt: skip
    signed: dict[str, object] = issuer.issue(record)
    return signed


@pytest.fixture
def serve(store: ApiStore) -> Iterator[Callable[..., TestClient]]:
    """Starts another API on the test store: ``serve(path=..., client=(host, port),
    origin="https://testserver", **create_api_keywords)`` answers its TestClient."""
    with ExitStack() as stack:

        def start(
            *,
            path: str = OB30.path,
            client: tuple[str, int] = ("testclient", 50000),
            origin: str = "https://testserver",
            **options: object,
        ) -> TestClient:
            api = create_api(
                store,
                verifier=Verifier.offline(),
                base_url=f"{origin}{path}",
                privacy_policy_url=f"{origin}/privacy",
                users={USER: PASSWORD},
                **options,  # type: ignore[arg-type]
            )
            app = Starlette(routes=[Mount(path, api)])
            return stack.enter_context(
                TestClient(app, base_url=origin, follow_redirects=False, client=client)
            )

        yield start
