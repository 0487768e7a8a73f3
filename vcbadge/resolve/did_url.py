"""What every DID method resolver does first: refuse identifiers of another method and drop
the fragment of a DID URL (the caller picks the verification method from the document)."""

from __future__ import annotations

from vcbadge.errors import UnsupportedError

__all__ = ["did_of_method"]


def did_of_method(identifier: object, prefix: str, resolver_name: str) -> str:
    """The DID of ``identifier`` (a DID or DID URL) without its fragment.

    Raises:
        UnsupportedError: ``unsupported_did_method`` when ``identifier`` does not start with
            ``prefix`` (``"did:key:"``...); the message names ``resolver_name``.
    """
    if not isinstance(identifier, str) or not identifier.startswith(prefix):
        shown = identifier[:80] if isinstance(identifier, str) else type(identifier).__name__
        raise UnsupportedError(
            f"{resolver_name} resolves {prefix.rstrip(':')} only, not {shown!r}",
            code="unsupported_did_method",
        )
    did, _, _ = identifier.partition("#")
    return did
