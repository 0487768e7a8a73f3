"""Cryptosuites by name: which are *known* (implemented) is separate from which are *allowed*.

A registry is an ordinary object; there is no global mutable registry. The verification policy
names the allowed suites, and a suite that is known but not allowed is refused with its own code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from vcbadge.errors import UnsupportedError
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.proofs.hashing import HashData
from vcbadge.proofs.suites.eddsa_rdfc_2022 import EddsaRdfc2022

__all__ = ["Cryptosuite", "CryptosuiteRegistry", "default_registry"]


class Cryptosuite(Protocol):
    """What the Data Integrity layer needs from a cryptosuite."""

    name: str
    proof_type: str
    key_algorithm: str

    def hash_data(
        self,
        unsecured_document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        canonicalizer: Canonicalizer,
    ) -> HashData: ...

    def encode_proof_value(self, signature: bytes) -> str: ...

    def decode_proof_value(self, proof_value: object, *, path: str) -> bytes: ...

    def public_key_from_method(self, method: Mapping[str, Any], *, path: str) -> Ed25519Key: ...


class CryptosuiteRegistry(Mapping[str, Cryptosuite]):
    """An immutable mapping from cryptosuite name to implementation."""

    def __init__(self, suites: Iterable[Cryptosuite]) -> None:
        self._suites = {suite.name: suite for suite in suites}

    def __getitem__(self, name: str) -> Cryptosuite:
        return self._suites[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._suites)

    def __len__(self) -> int:
        return len(self._suites)

    def require(self, name: object, *, path: str = "") -> Cryptosuite:
        """The suite called ``name``, or ``UnsupportedError`` (code ``unknown_cryptosuite``)."""
        if isinstance(name, str) and name in self._suites:
            return self._suites[name]
        raise UnsupportedError(
            f"unknown cryptosuite {name!r}; known: {', '.join(sorted(self._suites))}",
            code="unknown_cryptosuite",
            path=path,
        )


def default_registry() -> CryptosuiteRegistry:
    """Every cryptosuite this version of vcbadge implements."""
    return CryptosuiteRegistry([EddsaRdfc2022()])
