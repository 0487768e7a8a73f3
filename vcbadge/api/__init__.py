"""The Open Badges 3.0 REST API: a provider (``create_api``) with its OAuth 2.0 authorization
server (Authlib) and its SQLAlchemy store. Needs the ``vcbadge[api]`` extra."""

from vcbadge.api.app import Authenticate, create_api, service_description
from vcbadge.api.oauth import SCOPES
from vcbadge.api.store import ApiStore

__all__ = ["SCOPES", "ApiStore", "Authenticate", "create_api", "service_description"]
