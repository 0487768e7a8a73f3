"""Dispatching resolution: static documents first, then resolvers by DID method or URL scheme."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge.errors import UnsupportedError
from vcbadge.protocols import Resolver
from vcbadge.resolve.static import StaticResolver

__all__ = ["CompositeResolver"]


class CompositeResolver:
    """Routes ``did:<method>:…`` to the resolver for that method and ``https://…`` to the one for
    ``https``; documents in ``static`` win over everything. Unknown methods are
    ``UnsupportedError`` (code ``unsupported_did_method``), which verification reports as
    INDETERMINATE.
    """

    def __init__(
        self,
        methods: Mapping[str, Resolver],
        *,
        static: StaticResolver | None = None,
    ) -> None:
        self._methods = dict(methods)
        self._static = static

    def with_method(self, name: str, resolver: Resolver) -> CompositeResolver:
        """A new resolver that also handles ``name`` (a DID method like ``web``, or ``https``)."""
        return CompositeResolver({**self._methods, name: resolver}, static=self._static)

    @property
    def methods(self) -> tuple[str, ...]:
        """The DID methods and URL schemes this resolver routes, sorted."""
        return tuple(sorted(self._methods))

    def resolve(self, identifier: str) -> dict[str, Any]:
        """The document for ``identifier`` (a ``#fragment`` is ignored): a static one if given,
        else from the resolver registered for its DID method or URL scheme.

        Raises:
            UnsupportedError: ``unsupported_did_method`` when no resolver is registered.
            ResolutionError: whatever the routed resolver raises.
        """
        base = identifier.partition("#")[0] if isinstance(identifier, str) else identifier
        if self._static is not None and base in self._static:
            return self._static.resolve(base)
        route = _route(base)
        resolver = self._methods.get(route)
        if resolver is None:
            what = f"DID method {route!r}" if base.startswith("did:") else f"{route!r} URLs"
            raise UnsupportedError(
                f"cannot resolve {base}: {what} not supported by this resolver "
                f"(it handles: {', '.join(self.methods) or 'nothing'})",
                code="unsupported_did_method",
            )
        return resolver.resolve(identifier)

    def __repr__(self) -> str:
        return f"CompositeResolver(methods={list(self.methods)}, static={self._static!r})"


def _route(identifier: str) -> str:
    if identifier.startswith("did:"):
        parts = identifier.split(":", 2)
        return parts[1] if len(parts) == 3 else ""
    return identifier.split(":", 1)[0].lower()
