"""A resolver that serves documents it was given: air-gapped verifiers, tests, other issuers' CI."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from vcbadge.errors import DIDResolutionError

__all__ = ["StaticResolver"]


class StaticResolver:
    """Serves the given documents for the given DIDs / URLs, and nothing else."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self._documents = {key: copy.deepcopy(dict(value)) for key, value in documents.items()}

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._documents

    def resolve(self, identifier: str) -> dict[str, Any]:
        """A copy of the document given for ``identifier``, or ``not_found``."""
        try:
            return copy.deepcopy(self._documents[identifier])
        except KeyError:
            raise DIDResolutionError(
                f"no document was given for {identifier}", code="not_found"
            ) from None

    def __len__(self) -> int:
        return len(self._documents)

    def __repr__(self) -> str:
        return f"StaticResolver({len(self._documents)} documents)"
