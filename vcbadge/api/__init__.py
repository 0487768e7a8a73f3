"""The Open Badges 3.0 REST API: a provider (``create_api``) with its OAuth 2.0 authorization
server (Authlib) and its SQLAlchemy store, which need the ``vcbadge[api]`` extra, and a client
of such APIs (``ApiClient``), which needs nothing beyond vcbadge itself.

The provider's names are imported when first used, so that the client (and ``vcbadge push`` /
``pull``) works where the extra is not installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from vcbadge.api.client import (
    ApiClient,
    ApiClientError,
    ClientRegistration,
    Endpoints,
    LoopbackRedirectListener,
    PendingAuthorization,
    Tokens,
)
from vcbadge.api.standards import CLR20, OB30, ApiStandard

if TYPE_CHECKING:
    from vcbadge.api.app import Authenticate, PlainHttpWarning, create_api, service_description
    from vcbadge.api.oauth import SCOPES
    from vcbadge.api.store import ApiStore, ApiStoreError

__all__ = [
    "CLR20",
    "OB30",
    "SCOPES",
    "ApiClient",
    "ApiClientError",
    "ApiStandard",
    "ApiStore",
    "ApiStoreError",
    "Authenticate",
    "ClientRegistration",
    "Endpoints",
    "LoopbackRedirectListener",
    "PendingAuthorization",
    "PlainHttpWarning",
    "Tokens",
    "create_api",
    "service_description",
]

# The provider's public names and the module of each.
_PROVIDER = {
    "Authenticate": "vcbadge.api.app",
    "create_api": "vcbadge.api.app",
    "service_description": "vcbadge.api.app",
    "PlainHttpWarning": "vcbadge.api.app",
    "SCOPES": "vcbadge.api.oauth",
    "ApiStore": "vcbadge.api.store",
    "ApiStoreError": "vcbadge.api.store",
}


def __getattr__(name: str) -> Any:
    module = _PROVIDER.get(name)
    if module is None:
        raise AttributeError(f"module 'vcbadge.api' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
