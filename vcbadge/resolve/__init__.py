"""Resolvers: from a DID or URL to the DID or controller document holding its keys."""

from __future__ import annotations

from vcbadge.resolve.did_key import DidKeyResolver, resolve_did_key

__all__ = ["DidKeyResolver", "resolve_did_key"]
